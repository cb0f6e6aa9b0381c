// The local HTTP receiver the webhook checks register with the target. It answers every POST with
// 200 at once (so the target never retries; a check may refuse one to see it retried) and keeps each
// delivery's raw bytes and headers; the checks verify signatures and payloads afterwards, when they
// know the endpoint's secret.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realNowMs } from './runtime.js';

export interface Delivery {
  /** Order of arrival, from 0. */
  index: number;
  receivedAtMs: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** The parsed body, or undefined when it is not JSON. */
  event?: { id?: string; type?: string; data?: { object?: Record<string, unknown> } } & Record<string, unknown>;
}

export interface WebhookReceiver {
  url: string;
  deliveries: Delivery[];
  /** Resolves with the first delivery matching `predicate` (waiting up to `timeoutMs`), or undefined. */
  waitFor(predicate: (d: Delivery) => boolean, timeoutMs?: number): Promise<Delivery | undefined>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the receiver on `host:port` (port 0: any free port).
 * @example
 * const receiver = await startWebhookReceiver('127.0.0.1', 0);
 * await api.POST('/v1/webhook_endpoints', { body: { url: receiver.url, enabled_events: ['*'] } });
 */
export async function startWebhookReceiver(
  host: string,
  port: number,
  pathName = '/casapay-webhooks',
  /** The status to answer a delivery with (default 200): a check refuses one to see it retried. */
  answer: (delivery: Delivery) => number = () => 200,
): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let event: Delivery['event'];
      try {
        event = JSON.parse(raw.toString('utf8'));
      } catch {
        event = undefined;
      }
      const delivery: Delivery = {
        index: deliveries.length,
        receivedAtMs: realNowMs(),
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        raw,
        event,
      };
      deliveries.push(delivery);
      const status = answer(delivery);
      res.writeHead(status, { 'content-type': 'application/json' }).end(`{"received":${status < 300}}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}${pathName}`,
    deliveries,
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = realNowMs() + timeoutMs;
      for (;;) {
        const found = deliveries.find(predicate);
        if (found || realNowMs() > deadline) return found;
        await sleep(20);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// The pass-through: an HTTP server on 127.0.0.1 that forwards every request to the target as it
// arrives and streams the answer back as it comes — bytes untouched, any method, any body (JSON,
// multipart, binary), compressed or not — while keeping a copy of JSON bodies (up to --max-body-bytes)
// to check once the exchange is over. Checking never delays the client. `/__proxy/…` is the proxy's own:
// `POST /__proxy/report` writes the reports now and answers their verdict.
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { monotonicMs, realNowMs } from '../support/runtime.js';
import type { CapturedExchange } from './exchange-check.js';

/** Headers of one hop only (RFC 9110 §7.6.1): never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export interface ProxyServerOptions {
  /** Where requests go: `https://staging.example.com` (a base path is kept: `http://h/api` + `/v1/x` → `http://h/api/v1/x`). */
  targetUrl: string;
  port: number;
  /** Bodies larger than this are passed on but not kept (and not checked). */
  maxBodyBytes: number;
  /** Exchanges in flight at once; one more is answered 429 by the proxy itself. */
  maxConcurrent: number;
  /** Per-exchange timeout towards the target. */
  timeoutMs: number;
  /** The path sent to the target for a request's path (default: the same path under the target's base path). */
  pathOf?: (path: string) => string;
  /** Called when an exchange is over (answered, or failed). */
  onExchange(exchange: CapturedExchange): void;
  /** Called when the proxy refused a request because --max-concurrent were in flight. */
  onBusy?(): void;
  /** The proxy's own routes (`/__proxy/…`); answers the status and a JSON body. */
  ownRoute?(method: string, path: string): Promise<{ status: number; body: unknown }>;
}

export interface RunningProxy {
  server: Server;
  url: string;
  /** Exchanges in flight. */
  inFlight(): number;
  close(): Promise<void>;
}

/** Collects up to `max` bytes of a stream that is piped elsewhere; null once it went over. */
class Tap {
  private chunks: Buffer[] = [];
  bytes = 0;
  private over = false;
  constructor(
    private readonly max: number,
    private readonly keep: boolean,
  ) {}
  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (!this.keep || this.over) return;
    if (this.bytes > this.max) {
      this.over = true;
      this.chunks = [];
      return;
    }
    this.chunks.push(chunk);
  }
  /** The kept bytes, or null when the body was not kept. */
  body(): Buffer | null {
    if (!this.keep || this.over) return this.bytes === 0 ? Buffer.alloc(0) : null;
    return Buffer.concat(this.chunks);
  }
}

const flatHeaders = (message: IncomingMessage): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
};

/** Whether a body of this content type is worth keeping to check (JSON, or an error's text). */
const keepable = (contentType: string | undefined, multipartToo: boolean): boolean =>
  !contentType || /json|text\//i.test(contentType) || (multipartToo && /^multipart\/form-data/i.test(contentType));

/** A compressed answer is checked decompressed (the client still gets the compressed bytes). */
function decoded(body: Buffer | null, encoding: string | undefined, max: number): Buffer | null {
  if (!body || !encoding || encoding === 'identity') return body;
  try {
    const options = { maxOutputLength: max };
    if (/gzip/i.test(encoding)) return gunzipSync(body, options);
    if (/br/i.test(encoding)) return brotliDecompressSync(body, options);
    if (/deflate/i.test(encoding)) return inflateSync(body, options);
  } catch {
    return null;
  }
  return body;
}

const proxyError = (
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
) => {
  if (res.headersSent) return void res.destroy();
  // In CasaPay's envelope, marked as the proxy's own so a client (and the report) can tell it from the target's.
  res.writeHead(status, { 'content-type': 'application/json', 'x-casapay-proxy': code, ...extra });
  res.end(
    JSON.stringify({ error: { type: status === 429 ? 'rate_limit_error' : 'api_error', code, message, param: null } }),
  );
};

/**
 * Starts the proxy on 127.0.0.1.
 * @example const proxy = await startProxyServer({ targetUrl: 'http://127.0.0.1:4010', port: 4020, … }); // proxy.url 'http://127.0.0.1:4020'
 */
export async function startProxyServer(
  options: ProxyServerOptions & { keepMultipart?: boolean },
): Promise<RunningProxy> {
  const target = new URL(options.targetUrl);
  const basePath = target.pathname.replace(/\/+$/, '');
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  let inFlight = 0;
  let seq = 0;

  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith('/__proxy/') && options.ownRoute) {
      options
        .ownRoute(req.method ?? 'GET', path.split('?')[0]!)
        .then(({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(`${JSON.stringify(body, null, 2)}\n`);
        })
        .catch((error: unknown) => proxyError(res, 500, 'proxy_report_failed', String(error)));
      req.resume();
      return;
    }
    if (inFlight >= options.maxConcurrent) {
      options.onBusy?.();
      req.resume();
      return proxyError(
        res,
        429,
        'proxy_busy',
        `the proxy already has ${options.maxConcurrent} exchanges in flight (--max-concurrent); retry shortly`,
        { 'retry-after': '1' },
      );
    }
    inFlight++;
    const began = monotonicMs();
    const requestHeaders = flatHeaders(req);
    const exchange: CapturedExchange = {
      seq: ++seq,
      startedMs: realNowMs(),
      durationMs: 0,
      method: req.method ?? 'GET',
      url: path,
      requestHeaders,
      requestBody: null,
      requestBytes: 0,
      status: null,
      responseHeaders: {},
      responseBody: null,
      responseBytes: 0,
    };
    const requestTap = new Tap(
      options.maxBodyBytes,
      keepable(requestHeaders['content-type'], options.keepMultipart === true),
    );
    let responseTap: Tap | undefined;
    let finished = false;
    const finish = (error?: string) => {
      if (finished) return;
      finished = true;
      inFlight--;
      exchange.durationMs = monotonicMs() - began;
      exchange.requestBody = requestTap.body();
      exchange.requestBytes = requestTap.bytes;
      if (responseTap) {
        exchange.responseBody = decoded(
          responseTap.body(),
          exchange.responseHeaders['content-encoding'],
          options.maxBodyBytes,
        );
        exchange.responseBytes = responseTap.bytes;
      }
      if (error) exchange.error = error;
      options.onExchange(exchange);
    };

    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined && !HOP_BY_HOP.has(name) && name !== 'host') headers[name] = value;
    headers.host = target.host;
    const upstream = send(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: `${basePath}${options.pathOf ? options.pathOf(path) : path}`,
        headers,
        timeout: options.timeoutMs,
      },
      (answer) => {
        exchange.status = answer.statusCode ?? null;
        exchange.responseHeaders = flatHeaders(answer);
        responseTap = new Tap(options.maxBodyBytes, keepable(exchange.responseHeaders['content-type'], false));
        const out: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(answer.headers))
          if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
        answer.on('data', (chunk: Buffer) => responseTap!.push(chunk));
        answer.pipe(res);
        answer.on('end', () => finish());
        answer.on('error', (e) => finish(`the target's answer broke off: ${e.message}`));
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    upstream.on('error', (e) => {
      exchange.status = null;
      if (!res.headersSent)
        proxyError(res, 502, 'proxy_upstream_unreachable', `the proxy could not reach ${target.origin}: ${e.message}`);
      else res.destroy();
      finish(`${e.name}: ${e.message}`);
    });
    res.on('close', () => {
      if (!res.writableFinished) {
        upstream.destroy();
        finish('the client went away before the answer was complete');
      }
    });
    req.on('data', (chunk: Buffer) => requestTap.push(chunk));
    req.pipe(upstream);
  });
  server.headersTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    inFlight: () => inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

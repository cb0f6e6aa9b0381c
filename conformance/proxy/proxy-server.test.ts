// The pass-through on its own, against small node:http targets: bytes untouched in both directions
// (any method, binary and compressed bodies), answers streamed as they come, and the bounds — a body
// over --max-body-bytes is passed on but not kept, --max-concurrent refuses the next exchange with the
// proxy's own 429, the report keeps --max-groups groups and a few samples per group.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapturedExchange } from './exchange-check.js';
import { startProxyServer, type RunningProxy } from './proxy-server.js';
import { startProxy } from './run.js';
import { proxyOptions } from './fixtures/flows.js';

const servers: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function target(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({ close: () => new Promise((r) => server.close(r)) });
  server.unref();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const echo = (req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': req.headers['content-type'] ?? 'application/octet-stream',
      'x-method': req.method,
    });
    res.end(Buffer.concat(chunks));
  });
};

async function proxyTo(url: string, extra: { maxBodyBytes?: number; maxConcurrent?: number } = {}) {
  const seen: CapturedExchange[] = [];
  const proxy: RunningProxy = await startProxyServer({
    targetUrl: url,
    port: 0,
    maxBodyBytes: extra.maxBodyBytes ?? 1024 * 1024,
    maxConcurrent: extra.maxConcurrent ?? 16,
    timeoutMs: 5000,
    onExchange: (e) => seen.push(e),
  });
  servers.push(proxy);
  return { proxy, seen };
}

describe('pass-through', () => {
  it.each(['PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS'])(
    '%s: the body arrives byte for byte and comes back so',
    async (method) => {
      const { proxy } = await proxyTo(await target(echo));
      const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 37) % 256));
      const res = await fetch(`${proxy.url}/anything`, {
        method,
        body: bytes,
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(res.headers.get('x-method')).toBe(method);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    },
  );

  it('passes a gzip answer on compressed and checks it decompressed', async () => {
    const json = JSON.stringify({ hello: 'world' });
    const { proxy, seen } = await proxyTo(
      await target((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(gzipSync(json));
      }),
    );
    const { request } = await import('node:http');
    const raw = await new Promise<Buffer>((resolve) =>
      request(`${proxy.url}/x`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      }).end(),
    );
    expect(raw.equals(gzipSync(json))).toBe(true);
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]!.responseBody?.toString()).toBe(json);
  });

  it('streams: the first chunk reaches the client before the target sends the rest', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const { proxy } = await proxyTo(
      await target((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first ');
        void released.then(() => res.end('last'));
      }),
    );
    const res = await fetch(`${proxy.url}/stream`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe('first ');
    release();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += Buffer.from(r.value).toString();
    expect(rest).toBe('last');
  });
});

describe('bounds', () => {
  it('--max-body-bytes: a larger body passes through whole, but is not kept (nor checked)', async () => {
    const { proxy, seen } = await proxyTo(await target(echo), { maxBodyBytes: 2048 });
    const body = JSON.stringify({ pad: 'x'.repeat(10_000) });
    const res = await fetch(`${proxy.url}/v1/collection_cases`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(await res.text()).toBe(body);
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]!.requestBytes).toBe(body.length);
    expect(seen[0]!.requestBody).toBeNull();
    expect(seen[0]!.responseBody).toBeNull();
    // A body under the cap is kept.
    await fetch(`${proxy.url}/v1/collection_cases`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    await expect.poll(() => seen.length).toBe(2);
    expect(seen[1]!.requestBody?.toString()).toBe('{"a":1}');
  });

  it("--max-concurrent: one exchange more is answered 429 by the proxy itself, in CasaPay's envelope", async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const { proxy } = await proxyTo(await target((_req, res) => void released.then(() => res.end('{}'))), {
      maxConcurrent: 2,
    });
    const held = [fetch(`${proxy.url}/a`), fetch(`${proxy.url}/b`)];
    await expect.poll(() => proxy.inFlight()).toBe(2);
    const refused = await fetch(`${proxy.url}/c`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-casapay-proxy')).toBe('proxy_busy');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('proxy_busy');
    release();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
  });

  it('--max-groups and samples per group: the report stays bounded however many findings arrive', async () => {
    // Every answer breaks a different rule set: an undeclared path per distinct first segment.
    const url = await target((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    const handle = await startProxy(proxyOptions(url, { limits: { maxGroups: 2, samplesPerGroup: 3 } }));
    for (let i = 0; i < 6; i++) await (await fetch(`${handle.url}/v1/collection_cases/dc_${i}abc`)).text();
    await (await fetch(`${handle.url}/nowhere`)).text();
    await (await fetch(`${handle.url}/v1/claims/clm_1abc`)).text();
    await handle.stop();
    const section = handle.session.section();
    expect(section.groups).toHaveLength(2);
    expect(section.droppedFindings).toBeGreaterThan(0);
    for (const group of section.groups) expect(group.samples.length).toBeLessThanOrEqual(3);
    expect(section.groups.find((g) => g.count === 6)?.samples).toHaveLength(3);
  });
});

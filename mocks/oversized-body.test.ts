// A body over the limit is refused with 413 before it is read; the client must still get that answer
// while it is sending. Closing a socket with unread bytes resets it, so the mock reads and drops the
// rest first (engine/mount-operations.ts, sendError) — these tests send slowly enough for the answer to come
// out while the body is still on its way.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type TestMock } from './test-support.js';

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

/** A JSON body of `size` bytes, streamed in 64 KB chunks with a pause after each. */
function slowBody(size: number, pauseMs: number): ReadableStream<Uint8Array> {
  const chunk = 64 * 1024;
  let sent = 0;
  return new ReadableStream({
    async pull(controller) {
      if (sent === 0) {
        controller.enqueue(new TextEncoder().encode('{"padding":"'));
        sent = 12;
      }
      if (sent >= size - 2) {
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
        return;
      }
      const n = Math.min(chunk, size - 2 - sent);
      controller.enqueue(new Uint8Array(n).fill(120));
      sent += n;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    },
  });
}

describe('a body over 1 MB', () => {
  it.each([
    ['CasaPay', '/v1/collection_case_previews', { authorization: 'Bearer sk_test_oversized' }],
    ['Debitura', '/debitura/referral/clients', { xapikey: 'oversized-body' }],
  ])('%s: a client still sending gets the 413 in its shape, not a reset connection', async (_api, path, auth) => {
    const size = 2 * 1024 * 1024;
    const response = await fetch(`${mock.url}${path}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'content-length': String(size) },
      body: slowBody(size, 2),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect(JSON.stringify(await response.json())).toContain('file_too_large');
  });

  it('a client that stalls mid-body still gets its 413 once the drain gives up (5 s), not a connection held open', async () => {
    const { port } = new URL(mock.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString('latin1')));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      socket.write(
        'POST /v1/collection_case_previews HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sk_test_oversized\r\n' +
          'Content-Type: application/json\r\nContent-Length: 2097152\r\n\r\n{"padding":"' +
          'x'.repeat(64 * 1024),
      );
      // ...and nothing more: the rest of the announced body never comes.
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('file_too_large');
  }, 15_000);
});

// routes-in/: the ways into the one mock engine other than a listening socket. This file is the
// in-process route (`casapay-contract-kit/nock`): nock intercepts requests to CasaPay's base URL made
// with global fetch, node:http/https or anything built on them (axios), and hands each one to the
// engine's `app.inject()` — the same pipeline, validation, state, clock, events, webhooks, scenarios
// and faults as `casapay-mock`, with no port opened. It owns the interception and the handle a test
// holds; it may import the engine (server.ts), the admin dump and the journal matcher, and nock.
import nock from 'nock';
import { dumpAccount } from '../admin.js';
import { createClock, type Clock } from '../clock.js';
import { DROPPED_HEADER } from '../faults.js';
import { findRequests, type RequestPattern } from '../journal-match.js';
import type { JournalEntry } from '../journal.js';
import { createMockEngine, type MockEngine, type MockServerOptions } from '../server.js';

export { createClock, type Clock } from '../clock.js';
export type { RequestPattern } from '../journal-match.js';
export type { JournalEntry } from '../journal.js';

export interface InterceptOptions extends Omit<MockServerOptions, 'host' | 'port'> {
  /** The base URL your code calls; default https://api.casapay.com. */
  baseUrl?: string;
}

export interface CasaPayInterceptor {
  /** The intercepted origin, e.g. https://api.casapay.com. */
  baseUrl: string;
  engine: MockEngine;
  clock: Clock;
  /** Everything the mock holds for an API key (what `GET /__admin/state` shows), after running what is due. */
  state(apiKey: string): ReturnType<typeof dumpAccount> | undefined;
  /** Moves the mock's clock forward and runs what became due (demand letters, claim reviews, …). */
  advance(seconds: number): void;
  /** Forgets one account (or every account) and the requests it sent, so `received()` starts afresh. */
  reset(apiKey?: string): void;
  /** The requests received that match a pattern, oldest first (like WireMock's `verify`). */
  received(pattern?: RequestPattern): JournalEntry[];
  /** Stops intercepting and closes the engine (pending webhook deliveries included). */
  restore(): Promise<void>;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/**
 * nock passes a request body to a reply function as UTF-8 text when it is valid UTF-8, and as hex
 * otherwise (an uploaded PDF). Bytes back: hex only when the text is nothing but hex digits and
 * decodes to bytes that are not valid UTF-8 (JSON and multipart bodies never look like that).
 */
function requestBytes(body: unknown): Buffer | undefined {
  if (body === undefined || body === '') return undefined;
  if (typeof body !== 'string') return Buffer.from(JSON.stringify(body));
  if (body.length % 2 === 0 && /^[0-9a-f]+$/i.test(body)) {
    const bytes = Buffer.from(body, 'hex');
    if (!isUtf8(bytes)) return bytes;
  }
  return Buffer.from(body, 'utf8');
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Answers every request to `baseUrl` in-process, with the mock's engine.
 * @example
 * const casapay = await interceptCasaPay({ seed: 'test' });
 * const res = await fetch('https://api.casapay.com/v1/collection_cases', { headers: { Authorization: 'Bearer sk_test_123' } });
 * casapay.received({ method: 'GET', path: '/v1/collection_cases' }).length; // 1
 * await casapay.restore();
 */
export async function interceptCasaPay(options: InterceptOptions = {}): Promise<CasaPayInterceptor> {
  const { baseUrl: base = 'https://api.casapay.com', ...engineOptions } = options;
  const origin = new URL(base).origin;
  const clock = engineOptions.clock ?? createClock();
  const engine = await createMockEngine({ logLevel: 'silent', ...engineOptions, clock });

  const scope = nock(origin).persist();
  const interceptors = METHODS.map((method) => {
    const interceptor = scope.intercept(() => true, method);
    interceptor.reply(async function (this: { req: { method: string; headers: Record<string, string | string[]> } }, uri: string, body: unknown) {
      const payload = requestBytes(body);
      const res = await engine.app.inject({ method: this.req.method as 'GET', url: uri, headers: this.req.headers, ...(payload ? { payload } : {}) });
      // A fault dropped the connection (`Prefer: drop=true`, --drop-rate): the client sees a reset socket.
      if (res.headers[DROPPED_HEADER]) throw Object.assign(new Error('socket hang up (the mock dropped the connection)'), { code: 'ECONNRESET' });
      // Hop-by-hop headers belong to the (absent) connection, not to the answer nock replays.
      const headers = Object.fromEntries(Object.entries(res.headers).filter(([name]) => !['connection', 'keep-alive', 'transfer-encoding'].includes(name))) as Record<string, string | string[]>;
      return [res.statusCode, res.rawPayload, headers];
    });
    return interceptor;
  });

  return {
    baseUrl: origin,
    engine,
    clock,
    state(apiKey) {
      const account = engine.sandbox.store.peek(apiKey);
      if (!account) return undefined;
      engine.sandbox.catchUp(account);
      return dumpAccount(account);
    },
    advance(seconds) {
      clock.shift(seconds);
      engine.sandbox.tick();
    },
    reset(apiKey) {
      engine.sandbox.reset(apiKey);
      engine.journal.clear(apiKey);
    },
    received(pattern) {
      return findRequests(engine.journal, pattern);
    },
    async restore() {
      for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
      await engine.close();
    },
  };
}

// routes-in/: the ways into the one mock engine other than a listening socket. This file is the
// in-process route (`casapay-contract-kit/nock`): nock intercepts requests to CasaPay's base URL made
// with global fetch, node:http/https or anything built on them (axios), and hands each one to the
// engine's `app.inject()` — the same pipeline, validation, state, clock, events, webhooks, scenarios
// and faults as `casapay-mock`, with no port opened. It owns the interception and the handle a test
// holds; it may import the engine (server.ts), the admin dump and the journal matcher, and nock
// (through ./peer.ts, which checks its version first).
import type NockType from 'nock';
import { dumpAccount } from '../operator/admin.js';
import { createClock, type Clock } from '../engine/clock.js';
import { DROPPED_HEADER } from '../operator/faults.js';
import { findRequests, type RequestPattern } from '../operator/journal-match.js';
import type { JournalEntry } from '../operator/journal.js';
import { createMockEngine, type MockEngine, type MockServerOptions } from '../server.js';

import { loadPeer, NOCK } from './peer.js';
import type { dumpCasaPay } from '../apis/casapay/dump.js';
import type { dumpDebitura } from '../apis/debitura/state.js';
import { CUSTOMER_PREFIX, partnerAccount, REFERRAL_PREFIX } from '../apis/debitura/module.js';

/** What `state()` shows: the account's dump, CasaPay's collections (every account has them) and Debitura's world when it has one. */
export type MockState = ReturnType<typeof dumpAccount> &
  ReturnType<typeof dumpCasaPay> & { debitura?: ReturnType<typeof dumpDebitura> };

// Loaded after checking its version (./peer.ts): a missing or unsupported nock fails the import
// naming the package and the version to install.
const nock = (await loadPeer<{ default: typeof NockType }>(NOCK)).default;

export { createClock, type Clock } from '../engine/clock.js';
export type { RequestPattern } from '../operator/journal-match.js';
export type { JournalEntry } from '../operator/journal.js';

export interface InterceptOptions extends Omit<MockServerOptions, 'host' | 'port'> {
  /** The base URL your code calls; default https://api.casapay.com. */
  baseUrl?: string;
}

export interface DebituraInterceptOptions extends Omit<MockServerOptions, 'host' | 'port'> {
  /** Where your code calls the Referral-Partner API; default https://referral-api.debitura.com. */
  referralUrl?: string;
  /** Where your code calls the Customer API; default https://customer-api.debitura.com. */
  customerUrl?: string;
}

export interface CasaPayInterceptor {
  /** The intercepted origin, e.g. https://api.casapay.com. */
  baseUrl: string;
  engine: MockEngine;
  clock: Clock;
  /** Everything the mock holds for an API key (what `GET /__admin/state` shows), after running what is due. */
  state(apiKey: string): MockState | undefined;
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
  return intercept([[new URL(base).origin, '']], engineOptions, (key) => key);
}

/**
 * Answers Debitura's two APIs at their real hosts in-process, so code written against
 * referral-api.debitura.com and customer-api.debitura.com runs unchanged (`baseUrl` is the
 * Referral API's origin). The docs' key `YOUR_API_KEY` and token work as on `casapay-mock`.
 * @example
 * const debitura = await interceptDebitura({ seed: 'test' });
 * await fetch('https://referral-api.debitura.com/oauth/token', { method: 'POST', headers: { XApiKey: 'YOUR_API_KEY', 'Content-Type': 'application/json' }, body: '{"externalTenantId":"your-client-id"}' });
 * await debitura.restore();
 */
export async function interceptDebitura(options: DebituraInterceptOptions = {}): Promise<CasaPayInterceptor> {
  const {
    referralUrl = 'https://referral-api.debitura.com',
    customerUrl = 'https://customer-api.debitura.com',
    ...engineOptions
  } = options;
  // state() and reset() take the partner's XApiKey; its account is kept as `debitura:<key>`.
  return intercept(
    [
      [new URL(referralUrl).origin, REFERRAL_PREFIX],
      [new URL(customerUrl).origin, CUSTOMER_PREFIX],
    ],
    engineOptions,
    partnerAccount,
  );
}

/** Intercepts each origin, answering its requests with the engine under the origin's prefix. */
async function intercept(
  routes: Array<[origin: string, prefix: string]>,
  engineOptions: Omit<MockServerOptions, 'host' | 'port'>,
  accountOf: (key: string) => string,
): Promise<CasaPayInterceptor> {
  const clock = engineOptions.clock ?? createClock();
  const engine = await createMockEngine({ logLevel: 'silent', ...engineOptions, clock });
  const interceptors = routes.flatMap(([origin, prefix]) => {
    const scope = nock(origin).persist();
    return METHODS.map((method) => {
      const interceptor = scope.intercept(() => true, method);
      interceptor.reply(async function (
        this: { req: { method: string; headers: Record<string, string | string[]> } },
        uri: string,
        body: unknown,
      ) {
        const payload = requestBytes(body);
        const res = await engine.app.inject({
          method: this.req.method as 'GET',
          url: `${prefix}${uri}`,
          headers: this.req.headers,
          ...(payload ? { payload } : {}),
        });
        // A fault dropped the connection (`Prefer: drop=true`, --drop-rate): the client sees a reset socket.
        if (res.headers[DROPPED_HEADER])
          throw Object.assign(new Error('socket hang up (the mock dropped the connection)'), { code: 'ECONNRESET' });
        // Hop-by-hop headers belong to the (absent) connection, not to the answer nock replays.
        const headers = Object.fromEntries(
          Object.entries(res.headers).filter(
            ([name]) => !['connection', 'keep-alive', 'transfer-encoding'].includes(name),
          ),
        ) as Record<string, string | string[]>;
        return [res.statusCode, res.rawPayload, headers];
      });
      return interceptor;
    });
  });

  return {
    baseUrl: routes[0]![0],
    engine,
    clock,
    state(apiKey) {
      const account = engine.sandbox.store.peek(accountOf(apiKey));
      if (!account) return undefined;
      engine.sandbox.catchUp(account);
      return dumpAccount(engine.modules, account) as MockState;
    },
    advance(seconds) {
      clock.shift(seconds);
      engine.sandbox.tick();
    },
    reset(apiKey) {
      const key = apiKey === undefined ? undefined : accountOf(apiKey);
      engine.sandbox.reset(key);
      engine.journal.clear(key);
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

// /__admin: control and inspect the mock from tests — reset accounts, dump an account's state, read
// the request journal, move the clock. These routes sit outside /v1 and need no API key: the mock is
// a local development and test tool (it listens on 127.0.0.1 unless told otherwise), not a service
// to expose. They never fault (faults.ts) and are not journaled (journal.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from './clock.js';
import { ApiError, errors } from './errors.js';
import type { Journal } from './journal.js';
import { findRequests } from './journal-match.js';
import type { ProviderStates } from './provider-states.js';
import type { Sandbox } from './sandbox.js';
import type { AccountState } from './state/store.js';

export const ADMIN_PREFIX = '/__admin';

export interface AdminDeps {
  sandbox: Sandbox;
  journal: Journal;
  clock: Clock;
  /** Pact provider states (provider-states.ts); without them the route is not registered. */
  providerStates?: ProviderStates;
}

/** The same shape server.ts accepts as an API key. */
const API_KEY = /^sk_(test|live)_[A-Za-z0-9_]{1,200}$/;

type Fields = Record<string, unknown>;

/** The JSON body as an object ({} when absent); anything else is a 400. */
function bodyOf(request: FastifyRequest, allowed: readonly string[]): Fields {
  const body = request.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) throw errors.parameterInvalid(null, 'The request body must be a JSON object.');
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw errors.parameterUnknown(unknown);
  return body as Fields;
}

function accountParam(value: unknown, required: boolean): string | undefined {
  if (value === undefined || value === '') {
    if (required) throw errors.parameterMissing('account', 'Pass the API key whose state you want, e.g. ?account=sk_test_123.');
    return undefined;
  }
  if (typeof value !== 'string' || !API_KEY.test(value)) throw errors.parameterInvalid('account', 'must be an API key such as sk_test_123.');
  return value;
}

function integerParam(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw errors.parameterInvalid(name, `must be a whole number from ${min} to ${max}.`);
  return n;
}

/**
 * Everything the mock holds for one account, as JSON: objects of every collection (file metadata
 * only; webhook endpoints without secrets), agreements and the schedule of tasks due.
 * @example dumpAccount(sandbox.account('sk_test_123')).collection_cases.length // 0
 */
export function dumpAccount(account: AccountState) {
  return {
    object: 'mock_state',
    account: account.key,
    livemode: account.livemode,
    agreements: { ...account.agreements },
    collection_cases: account.cases.values(),
    references: Object.fromEntries(account.references),
    timelines: Object.fromEntries(account.timelines),
    case_files: account.files.values(),
    debt_payments: account.payments.values(),
    guarantee_policies: account.policies.values(),
    guarantees: account.guarantees.values(),
    claims: account.claims.values(),
    events: account.events.values(),
    // Secrets live apart (account.webhookSecrets); drop one here too in case an object ever carries it.
    webhook_endpoints: account.webhookEndpoints.values().map(({ secret: _secret, ...endpoint }: { secret?: unknown } & Record<string, unknown>) => endpoint),
    test_clocks: account.testClocks.values(),
    scheduled_tasks: account.schedule.list().map(({ at, clock, description }) => ({ at, clock, description })),
  };
}

/**
 * Registers the /__admin routes in their own encapsulated context (own error handler, so defects
 * and the /v1 pipeline never touch them). Await it before `listen`.
 * @example
 * await registerAdmin(app, { sandbox, journal, clock });
 * await fetch(`${url}/__admin/reset`, { method: 'POST' }); // { reset: 'all' }
 */
export async function registerAdmin(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { sandbox, journal, clock, providerStates } = deps;

  await app.register(
    async (admin) => {
      admin.addHook('onRequest', (request, reply, done) => {
        reply.header('Request-Id', request.id).header('Cache-Control', 'no-store');
        done();
      });

      admin.setErrorHandler((error: unknown, request, reply) => {
        let apiError: ApiError;
        if (error instanceof ApiError) apiError = error;
        else {
          const { statusCode, message } = error as { statusCode?: number; message?: string };
          if (statusCode && statusCode >= 400 && statusCode < 500) apiError = errors.parameterInvalid(null, message ?? 'The request is invalid.');
          else {
            request.log.error(error);
            apiError = errors.internal();
          }
        }
        return reply.code(apiError.status).send(apiError.toBody());
      });

      admin.get('/health', async () => ({ ok: true }));

      // Body or query: `POST /__admin/reset?account=sk_test_1` and `{"account":"sk_test_1"}` both work.
      admin.post('/reset', async (request) => {
        const body = bodyOf(request, ['account']);
        const query = request.query as Fields;
        const key = accountParam(body.account ?? query.account, false);
        sandbox.reset(key);
        return { reset: key ?? 'all' };
      });

      admin.get('/state', async (request) => {
        const key = accountParam((request.query as Fields).account, true)!;
        // peek, not account(): looking must not create the account.
        const account = sandbox.store.peek(key);
        if (!account) throw errors.notFound('account', key, 'account');
        // Show what the next API call would see: run what the clock has made due.
        sandbox.catchUp(account);
        return dumpAccount(account);
      });

      admin.get('/journal', async (request) => {
        const query = request.query as Fields;
        const account = accountParam(query.account, false);
        const limit = integerParam(query.limit, 'limit', 1, journal.limit);
        return { data: journal.entries({ account, limit }) };
      });

      // WireMock-style verification: the requests matching a pattern, oldest first.
      admin.post('/journal/find', async (request) => {
        const body = bodyOf(request, ['method', 'path', 'body', 'account']);
        for (const field of ['method', 'path'] as const) {
          if (body[field] !== undefined && typeof body[field] !== 'string') throw errors.parameterInvalid(field, 'must be a string.');
        }
        const account = accountParam(body.account, false);
        const pattern = {
          ...(body.method === undefined ? {} : { method: body.method as string }),
          ...(body.path === undefined ? {} : { path: body.path as string }),
          ...(body.body === undefined ? {} : { body: body.body }),
          ...(account === undefined ? {} : { account }),
        };
        return { data: findRequests(journal, pattern) };
      });

      admin.delete('/journal', async (request) => {
        const account = accountParam((request.query as Fields).account, false);
        journal.clear(account);
        return { cleared: account ?? 'all' };
      });

      admin.get('/clock', async () => clock.describe());

      admin.post('/clock', async (request) => {
        const body = bodyOf(request, ['freeze', 'at', 'shift_seconds']);
        const { freeze, at, shift_seconds: shift } = body;
        if (freeze !== undefined && typeof freeze !== 'boolean') throw errors.parameterInvalid('freeze', 'must be true or false.');
        if (at !== undefined && (typeof at !== 'number' || !Number.isInteger(at) || at < 0)) throw errors.parameterInvalid('at', 'must be a Unix time in whole seconds.');
        if (shift !== undefined && (typeof shift !== 'number' || !Number.isFinite(shift))) throw errors.parameterInvalid('shift_seconds', 'must be a number of seconds.');

        if (freeze === true) clock.freeze(at as number | undefined);
        else {
          if (freeze === false) clock.unfreeze();
          if (at !== undefined) clock.shift((at as number) - clock.now());
        }
        if (shift !== undefined) clock.shift(shift as number);
        // Run whatever the new time has made due (claim reviews, expiries) before answering.
        sandbox.tick();
        return clock.describe();
      });

      // Pact verifiers post here before each interaction (providerStatesSetupUrl); the answer's
      // values fill the pact's fromProviderState expressions (a fresh account's key, its ids).
      if (providerStates) admin.post('/provider-states', async (request) => providerStates.change(request.body));
    },
    { prefix: ADMIN_PREFIX },
  );
}

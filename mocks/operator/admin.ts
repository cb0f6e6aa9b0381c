// /__admin: control and inspect the mock from tests — reset accounts, dump an account's state, read
// the request journal, move the clock, list the accounts, read the lifecycle rules, load a scenario.
// These routes sit outside /v1. On loopback they need no key (a local development and test tool);
// on any other address admin-access.ts decides who may call them (admin token, and the account's own
// API key for what belongs to one account). They never fault (faults.ts) and are not journaled (journal.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../engine/clock.js';
import { ApiError, errors } from '../engine/errors.js';
import type { Journal } from './journal.js';
import { findRequests } from './journal-match.js';
import type { ProviderStates } from '../apis/casapay/provider-states.js';
import type { Sandbox } from '../engine/sandbox.js';
import type { AccountState } from '../engine/state/store.js';
import { requireAccountKey, requireAdmin, type AdminAccess } from './admin-access.js';
import { CASE_MOVES, CLAIM_MOVES, GUARANTEE_MOVES, SYSTEM_CLOSE_CODES } from '../apis/casapay/domain/lifecycle.js';
import { maskKey } from './journal.js';
import { dumpDebitura } from '../apis/debitura/state.js';
import type { Scenario } from '../apis/casapay/scenarios/scenarios.js';

export const ADMIN_PREFIX = '/__admin';

export interface AdminDeps {
  sandbox: Sandbox;
  journal: Journal;
  clock: Clock;
  /** Pact provider states (provider-states.ts); without them the route is not registered. */
  providerStates?: ProviderStates;
  /** Who may call what; default open (loopback). */
  access?: AdminAccess;
  /** The scenarios and how to apply one to an account (server.ts: the scenario runner). */
  scenarios?: () => Map<string, Scenario>;
  applyScenario?: (account: AccountState, scenario: Scenario) => void;
}

/** Where a scenario pins ids (`mint:`), loading it twice into one account would clash. */
function pinnedIdsPresent(account: AccountState, scenario: Scenario): string[] {
  const collections = [account.cases, account.policies, account.guarantees, account.claims, account.payments, account.files];
  const pinned = scenario.steps.flatMap((step) => Object.values((step as { mint?: Record<string, unknown> }).mint ?? {})).filter((v): v is string => typeof v === 'string');
  return pinned.filter((id) => collections.some((c) => c.has(id)) || account.references.has(id));
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

/** A Debitura account: `debitura:<XApiKey>` (a referral partner) or `debitura-direct:<XApiKey>` (a direct creditor). */
const DEBITURA_ACCOUNT = /^debitura(?:-direct)?:[A-Za-z0-9_.-]{1,200}$/;

/** The `account` of an admin route: a CasaPay key, or with `debitura` also a Debitura account (state, journal, reset). */
function accountParam(value: unknown, required: boolean, { debitura = false } = {}): string | undefined {
  if (value === undefined || value === '') {
    if (required) throw errors.parameterMissing('account', 'Pass the API key whose state you want, e.g. ?account=sk_test_123 (or debitura:<XApiKey>).');
    return undefined;
  }
  if (typeof value === 'string' && (API_KEY.test(value) || (debitura && DEBITURA_ACCOUNT.test(value)))) return value;
  throw errors.parameterInvalid('account', debitura ? 'must be an API key such as sk_test_123, or debitura:<XApiKey> for a Debitura partner.' : 'must be an API key such as sk_test_123.');
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
    ...(account.debitura ? { debitura: dumpDebitura(account.debitura) } : {}),
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
  const access = deps.access ?? { shared: false };

  await app.register(
    async (admin) => {
      admin.addHook('onRequest', (request, reply, done) => {
        reply.header('Request-Id', request.id).header('Cache-Control', 'no-store');
        // Health stays open (a load balancer's probe; it says nothing about any account).
        if (request.url !== `${ADMIN_PREFIX}/health`) {
          try {
            requireAdmin(request, access);
          } catch (error) {
            return done(error as Error);
          }
        }
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
        const key = accountParam(body.account ?? query.account, false, { debitura: true });
        if (key !== undefined) requireAccountKey(request, access, key);
        sandbox.reset(key);
        return { reset: key ?? 'all' };
      });

      admin.get('/state', async (request) => {
        const key = accountParam((request.query as Fields).account, true, { debitura: true })!;
        requireAccountKey(request, access, key);
        // peek, not account(): looking must not create the account.
        const account = sandbox.store.peek(key);
        if (!account) throw errors.notFound('account', key, 'account');
        // Show what the next API call would see: run what the clock has made due.
        sandbox.catchUp(account);
        return dumpAccount(account);
      });

      admin.get('/journal', async (request) => {
        const query = request.query as Fields;
        // Shared: only one account's requests, with its key (the whole journal shows every team's bodies).
        const account = accountParam(query.account, access.shared, { debitura: true });
        if (account !== undefined) requireAccountKey(request, access, account);
        const limit = integerParam(query.limit, 'limit', 1, journal.limit);
        return { data: journal.entries({ account, limit }) };
      });

      // WireMock-style verification: the requests matching a pattern, oldest first.
      admin.post('/journal/find', async (request) => {
        const body = bodyOf(request, ['method', 'path', 'body', 'account']);
        for (const field of ['method', 'path'] as const) {
          if (body[field] !== undefined && typeof body[field] !== 'string') throw errors.parameterInvalid(field, 'must be a string.');
        }
        // Shared: one account's requests only, with its key — as GET /journal.
        const account = accountParam(body.account, access.shared, { debitura: true });
        if (account !== undefined) requireAccountKey(request, access, account);
        const pattern = {
          ...(body.method === undefined ? {} : { method: body.method as string }),
          ...(body.path === undefined ? {} : { path: body.path as string }),
          ...(body.body === undefined ? {} : { body: body.body }),
          ...(account === undefined ? {} : { account }),
        };
        return { data: findRequests(journal, pattern) };
      });

      admin.delete('/journal', async (request) => {
        const account = accountParam((request.query as Fields).account, false, { debitura: true });
        if (account !== undefined) requireAccountKey(request, access, account);
        journal.clear(account);
        return { cleared: account ?? 'all' };
      });

      // The accounts the mock holds, most recently used last. Full keys on loopback (pick one in the
      // console); masked when shared, where a key is a team's password.
      admin.get('/accounts', async () => ({
        object: 'list',
        data: sandbox.store
          .all()
          // X-Mock-Scenario accounts are reached through that header, not by their key alone.
          .filter((account) => API_KEY.test(account.key))
          .map((account) => ({
            key: access.shared ? null : account.key,
            masked_key: maskKey(account.key),
            livemode: account.livemode,
            collection_cases: account.cases.size,
            events: account.events.size,
            scheduled_tasks: account.schedule.size,
          })),
        max_accounts: sandbox.store.maxAccounts ?? null,
        evicted: sandbox.store.evicted,
      }));

      // The state machines of mocks/apis/casapay/domain/lifecycle.ts, so a client (the console) shows the allowed
      // next moves without restating the rules.
      admin.get('/lifecycle', async () => ({
        object: 'lifecycle',
        collection_case: { moves: CASE_MOVES, system_close_codes: SYSTEM_CLOSE_CODES },
        guarantee: { moves: GUARANTEE_MOVES },
        claim: { moves: CLAIM_MOVES },
      }));

      // Load a scenario through the scenario runner, into the given account or a new one.
      admin.post('/scenarios', async (request, reply) => {
        const body = bodyOf(request, ['scenario', 'account']);
        if (!deps.scenarios || !deps.applyScenario) throw errors.parameterInvalid(null, 'Scenarios are not available on this server.');
        if (body.scenario === undefined || body.scenario === '') throw errors.parameterMissing('scenario');
        const scenarios = deps.scenarios();
        const scenario = typeof body.scenario === 'string' ? scenarios.get(body.scenario) : undefined;
        if (!scenario) throw errors.parameterInvalid('scenario', `no scenario named '${String(body.scenario)}'. Known: ${[...scenarios.keys()].join(', ')}.`);
        let key = accountParam(body.account, false);
        const fresh = key === undefined;
        if (key === undefined) key = `sk_test_${sandbox.ids.secret('console').slice('console_'.length)}`;
        else requireAccountKey(request, access, key);
        const existing = sandbox.store.peek(key);
        if (existing) {
          sandbox.catchUp(existing);
          const clash = pinnedIdsPresent(existing, scenario);
          if (clash.length) throw errors.stateInvalid(`The account already holds ${clash.join(', ')}, which scenario ${scenario.name} creates with fixed ids; load it into a new account.`, 'scenario');
        }
        // account() seeds a new account as any first request would (--scenario, the docs' key), then the scenario is applied on top.
        const account = sandbox.account(key);
        deps.applyScenario(account, scenario);
        return reply.code(201).send({ object: 'scenario_load', scenario: scenario.name, account: key, new_account: fresh && !existing });
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

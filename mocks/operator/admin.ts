// /__admin: control and inspect the mock from tests — reset accounts, dump an account's state, read
// the request journal, move the clock, list the accounts, read the lifecycle rules, load a scenario.
// These routes sit outside /v1. On loopback they need no key (a local development and test tool);
// on any other address admin-access.ts decides who may call them (admin token, and the account's own
// API key for what belongs to one account). They never fault (faults.ts) and are not journaled (journal.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../engine/clock.js';
import { ApiError, errors, type RenderedError } from '../engine/errors.js';
import type { Journal } from './journal.js';
import { findIn } from './journal-match.js';
import type { ProviderStates } from '../apis/casapay/provider-states.js';
import type { Sandbox } from '../engine/sandbox.js';
import type { Account } from '../engine/state/accounts.js';
import type { ApiModule } from '../engine/api-module.js';
import { casapayAccount, type AccountState } from '../apis/casapay/state.js';
import { errors as casapayErrors } from '../apis/casapay/errors.js';
import { requireAccountKey, requireAdmin, type AdminAccess } from './admin-access.js';
import { CASE_MOVES, CLAIM_MOVES, GUARANTEE_MOVES, SYSTEM_CLOSE_CODES } from '../apis/casapay/domain/lifecycle.js';
import { maskKey } from './journal.js';
import type { Scenario } from '../apis/casapay/scenarios/scenarios.js';

export const ADMIN_PREFIX = '/__admin';

export interface AdminDeps {
  sandbox: Sandbox;
  /** The APIs mounted: they name their accounts' keys and dump their state (the first one's accounts are the console's). */
  modules: readonly ApiModule[];
  /** How the admin routes write an error (the mock's main API's shape, without its defects). */
  renderError(error: ApiError): RenderedError;
  journal: Journal;
  clock: Clock;
  /** Pact provider states (provider-states.ts); without them the route is not registered. */
  providerStates?: ProviderStates;
  /** Who may call what; default open (loopback). */
  access?: AdminAccess;
  /** The scenarios and how to apply one to an account (server.ts: the scenario runner). */
  scenarios?: () => Map<string, Scenario>;
  applyScenario?: (account: Account, scenario: Scenario) => void;
}

/** Where a scenario pins ids (`mint:`), loading it twice into one account would clash. */
function pinnedIdsPresent(account: AccountState, scenario: Scenario): string[] {
  const collections = [
    account.cases,
    account.policies,
    account.guarantees,
    account.claims,
    account.payments,
    account.files,
  ];
  const pinned = scenario.steps
    .flatMap((step) => Object.values((step as { mint?: Record<string, unknown> }).mint ?? {}))
    .filter((v): v is string => typeof v === 'string');
  return pinned.filter((id) => collections.some((c) => c.has(id)) || account.references.has(id));
}

type Fields = Record<string, unknown>;

/** The JSON body as an object ({} when absent); anything else is a 400. */
function bodyOf(request: FastifyRequest, allowed: readonly string[]): Fields {
  const body = request.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body))
    throw errors.parameterInvalid(null, 'The request body must be a JSON object.');
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw errors.parameterUnknown(unknown);
  return body as Fields;
}

/**
 * The `account` of an admin route: an account key of any mounted API (`sk_test_…`, `debitura:<XApiKey>`),
 * or with `primaryOnly` one of the first API's (the console's sign-in).
 */
function accountParam(
  modules: readonly ApiModule[],
  value: unknown,
  required: boolean,
  { primaryOnly = false } = {},
): string | undefined {
  const owners = primaryOnly ? modules.slice(0, 1) : modules;
  const examples = owners.map((module) => module.accountKeys.example).join(' or ');
  if (value === undefined || value === '') {
    if (required)
      throw errors.parameterMissing('account', `Pass the account key whose state you want, e.g. ?account=${examples}.`);
    return undefined;
  }
  if (typeof value === 'string' && owners.some((module) => module.accountKeys.test(value))) return value;
  throw errors.parameterInvalid('account', `must be an account key such as ${examples}.`);
}

function integerParam(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw errors.parameterInvalid(name, `must be a whole number from ${min} to ${max}.`);
  return n;
}

/** GET /__admin/state: the account, each API's part, the tasks due. */
export type AccountDump = {
  object: 'mock_state';
  account: string;
  scheduled_tasks: Array<{ at: number; clock: string | null; description: string }>;
} & Record<string, unknown>;

/**
 * Everything the mock holds for one account, as JSON: each API's state of it (CasaPay's collections,
 * Debitura's partner world) and the schedule of tasks due.
 * @example dumpAccount(modules, sandbox.account('sk_test_123')).collection_cases.length // 0
 */
export function dumpAccount(modules: readonly ApiModule[], account: Account): AccountDump {
  return Object.assign(
    { object: 'mock_state', account: account.key },
    ...modules.map((module) => module.dump?.(account) ?? {}),
    { scheduled_tasks: account.schedule.list().map(({ at, clock, description }) => ({ at, clock, description })) },
  );
}

/**
 * Registers the /__admin routes in their own encapsulated context (own error handler, so defects
 * and the /v1 pipeline never touch them). Await it before `listen`.
 * @example
 * await registerAdmin(app, { sandbox, journal, clock });
 * await fetch(`${url}/__admin/reset`, { method: 'POST' }); // { reset: 'all' }
 */
export async function registerAdmin(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { sandbox, journal, clock, providerStates, modules } = deps;
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
          if (statusCode && statusCode >= 400 && statusCode < 500)
            apiError = errors.parameterInvalid(null, message ?? 'The request is invalid.');
          else {
            request.log.error(error);
            apiError = errors.internal();
          }
        }
        const rendered = deps.renderError(apiError);
        return reply.code(rendered.status).send(rendered.body);
      });

      // The store and whether it answers: 503 while a database is unreachable (a load balancer takes the instance out).
      admin.get('/health', async (_request, reply) => {
        const store = await sandbox.persistence.store.health();
        if (!store.reachable) reply.code(503);
        // Changes the store refused are held in memory and retried: the refusal shows until one is written.
        const refused = sandbox.persistence.lastError;
        return { ok: store.reachable, store, ...(refused ? { lastWriteError: refused.message } : {}) };
      });

      // Body or query: `POST /__admin/reset?account=sk_test_1` and `{"account":"sk_test_1"}` both work.
      admin.post('/reset', async (request) => {
        const body = bodyOf(request, ['account']);
        const query = request.query as Fields;
        const key = accountParam(modules, body.account ?? query.account, false);
        if (key !== undefined) requireAccountKey(request, access, modules, key);
        sandbox.reset(key);
        // A durable store deletes the accounts' rows before the answer (503 while it cannot).
        await sandbox.persistence.flush().catch(() => Promise.reject(errors.unavailable()));
        return { reset: key ?? 'all' };
      });

      admin.get('/state', async (request) => {
        const key = accountParam(modules, (request.query as Fields).account, true)!;
        requireAccountKey(request, access, modules, key);
        // visit, not account(): looking must not create the account.
        const dump = await sandbox.visit(key, (account) => {
          if (!account) return undefined;
          // Show what the next API call would see: run what the clock has made due.
          sandbox.catchUp(account);
          return dumpAccount(modules, account);
        });
        if (!dump) throw errors.notFound('account', key, 'account');
        return dump;
      });

      admin.get('/journal', async (request) => {
        const query = request.query as Fields;
        // Shared: only one account's requests, with its key (the whole journal shows every team's bodies).
        const account = accountParam(modules, query.account, access.shared);
        if (account !== undefined) requireAccountKey(request, access, modules, account);
        const limit = integerParam(query.limit, 'limit', 1, journal.limit);
        return { data: await journal.read({ account, limit }) };
      });

      // WireMock-style verification: the requests matching a pattern, oldest first.
      admin.post('/journal/find', async (request) => {
        const body = bodyOf(request, ['method', 'path', 'body', 'account']);
        for (const field of ['method', 'path'] as const) {
          if (body[field] !== undefined && typeof body[field] !== 'string')
            throw errors.parameterInvalid(field, 'must be a string.');
        }
        // Shared: one account's requests only, with its key — as GET /journal.
        const account = accountParam(modules, body.account, access.shared);
        if (account !== undefined) requireAccountKey(request, access, modules, account);
        const pattern = {
          ...(body.method === undefined ? {} : { method: body.method as string }),
          ...(body.path === undefined ? {} : { path: body.path as string }),
          ...(body.body === undefined ? {} : { body: body.body }),
          ...(account === undefined ? {} : { account }),
        };
        return { data: findIn(await journal.read(account === undefined ? {} : { account }), pattern) };
      });

      admin.delete('/journal', async (request) => {
        const account = accountParam(modules, (request.query as Fields).account, false);
        if (account !== undefined) requireAccountKey(request, access, modules, account);
        journal.clear(account);
        await journal.flush();
        return { cleared: account ?? 'all' };
      });

      // The accounts the mock holds, most recently used last. Full keys on loopback (pick one in the
      // console); masked when shared, where a key is a team's password.
      admin.get('/accounts', async () => ({
        object: 'list',
        data: sandbox.store
          .all()
          // X-Mock-Scenario accounts are reached through that header, not by their key alone.
          .filter((account) => modules[0]!.accountKeys.test(account.key))
          .map((account) => ({
            key: access.shared ? null : account.key,
            masked_key: maskKey(account.key),
            ...modules[0]!.summary?.(account),
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
        if (!deps.scenarios || !deps.applyScenario)
          throw errors.parameterInvalid(null, 'Scenarios are not available on this server.');
        if (body.scenario === undefined || body.scenario === '') throw errors.parameterMissing('scenario');
        const scenarios = deps.scenarios();
        const scenario = typeof body.scenario === 'string' ? scenarios.get(body.scenario) : undefined;
        if (!scenario)
          throw errors.parameterInvalid(
            'scenario',
            `no scenario named '${String(body.scenario)}'. Known: ${[...scenarios.keys()].join(', ')}.`,
          );
        let key = accountParam(modules, body.account, false, { primaryOnly: true });
        const fresh = key === undefined;
        if (key === undefined) key = `sk_test_${sandbox.ids.secret('console').slice('console_'.length)}`;
        else requireAccountKey(request, access, modules, key);
        const existing = await sandbox.visit(key, (account) => {
          if (!account) return false;
          sandbox.catchUp(account);
          const clash = pinnedIdsPresent(casapayAccount(account), scenario);
          if (clash.length)
            throw casapayErrors.stateInvalid(
              `The account already holds ${clash.join(', ')}, which scenario ${scenario.name} creates with fixed ids; load it into a new account.`,
              'scenario',
            );
          return true;
        });
        // Opened as any first request would (seeded: --scenario, the docs' key), then the scenario is applied on top.
        await sandbox.using(key, (account) => deps.applyScenario!(account, scenario));
        return reply
          .code(201)
          .send({ object: 'scenario_load', scenario: scenario.name, account: key, new_account: fresh && !existing });
      });

      admin.get('/clock', async () => clock.describe());

      admin.post('/clock', async (request) => {
        const body = bodyOf(request, ['freeze', 'at', 'shift_seconds']);
        const { freeze, at, shift_seconds: shift } = body;
        if (freeze !== undefined && typeof freeze !== 'boolean')
          throw errors.parameterInvalid('freeze', 'must be true or false.');
        if (at !== undefined && (typeof at !== 'number' || !Number.isInteger(at) || at < 0))
          throw errors.parameterInvalid('at', 'must be a Unix time in whole seconds.');
        if (shift !== undefined && (typeof shift !== 'number' || !Number.isFinite(shift)))
          throw errors.parameterInvalid('shift_seconds', 'must be a number of seconds.');

        if (freeze === true) clock.freeze(at as number | undefined);
        else {
          if (freeze === false) clock.unfreeze();
          if (at !== undefined) clock.shift((at as number) - clock.now());
        }
        if (shift !== undefined) clock.shift(shift as number);
        // Run whatever the new time has made due (claim reviews, expiries) before answering.
        sandbox.tick();
        // On a durable store the new time and what it ran are committed before the answer (503 while they cannot be).
        await sandbox.persistence.flush().catch(() => Promise.reject(errors.unavailable()));
        return clock.describe();
      });

      // Pact verifiers post here before each interaction (providerStatesSetupUrl); the answer's
      // values fill the pact's fromProviderState expressions (a fresh account's key, its ids).
      if (providerStates) admin.post('/provider-states', async (request) => providerStates.change(request.body));
    },
    { prefix: ADMIN_PREFIX },
  );
}

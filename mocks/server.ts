// Composition root: the engine (HTTP app, sandbox, pipeline, clock, webhooks), the operator surfaces
// (journal, faults, /__admin, the console, the front door) and a list of API modules — CasaPay's /v1
// and Debitura's two APIs — each mounting its contracts with its own authentication and error shape.
// The one place that names every API: it splits the --defect and --variant flags between them.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import { loadContract, type Contract } from '../kit/contract.js';
import { realNowMs } from '../kit/real-time.js';
import { attachModules, moduleFor, type ApiModule } from './engine/api-module.js';
import { createClock, type Clock } from './engine/clock.js';
import { closeGracefully, createHttpApp, installFallbackAnswers } from './engine/http-app.js';
import { createLineWriter } from './engine/log-writer.js';
import type { CompiledOperation } from './engine/pipeline.js';
import { DEFAULT_SHARED_MAX_EVENTS, Sandbox } from './engine/sandbox.js';
import { SCENARIO_SUFFIX } from './engine/state/accounts.js';
import { DEFAULT_SHARED_MAX_IDEMPOTENCY_KEYS } from './engine/state/idempotency.js';
import { createIdMinter } from './engine/state/ids.js';
import { DEFAULT_SHARED_MAX_OBJECTS } from './engine/state/object-limit.js';
import { checkStartupWebhookUrl, type Resolve } from './engine/webhooks/url-guard.js';
import { createCasaPay, DOCS_API_KEY, type CasaPayModule } from './apis/casapay/module.js';
import { casapayEdges, DEFECTS, parseDefects } from './apis/casapay/defects.js';
import { renderCasaPayError } from './apis/casapay/errors.js';
import { parseVariants, variantHooks, VARIANTS } from './apis/casapay/variants.js';
import { createDebitura, type DebituraModule } from './apis/debitura/module.js';
import { DEBITURA_DEFECTS, parseDebituraDefects } from './apis/debitura/defects.js';
import { DEBITURA_VARIANTS, parseDebituraVariants } from './apis/debitura/variants.js';
import { accessFor, DEFAULT_SHARED_MAX_ACCOUNTS } from './operator/admin-access.js';
import { registerAdmin } from './operator/admin.js';
import { installBrowserGuard } from './operator/browser-guard.js';
import { registerConsole } from './operator/console/route.js';
import { installFaults, stripFaultPreferences, type FaultOptions } from './operator/faults.js';
import { registerFrontDoor } from './operator/front-door.js';
import { installJournal, type Journal } from './operator/journal.js';
import { openStore, type StoreOptions } from './store/open.js';
import { letGo } from './engine/authentication.js';
import type { ClockState } from './engine/clock.js';

export { DOCS_API_KEY };
export { originForm } from './engine/http-app.js';

/** The User-Agent of every webhook the mock sends, whatever the API. */
const WEBHOOK_USER_AGENT = 'CasaPay-Mock/1.0';

export type LogLevel = 'silent' | 'error' | 'info' | 'debug';

export interface MockServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Deterministic ids and references. */
  seed?: string;
  scenario?: string;
  logLevel?: LogLevel;
  /** Log as JSON lines (pino) instead of one readable line per request. */
  logJson?: boolean;
  /** Check every response against the contract; a mismatch becomes a 500 that says why. */
  validateResponses?: boolean;
  /** Allowed browser origin(s) of the API routes; default: any origin. */
  corsOrigin?: string | string[];
  /** Host names besides loopback's that the console and /__admin answer on loopback (a port-forwarding proxy's); default none. */
  allowedHosts?: string[];
  /** Deliver every event of every account here too. */
  webhookUrl?: string;
  webhookSecret?: string;
  /** Webhook retry waits in ms (default 0.5 s, 1 s, 2 s, 4 s, 8 s). */
  webhookRetryDelaysMs?: number[];
  /** Webhook attempts open at once per receiver origin (scheme, host, port; default 4); the rest queue. */
  webhookConcurrency?: number;
  /** How deliveries are signed unless an endpoint chose (`signature_scheme`): `casapay` (default), `standard` or `both`. */
  webhookSigning?: 'casapay' | 'standard' | 'both';
  /** Webhook attempts open at once in total, across every receiver (default 64); the rest queue. */
  webhookMaxOpen?: number;
  /** Deliberate implementation defects, to test conformance suites (see defects.ts and mocks/apis/debitura/defects.ts). */
  defects?: string[];
  /** Benign variants the contract allows, to prove a conformance suite does not fail them (see variants.ts). */
  variants?: string[];
  /** The clock; default real time. */
  clock?: Clock;
  /** A bundled contract document; default generated/casapay.json. */
  contract?: Contract;
  /** Latency and injected failures on /v1 routes (off by default; see faults.ts). */
  faults?: FaultOptions;
  /** How many requests GET /__admin/journal keeps (default 200; 0 turns the journal off). */
  journalLimit?: number;
  /** Budget of the journal's estimated bytes (URL, headers, bodies cut to 64 KB each); default 8 MB, oldest dropped first. */
  journalMaxBytes?: number;
  /** Required to listen on a non-loopback address: the console and /__admin then need it (see admin-access.ts). */
  adminToken?: string;
  /** At most this many accounts, least recently used evicted first (default: unbounded on loopback, 1000 otherwise). */
  maxAccounts?: number;
  /**
   * Stored objects per account, both APIs together (events not counted); a create beyond it answers 400
   * resource_limit_reached. Default: unbounded on loopback, 100,000 when shared or with an admin token.
   */
  maxObjects?: number;
  /** Events kept per account, oldest dropped first with their deliveries. Default: unbounded on loopback, 10,000 when shared or with an admin token. */
  maxEvents?: number;
  /** Idempotency keys kept per account, oldest completed forgotten first. Default: unbounded on loopback, 10,000 when shared or with an admin token. */
  maxIdempotencyKeys?: number;
  /**
   * Refuse webhook URLs into loopback, private, link-local, unique-local, CGNAT and cloud-metadata
   * addresses, at registration (400 naming `url`) and when dialling (mocks/engine/webhooks/url-guard.ts).
   * Default: on when shared (a non-loopback host) or when an admin token is set; `false` lifts it even then.
   */
  blockPrivateWebhooks?: boolean;
  /** How webhook hosts are resolved when blocking; default the system resolver (tests pass their own). */
  webhookResolve?: Resolve;
  /**
   * More APIs to serve beside CasaPay's and Debitura's, each an ApiModule made from the engine's sandbox
   * (mocks/README.md, "Adding an API"; examples/third-api/ is the smallest).
   */
  apis?: ReadonlyArray<(engine: { sandbox: Sandbox; clock: Clock }) => ApiModule>;
  /**
   * Where the sandbox is kept (mocks/store/): in memory by default (nothing survives a restart);
   * `dataDir` an embedded SQLite file there; `databaseUrl` a PostgreSQL database.
   */
  dataDir?: StoreOptions['dataDir'];
  databaseUrl?: StoreOptions['databaseUrl'];
  /** SQLite's sync at commit: `full` (default) survives power loss, `normal` survives the process being killed. */
  durability?: StoreOptions['durability'];
}

/** The mock without a socket: answer requests with `app.inject()` (the nock route) or listen on a port. */
export interface MockEngine {
  app: FastifyInstance;
  sandbox: Sandbox;
  /** The APIs mounted, CasaPay's first (its shape answers what belongs to no API). */
  modules: readonly ApiModule[];
  /** The same modules by name, with what each offers beyond the ApiModule shape (tests, routes in). */
  apis: { casapay: CasaPayModule; debitura: DebituraModule };
  journal: Journal;
  clock: Clock;
  /** Compiles every validator in the background, one operation per turn of the event loop. */
  warmUp(): void;
  /**
   * Stops accepting connections, then closes. With `graceMs` (the CLI's SIGTERM gives 5 s), requests in
   * flight are answered and webhook attempts in flight may finish within that time; whatever is still
   * open then is cut (attempts recorded with error `aborted`). Default 0: cut at once.
   */
  close(options?: CloseOptions): Promise<void>;
}

export interface CloseOptions {
  /** Milliseconds in-flight requests and webhook attempts get to finish; default 0. */
  graceMs?: number;
}

/** How long SIGTERM lets in-flight requests and webhook attempts finish. */
export const SHUTDOWN_GRACE_MS = 5000;

export interface MockServer extends MockEngine {
  url: string;
}

/** The names of one flag (--defect, --variant) split into CasaPay's and Debitura's; an unknown name lists both tables. */
function splitByApi(
  names: readonly string[] = [],
  kind: string,
  casapay: Readonly<Record<string, string>>,
  debitura: Readonly<Record<string, string>>,
): [string[], string[]] {
  const unknown = names.filter((name) => !(name in casapay) && !(name in debitura));
  if (unknown.length)
    throw new Error(
      `Unknown ${kind}(s): ${unknown.join(', ')}. Known: ${[...Object.keys(casapay), ...Object.keys(debitura)].join(', ')}.`,
    );
  return [names.filter((name) => name in casapay), names.filter((name) => name in debitura)];
}

/** A per-account bound: the option, else the shared default when shared, else none; a whole number ≥ 1. */
function perAccountBound(
  name: string,
  given: number | undefined,
  shared: boolean,
  sharedDefault: number,
): number | undefined {
  const bound = given ?? (shared ? sharedDefault : undefined);
  if (bound !== undefined && (!Number.isInteger(bound) || bound < 1))
    throw new Error(`${name} must be a whole number of at least 1, got ${bound}.`);
  return bound;
}

/**
 * Creates the mock and starts listening.
 * @example
 * const mock = await createMockServer({ port: 0, seed: 'demo' });
 * await fetch(`${mock.url}/v1/collection_cases`, { headers: { Authorization: 'Bearer sk_test_123' } });
 * await mock.close();
 */
export async function createMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const engine = await createMockEngine(options);
  const address = await engine.app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 4010 });
  // Start a moment after listening, so the first requests (often a health probe) are not kept waiting.
  setTimeout(() => engine.warmUp(), 250).unref();
  return { ...engine, url: address.replace('[::1]', 'localhost') };
}

/**
 * The same mock, ready but not listening: every request goes through `engine.app.inject()`.
 * @example
 * const engine = await createMockEngine({ seed: 'demo' });
 * (await engine.app.inject({ url: '/v1/collection_cases', headers: { authorization: 'Bearer sk_test_123' } })).statusCode // 200
 */
export async function createMockEngine(options: MockServerOptions = {}): Promise<MockEngine> {
  const host = options.host ?? '127.0.0.1';
  // Before anything else: a shared listen without a token is refused with the reason.
  const access = accessFor(host, options.adminToken);
  const maxAccounts = options.maxAccounts ?? (access.shared ? DEFAULT_SHARED_MAX_ACCOUNTS : undefined);
  if (maxAccounts !== undefined && (!Number.isInteger(maxAccounts) || maxAccounts < 1))
    throw new Error(`max accounts must be a whole number of at least 1, got ${maxAccounts}.`);
  // Per-account bounds: anyone holding a key can reach a shared mock (or one with an admin token); on
  // loopback one developer's tests and benchmarks may hold as much as the machine can.
  const sharedBounds = access.shared || access.token !== undefined;
  const maxObjects = perAccountBound('max objects', options.maxObjects, sharedBounds, DEFAULT_SHARED_MAX_OBJECTS);
  const maxEvents = perAccountBound('max events', options.maxEvents, sharedBounds, DEFAULT_SHARED_MAX_EVENTS);
  const maxIdempotencyKeys = perAccountBound(
    'max idempotency keys',
    options.maxIdempotencyKeys,
    sharedBounds,
    DEFAULT_SHARED_MAX_IDEMPOTENCY_KEYS,
  );
  const contract = options.contract ?? loadContract();
  // One --defect flag for both APIs: Debitura's names go to the Debitura module.
  const [casapayDefectNames, debituraDefectNames] = splitByApi(options.defects, 'defect', DEFECTS, DEBITURA_DEFECTS);
  // CasaPay's defects become edges here, once: the handlers, tasks, renderer, key reading and signer they bend.
  const defectEdges = casapayEdges(parseDefects(casapayDefectNames));
  const clock = options.clock ?? createClock();
  // Variants draw from their own seeded stream, so turning one on does not change the ids a seed mints.
  const variantRandom = createIdMinter(options.seed === undefined ? undefined : `${options.seed}:variants`);
  // One --variant flag for both APIs, as for defects.
  const [casapayVariantNames, debituraVariantNames] = splitByApi(
    options.variants,
    'variant',
    VARIANTS,
    DEBITURA_VARIANTS,
  );
  const variants = variantHooks(parseVariants(casapayVariantNames), { contract, random: variantRandom.fraction });
  // Anyone who can reach a shared mock (or one with an admin token) may register webhooks: none into private networks.
  const blockPrivateWebhooks = options.blockPrivateWebhooks ?? (access.shared || access.token !== undefined);
  if (options.webhookUrl !== undefined)
    await checkStartupWebhookUrl(options.webhookUrl, {
      blocking: blockPrivateWebhooks,
      resolve: options.webhookResolve,
    });
  const store = await openStore({
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    durability: options.durability,
  });
  const sandbox = new Sandbox({
    store,
    contract,
    clock,
    seed: options.seed,
    userAgent: WEBHOOK_USER_AGENT,
    edges: { ids: variants.ids, send: variants.send, signingTime: defectEdges.signingTime },
    retryDelaysMs: options.webhookRetryDelaysMs,
    webhookConcurrency: options.webhookConcurrency,
    webhookMaxOpen: options.webhookMaxOpen,
    maxAccounts,
    maxObjects,
    maxEvents,
    maxIdempotencyKeys,
    blockPrivateWebhooks,
    webhookResolve: options.webhookResolve,
  });
  const casapay = createCasaPay({
    sandbox,
    contract,
    edges: defectEdges,
    variants,
    scenario: options.scenario,
    webhookUrl: options.webhookUrl,
    webhookSecret: options.webhookSecret,
    webhookSigning: options.webhookSigning,
  });
  const debitura = createDebitura({
    sandbox,
    defects: parseDebituraDefects(debituraDefectNames),
    variants: parseDebituraVariants(debituraVariantNames),
    scenario: options.scenario,
  });
  const modules: readonly ApiModule[] = [
    casapay,
    debitura,
    ...(options.apis ?? []).map((make) => make({ sandbox, clock })),
  ];
  // --scenario names a scenario of one of the APIs (mocks/apis/*/scenarios/).
  if (options.scenario && !modules.some((module) => module.scenarioNames().includes(options.scenario!))) {
    throw new Error(
      `Unknown scenario '${options.scenario}'. Known: ${modules.flatMap((module) => module.scenarioNames()).join(', ')}.`,
    );
  }
  attachModules(sandbox, modules);
  // A durable store: the clock's state is sandbox-wide, then every account kept comes back before the first request.
  const persistence = sandbox.persistence;
  persistence.defineGlobal(
    'engine.clock',
    () => clock.state(),
    (state) => clock.restore(state as ClockState),
  );
  const loaded = await persistence.store.load();
  const keptClock = loaded.globals.get('engine.clock') as ClockState | undefined;
  if (keptClock) clock.restore(keptClock);
  await sandbox.load(loaded);
  const clockChanged = () => void persistence.globalChanged('engine.clock')?.catch(() => undefined);
  for (const method of ['freeze', 'unfreeze', 'shift'] as const) {
    const original = clock[method].bind(clock) as (...args: unknown[]) => void;
    if (persistence.durable)
      (clock as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        original(...args);
        clockChanged();
      };
  }
  const renderFor = (url: string) => moduleFor(modules, url).renderError;

  const requestIds = createIdMinter(options.seed === undefined ? undefined : `${options.seed}:requests`);
  const nextRequestId = variants.requestId ? variants.requestId(requestIds) : () => requestIds.id('req');
  const level = options.logLevel ?? 'info';
  // Request lines and pino's JSON lines go through one buffered writer (see log-writer.ts).
  // Its "N log lines dropped" line is a pino line (level warn) when the log is JSON.
  const droppedLine = options.logJson
    ? (count: number) =>
        JSON.stringify({
          level: 40,
          time: realNowMs(),
          msg: `${count} log lines dropped (the log output was not keeping up or failed)`,
        })
    : undefined;
  const logOut = level === 'silent' ? undefined : createLineWriter({ droppedLine });
  const app = await createHttpApp({
    modules,
    nextRequestId,
    logger: options.logJson && logOut ? { level, stream: logOut } : false,
  });
  const shared = sandbox.shared;
  if (shared) {
    // Several instances on one store: the clock another instance moved is read before anything else
    // (a store that does not answer leaves it as it was; the account's lock then answers 503).
    app.addHook('onRequest', async () => {
      await shared.syncGlobals().catch(() => undefined);
    });
    // What a request changed in the accounts it holds is committed before its answer, errors included.
    app.addHook('onSend', async (request) => {
      for (const key of request.heldAccounts ?? []) await shared.commit(key).catch(() => undefined);
      letGo(sandbox, request);
    });
  }
  // Before CORS and the routes, so its hooks cover the preflight route and every admin and console route.
  installBrowserGuard(app, { access, allowedHosts: options.allowedHosts, render: renderCasaPayError });
  await app.register(cors, {
    // An OPTIONS without Origin is not a preflight: answered like one (204), not with the plugin's text/plain 400.
    strictPreflight: false,
    origin: options.corsOrigin ?? '*',
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Prefer', 'X-Mock-Scenario', 'XApiKey'],
    exposedHeaders: ['Request-Id', 'Idempotency-Key', 'Idempotent-Replayed'],
    methods: ['GET', 'POST', 'DELETE'],
    maxAge: 600,
  });

  // Journal first (so refused, failed and dropped requests are recorded), then faults (ahead of
  // authentication: a slow or failing network comes before the API reads the key), then /__admin.
  const journal = installJournal(app, {
    now: () => clock.nowMs(),
    limit: options.journalLimit,
    maxBytes: options.journalMaxBytes,
    // A durable store keeps the journal too; instances sharing one read it from there.
    store: persistence.store.journal,
    shared: shared !== undefined,
  });
  await journal.load();
  // An evicted or reset account's journal entries go with it (an X-Mock-Scenario session files under
  // its base key, which stays).
  sandbox.onAccountGone((key, elsewhere) => {
    if (key.includes(SCENARIO_SUFFIX)) return;
    if (elsewhere) journal.forget(key);
    else journal.clear(key);
  });
  // Faults draw from their own seeded stream, so turning them on does not change the ids a seed mints.
  installFaults(app, {
    faults: options.faults,
    random: createIdMinter(options.seed === undefined ? undefined : `${options.seed}:faults`).fraction,
    prefixes: modules.flatMap((module) => module.prefixes),
    render: (request, error) => renderFor(request.url)(error),
  });
  await registerAdmin(app, {
    sandbox,
    modules,
    renderError: renderCasaPayError,
    journal,
    clock,
    access,
    providerStates: casapay.providerStates,
    scenarios: casapay.scenarios,
    applyScenario: casapay.applyScenario,
  });
  const consolePage = await registerConsole(app, { access });
  await registerFrontDoor(app, {
    contract,
    scenarios: casapay.scenarios,
    docsApiKey: DOCS_API_KEY,
    page: consolePage,
    otherApis: modules.flatMap((module) => module.listings),
  });
  for (const module of modules) module.install?.(app);

  const logUnexpected = (request: FastifyRequest, error: unknown) => {
    request.log.error(error);
    if (level !== 'silent' && !options.logJson) console.error(error);
  };
  // After the operator's routes, so their plugins' own hooks (admin access) run before the Host check.
  installFallbackAnswers(app, modules, logUnexpected);

  if ((level === 'info' || level === 'debug') && !options.logJson) {
    // A callback hook (no promise per request) writing to the buffered writer (no syscall per request).
    app.addHook('onResponse', (request, reply, done) => {
      logOut!.line(
        `${request.method} ${request.url} → ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms ${request.id}`,
      );
      done();
    });
  }

  // Each API mounts its contracts: its authentication, its routes through the engine's pipeline.
  const compiled: CompiledOperation[] = [];
  for (const module of modules) {
    compiled.push(
      ...(await module.mount(app, {
        validateResponses: options.validateResponses ?? false,
        logUnexpected,
        preferForPrism: stripFaultPreferences,
      })),
    );
  }

  // Time passes even when nobody calls: run what the clock has made due once a second.
  const ticker = setInterval(() => sandbox.tick(), 1000);
  ticker.unref();

  await app.ready();
  // Compile the validators in the background, one operation per turn of the event loop, so requests
  // that arrive meanwhile are served in between.
  const warm = (i: number) => {
    if (i >= compiled.length) return;
    void compiled[i]!.validateQuery;
    void compiled[i]!.validateParams;
    void compiled[i]!.validateBody;
    setImmediate(() => warm(i + 1)).unref();
  };
  return {
    app,
    sandbox,
    modules,
    apis: { casapay, debitura },
    journal,
    clock,
    warmUp: () => warm(0),
    async close({ graceMs = 0 }: CloseOptions = {}) {
      clearInterval(ticker);
      // The journal's last entries reach the store before it closes.
      await closeGracefully(app, graceMs, (remainingMs) => journal.flush().then(() => sandbox.close(remainingMs)));
      logOut?.close();
    },
  };
}

// What the bundled mock can be started with (`defects` and `variants` above, `--defect`/`--variant`):
// name → what it does, per API. The suite's tests iterate these instead of reaching into the APIs'
// modules (conformance/imports.test.ts holds it to importing only this file from mocks/).
export { DEFECTS as CASAPAY_DEFECTS, type DefectName as CasaPayDefectName } from './apis/casapay/defects.js';
export { VARIANTS as CASAPAY_VARIANTS, type VariantName as CasaPayVariantName } from './apis/casapay/variants.js';
export { DEBITURA_DEFECTS, type DebituraDefectName } from './apis/debitura/defects.js';
export { DEBITURA_VARIANTS, type DebituraVariantName } from './apis/debitura/variants.js';
// The scenario format's `${…}` substitution, for the proxy's replay of a recorded scenario
// (conformance/proxy/replay.ts) — one meaning of `${step.id}` and `${now+60}` for the mock and the replay.
export { substitute as substituteScenarioValues } from './apis/common/scenario-format.js';
// CasaPay's scenario loader (its format's validator), so the proxy's tests hold a recording to the format.
export { loadScenarios as loadCasaPayScenarios } from './apis/casapay/scenarios/scenarios.js';

// CasaPay's API as one module of the mock (engine/api-module.ts): its contract's routes under /v1,
// authentication by `Authorization: Bearer sk_…`, its error envelope, its handlers with their events
// and test clocks, its scenarios (an X-Mock-Scenario header, --scenario, the docs' key), Pact provider
// states, and its edges — deliberate defects and benign variants, chosen once at start.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Contract } from '../../../kit/contract.js';
import type { ApiModule, MountContext } from '../../engine/api-module.js';
import { ApiError, type RenderedError } from '../../engine/errors.js';
import { sameSecret } from '../../engine/same-secret.js';
import type { Effects as EngineEffects, RequestContext } from '../../engine/handler.js';
import { mountOperations } from '../../engine/mount-operations.js';
import type { Sandbox } from '../../engine/sandbox.js';
import { SCENARIO_SUFFIX, type Account } from '../../engine/state/accounts.js';
import { CASAPAY_API_KEY, errors, renderCasaPayError } from './errors.js';
import { handlers } from './handlers/index.js';
import { handlerTaskRunners } from './handlers/tasks.js';
import { MAX_FILE_BYTES } from './handlers/case-files.js';
import type { Handler, HandlerContext } from './handlers/context.js';
import { casapayContext, casapayEffects } from './effects.js';
import { EventLog, type SignatureScheme } from './event-log.js';
import { CASAPAY_PARTS, casapayAccount, initCasaPayAccount, storedCasaPayObjects, type AccountState } from './state.js';
import { advanceTestClock, testClocks } from './test-clocks.js';
import { dumpCasaPay } from './dump.js';
import { createProviderStates, type ProviderStates } from './provider-states.js';
import {
  applyScenario,
  loadScenarios,
  SCENARIO_STEP,
  scenarioFromHeader,
  scenarioStepRunner,
  type Scenario,
  type ScenarioRuntime,
} from './scenarios/scenarios.js';
import type { CasaPayEdges, Credentials } from './defects.js';
import type { VariantHooks } from './variants.js';
import { authenticationHook } from '../../engine/authentication.js';

/** The API key of CasaPay's documentation: its account holds the objects the quickstarts refer to. */
export const DOCS_API_KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';

/** Operations that store new objects (fireEvent stores an event: events have their own window). */
export const CASAPAY_CREATES: ReadonlySet<string> = new Set([
  'createCollectionCase',
  'uploadCaseFile',
  'createGuaranteePolicy',
  'createGuarantee',
  'createClaim',
  'createWebhookEndpoint',
  'createTestClock',
  'createTestDebtPayment',
]);

/** The API key of `Authorization: Bearer sk_…`; 401 without one or with a malformed one. */
function apiKeyOf(request: Credentials): string {
  const header = request.headers.authorization;
  if (!header) throw errors.apiKeyMissing();
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match || !CASAPAY_API_KEY.test(match[1]!)) throw errors.apiKeyInvalid();
  return match[1]!;
}

export interface CasaPayOptions {
  sandbox: Sandbox;
  contract: Contract;
  /** The edges the run's deliberate defects bend (defects.ts's casapayEdges); none by default. */
  edges?: CasaPayEdges;
  variants: VariantHooks;
  /** The run's --scenario, when it names a CasaPay scenario. */
  scenario?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  webhookSigning?: SignatureScheme;
}

export interface CasaPayModule extends ApiModule {
  contract: Contract;
  events: EventLog;
  providerStates: ProviderStates;
  scenarios(): Map<string, Scenario>;
  applyScenario(account: Account, scenario: Scenario): void;
  /** A handler context for the account outside any request (tests, scenario steps), with `flush()` to deliver what it emitted. */
  contextFor(account: Account): HandlerContext & { flush(): void };
}

export function createCasaPay(options: CasaPayOptions): CasaPayModule {
  const { sandbox, contract, variants } = options;
  const edges = options.edges ?? {};
  sandbox.defineParts(CASAPAY_PARTS);
  const events = new EventLog(sandbox, {
    webhookUrl: options.webhookUrl,
    webhookSecret: options.webhookSecret,
    webhookSigning: options.webhookSigning,
    maxEvents: sandbox.options.maxEvents,
    edges: { variant: variants.mutate, signed: edges.mutateWebhook },
  });
  const withEvents = <F extends EngineEffects>(fx: F) => casapayEffects(fx, events, null);
  const runners = { ...Object.fromEntries(handlerTaskRunners().entries()), ...edges.taskRunners };
  for (const [kind, run] of Object.entries(runners))
    sandbox.tasks.define(kind, (fx, params) => run(withEvents(fx), params));
  // What the defects bend; the variants wrap that for requests (scenario steps run the bent handlers alone).
  const bent = edges.handlers ? edges.handlers(handlers) : handlers;
  const keyOf = edges.authenticate ? edges.authenticate(apiKeyOf) : apiKeyOf;

  // Scenario files are read on first need (a --scenario, an X-Mock-Scenario header, the docs' key).
  let loaded: Map<string, Scenario> | undefined;
  const scenarios = () => (loaded ??= loadScenarios());
  const runtime: ScenarioRuntime = {
    contract,
    handlers: bent,
    effects: (account) => withEvents(sandbox.effects(account)),
    deliveries: (eventId) => sandbox.deliveries(eventId),
    advanceTestClock: (account, clockId, to) => advanceTestClock(sandbox, account, clockId, to),
  };
  const casapayContextFor = (account: Account) => {
    const fx = sandbox.effects(account);
    const request = { id: null, idempotencyKey: null };
    return casapayContext(
      Object.assign(fx, { request, params: {}, query: {}, body: undefined, path: '', contract }),
      events,
      sandbox,
    ) as HandlerContext & { flush(): void };
  };
  sandbox.tasks.define(SCENARIO_STEP, (fx, params) => scenarioStepRunner(runtime)(withEvents(fx), params));
  const apply = (account: Account, scenario: Scenario) => applyScenario(runtime, casapayAccount(account), scenario);
  const providerStates = createProviderStates({ sandbox, scenarios, apply });

  function authenticate(request: FastifyRequest): void {
    let key = keyOf(request);
    // X-Mock-Scenario gives the key a separate account seeded with that scenario (`name:session` for more than one).
    const scenarioHeader = request.headers['x-mock-scenario'];
    if (typeof scenarioHeader === 'string' && scenarioHeader) {
      scenarioFromHeader(scenarios(), scenarioHeader);
      key = `${key}${SCENARIO_SUFFIX}${scenarioHeader.trim()}`;
    }
    request.account = sandbox.account(key);
  }

  const renderError: (error: ApiError) => RenderedError = edges.renderError ?? renderCasaPayError;

  const served = variants.handlers ? variants.handlers(bent) : bent;
  // Each handler gets CasaPay's context (events, delivery logs, test clocks) over the engine's.
  const contextual: Record<string, (ctx: RequestContext) => ReturnType<Handler>> = {};
  for (const [operationId, handler] of Object.entries(served))
    contextual[operationId] = (ctx) => handler(casapayContext(ctx, events, sandbox));

  return {
    name: 'casapay',
    prefixes: ['/v1/'],
    contract,
    events,
    providerStates,
    scenarios,
    applyScenario: apply,
    contextFor: casapayContextFor,
    renderError,
    initAccount: initCasaPayAccount,
    storedObjects: (account) => storedCasaPayObjects(casapayAccount(account)),
    namedClocks: testClocks,
    scenarioNames: () => [...scenarios().keys()],
    accountKeys: { test: (key) => CASAPAY_API_KEY.test(key), example: 'sk_test_123' },
    dump: (account) => dumpCasaPay(casapayAccount(account)),
    summary(account) {
      const { livemode, cases, events } = casapayAccount(account);
      return { livemode, collection_cases: cases.size, events: events.size };
    },
    proveAccount(request, key) {
      const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
      if (match && sameSecret(match[1]!, key)) return undefined;
      return new ApiError(
        401,
        'authentication_error',
        match ? 'api_key_invalid' : 'api_key_missing',
        match
          ? "The Authorization header names another account: on a shared mock an account's admin data needs that account's own API key."
          : "On a shared mock an account's admin data needs that account's own API key: send Authorization: Bearer sk_test_….",
      );
    },
    listings: [],
    install: variants.install,
    seed(account) {
      // CasaPay's accounts are its keys' (`sk_…`, with an X-Mock-Scenario session suffix): it seeds no other API's.
      if (!account.key.startsWith('sk_')) return false;
      if (providerStates.seed(casapayAccount(account))) return true;
      const fromHeader = account.key.includes(SCENARIO_SUFFIX)
        ? account.key.split(SCENARIO_SUFFIX)[1]!.split(':')[0]!
        : undefined;
      const name =
        fromHeader ??
        (account.key === DOCS_API_KEY
          ? 'quickstart'
          : options.scenario && scenarios().has(options.scenario)
            ? options.scenario
            : undefined);
      if (name) apply(account, scenarios().get(name)!);
      return name !== undefined;
    },
    async mount(app: FastifyInstance, context: MountContext) {
      // Authenticate before the body is read: a 25 MB upload without a key is refused at once.
      // Decided on the route the router chose (the URL only when none matched, so /v1/nope without a key is 401).
      app.addHook(
        'onRequest',
        authenticationHook(sandbox, authenticate, {
          skip: (request) =>
            request.method === 'OPTIONS' || !(request.routeOptions.url ?? request.url).startsWith('/v1/'),
        }),
      );
      return mountOperations(app, {
        sandbox,
        contract,
        handlers: contextual,
        renderError,
        responses: edges.responses,
        validateResponses: context.validateResponses,
        creates: CASAPAY_CREATES,
        fileLimitBytes: edges.fileLimitBytes ?? MAX_FILE_BYTES,
        idempotency: edges.honourIdempotency ?? true,
        preferForPrism: context.preferForPrism,
        missingHints: { 'debtor[country]': "Give the debtor's country as debtor.country or debtor.address.country." },
      });
    },
  };
}

export type { AccountState };

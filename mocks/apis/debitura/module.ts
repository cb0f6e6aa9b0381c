// Debitura's two APIs as one module of the mock (engine/api-module.ts), each an encapsulated plugin
// under its prefix with its own authentication and error rendering, and the engine's pipeline for
// every operation:
//   /debitura/referral  XApiKey (the referral partner's key; each key is its own account)
//   /debitura/customer  Authorization: Bearer <token minted by /debitura/referral/oauth/token>,
//                       or XApiKey for a direct creditor (an account of its own with one client)
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { loadBundledContract, type Contract } from '../../../kit/contract.js';
import type { ApiListing, ApiModule, MountContext } from '../../engine/api-module.js';
import { ApiError, errors } from '../../engine/errors.js';
import type { CompiledOperation } from '../../engine/pipeline.js';
import { sameSecret } from '../../engine/same-secret.js';
import { mountOperations, sendError, toApiError } from '../../engine/mount-operations.js';
import type { Sandbox } from '../../engine/sandbox.js';
import { SCENARIO_SUFFIX, type Account } from '../../engine/state/accounts.js';
import { ok } from '../../engine/handler.js';
import { completeVerification, signContracts, SIGNING_TASK, VERIFICATION_TASK, type DebituraRuntime } from './cases.js';
import { customerHandlers } from './customer-handlers.js';
import { referralHandlers } from './referral-handlers.js';
import { debituraErrors, renderDebituraError } from './errors.js';
import {
  caseCheckFor,
  customerAuthenticationFor,
  deliveryDefectFor,
  payloadDefectFor,
  responseDefectsFor,
  signerFor,
  wrapHandlers,
  type DebituraDefects,
} from './defects.js';
import { referralAuthFor, referralTokenLifetime, wrapReferralHandlers } from './defects-referral.js';
import {
  errorRendererFor,
  eventIdsFor,
  handlerVariantsFor,
  payloadVariantFor,
  responseVariantsFor,
  type DebituraVariants,
} from './variants.js';
import {
  addClient,
  applyDebituraScenario,
  DEBITURA_SCENARIO_STEP,
  debituraScenarioStepRunner,
  DOCS_PARTNER_KEY,
  DOCS_TENANT,
  loadDebituraScenarios,
  seedDocsDirect,
  seedDocsPartner,
  type DebituraScenario,
  type DebituraScenarioRuntime,
} from './scenarios.js';
import { DOCS_TOKEN, TOKEN_LIFETIME_SECONDS, TokenRegistry, type TokenGrant } from './tokens.js';
import {
  clientByTenant,
  DEBITURA_PARTS,
  debituraAccount,
  dumpDebitura,
  worldOf,
  type DebituraWorld,
  type WebhookEvent,
} from './state.js';
import { subscriptionTarget } from './webhooks.js';
import { authenticationHook } from '../../engine/authentication.js';

/** The largest file an upload may carry (the published contract names no limit: the mock's 25 MB, as CasaPay's). */
const MAX_FILE_BYTES = 25 * 1024 * 1024;

/** A defect's payload (when chosen) goes out through the variants like any other. */
const withPayloadDefect =
  (defect: ((p: WebhookEvent) => WebhookEvent) | undefined, varied: (p: WebhookEvent) => WebhookEvent) =>
  (payload: WebhookEvent): WebhookEvent =>
    varied(defect ? defect(payload) : payload);

/** Operations of the Customer and Referral APIs that store new objects. */
export const DEBITURA_CREATES: ReadonlySet<string> = new Set([
  'createCase',
  'uploadCaseFile',
  'createWebhook',
  'createClient',
  'uploadPartnerCaseFile',
  'createPartnerWebhook',
]);

const storedObjects = (world: DebituraWorld | undefined): number =>
  world ? world.clients.size + world.cases.size + world.payments.size + world.subscriptions.size + world.fileCount : 0;

export const DEBITURA_PREFIX = '/debitura/';
export const REFERRAL_PREFIX = '/debitura/referral';
export const CUSTOMER_PREFIX = '/debitura/customer';

const PARTNER_ACCOUNT = 'debitura:';
/** The account of a referral partner's XApiKey (the admin routes and `interceptDebitura().state()` name it so). */
export const partnerAccount = (key: string) => `${PARTNER_ACCOUNT}${key}`;
const DIRECT_ACCOUNT = 'debitura-direct:';
const KEY = /^[A-Za-z0-9_.-]{1,200}$/;
/** A Debitura account's admin name: `debitura:<XApiKey>` (a referral partner) or `debitura-direct:<XApiKey>` (a direct creditor). */
const ACCOUNT_NAME = /^debitura(?:-direct)?:([A-Za-z0-9_.-]{1,200})$/;

/** True for the accounts of Debitura's APIs (their keys never collide with CasaPay's `sk_…`). */
export const isDebituraAccount = (key: string) => key.startsWith(PARTNER_ACCOUNT) || key.startsWith(DIRECT_ACCOUNT);

export interface DebituraOptions {
  sandbox: Sandbox;
  defects: DebituraDefects;
  variants: DebituraVariants;
  /** The run's --scenario, when it names a Debitura scenario. */
  scenario?: string;
}

export interface DebituraModule extends ApiModule {
  tokens: TokenRegistry;
  /** Debitura's scenarios (mocks/apis/debitura/scenarios/), by name. */
  scenarios(): Map<string, DebituraScenario>;
}

export function createDebitura({ sandbox, defects, variants, scenario: runScenario }: DebituraOptions): DebituraModule {
  sandbox.defineParts(DEBITURA_PARTS);
  const contracts = {
    referral: loadBundledContract('debitura-referral.json'),
    customer: loadBundledContract('debitura-customer.json'),
  };
  const rt: DebituraRuntime = {
    dispatcher: sandbox.dispatcher,
    sign: signerFor(defects),
    eventId: eventIdsFor(variants),
    outgoing: withPayloadDefect(payloadDefectFor(defects), payloadVariantFor(variants, contracts.customer)),
    mutateDelivery: deliveryDefectFor(defects),
    checkCase: caseCheckFor(defects),
    send: sandbox.webhookGuard.send,
    maxEvents: sandbox.options.maxEvents,
    userAgent: sandbox.options.userAgent,
  };
  const render = errorRendererFor(variants, renderDebituraError);
  const docsAccount = `${PARTNER_ACCOUNT}${DOCS_PARTNER_KEY}`;
  const tokens = new TokenRegistry(
    sandbox.ids,
    { accountKey: docsAccount, externalTenantId: DOCS_TENANT },
    referralTokenLifetime(
      defects,
      defects.has('debitura-token-never-expires') ? () => 10 * 365 * 86_400 : () => TOKEN_LIFETIME_SECONDS,
    ),
  );
  // An evicted or reset account's tokens go with it.
  sandbox.onAccountGone((key) => tokens.forget(key));
  // On a durable store an account keeps its tokens: a token minted before a restart still works after it.
  tokens.onChange = (key, token) => sandbox.store.peek(key)?.changes?.mark('debitura.tokens', token);
  // After a restart on a durable store, a pending delivery goes on to its subscription, signed as before.
  sandbox.onResumeDelivery('debitura', (account, record, subscriptionId) => {
    const stored = subscriptionId === null ? undefined : worldOf(account).subscriptions.get(subscriptionId);
    const type = (record.event as { event?: string }).event ?? '';
    return stored && subscriptionTarget(stored, type, rt.sign, rt.mutateDelivery);
  });
  sandbox.defineParts([
    {
      name: 'debitura.tokens',
      read: (account, token) => tokens.grantOf(account.key, token),
      entries: (account) => tokens.tokensOf(account.key).map((token) => [token, tokens.grantOf(account.key, token)]),
      restore: (_account, token, grant) => tokens.restore(token, grant as TokenGrant),
    },
  ]);
  const deps = { sandbox, tokens };

  sandbox.tasks.define(VERIFICATION_TASK, (fx, { caseId }) => completeVerification(rt, fx, caseId));
  // A client by id (the API's own signing) or by tenant id (a scenario's `sign:` step, scheduled before the client may exist).
  sandbox.tasks.define(SIGNING_TASK, (fx, { clientId, externalTenantId }) => {
    const world = worldOf(fx.account);
    const client = clientId !== undefined ? world.clients.get(clientId) : clientByTenant(world, externalTenantId);
    if (client) signContracts(rt, fx, world, client);
  });

  // Scenario files are read on first need (a --scenario, an X-Mock-Scenario header, `casapay-mock scenarios`).
  let loaded: Map<string, DebituraScenario> | undefined;
  const scenarios = () => (loaded ??= loadDebituraScenarios());

  /** The partner's account for a request (X-Mock-Scenario gives it a separate, seeded one; an unknown name is a 400). */
  const accountFor = (request: FastifyRequest, prefix: string, key: string): Account => {
    const header = request.headers['x-mock-scenario'];
    if (typeof header !== 'string' || !header.trim()) return sandbox.account(`${prefix}${key}`);
    const name = header.split(':')[0]!.trim();
    if (!scenarios().has(name))
      throw errors.parameterInvalid(
        'X-Mock-Scenario',
        `no Debitura scenario named '${name}'. Known: ${[...scenarios().keys()].join(', ')}.`,
      );
    return sandbox.account(`${prefix}${key}${SCENARIO_SUFFIX}${header.trim()}`);
  };
  const apiKeyOf = (request: FastifyRequest): string | undefined => {
    const key = request.headers.xapikey;
    if (key === undefined) return undefined;
    if (typeof key !== 'string' || !KEY.test(key)) throw debituraErrors.apiKeyInvalid();
    return key;
  };

  const authenticateReferral = (request: FastifyRequest) => {
    const key = apiKeyOf(request);
    if (key === undefined) throw debituraErrors.apiKeyMissing();
    request.account = accountFor(request, PARTNER_ACCOUNT, key);
    request.caller = { via: 'api_key' };
  };

  const authenticateCustomerCaller = (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw debituraErrors.tokenInvalid();
      const now = sandbox.clock.now();
      // The docs' token works before any mint: opening the docs' account registers it.
      if (match[1] === DOCS_TOKEN) sandbox.account(docsAccount);
      const checked = tokens.check(match[1]!, now);
      if (!checked) throw debituraErrors.tokenInvalid();
      if ('expiredAt' in checked) throw debituraErrors.tokenExpired(checked.expiredAt);
      const account = sandbox.store.peek(checked.grant.accountKey);
      if (!account || !debituraAccount(account).debitura?.clients.has(checked.grant.clientId))
        throw debituraErrors.tokenInvalid();
      request.account = sandbox.account(checked.grant.accountKey);
      request.caller = { via: 'bearer', clientId: checked.grant.clientId };
      return;
    }
    const key = apiKeyOf(request);
    if (key === undefined) throw debituraErrors.credentialsMissing();
    const account = accountFor(request, DIRECT_ACCOUNT, key);
    const world = worldOf(account);
    world.directClientId ??= addClient(deps, account, {
      externalTenantId: `direct-${key}`.slice(0, 100),
      name: 'Direct Creditor ApS',
      country: 'DK',
    }).id;
    request.account = account;
    request.caller = { via: 'api_key', clientId: world.directClientId };
  };

  const authenticateCustomer = customerAuthenticationFor(defects, authenticateCustomerCaller);

  const referral = wrapReferralHandlers(defects, handlerVariantsFor(variants, referralHandlers(rt, tokens)), tokens);
  const served = {
    referral: wrapHandlers(defects, referral, (ctx) =>
      ok(
        tokens.mint(
          ctx.account.key,
          addClient(deps, ctx.account, {
            externalTenantId: `${ctx.body.externalTenantId}`,
            name: 'Unlinked',
            country: 'DE',
            linkStatus: 'Withdrawn',
          }),
          ctx.now(),
        ),
      ),
    ),
    customer: wrapHandlers(defects, handlerVariantsFor(variants, customerHandlers(rt)), referral.mintToken!),
  };
  // On the way out: the run's defects, then its variants (which read the API's contract).
  const defected = responseDefectsFor(defects);
  const responseDefectsOf = (contract: Contract) => {
    const varied = responseVariantsFor(variants, contract);
    if (!defected && !varied) return undefined;
    return (operationId: string, status: number, body: unknown): [number, unknown] => {
      const [s, b] = defected ? defected(operationId, status, body) : [status, body];
      return [s, varied ? varied(operationId, s, b) : b];
    };
  };
  /** What the front door lists. */
  const apis: ApiListing[] = [
    {
      name: "Debitura's Referral-Partner API",
      prefix: REFERRAL_PREFIX,
      auth: "XApiKey: <partner key> (the docs' YOUR_API_KEY is seeded)",
      contract: contracts.referral,
      try: `curl -X POST {base}/oauth/token -H "XApiKey: ${DOCS_PARTNER_KEY}" -H "Content-Type: application/json" -d '{"externalTenantId": "${DOCS_TENANT}"}'`,
    },
    {
      name: "Debitura's Customer API",
      prefix: CUSTOMER_PREFIX,
      auth: 'Authorization: Bearer <accessToken from the Referral API> (or XApiKey as a direct creditor)',
      contract: contracts.customer,
      try: `curl {base}/cases -H "Authorization: Bearer ${DOCS_TOKEN}"`,
    },
  ];
  const scenarioRuntime: DebituraScenarioRuntime = { ...deps, contracts, handlers: served };
  sandbox.tasks.define(DEBITURA_SCENARIO_STEP, debituraScenarioStepRunner(scenarioRuntime));

  async function mount(app: FastifyInstance, options: MountContext): Promise<CompiledOperation[]> {
    const compiled: CompiledOperation[] = [];
    const api = (
      prefix: string,
      contract: Contract,
      handlers: typeof served.referral,
      authenticate: (request: FastifyRequest) => void,
    ) =>
      app.register(
        async (scope) => {
          scope.setErrorHandler((error, request, reply) =>
            sendError(reply, request, toApiError(error, request, options.logUnexpected), render),
          );
          scope.setNotFoundHandler((request, reply) =>
            sendError(reply, request, errors.routeNotFound(request.method, request.url.split('?')[0]!), render),
          );
          // Authenticate before the body is read, as for CasaPay.
          scope.addHook(
            'onRequest',
            authenticationHook(
              sandbox,
              (request) => {
                if (
                  defects.has('debitura-json-patch-refused') &&
                  /^application\/json-patch\+json/i.test(request.headers['content-type'] ?? '')
                ) {
                  throw errors.contentType(request.headers['content-type']!, ['application/json']);
                }
                authenticate(request);
              },
              {
                skip: (request) => request.method === 'OPTIONS' || request.is404,
                // A token minted on another instance of a shared store: its account holds it as a row.
                credentialRow: (request) => {
                  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
                  return token === undefined ? undefined : { part: 'debitura.tokens', key: token };
                },
              },
            ),
          );
          compiled.push(
            ...mountOperations(scope, {
              sandbox,
              contract,
              handlers,
              renderError: render,
              responses: responseDefectsOf(contract),
              validateResponses: options.validateResponses,
              creates: DEBITURA_CREATES,
              fileLimitBytes: MAX_FILE_BYTES,
              preferForPrism: options.preferForPrism,
            }),
          );
        },
        { prefix },
      );
    await api(REFERRAL_PREFIX, contracts.referral, served.referral, referralAuthFor(defects, authenticateReferral));
    await api(CUSTOMER_PREFIX, contracts.customer, served.customer, authenticateCustomer);
    return compiled;
  }

  return {
    name: 'debitura',
    prefixes: [DEBITURA_PREFIX],
    renderError: render,
    tokens,
    listings: apis,
    mount,
    scenarios,
    scenarioNames: () => [...scenarios().keys()],
    storedObjects: (account) => storedObjects(debituraAccount(account).debitura),
    accountKeys: { test: (key) => ACCOUNT_NAME.test(key), example: 'debitura:<XApiKey>' },
    proveAccount(request, key) {
      // A Debitura account is proven by its XApiKey header.
      const given = request.headers.xapikey;
      if (typeof given === 'string' && sameSecret(given, ACCOUNT_NAME.exec(key)![1]!)) return undefined;
      return new ApiError(
        401,
        'authentication_error',
        given ? 'api_key_invalid' : 'api_key_missing',
        "On a shared mock a Debitura account's admin data needs that account's own key: send XApiKey: <key>.",
      );
    },
    dump: (account) => {
      const world = debituraAccount(account).debitura;
      return world ? { debitura: dumpDebitura(world) } : undefined;
    },
    /**
     * Seeds a new Debitura account; false for other accounts (CasaPay's seeding goes on). A partner's
     * account gets its X-Mock-Scenario, or the run's --scenario when that names a Debitura scenario
     * (the docs' partner too, after its docs seed); a direct creditor's account gets none.
     */
    seed(account: Account): boolean {
      if (!isDebituraAccount(account.key)) return false;
      seedDocsPartner(deps, account, docsAccount);
      seedDocsDirect(deps, account, `${DIRECT_ACCOUNT}${DOCS_PARTNER_KEY}`);
      if (!account.key.startsWith(PARTNER_ACCOUNT)) return true;
      const fromHeader = account.key.includes(SCENARIO_SUFFIX)
        ? account.key.split(SCENARIO_SUFFIX)[1]!.split(':')[0]!
        : undefined;
      const name = fromHeader ?? (runScenario && scenarios().has(runScenario) ? runScenario : undefined);
      if (name) applyDebituraScenario(scenarioRuntime, account, scenarios().get(name)!, SIGNING_TASK);
      return true;
    },
  };
}

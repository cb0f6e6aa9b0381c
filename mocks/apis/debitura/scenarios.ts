// How a Debitura account starts: the docs' partner (XApiKey `YOUR_API_KEY`) has the docs' client
// `your-client-id`, linked and signed, so the docs page's requests work verbatim; other partners
// start empty unless a scenario (--scenario or X-Mock-Scenario, format below) seeds them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Contract } from '../../../kit/contract.js';
import type { Effects, Handler, RequestContext as HandlerContext } from '../../engine/handler.js';
import type { Sandbox } from '../../engine/sandbox.js';
import {
  appliedStep,
  checkStepBody,
  judgeStep,
  pathParams,
  readScenarioFiles,
  scenarioValidator,
  sourceDir,
  stepOffsets,
  substitute,
  type ScenarioBase,
  type ScenarioStepBase,
} from '../common/scenario-format.js';
import type { AccountState } from './state.js';
import { isoTime } from './rules.js';
import { seedDocsDirectStories, seedDocsPartnerStories } from './docs-seed.js';
import { renderDebituraError } from './errors.js';
import { clientByTenant, worldOf, type DebituraClient } from './state.js';
import type { TokenRegistry } from './tokens.js';

/** The docs page's key and client. */
export const DOCS_PARTNER_KEY = 'YOUR_API_KEY';
export const DOCS_TENANT = 'your-client-id';

export interface SeedDeps {
  sandbox: Sandbox;
  tokens: TokenRegistry;
}

/** Adds a client to a partner's account, as POST /clients would have (used by seeds and scenarios). */
export function addClient(
  deps: SeedDeps,
  account: AccountState,
  fields: Partial<DebituraClient> & Pick<DebituraClient, 'externalTenantId' | 'name' | 'country'>,
): DebituraClient {
  const world = worldOf(account);
  const client: DebituraClient = {
    id: deps.sandbox.ids.uuid(),
    registrationNumber: null,
    supportEmail: `support@${fields.externalTenantId.replace(/[^a-z0-9-]/gi, '').toLowerCase() || 'client'}.example`,
    users: [
      {
        email: `admin@${fields.externalTenantId.replace(/[^a-z0-9-]/gi, '').toLowerCase() || 'client'}.example`,
        name: 'Onboarding User',
        isOnboardingUser: true,
      },
    ],
    linkStatus: 'Active',
    contracts: { debtCollectionAgreement: 'Signed', powerOfAttorney: 'Signed' },
    kyc: null,
    dateCreated: isoTime(deps.sandbox.clock.now()),
    ...fields,
  };
  world.clients.set(client.id, client);
  world.byTenant.set(client.externalTenantId, client.id);
  return client;
}

/** Seeds the docs' partner; true when the account was the docs' one. */
export function seedDocsPartner(deps: SeedDeps, account: AccountState, accountKey: string): boolean {
  if (account.key !== accountKey) return false;
  const client = addClient(deps, account, {
    externalTenantId: DOCS_TENANT,
    name: 'Your Client GmbH',
    country: 'DE',
    supportEmail: 'support@your-client.example',
  });
  deps.tokens.seedDocs(client.id, deps.sandbox.clock.now());
  seedDocsPartnerStories(account, deps.sandbox.clock.now(), client, (fields) => addClient(deps, account, fields));
  return true;
}

/** Seeds the docs' direct creditor (XApiKey `YOUR_API_KEY` on the Customer API); true when the account was its. */
export function seedDocsDirect(deps: SeedDeps, account: AccountState, accountKey: string): boolean {
  if (account.key !== accountKey) return false;
  seedDocsDirectStories(
    account,
    deps.sandbox.clock.now(),
    (fields) => addClient(deps, account, fields),
    DOCS_PARTNER_KEY,
  );
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Debitura scenarios: YAML files in mocks/apis/debitura/scenarios/, the same envelope and loader as
// CasaPay's (mocks/apis/common/scenario-format.ts): a scenario seeds a partner's account and scripts timed steps, each step an
// operation of Debitura's contracts run by the handler a request would reach, its body validated
// against the contract. Listed by `casapay-mock scenarios`, chosen with `--scenario NAME` (every new
// partner account, the docs' one included, starts with it) or per request with `X-Mock-Scenario:
// name[:session]` on Referral-API requests (and Customer-API requests with XApiKey), which gives the
// key a separate account. Where the format differs from CasaPay's:
//
//   name: debitura-unsigned-contract
//   api: debitura                  # required: marks a Debitura scenario
//   description: One line, shown by `casapay-mock scenarios`.
//   unsupported_countries: [JP]    # optional: jurisdictions without a partner, as CasaPay's
//   clients:                       # clients the partner has (instead of CasaPay's `agreements`)
//     - externalTenantId: unsigned-client
//       name: Unsigned Client GmbH
//       country: DE
//       linkStatus: Active         # Active (default) | Archived | Withdrawn
//       contracts: Pending         # Signed (default) | Pending: the SDCA and the PoA
//   steps:                         # paths carry the API's prefix; no test clocks (Debitura has none)
//     - request: POST /debitura/referral/clients
//       as: onboarding             # ${onboarding.clientId} in later steps
//       expect: 201
//       body: { … }
//     - request: POST /debitura/customer/cases
//       client: unsigned-client    # Customer-API steps act for a client, as its minted token would
//       body: { … }
//     - after: 15m                 # on the mock's clock, after the previous step
//       sign: unsigned-client      # the client signs its contracts (SIGNING_TASK); its cases move on
//   send:                          # what to send to see it: run verbatim over HTTP by scenarios.test.ts
//     - request: POST /debitura/customer/cases
//       client: unsigned-client    # with a token minted for this client (POST /oauth/token)
//       body: { … }
//       expect: 422
// ---------------------------------------------------------------------------------------------------

type Api = 'referral' | 'customer';

export interface DebituraScenarioStep extends ScenarioStepBase {
  client?: string;
  sign?: string;
}

export interface DebituraScenarioRequest {
  request: string;
  client?: string;
  body?: unknown;
  expect: number;
}

export interface DebituraScenarioClient {
  externalTenantId: string;
  name: string;
  country: string;
  linkStatus?: DebituraClient['linkStatus'];
  contracts?: 'Signed' | 'Pending';
}

export interface DebituraScenario extends ScenarioBase {
  api: 'debitura';
  clients?: DebituraScenarioClient[];
  steps?: DebituraScenarioStep[];
  send?: DebituraScenarioRequest[];
}

const REQUEST = '^(GET|POST|DELETE) /debitura/(referral|customer)/';

/** Debitura's scenario files: the shared envelope, `api: debitura`, clients, `send` requests, and `sign` steps. */
const formatValidator = scenarioValidator({
  namePattern: '^debitura-[a-z0-9-]+$',
  requestPattern: REQUEST,
  required: ['api'],
  properties: {
    api: { const: 'debitura' },
    clients: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['externalTenantId', 'name', 'country'],
        properties: {
          externalTenantId: { type: 'string', minLength: 1, maxLength: 100 },
          name: { type: 'string', minLength: 1 },
          country: { type: 'string', pattern: '^[A-Z]{2}$' },
          linkStatus: { enum: ['Active', 'Archived', 'Withdrawn'] },
          contracts: { enum: ['Signed', 'Pending'] },
        },
      },
    },
    send: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['request', 'expect'],
        properties: {
          request: { type: 'string', pattern: REQUEST },
          client: { type: 'string' },
          body: {},
          expect: { type: 'integer', minimum: 200, maximum: 599 },
        },
      },
    },
  },
  stepProperties: { client: { type: 'string' }, sign: { type: 'string' } },
  stepKinds: ['request', 'sign'],
});

/** mocks/apis/debitura/scenarios/ (also when running from dist/, which has no YAML). */
export const DEBITURA_SCENARIO_DIR = path.join(sourceDir(path.dirname(fileURLToPath(import.meta.url))), 'scenarios');

/** Reads every Debitura scenario file (`debitura-*.yaml`), checking its format. */
export function loadDebituraScenarios(dir = DEBITURA_SCENARIO_DIR): Map<string, DebituraScenario> {
  return readScenarioFiles<DebituraScenario>(dir, formatValidator);
}

/** `POST /debitura/customer/cases` → the API, the method and the path within it. */
export function splitRequest(request: string): { api: Api; method: string; path: string } {
  const [method, full] = request.split(' ') as [string, string];
  const match = /^\/debitura\/(referral|customer)(\/.*)$/.exec(full);
  if (!match) throw new Error(`${request}: not a Debitura path`);
  return { api: match[1] as Api, method, path: match[2]! };
}

/** The task kind of a Debitura scenario's later request steps (`sign` steps are SIGNING_TASK). */
export const DEBITURA_SCENARIO_STEP = 'debitura.scenario_step';

export interface DebituraScenarioRuntime extends SeedDeps {
  contracts: Record<Api, Contract>;
  handlers: Record<Api, Readonly<Record<string, Handler>>>;
}

/**
 * Seeds a partner's account from a Debitura scenario: its clients, its immediate steps now, the later
 * ones on the mock's clock (SIGNING_TASK for `sign`, DEBITURA_SCENARIO_STEP for requests).
 */
export function applyDebituraScenario(
  runtime: DebituraScenarioRuntime,
  account: AccountState,
  scenario: DebituraScenario,
  signingTask: string,
): void {
  for (const c of scenario.unsupported_countries ?? []) worldOf(account).unsupportedCountries.add(c);
  for (const c of scenario.clients ?? []) {
    const contracts = c.contracts ?? 'Signed';
    addClient(runtime, account, {
      externalTenantId: c.externalTenantId,
      name: c.name,
      country: c.country,
      linkStatus: c.linkStatus ?? 'Active',
      contracts: { debtCollectionAgreement: contracts, powerOfAttorney: contracts },
    });
  }
  const fx = runtime.sandbox.effects(account);
  const vars: Record<string, unknown> = { now: fx.now() };
  account.scenarios.set(scenario.name, { scenario: { ...scenario, steps: scenario.steps ?? [] }, vars });
  const start = fx.now();
  const steps = scenario.steps ?? [];
  const offsets = stepOffsets(steps);
  steps.forEach((step, index) => {
    const offset = offsets[index]!;
    if (step.sign !== undefined) {
      fx.schedule(
        start + offset,
        null,
        signingTask,
        { externalTenantId: step.sign },
        `${scenario.name}: ${step.sign} signs its contracts`,
      );
    } else if (offset === 0) {
      runDebituraStep(runtime, fx, scenario, step, vars);
    } else {
      fx.schedule(
        start + offset,
        null,
        DEBITURA_SCENARIO_STEP,
        { scenario: scenario.name, step: index },
        `${scenario.name}: ${step.request}`,
      );
    }
  });
  fx.flush();
}

/** The runner of DEBITURA_SCENARIO_STEP tasks. */
export function debituraScenarioStepRunner(runtime: DebituraScenarioRuntime) {
  return (fx: Effects, params: { scenario: string; step: number }): void => {
    const { scenario, step, vars } = appliedStep<DebituraScenario>(
      fx.account.scenarios.get(params.scenario),
      params,
      fx.account.key,
    );
    runDebituraStep(runtime, fx, scenario, step, vars);
  };
}

function runDebituraStep(
  runtime: DebituraScenarioRuntime,
  fx: Effects,
  scenario: DebituraScenario,
  step: DebituraScenarioStep,
  vars: Record<string, unknown>,
): unknown {
  const where = `Scenario ${scenario.name}, step ${step.request}`;
  const { api, method, path: rawPath } = splitRequest(step.request!);
  const requestPath = substitute(rawPath, vars) as string;
  const contract = runtime.contracts[api];
  const operation = contract.match(method, requestPath);
  if (!operation) throw new Error(`${where}: not an operation of Debitura's ${api} contract`);
  const handler = runtime.handlers[api][operation.operationId];
  if (!handler) throw new Error(`${where}: no handler for ${operation.operationId}`);
  const body = step.body === undefined ? undefined : substitute(step.body, vars);
  checkStepBody(where, contract, operation.requestBody?.content['application/json'], body);
  let caller: HandlerContext['caller'] = { via: 'api_key' };
  if (api === 'customer') {
    const client = step.client === undefined ? undefined : clientByTenant(worldOf(fx.account), step.client);
    if (!client)
      throw new Error(
        `${where}: Customer-API steps need \`client:\`, the externalTenantId of one of the partner's clients`,
      );
    caller = { via: 'bearer', clientId: client.id };
  }
  const params = pathParams(operation.path, requestPath, true);
  const ctx: HandlerContext = {
    ...fx,
    params,
    query: {},
    body,
    caller,
    path: requestPath,
    contract,
    request: { id: null, idempotencyKey: null },
  };
  const result = judgeStep(
    where,
    step.expect,
    () => handler(ctx),
    (error) => renderDebituraError(error).body,
  );
  if (step.as) vars[step.as] = result;
  return result;
}

// Scenario fixtures: YAML files in this folder that seed an account and script timed steps on a
// clock. Every step is an API operation of the contract, run by the same handler a request would
// reach, with its body validated against the contract — a scenario can only do what the API can.
// The envelope (name, description, unsupported_countries, request/as/after/body/expect steps), the
// loader and `${…}` substitution are shared with Debitura's (../../common/scenario-format.ts); CasaPay
// adds a test clock, agreements, and the step kinds and fields below.
//
//   name: paid-in-full
//   description: One line, shown by `casapay-mock scenarios`.
//   test_clock: { frozen_time: "2024-02-01" }   # optional: steps run as this clock advances
//   agreements: { contract_signed: false }      # optional: what the account has signed
//   unsupported_countries: ["*"]                # optional: jurisdictions without a partner
//   steps:
//     - request: POST /v1/collection_cases      # an operation of the contract
//       as: case                                # name the response for later steps: ${case.id}
//       mint: { dc: dc_a1b2c3d4, reference: Q8OAXF3W }   # fixed ids for the objects it creates
//       body: { … }
//     - after: 5d                               # run 5 days (s, m, h, d) after the previous step
//       request: POST /v1/test_helpers/collection_cases/${case.id}/debt_payments
//       body: { amount: 360000 }
//     - each: [{ country: DE }, { country: AT }] # run the step once per item: ${item.country}, ${index}
//     - agreements: { contract_signed: true }   # a step may change the account's agreements instead
//     - guarantee_clock: ${clock.id}            # or put guarantees created without test_clock on a clock
//     - request: POST /v1/collection_cases/${case.id}/files
//       file: { name: lease.pdf, content: "…" }  # uploads carry their file inline
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Contract } from '../../../../kit/contract.js';
import { casapayErrorBody, errors } from '../errors.js';
import type { Effects, Handler, HandlerContext } from '../handlers/context.js';
import { handlers } from '../handlers/index.js';
import type { AccountAgreements } from '../rules.js';
import { parseDate } from '../../common/calendar.js';
import type { AccountState } from '../state.js';
import type { IdMinter } from '../../../engine/state/ids.js';
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
} from '../../common/scenario-format.js';

export { duration, substitute } from '../../common/scenario-format.js';

export interface ScenarioStep extends ScenarioStepBase {
  mint?: Record<string, string>;
  each?: Array<Record<string, unknown>>;
  agreements?: Partial<AccountAgreements>;
  /** The test clock guarantees created without `test_clock` go on from now (`${clock.id}`). */
  guarantee_clock?: string;
  /** For file uploads: the file's name and (text) content. */
  file?: { name: string; content: string };
}

export interface Scenario extends ScenarioBase {
  test_clock?: { frozen_time?: string | number; name?: string };
  agreements?: Partial<AccountAgreements>;
  steps: ScenarioStep[];
}

const AGREEMENTS = {
  type: 'object',
  additionalProperties: false,
  properties: {
    contract_signed: { type: 'boolean' },
    power_of_attorney: { type: 'boolean' },
    kyc_verified: { type: 'boolean' },
  },
};

/** CasaPay's scenario files: the shared envelope, a test clock, agreements, and steps that may change agreements or the guarantee clock. */
const formatValidator = scenarioValidator({
  namePattern: '^[a-z0-9-]+$',
  requestPattern: '^(GET|POST|DELETE) /v1/',
  required: ['steps'],
  properties: {
    test_clock: {
      type: 'object',
      additionalProperties: false,
      properties: { frozen_time: { type: ['string', 'integer'] }, name: { type: 'string' } },
    },
    agreements: { $ref: '#/$defs/agreements' },
  },
  stepProperties: {
    mint: { type: 'object', additionalProperties: { type: 'string' } },
    each: { type: 'array', items: { type: 'object' } },
    agreements: { $ref: '#/$defs/agreements' },
    guarantee_clock: { type: 'string', minLength: 1 },
    file: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'content'],
      properties: { name: { type: 'string' }, content: { type: 'string' } },
    },
  },
  stepKinds: ['request', 'agreements', 'guarantee_clock'],
  $defs: { agreements: AGREEMENTS },
});

export const SCENARIO_DIR = sourceDir(path.dirname(fileURLToPath(import.meta.url)));

/** Reads every scenario file of a folder (default: this one, also when running from dist/). */
export function loadScenarios(dir = SCENARIO_DIR): Map<string, Scenario> {
  return readScenarioFiles<Scenario>(dir, formatValidator);
}

/** An id minter that hands out the scenario's fixed ids first (`mint: { dc: dc_a1b2c3d4 }`). */
function mintingWith(ids: IdMinter, fixed: Record<string, string> | undefined): IdMinter {
  if (!fixed) return ids;
  const left = { ...fixed };
  const take = (key: string) => {
    const value = left[key];
    if (value !== undefined) delete left[key];
    return value;
  };
  return {
    ...ids,
    id: (prefix) => take(prefix) ?? ids.id(prefix),
    reference: () => take('reference') ?? ids.reference(),
  };
}

export interface ScenarioRuntime {
  contract: Contract;
  /** operationId → handler, when the run's defects bend some (default the honest table). */
  handlers?: Readonly<Record<string, Handler>>;
  /** Effects for the account, recording events (flushed after each step). */
  effects(account: AccountState): Effects & { flush(): void };
  deliveries: HandlerContext['deliveries'];
  advanceTestClock(account: AccountState, clockId: string, to: number): void;
}

/**
 * Seeds an account from a scenario: runs its immediate steps now and schedules the later ones on the
 * scenario's test clock (or the account's clock). A step that fails names the scenario and the step.
 * @example applyScenario(runtime, account, scenarios.get('paid-in-full')!)
 */
export function applyScenario(runtime: ScenarioRuntime, account: AccountState, scenario: Scenario): void {
  if (scenario.agreements) Object.assign(account.agreements, scenario.agreements);
  if (scenario.unsupported_countries)
    for (const c of scenario.unsupported_countries) account.unsupportedCountries.add(c);
  const fx = runtime.effects(account);
  const vars: Record<string, unknown> = { now: fx.now() };
  let clockId: string | null = null;
  if (scenario.test_clock) {
    const at = scenario.test_clock.frozen_time;
    const frozen = at === undefined ? fx.now() : typeof at === 'number' ? at : parseDate(at);
    if (frozen === undefined) throw new Error(`Scenario ${scenario.name}: test_clock.frozen_time ${at} is not a date`);
    const clock = runStep(
      runtime,
      fx,
      scenario,
      { request: 'POST /v1/test_helpers/test_clocks', body: { frozen_time: frozen, name: scenario.name } },
      vars,
    ) as { id: string };
    vars.clock = clock;
    vars.now = frozen;
    clockId = clock.id;
  }
  const start = fx.now(clockId);
  // Later steps are scheduled as data (scenario name + step index); what they need of earlier steps
  // (`as:` results, the clock) stays with the account.
  fx.account.scenarios.set(scenario.name, { scenario, vars });
  const offsets = stepOffsets(scenario.steps);
  scenario.steps.forEach((step, index) => {
    const offset = offsets[index]!;
    if (offset === 0) runStep(runtime, fx, scenario, step, vars);
    else
      fx.schedule(
        start + offset,
        clockId,
        SCENARIO_STEP,
        { scenario: scenario.name, step: index },
        `${scenario.name}: ${step.request ?? (step.agreements ? 'agreements' : 'guarantee_clock')}`,
      );
  });
  fx.flush();
}

/** The task kind of a scenario's later steps. */
export const SCENARIO_STEP = 'scenario.step';

/**
 * The runner of SCENARIO_STEP tasks, for the sandbox's TaskRunners.
 * @example sandbox.tasks.define(SCENARIO_STEP, scenarioStepRunner(runtime));
 */
export function scenarioStepRunner(runtime: ScenarioRuntime) {
  return (fx: Effects, params: { scenario: string; step: number }): void => {
    const { scenario, step, vars } = appliedStep<Scenario>(
      fx.account.scenarios.get(params.scenario),
      params,
      fx.account.key,
    );
    // The sandbox flushes the task's events once it has run.
    runStep(runtime, { ...fx, flush: () => undefined }, scenario, step, vars);
  };
}

function runStep(
  runtime: ScenarioRuntime,
  fx: Effects & { flush(): void },
  scenario: Scenario,
  step: ScenarioStep,
  vars: Record<string, unknown>,
): unknown {
  if (step.agreements) {
    Object.assign(fx.account.agreements, step.agreements);
    return undefined;
  }
  // A recorded request sent without credentials was answered by the HTTP layer, not an operation.
  if (step.anonymous) return undefined;
  if (step.guarantee_clock !== undefined) {
    const id = substitute(step.guarantee_clock, vars) as string;
    if (!fx.account.testClocks.has(id))
      throw new Error(`Scenario ${scenario.name}: guarantee_clock ${id} is not a test clock of the account`);
    fx.account.guaranteeClock = id;
    return undefined;
  }
  const items = step.each ?? [undefined];
  const results = items.map((item, index) =>
    runRequest(runtime, fx, scenario, step, item === undefined ? vars : { ...vars, item, index }),
  );
  const result = step.each ? results : results[0];
  if (step.as) vars[step.as] = result;
  return result;
}

function runRequest(
  runtime: ScenarioRuntime,
  fx: Effects,
  scenario: Scenario,
  step: ScenarioStep,
  vars: Record<string, unknown>,
): unknown {
  const where = `Scenario ${scenario.name}, step ${step.request}`;
  const [method, rawPath] = step.request!.split(' ') as [string, string];
  const requestPath = substitute(rawPath, vars) as string;
  const operation = runtime.contract.match(method, requestPath);
  if (!operation) throw new Error(`${where}: not an operation of the contract`);
  const handler: Handler | undefined = (runtime.handlers ?? handlers)[operation.operationId];
  const body = step.body === undefined ? undefined : substitute(step.body, vars);
  const pointer =
    operation.requestBody?.content['application/json'] ?? operation.requestBody?.content['multipart/form-data'];
  checkStepBody(
    where,
    runtime.contract,
    pointer,
    step.file && body !== undefined ? { ...(body as object), file: step.file.name } : body,
  );
  const params = pathParams(operation.path, requestPath);
  const ids = mintingWith(fx.ids, step.mint && (substitute(step.mint, vars) as Record<string, string>));
  const ctx: HandlerContext = {
    ...fx,
    request: { id: null, idempotencyKey: null },
    ids,
    params,
    // A recording's query, as strings (the handlers read the filters they know; the HTTP layer coerces them).
    query: step.query ? (substitute(step.query, vars) as Record<string, unknown>) : {},
    body,
    file: step.file && { filename: step.file.name, buffer: Buffer.from(step.file.content) },
    path: requestPath,
    contract: runtime.contract,
    deliveries: runtime.deliveries,
    advanceTestClock: (id, to) => runtime.advanceTestClock(fx.account, id, to),
  };
  // The event log mints event ids through the effects it was given (`fx`), not the handler's context:
  // lend it the step's fixed ids too (`mint: { evt: evt_1a2b3c }`) while the step runs.
  const own = fx.ids;
  fx.ids = ids;
  try {
    return judgeStep(
      where,
      step.expect,
      () => handler!(ctx),
      (error) => casapayErrorBody(error),
    );
  } finally {
    fx.ids = own;
  }
}

/** The scenario named by a request header (`X-Mock-Scenario: name` or `name:session`), or a 400. */
export function scenarioFromHeader(scenarios: Map<string, Scenario>, header: string): Scenario {
  const name = header.split(':')[0]!.trim();
  const scenario = scenarios.get(name);
  if (!scenario)
    throw errors.parameterInvalid(
      'X-Mock-Scenario',
      `no scenario named '${name}'. Known: ${[...scenarios.keys()].join(', ')}.`,
    );
  return scenario;
}

// Scenario fixtures: YAML files in this folder that seed an account and script timed steps on a
// clock. Every step is an API operation of the contract, run by the same handler a request would
// reach, with its body validated against the contract — a scenario can only do what the API can.
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
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { describeErrors, type Contract } from '../../../../kit/contract.js';
import { ApiError, errors } from '../../../engine/errors.js';
import type { Effects, Handler, HandlerContext } from '../handlers/context.js';
import { handlers } from '../handlers/index.js';
import type { AccountAgreements } from '../rules.js';
import { parseDate } from '../../shared/calendar.js';
import type { AccountState } from '../../../engine/state/store.js';
import type { IdMinter } from '../../../engine/state/ids.js';

export interface ScenarioStep {
  request?: string;
  as?: string;
  after?: string | number;
  body?: unknown;
  mint?: Record<string, string>;
  each?: Array<Record<string, unknown>>;
  agreements?: Partial<AccountAgreements>;
  /** The test clock guarantees created without `test_clock` go on from now (`${clock.id}`). */
  guarantee_clock?: string;
  /** The HTTP status the step must produce; default any 2xx. */
  expect?: number;
  /** For file uploads: the file's name and (text) content. */
  file?: { name: string; content: string };
}

export interface Scenario {
  name: string;
  description: string;
  test_clock?: { frozen_time?: string | number; name?: string };
  agreements?: Partial<AccountAgreements>;
  unsupported_countries?: string[];
  steps: ScenarioStep[];
}

/** The scenario file format, checked when the file is loaded. */
const FORMAT = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description', 'steps'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9-]+$' },
    description: { type: 'string', minLength: 1 },
    test_clock: { type: 'object', additionalProperties: false, properties: { frozen_time: { type: ['string', 'integer'] }, name: { type: 'string' } } },
    agreements: { $ref: '#/$defs/agreements' },
    unsupported_countries: { type: 'array', items: { type: 'string', pattern: '^([A-Z]{2}|\\*)$' } },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          request: { type: 'string', pattern: '^(GET|POST|DELETE) /v1/' },
          as: { type: 'string', pattern: '^[a-z_][a-z0-9_]*$' },
          after: { type: ['string', 'integer'], pattern: '^\\d+(s|m|h|d)?$' },
          body: {},
          mint: { type: 'object', additionalProperties: { type: 'string' } },
          each: { type: 'array', items: { type: 'object' } },
          agreements: { $ref: '#/$defs/agreements' },
          guarantee_clock: { type: 'string', minLength: 1 },
          expect: { type: 'integer', minimum: 200, maximum: 599 },
          file: { type: 'object', additionalProperties: false, required: ['name', 'content'], properties: { name: { type: 'string' }, content: { type: 'string' } } },
        },
        oneOf: [{ required: ['request'] }, { required: ['agreements'] }, { required: ['guarantee_clock'] }],
      },
    },
  },
  $defs: {
    agreements: {
      type: 'object',
      additionalProperties: false,
      properties: { contract_signed: { type: 'boolean' }, power_of_attorney: { type: 'boolean' }, kyc_verified: { type: 'boolean' } },
    },
  },
};

// Compiled on first use: most runs never read a scenario file.
let validateFormat: ValidateFunction | undefined;
const formatValidator = () => (validateFormat ??= new Ajv2020({ allErrors: false, allowUnionTypes: true, meta: false, validateSchema: false }).compile(FORMAT));

/** The YAML parser, loaded on first use (a synchronous require, so start-up does not pay for it). */
const parseYaml = (text: string): unknown => (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);

export const SCENARIO_DIR = path.dirname(fileURLToPath(import.meta.url)).replace(`${path.sep}dist${path.sep}`, path.sep);

/** Reads every scenario file of a folder (default: this one, also when running from dist/). */
export function loadScenarios(dir = SCENARIO_DIR): Map<string, Scenario> {
  return readScenarioFiles<Scenario>(dir, formatValidator);
}

/**
 * Every `*.yaml` of a folder, each checked against its format and named as its file (`paid-in-full.yaml`
 * holds `name: paid-in-full`). Shared by CasaPay's and Debitura's scenarios, whose formats differ.
 */
export function readScenarioFiles<T extends { name: string }>(dir: string, format: () => ValidateFunction): Map<string, T> {
  const scenarios = new Map<string, T>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const scenario = parseYaml(readFileSync(path.join(dir, file), 'utf8')) as T;
    const validate = format();
    if (!validate(scenario)) throw new Error(`Scenario ${file}: ${describeErrors(validate.errors)}`);
    if (`${scenario.name}.yaml` !== file) throw new Error(`Scenario ${file}: its name must be ${file.replace(/\.yaml$/, '')}`);
    scenarios.set(scenario.name, scenario);
  }
  return scenarios;
}

/** `5d` → seconds. */
export function duration(value: string | number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const match = /^(\d+)(s|m|h|d)?$/.exec(value);
  if (!match) throw new Error(`not a duration: ${value}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[(match[2] ?? 's') as 's'];
}

/** Replaces `${a.b[0].c}` in strings; a string that is only a placeholder keeps the value's type. */
export function substitute(value: unknown, vars: Record<string, unknown>): unknown {
  const lookup = (expression: string) => {
    const result = expression.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], vars);
    if (result === undefined) throw new Error(`\${${expression}} is not defined at this step`);
    return result;
  };
  if (typeof value === 'string') {
    const whole = /^\$\{([^}]+)\}$/.exec(value);
    if (whole) return lookup(whole[1]!);
    return value.replace(/\$\{([^}]+)\}/g, (_m, expression: string) => String(lookup(expression)));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  return value;
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
  return { ...ids, id: (prefix) => take(prefix) ?? ids.id(prefix), reference: () => take('reference') ?? ids.reference() };
}

export interface ScenarioRuntime {
  contract: Contract;
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
  if (scenario.unsupported_countries) for (const c of scenario.unsupported_countries) account.unsupportedCountries.add(c);
  const fx = runtime.effects(account);
  const vars: Record<string, unknown> = { now: fx.now() };
  let clockId: string | null = null;
  if (scenario.test_clock) {
    const at = scenario.test_clock.frozen_time;
    const frozen = at === undefined ? fx.now() : typeof at === 'number' ? at : parseDate(at);
    if (frozen === undefined) throw new Error(`Scenario ${scenario.name}: test_clock.frozen_time ${at} is not a date`);
    const clock = runStep(runtime, fx, scenario, { request: 'POST /v1/test_helpers/test_clocks', body: { frozen_time: frozen, name: scenario.name } }, vars) as { id: string };
    vars.clock = clock;
    vars.now = frozen;
    clockId = clock.id;
  }
  const start = fx.now(clockId);
  // Later steps are scheduled as data (scenario name + step index); what they need of earlier steps
  // (`as:` results, the clock) stays with the account.
  fx.account.scenarios.set(scenario.name, { scenario, vars });
  let offset = 0;
  scenario.steps.forEach((step, index) => {
    offset += duration(step.after);
    if (offset === 0) runStep(runtime, fx, scenario, step, vars);
    else fx.schedule(start + offset, clockId, SCENARIO_STEP, { scenario: scenario.name, step: index }, `${scenario.name}: ${step.request ?? (step.agreements ? 'agreements' : 'guarantee_clock')}`);
  });
  fx.flush();
}

/** The task kind of a scenario's later steps. */
/** How an X-Mock-Scenario header is kept in an account's key: `<key>|scenario:<name>[:session]`. */
export const SCENARIO_SUFFIX = '|scenario:';
export const SCENARIO_STEP = 'scenario.step';

/**
 * The runner of SCENARIO_STEP tasks, for the sandbox's TaskRunners.
 * @example sandbox.tasks.define(SCENARIO_STEP, scenarioStepRunner(runtime));
 */
export function scenarioStepRunner(runtime: ScenarioRuntime) {
  return (fx: Effects, params: { scenario: string; step: number }): void => {
    const applied = fx.account.scenarios.get(params.scenario);
    const scenario = applied?.scenario as Scenario | undefined;
    const step = scenario?.steps[params.step];
    if (!applied || !scenario || !step) throw new Error(`Scenario ${params.scenario} step ${params.step} is not applied to account ${fx.account.key}`);
    // The sandbox flushes the task's events once it has run.
    runStep(runtime, { ...fx, flush: () => undefined }, scenario, step, applied.vars);
  };
}

function runStep(runtime: ScenarioRuntime, fx: Effects & { flush(): void }, scenario: Scenario, step: ScenarioStep, vars: Record<string, unknown>): unknown {
  if (step.agreements) {
    Object.assign(fx.account.agreements, step.agreements);
    return undefined;
  }
  if (step.guarantee_clock !== undefined) {
    const id = substitute(step.guarantee_clock, vars) as string;
    if (!fx.account.testClocks.has(id)) throw new Error(`Scenario ${scenario.name}: guarantee_clock ${id} is not a test clock of the account`);
    fx.account.guaranteeClock = id;
    return undefined;
  }
  const items = step.each ?? [undefined];
  const results = items.map((item, index) => runRequest(runtime, fx, scenario, step, item === undefined ? vars : { ...vars, item, index }));
  const result = step.each ? results : results[0];
  if (step.as) vars[step.as] = result;
  return result;
}

function runRequest(runtime: ScenarioRuntime, fx: Effects, scenario: Scenario, step: ScenarioStep, vars: Record<string, unknown>): unknown {
  const where = `Scenario ${scenario.name}, step ${step.request}`;
  const [method, rawPath] = step.request!.split(' ') as [string, string];
  const requestPath = substitute(rawPath, vars) as string;
  const operation = runtime.contract.match(method, requestPath);
  if (!operation) throw new Error(`${where}: not an operation of the contract`);
  const handler: Handler | undefined = handlers[operation.operationId];
  const body = step.body === undefined ? undefined : substitute(step.body, vars);
  const pointer = operation.requestBody?.content['application/json'] ?? operation.requestBody?.content['multipart/form-data'];
  if (pointer && body !== undefined) {
    const validate = runtime.contract.validator(pointer);
    const candidate = step.file ? { ...(body as object), file: step.file.name } : body;
    if (!validate(candidate)) throw new Error(`${where}: body does not match the contract: ${describeErrors(validate.errors)}`);
  }
  const templateParts = operation.path.split('/');
  const params = Object.fromEntries(requestPath.split('/').flatMap((part, i) => (/^\{(\w+)\}$/.test(templateParts[i]!) ? [[templateParts[i]!.slice(1, -1), part]] : [])));
  const ctx: HandlerContext = {
    ...fx,
    ids: mintingWith(fx.ids, step.mint && (substitute(step.mint, vars) as Record<string, string>)),
    params,
    query: {},
    body,
    file: step.file && { filename: step.file.name, buffer: Buffer.from(step.file.content) },
    path: requestPath,
    contract: runtime.contract,
    deliveries: runtime.deliveries,
    advanceTestClock: (id, to) => runtime.advanceTestClock(fx.account, id, to),
  };
  let status: number;
  let result: unknown;
  try {
    const answer = handler!(ctx);
    if (answer instanceof Promise) throw new Error(`${where}: asynchronous operations cannot be scenario steps`);
    status = answer.status;
    result = answer.body;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    status = error.status;
    result = error.toBody();
    if (step.expect !== status) throw new Error(`${where}: ${status} ${error.code}: ${error.message}`);
  }
  if (step.expect !== undefined && step.expect !== status) throw new Error(`${where}: expected ${step.expect}, got ${status}`);
  return result;
}

/** The scenario named by a request header (`X-Mock-Scenario: name` or `name:session`), or a 400. */
export function scenarioFromHeader(scenarios: Map<string, Scenario>, header: string): Scenario {
  const name = header.split(':')[0]!.trim();
  const scenario = scenarios.get(name);
  if (!scenario) throw errors.parameterInvalid('X-Mock-Scenario', `no scenario named '${name}'. Known: ${[...scenarios.keys()].join(', ')}.`);
  return scenario;
}

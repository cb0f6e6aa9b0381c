// The scenario file format both APIs share, and its loader. A scenario is a YAML file that seeds an
// account and scripts timed steps; every API writes the same envelope and adds its own fields and
// step kinds (CasaPay's scenarios/scenarios.ts, Debitura's scenarios.ts):
//
//   name: paid-in-full                        # the file's name without .yaml
//   description: One line, shown by `casapay-mock scenarios`.
//   unsupported_countries: ["*"]              # optional: jurisdictions without a partner (`*`: all)
//   steps:
//     - request: POST /v1/collection_cases    # an operation of the API's contract (the API's prefix)
//       as: case                              # name the response for later steps: ${case.id}
//       body: { … }                           # validated against the contract; ${…} substituted
//       expect: 422                           # optional: the status the step must produce (default any 2xx)
//     - after: 5d                             # run 5 days (s, m, h, d; a bare number is seconds) after the previous step
//       request: GET /v1/collection_cases
//       query: { limit: "3" }                 # optional: query parameters
//       headers: { Idempotency-Key: "${run}-1" }  # optional: headers that are no credential
//       anonymous: true                       # optional: sent without credentials (runners skip it)
//       response: { … }                       # optional: the answer a recording saw (replays compare its shape)
//       body: { start_date: "${now+3600}" }   # a number placeholder may be shifted by seconds
//
// Each API chooses the pattern of `name:` and of a step's `request:`, its own top-level fields, its own
// step fields, and the step kinds (a step is exactly one of them: `request`, or e.g. CasaPay's
// `agreements`, Debitura's `sign`).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { describeErrors, type Contract } from '../../../kit/contract.js';
import { ApiError } from '../../engine/errors.js';

/** What every step may carry, whatever the API. */
export interface ScenarioStepBase {
  /** `METHOD /path` of an operation of the API's contract; `${…}` substituted. */
  request?: string;
  /** The variable the step's answer is kept in, for later steps. */
  as?: string;
  /** Delay after the previous step: `30s`, `5m`, `2h`, `3d`, or seconds. */
  after?: string | number;
  /** The request body, checked against the contract. */
  body?: unknown;
  /** The HTTP status the step must produce; without it, a refusal fails the scenario. */
  expect?: number;
  /** Query parameters (`${…}` substituted); a recording's GET steps carry them. */
  query?: Record<string, string | string[]>;
  /** Request headers that change the answer and are no credential (a recording's `Idempotency-Key: ${run}-1`). */
  headers?: Record<string, string>;
  /** Sent without credentials (a recorded 401). The mock's runner skips such a step: authentication is the HTTP layer's. */
  anonymous?: boolean;
  /** The answer a recording saw, normalised (ids, times as placeholders): replays compare its shape; runners ignore it. */
  response?: unknown;
}

/** What every scenario carries, whatever the API. */
export interface ScenarioBase {
  name: string;
  description: string;
  unsupported_countries?: string[];
  steps?: ScenarioStepBase[];
}

type JsonSchema = Record<string, unknown>;

export interface ScenarioFormatSpec {
  /** Pattern of `name:` (`^[a-z0-9-]+$`). */
  namePattern: string;
  /** Pattern of a step's `request:`: the methods and the API's prefix (`^(GET|POST|DELETE) /v1/`). */
  requestPattern: string;
  /** Top-level fields required beyond name and description. */
  required?: string[];
  /** The API's own top-level fields. */
  properties?: Record<string, JsonSchema>;
  /** The API's own step fields. */
  stepProperties?: Record<string, JsonSchema>;
  /** The fields that make a step's kind: a step carries exactly one of them. */
  stepKinds: string[];
  $defs?: Record<string, JsonSchema>;
}

/** A step's delay: `30s`, `5m`, `2h`, `3d`, or a number of seconds. */
const AFTER = { type: ['string', 'integer'], pattern: '^\\d+(s|m|h|d)?$' };

/**
 * The JSON Schema of an API's scenario files: the shared envelope plus the API's own fields and step kinds.
 * @example scenarioFormat({ namePattern: '^[a-z0-9-]+$', requestPattern: '^(GET|POST) /v1/', stepKinds: ['request'] })
 */
export function scenarioFormat(spec: ScenarioFormatSpec): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'description', ...(spec.required ?? [])],
    properties: {
      name: { type: 'string', pattern: spec.namePattern },
      description: { type: 'string', minLength: 1 },
      ...spec.properties,
      unsupported_countries: { type: 'array', items: { type: 'string', pattern: '^([A-Z]{2}|\\*)$' } },
      steps: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          properties: {
            request: { type: 'string', pattern: spec.requestPattern },
            as: { type: 'string', pattern: '^[a-z_][a-z0-9_]*$' },
            after: AFTER,
            body: {},
            expect: { type: 'integer', minimum: 200, maximum: 599 },
            query: {
              type: 'object',
              additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
            },
            headers: {
              type: 'object',
              propertyNames: { pattern: '^(?![Aa]uthorization$|[Xx][Aa]pi[Kk]ey$|[Cc]ookie$)[A-Za-z0-9-]+$' },
              additionalProperties: { type: 'string' },
            },
            anonymous: { type: 'boolean' },
            response: {},
            ...spec.stepProperties,
          },
          oneOf: spec.stepKinds.map((kind) => ({ required: [kind] })),
        },
      },
    },
    ...(spec.$defs ? { $defs: spec.$defs } : {}),
  };
}

/** The format's validator, compiled on first use: most runs never read a scenario file. */
export function scenarioValidator(spec: ScenarioFormatSpec): () => ValidateFunction {
  let validate: ValidateFunction | undefined;
  return () =>
    (validate ??= new Ajv2020({ allErrors: false, allowUnionTypes: true, meta: false, validateSchema: false }).compile(
      scenarioFormat(spec),
    ));
}

/** The YAML parser, loaded on first use (a synchronous require, so start-up does not pay for it). */
const parseYaml = (text: string): unknown =>
  (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);

/** The folder a module's scenarios sit in, also when it runs from dist/ (which holds no YAML). */
export const sourceDir = (moduleDir: string): string => moduleDir.replace(`${path.sep}dist${path.sep}`, path.sep);

/**
 * Every `*.yaml` of a folder, in name order, each checked against its format and named as its file
 * (`paid-in-full.yaml` holds `name: paid-in-full`). A bad file throws, naming the file and the problem.
 */
export function readScenarioFiles<T extends { name: string }>(
  dir: string,
  format: () => ValidateFunction,
): Map<string, T> {
  const scenarios = new Map<string, T>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const scenario = parseYaml(readFileSync(path.join(dir, file), 'utf8')) as T;
    const validate = format();
    if (!validate(scenario)) throw new Error(`Scenario ${file}: ${describeErrors(validate.errors)}`);
    if (`${scenario.name}.yaml` !== file)
      throw new Error(`Scenario ${file}: its name must be ${file.replace(/\.yaml$/, '')}`);
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

/**
 * When each step runs, in seconds after the scenario starts: each `after:` counts from the previous step.
 * @example stepOffsets([{}, { after: '1d' }, { after: '2h' }]) // [0, 86400, 93600]
 */
export function stepOffsets(steps: readonly Pick<ScenarioStepBase, 'after'>[]): number[] {
  let offset = 0;
  return steps.map((step) => (offset += duration(step.after)));
}

/**
 * Replaces `${a.b[0].c}` in strings; a string that is only a placeholder keeps the value's type. A number
 * may be shifted by whole seconds (`${now+86400}`, `${now-60}`): how a recording keeps a time relative.
 */
export function substitute(value: unknown, vars: Record<string, unknown>): unknown {
  const lookup = (expression: string): unknown => {
    const shifted = /^(.+?)\s*([+-])\s*(\d+)$/.exec(expression);
    if (shifted) {
      const base = lookup(shifted[1]!);
      if (typeof base !== 'number') throw new Error(`\${${expression}}: ${shifted[1]} is not a number`);
      return base + (shifted[2] === '+' ? 1 : -1) * Number(shifted[3]);
    }
    const result = expression
      .split(/\.|\[(\d+)\]/)
      .filter((p) => p !== undefined && p !== '')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], vars);
    if (result === undefined) throw new Error(`\${${expression}} is not defined at this step`);
    return result;
  };
  if (typeof value === 'string') {
    const whole = /^\$\{([^}]+)\}$/.exec(value);
    if (whole) return lookup(whole[1]!);
    return value.replace(/\$\{([^}]+)\}/g, (_m, expression: string) => String(lookup(expression)));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  return value;
}

/** The scheduled step of a scenario applied to an account, or an error naming what is missing. */
export function appliedStep<S extends { steps?: readonly unknown[] }>(
  applied: { scenario: unknown; vars: Record<string, unknown> } | undefined,
  params: { scenario: string; step: number },
  accountKey: string,
): { scenario: S; step: NonNullable<S['steps']>[number]; vars: Record<string, unknown> } {
  const scenario = applied?.scenario as S | undefined;
  const step = scenario?.steps?.[params.step];
  if (!applied || !scenario || !step)
    throw new Error(`Scenario ${params.scenario} step ${params.step} is not applied to account ${accountKey}`);
  return { scenario, step, vars: applied.vars };
}

/**
 * The path parameters of a request path by its operation's template (`/v1/cases/{id}` + `/v1/cases/dc_1` → `{ id: 'dc_1' }`).
 * `decode` percent-decodes each value (Debitura's steps do; CasaPay's never did).
 */
export function pathParams(template: string, requestPath: string, decode = false): Record<string, string> {
  const templateParts = template.split('/');
  return Object.fromEntries(
    requestPath
      .split('/')
      .flatMap((part, i) =>
        /^\{(\w+)\}$/.test(templateParts[i]!)
          ? [[templateParts[i]!.slice(1, -1), decode ? decodeURIComponent(part) : part]]
          : [],
      ),
  );
}

/** A step's body must match the contract's schema of the operation's request body (`pointer`), if it has one. */
export function checkStepBody(where: string, contract: Contract, pointer: string | undefined, body: unknown): void {
  if (!pointer || body === undefined) return;
  const validate = contract.validator(pointer);
  if (!validate(body))
    throw new Error(`${where}: body does not match the contract: ${describeErrors(validate.errors)}`);
}

/**
 * Runs a step's handler and judges its status, naming the step (`where`) when it throws: a refusal (an
 * ApiError, rendered as the API's error body by `render`) throws unless the step `expect`s its status;
 * any answer other than a given `expect` throws.
 */
export function judgeStep(
  where: string,
  expect: number | undefined,
  run: () => { status: number; body: unknown } | Promise<unknown>,
  render: (error: ApiError) => unknown,
): unknown {
  let status: number;
  let result: unknown;
  try {
    const answer = run();
    if (answer instanceof Promise) throw new Error(`${where}: asynchronous operations cannot be scenario steps`);
    status = answer.status;
    result = answer.body;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    status = error.status;
    result = render(error);
    if (expect !== status) throw new Error(`${where}: ${status} ${error.code}: ${error.message}`, { cause: error });
  }
  if (expect !== undefined && expect !== status) throw new Error(`${where}: expected ${expect}, got ${status}`);
  return result;
}

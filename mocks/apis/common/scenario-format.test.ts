import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, errors } from '../../engine/errors.js';
import {
  appliedStep,
  duration,
  judgeStep,
  pathParams,
  readScenarioFiles,
  scenarioValidator,
  stepOffsets,
  substitute,
  type ScenarioFormatSpec,
} from './scenario-format.js';

/** A small API's format: the shared envelope, one own field, and `request` or `wait` steps. */
const SPEC: ScenarioFormatSpec = {
  namePattern: '^[a-z-]+$',
  requestPattern: '^(GET|POST) /api/',
  properties: { mode: { enum: ['fast', 'slow'] } },
  stepProperties: { wait: { type: 'boolean' } },
  stepKinds: ['request', 'wait'],
};
const validator = scenarioValidator(SPEC);
const valid = (scenario: unknown) => validator()(scenario);

describe("scenarioFormat: the shared envelope plus an API's own fields and step kinds", () => {
  const base = { name: 'one', description: 'A scenario.' };
  it.each<[string, { given: unknown; want: boolean }]>([
    ['name and description only', { given: base, want: true }],
    [
      'every shared field',
      {
        given: {
          ...base,
          unsupported_countries: ['DE', '*'],
          steps: [
            { request: 'POST /api/things', as: 'thing', body: { a: '${now}' }, expect: 201 },
            { after: '5m', request: 'GET /api/things/${thing.id}' },
          ],
        },
        want: true,
      },
    ],
    ["the API's own field", { given: { ...base, mode: 'fast' }, want: true }],
    ["the API's own step kind", { given: { ...base, steps: [{ after: 30, wait: true }] }, want: true }],
    [
      "a recording's step fields: query, headers, anonymous, response",
      {
        given: {
          ...base,
          steps: [
            {
              request: 'GET /api/things',
              query: { limit: '3', status: ['a', 'b'] },
              headers: { 'Idempotency-Key': '${run}-1' },
              anonymous: true,
              expect: 401,
              response: { error: { code: 'api_key_missing' } },
            },
          ],
        },
        want: true,
      },
    ],
    [
      'a credential among the headers',
      {
        given: { ...base, steps: [{ request: 'GET /api/things', headers: { Authorization: 'Bearer x' } }] },
        want: false,
      },
    ],
    [
      'a query value that is no string',
      { given: { ...base, steps: [{ request: 'GET /api/things', query: { limit: 3 } }] }, want: false },
    ],
    ['no description', { given: { name: 'one' }, want: false }],
    ['an empty description', { given: { ...base, description: '' }, want: false }],
    ["a name outside the API's pattern", { given: { ...base, name: 'One' }, want: false }],
    ['an unknown top-level field', { given: { ...base, colour: 'red' }, want: false }],
    ["a bad value of the API's own field", { given: { ...base, mode: 'medium' }, want: false }],
    ['a lowercase or three-letter country', { given: { ...base, unsupported_countries: ['de'] }, want: false }],
    [
      "a request outside the API's prefix",
      { given: { ...base, steps: [{ request: 'POST /v1/things' }] }, want: false },
    ],
    [
      'a method the API does not allow',
      { given: { ...base, steps: [{ request: 'DELETE /api/things' }] }, want: false },
    ],
    ['a step of no kind', { given: { ...base, steps: [{ after: '1d' }] }, want: false }],
    ['a step of two kinds', { given: { ...base, steps: [{ request: 'GET /api/things', wait: true }] }, want: false }],
    ['an unknown step field', { given: { ...base, steps: [{ request: 'GET /api/things', mint: {} }] }, want: false }],
    [
      'an `after` that is no duration',
      { given: { ...base, steps: [{ request: 'GET /api/things', after: '1w' }] }, want: false },
    ],
    [
      'an `as` that is no variable name',
      { given: { ...base, steps: [{ request: 'GET /api/things', as: 'A-b' }] }, want: false },
    ],
    [
      'an `expect` that is no HTTP status',
      { given: { ...base, steps: [{ request: 'GET /api/things', expect: 99 }] }, want: false },
    ],
  ])('%s', (_name, { given, want }) => {
    expect(valid(given)).toBe(want);
  });
});

describe('readScenarioFiles', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const folder = (files: Record<string, string>): string => {
    dir = mkdtempSync(path.join(tmpdir(), 'scenario-format-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
  };

  it('reads every .yaml of the folder in name order, by name, and nothing else', () => {
    const scenarios = readScenarioFiles(
      folder({
        'b.yaml': 'name: b\ndescription: B.\n',
        'a.yaml': 'name: a\ndescription: A.\n',
        'notes.txt': 'not a scenario',
      }),
      validator,
    );
    expect([...scenarios.keys()]).toEqual(['a', 'b']);
    expect(scenarios.get('b')).toEqual({ name: 'b', description: 'B.' });
  });

  it.each([
    [
      'a file off the format names the file and the problem',
      {
        given: { 'bad.yaml': 'name: bad\n' },
        want: "Scenario bad.yaml: (root) must have required property 'description'",
      },
    ],
    [
      'an unknown field is named',
      {
        given: { 'bad.yaml': 'name: bad\ndescription: B.\ncolour: red\n' },
        want: 'Scenario bad.yaml: (root) must NOT have additional properties: colour',
      },
    ],
    [
      'a name other than the file name',
      {
        given: { 'right.yaml': 'name: wrong\ndescription: W.\n' },
        want: 'Scenario right.yaml: its name must be right',
      },
    ],
  ])('%s', (_name, { given, want }) => {
    expect(() => readScenarioFiles(folder(given), validator)).toThrow(want);
  });
});

describe('step timing', () => {
  it.each([
    ['seconds by default', { given: '30', want: 30 }],
    ['s', { given: '30s', want: 30 }],
    ['m', { given: '5m', want: 300 }],
    ['h', { given: '2h', want: 7200 }],
    ['d', { given: '3d', want: 259_200 }],
    ['a number is seconds', { given: 45, want: 45 }],
    ['none is now', { given: undefined, want: 0 }],
  ])('duration: %s', (_name, { given, want }) => {
    expect(duration(given)).toBe(want);
  });

  it('refuses what is no duration', () => {
    expect(() => duration('1w')).toThrow('not a duration: 1w');
  });

  it('each `after` counts from the previous step', () => {
    expect(stepOffsets([{}, { after: '1d' }, {}, { after: '2h' }])).toEqual([0, 86_400, 86_400, 93_600]);
  });
});

describe('substitute', () => {
  it.each<[string, { given: unknown; want: unknown }]>([
    ['a whole placeholder keeps its type', { given: '${n}', want: 5 }],
    ['inside a string it is text', { given: 'id ${case.id}!', want: 'id dc_1!' }],
    ['indexes and nesting', { given: { a: ['${list[1].id}'] }, want: { a: ['b'] } }],
    ['no placeholder, no change', { given: { a: 1, b: null }, want: { a: 1, b: null } }],
    ['a number shifted forwards (a recorded time)', { given: '${n+60}', want: 65 }],
    ['a number shifted backwards', { given: { at: '${n - 2}' }, want: { at: 3 } }],
  ])('%s', (_name, { given, want }) => {
    expect(substitute(given, { n: 5, case: { id: 'dc_1' }, list: [{ id: 'a' }, { id: 'b' }] })).toEqual(want);
  });

  it('names an undefined placeholder', () => {
    expect(() => substitute('${case.nope}', { case: {} })).toThrow('${case.nope} is not defined at this step');
  });

  it('refuses to shift what is not a number', () => {
    expect(() => substitute('${case.id+1}', { case: { id: 'dc_1' } })).toThrow('case.id is not a number');
  });
});

describe('running a step', () => {
  it.each([
    ['a template with one parameter', { given: ['/v1/cases/{id}', '/v1/cases/dc_1', false], want: { id: 'dc_1' } }],
    [
      'two parameters',
      { given: ['/clients/{tenant}/cases/{id}', '/clients/t-1/cases/42', false], want: { tenant: 't-1', id: '42' } },
    ],
    ['percent-encoded, kept', { given: ['/clients/{tenant}', '/clients/a%20b', false], want: { tenant: 'a%20b' } }],
    ['percent-encoded, decoded', { given: ['/clients/{tenant}', '/clients/a%20b', true], want: { tenant: 'a b' } }],
  ] as const)('pathParams: %s', (_name, { given, want }) => {
    expect(pathParams(given[0], given[1], given[2])).toEqual(want);
  });

  const render = (error: ApiError) => ({ code: error.code });
  const refused = () => {
    throw errors.parameterInvalid('x', 'no.');
  };
  it.each<[string, { given: { expect?: number; run: () => { status: number; body: unknown } }; want: unknown }]>([
    ['an answer without `expect`', { given: { run: () => ({ status: 201, body: { id: 1 } }) }, want: { id: 1 } }],
    ['an answer `expect`ed', { given: { expect: 200, run: () => ({ status: 200, body: 'ok' }) }, want: 'ok' }],
    [
      "a refusal `expect`ed is rendered in the API's shape",
      { given: { expect: 400, run: refused }, want: { code: 'parameter_invalid' } },
    ],
  ])('judgeStep: %s', (_name, { given, want }) => {
    expect(judgeStep('Scenario s, step X', given.expect, given.run, render)).toEqual(want);
  });

  it.each<[string, { given: { expect?: number; run: () => { status: number; body: unknown } }; want: string }]>([
    [
      'a refusal not `expect`ed',
      { given: { run: refused }, want: 'Scenario s, step X: 400 parameter_invalid: Invalid x: no.' },
    ],
    [
      'another status than `expect`ed',
      {
        given: { expect: 422, run: () => ({ status: 200, body: {} }) },
        want: 'Scenario s, step X: expected 422, got 200',
      },
    ],
    [
      'an asynchronous handler',
      {
        given: { run: () => Promise.resolve() as never },
        want: 'Scenario s, step X: asynchronous operations cannot be scenario steps',
      },
    ],
  ])('judgeStep throws: %s', (_name, { given, want }) => {
    expect(() => judgeStep('Scenario s, step X', given.expect, given.run, render)).toThrow(want);
  });

  it('judgeStep lets other errors through unchanged', () => {
    const bug = new TypeError('bug');
    expect(() =>
      judgeStep(
        'w',
        undefined,
        () => {
          throw bug;
        },
        render,
      ),
    ).toThrow(bug);
  });

  it('appliedStep finds a scheduled step, or names what is missing', () => {
    const applied = { scenario: { name: 's', steps: [{ request: 'GET /api/a' }] }, vars: { now: 1 } };
    expect(appliedStep(applied, { scenario: 's', step: 0 }, 'key')).toEqual({
      scenario: applied.scenario,
      step: { request: 'GET /api/a' },
      vars: { now: 1 },
    });
    expect(() => appliedStep(applied, { scenario: 's', step: 1 }, 'key')).toThrow(
      'Scenario s step 1 is not applied to account key',
    );
    expect(() => appliedStep(undefined, { scenario: 's', step: 0 }, 'key')).toThrow(
      'Scenario s step 0 is not applied to account key',
    );
  });
});

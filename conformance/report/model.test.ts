import { describe, expect, it } from 'vitest';
import { buildCoverage, buildRunResult, ruleOf, type BuildInput, type RawCheck } from './model.js';

const contract: BuildInput['contract'] = {
  operations: [
    {
      operationId: 'createThing',
      method: 'post',
      path: '/v1/things',
      tags: [],
      parameters: [],
      responses: { '201': '#/x', '400': '#/e', '5XX': '#/e' },
    },
    {
      operationId: 'getThing',
      method: 'get',
      path: '/v1/things/{id}',
      tags: [],
      parameters: [],
      responses: { '200': '#/x', '404': '#/e' },
    },
  ],
  declaredStatus: (op, status) => {
    const declared: Record<string, string[]> = { createThing: ['201', '400', '5XX'], getThing: ['200', '404'] };
    const keys = declared[op] ?? [];
    return keys.includes(String(status))
      ? String(status)
      : keys.includes(`${String(status)[0]}XX`)
        ? `${String(status)[0]}XX`
        : undefined;
  },
};

const check = (over: Partial<RawCheck>): RawCheck => ({
  titles: ['[core] things', 'works'],
  file: 'conformance/checks/core/things.check.ts',
  state: 'passed',
  durationMs: 3.4,
  mode: 'run',
  errors: [],
  coverage: [],
  exchanges: [],
  violations: [],
  ...over,
});

const input = (over: Partial<BuildInput>): BuildInput => ({
  checks: [],
  groupErrors: [],
  unhandledErrors: [],
  target: { baseUrl: 'http://127.0.0.1:1', startedMock: true, seed: 1, negativeRuns: 2 },
  selected: ['core', 'auth'],
  startedAt: '2024-11-01T00:00:00.000Z',
  durationMs: 1234.5,
  contract,
  ...over,
});

describe('ruleOf', () => {
  it.each([
    [
      'a contract violation',
      { message: 'x', violation: { rule: 'body-schema', operationId: 'a', status: 200, message: 'm' } },
      'body-schema',
    ],
    [
      'a violation named in the message',
      { message: 'contract rule "status-declared" broken by a → 200: …' },
      'status-declared',
    ],
    [
      'an assertion with its own words',
      { message: 'has_more on page 2: expected false to be true // Object.is equality' },
      'has_more on page 2',
    ],
    [
      'a multi-line rule',
      { message: 'every delivery must be signed\n  - evt_1: no header\n(number of problems): expected 1 to be 0' },
      'every delivery must be signed',
    ],
    ['a bare assertion', { message: 'expected 1 to be 2' }, 'expected 1 to be 2'],
  ])('%s', (_name, error, want) => {
    expect(ruleOf(error)).toBe(want);
  });
});

describe('buildRunResult', () => {
  it('passes when nothing failed; counts per capability; unselected capabilities are marked', () => {
    const result = buildRunResult(
      input({
        checks: [check({}), check({ titles: ['[core] things', 'skips'], state: 'skipped', note: 'no test helpers' })],
      }),
    );
    expect(result.verdict).toBe('pass');
    expect(result.schemaVersion).toBe(1);
    expect(result.durationMs).toBe(1235);
    expect(result.capabilities.core).toEqual({
      selected: true,
      passed: 1,
      failed: 0,
      skipped: 1,
      skipReasons: ['no test helpers'],
    });
    expect(result.capabilities.files).toMatchObject({ selected: false, passed: 0 });
    expect(result.checks[1]).toMatchObject({
      capability: 'core',
      group: 'things',
      name: 'skips',
      state: 'skipped',
      skipReason: 'no test helpers',
      durationMs: 3,
    });
  });

  it('a failure carries its rule and the request and response behind it', () => {
    const exchange = {
      operationId: 'getThing',
      method: 'GET',
      url: 'http://t/v1/things/x',
      status: 500,
      request: { headers: { authorization: 'Bearer sk_test_…' } },
      response: { headers: {}, body: '{}' },
      durationMs: 1,
    };
    const result = buildRunResult(
      input({
        checks: [
          check({ state: 'failed', errors: [{ message: 'status: expected 500 to be 200' }], exchanges: [exchange] }),
        ],
      }),
    );
    expect(result.verdict).toBe('fail');
    expect(result.failures).toEqual([
      expect.objectContaining({
        check: '[core] things > works',
        capability: 'core',
        rule: 'status',
        request: expect.objectContaining({ method: 'GET', url: 'http://t/v1/things/x' }),
        response: expect.objectContaining({ status: 500, body: '{}' }),
      }),
    ]);
  });

  it('a group whose setup failed is a failed check, and its skipped tests say why', () => {
    const result = buildRunResult(
      input({
        checks: [check({ state: 'skipped' })],
        groupErrors: [
          {
            titles: ['[core] things'],
            file: 'conformance/checks/core/things.check.ts',
            errors: [{ message: 'contract rule "status-declared" broken' }],
          },
        ],
      }),
    );
    expect(result.verdict).toBe('fail');
    expect(result.capabilities.core).toMatchObject({
      failed: 1,
      skipped: 1,
      skipReasons: ['not run: the setup of its group failed (see the failure)'],
    });
    expect(result.failures[0]).toMatchObject({ check: '[core] things > (setup)', rule: 'status-declared' });
  });

  it('checks left unrun by --bail say so', () => {
    const result = buildRunResult(input({ checks: [check({ state: 'skipped' })], bailed: true }));
    expect(result.checks[0]!.skipReason).toBe('not run: --bail stopped the run at the first failure');
  });

  it('a file that failed to load counts against the capability of its folder', () => {
    const result = buildRunResult(
      input({
        groupErrors: [
          { titles: [], file: 'conformance/checks/auth/auth.check.ts', errors: [{ message: 'SyntaxError' }] },
        ],
      }),
    );
    expect(result.capabilities.auth!.failed).toBe(1);
  });
});

describe('buildCoverage', () => {
  it('maps hits to declared keys (500 → 5XX) and lists undeclared statuses', () => {
    const rows = buildCoverage(contract, [
      { operationId: 'createThing', status: 201 },
      { operationId: 'createThing', status: 201 },
      { operationId: 'createThing', status: 503 },
      { operationId: 'createThing', status: 200 },
      { operationId: 'getThing', status: 404 },
      { operationId: 'unknownOp', status: 200 },
    ]);
    expect(rows).toEqual([
      {
        operationId: 'createThing',
        method: 'POST',
        path: '/v1/things',
        statuses: [
          { status: '201', hits: 2 },
          { status: '400', hits: 0 },
          { status: '5XX', hits: 1 },
        ],
        undeclared: [200],
      },
      {
        operationId: 'getThing',
        method: 'GET',
        path: '/v1/things/{id}',
        statuses: [
          { status: '200', hits: 0 },
          { status: '404', hits: 1 },
        ],
        undeclared: [],
      },
    ]);
  });
});

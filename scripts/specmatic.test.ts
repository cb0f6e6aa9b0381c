// scripts/specmatic.ts's reading of Specmatic's output, on fragments of real Specmatic 2.55.1 output
// (JUnit report, console log): counts, each failure paired with its request and answer, contract
// warnings, and the split between known tool limitations and failures that fail the run. Specmatic
// itself runs in `npm run specmatic` (its own CI step, minutes long), not here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CONTRACTS,
  knownFailure,
  loadKnown,
  parseJUnit,
  parseLog,
  parseWarnings,
  readResult,
  specmaticConfig,
  statedRefusals,
  statedRule,
  verdict,
} from './specmatic.js';

const SCENARIO_REUSED =
  "+ve  Scenario: POST /v1/claims -> 201 with the request from the example 'created' where REQUEST.PARAMETERS.HEADER contains the header 'Idempotency-Key' AND Idempotency-Key is set to the shortest possible string";
const SCENARIO_MISSING = "+ve  Scenario: GET /v1/claims/(id:string) -> 200 with the request from the example 'claim'";
const SCENARIO_OK = '-ve  Scenario: GET /v1/claims -> 400 with the request where limit is set to a string';

const block = (scenario: string, request: string, status: string, body: string, ok: boolean) =>
  [
    '--------------------',
    '  Request to http://127.0.0.1:40000 at 2026-12-7 6:29:1.781',
    ...request.split('\n').map((l) => `    ${l}`),
    '',
    '  Response at 2026-12-7 6:29:1.796',
    `    ${status}`,
    '    content-type: application/json; charset=utf-8',
    '    ',
    ...body.split('\n').map((l) => `    ${l}`),
    '',
    `${scenario} has ${ok ? 'SUCCEEDED' : 'FAILED'}`,
    ...(ok
      ? []
      : [
          'Reason:',
          'Testing scenario "x"',
          '  >> RESPONSE.STATUS',
          '      R0002: HTTP status mismatch',
          '      Specification expected status 201 but response contained status 400',
        ]),
    '',
  ].join('\n');

const LOG = [
  'Specmatic Version: v2.55.1(01b2d2bf)',
  '',
  'WARNING: Ignoring request example named quickstart for test or stub data, because no associated response example named quickstart was found.',
  '',
  '>> components.parameters.Created.schema',
  '',
  '    OAS9999: Unsupported feature',
  '    Documentation: https://docs.specmatic.io/rules#oas9999',
  '    Summary: This feature is currently not yet supported',
  '',
  '    Query parameter created is an object, and only style form with explode true is supported',
  '',
  'No application API source was exposed by the application, so cannot calculate actual coverage',
  '',
  block(
    SCENARIO_REUSED,
    'POST /v1/claims\nIdempotency-Key: Y\n\n{"amount": 1}',
    '400 Bad Request',
    '{\n    "error": {\n        "type": "idempotency_error",\n        "code": "idempotency_key_reused",\n        "param": null\n    }\n}',
    false,
  ),
  block(
    SCENARIO_MISSING,
    'GET /v1/claims/QRHKN',
    '404 Not Found',
    '{\n    "error": {\n        "code": "resource_not_found",\n        "param": "id"\n    }\n}',
    false,
  ),
  block(SCENARIO_OK, 'GET /v1/claims?limit=abc', '400 Bad Request', '{}', true),
  'Tests run: 3, Successes: 1, Failures: 2, WIP: 0, Errors: 0',
].join('\n');

const xmlName = (s: string) =>
  `Contract Tests &gt; SpecmaticJUnitSupport &gt; contractTest() &gt; ${s.replace(/>/g, '&gt;').replace(/'/g, '&apos;')}`;
const JUNIT = `<testsuite errors="0" failures="2" name="Contract Tests" tests="3">
<testcase classname="io.specmatic.test.SpecmaticJUnitSupport" name="${xmlName(SCENARIO_REUSED)}" time="0.01"><failure message="Testing scenario &quot;File a claim.&quot;&#10;Specification expected status 201 but response contained status 400" type="java.lang.AssertionError"><![CDATA[trace]]></failure></testcase>
<testcase classname="io.specmatic.test.SpecmaticJUnitSupport" name="${xmlName(SCENARIO_MISSING)}" time="0.01"><failure message="expected 200 but 404" type="java.lang.AssertionError"/></testcase>
<testcase classname="io.specmatic.test.SpecmaticJUnitSupport" name="${xmlName(SCENARIO_OK)}" time="0.01"/>
</testsuite>`;

// What Specmatic prints when it refuses the contract before testing (main's `5XX` keys).
const REFUSED_LOG = [
  'Specmatic Version: v2.55.1(01b2d2bf)',
  '',
  'Specmatic Test Suite has FAILED',
  'Reason:',
  '>> paths./v1/collection_cases.post.responses.5XX',
  '',
  '    OAS0031: Invalid response status',
  '    Documentation: https://docs.specmatic.io/rules#oas0031',
  '    Summary: Response status must be a valid integer or literal default',
  '',
  '    Expected status codes to be numbers or default, but "5XX" was found, defaulting to \'default\'',
  '',
  'Tests run: 1, Successes: 0, Failures: 1, WIP: 0, Errors: 0',
].join('\n');

const dirs: string[] = [];
function reportDir(log: string, junit: string | null): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'casapay-specmatic-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'specmatic.log'), log);
  if (junit !== null) {
    mkdirSync(path.join(dir, 'junit'));
    writeFileSync(path.join(dir, 'junit/TEST-junit-jupiter.xml'), junit);
  }
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const run = { seconds: 1, exitCode: 1, timedOut: false };

describe("reading Specmatic's output", () => {
  it('JUnit: every test case, its name without the JUnit prefix, failed or not', () => {
    const cases = parseJUnit(JUNIT);
    expect(cases.map((c) => [c.name, c.failed])).toEqual([
      [SCENARIO_REUSED, true],
      [SCENARIO_MISSING, true],
      [SCENARIO_OK, false],
    ]);
    expect(cases[0]!.message).toContain('expected status 201 but response contained status 400');
  });

  it('console log: each test with its request, answer and status', () => {
    const exchanges = parseLog(LOG);
    expect(exchanges.map((e) => [e.scenario, e.failed, e.status])).toEqual([
      [SCENARIO_REUSED, true, 400],
      [SCENARIO_MISSING, true, 404],
      [SCENARIO_OK, false, 400],
    ]);
    expect(exchanges[0]!.request).toMatch(/^POST \/v1\/claims\nIdempotency-Key: Y\n/);
    expect(exchanges[0]!.response).toMatch(/^400 Bad Request\n[\s\S]*"code": "idempotency_key_reused"/);
    expect(exchanges[0]!.reason).toContain('R0002');
  });

  it('contract warnings: ignored examples, OAS rules with their JSON path, and a refused contract', () => {
    expect(parseWarnings(LOG)).toEqual([
      { code: 'WARNING', at: '', text: expect.stringContaining('Ignoring request example named quickstart') },
      {
        code: 'OAS9999',
        at: 'components.parameters.Created.schema',
        text: expect.stringContaining('only style form with explode true is supported'),
      },
    ]);
    expect(parseWarnings(REFUSED_LOG)).toEqual([
      { code: 'OAS0031', at: 'paths./v1/collection_cases.post.responses.5XX', text: expect.stringContaining('"5XX"') },
    ]);
    // An example Specmatic cannot read makes it refuse the whole contract too (Specmatic reads `(…)` as a type).
    const badExample = [
      'Specmatic Test Suite has FAILED',
      'Reason:',
      '>> Error loading example named invoice for POST /cases/(id:uuid)/files -> 200.REQUEST.MULTIPART-FORMDATA.File.content',
      '',
      '    R1001: Type mismatch',
      '    Summary: The value type does not match the expected type defined in the specification',
      '',
      '    Type (invoice.pdf) does not exist',
    ].join('\n');
    expect(parseWarnings(badExample)).toEqual([
      {
        code: 'R1001',
        at: expect.stringContaining('Error loading example named invoice for POST /cases/(id:uuid)/files'),
        text: 'R1001: Type mismatch Type (invoice.pdf) does not exist',
      },
    ]);
  });
});

describe('the verdict', () => {
  const known = loadKnown();

  it('a known limitation is counted by its id; any other failure is listed with its exchange and fails', () => {
    const result = readResult('casapay', reportDir(LOG, JUNIT), known, run);
    expect([result.tests, result.passed, result.failed]).toEqual([3, 1, 2]);
    expect(result.known).toEqual({ 'idempotency-key-repeated': 1 });
    expect(result.unexplained.map((f) => [f.scenario, f.status])).toEqual([[SCENARIO_MISSING, 404]]);
    expect(result.unexplained[0]!.request).toBe('GET /v1/claims/QRHKN');
    expect(verdict(result)).toBe(false);
    // The OAS9999 warning is a known one; the ignored example is not.
    expect(result.warnings.map((w) => w.known)).toEqual([undefined, 'deep-object-query']);
  });

  it('passes when every failure and warning is a known limitation', () => {
    const log = LOG.split('\n')
      .filter((l) => !l.startsWith('WARNING:'))
      .join('\n');
    const junit = JUNIT.replace(/<testcase [^\n]*?GET \/v1\/claims\/\(id:string\)[^\n]*\n/, '');
    const result = readResult('casapay', reportDir(log, junit), known, run);
    expect(result.unexplained).toEqual([]);
    expect(verdict(result)).toBe(true);
  });

  it('a known scenario with another answer, or on another contract, is not excused', () => {
    const exchange = {
      scenario: SCENARIO_REUSED,
      response: '404 Not Found\n\n{"error": {"code": "resource_not_found"}}',
    };
    expect(knownFailure(known, 'casapay', exchange)).toBeUndefined();
    const reused = { ...exchange, response: '400 Bad Request\n\n{"code": "idempotency_key_reused"}' };
    expect(knownFailure(known, 'casapay', reused)?.id).toBe('idempotency-key-repeated');
    expect(knownFailure(known, 'debitura-customer', reused)).toBeUndefined();
  });

  it('a refused contract (no tests) or a missing report fails', () => {
    const refused = readResult('casapay', reportDir(REFUSED_LOG, '<testsuite tests="0"></testsuite>'), known, run);
    expect(refused.problem).toMatch(/ran no tests/);
    expect(refused.warnings.map((w) => [w.code, w.known])).toEqual([['OAS0031', undefined]]);
    expect(verdict(refused)).toBe(false);
    expect(verdict(readResult('casapay', reportDir('', null), known, run))).toBe(false);
  });
});

describe('scripts/specmatic-known-limitations.json', () => {
  const known = loadKnown();

  it('every failure entry names an operation of a contract it lists and the answer it excuses', () => {
    const names = CONTRACTS.map((c) => c.name);
    for (const entry of known.failures) {
      expect(
        entry.contracts.every((c) => names.includes(c)),
        entry.id,
      ).toBe(true);
      // Precise: a scenario pattern anchored on the test's polarity and a method + path, never a blanket match.
      expect(entry.scenario, entry.id).toMatch(/^\^\\[+-]ve\\s\+Scenario: (\(?[A-Z|]+\)? )/);
      expect(entry.response, entry.id).toMatch(/^\^\d{3} /);
      expect(() => [new RegExp(entry.scenario), new RegExp(entry.response)]).not.toThrow();
    }
    expect(new Set(known.failures.map((k) => k.id)).size).toBe(known.failures.length);
  });

  it('every warning entry names its rule code and the JSON path it is about', () => {
    for (const entry of known.warnings) {
      expect(entry.code, entry.id).toMatch(/^(OAS\d{4}|NOCODE)$/);
      expect(entry.at, entry.id).toMatch(/^\^.+\$$/);
    }
  });
});

describe('the Specmatic configuration', () => {
  it('turns on generative tests, positive and negative, with a bound', () => {
    expect(specmaticConfig(8)).toBe(
      'version: 2\ntest:\n  resiliencyTests:\n    enable: all\n  maxTestRequestCombinations: 8\n  timeoutInMilliseconds: 10000\n',
    );
  });
});

describe('refusals for rules the contract states in x-rules', () => {
  const contract = {
    'x-rules': {
      authenticated: { scope: 'every-operation', refusals: [{ status: 401, code: 'api_key_invalid' }] },
      'list-cursor': { refusals: [{ status: 400, code: 'parameters_exclusive', param: 'ending_before' }] },
      'object-exists': { refusals: [{ status: 404, code: 'resource_not_found', param: '*' }] },
      'case-statuses': { refusals: [{ status: 400, code: 'parameter_invalid', param: 'Statuses' }] },
      'client-onboarding': { refusals: [{ status: 400, code: 'parameter_invalid', param: 'cases[*]' }] },
      'case-submittable': {
        refusals: [{ status: 422, code: 'amount_below_minimum', businessErrors: ['AmountBelowMinimum'] }],
      },
    },
    paths: {
      '/v1/claims': { get: { 'x-rules': ['list-cursor'] } },
      '/v1/claims/{id}': { get: { 'x-rules': ['object-exists'] } },
      '/cases': { get: { 'x-rules': ['case-statuses'] } },
      '/clients': { post: { 'x-rules': ['client-onboarding'] } },
      '/cases/preview': { post: { 'x-rules': ['case-submittable'] } },
    },
  };
  const refusals = statedRefusals(contract);
  const answer = (status: number, body: string) => ({
    status,
    response: `${status} X\ncontent-type: application/json\n\n${body}`,
  });

  it("lists each operation's own rules and the every-operation ones", () => {
    expect(refusals.get('GET /v1/claims')?.map((r) => r.rule)).toEqual(['authenticated', 'list-cursor']);
    expect(refusals.get('GET /v1/claims/{id}')?.map((r) => r.rule)).toEqual(['authenticated', 'object-exists']);
  });

  it("matches a positive test's refusal by operation, status, code and field", () => {
    const list = "+ve  Scenario: GET /v1/claims -> 200 with the request from the example 'page' where limit is set";
    const exclusive = '{"error": {"code": "parameters_exclusive", "param": "ending_before"}}';
    expect(statedRule(refusals, { scenario: list, ...answer(400, exclusive) })).toBe('list-cursor');
    // Another field, another code, another operation or a negative test: not this rule.
    const otherParam = '{"error": {"code": "parameters_exclusive", "param": "types"}}';
    expect(statedRule(refusals, { scenario: list, ...answer(400, otherParam) })).toBeUndefined();
    expect(statedRule(refusals, { scenario: list, ...answer(400, '{"error": {"code": "parameter_invalid"}}') })).toBe(
      undefined,
    );
    const one =
      '+ve  Scenario: GET /v1/claims/(id:string) -> 200 with a request where REQUEST.PARAMETERS.PATH contains id';
    expect(statedRule(refusals, { scenario: one, ...answer(400, exclusive) })).toBeUndefined();
    expect(statedRule(refusals, { scenario: `-ve${list.slice(3)}`, ...answer(400, exclusive) })).toBeUndefined();
    // `param: '*'` takes any field; Specmatic's `(id:string)` is the contract's `{id}`.
    const missing = '{"error": {"code": "resource_not_found", "param": "id"}}';
    expect(statedRule(refusals, { scenario: one, ...answer(404, missing) })).toBe('object-exists');
    // A test from the schema alone (a response media type without an example) invents its id too.
    const schemaOnly = '+ve  Scenario: GET /v1/claims/(id:string) -> 200';
    expect(statedRule(refusals, { scenario: schemaOnly, ...answer(404, missing) })).toBe('object-exists');
    // The example itself, replayed unchanged, refused: the example and the seed disagree; not excused.
    const asWritten = "+ve  Scenario: GET /v1/claims/(id:string) -> 200 with the request from the example 'claim'";
    expect(statedRule(refusals, { scenario: asWritten, ...answer(404, missing) })).toBeUndefined();
  });

  it("Debitura's shape: the code is `error` and the message names the field", () => {
    const scenario = "+ve  Scenario: GET /cases -> 200 with the request from the example 'page' where Statuses is set";
    const body = '{"error": "parameter_invalid", "message": "Invalid Statuses: \'X\' is not a lifecycle."}';
    expect(statedRule(refusals, { scenario, ...answer(400, body) })).toBe('case-statuses');
    const other = '{"error": "parameter_invalid", "message": "Invalid Page: must be >= 1."}';
    expect(statedRule(refusals, { scenario, ...answer(400, other) })).toBeUndefined();
    // `cases[*]` names any index.
    const clients = "+ve  Scenario: POST /clients -> 201/202 with the request from the example 'ready' where x is set";
    const nested =
      '{"error": "parameter_invalid", "message": "cases[0]: Invalid currencyCode: must be an ISO 4217 code."}';
    expect(statedRule(refusals, { scenario: clients, ...answer(400, nested) })).toBe('client-onboarding');
    const flat = '{"error": "parameter_invalid", "message": "Invalid currencyCode: must be an ISO 4217 code."}';
    expect(statedRule(refusals, { scenario: clients, ...answer(400, flat) })).toBeUndefined();
    // A 422 names itself only by its business error's type, which the rule lists.
    const preview =
      "+ve  Scenario: POST /cases/preview -> 200 with the request from the example 'eligible' where x is set";
    const below = '{"businessErrors": [{"type": "AmountBelowMinimum", "message": "below"}], "signingHandoff": null}';
    expect(statedRule(refusals, { scenario: preview, ...answer(422, below) })).toBe('case-submittable');
    const unlisted = below.replace('AmountBelowMinimum', 'NoPartnerAvailable');
    expect(statedRule(refusals, { scenario: preview, ...answer(422, unlisted) })).toBeUndefined();
  });
});

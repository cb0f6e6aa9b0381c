// pact check against the contract: the fixtures (pact files as pact-js writes them, v3 and v4) each
// produce exactly the findings they were written to show, and the consumer view of the contract is
// the one PactFlow's rules describe — derived, so these tests fail if the derivation drifts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createContractAjv, anchoredSchema, loadContract } from '../../kit/contract.js';
import { createPactChecker, formatCheckReport, type Finding } from './check.js';
import { consumerViewDocument } from './consumer-view.js';
import { parsePact, readPactFile } from './pact-file.js';

const contract = loadContract();
const checker = createPactChecker(contract);
const fixture = (name: string) => path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', `${name}.json`);
const essentials = (findings: Finding[]) =>
  findings.map(({ severity, part, field, rule }) => ({ severity, part, field, rule }));

const cases: Array<
  [
    fixture: string,
    want: { errors: number; warnings: number; findings: Array<Omit<Finding, 'interaction' | 'message'>> },
  ]
> = [
  ['valid', { errors: 0, warnings: 0, findings: [] }],
  [
    'invalid-request',
    {
      errors: 2,
      warnings: 2,
      findings: [
        { severity: 'warning', part: 'request', field: 'query expand', rule: 'query-param-unknown' },
        { severity: 'warning', part: 'request', field: 'header x-dashboard-version', rule: 'header-unknown' },
        { severity: 'error', part: 'request', field: '$.currency', rule: 'request-field-required' },
        { severity: 'error', part: 'request', field: '$.amount_to_recover', rule: 'request-field-type' },
      ],
    },
  ],
  [
    'undeclared-field',
    {
      errors: 1,
      warnings: 0,
      findings: [
        { severity: 'error', part: 'response', field: '$.debtor.credit_score', rule: 'response-field-undeclared' },
      ],
    },
  ],
  [
    'undeclared-status',
    {
      errors: 1,
      warnings: 0,
      findings: [{ severity: 'error', part: 'response', field: 'status', rule: 'response-status-declared' }],
    },
  ],
  ['subset-response', { errors: 0, warnings: 0, findings: [] }],
];

describe('pact check: the fixtures', () => {
  it.each(cases)('%s', (name, want) => {
    const report = checker.check(readPactFile(fixture(name)));
    expect(essentials(report.findings)).toEqual(want.findings);
    expect({ errors: report.errors, warnings: report.warnings }).toEqual({
      errors: want.errors,
      warnings: want.warnings,
    });
    // Every finding names its interaction, so a report of a big pact can be read.
    for (const f of report.findings) expect(report.findings.length && f.interaction).toMatch(/\w/);
  });

  it('the report names the interaction, the field and the rule', () => {
    const report = checker.check(readPactFile(fixture('undeclared-field')));
    const text = formatCheckReport(report, 'undeclared-field.json');
    expect(text).toContain(`"a case with the debtor's score"`);
    expect(text).toContain('$.debtor.credit_score [response-field-undeclared]');
    expect(text).toMatch(/1 error\(s\)/);
  });

  it('the example consumer’s own pact is compatible with the contract', () => {
    const report = checker.check(
      readPactFile(
        path.join(
          path.dirname(fileURLToPath(import.meta.url)),
          '..',
          '..',
          'examples',
          'frontend-consumer',
          'pacts',
          'frontend-app-casapay-api.json',
        ),
      ),
    );
    expect(report.findings).toEqual([]);
    expect(report.interactions).toBe(4);
  });
});

describe('pact check: rules one at a time', () => {
  // With the API key unless a case says otherwise (`headers: {}`).
  const one = (request: Record<string, unknown>, response: Record<string, unknown>) =>
    checker.check(
      parsePact({
        consumer: { name: 'c' },
        provider: { name: 'p' },
        interactions: [
          { description: 'x', request: { headers: { Authorization: 'Bearer sk_test_1' }, ...request }, response },
        ],
        metadata: { pactSpecification: { version: '3.0.0' } },
      }),
    );

  it('a request without the API key is an error unless it expects the 401', () => {
    expect(
      essentials(one({ method: 'GET', path: '/v1/collection_cases/dc_1', headers: {} }, { status: 200 }).findings),
    ).toEqual([
      { severity: 'error', part: 'request', field: 'header Authorization', rule: 'request-authorization-missing' },
    ]);
    expect(one({ method: 'GET', path: '/v1/collection_cases/dc_1', headers: {} }, { status: 401 }).findings).toEqual(
      [],
    );
  });

  it('a path that is no operation of the contract is an error', () => {
    expect(essentials(one({ method: 'GET', path: '/v1/collection-cases' }, { status: 200 }).findings)).toEqual([
      { severity: 'error', part: 'request', field: null, rule: 'operation-declared' },
    ]);
  });

  it('a query parameter outside its schema is an error (limit 1–100)', () => {
    expect(
      essentials(
        one({ method: 'GET', path: '/v1/collection_cases', query: { limit: ['500'] } }, { status: 200 }).findings,
      ),
    ).toEqual([{ severity: 'error', part: 'request', field: 'query limit', rule: 'query-param-schema' }]);
  });

  it('an undeclared, non-standard response header is an error; Request-Id (declared) and Content-Type are not', () => {
    const report = one(
      { method: 'GET', path: '/v1/collection_cases/dc_1' },
      { status: 200, headers: { 'Request-Id': 'req_1', 'Content-Type': 'application/json', 'X-Powered-By': 'php' } },
    );
    expect(essentials(report.findings)).toEqual([
      { severity: 'error', part: 'response', field: 'header x-powered-by', rule: 'response-header-undeclared' },
    ]);
  });

  it('a subset inside a nullable oneOf branch passes, an undeclared field inside it does not', () => {
    const preview = (partner: unknown) =>
      one(
        {
          method: 'POST',
          path: '/v1/collection_case_previews',
          body: {
            amount_to_recover: 360000,
            currency: 'eur',
            due_date: '2024-11-01',
            debtor: { type: 'private', name: 'J', country: 'DE' },
          },
        },
        { status: 200, body: { partner_assignment: partner } },
      );
    expect(preview({ partner_name: 'CollectMax GmbH' }).findings).toEqual([]);
    expect(preview(null).findings).toEqual([]);
    expect(essentials(preview({ partner_name: 'CollectMax GmbH', partner_rating: 5 }).findings)).toEqual([
      {
        severity: 'error',
        part: 'response',
        field: '$.partner_assignment.partner_rating',
        rule: 'response-field-undeclared',
      },
    ]);
  });

  it('a wrong type in a response is still an error (a subset of fields, not of types)', () => {
    expect(
      essentials(
        one({ method: 'GET', path: '/v1/collection_cases/dc_1' }, { status: 200, body: { remainder: '360000' } })
          .findings,
      ),
    ).toEqual([{ severity: 'error', part: 'response', field: '$.remainder', rule: 'response-field-type' }]);
  });

  it('reads a v2 pact (one providerState, the query as a string)', () => {
    const report = checker.check(
      parsePact({
        consumer: { name: 'c' },
        provider: { name: 'p' },
        interactions: [
          {
            description: 'v2',
            providerState: 'an empty account',
            request: {
              method: 'GET',
              path: '/v1/collection_cases',
              query: 'limit=500&colour=red',
              headers: { Authorization: 'Bearer sk_test_1' },
            },
            response: { status: 200 },
          },
        ],
        metadata: { pactSpecification: { version: '2.0.0' } },
      }),
    );
    expect(essentials(report.findings)).toEqual([
      { severity: 'warning', part: 'request', field: 'query colour', rule: 'query-param-unknown' },
      { severity: 'error', part: 'request', field: 'query limit', rule: 'query-param-schema' },
    ]);
  });

  it('a 4XX range or 5XX declared in the contract covers 503', () => {
    expect(
      one({ method: 'GET', path: '/v1/collection_cases/dc_1' }, { status: 503, body: { error: { type: 'api_error' } } })
        .findings,
    ).toEqual([]);
  });
});

describe('the consumer view of the contract', () => {
  const view = consumerViewDocument(contract.document);
  const ajv = createContractAjv(view);
  const validate = (name: string) => ajv.compile(anchoredSchema({ $ref: `#/components/schemas/${name}` }));

  it('is derived: no schema keeps `required`, and every declared object is closed', () => {
    const offenders: string[] = [];
    const walk = (node: any, where: string) => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}/${i}`));
      // `if` and `not` are conditions, left as written; a branch of an object with its own properties is closed by that object.
      if (/\/(if|not)(\/|$)/.test(where)) return;
      if (Array.isArray(node.required)) offenders.push(`${where} keeps required`);
      if (
        node.properties &&
        node.additionalProperties === undefined &&
        node.unevaluatedProperties === undefined &&
        !/\/((anyOf|allOf)\/\d+|then|else)$/.test(where)
      )
        offenders.push(`${where} is open`);
      for (const [k, v] of Object.entries(node)) if (k !== 'example' && k !== 'examples') walk(v, `${where}/${k}`);
    };
    walk(view.components.schemas, '#/components/schemas');
    expect(offenders).toEqual([]);
    expect(
      contract.document.components.schemas.CollectionCase.required.length,
      'the bundled contract itself is untouched',
    ).toBeGreaterThan(0);
  });

  it('accepts a subset the contract as written refuses', () => {
    const subset = { id: 'dc_a1b2c3d4', status: 'active' };
    expect(contract.schema('CollectionCase')(subset), 'the strict contract requires more fields').toBe(false);
    expect(validate('CollectionCase')(subset)).toBe(true);
  });
});

// Every CasaPay request of the documentation pages (spec/docs-examples/), sent verbatim to the mock
// with only the host changed. The docs' key (sk_test_4eC39HqLyjWDarjtT1zdp7dc) holds the objects they
// refer to (dc_a1b2c3d4, Q8OAXF3W, gpol_abc123, grt_def456), so each must succeed; every response is
// checked against the contract by the test client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocsExamples } from '../../../spec/support/docs-examples.js';
import { startMock, type TestMock } from '../../test-support.js';

const DOCS_HOST = 'https://api.casapay.com';
const curls = readDocsExamples().flatMap((e) =>
  e.kind === 'curl' && e.request.url.startsWith(`${DOCS_HOST}/`) ? [{ key: e.key, ...e.request }] : [],
);

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

describe('documented curl commands', () => {
  it("finds the quickstarts' requests", () => {
    expect(curls.length).toBeGreaterThanOrEqual(12);
  });

  it.each(curls.map((c) => [`${c.key}: ${c.method} ${c.url.replace(DOCS_HOST, '')}`, c] as const))(
    '%s',
    async (_name, curl) => {
      const target = curl.url.replace(DOCS_HOST, '');
      const { authorization, ...headers } = curl.headers;
      let body: unknown = curl.body;
      if (curl.form) {
        const form = new FormData();
        for (const [name, value] of curl.form) {
          if (value.startsWith('@'))
            form.set(
              name,
              new Blob([Buffer.from('%PDF-1.7 docs invoice')], { type: 'application/pdf' }),
              value.slice(1),
            );
          else form.set(name, value);
        }
        body = form;
      }
      const res = await mock.call(curl.method, target, { key: authorization!.replace(/^Bearer /, ''), headers, body });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    },
  );
});

// Issue 17, finding 15: the guarantee quickstart's dates are in 2024, so on the mock's clock the
// guarantee it creates was already expired; the docs show it active. The docs' key puts guarantees
// created without test_clock on the quickstart's clock (2024-01-25), where they are alive.
describe('the guarantee quickstart, verbatim', () => {
  const examples = readDocsExamples().filter((e) => e.file.includes('guarantee-quickstart'));
  const curl = examples.find((e) => e.name === 'create a guarantee');
  const shown = examples.find((e) => e.name === 'create guarantee response');
  const bodyOf = (body: unknown) => (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, unknown>;

  it('creates a guarantee as the docs show it (active, created on the quickstart day), and a claim on it is accepted', async () => {
    if (curl?.kind !== 'curl' || shown?.kind !== 'response')
      throw new Error('the guarantee quickstart examples are missing');
    const key = curl.request.headers.authorization!.replace(/^Bearer /, '');
    const res = await mock.call(curl.request.method, curl.request.url.replace(DOCS_HOST, ''), {
      key,
      body: curl.request.body,
    });
    expect(res.status).toBe(201);
    const { id: _id, ...expected } = shown.value as Record<string, unknown>;
    expect(res.body).toMatchObject(expected);
    expect(res.body.test_clock).toMatch(/^clock_/);
    const claimCurl = examples.find((e) => e.name === 'file a claim');
    if (claimCurl?.kind !== 'curl') throw new Error('the claim example is missing');
    const claim = await mock.call('POST', '/v1/claims', {
      key,
      body: { ...bodyOf(claimCurl.request.body), guarantee: res.body.id },
    });
    expect(claim.status, JSON.stringify(claim.body)).toBe(201);
  });

  it("another key still dates guarantees on the mock's clock (a 2024 guarantee is expired there)", async () => {
    if (curl?.kind !== 'curl') throw new Error('the guarantee quickstart example is missing');
    const key = 'sk_test_not_the_docs_key';
    await mock
      .call('POST', '/v1/guarantee_policies', {
        key,
        body: {
          name: 'Standard',
          coverage_percentage: 100,
          max_coverage_months: 12,
          waiting_period_days: 30,
          eligible_score_minimum: 60,
        },
      })
      .then(async (policy) => {
        const body = { ...bodyOf(curl.request.body), policy: policy.body.id };
        const res = await mock.call('POST', '/v1/guarantees', { key, body });
        expect(res.body).toMatchObject({ status: 'expired', test_clock: null });
      });
  });
});

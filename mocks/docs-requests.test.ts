// Every CasaPay request of the documentation pages (spec/docs-examples/), sent verbatim to the mock
// with only the host changed. The docs' key (sk_test_4eC39HqLyjWDarjtT1zdp7dc) holds the objects they
// refer to (dc_a1b2c3d4, Q8OAXF3W, gpol_abc123, grt_def456), so each must succeed; every response is
// checked against the contract by the test client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocsExamples } from '../spec/support/docs-examples.js';
import { startMock, type TestMock } from './test-support.js';

const DOCS_HOST = 'https://api.casapay.com';
const curls = readDocsExamples().flatMap((e) => (e.kind === 'curl' && e.request.url.startsWith(`${DOCS_HOST}/`) ? [{ key: e.key, ...e.request }] : []));

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

describe('documented curl commands', () => {
  it("finds the quickstarts' requests", () => {
    expect(curls.length).toBeGreaterThanOrEqual(12);
  });

  it.each(curls.map((c) => [`${c.key}: ${c.method} ${c.url.replace(DOCS_HOST, '')}`, c] as const))('%s', async (_name, curl) => {
    const target = curl.url.replace(DOCS_HOST, '');
    const { authorization, ...headers } = curl.headers;
    let body: unknown = curl.body;
    if (curl.form) {
      const form = new FormData();
      for (const [name, value] of curl.form) {
        if (value.startsWith('@')) form.set(name, new Blob([Buffer.from('%PDF-1.7 docs invoice')], { type: 'application/pdf' }), value.slice(1));
        else form.set(name, value);
      }
      body = form;
    }
    const res = await mock.call(curl.method, target, { key: authorization!.replace(/^Bearer /, ''), headers, body });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  });
});

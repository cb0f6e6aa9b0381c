// Every request of the seeds' quickstarts and reference pages, sent verbatim to the mock with only the
// host changed. The docs' key (sk_test_4eC39HqLyjWDarjtT1zdp7dc) holds the objects they refer to
// (dc_a1b2c3d4, Q8OAXF3W, gpol_abc123, grt_def456), so each must succeed; every response is checked
// against the contract by the test client.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractCurls } from '../spec/support/seed-curls.js';
import { seedDir } from '../spec/support/load-spec.js';
import { startMock, type TestMock } from './test-support.js';

const curls = readdirSync(seedDir)
  .filter((f) => /^\d{3}_.*\.txt$/.test(f))
  .sort()
  .flatMap((f) => extractCurls(f, readFileSync(path.join(seedDir, f), 'utf8')))
  .filter((c) => c.url.startsWith('https://api.casapay.com/'));

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

describe('seed curl commands', () => {
  it('finds the quickstarts\' requests', () => {
    expect(curls.length).toBeGreaterThanOrEqual(12);
  });

  it.each(curls.map((c) => [`${c.file.slice(0, 3)}:${c.line} ${c.method} ${c.url.replace('https://api.casapay.com', '')}`, c] as const))('%s', async (_name, curl) => {
    const target = curl.url.replace('https://api.casapay.com', '');
    const { authorization, ...headers } = curl.headers;
    let body: unknown = curl.body;
    if (curl.form) {
      const form = new FormData();
      for (const [name, value] of curl.form) {
        if (value.startsWith('@')) form.set(name, new Blob([Buffer.from('%PDF-1.7 seed invoice')], { type: 'application/pdf' }), value.slice(1));
        else form.set(name, value);
      }
      body = form;
    }
    const res = await mock.call(curl.method, target, { key: authorization!.replace(/^Bearer /, ''), headers, body });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  });
});

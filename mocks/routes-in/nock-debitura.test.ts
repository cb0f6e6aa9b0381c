// Debitura's docs page, request for request, against Debitura's real hosts — answered in-process by
// interceptDebitura with the network shut: not even the hosts change. The multipart example's
// `{caseId}` is the case the flow created and its `<binary>` a small PDF.
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocsExamples, type DocsExample } from '../../spec/support/docs-examples.js';
import { createClock } from '../engine/clock.js';
import { loadBundledContract } from '../../kit/contract.js';
import { TEST_NOW } from '../test-support.js';
import { interceptDebitura, type CasaPayInterceptor } from './nock.js';

const page = readDocsExamples().filter(
  (e): e is Extract<DocsExample, { kind: 'http' }> => e.file.startsWith('debitura-') && e.kind === 'http',
);
const customer = loadBundledContract('debitura-customer.json');
const referral = loadBundledContract('debitura-referral.json');

/** The docs' request as fetch sends it; a multipart example gets a real form with a small PDF. */
function send(example: (typeof page)[number], caseId: string) {
  const { method, url, headers, body } = example.request;
  const target = url.replace('{caseId}', caseId);
  if (headers['content-type'] === 'multipart/form-data') {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'invoice.pdf');
    const { 'content-type': _type, ...rest } = headers;
    return fetch(target, { method, headers: rest, body: form });
  }
  const { host: _host, ...rest } = headers;
  return fetch(target, { method, headers: rest, ...(body ? { body } : {}) });
}

describe("interceptDebitura: the docs page's requests to Debitura's own hosts", () => {
  let debitura: CasaPayInterceptor;
  beforeAll(async () => {
    nock.disableNetConnect();
    // #region readme:intercept-debitura
    // Answers https://referral-api.debitura.com and https://customer-api.debitura.com in-process.
    debitura = await interceptDebitura({ seed: 'docs', clock: createClock({ start: TEST_NOW, frozen: true }) });
    // #endregion
  });
  afterAll(async () => {
    await debitura.restore();
    nock.enableNetConnect();
  });

  it('has the three requests of the page: mint, submit, upload', () => {
    expect(page.map((e) => e.name)).toEqual(['mint a token', 'submit a case', 'upload a file to a case']);
  });

  it('runs them verbatim, in order, each answered as the contract says', async () => {
    const partnerCases = async () =>
      (
        (await (
          await fetch('https://referral-api.debitura.com/cases', { headers: { XApiKey: 'YOUR_API_KEY' } })
        ).json()) as { cases: Array<{ id: string; attributedToPartner: boolean }> }
      ).cases.map((c) => [c.id, c.attributedToPartner] as const);
    // What the docs' partner holds before: the cases the contracts' example stories name.
    const seeded = await partnerCases();
    const seededInState = debitura.state('YOUR_API_KEY')?.debitura?.cases?.length ?? 0;
    let caseId = '';
    const answers: Array<[string, number]> = [];
    for (const example of page) {
      const res = await send(example, caseId);
      const body = (await res.json()) as Record<string, any>;
      answers.push([example.name, res.status]);
      const onCustomer = example.request.url.startsWith('https://customer-api.debitura.com');
      const op = (onCustomer ? customer : referral).match(
        example.request.method,
        new URL(example.request.url).pathname.replace('{caseId}', caseId || 'x'),
      );
      expect(op, example.name).toBeDefined();
      const validate = (onCustomer ? customer : referral).responseValidator(op!.operationId, res.status);
      expect(validate && validate(body), `${example.name}: ${JSON.stringify(validate && validate.errors)}`).toBe(true);
      if (example.name === 'mint a token')
        expect(body).toEqual({ accessToken: 'eyJhbGciOiJIUzI1NiIs...', tokenType: 'Bearer', expiresIn: 1800 });
      if (example.name === 'submit a case') caseId = body.id;
      if (example.name === 'upload a file to a case')
        expect(Object.keys(body).sort()).toEqual(['dateCreated', 'fileName', 'id']);
    }
    expect(answers).toEqual([
      ['mint a token', 200],
      ['submit a case', 200],
      ['upload a file to a case', 200],
    ]);
    // The case is the partner's: its GET /cases lists it, attributed to the partnership, beside the seeded ones.
    expect(await partnerCases()).toEqual([[caseId, true], ...seeded]);
    expect(debitura.state('YOUR_API_KEY')?.debitura?.cases).toHaveLength(seededInState + 1);
    expect(debitura.received({ method: 'POST', path: '/debitura/customer/cases' })).toHaveLength(1);
  });
});

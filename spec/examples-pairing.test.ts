// The contract's examples are stories paired by name, the convention Specmatic and Microcks' dispatcher
// read: within one operation, example N on the request body and on the path/query parameters goes with
// the one response example named N. This test checks the pairing in all three contracts, checks that
// every id CasaPay's stories name exists on the docs' key, and replays every CasaPay story against a
// real mock: the answer's status is the one the story is filed under and its body is valid.
//
// Replay order: each story runs on a fresh docs' account (`POST /__admin/reset?account=…`, then the
// next request seeds the quickstart scenario again), so a story that changes state (close, cancel,
// delete) cannot break another. The seed also gives every changing story objects of its own, so a tool
// replaying all stories on one account in any order gets the same answers.
//
// Values: for a non-list answer, every field the example shows must be equal, except those the server
// mints or derives from "now" (SERVER_SET below, and a created object's id, reference and url; timestamps of
// the seed's run, fees that grow with the debt's age, a file's bytes, the seed's guarantee clock). Lists
// are checked against their schema only: a page holds whatever the seed made, in creation order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeErrors, type Contract } from '../kit/contract.js';
import { startMock, type TestMock } from '../mocks/test-support.js';
import { casapay, debituraCustomer, debituraReferral } from './support/load-spec.js';

const DOCS_KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';

interface Story {
  operationId: string;
  method: string;
  path: string;
  name: string;
  /** The response statuses that hold an example of this name. */
  statuses: string[];
  request?: { type: string; value: unknown };
  params: { name: string; in: string; value: unknown }[];
  response?: unknown;
}

/** Stories whose ids the seed cannot hold yet, with why (replayed once the seed can). */
const NOT_REPLAYED: Record<string, string> = {
  'createEventWebhookDelivery/resend':
    "the seed's webhook endpoints are disabled, so the docs' key never posts to example.com; resending needs an enabled one (422 otherwise)",
};

/** Fields the server sets at run time; an example shows a plausible value, not the seeded one. */
const SERVER_SET = new Set([
  'created', // the seed runs at the mock's start; the examples show the docs' dates
  'payment_date', // a test payment is dated now
  'deletes_after', // a test clock's deletion is 30 days after its creation
  'canceled_at', // cancelled now
  'fee_amount', // the age surcharge grows with the time since due_date
  'net_amount', // amount − fee_amount
  'size', // the example's multipart file is a placeholder, the seed's a few bytes
  'sha256',
  'test_clock', // the seed's guarantee clock has a minted id
  'secret', // minted per endpoint
  'payout', // a payout's id is minted when a claim is paid
]);

function deref(contract: Contract, node: any): any {
  if (!node?.$ref) return node;
  return node.$ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((n: any, k: string) => n?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], contract.document);
}

function stories(contract: Contract): { stories: Story[]; problems: string[] } {
  const out: Story[] = [];
  const problems: string[] = [];
  for (const [path, item] of Object.entries<any>(contract.document.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!op?.responses) continue;
      const byName = new Map<string, Story>();
      const story = (name: string) => {
        let s = byName.get(name);
        if (!s) {
          s = { operationId: op.operationId, method: method.toUpperCase(), path, name, statuses: [], params: [] };
          byName.set(name, s);
        }
        return s;
      };
      for (const [status, raw] of Object.entries<any>(op.responses)) {
        for (const media of Object.values<any>(deref(contract, raw).content ?? {}))
          for (const [name, ex] of Object.entries<any>(media.examples ?? {})) {
            const s = story(name);
            if (!s.statuses.includes(status)) s.statuses.push(status);
            s.response = ex.value;
          }
      }
      const responseNames = new Set(byName.keys());
      // A success without a body (204) holds no example: a request or parameter example of a name no
      // response holds is a story filed under it.
      const bodiless = Object.entries<any>(op.responses).find(
        ([status, raw]) => status.startsWith('2') && !deref(contract, raw).content,
      )?.[0];
      const paired = (name: string) => {
        if (responseNames.has(name)) return true;
        if (!bodiless) return false;
        const s = story(name);
        if (!s.statuses.includes(bodiless)) s.statuses.push(bodiless);
        return true;
      };
      const body = op.requestBody && deref(contract, op.requestBody);
      for (const [type, media] of Object.entries<any>(body?.content ?? {}))
        for (const [name, ex] of Object.entries<any>(media.examples ?? {})) {
          if (!paired(name))
            problems.push(`${op.operationId}: request example '${name}' has no response example of that name`);
          else story(name).request ??= { type, value: ex.value };
        }
      for (const raw of op.parameters ?? []) {
        const param = deref(contract, raw);
        for (const [name, ex] of Object.entries<any>(param.examples ?? {})) {
          if (!paired(name))
            problems.push(
              `${op.operationId}: parameter ${param.name} example '${name}' has no response example of that name`,
            );
          else story(name).params.push({ name: param.name, in: param.in, value: ex.value });
        }
      }
      for (const s of byName.values()) {
        if (s.statuses.length > 1)
          problems.push(`${op.operationId}: example '${s.name}' is filed under ${s.statuses.join(' and ')}`);
        if (body && !s.request && s.statuses.some((st) => st.startsWith('2')) && body.required)
          problems.push(`${op.operationId}: response example '${s.name}' has no request example of that name`);
        for (const p of path.match(/\{[^}]+\}/g) ?? [])
          if (!s.params.some((x) => x.in === 'path' && `{${x.name}}` === p))
            problems.push(`${op.operationId}: example '${s.name}' has no example for path parameter ${p}`);
      }
      out.push(...byName.values());
    }
  }
  return { stories: out, problems };
}

describe.each([
  ['casapay', casapay],
  ['debitura-customer', debituraCustomer],
  ['debitura-referral', debituraReferral],
] as const)('examples of %s are paired by name', (name, contract) => {
  const { problems } = stories(contract);
  it('every request and parameter example has a response partner', () => {
    expect(problems).toEqual([]);
  });
});

describe('CasaPay stories against a fresh docs account', () => {
  let mock: TestMock;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(async () => {
    await mock?.close();
  });

  const { stories: all } = stories(casapay);
  const replayed = all.filter((s) => !NOT_REPLAYED[`${s.operationId}/${s.name}`]);

  it('replays every story but the listed ones', () => {
    expect(replayed.length).toBeGreaterThan(40);
    for (const key of Object.keys(NOT_REPLAYED))
      expect(
        all.some((s) => `${s.operationId}/${s.name}` === key),
        `${key} is still a story`,
      ).toBe(true);
  });

  it('every id a story names exists on the docs key', async () => {
    const named = new Set<string>();
    const ids = /\b(?:dc|gpol|grt|clm|dp|we|clock|evt)_[A-Za-z0-9]+\b/g;
    for (const s of all) {
      if (NOT_REPLAYED[`${s.operationId}/${s.name}`]) continue;
      for (const p of s.params) for (const m of String(p.value).match(ids) ?? []) named.add(m);
      for (const m of JSON.stringify(s.request?.value ?? null).match(ids) ?? []) named.add(m);
    }
    const retrieve: Record<string, string> = {
      dc: '/v1/collection_cases/',
      gpol: '/v1/guarantee_policies/',
      grt: '/v1/guarantees/',
      clm: '/v1/claims/',
      dp: '/v1/debt_payments/',
      we: '/v1/webhook_endpoints/',
      clock: '/v1/test_helpers/test_clocks/',
      evt: '/v1/events/',
    };
    expect(named.size).toBeGreaterThan(10);
    for (const id of named) {
      const { status } = await mock.call('GET', `${retrieve[id.split('_')[0]!]}${id}`, { key: DOCS_KEY });
      expect(status, `${id} is not on the docs' key`).toBe(200);
    }
  });

  it.each(replayed.map((s) => [`${s.operationId}/${s.name}`, s] as const))('%s', async (_key, s) => {
    const reset = await mock.call('POST', `/__admin/reset?account=${DOCS_KEY}`, { key: null, unchecked: true });
    expect(reset.status).toBe(200);
    let path = s.path;
    const query = new URLSearchParams();
    for (const p of s.params) {
      if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(String(p.value)));
      else if (p.in === 'query') query.append(p.name, String(p.value));
    }
    let body: unknown = s.request?.value;
    if (s.request?.type === 'multipart/form-data') {
      const form = new FormData();
      for (const [field, value] of Object.entries(s.request.value as Record<string, string>)) {
        // The example shows the file's first bytes; the story names the file (`invoice` → invoice.pdf).
        if (field === 'file') form.append('file', new Blob([value]), `${s.name}.pdf`);
        else form.append(field, value);
      }
      body = form;
    }
    const url = query.size ? `${path}?${query}` : path;
    // mock.call checks the answer against the contract: its status declared, its body valid.
    const answer = await mock.call(s.method, url, { key: DOCS_KEY, body });
    expect(String(answer.status), JSON.stringify(answer.body)).toBe(s.statuses[0]);
    if (Buffer.isBuffer(answer.body) || (s.response as any)?.object === 'list') return;
    const minted = s.statuses[0] === '201' ? new Set(['id', 'reference', 'url', ...SERVER_SET]) : SERVER_SET;
    expect(differences(s.response, answer.body, '', minted)).toEqual([]);
  });
});

/** Where `actual` differs from what `example` shows (fields of `skip` excepted). */
function differences(example: unknown, actual: unknown, at: string, skip: Set<string>): string[] {
  if (example !== null && typeof example === 'object' && actual !== null && typeof actual === 'object') {
    if (Array.isArray(example) !== Array.isArray(actual)) return [`${at}: ${JSON.stringify(actual)}`];
    if (Array.isArray(example)) {
      if (example.length !== (actual as unknown[]).length) return [`${at}: ${JSON.stringify(actual)}`];
      return example.flatMap((e, i) => differences(e, (actual as unknown[])[i], `${at}[${i}]`, skip));
    }
    return Object.entries(example).flatMap(([k, v]) =>
      skip.has(k) ? [] : differences(v, (actual as Record<string, unknown>)[k], at ? `${at}.${k}` : k, skip),
    );
  }
  return example === actual ? [] : [`${at}: example ${JSON.stringify(example)}, answer ${JSON.stringify(actual)}`];
}

// Debitura: the docs' XApiKey `YOUR_API_KEY` opens the docs' partner on the Referral API and the docs'
// direct creditor on the Customer API; the docs' bearer token opens the docs' client of that partner on
// the Customer API. Both are seeded with what the stories name (mocks/apis/debitura/docs-seed.ts), so the
// Customer API's stories are replayed both ways. Each story runs on fresh accounts, twice (a tool replays
// every story on one account): the answer's status is the story's and its body is valid. Values are
// not compared: the examples show Debitura's published values (a collection partner, KYC states, minted
// ids) the mock derives itself.
const DEBITURA_KEY = 'YOUR_API_KEY';
const DEBITURA_DOCS_TOKEN = 'eyJhbGciOiJIUzI1NiIs...';

/** Debitura stories that cannot be replayed, with why. */
const DEBITURA_NOT_REPLAYED: Record<string, string> = {};

describe.each([
  ['customer', 'XApiKey (the direct creditor)', debituraCustomer, { xapikey: DEBITURA_KEY }],
  ['customer', "the docs' bearer token", debituraCustomer, { authorization: `Bearer ${DEBITURA_DOCS_TOKEN}` }],
  ['referral', 'XApiKey (the partner)', debituraReferral, { xapikey: DEBITURA_KEY }],
] as const)('Debitura %s stories with %s', (api, account, contract, auth) => {
  let mock: TestMock;
  beforeAll(async () => {
    mock = await startMock();
  });
  afterAll(async () => {
    await mock?.close();
  });

  // A story with a required body but no request example only illustrates an error answer.
  const { stories: all } = stories(contract);
  const replayable = all.filter(
    (s) =>
      !DEBITURA_NOT_REPLAYED[`${s.operationId}/${s.name}`] &&
      (s.request || !deref(contract, contract.document.paths[s.path]?.[s.method.toLowerCase()]?.requestBody)?.required),
  );

  it('replays the stories that have a request', () => {
    expect(replayable.length).toBeGreaterThan(8);
  });

  it.each(replayable.map((s) => [`${s.operationId}/${s.name}`, s] as const))('%s', async (_key, s) => {
    for (const a of ['debitura', 'debitura-direct']) {
      const reset = await fetch(`${mock.url}/__admin/reset?account=${a}:${DEBITURA_KEY}`, {
        method: 'POST',
        headers: { xapikey: DEBITURA_KEY },
      });
      expect([200, 404], `reset ${a}`).toContain(reset.status);
    }
    let path = s.path;
    const query = new URLSearchParams();
    for (const p of s.params) {
      if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(String(p.value)));
      else if (p.in === 'query') query.append(p.name, String(p.value));
    }
    const init: RequestInit & { headers: Record<string, string> } = {
      method: s.method,
      headers: { ...auth },
    };
    if (s.request?.type === 'multipart/form-data') {
      const form = new FormData();
      for (const [field, value] of Object.entries(s.request.value as Record<string, string>)) {
        if (/^file$/i.test(field)) form.append(field, new Blob([value]), `${s.name}.pdf`);
        else form.append(field, value);
      }
      init.body = form;
    } else if (s.request) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(s.request.value);
    }
    const url = `${mock.url}/debitura/${api}${query.size ? `${path}?${query}` : path}`;
    // Twice on the same account: a tool replays every story on one account, so the answer must not
    // depend on having replayed it before.
    // A delete succeeds once: its story names an object of its own.
    for (const attempt of s.method === 'DELETE' ? ['first'] : ['first', 'again']) {
      const response = await fetch(url, init);
      const text = await response.text();
      const body = text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
      expect(String(response.status), `${attempt} on ${account}: ${text}`).toBe(s.statuses[0]);
      const validate = contract.closed().responseValidator(s.operationId, response.status);
      expect(validate, `${s.operationId} declares ${response.status}`).toBeDefined();
      if (validate && text) expect(validate(body), describeErrors(validate.errors)).toBe(true);
    }
  });
});

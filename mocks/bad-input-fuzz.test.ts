// Bad input over every operation of the three contracts (CasaPay /v1, Debitura's Referral-Partner and
// Customer APIs): malformed path parameters, query values (wrong types, huge and non-finite numbers,
// arrays, deep objects), bodies (wrong types, missing and extra fields, non-finite numbers, huge
// strings, invalid JSON, wrong media types, multipart gone wrong), bad `Prefer`, bad credentials, odd
// methods, and — on a real socket — absolute-form request lines, a missing Host, oversized heads and
// bytes that are not HTTP. Every answer must be below 500, a status the operation declares (or one of
// the few the HTTP layer answers for a request no operation owns), in the API's own error shape, and
// a refused request must leave the account's `/__admin/state` as it was.
// Requests are drawn from fixed lists and a seeded fast-check sample, so every run sends the same ones.
import net from 'node:net';
import fc from 'fast-check';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from './engine/clock.js';
import {
  describeErrors,
  loadBundledContract,
  loadContract,
  type Contract,
  type OperationSpec,
} from '../kit/contract.js';
import { createMockServer, DOCS_API_KEY, originForm, type MockServer } from './server.js';
import { DOCS_PARTNER_KEY, DOCS_TENANT } from './apis/debitura/scenarios.js';
import { DOCS_TOKEN } from './apis/debitura/tokens.js';
import { undeclared } from '../spec/support/wire.js';

const SEED = 1717;
const TEST_NOW = 1795564800;

type ApiName = 'casapay' | 'referral' | 'customer';
interface Api {
  name: ApiName;
  prefix: string;
  contract: Contract;
  /** Valid credentials of the account the fuzz runs in. */
  auth: Record<string, string>;
  /** Bad credentials, each replacing `auth`. */
  badAuth: Record<string, string>[];
  /** The admin account whose state must not change. */
  account: string;
  errorShape: ValidateFunction;
}

interface Probe {
  kind: string;
  api: Api;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

const casapay = loadContract();
const referral = loadBundledContract('debitura-referral.json');
const customer = loadBundledContract('debitura-customer.json');

const APIS: Api[] = [
  {
    name: 'casapay',
    prefix: '',
    contract: casapay,
    auth: { authorization: `Bearer ${DOCS_API_KEY}` },
    badAuth: [
      {},
      { authorization: 'Bearer' },
      { authorization: `Bearer sk_test_${'x'.repeat(300)}` },
      { authorization: 'Basic Zm9vOmJhcg==' },
      { authorization: 'Bearer pk_test_abc' },
    ],
    account: DOCS_API_KEY,
    errorShape: casapay.schema('Error'),
  },
  {
    name: 'referral',
    prefix: '/debitura/referral',
    contract: referral,
    auth: { xapikey: DOCS_PARTNER_KEY },
    badAuth: [
      {},
      { xapikey: '' },
      { xapikey: 'bad key!' },
      { xapikey: 'k'.repeat(300) },
      { authorization: `Bearer ${DOCS_TOKEN}` },
    ],
    account: `debitura:${DOCS_PARTNER_KEY}`,
    errorShape: referral.schema('ErrorResponse'),
  },
  {
    name: 'customer',
    prefix: '/debitura/customer',
    contract: customer,
    auth: { authorization: `Bearer ${DOCS_TOKEN}` },
    badAuth: [
      {},
      { authorization: 'Bearer' },
      { authorization: 'Bearer not.a.token' },
      { authorization: 'Token abc' },
      { xapikey: 'bad key!' },
    ],
    account: `debitura:${DOCS_PARTNER_KEY}`,
    errorShape: customer.schema('ErrorResponse'),
  },
];

/** The API a path belongs to (Debitura's prefix without an API after it is still Debitura's shape). */
const apiOf = (path: string): Api =>
  path.startsWith('/debitura/customer') ? APIS[2]! : path.startsWith('/debitura/') ? APIS[1]! : APIS[0]!;

/** Statuses the HTTP layer answers for a request no operation owns: unknown route, malformed request, no key, OPTIONS. */
const FRAMEWORK_STATUSES = new Set([204, 400, 401, 404, 413, 415]);

// Hostile values, written into JSON as raw text where JSON.stringify cannot (non-finite, 400 digits).
const RAW = (text: string) => `\u0000raw:${text}\u0000`;
const deep = (depth: number, leaf: unknown): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};
const BAD_VALUES: [string, unknown][] = [
  ['1e309', RAW('1e309')],
  ['-1e309', RAW('-1e309')],
  ['400 digits', RAW('9'.repeat(400))],
  ['1e308', 1e308],
  ['-1', -1],
  ['1.5', 1.5],
  ['null', null],
  ['empty string', ''],
  ['100 KB string', 'x'.repeat(100_000)],
  ['boolean', true],
  ['array', [1, 'a', null]],
  ['object', { nested: { x: 1 } }],
  ['deep object', deep(200, 1)],
  ['deep array', RAW(`${'['.repeat(5000)}${']'.repeat(5000)}`)],
  ['control characters', '\u0000\u0001\u001f'],
];
const BAD_QUERY_VALUES = ['', 'abc', '-1', '1e309', '-1e309', 'Infinity', 'NaN', '9'.repeat(400), '1.5', '%00', '%zz'];
const BAD_PATH_VALUES = [
  '%',
  '%zz',
  'a'.repeat(101),
  'a'.repeat(3000),
  '%00',
  '%E2%82',
  '%C3%BC%C3%AF',
  '1e309',
  '..',
  '%2F',
  '%20',
  'null',
  '%7B%7D',
];
const BAD_PREFERS = [
  'code=999',
  'code=200, example=no-such-example',
  'code=abc',
  'code=418',
  'example=no-such-example',
  'code=404, example=x',
  'dynamic=true, code=1000',
  'code=',
  'code=201, example=',
  'code=000',
  'latency=abc',
  'fail=200',
  'fail-rate=2',
  'dynamic=maybe',
];

const jsonText = (value: unknown) => JSON.stringify(value).replace(/"\\u0000raw:(.*?)\\u0000"/g, '$1');

/** The request body a valid call sends: the contract's example (webhook URLs pointed at a closed loopback port). */
function exampleBody(api: Api, op: OperationSpec): unknown {
  const pointer = op.requestBody?.content['application/json'];
  if (!pointer) return undefined;
  const path = `#/paths/${op.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${op.method}/requestBody`;
  const requestBody = api.contract.resolve(path);
  const media = requestBody?.content?.['application/json'];
  const schema = api.contract.resolve(pointer);
  const firstExample = media?.examples ? (Object.values(media.examples)[0] as any) : undefined;
  const example =
    media?.example ??
    (firstExample?.$ref ? api.contract.resolve(firstExample.$ref).value : firstExample?.value) ??
    schema?.example ??
    {};
  return JSON.parse(
    JSON.stringify(example).replace(/"https?:\/\/[^"]*"/g, (url) =>
      url.startsWith('"https') ? '"https://127.0.0.1:9/fuzz"' : '"http://127.0.0.1:9/fuzz"',
    ),
  );
}

/** Every leaf and object inside a body, as a path. */
function sites(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  const found = path.length ? [path] : [];
  if (Array.isArray(value)) value.slice(0, 1).forEach((item, i) => found.push(...sites(item, [...path, i])));
  else if (value && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) found.push(...sites(child, [...path, key]));
  return found;
}
function replaceAt(body: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  const copy: any = structuredClone(body);
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  if (remove) delete node[path.at(-1)!];
  else node[path.at(-1)!] = value;
  return copy;
}

/** An existing id for a path parameter, from the account's state (a made-up one when none exists). */
function pathValue(state: any, op: OperationSpec, name: string): string {
  const segments = op.path.split('/');
  const before = segments[segments.findIndex((s) => s.includes(`{${name}}`)) - 1] ?? '';
  if (name === 'externalTenantId') return DOCS_TENANT;
  if (name === 'reference') return state.collection_cases?.[0]?.reference ?? 'NOPE';
  const lists: Record<string, unknown[] | undefined> = {
    ...state,
    cases: state.debitura?.cases,
    Payments: state.debitura?.payments,
    webhooks: state.debitura?.subscriptions,
    files: state.case_files,
  };
  const list = lists[name === 'file' ? 'files' : before] as { id: string }[] | undefined;
  return (
    list?.[0]?.id ??
    (op.path.startsWith('/v1/') ? `${before.slice(0, 3)}_fuzz` : '3f6c2a1e-8d4b-4c1a-9e2f-7a6b5c4d3e2f')
  );
}

function buildUrl(api: Api, op: OperationSpec, params: Record<string, string>, query = '') {
  return `${api.prefix}${op.path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name]!)}${query}`;
}

function multipartBody(parts: { name: string; filename?: string; content: string }[], boundary = 'fuzzboundary') {
  const text =
    parts
      .map(
        (p) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}\r\n${p.filename ? 'Content-Type: application/pdf\r\n' : ''}\r\n${p.content}\r\n`,
      )
      .join('') + `--${boundary}--\r\n`;
  return { payload: text, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The probes of one operation: fixed classes, then a seeded sample of body mutations. */
function probesFor(api: Api, op: OperationSpec, state: any): Probe[] {
  const probes: Probe[] = [];
  const method = op.method.toUpperCase();
  const params = Object.fromEntries(
    op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, pathValue(state, op, p.name)]),
  );
  const url = buildUrl(api, op, params);
  const body = exampleBody(api, op);
  const jsonHeaders = { ...api.auth, 'content-type': 'application/json' };
  const base = (kind: string, extra: Partial<Probe> = {}): Probe => ({
    kind,
    api,
    method,
    url,
    headers: body === undefined ? { ...api.auth } : jsonHeaders,
    payload: body === undefined ? undefined : jsonText(body),
    ...extra,
  });

  for (const auth of api.badAuth)
    probes.push(
      base('bad credentials', {
        headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      }),
    );
  for (const prefer of BAD_PREFERS) probes.push(base('bad Prefer', { headers: { ...base('').headers, prefer } }));
  for (const name of Object.keys(params)) {
    for (const value of BAD_PATH_VALUES)
      probes.push(base('bad path parameter', { url: buildUrl(api, op, { ...params, [name]: value }) }));
  }
  const queryNames = [...op.parameters.filter((p) => p.in === 'query').map((p) => p.name), 'unknown_param'];
  for (const name of queryNames) {
    for (const value of name === 'unknown_param' ? ['1', '1e309'] : BAD_QUERY_VALUES)
      probes.push(base('bad query value', { url: `${url}?${name}=${value}` }));
    for (const form of [
      `${name}[]=1&${name}[]=2`,
      `${name}[a][b][c][d]=1`,
      `${name}[gte]=1e309`,
      `${name}[lte]=abc`,
      `${name}=1&${name}=2`,
      `${name}[${'x'.repeat(200)}]=1`,
    ]) {
      probes.push(base('bad query shape', { url: `${url}?${form}` }));
    }
  }
  // The same path with unreserved characters percent-encoded (`/%761/…`), with and without credentials.
  const encoded = url
    .replace(/[a-z]/, (ch) => `%${ch.charCodeAt(0).toString(16)}`)
    .replace(/\/([a-z])/g, (_m, ch: string) => `/%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  probes.push(
    base('percent-encoded path', { url: encoded }),
    base('percent-encoded path', { url: encoded, headers: {} }),
  );
  for (const query of ['?&&&', '?=', '?a=%zz', '?a[', '?a]]=1', `?${'a=1&'.repeat(300)}`])
    probes.push(base('odd query string', { url: `${url}${query}` }));
  probes.push(base('bad X-Mock-Scenario', { headers: { ...base('').headers, 'x-mock-scenario': 'no-such-scenario' } }));
  for (const other of ['PUT', 'PATCH', 'HEAD', 'OPTIONS', 'SEARCH', 'PROPFIND'])
    probes.push(base('odd method', { method: other }));
  probes.push(
    base('preflight', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': method },
    }),
  );

  const noBody = !op.requestBody;
  if (noBody || op.requestBody?.content['application/json'] === undefined) {
    // A body the operation does not take.
    probes.push(base('unexpected body', { headers: jsonHeaders, payload: '{"unexpected": 1}' }));
    probes.push(base('unexpected body', { headers: { ...api.auth, 'content-type': 'text/plain' }, payload: 'hello' }));
    probes.push(
      base('unexpected body', {
        headers: { ...api.auth, 'content-type': 'application/json' },
        payload: `{"a":"${'x'.repeat(1_100_000)}"}`,
      }),
    );
    probes.push(
      base('unexpected body', { headers: { ...api.auth, 'content-type': 'application/json' }, payload: '{"a":1e309}' }),
    );
  }
  if (method === 'POST') {
    for (const key of ['', 'k'.repeat(300)])
      probes.push(base('bad Idempotency-Key', { headers: { ...base('').headers, 'idempotency-key': key } }));
  }
  if (op.requestBody?.content['multipart/form-data'] !== undefined) {
    const file = api.name === 'casapay' ? 'file' : 'File';
    const cases: [string, { payload: string; contentType: string }][] = [
      ['no file', multipartBody([{ name: 'description', content: 'x' }])],
      ['another field name', multipartBody([{ name: 'attachment', filename: 'a.pdf', content: '%PDF-1.4' }])],
      [
        'two files',
        multipartBody([
          { name: file, filename: 'a.pdf', content: '%PDF' },
          { name: file, filename: 'b.pdf', content: '%PDF' },
        ]),
      ],
      ['a bad extension', multipartBody([{ name: file, filename: 'a.exe', content: 'MZ' }])],
      [
        'a 70 KB field',
        multipartBody([
          { name: file, filename: 'a.pdf', content: '%PDF' },
          { name: 'description', content: 'x'.repeat(70_000) },
        ]),
      ],
      [
        '21 fields',
        multipartBody([
          { name: file, filename: 'a.pdf', content: '%PDF' },
          ...Array.from({ length: 21 }, (_, i) => ({ name: `f${i}`, content: 'x' })),
        ]),
      ],
      ['no boundary', { payload: '--x\r\n\r\n', contentType: 'multipart/form-data' }],
      [
        'broken parts',
        { payload: '--fuzzboundary\r\ngarbage', contentType: 'multipart/form-data; boundary=fuzzboundary' },
      ],
    ];
    for (const [, { payload, contentType }] of cases)
      probes.push(base('bad multipart', { headers: { ...api.auth, 'content-type': contentType }, payload }));
    probes.push(base('bad multipart', { headers: jsonHeaders, payload: '{"file": "a.pdf"}' }));
  }
  if (body === undefined) return probes;

  // The body as a whole.
  for (const text of [
    '{',
    '{"a":}',
    '\u0000',
    '\ufeff{}',
    '[1e999]',
    'NaN',
    'Infinity',
    '[]',
    '"text"',
    '1',
    'null',
    'true',
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '',
  ]) {
    probes.push(base('bad JSON body', { payload: text }));
  }
  for (const type of [
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data',
    'application/json; charset=utf-16',
    ';;;',
    'application/merge-patch+json',
    'application/json-patch+json',
    'text/json',
  ]) {
    probes.push(base('content type', { headers: { ...api.auth, 'content-type': type } }));
  }
  probes.push(base('oversized body', { payload: jsonText({ ...(body as object), padding: 'x'.repeat(1_100_000) }) }));
  if (body && typeof body === 'object') {
    for (const key of Object.keys(body))
      probes.push(base('missing field', { payload: jsonText(replaceAt(body, [key], undefined, true)) }));
    probes.push(base('extra field', { payload: jsonText({ ...(body as object), not_in_the_contract: 1 }) }));
  }
  // Every place in the body gets a non-finite number; a seeded sample of places gets the other values.
  const places = sites(body);
  for (const place of places)
    probes.push(base('non-finite number in the body', { payload: jsonText(replaceAt(body, place, RAW('1e309'))) }));
  // Every number gets the largest finite ones too (pricing, minor units and dates must not overflow into a 500).
  const numeric = places.filter((place) => typeof place.reduce<any>((node, key) => node?.[key], body) === 'number');
  for (const place of numeric)
    for (const huge of [Number.MAX_VALUE, -1e308, 2 ** 53 + 2])
      probes.push(base('huge number in the body', { payload: jsonText(replaceAt(body, place, huge)) }));
  if (places.length) {
    const sample = fc.sample(fc.tuple(fc.constantFrom(...places), fc.constantFrom(...BAD_VALUES)), {
      seed: SEED,
      numRuns: 25,
    });
    for (const [place, [, value]] of sample)
      probes.push(base('bad body value', { payload: jsonText(replaceAt(body, place, value)) }));
  }
  return probes;
}

/** Why an answer is wrong, or undefined when it is right. */
function judge(probe: Probe, answer: Answer): string | undefined {
  if (answer.status >= 500 || !answer.status) return `status ${answer.status}`;
  const path = originForm(probe.url).split('?')[0]!;
  const api = apiOf(path);
  const method = probe.method === 'HEAD' ? 'GET' : probe.method;
  const op = path.startsWith(api.prefix) ? api.contract.match(method, path.slice(api.prefix.length) || '/') : undefined;
  const declared = op ? api.contract.declaredStatus(op.operationId, answer.status) !== undefined : false;
  if (!declared && !(op === undefined && FRAMEWORK_STATUSES.has(answer.status))) {
    return `status ${answer.status} not declared for ${op?.operationId ?? 'a request no operation owns'}`;
  }
  if (answer.status === 204 || probe.method === 'HEAD') return undefined;
  // The answer's media type is one its operation declares for the status (spec/wire-declarations.test.ts, both ways).
  const media = undeclared({ method: probe.method, url: path, status: answer.status, contentType: answer.contentType });
  if (media) return media;
  // A declared non-JSON answer (a file download's own type) has no JSON to check; a refusal is always JSON.
  if (!/json/.test(answer.contentType) && answer.status < 300) return undefined;
  if (!/json/.test(answer.contentType))
    return `content-type ${answer.contentType || '(none)'}: ${answer.body.slice(0, 80)}`;
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return `not JSON: ${answer.body.slice(0, 80)}`;
  }
  const validate =
    op && probe.method === op.method.toUpperCase()
      ? api.contract.responseValidator(op.operationId, answer.status)
      : answer.status >= 400
        ? api.errorShape
        : undefined;
  if (validate && !validate(body))
    return `body not in ${api.name}'s shape: ${describeErrors(validate.errors)} ${answer.body.slice(0, 120)}`;
  return undefined;
}

/** Writes raw bytes on a fresh connection and reads the answer (the mock closes after errors). */
function rawRequest(port: number, request: string): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    const done = () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const header = lines.find((l) => /^content-type:/i.test(l));
      resolve({
        status: Number(statusLine.split(' ')[1]) || 0,
        contentType: header?.slice(13).trim() ?? '',
        body: rest.join('\r\n\r\n'),
      });
    };
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', done);
    socket.setTimeout(3000, () => socket.destroy());
  });
}

describe('bad input over every operation of the three contracts', () => {
  let mock: MockServer;
  let port: number;
  const failures: string[] = [];
  const counts: Record<string, number> = {};

  const stateOf = async (account: string) =>
    (await mock.app.inject({ url: `/__admin/state?account=${encodeURIComponent(account)}` })).body;

  beforeAll(async () => {
    mock = await createMockServer({
      port: 0,
      logLevel: 'silent',
      seed: 'fuzz',
      clock: createClock({ start: TEST_NOW, frozen: true }),
      // A webhook endpoint a lucky mutation creates points at a closed loopback port: one attempt, no retries.
      webhookRetryDelaysMs: [],
    });
    port = Number(new URL(mock.url).port);
    // Open the three accounts (the docs' seeds), so the state compared is the seeded one.
    for (const api of APIS)
      await mock.app.inject({
        url: `${api.prefix}${api.name === 'casapay' ? '/v1/collection_cases' : '/webhooks'}`,
        headers: api.auth,
      });
  });
  afterAll(() => mock.close());

  /** Sends each probe, judges the answer, and checks that refused ones changed nothing. */
  async function run(probes: Probe[], send: (probe: Probe) => Promise<Answer>) {
    const states = new Map<string, string>();
    for (const api of APIS) states.set(api.account, await stateOf(api.account));
    for (const probe of probes) {
      counts[probe.kind] = (counts[probe.kind] ?? 0) + 1;
      const answer = await send(probe);
      const where = `[${probe.kind}] ${probe.method} ${probe.url.slice(0, 90)}${probe.headers.prefer ? ` Prefer: ${probe.headers.prefer}` : ''}`;
      const wrong = judge(probe, answer);
      if (wrong) failures.push(`${where} → ${wrong}`);
      const account = probe.api.account;
      if (answer.status >= 400 || !answer.status) {
        const after = await stateOf(account);
        if (after !== states.get(account)) failures.push(`${where} → ${answer.status} changed the account's state`);
        states.set(account, after);
      } else {
        await mock.sandbox.dispatcher.idle();
        states.set(account, await stateOf(account));
      }
    }
  }

  it('answers every in-process probe below 500, declared, in the API shape, changing nothing', async () => {
    const probes: Probe[] = [];
    for (const api of APIS) {
      const state = JSON.parse(await stateOf(api.account));
      for (const op of api.contract.operations) probes.push(...probesFor(api, op, state));
    }
    await run(probes, async (probe) => {
      const response = await mock.app.inject({
        method: probe.method as 'GET',
        url: probe.url,
        headers: probe.headers,
        payload: probe.payload,
      });
      return {
        status: response.statusCode,
        contentType: String(response.headers['content-type'] ?? ''),
        body: response.body,
      };
    });
    expect(probes.length).toBeGreaterThan(2000);
  }, 120_000);

  it('answers raw-socket probes below 500, in the shape of the API the path belongs to', async () => {
    const request = (line: string, headers: string) => `${line}\r\n${headers}Connection: close\r\n\r\n`;
    const probes: Probe[] = [];
    for (const api of APIS) {
      const path = api.name === 'casapay' ? '/v1/collection_cases' : `${api.prefix}/webhooks`;
      const auth = Object.entries(api.auth)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      const raw = (kind: string, text: string, url = path): Probe => ({
        kind,
        api,
        method: text.slice(0, text.indexOf(' ')),
        url,
        headers: {},
        payload: text,
      });
      probes.push(
        raw(
          'absolute-form request line',
          request(`GET http://fuzz.example${path} HTTP/1.1`, 'Host: fuzz.example\r\n'),
          `http://fuzz.example${path}`,
        ),
        raw(
          'absolute-form request line',
          request(`GET http://fuzz.example${path} HTTP/1.1`, `Host: fuzz.example\r\n${auth}`),
          `http://fuzz.example${path}`,
        ),
        raw(
          'absolute-form request line',
          `POST http://127.0.0.1${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}Content-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{"a":1e309}`,
          `http://127.0.0.1${path}`,
        ),
        raw('missing Host', request(`GET ${path} HTTP/1.1`, auth)),
        raw('oversized head', request(`GET ${path} HTTP/1.1`, `Host: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n`)),
        raw('oversized head', request(`GET ${path}?q=${'a'.repeat(20_000)} HTTP/1.1`, 'Host: x\r\n')),
        raw('unknown method', request(`FOO ${path} HTTP/1.1`, 'Host: x\r\n')),
        raw('bad header', request(`GET ${path} HTTP/1.1`, 'Host: x\r\nBad Header: x\r\n')),
        raw('bad Content-Length', request(`POST ${path} HTTP/1.1`, 'Host: x\r\nContent-Length: abc\r\n')),
        raw(
          'Content-Length and chunked',
          request(`POST ${path} HTTP/1.1`, 'Host: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n'),
        ),
        raw(
          'bad chunk',
          `POST ${path} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
        ),
        raw('HTTP/9.9', request(`GET ${path} HTTP/9.9`, 'Host: x\r\n')),
        raw('CONNECT', request(`CONNECT ${path} HTTP/1.1`, 'Host: x\r\n')),
      );
    }
    const garbage = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 200 }), { seed: SEED, numRuns: 20 });
    for (const bytes of garbage)
      probes.push({
        kind: 'socket garbage',
        api: APIS[0]!,
        method: 'GET',
        url: '/',
        headers: {},
        payload: `${Buffer.from(bytes).toString('latin1')}\r\n\r\n`,
      });
    await run(probes, (probe) => rawRequest(port, String(probe.payload)));
  }, 60_000);

  afterAll(() => {
    // One line per class, then the wrong answers: what a reader needs to see when this test fails.
    console.info(
      `bad-input fuzz: ${Object.entries(counts)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
  });

  it('found nothing wrong', () => {
    const byKind = new Map<string, string[]>();
    for (const failure of failures) {
      const kind = failure.slice(1, failure.indexOf(']'));
      byKind.set(kind, [...(byKind.get(kind) ?? []), failure]);
    }
    const summary = [...byKind]
      .map(([kind, list]) => `${kind}: ${list.length}\n  ${list.slice(0, 4).join('\n  ')}`)
      .join('\n');
    expect(failures.length, summary).toBe(0);
  });
});

// The contracts declare what the mock answers, both ways. One mock, its HTTP server recorded
// (spec/support/wire.ts), serves: the engine's answers on every operation of the three contracts
// (fault injection's 429/500/503, an oversized body's 413, a foreign media type's 415, each file type
// downloaded back), then the conformance suite's baseline runs of both APIs (every capability, no
// defect: these runs are the suite's baselines — conformance/defects.test.ts relies on them passing —
// so the suite runs once in `npm test`, not twice). Then:
//   - every answer's status and media type is declared by its operation (the bad-input fuzz checks its
//     own answers the same way, mocks/bad-input-fuzz.test.ts);
//   - every declared (operation, status, media type) was answered, or its response says when the
//     mock answers it in `x-answered-when` (the store away, `--validate-responses`, …).
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationSpec } from '../kit/contract.js';
import { DEBITURA_CAPABILITIES } from '../conformance/capabilities.js';
import { DEFAULT_OPTIONS } from '../conformance/options.js';
import type { Failure } from '../conformance/report/model.js';
import { runConformance } from '../conformance/run.js';
import { createMockServer, DOCS_API_KEY, type MockServer } from '../mocks/server.js';
import { DOCS_PARTNER_KEY } from '../mocks/apis/debitura/scenarios.js';
import { DOCS_TOKEN } from '../mocks/apis/debitura/tokens.js';
import { ALLOWED_TYPES } from '../mocks/apis/casapay/handlers/case-files.js';
import {
  declaredWire,
  producedKeys,
  recordAnswers,
  undeclared,
  WIRE_APIS,
  WIRE_REASON,
  type WireAnswer,
  type WireApi,
} from './support/wire.js';

const AUTH: Record<WireApi['name'], Record<string, string>> = {
  casapay: { authorization: `Bearer ${DOCS_API_KEY}` },
  referral: { xapikey: DOCS_PARTNER_KEY },
  customer: { authorization: `Bearer ${DOCS_TOKEN}` },
};

const describeFailures = (failures: Failure[]) => failures.map((f) => `${f.check} [${f.rule}]`).join('\n');

describe('the contracts name each status', () => {
  // Strict parsers (Specmatic's OAS0031) refuse range keys such as 5XX: every status is written out.
  it.each(WIRE_APIS.map((api) => [api.name, api] as const))('%s declares no status range', (_name, api) => {
    const ranges = api.contract.operations.flatMap((op) =>
      Object.keys(op.responses)
        .filter((status) => !/^[1-5]\d\d$/.test(status))
        .map((status) => `${op.operationId} ${status}`),
    );
    expect(ranges).toEqual([]);
  });

  it('judges an answer by its status and media type (each direction can fail)', () => {
    const download = '/v1/collection_cases/dc_x/files/file_x/contents';
    expect(undeclared({ method: 'GET', url: download, status: 200, contentType: 'application/zip' })).toMatch(
      /declared application\/pdf/,
    );
    expect(undeclared({ method: 'GET', url: download, status: 200, contentType: 'image/png' })).toBeUndefined();
    expect(
      undeclared({
        method: 'GET',
        url: '/debitura/referral/cases/x/chats',
        status: 418,
        contentType: 'application/json',
      }),
    ).toMatch(/status not declared/);
    expect(
      undeclared({
        method: 'GET',
        url: '/v1/collection_cases',
        status: 200,
        contentType: 'application/json; charset=utf-8',
      }),
    ).toBeUndefined();
    // One answer produces one key; every declared answer without a reason and without a run stays unproduced.
    const produced = producedKeys([
      { method: 'GET', url: '/v1/collection_cases', status: 200, contentType: 'application/json' },
    ]);
    expect([...produced]).toEqual(['(casapay) GET /v1/collection_cases 200 application/json']);
    expect(declaredWire().filter((d) => !produced.has(d.key) && !d.reason).length).toBeGreaterThan(100);
  });

  it(`writes ${WIRE_REASON} as a sentence wherever it is used`, () => {
    const reasons = declaredWire().filter((d) => d.reason !== undefined);
    expect(reasons.length).toBeGreaterThan(0);
    for (const { key, reason } of reasons) expect(reason!.length, key).toBeGreaterThan(20);
  });
});

describe('the contracts declare what the mock answers', () => {
  let mock: MockServer;
  let answers: WireAnswer[];

  beforeAll(async () => {
    mock = await createMockServer({ host: '127.0.0.1', port: 0, logLevel: 'silent' });
    answers = recordAnswers(mock.app.server);
  });
  afterAll(() => mock?.close());

  const send = (
    api: WireApi,
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: BodyInit } = {},
  ) =>
    fetch(`${mock.url}${api.prefix}${path}`, {
      method: method.toUpperCase(),
      headers: { ...AUTH[api.name], ...init.headers },
      body: init.body,
    }).then(async (response) => {
      await response.arrayBuffer();
      return response.status;
    });

  /** The operation's path with every parameter filled (any value routes; the id need not exist). */
  const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'wire_probe');

  it("answers the engine's own refusals on every operation (faults, oversized bodies, foreign media types)", async () => {
    for (const api of WIRE_APIS)
      for (const op of api.contract.operations) {
        const path = concrete(op.path);
        // A query parameter the operation does not have: 400 naming it, on every operation.
        expect(await send(api, op.method, `${path}?wire_unknown=1`)).toBe(400);
        for (const fail of [429, 500, 503])
          expect(await send(api, op.method, path, { headers: { prefer: `fail=${fail}` } })).toBe(fail);
        if (op.method !== 'post') continue;
        const oversized = `{"a":"${'x'.repeat(1024 * 1024)}"}`;
        expect(
          await send(api, 'post', path, { headers: { 'content-type': 'application/json' }, body: oversized }),
        ).toBe(413);
        expect(await send(api, 'post', path, { headers: { 'content-type': 'text/plain' }, body: 'x' })).toBe(415);
      }
  }, 60_000);

  it('serves every file type the upload accepts back in its own media type', async () => {
    const casapayApi = WIRE_APIS.find((a) => a.name === 'casapay')!;
    for (const [extension, type] of Object.entries(ALLOWED_TYPES)) {
      const form = new FormData();
      form.append('document_type', 'original_invoice');
      form.append('file', new Blob(['wire'], { type }), `file${extension}`);
      const upload = await fetch(`${mock.url}/v1/collection_cases/dc_a1b2c3d4/files`, {
        method: 'POST',
        headers: AUTH.casapay,
        body: form,
      });
      expect(upload.status).toBe(201);
      const { url } = (await upload.json()) as { url: string };
      const download = await fetch(`${mock.url}${url}`, { headers: AUTH.casapay });
      expect(download.headers.get('content-type')).toBe(type);
      await download.arrayBuffer();
    }
    expect(casapayApi).toBeDefined();
  });

  /** The request example of an operation's JSON body, as the contract writes it (its first one). */
  const exampleOf = (api: WireApi, op: OperationSpec): unknown => {
    const body = api.contract.document.paths[op.path][op.method].requestBody;
    const media = (body?.$ref ? api.contract.resolve(body.$ref) : body)?.content?.['application/json'];
    if (!media) return undefined;
    const first = media.example ?? Object.values<any>(media.examples ?? {})[0];
    return first?.$ref ? api.contract.resolve(first.$ref).value : (first?.value ?? first);
  };

  it('answers 409 to a retry sent while the first request with its Idempotency-Key is still processed', async () => {
    const keyed = WIRE_APIS.flatMap((api) =>
      api.contract.operations
        .filter((op) => op.method === 'post' && op.parameters.some((p) => p.name.toLowerCase() === 'idempotency-key'))
        .map((op) => ({ api, op })),
    );
    expect(keyed.length).toBeGreaterThan(15);
    const outcomes = await Promise.all(
      keyed.map(async ({ api, op }) => {
        const multipart = op.requestBody?.content['multipart/form-data'] !== undefined;
        const body = (): BodyInit | undefined => {
          if (!multipart) {
            const example = exampleOf(api, op);
            return example === undefined ? undefined : JSON.stringify(example);
          }
          const form = new FormData();
          form.append('document_type', 'original_invoice');
          form.append('file', new Blob(['wire']), 'wire.pdf');
          return form;
        };
        const type: Record<string, string> = multipart ? {} : { 'content-type': 'application/json' };
        // The first request holds its key while it "processes" (Prefer: latency); a retry meanwhile is 409.
        // Retried with a fresh key when the retry happened to reach the mock first.
        for (let attempt = 1; attempt <= 3; attempt++) {
          const headers = { ...type, 'idempotency-key': `wire-${op.operationId}-${attempt}` };
          let settled = false;
          const first = send(api, 'post', concrete(op.path), {
            headers: { ...headers, prefer: `latency=${1000 * attempt}` },
            body: body(),
          }).finally(() => (settled = true));
          await sleep(100 * attempt);
          let retry = 0;
          while (!settled && retry !== 409) {
            retry = await send(api, 'post', concrete(op.path), { headers, body: body() });
            if (retry !== 409) await sleep(20);
          }
          await first;
          if (retry === 409) return undefined;
        }
        return `${api.name} ${op.operationId}: no 409`;
      }),
    );
    expect(outcomes.filter(Boolean)).toEqual([]);
  }, 60_000);

  it('answers the resend of an event (201, 400, 422) and a client conflict of the Referral API (409)', async () => {
    const casapayApi = WIRE_APIS.find((a) => a.name === 'casapay')!;
    const json = (value: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
    const call = async (api: WireApi, method: string, path: string, value: unknown) => {
      const response = await fetch(`${mock.url}${api.prefix}${path}`, {
        method,
        headers: { ...AUTH[api.name], ...json(value).headers },
        body: json(value).body,
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    // The endpoint points at a closed loopback port: deliveries fail, nothing leaves the machine.
    const endpoint = await call(casapayApi, 'POST', '/v1/webhook_endpoints', {
      url: 'http://127.0.0.1:9/wire',
      enabled_events: ['*'],
    });
    expect(endpoint.status).toBe(201);
    const fireEvent = casapayApi.contract.operationsById.get('fireEvent')!;
    const fired = await call(casapayApi, 'POST', fireEvent.path, exampleOf(casapayApi, fireEvent));
    expect(fired.status).toBeLessThan(300);
    const events = await fetch(`${mock.url}/v1/events?limit=1`, { headers: AUTH.casapay }).then((r) => r.json() as any);
    const resend = (endpointId: string) =>
      call(casapayApi, 'POST', `/v1/events/${events.data[0].id}/webhook_deliveries`, { webhook_endpoint: endpointId });
    expect((await resend(endpoint.body.id)).status).toBe(201);
    expect((await resend('we_missing')).status).toBe(400);
    await call(casapayApi, 'POST', `/v1/webhook_endpoints/${endpoint.body.id}`, { disabled: true });
    expect((await resend(endpoint.body.id)).status).toBe(422);

    const referralApi = WIRE_APIS.find((a) => a.name === 'referral')!;
    const client = structuredClone(
      exampleOf(
        referralApi,
        referralApi.contract.operations.find((o) => o.path === '/clients' && o.method === 'post')!,
      ),
    ) as { externalTenantId: string; users: { email: string }[] };
    client.externalTenantId = 'wire-conflict';
    for (const user of client.users) user.email = user.email.replace(/@.*/, '@exists.debitura.test');
    expect((await call(referralApi, 'POST', '/clients', client)).status).toBe(409);
  });

  it('passes the conformance suite without defects (every CasaPay capability)', async () => {
    const { result } = await runConformance({
      ...DEFAULT_OPTIONS,
      baseUrl: mock.url,
      reportDir: null,
      negativeRuns: 8,
      write: () => {},
    });
    expect(result.failures, describeFailures(result.failures)).toEqual([]);
    expect(result.verdict).toBe('pass');
    expect(
      result.checks.filter((c) => c.state === 'skipped').map((c) => c.name),
      'nothing skipped against the mock',
    ).toEqual([]);
  }, 60_000);

  it('passes the conformance suite without defects (every Debitura capability), nothing skipped', async () => {
    const { result } = await runConformance({
      ...DEFAULT_OPTIONS,
      api: 'debitura',
      capabilities: [...DEBITURA_CAPABILITIES],
      referralUrl: `${mock.url}/debitura/referral`,
      customerUrl: `${mock.url}/debitura/customer`,
      adminUrl: `${mock.url}/__admin`,
      reportDir: null,
      negativeRuns: 8,
      write: () => {},
    });
    expect(result.failures, describeFailures(result.failures)).toEqual([]);
    expect(result.verdict).toBe('pass');
    expect(
      result.checks.filter((c) => c.state === 'skipped'),
      'nothing skipped against the mock (its clock is used)',
    ).toEqual([]);
  }, 60_000);

  it('declares every status and media type it answered', () => {
    expect(answers.length).toBeGreaterThan(1000);
    const wrong = [...new Set(answers.map(undeclared).filter((w): w is string => w !== undefined))].sort();
    expect(wrong, wrong.join('\n')).toEqual([]);
  });

  it(`answered every declared status and media type, or the response says when in ${WIRE_REASON}`, () => {
    const produced = producedKeys(answers);
    const unproduced = declaredWire()
      .filter((d) => !produced.has(d.key) && !d.reason)
      .map((d) => d.key)
      .sort();
    expect(unproduced, unproduced.join('\n')).toEqual([]);
  });
});

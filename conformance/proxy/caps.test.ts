// The per-key memories of a session, each bounded (docs/proxy.md): the
// first answer per Idempotency-Key, the last event per object of the webhook relay, the steps of a
// recording. Each test fails without its cap: the forgotten key, object or step would still count.
import { describe, expect, it } from 'vitest';
import { createExchangeChecker, type CapturedExchange } from './exchange-check.js';
import { SessionRecorder } from './record.js';
import { Redactor } from './redact.js';
import { deliveryChecker } from './webhook-relay.js';

const CASE_BODY = JSON.stringify({
  amount_to_recover: 125000,
  currency: 'eur',
  due_date: '2025-03-01',
  debtor: { type: 'private', name: 'Erika Mustermann', address: { city: 'Köln', country: 'DE' } },
});

let seq = 0;
const createCase = (key: string, answerId: string): CapturedExchange => ({
  seq: ++seq,
  startedMs: 1_800_000_000_000 + seq * 1000,
  durationMs: 1,
  method: 'POST',
  url: '/v1/collection_cases',
  requestHeaders: { authorization: 'Bearer sk_test_caps', 'content-type': 'application/json', 'idempotency-key': key },
  requestBody: Buffer.from(CASE_BODY),
  requestBytes: CASE_BODY.length,
  status: 201,
  responseHeaders: { 'content-type': 'application/json', 'request-id': `req_${seq}` },
  responseBody: Buffer.from(JSON.stringify({ id: answerId })),
  responseBytes: 20,
});

describe('caps', () => {
  it('Idempotency-Keys remembered: the oldest is forgotten past the cap', () => {
    const rulesOf = (checker: ReturnType<typeof createExchangeChecker>, exchange: CapturedExchange) =>
      checker.check(exchange).findings.map((f) => f.rule);
    const capped = createExchangeChecker({ api: 'casapay', strict: false, maxRememberedKeys: 2 });
    const uncapped = createExchangeChecker({ api: 'casapay', strict: false });
    for (const checker of [capped, uncapped])
      for (const key of ['k1', 'k2', 'k3']) checker.check(createCase(key, `dc_${key}`));
    // k1 again, answered as a new object: only a checker that still remembers k1 can call it no replay.
    expect(rulesOf(uncapped, createCase('k1', 'dc_other'))).toContain('idempotent-replay');
    expect(rulesOf(capped, createCase('k1', 'dc_other'))).not.toContain('idempotent-replay');
  });

  it('objects tracked for webhook order: the oldest is forgotten past the cap', () => {
    const delivery = (object: string, created: number): CapturedExchange => {
      const body = JSON.stringify({
        id: `evt_${object}_${created}`,
        type: 'collection_case.updated',
        created,
        data: { object: { id: object } },
      });
      return { ...createCase('x', 'y'), url: '/hooks', requestBody: Buffer.from(body), requestBytes: body.length };
    };
    const capped = deliveryChecker({ api: 'casapay', secrets: () => [], strict: false, maxTrackedObjects: 2 });
    const uncapped = deliveryChecker({ api: 'casapay', secrets: () => [], strict: false });
    for (const check of [capped, uncapped])
      for (const object of ['dc_a1', 'dc_b2', 'dc_c3']) check(delivery(object, 100));
    expect(uncapped(delivery('dc_a1', 50)).findings.map((f) => f.rule)).toContain('hook.order');
    expect(capped(delivery('dc_a1', 50)).findings.map((f) => f.rule)).not.toContain('hook.order');
  });

  it('--max-recorded-steps: later exchanges are counted, not recorded', async () => {
    const recorder = new SessionRecorder({
      api: 'casapay',
      file: 'capped.yaml',
      targetUrl: 'http://127.0.0.1:1',
      redactor: new Redactor(),
      maxSteps: 2,
    });
    const checked = { operationId: 'createCollectionCase', route: 'POST /v1/collection_cases', findings: [] };
    for (const key of ['r1', 'r2', 'r3']) recorder.add(createCase(key, `dc_${key}`), checked);
    const recording = await recorder.build();
    expect(recording.steps).toHaveLength(2);
    expect(recorder.dropped).toBe(1);
    expect(recording.description).toContain('1 more not recorded (--max-recorded-steps)');
  });
});

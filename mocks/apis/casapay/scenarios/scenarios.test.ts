// Each scenario, driven through its test clock, delivers the exact sequence of events it scripts to a
// real local webhook receiver: every delivery signed (verified with the exported verifySignature),
// every payload valid against the contract's `webhooks` schema for its type.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeErrors } from '../../../../kit/contract.js';
import { contract, startMock } from '../../../test-support.js';
import { verifySignature } from '../../../../kit/webhook-signature.js';
import { duration, loadScenarios, substitute } from './scenarios.js';

const SECRET = 'whsec_scenario_tests';

interface Delivery {
  raw: string;
  signature: string;
  event: { id: string; type: string; data: { object: { id: string; status?: string } } };
}

let receiver: http.Server;
let receiverUrl: string;
const received: Delivery[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ raw, signature: String(req.headers['x-casapay-signature']), event: JSON.parse(raw) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

const label = (type: string, object: { status?: string }) => (object.status ? `${type}:${object.status}` : type);

/**
 * What each scenario emits, in `created` order, once its clock has run 60 days. Policies have no test
 * clock, so `guarantee_policy.created` carries the mock's own (later) time and lists last.
 */
const expected: Record<string, string[]> = {
  'paid-in-full': [
    'collection_case.created:active',
    'collection_case.active:active',
    'debt_payment.created',
    'collection_case.updated:active',
    'collection_case.updated:closed',
    'collection_case.closed:closed',
  ],
  'partial-payments': [
    'collection_case.created:active',
    'collection_case.active:active',
    'debt_payment.created',
    'collection_case.updated:active',
    'debt_payment.created',
    'collection_case.updated:active',
    'collection_case.updated:closed',
    'collection_case.closed:closed',
  ],
  'debtor-untraceable': [
    'collection_case.created:active',
    'collection_case.active:active',
    'collection_case.updated:closed',
    'collection_case.closed:closed',
  ],
  'ineligible-jurisdiction': [],
  'contract-not-signed': [
    'collection_case.created:pending_verification',
    'collection_case.pending_verification:pending_verification',
    'collection_case.updated:active',
    'collection_case.active:active',
  ],
  'needs-details-resumed': [
    'collection_case.created:active',
    'collection_case.active:active',
    'collection_case.updated:needs_details',
    'collection_case.needs_details:needs_details',
    'case_file.uploaded',
    'collection_case.updated:active',
    'collection_case.active:active',
  ],
  'claim-approved-paid': [
    'guarantee.created:active',
    'guarantee.activated:active',
    'claim.submitted:submitted',
    'claim.under_review:under_review',
    'guarantee.updated:active',
    'claim.approved:approved',
    'claim.paid:paid',
    'guarantee.updated:claimed',
    'guarantee.claimed:claimed',
    'guarantee_policy.created',
  ],
  'claim-denied': [
    'guarantee.created:active',
    'guarantee.activated:active',
    'claim.submitted:submitted',
    'claim.under_review:under_review',
    'guarantee.updated:active',
    'claim.denied:denied',
    'guarantee.updated:active',
    'guarantee_policy.created',
  ],
  'guarantee-expiring': [
    'guarantee.created:active',
    'guarantee.activated:active',
    'guarantee.updated:expired',
    'guarantee.expired:expired',
    'guarantee_policy.created',
  ],
};

/** What the account holds afterwards: [path, predicate over the list's data]. */
const finalState: Record<string, [string, (data: any[]) => void]> = {
  'paid-in-full': [
    '/v1/collection_cases',
    ([c]) => expect(c).toMatchObject({ status: 'closed', close_code: 'paid', remainder: 0 }),
  ],
  'partial-payments': [
    '/v1/collection_cases',
    ([c]) => expect(c).toMatchObject({ status: 'closed', close_code: 'partially_paid', remainder: 200000 }),
  ],
  'debtor-untraceable': [
    '/v1/collection_cases',
    ([c]) => expect(c).toMatchObject({ status: 'closed', close_code: 'debtor_untraceable', remainder: 120000 }),
  ],
  'ineligible-jurisdiction': ['/v1/collection_cases', (data) => expect(data).toEqual([])],
  'contract-not-signed': ['/v1/collection_cases', ([c]) => expect(c.status).toBe('active')],
  'needs-details-resumed': ['/v1/collection_cases', ([c]) => expect(c.status).toBe('active')],
  'claim-approved-paid': [
    '/v1/claims',
    ([c]) => expect(c).toMatchObject({ status: 'paid', payout: expect.stringMatching(/^po_/) }),
  ],
  'claim-denied': [
    '/v1/guarantees',
    ([g]) => expect(g).toMatchObject({ status: 'active', remaining_coverage: 1440000 }),
  ],
  'guarantee-expiring': ['/v1/guarantees', ([g]) => expect(g.status).toBe('expired')],
};

const scenarios = loadScenarios();

describe('scenario files', () => {
  it('each has a one-line description and a test', () => {
    for (const [name, scenario] of scenarios) {
      expect(scenario.description, name).not.toContain('\n');
      expect(name in expected || name === 'demo' || name === 'quickstart', `${name} has no expectations here`).toBe(
        true,
      );
    }
  });

  it.each([
    [
      'durations',
      () => [duration('30s'), duration('5m'), duration('2h'), duration('3d'), duration(undefined)],
      [30, 300, 7200, 259200, 0],
    ],
    [
      'placeholders keep their type',
      () => substitute({ a: '${x.n}', b: 'id ${x.s}', c: ['${l[1]}'] }, { x: { n: 5, s: 'dc_1' }, l: [1, 2] }),
      { a: 5, b: 'id dc_1', c: [2] },
    ],
  ])('%s', (_name, run, want) => {
    expect(run()).toEqual(want);
  });

  it('names an undefined placeholder', () => {
    expect(() => substitute('${nope.id}', {})).toThrow(/nope\.id/);
  });
});

describe.each(Object.keys(expected))('scenario %s', (name) => {
  it('delivers its events, signed and valid, in order', async () => {
    received.length = 0; // every mock starts from the same seed, so ids repeat across scenarios
    const mock = await startMock({ webhookUrl: receiverUrl, webhookSecret: SECRET });
    try {
      const headers = { 'x-mock-scenario': name };
      const clocks = await mock.call('GET', '/v1/test_helpers/test_clocks', { headers });
      for (const clock of clocks.body.data) {
        // Advance in two hops: what is due is run in time order across both.
        await mock.call('POST', `/v1/test_helpers/test_clocks/${clock.id}/advance`, {
          headers,
          body: { frozen_time: clock.frozen_time + 10 * 86400 },
        });
        await mock.call('POST', `/v1/test_helpers/test_clocks/${clock.id}/advance`, {
          headers,
          body: { frozen_time: clock.frozen_time + 60 * 86400 },
        });
      }
      await mock.sandbox.dispatcher.idle();

      // The account's own record of what happened, oldest first.
      const events = (await mock.call('GET', '/v1/events?limit=100', { headers })).body.data.reverse();
      expect(events.map((e: any) => label(e.type, e.data.object))).toEqual(expected[name]);

      // The receiver got exactly those events; per object, in the order they happened.
      const mine = received;
      expect(mine.map((d) => d.event.id).sort()).toEqual(events.map((e: any) => e.id).sort());
      const objects = new Set(events.map((e: any) => e.data.object.id));
      for (const object of objects) {
        const order = (list: Array<{ id: string; data: { object: { id: string } } }>) =>
          list.filter((e) => e.data.object.id === object).map((e) => e.id);
        expect(order(mine.map((d) => d.event)), `delivery order for ${object}`).toEqual(order(events));
      }
      for (const delivery of mine) {
        expect(verifySignature(delivery.raw, delivery.signature, SECRET)).toBe(true);
        const validate = contract.closed().webhookValidator(delivery.event.type)!;
        expect(validate(delivery.event), `${delivery.event.type}: ${describeErrors(validate.errors)}`).toBe(true);
      }
      const [path, check] = finalState[name]!;
      check((await mock.call('GET', path, { headers })).body.data);
    } finally {
      await mock.close();
    }
  });
});

describe('scenario isolation and the demo', () => {
  it('keeps X-Mock-Scenario accounts apart from the plain key and from other sessions', async () => {
    const mock = await startMock();
    try {
      const plain = await mock.call('GET', '/v1/collection_cases', {});
      const a = await mock.call('GET', '/v1/collection_cases', { headers: { 'x-mock-scenario': 'paid-in-full:a' } });
      const b = await mock.call('GET', '/v1/collection_cases', { headers: { 'x-mock-scenario': 'paid-in-full:b' } });
      expect(plain.body.data).toEqual([]);
      expect(a.body.data).toHaveLength(1);
      expect(b.body.data).toHaveLength(1);
      expect(b.body.data[0].id).not.toBe(a.body.data[0].id);
      const unknown = await mock.call('GET', '/v1/collection_cases', { headers: { 'x-mock-scenario': 'nope' } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.param).toBe('X-Mock-Scenario');
    } finally {
      await mock.close();
    }
  });

  it('fills a demo account with every status', async () => {
    const mock = await startMock({ scenario: 'demo' });
    try {
      const cases = (await mock.call('GET', '/v1/collection_cases?limit=100')).body.data;
      expect(new Set(cases.map((c: any) => c.status))).toEqual(
        new Set(['pending_verification', 'needs_details', 'active', 'paused', 'closed']),
      );
      expect(new Set(cases.filter((c: any) => c.close_code).map((c: any) => c.close_code)).size).toBeGreaterThanOrEqual(
        4,
      );
      expect((await mock.call('GET', '/v1/debt_payments?limit=100')).body.data.length).toBeGreaterThanOrEqual(5);
      const withFiles = cases.find((c: any) => c.debtor.name === 'John Smith');
      expect((await mock.call('GET', `/v1/collection_cases/${withFiles.id}/files`)).body.data).toHaveLength(2);
      expect(
        (await mock.call('GET', `/v1/collection_cases/${withFiles.id}/timeline`)).body.data.map((e: any) => e.type),
      ).toEqual(['case_created', 'payment_received', 'file_uploaded', 'file_uploaded']);
      const guarantees = (await mock.call('GET', '/v1/guarantees?limit=100')).body.data;
      expect(new Set(guarantees.map((g: any) => g.status))).toEqual(
        new Set(['pending', 'active', 'claimed', 'expired', 'cancelled']),
      );
      const claims = (await mock.call('GET', '/v1/claims?limit=100')).body.data;
      expect(new Set(claims.map((c: any) => c.status))).toEqual(
        new Set(['under_review', 'approved', 'paid', 'denied']),
      );
    } finally {
      await mock.close();
    }
  });
});

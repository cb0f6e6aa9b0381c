// Debitura's webhooks end to end: a local receiver subscribed with the partner's POST /webhooks (case
// events of every linked client), a test case driven through its lifecycle with POST
// /test/cases/{id}/advance, then: case.created, case.updated and case.closed arrive, in order for the
// case; every delivery is signed X-Debitura-Signature: t=…,v1=<hex HMAC-SHA256(base64-DECODED
// secret, "<t>.<raw body>")> with the subscription's secret, names its event in X-Debitura-Event and
// its t in X-Debitura-Timestamp, and its payload is valid against the Referral contract's `webhooks`
// schema for its event.
import { afterAll, beforeAll, expect, it } from 'vitest';
// The kit's verifier (shipped as source), the one receivers import from casapay-contract-kit/debitura/webhooks.
import { verifyDebituraSignature } from '../../../kit/debitura-webhook-signature.js';
import { describeErrors } from '../../../kit/contract.js';
import { capability, needs } from '../../support/capability.js';
import { reportWarnings } from '../../support/client.js';
import { debituraContract } from '../../support/debitura-contracts.js';
import {
  caseBody,
  createDebituraClient,
  customerSession,
  freshPartner,
  freshTenant,
  instant,
  said,
  type CreateCaseRequest,
  type CustomerClient,
  type DebituraCase,
  type Partner,
  type WebhookEvent,
} from '../../support/debitura.js';
import { realNowSeconds } from '../../support/runtime.js';
import { target } from '../../support/target.js';
import { closedView, unknownFields, type Warning } from '../../support/warnings.js';
import { startWebhookReceiver, type Delivery, type WebhookReceiver } from '../../support/webhook-receiver.js';

const EVENTS = ['case.created', 'case.updated', 'case.closed'] as const;
const isLoopback = (host: string) =>
  host === 'localhost' || host.startsWith('127.') || host === '::1' || host === '[::1]';

/** Whether `wanted` occurs in `seen` in that order (other events in between allowed). */
function inOrder(seen: readonly string[], wanted: readonly string[]): boolean {
  let at = 0;
  for (const type of seen) if (type === wanted[at]) at++;
  return at === wanted.length;
}

capability('debitura-webhooks', 'partner webhook deliveries', () => {
  const referralHost = new URL(target().referralUrl ?? target().baseUrl).hostname;
  if (isLoopback(target().webhookHost) && !isLoopback(referralHost)) {
    it('deliveries reach the local receiver', (ctx) =>
      ctx.skip(
        true,
        `the target (${referralHost}) cannot reach a receiver on ${target().webhookHost}; pass --webhook-host with an address of this machine it can reach`,
      ));
    return;
  }
  let partner: Partner;
  let tenant: string;
  let session: CustomerClient;
  let receiver: WebhookReceiver;
  let secret: string | undefined;
  let subscriptionId: string | undefined;
  let caseId: string | undefined;
  /** The case whose first case.created delivery the receiver refuses (503), to see the retry. */
  let retryCaseId: string | undefined;
  /**
   * Armed just before that case is submitted: the receiver refuses the first case.created of a new case
   * then, whether it arrives before or after the submission's answer (a webhook may overtake it).
   */
  let armed = false;
  let refusedCaseId: string | undefined;
  const event = (d: Delivery) => d.event as unknown as WebhookEvent | undefined;
  const ours = (d: Delivery) => event(d)?.data?.caseId === caseId;

  beforeAll(async () => {
    partner = await freshPartner();
    tenant = freshTenant();
    await createDebituraClient(partner, tenant, { signed: true });
    session = await customerSession(partner, tenant);
    receiver = await startWebhookReceiver(target().webhookHost, target().webhookPort, '/debitura-webhooks', (d) => {
      const e = event(d);
      if (!armed || refusedCaseId !== undefined || e?.event !== 'case.created' || e.data?.caseId === caseId) return 200;
      refusedCaseId = e.data?.caseId ?? undefined;
      return 503;
    });
  });

  afterAll(async () => {
    if (subscriptionId)
      await partner.api.DELETE('/webhooks/{id}', { params: { path: { id: subscriptionId } } }).catch(() => undefined);
    await receiver?.close();
  });

  /** Waits for the first delivery of `type` for the case; fails naming what arrived. */
  const expectDelivery = async (type: string): Promise<Delivery> => {
    const found = await receiver.waitFor((d) => ours(d) && event(d)?.event === type, target().webhookWaitMs);
    const got = receiver.deliveries.filter(ours).map((d) => event(d)?.event);
    expect(
      found,
      `a ${type} delivery for case ${caseId} (deliveries for it so far: ${got.join(', ') || 'none'})`,
    ).toBeDefined();
    return found!;
  };

  it("subscribes the local receiver with the partner's POST /webhooks (201 with a base64 secret)", async () => {
    const { data, response } = await partner.api.POST('/webhooks', {
      body: { url: receiver.url, events: [...EVENTS], isTestMode: true },
    });
    expect(response.status, 'POST /webhooks').toBe(201);
    subscriptionId = data!.id!;
    secret = data!.secret ?? undefined;
    expect(
      typeof secret === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(secret) && secret.length >= 16,
      `the secret is base64 (got ${JSON.stringify(secret)})`,
    ).toBe(true);
    expect(data!.events, 'the events subscribed').toEqual(expect.arrayContaining([...EVENTS]));
  });

  let submitted: DebituraCase | undefined;
  let body: CreateCaseRequest | undefined;
  it('a submitted case delivers case.created, every field from the case and its request', async (ctx) => {
    needs(ctx, subscriptionId, 'the subscription of "subscribes the local receiver"');
    body = caseBody({ isTest: true, amountToRecover: 4321.5, currencyCode: 'EUR' });
    const { data, response } = await session.POST('/cases', { body });
    expect(response.status, 'POST /cases').toBe(200);
    caseId = data!.id!;
    submitted = data!;
    const d = await expectDelivery('case.created');
    const e = event(d)!;
    const rule = 'debitura.hook-created-fields';
    expect(typeof e.id === 'string' && e.id.length > 0, said(rule, 'the event has an id')).toBe(true);
    expect(
      Math.abs(instant(e.timestamp) - instant(data!.dateCreated)),
      said(rule, `timestamp ${e.timestamp} is when the case was created (${data!.dateCreated}), within a minute`),
    ).toBeLessThanOrEqual(60_000);
    const want = {
      caseId,
      reference: data!.reference,
      creditorReference: body.creditorReference,
      status: data!.lifecycle,
      amount: body.amountToRecover,
      currency: body.currencyCode,
      debtorName: body.debtor.name,
      externalTenantId: tenant,
    };
    for (const [k, v] of Object.entries(want))
      expect((e.data as Record<string, unknown>)[k], said(rule, `data.${k} (the case's, as submitted)`)).toBe(v);
  });

  it('advancing the test case to Active and then Closed:Paid delivers case.updated (old and new lifecycle) and case.closed (why), in order for the case', async (ctx) => {
    needs(ctx, submitted, 'the case of "a submitted case"');
    const before = (await session.GET('/cases/{id}', { params: { path: { id: caseId! } } })).data!;
    const active = await session.POST('/test/cases/{id}/advance', {
      params: { path: { id: caseId! } },
      body: { to: 'Active' },
    });
    expect(active.response.status, 'advance to Active').toBe(200);
    const updated = await expectDelivery('case.updated');
    const u = event(updated)!;
    const changed = 'debitura.hook-updated-fields';
    expect(
      u.data?.oldLifecycle,
      said(changed, `oldLifecycle is the lifecycle before the move (${before.lifecycle})`),
    ).toBe(before.lifecycle);
    expect(u.data?.newLifecycle, said(changed, 'newLifecycle is Active')).toBe('Active');
    expect(u.data?.status, said(changed, 'status is the case as it stands after the event')).toBe('Active');
    expect(u.data?.amount, said(changed, 'amount is the amount submitted')).toBe(body!.amountToRecover);
    const paid = await session.POST('/test/cases/{id}/advance', {
      params: { path: { id: caseId! } },
      body: { to: 'Closed:Paid', amount: body!.amountToRecover },
    });
    expect(paid.response.status, 'advance to Closed:Paid').toBe(200);
    const closed = await expectDelivery('case.closed');
    const after = (await session.GET('/cases/{id}', { params: { path: { id: caseId! } } })).data!;
    const why = 'debitura.hook-closed-fields';
    expect(event(closed)!.data?.status, said(why, 'status Closed')).toBe('Closed');
    expect(event(closed)!.data?.closeCode, said(why, `closeCode is the case's (${after.closeCode})`)).toBe(
      after.closeCode,
    );
    expect(event(closed)!.data?.closeCode, said(why, 'closeCode says why: Paid')).toBe('Paid');
    const seen = receiver.deliveries.filter(ours).map((d) => event(d)!.event!);
    expect(
      inOrder(seen, ['case.created', 'case.updated', 'case.closed']),
      `case.created → case.updated → case.closed, in that order (arrived: ${seen.join(', ')})`,
    ).toBe(true);
    expect(
      seen.filter((t) => !(EVENTS as readonly string[]).includes(t)),
      'only the subscribed event types arrive',
    ).toEqual([]);
  });

  it('a delivery the receiver refused (503) is retried with the same event id and the same payload', async (ctx) => {
    needs(ctx, subscriptionId, 'the subscription of "subscribes the local receiver"');
    armed = true;
    const { data, response } = await session.POST('/cases', { body: caseBody({ isTest: true }) });
    expect(response.status, 'POST /cases').toBe(200);
    retryCaseId = data!.id!;
    const rule = 'debitura.hook-retry-identity';
    const created = (d: Delivery) => event(d)?.data?.caseId === retryCaseId && event(d)?.event === 'case.created';
    await receiver.waitFor(
      (d) => created(d) && d.index > 0 && receiver.deliveries.filter(created).length >= 2,
      target().webhookWaitMs + 2000,
    );
    const attempts = receiver.deliveries.filter(created);
    expect(refusedCaseId, said(rule, 'the first case.created after the submission was its own')).toBe(retryCaseId);
    expect(attempts.length, said(rule, 'the refused case.created delivery arrived again')).toBeGreaterThanOrEqual(2);
    expect(
      new Set(attempts.map((d) => event(d)!.id)).size,
      said(rule, `every attempt carries the same event id (got ${attempts.map((d) => event(d)!.id).join(', ')})`),
    ).toBe(1);
    expect(
      attempts.map((d) => ({ ...event(d)!, id: undefined })),
      said(rule, 'every attempt carries the same payload'),
    ).toEqual(attempts.map(() => ({ ...event(attempts[0]!)!, id: undefined })));
  });

  it('every delivery carries a valid X-Debitura-Signature (HMAC-SHA256 with the base64-decoded secret), X-Debitura-Timestamp and X-Debitura-Event', async (ctx) => {
    needs(ctx, secret, 'the secret of "subscribes the local receiver"');
    const deliveries = receiver.deliveries;
    ctx.skip(deliveries.length === 0, 'no delivery arrived (see the checks above)');
    const problems: string[] = [];
    for (const d of deliveries) {
      const header = d.headers['x-debitura-signature'];
      const name = `delivery ${d.index} (${event(d)?.event ?? 'not JSON'})`;
      if (typeof header !== 'string') {
        problems.push(`${name} has no X-Debitura-Signature header`);
        continue;
      }
      try {
        verifyDebituraSignature(d.raw, header, secret!, 300, realNowSeconds());
      } catch (error) {
        problems.push(`${name}: ${(error as Error).message}`);
      }
      const t = /(?:^|,)t=(\d+)/.exec(header)?.[1];
      if (d.headers['x-debitura-timestamp'] !== t)
        problems.push(
          `${name}: X-Debitura-Timestamp ${String(d.headers['x-debitura-timestamp'])} is not the signature's t=${t}`,
        );
      if (d.headers['x-debitura-event'] !== event(d)?.event)
        problems.push(
          `${name}: X-Debitura-Event ${String(d.headers['x-debitura-event'])} is not the payload's event ${event(d)?.event}`,
        );
    }
    expect(problems, `deliveries whose signature or headers are wrong: ${problems.slice(0, 5).join('; ')}`).toEqual([]);
  });

  it("every delivery is a POST of JSON valid against the contract's webhooks schema for its event", async (ctx) => {
    const deliveries = receiver.deliveries;
    ctx.skip(deliveries.length === 0, 'no delivery arrived (see the checks above)');
    const contract = debituraContract('referral');
    const problems: string[] = [];
    const warnings: Warning[] = [];
    for (const d of deliveries) {
      const e = event(d);
      const name = `delivery ${d.index} (${e?.event ?? 'not JSON'})`;
      if (d.method !== 'POST') problems.push(`${name} is a ${d.method}, not a POST`);
      if (!/^application\/json/i.test(String(d.headers['content-type'])))
        problems.push(`${name} has Content-Type ${String(d.headers['content-type'])}`);
      if (!e) {
        problems.push(`${name}: the body is not JSON`);
        continue;
      }
      const type = String(e.event);
      const validate = contract.webhookValidator(type);
      if (!validate) {
        warnings.push({
          rule: 'unknown-event-type',
          operationId: `webhook ${type}`,
          status: null,
          path: 'event',
          message: `event ${e.id} has type ${JSON.stringify(type)}, which the contract's webhooks section does not list`,
        });
        continue;
      }
      if (!validate(e)) problems.push(`${name}: ${describeErrors(validate.errors)}`);
      else {
        const strict = closedView(contract).webhookValidator(type)!;
        if (!strict(e))
          for (const path of unknownFields(strict.errors, ''))
            warnings.push({
              rule: 'unknown-field',
              operationId: `webhook ${type}`,
              status: null,
              path,
              message: `${path} is not a field of the contract's ${type} payload`,
            });
      }
    }
    expect(
      problems,
      `deliveries that break the contract's webhook payload schema (event-payload): ${problems.slice(0, 5).join('; ')}`,
    ).toEqual([]);
    reportWarnings(warnings);
  });
});

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
  type CustomerClient,
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
  const event = (d: Delivery) => d.event as unknown as WebhookEvent | undefined;
  const ours = (d: Delivery) => event(d)?.data?.caseId === caseId;

  beforeAll(async () => {
    partner = await freshPartner();
    tenant = freshTenant();
    await createDebituraClient(partner, tenant, { signed: true });
    session = await customerSession(partner, tenant);
    receiver = await startWebhookReceiver(target().webhookHost, target().webhookPort, '/debitura-webhooks');
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

  it('a submitted case delivers case.created', async (ctx) => {
    needs(ctx, subscriptionId, 'the subscription of "subscribes the local receiver"');
    const { data, response } = await session.POST('/cases', { body: caseBody({ isTest: true }) });
    expect(response.status, 'POST /cases').toBe(200);
    caseId = data!.id!;
    const d = await expectDelivery('case.created');
    expect(event(d)!.data, 'the payload names the case').toMatchObject({
      caseId,
      reference: data!.reference,
      externalTenantId: tenant,
    });
  });

  it('advancing the test case to Active and then Closed:Paid delivers case.updated and case.closed, in order for the case', async (ctx) => {
    needs(ctx, caseId, 'the case of "a submitted case"');
    const active = await session.POST('/test/cases/{id}/advance', {
      params: { path: { id: caseId! } },
      body: { to: 'Active' },
    });
    expect(active.response.status, 'advance to Active').toBe(200);
    const updated = await expectDelivery('case.updated');
    expect(event(updated)!.data, 'case.updated to Active').toMatchObject({
      caseId,
      newLifecycle: 'Active',
      status: 'Active',
    });
    const paid = await session.POST('/test/cases/{id}/advance', {
      params: { path: { id: caseId! } },
      body: { to: 'Closed:Paid', amount: 5000 },
    });
    expect(paid.response.status, 'advance to Closed:Paid').toBe(200);
    const closed = await expectDelivery('case.closed');
    expect(event(closed)!.data, 'case.closed').toMatchObject({ caseId, status: 'Closed' });
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

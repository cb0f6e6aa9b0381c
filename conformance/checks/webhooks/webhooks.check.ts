// Webhooks end to end: a local receiver registered for every event ("*"), flows driven through the
// API (and the test helpers when offered), then: each flow's events arrive, in the right order for
// their object; every delivery is signed with the endpoint's secret (X-CasaPay-Signature, checked
// with the kit's verifySignature); every payload matches the contract's webhook schema and the
// event the API lists.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifySignature } from '../../../kit/webhook-signature.js';
import type { components } from '../../../generated/casapay.js';
import { capability } from '../../support/capability.js';
import { contract } from '../../support/contract.js';
import {
  DAY,
  accountClock,
  caseParams,
  createCase,
  eligibleCountries,
  expectNoProblems,
  freshAccount,
  listAll,
  probeTestHelpers,
  type Account,
  type CollectionCase,
  type GuaranteePolicy,
} from '../../support/fixtures.js';
import { describeErrors } from '../../../kit/contract.js';
import { realNowSeconds } from '../../support/runtime.js';
import { target } from '../../support/target.js';
import { startWebhookReceiver, type Delivery, type WebhookReceiver } from '../../support/webhook-receiver.js';
import { reportWarnings } from '../../support/client.js';
import { eventWarnings } from '../../support/warnings.js';

type Event = components['schemas']['Event'];

const SIGNATURE = 'x-casapay-signature';

/** Whether `wanted` occurs in `seen` as a subsequence (in that order, other events in between allowed). */
function inOrder(seen: readonly string[], wanted: readonly string[]): boolean {
  let at = 0;
  for (const type of seen) if (type === wanted[at]) at++;
  return at === wanted.length;
}

const isLoopback = (host: string) =>
  host === 'localhost' || host.startsWith('127.') || host === '::1' || host === '[::1]';

/**
 * A target on another machine cannot reach a receiver listening on this machine's loopback address:
 * that is a capability the run cannot exercise (skipped with the reason), not a failure of the target.
 */
function unreachableReason(): string | undefined {
  const targetHost = new URL(target().baseUrl).hostname;
  if (!isLoopback(target().webhookHost) || isLoopback(targetHost)) return undefined;
  return `the target (${targetHost}) cannot reach a receiver on ${target().webhookHost}; pass --webhook-host with an address of this machine it can reach`;
}

capability('webhooks', 'webhook deliveries', () => {
  const unreachable = unreachableReason();
  if (unreachable) {
    it('deliveries reach the local receiver', (ctx) => ctx.skip(true, unreachable));
    return;
  }
  let account: Account;
  let receiver: WebhookReceiver;
  let secret: string;
  let endpointId: string;
  let now: number;
  let policy: GuaranteePolicy;
  let country: string;
  let helpers = { available: false, reason: 'not probed' };
  let before = new Set<string>();
  /** Event ids the flows waited for; the final checks look at every delivery. */
  const flowEvents = new Set<string>();

  beforeAll(async () => {
    account = await freshAccount();
    ({ now, policy } = await accountClock(account));
    [country] = (await eligibleCountries(account, now)) as [string];
    receiver = await startWebhookReceiver(target().webhookHost, target().webhookPort);
    // Events that exist before the endpoint does are not owed to it (completeness check below).
    before = new Set((await listAll<Event>(account, '/v1/events')).map((e) => e.id));
    const { data, response } = await account.api.POST('/v1/webhook_endpoints', {
      body: { url: receiver.url, enabled_events: ['*'], description: 'casapay-conformance receiver' },
    });
    expect(response.status, 'registering the local receiver').toBe(201);
    secret = data!.secret!;
    endpointId = data!.id;
    helpers = await probeTestHelpers(account, await createCase(account, caseParams(now, { country })));
  });

  afterAll(async () => {
    if (endpointId)
      await account.api
        .DELETE('/v1/webhook_endpoints/{id}', { params: { path: { id: endpointId } } })
        .catch(() => undefined);
    await receiver?.close();
  });

  const named = Object.keys(contract().document.components.schemas.Event.properties).filter(
    (k) => k !== 'pending_webhooks',
  );
  const eventFields = (event: unknown) =>
    Object.fromEntries(named.map((k) => [k, (event as Record<string, unknown> | undefined)?.[k]]));
  const objectId = (d: Delivery) => d.event?.data?.object?.id as string | undefined;
  const aboutObject = (d: Delivery, id: string) => objectId(d) === id || d.event?.data?.object?.case === id;

  /** Waits for a delivery of `type` about object `id`; fails naming what did not arrive. */
  const expectDelivery = async (type: string, id: string): Promise<Delivery> => {
    const found = await receiver.waitFor((d) => d.event?.type === type && aboutObject(d, id), target().webhookWaitMs);
    const got = receiver.deliveries.filter((d) => aboutObject(d, id)).map((d) => d.event?.type);
    expect(found, `a ${type} delivery for ${id} (deliveries for it so far: ${got.join(', ') || 'none'})`).toBeDefined();
    flowEvents.add(found!.event!.id!);
    return found!;
  };

  /** The types of the events the API lists for an object, oldest first. */
  const eventTypesFor = async (id: string) => {
    const events = await listAll<Event>(account, '/v1/events');
    return events
      .reverse()
      .filter(
        (e) =>
          (e.data.object as { id?: string; case?: string }).id === id ||
          (e.data.object as { case?: string }).case === id,
      )
      .map((e) => e.type);
  };

  it('creating a case delivers collection_case.created', async () => {
    const c = await createCase(account, caseParams(now, { country }));
    const d = await expectDelivery('collection_case.created', c.id);
    expect(d.event!.data!.object, 'the payload carries the new case').toMatchObject({
      id: c.id,
      reference: c.reference,
      object: 'collection_case',
    });
  });

  it('a payment that clears the remainder delivers debt_payment.created, collection_case.updated, collection_case.closed (listed in that order, delivered in order per object)', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    const c: CollectionCase = await createCase(account, caseParams(now, { country, amount: 50_000 }));
    const { data: payment, response } = await account.api.POST('/v1/test_helpers/collection_cases/{id}/debt_payments', {
      params: { path: { id: c.id } },
      body: { amount: 50_000 },
    });
    expect(response.status).toBe(201);
    const paid = await expectDelivery('debt_payment.created', c.id);
    expect(objectId(paid), 'debt_payment.created carries the payment').toBe(payment!.id);
    const updated = await expectDelivery('collection_case.updated', c.id);
    expect(updated.event!.data!.object, 'the update shows the remainder at 0').toMatchObject({
      id: c.id,
      remainder: 0,
    });
    // previous_attributes is optional (a warning when absent, see warnings.ts); when sent it must be right.
    const previous = (updated.event as unknown as Event).data.previous_attributes;
    if (previous !== undefined)
      expect(previous, 'collection_case.updated says what changed').toMatchObject({ remainder: 50_000 });
    await expectDelivery('collection_case.closed', c.id);
    const flow = ['debt_payment.created', 'collection_case.updated', 'collection_case.closed'];
    const listed = await eventTypesFor(c.id);
    expect(
      inOrder(listed, flow),
      `GET /v1/events lists ${flow.join(' → ')} in that order (listed, oldest first: ${listed.join(', ')})`,
    ).toBe(true);
    // Delivery order is promised per object only: the payment (dp_…) may arrive before or after the
    // case's own events, but the case's update must arrive before its close.
    const caseFlow = ['collection_case.updated', 'collection_case.closed'];
    const arrived = receiver.deliveries.filter((d) => objectId(d) === c.id).map((d) => String(d.event?.type));
    expect(
      inOrder(arrived, caseFlow),
      `the case's deliveries arrive as ${caseFlow.join(' → ')} (arrived for ${c.id}: ${arrived.join(', ')})`,
    ).toBe(true);
  });

  it('uploading a file delivers case_file.uploaded', async () => {
    const c = await createCase(account, caseParams(now, { country }));
    const fd = new FormData();
    fd.append('document_type', 'original_invoice');
    fd.append('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')]), 'invoice.pdf');
    const { response } = await account.api.POST('/v1/collection_cases/{id}/files', {
      params: { path: { id: c.id } },
      body: fd as never,
      bodySerializer: (b: unknown) => b as FormData,
    });
    expect(response.status).toBe(201);
    await expectDelivery('case_file.uploaded', c.id);
  });

  it('policies, guarantees and claims deliver their created events (and, with test helpers, claim decisions)', async () => {
    const { data: p } = await account.api.POST('/v1/guarantee_policies', {
      body: { name: 'Webhook policy', coverage_percentage: 100, max_coverage_months: 6 },
    });
    await expectDelivery('guarantee_policy.created', p!.id);
    const { data: g } = await account.api.POST('/v1/guarantees', {
      body: {
        policy: policy.id,
        tenant: 'cus_webhooks',
        coverage_amount: 100_000,
        currency: 'eur',
        start_date: now - 60 * DAY,
        end_date: now + 300 * DAY,
      },
    });
    await expectDelivery('guarantee.created', g!.id);
    const claim = async () =>
      (
        await account.api.POST('/v1/claims', {
          body: {
            guarantee: g!.id,
            amount: 10_000,
            currency: 'eur',
            reason: 'missed_payment',
            evidence: { due_date: g!.start_date + (policy.waiting_period_days + 5) * DAY },
          },
        })
      ).data!;
    const first = await claim();
    await expectDelivery('claim.submitted', first.id);
    if (!helpers.available) return;
    await account.api.POST('/v1/test_helpers/claims/{id}/approve', { params: { path: { id: first.id } } });
    await expectDelivery('claim.approved', first.id);
    await account.api.POST('/v1/test_helpers/claims/{id}/pay', { params: { path: { id: first.id } } });
    await expectDelivery('claim.paid', first.id);
    const second = await claim();
    await account.api.POST('/v1/test_helpers/claims/{id}/deny', { params: { path: { id: second.id } }, body: {} });
    await expectDelivery('claim.denied', second.id);
  });

  it('a fired test event is delivered like any other', async (ctx) => {
    ctx.skip(!helpers.available, helpers.reason);
    const c = await createCase(account, caseParams(now, { country }));
    const { data, response } = await account.api.POST('/v1/test_helpers/events', {
      body: { type: 'collection_case.updated', object: c.id },
    });
    expect(response.status).toBe(201);
    expect(data, 'the fired event is of the type and object sent').toMatchObject({
      type: 'collection_case.updated',
      data: { object: { id: c.id } },
    });
    const d = await receiver.waitFor((x) => x.event?.id === data!.id, target().webhookWaitMs);
    expect(d, `the fired event ${data!.id} is delivered`).toBeDefined();
  });

  it('every delivery carries a valid X-CasaPay-Signature (HMAC-SHA256 with the endpoint secret, t within 300 s)', () => {
    expect(receiver.deliveries.length, 'deliveries received').toBeGreaterThan(0);
    const problems: string[] = [];
    for (const d of receiver.deliveries) {
      const header = d.headers[SIGNATURE];
      if (typeof header !== 'string') {
        problems.push(`${d.event?.type ?? '?'} ${d.event?.id ?? ''}: no X-CasaPay-Signature header`);
        continue;
      }
      try {
        // Judged as a receiver judges it: against real time, not the target's (possibly shifted or
        // frozen) business clock; the signature's `t` is real time (DECISIONS.md).
        verifySignature(d.raw, header, secret, 300, realNowSeconds());
      } catch (err) {
        problems.push(`${d.event?.type ?? '?'} ${d.event?.id ?? ''}: ${(err as Error).message}`);
      }
    }
    expectNoProblems(
      problems,
      'every delivery must carry an X-CasaPay-Signature that verifies with the endpoint secret',
    );
  });

  it('every delivery is a POST of JSON that matches the contract schema for its event type', (ctx) => {
    // Nothing received means nothing was checked: that is a skip with its reason, never a pass.
    ctx.skip(
      receiver.deliveries.length === 0,
      'no webhook delivery was received, so there was no payload to check (the delivery checks above fail for it)',
    );
    const problems: string[] = [];
    for (const d of receiver.deliveries) {
      if (d.method !== 'POST') problems.push(`delivery ${d.index}: method ${d.method}`);
      if (!/^application\/json\b/.test(String(d.headers['content-type'])))
        problems.push(`delivery ${d.index}: Content-Type ${d.headers['content-type']}`);
      if (!d.event) {
        problems.push(`delivery ${d.index}: body is not JSON`);
        continue;
      }
      const { type, id } = d.event;
      // An event type the contract does not list is a warning: receivers must ignore unknown types.
      const validate = contract().webhookValidator(String(type)) ?? contract().schema('Event');
      if (!validate(d.event)) problems.push(`${type} ${id}: ${describeErrors(validate.errors)}`);
      else reportWarnings(eventWarnings(d.event, `webhook ${String(type)}`, null, ''));
    }
    expectNoProblems(problems, 'every delivery must be a JSON POST valid against its webhook schema');
  });

  it('completeness: every event the API lists since the endpoint was registered for "*" is delivered', async (ctx) => {
    const owed = (await listAll<Event>(account, '/v1/events')).filter((e) => !before.has(e.id));
    ctx.skip(
      owed.length === 0,
      'GET /v1/events lists no event since the endpoint was registered, so there was nothing owed to check',
    );
    const missing: string[] = [];
    for (const e of owed) {
      // Deliveries may lag the listing: wait for each the same way the flows do.
      const got =
        receiver.deliveries.some((d) => d.event?.id === e.id) ||
        (await receiver.waitFor((d) => d.event?.id === e.id, target().webhookWaitMs)) !== undefined;
      if (!got) missing.push(`${e.type} ${e.id}`);
    }
    expectNoProblems(missing, `every listed event must reach an endpoint subscribed to "*" (${owed.length} owed)`);
  });

  it('each delivered event is the event the API lists (same id, type and object)', async (ctx) => {
    ctx.skip(
      receiver.deliveries.length === 0,
      'no webhook delivery was received, so there was no delivered event to compare with GET /v1/events',
    );
    const listed = new Map((await listAll<Event>(account, '/v1/events')).map((e) => [e.id, e]));
    for (const d of receiver.deliveries) {
      const e = listed.get(d.event?.id ?? '');
      expect(e, `delivered event ${d.event?.id} (${d.event?.type}) is listed by GET /v1/events`).toBeDefined();
      // Compared on the fields the contract names (pending_webhooks changes as deliveries succeed);
      // a field it does not name is a warning of its own, not a difference between the two.
      expect(eventFields(d.event), `delivered ${d.event?.id} equals the listed event`).toEqual(eventFields(e));
    }
    expect([...flowEvents].every((id) => listed.has(id))).toBe(true);
  });
});

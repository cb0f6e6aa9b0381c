// /v1/test_helpers/...: drive time and lifecycles directly, as Stripe's test mode does — test clocks,
// moving a case, recording a debt payment, deciding and paying claims, firing an event.
import type { components } from '../../../../generated/casapay.js';
import { errors } from '../errors.js';
import type { TestClock } from '../state.js';
import { created, ok, type EventSubject, type Handler } from './context.js';
import { find, listPage } from './shared.js';
import { moveCase, recordPayment, type RecordPayment } from './collection-cases.js';
import { decideClaim, payClaim } from './claims.js';

type Schemas = components['schemas'];

const CLOCK_LIFETIME = 30 * 86_400;
/** How far one advance may jump: two years, as Stripe limits test clock advances. */
export const MAX_ADVANCE = 2 * 365 * 86_400;

export const createTestClock: Handler = (ctx) => {
  const body = ctx.body as Schemas['TestClockCreateParams'];
  const now = ctx.now();
  const clock: TestClock = {
    id: ctx.ids.id('clock'),
    object: 'test_helpers.test_clock',
    frozen_time: body.frozen_time,
    status: 'ready',
    name: body.name ?? null,
    deletes_after: now + CLOCK_LIFETIME,
    created: now,
  };
  ctx.account.testClocks.add(clock);
  return created(clock);
};

export const listTestClocks: Handler = (ctx) => ok(listPage(ctx, ctx.account.testClocks));

export const retrieveTestClock: Handler = (ctx) =>
  ok(find(ctx.account.testClocks, ctx.params.id!, 'test_helpers.test_clock'));

export const deleteTestClock: Handler = (ctx) => {
  const clock = find(ctx.account.testClocks, ctx.params.id!, 'test_helpers.test_clock');
  ctx.account.testClocks.delete(clock.id);
  // Objects on the clock follow the account's clock from now on; their pending tasks are dropped.
  ctx.account.schedule.dropClock(clock.id);
  return ok({ id: clock.id, object: 'test_helpers.test_clock', deleted: true });
};

export const advanceTestClock: Handler = (ctx) => {
  const clock = find(ctx.account.testClocks, ctx.params.id!, 'test_helpers.test_clock');
  const to = (ctx.body as Schemas['TestClockAdvanceParams']).frozen_time;
  if (to <= clock.frozen_time)
    throw errors.parameterInvalid('frozen_time', `must be after the clock's current time ${clock.frozen_time}.`);
  if (to - clock.frozen_time > MAX_ADVANCE)
    throw errors.parameterInvalid('frozen_time', 'a clock can advance at most two years at a time.');
  ctx.advanceTestClock(clock.id, to);
  return ok(ctx.account.testClocks.get(clock.id));
};

export const advanceCollectionCase: Handler = (ctx) => {
  const c = find(ctx.account.cases, ctx.params.id!, 'collection_case');
  const body = ctx.body as Schemas['CollectionCaseAdvanceParams'];
  return ok(moveCase(ctx, c, body.status, body.close_code ?? null, body.comment));
};

/** Records a debt payment with `record` (a deliberate defect's variant, or the honest one below). */
export const testDebtPaymentHandler =
  (record: RecordPayment): Handler =>
  (ctx) => {
    const c = find(ctx.account.cases, ctx.params.id!, 'collection_case');
    return created(record(ctx, c, ctx.body as Schemas['DebtPaymentCreateParams']).payment);
  };

export const createTestDebtPayment: Handler = testDebtPaymentHandler(recordPayment);

const findClaim: (ctx: Parameters<Handler>[0]) => Schemas['Claim'] = (ctx) =>
  find(ctx.account.claims, ctx.params.id!, 'claim');

export const approveClaim: Handler = (ctx) => ok(decideClaim(ctx, findClaim(ctx), 'approved'));

export const denyClaim: Handler = (ctx) =>
  ok(decideClaim(ctx, findClaim(ctx), 'denied', (ctx.body as Schemas['ClaimDenyParams'] | undefined)?.denial_reason));

export const payClaimHandler: Handler = (ctx) => ok(payClaim(ctx, findClaim(ctx)));

/** Which collection an event type's object lives in. */
const SUBJECTS = {
  collection_case: (ctx: Parameters<Handler>[0]) => ctx.account.cases,
  debt_payment: (ctx: Parameters<Handler>[0]) => ctx.account.payments,
  case_file: (ctx: Parameters<Handler>[0]) => ctx.account.files,
  guarantee_policy: (ctx: Parameters<Handler>[0]) => ctx.account.policies,
  guarantee: (ctx: Parameters<Handler>[0]) => ctx.account.guarantees,
  claim: (ctx: Parameters<Handler>[0]) => ctx.account.claims,
} as const;

export const fireEvent: Handler = (ctx) => {
  const body = ctx.body as Schemas['EventFireParams'];
  const kind = body.type.slice(0, body.type.indexOf('.')) as keyof typeof SUBJECTS;
  let subject: EventSubject;
  if (body.object !== undefined) {
    const found = SUBJECTS[kind](ctx).get(body.object);
    if (!found) throw errors.missingReference(kind, body.object, 'object');
    subject = found as EventSubject;
  } else {
    // The contract's own example payload for this event type.
    const example =
      ctx.contract.document.webhooks[body.type].post.requestBody.content['application/json'].examples.event.value.data
        .object;
    subject = structuredClone(example) as EventSubject;
  }
  // The event emit recorded, by identity: the account's events are ordered by `created`, so an
  // index into them finds an older event once any is dated after now (a clock moved back).
  return created(ctx.emit(body.type, subject, body.type.endsWith('.updated') ? {} : undefined));
};

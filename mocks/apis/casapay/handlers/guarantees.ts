// /v1/guarantees: rent guarantees with their coverage arithmetic, activated and expired by the clock.
import type { components } from '../../../../generated/casapay.js';
import { errors } from '../errors.js';
import { planGuaranteeMove, type GuaranteeStatus } from '../domain/lifecycle.js';
import type { AccountState, Guarantee, GuaranteeTerms } from '../state.js';
import { created, ok, type Effects, type EventType, type Handler } from './context.js';
import { currency, find, listPage, previousAttributes, testClockOf } from './shared.js';

type CreateParams = components['schemas']['GuaranteeCreateParams'];
type UpdateParams = components['schemas']['GuaranteeUpdateParams'];
type CancelParams = components['schemas']['GuaranteeCancelParams'];

const STATUS_EVENTS: Partial<Record<GuaranteeStatus, EventType>> = {
  active: 'guarantee.activated',
  claimed: 'guarantee.claimed',
  expired: 'guarantee.expired',
  cancelled: 'guarantee.cancelled',
};

/** Applies a status change (or a change of fields) to a guarantee and emits its events. */
export function updateGuarantee(fx: Effects, before: Guarantee, changes: Partial<Guarantee>): Guarantee {
  if (changes.status && changes.status !== before.status) {
    const verdict = planGuaranteeMove(before.status, changes.status);
    if (!verdict.ok) throw errors.stateInvalid(verdict.message, verdict.param);
  }
  const after: Guarantee = { ...before, ...changes };
  const previous = previousAttributes(before, after);
  if (Object.keys(previous).length === 0) return before;
  fx.account.guarantees.replace(after);
  const now = fx.now(after.test_clock);
  fx.emit('guarantee.updated', after, previous, now);
  const statusEvent = after.status !== before.status ? STATUS_EVENTS[after.status] : undefined;
  if (statusEvent) fx.emit(statusEvent, after, undefined, now);
  return after;
}

/**
 * The policy terms a guarantee is held to: those kept when it was written, so a later change of the policy
 * does not reach it. A guarantee from a store written before terms were kept reads its policy's terms now.
 * @example termsOf(ctx.account, guarantee).waiting_period_days // 30 for the quickstart's grt_def456
 */
export function termsOf(account: AccountState, guarantee: Guarantee): GuaranteeTerms {
  const kept = account.guaranteeTerms.get(guarantee.id);
  if (kept) return kept;
  const policy = account.policies.get(guarantee.policy);
  return { waiting_period_days: policy?.waiting_period_days ?? 0, deductible_amount: policy?.deductible_amount ?? 0 };
}

/** Activation at `start_date` and expiry at `end_date`, on the guarantee's clock. */
function scheduleLifecycle(fx: Effects, g: Guarantee): void {
  if (g.status === 'pending')
    fx.schedule(g.start_date, g.test_clock ?? null, 'guarantee.activate', { guarantee: g.id }, `activate ${g.id}`);
  scheduleExpiry(fx, g);
}

function scheduleExpiry(fx: Effects, g: Guarantee): void {
  fx.schedule(
    g.end_date,
    g.test_clock ?? null,
    'guarantee.expire',
    { guarantee: g.id, end_date: g.end_date },
    `expire ${g.id}`,
  );
}

export function runActivation(fx: Effects, { guarantee: id }: { guarantee: string }): void {
  const current = fx.account.guarantees.get(id);
  if (current?.status === 'pending') updateGuarantee(fx, current, { status: 'active' });
}

export function runExpiry(
  fx: Effects,
  { guarantee: id, end_date: endDate }: { guarantee: string; end_date: number },
): void {
  const current = fx.account.guarantees.get(id);
  // An extended guarantee has a later expiry task of its own.
  if (current && current.end_date === endDate && (current.status === 'active' || current.status === 'claimed'))
    updateGuarantee(fx, current, { status: 'expired' });
}

export const createGuarantee: Handler = (ctx) => {
  const body = ctx.body as CreateParams;
  const policy = ctx.account.policies.get(body.policy);
  if (!policy) throw errors.missingReference('guarantee_policy', body.policy, 'policy');
  if (!policy.active)
    throw errors.stateInvalid(`Policy ${policy.id} is inactive; new guarantees cannot be written under it.`, 'policy');
  const code = currency(body.currency);
  if (body.end_date <= body.start_date) throw errors.parameterInvalid('end_date', 'end_date must be after start_date.');
  // Without test_clock, the account's guarantee clock if a scenario set one and it still exists
  // (the docs' key: the quickstart's 2024 dates are then alive, as the docs show them).
  const fallback = ctx.account.guaranteeClock;
  const clock =
    body.test_clock === undefined && fallback && ctx.account.testClocks.has(fallback)
      ? fallback
      : testClockOf(ctx, body.test_clock);
  const now = ctx.now(clock);
  const total = body.coverage_amount * policy.max_coverage_months;
  const started = body.start_date <= now;
  const guarantee: Guarantee = {
    id: ctx.ids.id('grt'),
    object: 'guarantee',
    status: started ? 'active' : 'pending',
    policy: policy.id,
    tenant: body.tenant,
    coverage_amount: body.coverage_amount,
    total_coverage: total,
    amount_claimed: 0,
    amount_paid: 0,
    remaining_coverage: total,
    claims_filed: 0,
    claims_paid: 0,
    currency: code,
    start_date: body.start_date,
    end_date: body.end_date,
    canceled_at: null,
    cancellation_reason: null,
    test_clock: clock,
    metadata: body.metadata ?? {},
    created: now,
  };
  ctx.account.guaranteeTerms.set(guarantee.id, {
    waiting_period_days: policy.waiting_period_days,
    deductible_amount: policy.deductible_amount,
  });
  ctx.account.guarantees.add(guarantee);
  ctx.emit('guarantee.created', guarantee, undefined, now);
  if (started) ctx.emit('guarantee.activated', guarantee, undefined, now);
  if (body.end_date <= now && started) {
    // Written entirely in the past: it has already run out.
    updateGuarantee(ctx, guarantee, { status: 'expired' });
  } else scheduleLifecycle(ctx, guarantee);
  return created(ctx.account.guarantees.get(guarantee.id));
};

export const listGuarantees: Handler = (ctx) => {
  const { status, policy, tenant } = ctx.query as { status?: GuaranteeStatus; policy?: string; tenant?: string };
  const filter =
    status || policy || tenant
      ? (g: Guarantee) =>
          (!status || g.status === status) && (!policy || g.policy === policy) && (!tenant || g.tenant === tenant)
      : undefined;
  return ok(listPage(ctx, ctx.account.guarantees, filter));
};

export const retrieveGuarantee: Handler = (ctx) => ok(find(ctx.account.guarantees, ctx.params.id!, 'guarantee'));

export const updateGuaranteeHandler: Handler = (ctx) => {
  const before = find(ctx.account.guarantees, ctx.params.id!, 'guarantee');
  const body = ctx.body as UpdateParams;
  const finished = before.status === 'cancelled' || before.status === 'expired';
  if (body.end_date !== undefined) {
    if (finished) throw errors.stateInvalid(`A ${before.status} guarantee can only change metadata.`, 'end_date');
    if (body.end_date <= before.start_date)
      throw errors.parameterInvalid('end_date', 'end_date must be after start_date.');
  }
  const after = updateGuarantee(ctx, before, {
    ...(body.end_date !== undefined ? { end_date: body.end_date } : {}),
    ...(body.metadata ? { metadata: { ...before.metadata, ...body.metadata } } : {}),
  });
  if (body.end_date !== undefined && body.end_date !== before.end_date) {
    // The expiry at the old end_date is superseded: dropped, so repeated updates cannot pile up tasks.
    ctx.account.schedule.removeWhere(
      after.test_clock ?? null,
      (task) => task.kind === 'guarantee.expire' && task.params.guarantee === after.id,
    );
    scheduleExpiry(ctx, after);
  }
  return ok(after);
};

export const cancelGuarantee: Handler = (ctx) => {
  const before = find(ctx.account.guarantees, ctx.params.id!, 'guarantee');
  const body = (ctx.body ?? {}) as CancelParams;
  if (before.status === 'cancelled' || before.status === 'expired')
    throw errors.stateInvalid(`The guarantee is already ${before.status}.`, 'id');
  return ok(
    updateGuarantee(ctx, before, {
      status: 'cancelled',
      canceled_at: ctx.now(before.test_clock),
      cancellation_reason: body.cancellation_reason ?? null,
    }),
  );
};

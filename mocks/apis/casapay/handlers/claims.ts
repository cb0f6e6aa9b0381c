// /v1/claims: claims against guarantees, with their guards, reviewed within 5 business days of the
// guarantee's clock and paid the business day after approval. Test helpers decide them at once.
import type { components } from '../../../../generated/casapay.js';
import { errors } from '../errors.js';
import { addBusinessDays } from '../../common/calendar.js';
import { checkClaim, planClaimMove } from '../domain/lifecycle.js';
import type { Claim } from '../state.js';
import { created, ok, type Effects, type Handler } from './context.js';
import { currency, find, listPage } from './shared.js';
import { termsOf, updateGuarantee } from './guarantees.js';

type CreateParams = components['schemas']['ClaimCreateParams'];

export const REVIEW_BUSINESS_DAYS = 5;
export const DEFAULT_DENIAL_REASON = 'The claim does not meet the policy terms';

function guaranteeOf(fx: Effects, claim: Claim) {
  const guarantee = fx.account.guarantees.get(claim.guarantee);
  if (!guarantee) throw errors.internal(`claim ${claim.id} has no guarantee`);
  return guarantee;
}

function moveClaim(fx: Effects, claim: Claim, changes: Partial<Claim> & Pick<Claim, 'status'>): Claim {
  const verdict = planClaimMove(claim.status, changes.status);
  if (!verdict.ok) throw errors.stateInvalid(verdict.message, verdict.param);
  const next: Claim = { ...claim, ...changes };
  fx.account.claims.replace(next);
  return next;
}

/** Approves or denies a claim under review; a denial gives its amount back to the guarantee. */
export function decideClaim(fx: Effects, claim: Claim, decision: 'approved' | 'denied', denialReason?: string): Claim {
  const guarantee = guaranteeOf(fx, claim);
  const now = fx.now(guarantee.test_clock);
  const next = moveClaim(fx, claim, {
    status: decision,
    reviewed_at: now,
    denial_reason: decision === 'denied' ? (denialReason ?? DEFAULT_DENIAL_REASON) : null,
  });
  fx.emit(decision === 'approved' ? 'claim.approved' : 'claim.denied', next, undefined, now);
  if (decision === 'denied') {
    updateGuarantee(fx, guarantee, {
      amount_claimed: (guarantee.amount_claimed ?? 0) - claim.amount,
      remaining_coverage: (guarantee.remaining_coverage ?? 0) + claim.amount,
    });
  }
  if (decision === 'approved') schedulePayout(fx, next, addBusinessDays(now, 1));
  return next;
}

/** Pays an approved claim (one under review is approved first); the guarantee becomes `claimed`. */
export function payClaim(fx: Effects, claim: Claim): Claim {
  const approved = claim.status === 'under_review' ? decideClaim(fx, claim, 'approved') : claim;
  const guarantee = guaranteeOf(fx, approved);
  const now = fx.now(guarantee.test_clock);
  const paid = moveClaim(fx, approved, { status: 'paid', payout: fx.ids.id('po') });
  fx.emit('claim.paid', paid, undefined, now);
  updateGuarantee(fx, guarantee, {
    ...(guarantee.status === 'active' ? { status: 'claimed' as const } : {}),
    amount_paid: (guarantee.amount_paid ?? 0) + claim.amount,
    claims_paid: (guarantee.claims_paid ?? 0) + 1,
  });
  return paid;
}

function schedulePayout(fx: Effects, claim: Claim, at: number): void {
  const clock = guaranteeOf(fx, claim).test_clock ?? null;
  fx.schedule(at, clock, 'claim.payout', { claim: claim.id }, `pay ${claim.id}`);
}

export function runPayout(fx: Effects, { claim: id }: { claim: string }): void {
  const current = fx.account.claims.get(id);
  if (current?.status === 'approved') payClaim(fx, current);
}

/** The review decision the clock takes at `review_due_by`. Magic value: a description containing "deny" is denied. */
function scheduleReview(fx: Effects, claim: Claim, clock: string | null): void {
  fx.schedule(claim.review_due_by!, clock, 'claim.review', { claim: claim.id }, `review ${claim.id}`);
}

export function runReview(fx: Effects, { claim: id }: { claim: string }): void {
  const current = fx.account.claims.get(id);
  if (current?.status !== 'under_review') return;
  const deny = /deny/i.test(current.evidence?.description ?? '');
  decideClaim(fx, current, deny ? 'denied' : 'approved', deny ? 'The evidence does not show missed rent' : undefined);
}

export const createClaim: Handler = (ctx) => {
  const body = ctx.body as CreateParams;
  const guarantee = ctx.account.guarantees.get(body.guarantee);
  if (!guarantee) throw errors.missingReference('guarantee', body.guarantee, 'guarantee');
  const code = currency(body.currency);
  // The terms the guarantee was written under, not the policy's terms now.
  const terms = termsOf(ctx.account, guarantee);
  const refusal = checkClaim(
    {
      status: guarantee.status,
      currency: guarantee.currency,
      remaining_coverage: guarantee.remaining_coverage ?? 0,
      deductible_amount: terms.deductible_amount,
      start_date: guarantee.start_date,
      end_date: guarantee.end_date,
      waiting_period_days: terms.waiting_period_days,
    },
    { amount: body.amount, currency: code, due_date: body.evidence.due_date },
  );
  if (refusal)
    throw refusal.code === 'state_invalid'
      ? errors.stateInvalid(refusal.message, refusal.param)
      : errors.business(refusal.code, refusal.message, refusal.param);
  const clock = guarantee.test_clock ?? null;
  const now = ctx.now(clock);
  const submitted: Claim = {
    id: ctx.ids.id('clm'),
    object: 'claim',
    guarantee: guarantee.id,
    amount: body.amount,
    currency: code,
    status: 'submitted',
    reason: body.reason,
    evidence: body.evidence,
    payout: null,
    denial_reason: null,
    reviewed_at: null,
    review_due_by: addBusinessDays(now, REVIEW_BUSINESS_DAYS),
    metadata: body.metadata ?? {},
    created: now,
  };
  ctx.account.claims.add(submitted);
  ctx.emit('claim.submitted', submitted, undefined, now);
  const underReview = moveClaim(ctx, submitted, { status: 'under_review' });
  ctx.emit('claim.under_review', underReview, undefined, now);
  updateGuarantee(ctx, guarantee, {
    amount_claimed: (guarantee.amount_claimed ?? 0) + body.amount,
    remaining_coverage: (guarantee.remaining_coverage ?? 0) - body.amount,
    claims_filed: (guarantee.claims_filed ?? 0) + 1,
  });
  scheduleReview(ctx, underReview, clock);
  return created(underReview);
};

export const listClaims: Handler = (ctx) => {
  const { guarantee, status } = ctx.query as { guarantee?: string; status?: string };
  const filter =
    guarantee || status
      ? (c: Claim) => (!guarantee || c.guarantee === guarantee) && (!status || c.status === status)
      : undefined;
  return ok(listPage(ctx, ctx.account.claims, filter));
};

export const retrieveClaim: Handler = (ctx) => ok(find(ctx.account.claims, ctx.params.id!, 'claim'));

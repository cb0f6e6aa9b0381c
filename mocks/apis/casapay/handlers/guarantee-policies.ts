// /v1/guarantee_policies: the terms guarantees are written under.
import type { components } from '../../../../generated/casapay.js';
import type { GuaranteePolicy } from '../state.js';
import { created, ok, type Handler } from './context.js';
import { find, listPage, previousAttributes } from './shared.js';

type CreateParams = components['schemas']['GuaranteePolicyCreateParams'];
type UpdateParams = components['schemas']['GuaranteePolicyUpdateParams'];

export const createGuaranteePolicy: Handler = (ctx) => {
  const body = ctx.body as CreateParams;
  const now = ctx.now();
  const policy: GuaranteePolicy = {
    id: ctx.ids.id('gpol'),
    object: 'guarantee_policy',
    name: body.name,
    coverage_percentage: body.coverage_percentage,
    max_coverage_months: body.max_coverage_months,
    waiting_period_days: body.waiting_period_days ?? 0,
    eligible_score_minimum: body.eligible_score_minimum ?? 0,
    deductible_amount: body.deductible_amount ?? 0,
    active: true,
    metadata: body.metadata ?? {},
    created: now,
  };
  ctx.account.policies.add(policy);
  ctx.emit('guarantee_policy.created', policy, undefined, now);
  return created(policy);
};

export const listGuaranteePolicies: Handler = (ctx) => {
  const active = ctx.query.active as boolean | undefined;
  return ok(listPage(ctx, ctx.account.policies, active === undefined ? undefined : (p) => p.active === active));
};

export const retrieveGuaranteePolicy: Handler = (ctx) =>
  ok(find(ctx.account.policies, ctx.params.id!, 'guarantee_policy'));

export const updateGuaranteePolicy: Handler = (ctx) => {
  const before = find(ctx.account.policies, ctx.params.id!, 'guarantee_policy');
  const body = ctx.body as UpdateParams;
  const after: GuaranteePolicy = {
    ...before,
    ...body,
    metadata: body.metadata ? { ...before.metadata, ...body.metadata } : before.metadata,
  };
  const previous = previousAttributes(before, after);
  if (Object.keys(previous).length === 0) return ok(before);
  ctx.account.policies.replace(after);
  ctx.emit('guarantee_policy.updated', after, previous);
  return ok(after);
};

// /v1/debt_payments: payments recorded on the account's cases (by the partner, a test helper or a scenario).
import { errors } from '../errors.js';
import { ok, type Handler } from './context.js';
import { find, listPage } from './shared.js';

export const listDebtPayments: Handler = (ctx) => {
  const caseId = ctx.query.case as string | undefined;
  if (caseId !== undefined && !ctx.account.cases.has(caseId))
    throw errors.parameterInvalid('case', `no collection_case with id '${caseId}'.`);
  return ok(listPage(ctx, ctx.account.payments, caseId ? (p) => p.case === caseId : undefined, { case: caseId }));
};

export const retrieveDebtPayment: Handler = (ctx) => ok(find(ctx.account.payments, ctx.params.id!, 'debt_payment'));

// POST /v1/collection_case_previews: eligibility, partner, required actions and pricing, stored nowhere.
// The same rules (../rules.ts, through `assess`) decide the case created from the same input.
import type { components } from '../../../../generated/casapay.js';
import { ok, type Handler } from './context.js';
import { assess } from './collection-cases.js';

export const createCasePreview: Handler = (ctx) => {
  const body = ctx.body as components['schemas']['CasePreviewParams'];
  return ok(assess(ctx, body, ctx.now()).assessment.preview);
};

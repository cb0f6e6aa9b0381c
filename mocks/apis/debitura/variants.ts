// Benign variants of the Debitura mock (`--variant NAME`, the same flag as CasaPay's): behaviour
// Debitura's contracts allow that an implementation may well show, each a hook at an edge of
// mocks/apis/debitura/ (event ids, the response on its way out, the webhook payload, the error renderer).
// conformance/variants-debitura.test.ts asserts `--api debitura` passes every one. CasaPay's
// delivery variants (duplicate, delayed, interleaved), request-id-format, extra-headers and
// connection-close bend Debitura's answers too: they sit in the shared dispatcher and hooks.
import type { Contract } from '../../../kit/contract.js';
import type { ApiError } from '../../engine/errors.js';
import type { RenderedError } from '../../engine/pipeline.js';
import { namesOf } from '../../engine/choices.js';
import { errors } from '../../engine/errors.js';
import type { Handler } from '../../engine/handler.js';
import type { IdMinter } from '../../engine/state/ids.js';
import type { WebhookEvent } from './state.js';
import { REFERRAL_VARIANTS, referralResponseVariantsFor } from './variants-referral.js';

export const DEBITURA_VARIANTS = {
  'debitura-evt-event-ids': "webhook event ids as in Debitura's docs example (evt_…) instead of uuids",
  'debitura-extra-fields': 'responses and webhook payloads carry a field the contracts do not name (`traceId`)',
  'debitura-absent-nulls': 'properties whose value is null are left out of responses instead of sent as null',
  'debitura-reworded-errors': 'error messages in other words (error, businessErrors[].type and the status unchanged)',
  ...REFERRAL_VARIANTS,
  'debitura-dotnet-messages':
    "validation messages in .NET's wording, naming the property in words (\"'Due Date' must not be in the future.\"), never verbatim",
  'debitura-statuses-repeated-only':
    'list filters take only the repeated form the contract declares (`Statuses=A&Statuses=B`); one comma-separated value is an unknown status (400)',
  'debitura-files-oldest-last':
    "GET /cases/{id}/files lists a case's files newest first (the contract promises no order)",
} as const;

export type DebituraVariantName = keyof typeof DEBITURA_VARIANTS;
export type DebituraVariants = ReadonlySet<DebituraVariantName>;

export const parseDebituraVariants = (names: readonly string[] = []): DebituraVariants =>
  namesOf(DEBITURA_VARIANTS, names, 'Debitura variant');

/** The ids webhook events get. */
export function eventIdsFor(variants: DebituraVariants): (ids: IdMinter) => string {
  return variants.has('debitura-evt-event-ids') ? (ids) => ids.id('evt') : (ids) => ids.uuid();
}

/**
 * Leaves out null-valued properties the schema does not require (a required one stays, null and all:
 * `caseResults: null` is a promise), walking the schema along the value.
 */
function nullDropper(contract: Contract): (value: unknown, schema: unknown) => unknown {
  const resolve = (schema: any): any => {
    let s = schema;
    while (s && typeof s.$ref === 'string') s = contract.resolve(s.$ref);
    if (s?.allOf) {
      const members = s.allOf.map(resolve);
      return {
        required: members.flatMap((m: any) => m?.required ?? []),
        properties: Object.assign({}, ...members.map((m: any) => m?.properties ?? {})),
      };
    }
    if (s?.anyOf || s?.oneOf) return resolve((s.anyOf ?? s.oneOf).find((b: any) => resolve(b)?.type !== 'null')) ?? s;
    return s;
  };
  const drop = (value: unknown, schemaIn: unknown): unknown => {
    const schema = resolve(schemaIn);
    if (Array.isArray(value)) return value.map((v) => drop(v, schema?.items));
    if (!value || typeof value !== 'object') return value;
    const required = new Set<string>(schema?.required ?? []);
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k, v]) => v !== null || required.has(k))
        .map(([k, v]) => [k, drop(v, schema?.properties?.[k])]),
    );
  };
  return drop;
}
const traced = (value: unknown): unknown =>
  value && typeof value === 'object' && !Array.isArray(value) ? { ...value, traceId: 'tr_1' } : value;

/** Successful responses of one API on their way out, or undefined when no chosen variant bends them. */
export function responseVariantsFor(
  variants: DebituraVariants,
  contract: Contract,
): ((operationId: string, status: number, body: unknown) => unknown) | undefined {
  const absent = variants.has('debitura-absent-nulls') ? nullDropper(contract) : undefined;
  const extra = variants.has('debitura-extra-fields');
  const referral = referralResponseVariantsFor(variants);
  if (!absent && !extra && !referral) return undefined;
  return (operationId, status, body) => {
    if (status >= 300) return body;
    const pointer = contract.operationsById.get(operationId)?.responses[String(status)];
    let out = referral ? referral(operationId, status, body) : body;
    out = absent && pointer ? absent(out, { $ref: pointer }) : out;
    if (extra) out = Array.isArray(out) ? out.map(traced) : traced(out);
    return out;
  };
}

/** Webhook payloads before they are signed and sent (`WebhookEvent` in the contract). */
export function payloadVariantFor(
  variants: DebituraVariants,
  contract: Contract,
): (payload: WebhookEvent) => WebhookEvent {
  const absent = variants.has('debitura-absent-nulls') ? nullDropper(contract) : undefined;
  const extra = variants.has('debitura-extra-fields');
  if (!absent && !extra) return (payload) => payload;
  return (payload) => {
    let out = absent ? (absent(payload, { $ref: '#/components/schemas/WebhookEvent' }) as WebhookEvent) : payload;
    if (extra) out = { ...out, traceId: 'tr_1', data: { ...out.data, traceId: 'tr_1' } } as WebhookEvent;
    return out;
  };
}

/** A property as .NET's validators name it: `debtor[stateAlpha2]` → `State Alpha2`, `dueDate` → `Due Date`. */
export const propertyInWords = (param: string): string => {
  const last =
    param
      .split(/[[\].]/)
      .filter(Boolean)
      .at(-1) ?? param;
  return last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
};

/** FluentValidation's sentence for a refused property: `'Due Date' must not be in the future.` */
function dotnetMessage(error: ApiError, message: string): string {
  if (!error.param) return message;
  const words = `'${propertyInWords(error.param)}'`;
  const rest = message
    .replace(new RegExp(`^(Invalid|Missing required param:?) ${escapeRegExp(error.param)}[:.]?\\s*`, 'i'), '')
    .split(error.param)
    .join(words);
  if (error.code === 'parameter_missing') return `${words} must not be empty.${rest ? ` ${rest}` : ''}`;
  return rest.startsWith(words) ? rest : `${words} ${rest.replace(/^./, (c) => c.toLowerCase())}`;
}
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The error renderer, with messages reworded when the variant is on. */
export function errorRendererFor(
  variants: DebituraVariants,
  render: (error: ApiError) => RenderedError,
): (error: ApiError) => RenderedError {
  if (variants.has('debitura-dotnet-messages'))
    return (error) => {
      const { status, body } = render(error);
      const b = body as { message?: unknown; businessErrors?: Array<{ message?: unknown }> | null };
      if (!error.param || error.extra.body !== undefined) return { status, body };
      const say = (m: unknown) => (typeof m === 'string' ? dotnetMessage(error, m) : m);
      return {
        status,
        body: {
          ...b,
          message: say(b.message),
          ...(b.businessErrors
            ? { businessErrors: b.businessErrors.map((e) => ({ ...e, message: say(e.message) })) }
            : {}),
        },
      };
    };
  if (!variants.has('debitura-reworded-errors')) return render;
  const reword = (message: unknown) =>
    typeof message === 'string' ? `[reworded] ${message.split(' ').reverse().join(' ')}` : message;
  return (error) => {
    const { status, body } = render(error);
    const b = body as { message?: unknown; businessErrors?: Array<{ message?: unknown }> | null };
    return {
      status,
      body: {
        ...b,
        ...('message' in b ? { message: reword(b.message) } : {}),
        ...(b.businessErrors
          ? { businessErrors: b.businessErrors.map((e) => ({ ...e, message: reword(e.message) })) }
          : {}),
      },
    };
  };
}

/** Handlers as a variant has them: only the repeated list form, or another order where none is promised. */
export function handlerVariantsFor(
  variants: DebituraVariants,
  handlers: Record<string, Handler>,
): Record<string, Handler> {
  const out = { ...handlers };
  if (variants.has('debitura-statuses-repeated-only'))
    for (const name of ['listCases', 'listPartnerCases']) {
      const list = out[name];
      if (!list) continue;
      out[name] = (ctx) => {
        const values: unknown[] = Array.isArray(ctx.query.Statuses) ? ctx.query.Statuses : [ctx.query.Statuses];
        const joined = values.find((v) => typeof v === 'string' && v.includes(','));
        // A strict binder reads `Active,Closed` as one status, which no lifecycle is called.
        if (joined) throw errors.parameterInvalid('Statuses', `'${String(joined)}' is not a lifecycle.`);
        return list(ctx);
      };
    }
  if (variants.has('debitura-files-oldest-last') && out.listCaseFiles) {
    const list = out.listCaseFiles;
    out.listCaseFiles = async (ctx) => {
      const result = await list(ctx);
      return Array.isArray(result.body) ? { ...result, body: [...result.body].reverse() } : result;
    };
  }
  return out;
}

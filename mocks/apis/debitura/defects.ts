// Deliberate defects of the Debitura mock (`--defect NAME`, the same flag as CasaPay's), each a hook
// at an edge of mocks/apis/debitura/ — authentication, a handler wrapper, the response on its way out, the
// webhook signer — never an `if` inside a handler. Each breaks the mock the way a vendor's
// implementation might; conformance/defects.test.ts asserts `--api debitura` catches every one.
import type { Handler } from '../../engine/handler.js';
import { namesOf } from '../../engine/choices.js';
import { signatureHeader } from '../../../kit/webhook-signature.js';
import { signDebitura, DEBITURA_SIGNATURE_HEADER } from '../../../kit/debitura-webhook-signature.js';
import type { DebituraSigner } from './webhooks.js';
import { caseRequestProblem, type CreateCaseRequest } from './rules.js';
import type { ApiError } from '../../engine/errors.js';
import { REFERRAL_DEFECTS, referralResponseDefectsFor } from './defects-referral.js';
import type { FastifyRequest } from 'fastify';
import type { DeliveryTarget } from '../../engine/webhooks/dispatcher.js';
import type { WebhookEvent } from './state.js';
import {
  CUSTOMER_DEFECTS,
  customerAuthDefect,
  customerCaseClock,
  customerDeliveryDefect,
  customerHandlerDefects,
  customerPayloadDefect,
  customerResponseDefects,
} from './defects-customer.js';

export const DEBITURA_DEFECTS = {
  'debitura-token-never-expires': 'bearer tokens keep working after their 30 minutes',
  'debitura-unlinked-token': 'POST /oauth/token mints a token for a client that was never linked',
  'debitura-is-test-echoed': 'case responses say `isTest` instead of `isTestCase`',
  'debitura-future-date-accepted': 'case dates in the future (`date`, `dueDate`) are accepted',
  'debitura-json-patch-refused': 'bodies sent as application/json-patch+json (generated clients) get 415',
  'debitura-partner-cases-missing': "the partner's GET /cases leaves out cases submitted with its tokens",
  'debitura-secret-not-decoded': 'webhooks are signed with the base64 text of the secret instead of its decoded bytes',
  ...REFERRAL_DEFECTS,
  ...CUSTOMER_DEFECTS,
} as const;

export type DebituraDefectName = keyof typeof DEBITURA_DEFECTS;
export type DebituraDefects = ReadonlySet<DebituraDefectName>;

export const parseDebituraDefects = (names: readonly string[] = []): DebituraDefects =>
  namesOf(DEBITURA_DEFECTS, names, 'Debitura defect');

/** The signer a run uses. */
export function signerFor(defects: DebituraDefects): DebituraSigner {
  if (!defects.has('debitura-secret-not-decoded')) return signDebitura;
  return (body, t, secret, type) => ({
    ...signDebitura(body, t, secret, type),
    [DEBITURA_SIGNATURE_HEADER]: signatureHeader(body, secret, t),
  });
}

/** The field rules of a submission: the docs' own, or with "now" at the end of time (no date is in the future). */
export function caseCheckFor(defects: DebituraDefects): (body: CreateCaseRequest, now: number) => ApiError | undefined {
  const shifted = customerCaseClock(defects);
  if (shifted) return (body, now) => caseRequestProblem(body, shifted(now));
  if (!defects.has('debitura-future-date-accepted')) return caseRequestProblem;
  return (body) => caseRequestProblem(body, END_OF_TIME);
}

/** The Customer API's authentication, with a defect's refusal in front of it. */
export const customerAuthenticationFor = (
  defects: DebituraDefects,
  authenticate: (request: FastifyRequest) => void,
): ((request: FastifyRequest) => void) => customerAuthDefect(defects, authenticate);

/** Webhook payloads before they are signed (a defect's, else unchanged). */
export const payloadDefectFor = (defects: DebituraDefects): ((payload: WebhookEvent) => WebhookEvent) | undefined =>
  customerPayloadDefect(defects);

/** The last look at each signed delivery (a defect's), or undefined. */
export const deliveryDefectFor = (defects: DebituraDefects): DeliveryTarget['mutate'] | undefined =>
  customerDeliveryDefect(defects);
const END_OF_TIME = Date.UTC(9999, 11, 31) / 1000;

/** Handler wrappers: operationId → the defect's version of the handler. */
export function wrapHandlers(
  defects: DebituraDefects,
  handlers: Record<string, Handler>,
  unlinkedMint: Handler,
): Record<string, Handler> {
  const out = customerHandlerDefects(defects, handlers);
  if (defects.has('debitura-unlinked-token')) {
    const mint = out.mintToken!;
    out.mintToken = async (ctx) => {
      try {
        return await mint(ctx);
      } catch {
        return unlinkedMint(ctx);
      }
    };
  }
  return out;
}

/** Response defects: (operationId, status, body) → what goes on the wire. */
export function responseDefectsFor(
  defects: DebituraDefects,
): ((operationId: string, status: number, body: unknown) => [number, unknown]) | undefined {
  const stages = [
    ownResponseDefectsFor(defects),
    customerResponseDefects(defects),
    referralResponseDefectsFor(defects),
  ].filter((stage) => stage !== undefined);
  if (!stages.length) return undefined;
  // Each API's defects bend what the one before left.
  return (operationId, status, body) =>
    stages.reduce<[number, unknown]>(([s, b], stage) => stage(operationId, s, b), [status, body]);
}

function ownResponseDefectsFor(
  defects: DebituraDefects,
): ((operationId: string, status: number, body: unknown) => [number, unknown]) | undefined {
  if (!defects.has('debitura-is-test-echoed') && !defects.has('debitura-partner-cases-missing')) return undefined;
  const renameFlag = (c: Record<string, unknown>) => {
    if (!c || typeof c !== 'object' || !('isTestCase' in c)) return c;
    const { isTestCase, ...rest } = c;
    return { ...rest, isTest: isTestCase };
  };
  return (operationId, status, body) => {
    let out = body as Record<string, any>;
    if (defects.has('debitura-is-test-echoed') && out && typeof out === 'object') {
      out = Array.isArray(out.cases) ? { ...out, cases: out.cases.map(renameFlag) } : renameFlag(out);
    }
    if (
      defects.has('debitura-partner-cases-missing') &&
      operationId === 'listPartnerCases' &&
      out &&
      Array.isArray(out.cases)
    ) {
      out = { ...out, cases: out.cases.filter((c: { attributedToPartner?: boolean }) => !c.attributedToPartner) };
    }
    return [status, out];
  };
}

// Benign variants of the Referral-Partner API (`--variant NAME`), spread into DEBITURA_VARIANTS: answers
// the referral contract allows that an implementation may well give — lists in another order where the
// contract promises none, a partner's case without the optional fields — each a bend of successful
// responses on their way out. conformance/variants-debitura.test.ts asserts `--api debitura` passes each.

export const REFERRAL_VARIANTS = {
  'debitura-referral-lists-reordered':
    "GET /clients, GET /webhooks and a subscription's events come in another order (the contract promises none)",
  'debitura-partner-cases-brief':
    "the partner's GET /cases leaves out the Case fields the contract does not require (debtor, creditor, collectionPartner, claimDescription …)",
} as const;

/** The fields a Case must carry (spec/debitura/schemas/case.yaml `required`) and a PartnerCase adds. */
const KEPT = new Set([
  'id',
  'reference',
  'lifecycle',
  'currency',
  'grossAmount',
  'remainder',
  'isTestCase',
  'dateCreated',
  'externalTenantId',
  'clientId',
  'attributedToPartner',
]);

type Json = Record<string, any>;

/** The Referral API's successful responses bent by the chosen variants, or undefined when none is chosen. */
export function referralResponseVariantsFor(
  variants: ReadonlySet<string>,
): ((operationId: string, status: number, body: unknown) => unknown) | undefined {
  const reorder = variants.has('debitura-referral-lists-reordered');
  const brief = variants.has('debitura-partner-cases-brief');
  if (!reorder && !brief) return undefined;
  return (operationId, status, body) => {
    if (status >= 300 || !body || typeof body !== 'object') return body;
    if (reorder && (operationId === 'listClients' || operationId === 'listPartnerWebhooks'))
      return [...(body as Json[])]
        .reverse()
        .map((s) => (Array.isArray(s.events) ? { ...s, events: [...s.events].reverse() } : s));
    if (reorder && operationId === 'createPartnerWebhook' && Array.isArray((body as Json).events))
      return { ...(body as Json), events: [...(body as Json).events].reverse() };
    if (brief && operationId === 'listPartnerCases')
      return {
        ...(body as Json),
        cases: (body as Json).cases.map((c: Json) =>
          Object.fromEntries(Object.entries(c).filter(([k]) => KEPT.has(k))),
        ),
      };
    return body;
  };
}

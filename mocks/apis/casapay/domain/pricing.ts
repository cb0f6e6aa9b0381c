// Eligibility and pricing of a collection case: the rules behind POST /v1/collection_case_previews and
// the fee stored on each case. Pure: "now" and the account's signed contracts come in as arguments.
import type { components } from '../../../../generated/casapay.js';
import { partnerFor, type Partner } from './partners.js';
import { fullMonthsBetween } from './calendar.js';

type CasePreview = components['schemas']['CasePreview'];
type RequiredAction = components['schemas']['RequiredAction'];

/** What the account has signed; a scenario or magic value can leave one unsigned. */
export interface AccountAgreements {
  contract_signed: boolean;
  power_of_attorney: boolean;
  kyc_verified: boolean;
}

export const ALL_SIGNED: AccountAgreements = { contract_signed: true, power_of_attorney: true, kyc_verified: true };

/**
 * Rough USD value of one unit of each currency, for the fee brackets (which are in USD).
 * Inference: the docs bracket by USD-converted principal; any fixed table keeps the mock deterministic.
 * Currencies not listed count at par.
 */
const USD_PER_UNIT: Record<string, number> = {
  usd: 1, eur: 1.08, gbp: 1.27, chf: 1.13, dkk: 0.145, sek: 0.095, nok: 0.093, pln: 0.25, cad: 0.73, aud: 0.66, jpy: 0.0067,
};

/** Smallest-unit digits per currency (ISO 4217 minor units); 2 unless listed. */
const MINOR_DIGITS: Record<string, number> = { jpy: 0, krw: 0, isk: 0, clp: 0, vnd: 0, bhd: 3, kwd: 3, omr: 3, jod: 3, tnd: 3 };

export const MINIMUM_USD = 100;

/** Base success fee (percent) by USD bracket: [upper bound exclusive, fee]. */
const BRACKETS: Record<Partner['region'], Array<[number, number]>> = {
  // Europe: the seeds' example prices a €3,600 German case at 12.5 %, so the $1k–10k bracket is 12.5.
  europe: [[1_000, 20], [10_000, 12.5], [150_000, 9.5], [Infinity, 6]],
  international: [[1_000, 30], [8_000, 20], [75_000, 15], [150_000, 10], [Infinity, 7.5]],
};

/** Age surcharge in percentage points: over 24 full months 4.0, over 12 full months 2.0 (the seeds' example). */
export function ageSurcharge(ageMonths: number): number {
  if (ageMonths > 24) return 4;
  if (ageMonths > 12) return 2;
  return 0;
}

export function toUsd(amountMinor: number, currency: string): number {
  const digits = MINOR_DIGITS[currency] ?? 2;
  return (amountMinor / 10 ** digits) * (USD_PER_UNIT[currency] ?? 1);
}

/** The same conversion for an amount in major units (Debitura's `5000.00`). */
export function majorToUsd(amount: number, currency: string): number {
  return amount * (USD_PER_UNIT[currency] ?? 1);
}

export function baseFee(region: Partner['region'], usd: number): number {
  return BRACKETS[region].find(([upper]) => usd < upper)![1];
}

export interface PreviewInput {
  amount_to_recover: number;
  /** Lowercase ISO 4217. */
  currency: string;
  country: string;
  /** Unix seconds, midnight UTC of the due date. */
  due_date: number;
}

export interface Assessment {
  preview: CasePreview;
  /** Set when a partner covers the jurisdiction and the amount is above the minimum. */
  partner?: Partner;
  /** Total success fee in percent, when priced. */
  fee?: number;
  /** The first blocking required action, if any. */
  blocking?: RequiredAction;
  /** Why a case cannot be created at all (422 code), when there is no partner or the amount is too small. */
  refusal?: 'no_partner_available' | 'amount_below_minimum';
}

const NONE: ReadonlySet<string> = new Set();

export const SIGNING_URL = 'https://dashboard.casapay.com/contracts/sign';

export function requiredActions(agreements: AccountAgreements): RequiredAction[] {
  const actions: RequiredAction[] = [];
  if (!agreements.contract_signed) actions.push({ type: 'contract_signing', message: 'You need to sign the collection agreement first', solution_url: SIGNING_URL, is_blocking: true });
  if (!agreements.power_of_attorney) actions.push({ type: 'power_of_attorney', message: 'Grant the collection partner a power of attorney', solution_url: 'https://dashboard.casapay.com/contracts/power-of-attorney', is_blocking: true });
  if (!agreements.kyc_verified) actions.push({ type: 'kyc_verification', message: "Verify your company director's identity (KYC)", solution_url: 'https://dashboard.casapay.com/kyc', is_blocking: true });
  return actions;
}

export const NO_PARTNER_REASON = 'No collection partner available for the specified jurisdiction';

/**
 * The preview for a case, as of `now` (Unix seconds).
 * @example assessCase({ amount_to_recover: 360000, currency: 'eur', country: 'DE', due_date: 1730419200 }, ALL_SIGNED, 1795564800)
 *   // { preview: { is_eligible: true, … pricing_preview: { base_success_fee_pct: 12.5, age_surcharge_pct: 2, … } }, partner, fee: 14.5 }
 */
export function assessCase(input: PreviewInput, agreements: AccountAgreements, now: number, unsupported: ReadonlySet<string> = NONE): Assessment {
  const actions = requiredActions(agreements);
  const partner = unsupported.has('*') || unsupported.has(input.country) ? undefined : partnerFor(input.country);
  const usd = toUsd(input.amount_to_recover, input.currency);
  const ineligible = (reason: string, refusal: Assessment['refusal']): Assessment => ({
    preview: { is_eligible: false, ineligibility_reason: reason, partner_assignment: null, required_actions: actions, pricing_preview: null },
    refusal,
  });
  if (!partner) return ineligible(NO_PARTNER_REASON, 'no_partner_available');
  if (usd < MINIMUM_USD) return ineligible(`The amount to recover is below the minimum of USD ${MINIMUM_USD}`, 'amount_below_minimum');
  const base = baseFee(partner.region, usd);
  const surcharge = ageSurcharge(fullMonthsBetween(input.due_date, now));
  const blocking = actions.find((a) => a.is_blocking);
  return {
    preview: {
      is_eligible: !blocking,
      ineligibility_reason: blocking ? `A required action blocks submission: ${blocking.message}` : null,
      partner_assignment: { partner_id: partner.id, partner_name: partner.contact.name, partner_country: partner.country },
      required_actions: actions,
      pricing_preview: { base_success_fee_pct: base, age_surcharge_pct: surcharge, total_success_fee_pct: base + surcharge },
    },
    partner,
    fee: base + surcharge,
    blocking,
  };
}

// Every rule of submitting and previewing a CasaPay collection case, pure (as Debitura's rules.ts): the
// field checks the contract cannot express (real currency and country, the debtor's one country, a US
// state, a due date not in the future), the magic "unsigned contract" debtor name, eligibility (partner,
// minimum), required actions, pricing, and what a create makes of it (refused, pending or active).
// Callers pass plain values: the request body, the account's agreements and uncovered countries, and "now".
// Each function answers with a decision; the handlers turn it into an ApiError or a stored case.
import type { components } from '../../../generated/casapay.js';
import { fullMonthsBetween, parseDate } from '../common/calendar.js';
import { isCountry, isCurrency, isUsState } from '../common/codes.js';
import { MINIMUM_USD, toUsd } from '../common/money.js';
import { partnerFor, type Partner } from '../common/partners.js';
import { MAGIC } from './domain/magic.js';

type Schemas = components['schemas'];
type CasePreview = Schemas['CasePreview'];
type RequiredAction = Schemas['RequiredAction'];
type CreateParams = Schemas['CollectionCaseCreateParams'];
type PreviewParams = Schemas['CasePreviewParams'];
/** What a create and a preview share: the rules read only these fields. */
export type SubmissionBody = CreateParams | PreviewParams;

/** What the account has signed; a scenario or magic value can leave one unsigned. */
export interface AccountAgreements {
  contract_signed: boolean;
  power_of_attorney: boolean;
  kyc_verified: boolean;
}

export const ALL_SIGNED: AccountAgreements = { contract_signed: true, power_of_attorney: true, kyc_verified: true };

/** The account facts the rules read. */
export interface AccountFacts {
  agreements: AccountAgreements;
  /** Countries no partner covers for this account (a scenario's); `*` for all. */
  unsupportedCountries?: ReadonlySet<string>;
}

// ---- Field checks: a refusal is a 400 naming the field -------------------------------------------

/** A refused field: the handler answers `parameter_missing` (with `message` as the hint) or `parameter_invalid`. */
export interface FieldProblem {
  problem: 'missing' | 'invalid';
  param: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | ({ ok: false } & FieldProblem);
const missing = (param: string, message: string): { ok: false } & FieldProblem => ({
  ok: false,
  problem: 'missing',
  param,
  message,
});
const invalid = (param: string, message: string): { ok: false } & FieldProblem => ({
  ok: false,
  problem: 'invalid',
  param,
  message,
});

/**
 * Lowercase ISO 4217 code, or a refusal for a code that is not a currency.
 * @example checkCurrency('EUR') // { ok: true, value: 'eur' }
 */
export function checkCurrency(code: string, param = 'currency'): Checked<string> {
  if (!isCurrency(code)) return invalid(param, `'${code}' is not an ISO 4217 currency code.`);
  return { ok: true, value: code.toLowerCase() };
}

/** An assigned ISO 3166-1 alpha-2 code, or a refusal. */
export function checkCountry(code: string, param: string): Checked<string> {
  if (!isCountry(code)) return invalid(param, `'${code}' is not an ISO 3166-1 alpha-2 country code.`);
  return { ok: true, value: code };
}

/** The debtor's country from `debtor.country` or `debtor.address.country` (the seeds use both); they must agree. */
export function debtorCountry(debtor: SubmissionBody['debtor']): Checked<string> {
  const own = debtor.country;
  const fromAddress = 'address' in debtor ? debtor.address?.country : undefined;
  if (own && fromAddress && own !== fromAddress) {
    return invalid('debtor[country]', `debtor.country ${own} and debtor.address.country ${fromAddress} disagree.`);
  }
  const code = own ?? fromAddress;
  if (!code)
    return missing('debtor[country]', "Give the debtor's country as debtor.country or debtor.address.country.");
  return checkCountry(code, own ? 'debtor[country]' : 'debtor[address][country]');
}

/** Debtors in the US need a real two-letter state: `debtor.address.state` on a create, `debtor.state` on a preview. */
export function debtorStateProblem(debtor: SubmissionBody['debtor'], country: string): FieldProblem | undefined {
  if (country !== 'US') return undefined;
  const state =
    'address' in debtor && debtor.address ? debtor.address.state : (debtor as PreviewParams['debtor']).state;
  const param = 'address' in debtor ? 'debtor[address][state]' : 'debtor[state]';
  if (!state) return { problem: 'missing', param, message: 'Debtors in the US need a two-letter state.' };
  if (!isUsState(state)) return { problem: 'invalid', param, message: `'${state}' is not a US state.` };
  return undefined;
}

/** A real calendar date, not in the future (today is allowed), as Unix seconds at midnight UTC. */
export function checkDueDate(value: string, now: number): Checked<number> {
  const due = parseDate(value);
  if (due === undefined) return invalid('due_date', `'${value}' is not a calendar date (YYYY-MM-DD).`);
  if (due > now) return invalid('due_date', 'The due date must not be in the future (today is allowed).');
  return { ok: true, value: due };
}

// ---- Eligibility, required actions and pricing ----------------------------------------------------

/** A debtor name with the magic words "unsigned contract" previews and submits as if the contract were unsigned. */
export const agreementsFor = (debtorName: string, agreements: AccountAgreements): AccountAgreements =>
  MAGIC.unsigned.test(debtorName) ? { ...agreements, contract_signed: false } : agreements;

/** Base success fee (percent) by USD bracket: [upper bound exclusive, fee]. */
const BRACKETS: Record<Partner['region'], Array<[number, number]>> = {
  // Europe: the seeds' example prices a €3,600 German case at 12.5 %, so the $1k–10k bracket is 12.5.
  europe: [
    [1_000, 20],
    [10_000, 12.5],
    [150_000, 9.5],
    [Infinity, 6],
  ],
  international: [
    [1_000, 30],
    [8_000, 20],
    [75_000, 15],
    [150_000, 10],
    [Infinity, 7.5],
  ],
};

/** Age surcharge in percentage points: over 24 full months 4.0, over 12 full months 2.0 (the seeds' example). */
export function ageSurcharge(ageMonths: number): number {
  if (ageMonths > 24) return 4;
  if (ageMonths > 12) return 2;
  return 0;
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
  if (!agreements.contract_signed)
    actions.push({
      type: 'contract_signing',
      message: 'You need to sign the collection agreement first',
      solution_url: SIGNING_URL,
      is_blocking: true,
    });
  if (!agreements.power_of_attorney)
    actions.push({
      type: 'power_of_attorney',
      message: 'Grant the collection partner a power of attorney',
      solution_url: 'https://dashboard.casapay.com/contracts/power-of-attorney',
      is_blocking: true,
    });
  if (!agreements.kyc_verified)
    actions.push({
      type: 'kyc_verification',
      message: "Verify your company director's identity (KYC)",
      solution_url: 'https://dashboard.casapay.com/kyc',
      is_blocking: true,
    });
  return actions;
}

export const NO_PARTNER_REASON = 'No collection partner available for the specified jurisdiction';

/**
 * The preview for a case, as of `now` (Unix seconds).
 * @example assessCase({ amount_to_recover: 360000, currency: 'eur', country: 'DE', due_date: 1730419200 }, ALL_SIGNED, 1795564800)
 *   // { preview: { is_eligible: true, … pricing_preview: { base_success_fee_pct: 12.5, age_surcharge_pct: 2, … } }, partner, fee: 14.5 }
 */
export function assessCase(
  input: PreviewInput,
  agreements: AccountAgreements,
  now: number,
  unsupported: ReadonlySet<string> = NONE,
): Assessment {
  const actions = requiredActions(agreements);
  const partner = unsupported.has('*') || unsupported.has(input.country) ? undefined : partnerFor(input.country);
  const usd = toUsd(input.amount_to_recover, input.currency);
  const ineligible = (reason: string, refusal: Assessment['refusal']): Assessment => ({
    preview: {
      is_eligible: false,
      ineligibility_reason: reason,
      partner_assignment: null,
      required_actions: actions,
      pricing_preview: null,
    },
    refusal,
  });
  if (!partner) return ineligible(NO_PARTNER_REASON, 'no_partner_available');
  if (usd < MINIMUM_USD)
    return ineligible(`The amount to recover is below the minimum of USD ${MINIMUM_USD}`, 'amount_below_minimum');
  const base = baseFee(partner.region, usd);
  const surcharge = ageSurcharge(fullMonthsBetween(input.due_date, now));
  const blocking = actions.find((a) => a.is_blocking);
  return {
    preview: {
      is_eligible: !blocking,
      ineligibility_reason: blocking ? `A required action blocks submission: ${blocking.message}` : null,
      partner_assignment: {
        partner_id: partner.id,
        partner_name: partner.contact.name,
        partner_country: partner.country,
      },
      required_actions: actions,
      pricing_preview: {
        base_success_fee_pct: base,
        age_surcharge_pct: surcharge,
        total_success_fee_pct: base + surcharge,
      },
    },
    partner,
    fee: base + surcharge,
    blocking,
  };
}

// ---- The whole submission -------------------------------------------------------------------------

export interface Submission {
  assessment: Assessment;
  /** Lowercase ISO 4217. */
  currency: string;
  /** The debtor's country, from either place. */
  country: string;
  /** Unix seconds, midnight UTC. */
  dueDate: number;
}

/**
 * The rules a preview and a create share, first problem first: currency, the debtor's country, a US
 * state, the due date; then the assessment (eligibility, required actions, fee).
 * @example assessSubmission({ amount_to_recover: 360000, currency: 'eur', due_date: '2024-11-01', debtor: { type: 'private', name: 'J', country: 'DE' } }, { agreements: ALL_SIGNED }, now)
 */
export function assessSubmission(body: SubmissionBody, account: AccountFacts, now: number): Checked<Submission> {
  const currency = checkCurrency(body.currency);
  if (!currency.ok) return currency;
  const country = debtorCountry(body.debtor);
  if (!country.ok) return country;
  const state = debtorStateProblem(body.debtor, country.value);
  if (state) return { ok: false, ...state };
  const dueDate = checkDueDate(body.due_date, now);
  if (!dueDate.ok) return dueDate;
  const agreements = agreementsFor(body.debtor.name, account.agreements);
  const input = {
    amount_to_recover: body.amount_to_recover,
    currency: currency.value,
    country: country.value,
    due_date: dueDate.value,
  };
  const assessment = assessCase(input, agreements, now, account.unsupportedCountries);
  return { ok: true, value: { assessment, currency: currency.value, country: country.value, dueDate: dueDate.value } };
}

/** The 422 codes of the required actions that block a create. */
export const BLOCKING_CODES = {
  contract_signing: 'missing_debt_collection_contract',
  power_of_attorney: 'missing_power_of_attorney',
  kyc_verification: 'missing_kyc_verification',
} as const;

/** A create refused for business reasons: a 422 with this code. */
export interface CaseRefusal {
  code: 'no_partner_available' | 'amount_below_minimum' | (typeof BLOCKING_CODES)[keyof typeof BLOCKING_CODES];
  message: string;
  param: string | null;
  solution_url?: string;
}

export type CaseDecision =
  | { ok: true; status: 'active' | 'pending_verification'; partner: Partner; fee: number }
  | ({ ok: false } & CaseRefusal);

/**
 * What a create makes of an assessed submission: refused (no partner, too small, a blocking action), or
 * a case that starts active, or pending_verification when unsigned contracts may wait
 * (`allow_pending_contracts`); KYC is never bypassed.
 * @example decideCase(submission, false) // { ok: true, status: 'active', partner, fee: 14.5 }
 */
export function decideCase(
  { assessment, country }: Pick<Submission, 'assessment' | 'country'>,
  allowPendingContracts: boolean,
): CaseDecision {
  if (assessment.refusal === 'no_partner_available') {
    return {
      ok: false,
      code: 'no_partner_available',
      message: `No collection partner covers debtors in ${country}. Preview a case to see where partners are available.`,
      param: 'debtor[country]',
    };
  }
  if (assessment.refusal === 'amount_below_minimum')
    return {
      ok: false,
      code: 'amount_below_minimum',
      message: assessment.preview.ineligibility_reason!,
      param: 'amount_to_recover',
    };
  let status: 'active' | 'pending_verification' = 'active';
  if (assessment.blocking) {
    const waitable = allowPendingContracts && assessment.blocking.type !== 'kyc_verification';
    if (!waitable) {
      const { type, message, solution_url } = assessment.blocking;
      return { ok: false, code: BLOCKING_CODES[type], message, param: null, ...(solution_url ? { solution_url } : {}) };
    }
    status = 'pending_verification';
  }
  return { ok: true, status, partner: assessment.partner!, fee: assessment.fee! };
}

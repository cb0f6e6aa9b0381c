// The rules of submitting a case to Debitura, pure: the caller passes the request, the client, the
// partner and "now". The schema says the shapes; these say what the docs add (dates, US states,
// returnUrl, the signing and KYC gates, pricing).
import { ApiError, errors } from '../../engine/errors.js';
import { isCountry, isCurrency, isUsState } from '../common/codes.js';
import { fullMonthsBetween, parseDate, startOfDay, SECONDS_PER_DAY } from '../common/calendar.js';
import { majorToUsd, MINIMUM_USD } from '../common/money.js';
import type { components } from '../../../generated/debitura-customer.js';
import type { DebituraClient } from './state.js';
import type { DebituraPartner } from './partners.js';

type Schemas = components['schemas'];
export type CreateCaseRequest = Schemas['CreateCaseRequest'];
export type BusinessError = Schemas['BusinessError'];
export type PricingPreview = Schemas['PricingPreview'];

export const NO_PARTNER_REASON = "We don't have an exclusive pre-legal partner in the provided jurisdiction.";
export const SIGNING_URL = 'https://app.debitura.com/Signing/PendingContracts';
export const KYC_URL = 'https://app.debitura.com/Kyc';

/** `2025-06-01` or `2025-06-01T00:00:00Z` (the published contract types dates as date-time; the docs send dates). */
export function readDate(value: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return parseDate(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  // A date-time is read as its UTC calendar date (the contract says so).
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : startOfDay(Math.floor(ms / 1000));
}

export const isoTime = (at: number): string => new Date(at * 1000).toISOString().replace('.000Z', 'Z');
/** Now on the mock's clock, as Debitura writes times. */
export const isoNow = (fx: { now(): number }): string => isoTime(fx.now());

/** A US state as the docs allow it (`CA`, `US-CA`), as its two letters; undefined when it is none. */
export function usState(value: string | null | undefined): string | undefined {
  const code = value?.trim().toUpperCase().replace(/^US-/, '');
  return code && isUsState(code) ? code : undefined;
}

/** Money, debtor and age-bucket rules a submission and its preview share (the preview "uses the same eligibility logic"). */
type SharedFields = Pick<
  CreateCaseRequest,
  'currencyCode' | 'amountToRecover' | 'dueDate' | 'amountToRecoverOver12Months' | 'amountToRecoverOver24Months'
> & {
  debtor?: { countryAlpha2?: string | null; stateAlpha2?: string | null } | null;
};

function sharedProblem(body: SharedFields, endOfToday: number, earliestDue: number | undefined): ApiError | undefined {
  if (!isCurrency(body.currencyCode ?? ''))
    return errors.parameterInvalid('currencyCode', 'must be an ISO 4217 code such as EUR.');
  if (!(body.amountToRecover! > 0)) return errors.parameterInvalid('amountToRecover', 'must be greater than 0.');
  if (body.dueDate != null) {
    const due = readDate(body.dueDate);
    if (due === undefined) return errors.parameterInvalid('dueDate', 'must be a date (2025-07-01) or a date-time.');
    if (due > endOfToday) return errors.parameterInvalid('dueDate', 'must not be in the future (today is allowed).');
    if (earliestDue !== undefined && due < earliestDue)
      return errors.parameterInvalid('dueDate', 'must not be earlier than date.');
  }
  const country = body.debtor?.countryAlpha2?.toUpperCase() ?? '';
  if (!isCountry(country))
    return errors.parameterInvalid('debtor[countryAlpha2]', 'must be an ISO 3166-1 alpha-2 country code such as DE.');
  if (country === 'US' && !usState(body.debtor?.stateAlpha2))
    return errors.parameterMissing('debtor[stateAlpha2]', 'US debtors need their state as two letters (CA, NY).');
  const over12 = body.amountToRecoverOver12Months;
  const over24 = body.amountToRecoverOver24Months;
  if ((over12 == null) !== (over24 == null))
    return errors.parameterInvalid(
      over12 == null ? 'amountToRecoverOver12Months' : 'amountToRecoverOver24Months',
      'amountToRecoverOver12Months and amountToRecoverOver24Months go together.',
    );
  if (over12 != null && over24 != null && !(over24 <= over12 && over12 <= body.amountToRecover!))
    return errors.parameterInvalid(
      'amountToRecoverOver12Months',
      'the age buckets must satisfy over24 ≤ over12 ≤ amountToRecover.',
    );
  return undefined;
}

const endOfDay = (now: number) => startOfDay(now) + SECONDS_PER_DAY - 1;

/**
 * What the docs require of a submission beyond the schema, first problem first (a 400 naming the field).
 * @example caseRequestProblem({ currencyCode: 'EUR', amountToRecover: 1, date: '2999-01-01', debtor }, now)?.param // 'date'
 */
export function caseRequestProblem(body: CreateCaseRequest, now: number): ApiError | undefined {
  const date = readDate(body.date!);
  if (date === undefined) return errors.parameterInvalid('date', 'must be a date (2025-06-01) or a date-time.');
  if (date > endOfDay(now)) return errors.parameterInvalid('date', 'must not be in the future.');
  return sharedProblem(body, endOfDay(now), startOfDay(date));
}

/** The same rules for a preview, which has no invoice `date`. */
export const previewRequestProblem = (body: SharedFields, now: number): ApiError | undefined =>
  sharedProblem(body, endOfDay(now), undefined);

/** An absolute http(s) URL of at most 2048 characters, or null: anything else is dropped without an error (the docs). */
export function sanitizeReturnUrl(value: string | null | undefined): string | null {
  if (!value || value.length > 2048) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? value : null;
  } catch {
    return null;
  }
}

/** The one URL that walks the pending chain (SDCA → PoA → JPA → KYC), returning to `returnUrl` when given. */
export const combinedSigningUrl = (returnUrl: string | null): string =>
  returnUrl ? `${SIGNING_URL}?returnUrl=${encodeURIComponent(returnUrl)}` : SIGNING_URL;

export interface Gates {
  /** No partner covers the debtor's jurisdiction. */
  noPartner?: BusinessError;
  /** KYC is missing for a partner that needs it: a hard block, whatever allowPendingContracts says. */
  kyc?: BusinessError;
  /** Unsigned contracts: a 422 unless allowPendingContracts, then the case waits in PendingContractSigning. */
  signing: BusinessError[];
}

/**
 * Which gates a case meets. KYC is checked only for bearer-token (referral) submissions (the docs).
 * @example gatesFor(client, undefined, 'bearer', null).noPartner?.type // 'NoPartnerAvailable'
 */
export function gatesFor(
  client: DebituraClient,
  partner: DebituraPartner | undefined,
  via: 'api_key' | 'bearer',
  returnUrl: string | null,
): Gates {
  if (!partner)
    return { noPartner: { type: 'NoPartnerAvailable', message: NO_PARTNER_REASON, solutionUrl: null }, signing: [] };
  const signing: BusinessError[] = [];
  const url = combinedSigningUrl(returnUrl);
  if (client.contracts.debtCollectionAgreement === 'Pending')
    signing.push({
      type: 'MissingDebtCollectionContract',
      message: 'The client has not signed the Standard Debt Collection Agreement (SDCA).',
      solutionUrl: url,
    });
  if (client.contracts.powerOfAttorney === 'Pending')
    signing.push({
      type: 'MissingPowerOfAttorney',
      message: `The client has not signed the power of attorney for ${partner.partner.contact.name}.`,
      solutionUrl: url,
    });
  const kyc =
    partner.requiresKyc && via === 'bearer' && !client.kyc
      ? {
          type: 'MissingKycVerification',
          message: `${partner.partner.contact.name} needs KYC of the client's director before it works a case: submit it with POST /clients/{externalTenantId}/kyc-verification.`,
          solutionUrl: returnUrl ? `${KYC_URL}?returnUrl=${encodeURIComponent(returnUrl)}` : KYC_URL,
        }
      : undefined;
  return { kyc, signing };
}

/** The 422 list for a refused submission: what blocks, and with unsigned contracts the PendingContractSigning hint first. */
export function refusalErrors(gates: Gates): BusinessError[] {
  if (gates.noPartner) return [gates.noPartner];
  const out: BusinessError[] = [];
  if (gates.signing.length) {
    out.push({
      type: 'PendingContractSigning',
      message:
        'Contracts are pending signing: sign them first, or send allowPendingContracts: true to create the case in PendingContractSigning.',
      solutionUrl: gates.signing[0]!.solutionUrl,
    });
    out.push(...gates.signing);
  }
  if (gates.kyc) out.push(gates.kyc);
  return out;
}

/** Base success fee by USD bracket (Debitura's SDCA): [upper bound exclusive, percent]. */
const BRACKETS: Record<'europe' | 'international', Array<[number, number]>> = {
  europe: [
    [1_000, 20],
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

export interface PricingInput {
  amountToRecover: number;
  currencyCode: string;
  dueDate?: string | null;
  amountToRecoverOver12Months?: number | null;
  amountToRecoverOver24Months?: number | null;
}

/**
 * The success fee: the bracket of the USD principal plus the age surcharge (+10 points over 12 full
 * months, +20 over 24; for age buckets the blend ((A12−A24)×10 + A24×20) / total).
 * @example pricingFor(de, { amountToRecover: 5000, currencyCode: 'EUR', dueDate: '2025-07-01' }, now).totalSuccessFeePercentage
 */
export function pricingFor(partner: DebituraPartner, input: PricingInput, now: number): PricingPreview {
  const usd = majorToUsd(input.amountToRecover, input.currencyCode.toLowerCase());
  const region = partner.partner.region;
  // A principal near the largest double converts to Infinity USD: it is still the top bracket, not a crash.
  const base = (BRACKETS[region].find(([upper]) => usd < upper) ?? BRACKETS[region].at(-1)!)[1];
  let surcharge = 0;
  const over12 = input.amountToRecoverOver12Months;
  const over24 = input.amountToRecoverOver24Months;
  if (over12 != null && over24 != null && input.amountToRecover > 0) {
    // As shares of the principal, so buckets near the largest double do not overflow to Infinity.
    const share12 = over12 / input.amountToRecover;
    const share24 = over24 / input.amountToRecover;
    surcharge = Math.round(((share12 - share24) * 10 + share24 * 20) * 100) / 100;
  } else if (input.dueDate) {
    const due = readDate(input.dueDate);
    const months = due === undefined ? 0 : fullMonthsBetween(due, now);
    surcharge = months > 24 ? 20 : months > 12 ? 10 : 0;
  }
  const total = Math.round((base + surcharge) * 100) / 100;
  const zone = region === 'europe' ? 'EU zone' : 'international zone';
  return {
    baseSuccessFeePercentage: base,
    ageSurchargePercentage: surcharge,
    totalSuccessFeePercentage: total,
    currencyCode: input.currencyCode.toUpperCase(),
    pricingSource: 'Standard agreement',
    pricingSourceDescription: `${total}% success fee — standard agreement (${zone}${surcharge ? `, +${surcharge} points for age` : ''})`,
  };
}

export const belowMinimum = (input: PricingInput): boolean =>
  majorToUsd(input.amountToRecover, input.currencyCode.toLowerCase()) < MINIMUM_USD;

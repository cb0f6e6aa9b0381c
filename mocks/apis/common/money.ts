// Money facts both APIs price with: the smallest case they take (in USD) and the fixed rates that turn
// an amount into USD for that minimum and the fee brackets. Pure data and arithmetic.

/** Neither API takes a case worth less than this many US dollars. */
export const MINIMUM_USD = 100;

/**
 * Rough USD value of one unit of each currency (lowercase ISO 4217), for the minimum and the fee brackets.
 * Inference: the docs bracket by USD-converted principal; any fixed table keeps the mock deterministic.
 * Currencies not listed count at par.
 */
const USD_PER_UNIT: Record<string, number> = {
  usd: 1,
  eur: 1.08,
  gbp: 1.27,
  chf: 1.13,
  dkk: 0.145,
  sek: 0.095,
  nok: 0.093,
  pln: 0.25,
  cad: 0.73,
  aud: 0.66,
  jpy: 0.0067,
};

/** Smallest-unit digits per currency (ISO 4217 minor units); 2 unless listed. */
const MINOR_DIGITS: Record<string, number> = {
  jpy: 0,
  krw: 0,
  isk: 0,
  clp: 0,
  vnd: 0,
  bhd: 3,
  kwd: 3,
  omr: 3,
  jod: 3,
  tnd: 3,
};

/** An amount in the currency's smallest unit (CasaPay's `360000` cents) in USD. */
export function toUsd(amountMinor: number, currency: string): number {
  const digits = MINOR_DIGITS[currency] ?? 2;
  return (amountMinor / 10 ** digits) * (USD_PER_UNIT[currency] ?? 1);
}

/** The same conversion for an amount in major units (Debitura's `5000.00`). */
export function majorToUsd(amount: number, currency: string): number {
  return amount * (USD_PER_UNIT[currency] ?? 1);
}

// ISO code checks for the domain rules: is a three-letter code a real currency, a two-letter code an
// assigned country, a US state a real state. Backed by Node's ICU data. CasaPay's contract lists the
// same currency and country codes in its patterns (written from this ICU data), so its requests are
// refused by the schema first; Debitura's contract keeps them free strings, as Debitura publishes them,
// and its rules (x-rules `iso-codes`) check them here.

let currencies: Set<string> | undefined;
/** Built on first use: ICU's list is slow to read at start-up. */
const CURRENCIES = () => (currencies ??= new Set(Intl.supportedValuesOf('currency').map((c) => c.toLowerCase())));

/**
 * ICU names these region codes, but ISO 3166-1 does not assign them to countries: groupings and
 * reserved codes (EU, UN, UK, …) and withdrawn codes ICU still aliases (SU → Russia, YU → Serbia, …).
 */
const NOT_COUNTRIES = new Set([
  'EU',
  'EZ',
  'UN',
  'UK',
  'QO',
  'ZZ',
  'XA',
  'XB',
  'XK',
  'AC',
  'CP',
  'CQ',
  'DG',
  'EA',
  'IC',
  'TA',
  'AN',
  'BU',
  'CS',
  'DD',
  'DY',
  'FX',
  'HV',
  'NH',
  'RH',
  'SU',
  'TP',
  'VD',
  'YD',
  'YU',
  'ZR',
]);
let regionNames: Intl.DisplayNames | undefined;
/** Made on first use: ICU's region names take ~10 ms to load, which start-up need not wait for. */
const REGION_NAMES = () => (regionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }));
/** ICU lookups are slow on the request path; answers never change. */
const countryCache = new Map<string, boolean>();

const US_STATES = new Set(
  'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI'.split(
    ' ',
  ),
);

/** @example isCurrency('EUR') // true */
export const isCurrency = (code: string): boolean => CURRENCIES().has(code.toLowerCase());

/** @example isCountry('DE') // true; isCountry('UK') // false (the ISO code is GB) */
export function isCountry(code: string): boolean {
  let known = countryCache.get(code);
  if (known === undefined) {
    known = /^[A-Z]{2}$/.test(code) && !NOT_COUNTRIES.has(code) && REGION_NAMES().of(code) !== undefined;
    // At most 26 × 26 entries: only well-formed codes are cached.
    if (/^[A-Z]{2}$/.test(code)) countryCache.set(code, known);
  }
  return known;
}

/** The English name of a country: `DE` → `Germany` (the code itself when ICU has no name for it). */
export const countryName = (code: string): string => REGION_NAMES().of(code) ?? code;

/** @example isUsState('CA') // true */
export const isUsState = (code: string): boolean => US_STATES.has(code);

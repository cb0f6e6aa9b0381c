// Debitura's view of the collection partners: the same partner per jurisdiction as CasaPay's, from the
// shared table (mocks/apis/common/partners.ts), with what Debitura's API shows of it — a uuid, a jurisdiction id, and
// whether it needs KYC of the creditor. Pure data.
import { createHash } from 'node:crypto';
import { countryName } from '../common/codes.js';
import { PARTNERS, partnerFor, type Partner } from '../common/partners.js';

export interface DebituraPartner {
  partner: Partner;
  collectionPartnerId: string;
  jurisdictionId: number;
  countryName: string;
  /** The UK partner works under AML rules and needs the creditor's KYC (Debitura's docs). */
  requiresKyc: boolean;
}

/** The English name of the partner's country, read when first shown. */
const named = (p: Omit<DebituraPartner, 'countryName'>): DebituraPartner =>
  Object.defineProperty(p, 'countryName', {
    get: () => countryName(p.partner.country),
    enumerable: true,
  }) as DebituraPartner;

/** The partner's contact as a Debitura case shows it (`collectionPartner`). */
export const collectionPartnerOf = ({ partner: { contact } }: DebituraPartner) => ({
  name: contact.name,
  officeEmail: contact.email,
  officePhone: contact.phone,
  publicSite: contact.site,
});

/** A stable uuid for a name, so a partner's id is the same in every run. */
export function stableUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16]!, 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const KYC_COUNTRIES = new Set(['GB']);

const byCountry = new Map<string, DebituraPartner>(
  PARTNERS.map((partner, i) => [
    partner.country,
    named({
      partner,
      collectionPartnerId: stableUuid(partner.id),
      jurisdictionId: i + 1,
      requiresKyc: KYC_COUNTRIES.has(partner.country),
    }),
  ]),
);

/** The partner for a debtor country, unless the account's scenario left that jurisdiction uncovered. */
export function debituraPartnerFor(
  country: string,
  uncovered: ReadonlySet<string> = new Set(),
): DebituraPartner | undefined {
  if (uncovered.has('*') || uncovered.has(country) || !partnerFor(country)) return undefined;
  return byCountry.get(country);
}

export const partnerRequiresKyc = (country: string): boolean => byCountry.get(country)?.requiresKyc ?? false;

// Deliberate defects of the Referral-Partner API (`--defect NAME`), spread into DEBITURA_DEFECTS: each
// breaks one promise of the referral contract or docs (tokens, client links, KYC, the partner's case
// list, chats, subscriptions) the way a vendor's implementation might, and is chosen once at start as a
// hook at an edge — the token lifetime, a handler wrapper, the response on its way out, the key reader.
// conformance/defects.test.ts asserts `--api debitura` catches each in the check that holds the rule.
import type { FastifyRequest } from 'fastify';
import type { Handler, RequestContext } from '../../engine/handler.js';
import { ApiError } from '../../engine/errors.js';
import { countryName } from '../common/codes.js';
import { isoNow } from './rules.js';
import { clientByTenant, worldOf, type DebituraClient } from './state.js';
import type { TokenRegistry } from './tokens.js';

export const REFERRAL_DEFECTS = {
  'debitura-token-short-lived': 'bearer tokens stop working after 29 minutes, not the 30 expiresIn promises',
  'debitura-token-wrong-client':
    "a minted token acts for the partner's first client, whichever externalTenantId it was minted for",
  'debitura-mint-inactive-link': 'POST /oauth/token mints tokens for Archived and Withdrawn links (the docs: 404)',
  'debitura-referral-key-optional':
    'the Referral API answers requests without XApiKey (as a default partner) instead of 401',
  'debitura-client-list-pending-missing': 'GET /clients leaves out clients whose onboarding is still Pending',
  'debitura-client-country-named': "a client's country is shown as its English name (Germany), not the alpha-2 code",
  'debitura-ready-client-link':
    'a client onboarded as Completed (201) still carries onboardingLinks (null is promised)',
  'debitura-kyc-not-on-file': "contracts.kyc never says OnFile, even after the client's KYC was submitted",
  'debitura-kyc-always-missing':
    'contracts.kyc says Missing for clients no KYC partner serves (NotRequired is promised)',
  'debitura-kyc-notifies-nobody':
    'a KYC submission names no case in notifiedCaseIds although it notified the open ones',
  'debitura-kyc-unlinked-accepted':
    'POST /clients/{externalTenantId}/kyc-verification answers 201 for a tenant never onboarded',
  'debitura-partner-cases-oldest-first': "the partner's GET /cases lists oldest first (newest first is promised)",
  'debitura-partner-page-count': "the partner's page data says responseCount = pageSize, even on a short last page",
  'debitura-partner-tenant-filter-ignored': "the partner's GET /cases ignores ExternalTenantId (every client's cases)",
  'debitura-partner-remainder-stale': "the partner's GET /cases shows remainder as grossAmount, whatever was paid",
  'debitura-chats-newest-first': 'GET /cases/{caseId}/chats lists newest first (oldest first is promised)',
  'debitura-created-case-reference-wrong':
    "onboarding's caseResults.createdCases[].reference is not the case's reference",
  'debitura-hook-list-secret': "the partner's GET /webhooks shows a secret (only the create answer may)",
} as const;

export type ReferralDefectName = keyof typeof REFERRAL_DEFECTS;
type Defects = ReadonlySet<string>;

/** The lifetime a minted token really gets: `base` (the docs' 30 minutes, or another defect's), or 29 minutes. */
export const referralTokenLifetime = (defects: Defects, base: () => number): (() => number) =>
  defects.has('debitura-token-short-lived') ? () => 29 * 60 : base;

/** The key a Referral request without XApiKey is served as, under debitura-referral-key-optional. */
export const DEFAULT_PARTNER_KEY = 'default-partner';

/** The Referral API's authentication: as given, or filling in a default partner's key when none is sent. */
export function referralAuthFor(
  defects: Defects,
  authenticate: (request: FastifyRequest) => void,
): (request: FastifyRequest) => void {
  if (!defects.has('debitura-referral-key-optional')) return authenticate;
  return (request) => {
    request.headers.xapikey ??= DEFAULT_PARTNER_KEY;
    authenticate(request);
  };
}

/** Handler wrappers of the Referral API: operationId → the defect's version. */
export function wrapReferralHandlers(
  defects: Defects,
  handlers: Record<string, Handler>,
  tokens: TokenRegistry,
): Record<string, Handler> {
  const out = { ...handlers };
  const mint = (ctx: RequestContext, client: DebituraClient) => ({
    status: 200,
    body: tokens.mint(ctx.account.key, client, ctx.now()),
  });
  if (defects.has('debitura-token-wrong-client')) {
    const original = out.mintToken!;
    out.mintToken = async (ctx) => {
      await original(ctx); // its 404s stay
      return mint(ctx, [...worldOf(ctx.account).clients.values()][0]!);
    };
  }
  if (defects.has('debitura-mint-inactive-link')) {
    const original = out.mintToken!;
    out.mintToken = async (ctx) => {
      try {
        return await original(ctx);
      } catch (error) {
        const client = clientByTenant(worldOf(ctx.account), ctx.body.externalTenantId);
        if (client && error instanceof ApiError && error.status === 404) return mint(ctx, client);
        throw error;
      }
    };
  }
  if (defects.has('debitura-kyc-unlinked-accepted')) {
    const original = out.submitKycVerification!;
    out.submitKycVerification = async (ctx) => {
      try {
        return await original(ctx);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 404) throw error;
        const { fullName, homeAddress, dateOfBirth } = ctx.body;
        const id = ctx.ids.uuid();
        return {
          status: 201,
          body: {
            id,
            externalTenantId: ctx.params.externalTenantId,
            clientId: id,
            fullName,
            homeAddress,
            dateOfBirth,
            dateCreated: isoNow(ctx),
            notifiedCaseIds: [],
          },
        };
      }
    };
  }
  if (defects.has('debitura-partner-tenant-filter-ignored')) {
    const original = out.listPartnerCases!;
    out.listPartnerCases = (ctx) =>
      original(
        Object.assign(Object.create(ctx) as RequestContext, { query: { ...ctx.query, ExternalTenantId: undefined } }),
      );
  }
  return out;
}

type Json = Record<string, any>;
const clientLinkDefects = (defects: Defects, link: Json): Json => {
  let out = link;
  if (defects.has('debitura-client-country-named') && typeof out.country === 'string')
    out = { ...out, country: countryName(out.country) };
  const kyc = out.contracts?.kyc;
  if (defects.has('debitura-kyc-not-on-file') && kyc === 'OnFile')
    out = { ...out, contracts: { ...out.contracts, kyc: 'Missing' } };
  if (defects.has('debitura-kyc-always-missing') && kyc === 'NotRequired')
    out = { ...out, contracts: { ...out.contracts, kyc: 'Missing' } };
  return out;
};

/** The Referral API's responses on their way out, or undefined when no referral defect bends them. */
export function referralResponseDefectsFor(
  defects: Defects,
): ((operationId: string, status: number, body: unknown) => [number, unknown]) | undefined {
  const bending = [
    'debitura-client-list-pending-missing',
    'debitura-client-country-named',
    'debitura-ready-client-link',
    'debitura-kyc-not-on-file',
    'debitura-kyc-always-missing',
    'debitura-kyc-notifies-nobody',
    'debitura-partner-cases-oldest-first',
    'debitura-partner-page-count',
    'debitura-partner-remainder-stale',
    'debitura-chats-newest-first',
    'debitura-created-case-reference-wrong',
    'debitura-hook-list-secret',
  ].filter((name) => defects.has(name));
  if (!bending.length) return undefined;
  const on = (name: ReferralDefectName) => bending.includes(name);
  return (operationId, status, body) => {
    if (status >= 300 || !body || typeof body !== 'object') return [status, body];
    let out = body as any;
    switch (operationId) {
      case 'listClients':
        out = (out as Json[])
          .filter((c) => !(on('debitura-client-list-pending-missing') && c.onboardingStatus === 'Pending'))
          .map((c) => clientLinkDefects(defects, c));
        break;
      case 'getClient':
        out = clientLinkDefects(defects, out);
        break;
      case 'createClient':
        if (on('debitura-ready-client-link') && out.onboardingStatus === 'Completed')
          out = { ...out, onboardingLinks: { url: `https://referral.debitura.com/onboarding/${out.clientId}` } };
        if (on('debitura-created-case-reference-wrong') && out.caseResults?.createdCases)
          out = {
            ...out,
            caseResults: {
              ...out.caseResults,
              createdCases: out.caseResults.createdCases.map((c: Json) => ({
                ...c,
                reference: String(c.reference).split('').reverse().join(''),
              })),
            },
          };
        break;
      case 'submitKycVerification':
        if (on('debitura-kyc-notifies-nobody')) out = { ...out, notifiedCaseIds: [] };
        break;
      case 'listPartnerCases': {
        let cases = out.cases as Json[];
        if (on('debitura-partner-cases-oldest-first')) cases = [...cases].reverse();
        if (on('debitura-partner-remainder-stale')) cases = cases.map((c) => ({ ...c, remainder: c.grossAmount }));
        out = { ...out, cases };
        if (on('debitura-partner-page-count')) out.page = { ...out.page, responseCount: out.page.pageSize };
        break;
      }
      case 'listCaseChats':
        if (on('debitura-chats-newest-first')) out = [...(out as Json[])].reverse();
        break;
      case 'listPartnerWebhooks':
        if (on('debitura-hook-list-secret'))
          out = (out as Json[]).map((s) => ({ ...s, secret: Buffer.from(`listed-${s.id}`).toString('base64') }));
        break;
    }
    return [status, out];
  };
}

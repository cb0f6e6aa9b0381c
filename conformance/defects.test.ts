// The suite catches real mistakes: for each deliberate defect of the mock, run the relevant
// capabilities against a mock started with that defect and expect the run to fail, with the
// failure in the check that is meant to catch it.
import { describe, expect, it } from 'vitest';
import { CASAPAY_DEFECTS, DEBITURA_DEFECTS, type CasaPayDefectName, type DebituraDefectName } from '../mocks/server.js';
import type { Capability } from './capabilities.js';
import { DEFAULT_OPTIONS } from './options.js';
import type { Failure } from './report/model.js';
import { runConformance } from './run.js';

interface Want {
  capabilities: Capability[];
  /** The check (full name) that must fail. */
  check: RegExp;
  /** The rule it must report, when it is a contract rule. */
  rule?: RegExp;
}

const cases: [defect: CasaPayDefectName, want: Want][] = [
  [
    'missing-required-field',
    { capabilities: ['core'], check: /\[core\] collection cases > creates a case/, rule: /^body-schema$/ },
  ],
  [
    'wrong-type',
    { capabilities: ['core'], check: /\[core\] collection cases > creates a case/, rule: /^body-schema$/ },
  ],
  ['wrong-status-code', { capabilities: ['core'], check: /\[core\] /, rule: /^status-declared$/ }],
  ['has-more-wrong', { capabilities: ['pagination'], check: /\[pagination\] collection case lists > walks forwards/ }],
  ['filter-ignored', { capabilities: ['pagination'], check: /\[pagination\] collection case lists > each filter/ }],
  [
    'cursor-ignored',
    { capabilities: ['pagination'], check: /\[pagination\] collection case lists > walks (forwards|backwards)/ },
  ],
  [
    'idempotency-ignored',
    { capabilities: ['idempotency'], check: /\[idempotency\] Idempotency-Key > a retry with the same key and body/ },
  ],
  [
    '500-on-bad-input',
    {
      capabilities: ['negative'],
      check: /\[negative\] generated invalid request bodies > create\w+: generated invalid bodies/,
    },
  ],
  ['flat-error-body', { capabilities: ['auth'], check: /\[auth\] /, rule: /^error-envelope$/ }],
  [
    'unsigned-webhook',
    {
      capabilities: ['webhooks'],
      check: /\[webhooks\] webhook deliveries > every delivery carries a valid X-CasaPay-Signature/,
    },
  ],
  [
    'mis-signed-webhook',
    {
      capabilities: ['webhooks'],
      check: /\[webhooks\] webhook deliveries > every delivery carries a valid X-CasaPay-Signature/,
    },
  ],
  [
    'stale-webhook-timestamp',
    {
      capabilities: ['webhooks'],
      check: /\[webhooks\] webhook deliveries > every delivery carries a valid X-CasaPay-Signature/,
    },
  ],
  [
    'missing-event',
    {
      capabilities: ['webhooks'],
      check: /\[webhooks\] webhook deliveries > a payment that clears the remainder delivers debt_payment\.created/,
    },
  ],
  [
    'remainder-not-updated',
    {
      capabilities: ['lifecycle'],
      check: /\[lifecycle\] collection case lifecycle \(test helpers\) > payments lower the remainder/,
    },
  ],
  [
    'auth-ignored',
    { capabilities: ['auth'], check: /\[auth\] authentication and account isolation > no Authorization header/ },
  ],
  [
    'cross-account-leak',
    {
      capabilities: ['auth'],
      check:
        /\[auth\] authentication and account isolation > (a case of key A is 404|key A's case and policy are absent)/,
    },
  ],
  [
    'file-limit-ignored',
    { capabilities: ['files'], check: /\[files\] case files > a file of 25 MB \+ 1 byte is refused/ },
  ],
];

// The Referral API's defects (mocks/apis/debitura/defects-referral.ts), each caught by the check of the rule it breaks.
const CLIENTS = /\[debitura-onboarding\] linked clients and KYC \(Referral API\) > /;
const PARTNER_CASES = /\[debitura-onboarding\] the partner's case list \(Referral API GET \/cases\) > /;
const inClients = (title: string): Want => ({
  capabilities: ['debitura-onboarding'],
  check: new RegExp(CLIENTS.source + title),
});
const inPartnerCases = (title: string): Want => ({
  capabilities: ['debitura-onboarding'],
  check: new RegExp(PARTNER_CASES.source + title),
});
const REFERRAL_DEFECT_CASES: Partial<Record<DebituraDefectName, Want>> = {
  'debitura-token-short-lived': {
    capabilities: ['debitura-flow'],
    check: /\[debitura-flow\] the two-API flow > a token is refused 30 minutes after it was minted/,
    rule: /^debitura\.token-lifetime$/,
  },
  'debitura-token-wrong-client': inClients('a token acts for the client it was minted for'),
  'debitura-mint-inactive-link': inClients('the link states the docs name'),
  'debitura-referral-key-optional': inClients('the Referral API without XApiKey'),
  'debitura-client-list-pending-missing': inClients(
    'GET \\/clients and GET \\/clients\\/\\{externalTenantId\\} hold each',
  ),
  'debitura-client-country-named': inClients('GET \\/clients and GET \\/clients\\/\\{externalTenantId\\} hold each'),
  'debitura-ready-client-link': inClients('a client onboarded as Completed \\(201\\) has onboardingLinks null'),
  'debitura-kyc-not-on-file': inClients('contracts\\.kyc: NotRequired for a DE client'),
  'debitura-kyc-always-missing': inClients('contracts\\.kyc: NotRequired for a DE client'),
  'debitura-kyc-notifies-nobody': inClients('the KYC record is the request'),
  'debitura-kyc-unlinked-accepted': inClients('KYC for a tenant never onboarded is 404'),
  'debitura-partner-cases-oldest-first': inPartnerCases('lists newest first'),
  'debitura-partner-page-count': inPartnerCases('page data is computed from the data'),
  'debitura-partner-tenant-filter-ignored': inPartnerCases('ExternalTenantId selects exactly'),
  'debitura-partner-remainder-stale': inPartnerCases('each listed case equals the Customer API'),
  'debitura-chats-newest-first': {
    capabilities: ['debitura-files'],
    check: /\[debitura-files\] case chats \(Referral API\) > chats are listed oldest first/,
  },
  'debitura-created-case-reference-wrong': inClients("onboarding's caseResults are the cases"),
  'debitura-hook-list-secret': {
    capabilities: ['debitura-webhooks'],
    check: /\[debitura-webhooks\] the partner's webhook subscriptions > POST \/webhooks answers the request's url/,
  },
};

// `--api debitura`: every entry of DEBITURA_DEFECTS, and the check that catches it.
const debituraCases: Partial<Record<DebituraDefectName, Want>> = {
  'debitura-token-never-expires': {
    capabilities: ['debitura-flow'],
    check: /\[debitura-flow\] the two-API flow > a token is refused 30 minutes after it was minted/,
  },
  'debitura-unlinked-token': {
    capabilities: ['debitura-flow'],
    check: /\[debitura-flow\] the two-API flow > a token for an unknown externalTenantId is 404/,
  },
  'debitura-is-test-echoed': {
    capabilities: ['debitura-validation'],
    check: /\[debitura-validation\] .* > isTest: true is returned as isTestCase/,
  },
  'debitura-future-date-accepted': {
    capabilities: ['debitura-validation'],
    check: /\[debitura-validation\] .* > a date in the future is refused/,
  },
  'debitura-json-patch-refused': {
    capabilities: ['debitura-validation'],
    check: /\[debitura-validation\] .* > a body sent as application\/json-patch\+json/,
  },
  'debitura-partner-cases-missing': {
    capabilities: ['debitura-flow'],
    check: /\[debitura-flow\] the two-API flow > the partner's GET \/cases lists the case/,
  },
  'debitura-secret-not-decoded': {
    capabilities: ['debitura-webhooks'],
    check: /\[debitura-webhooks\] partner webhook deliveries > every delivery carries a valid X-Debitura-Signature/,
  },
  ...REFERRAL_DEFECT_CASES,
  // Issue 20's Customer-API defects (mocks/apis/debitura/defects-customer.ts): each caught by the check
  // of the rule it breaks, the failure naming that rule.
  'debitura-currency-lowercased': {
    capabilities: ['debitura-customer'],
    check: /\[debitura-customer\] the Customer API, field by field > POST \/cases answers the case as submitted/,
    rule: /^\[?debitura\.case-fields(\]|$)/,
  },
  'debitura-claim-description-dropped': {
    capabilities: ['debitura-customer'],
    check: /\[debitura-customer\] the Customer API, field by field > POST \/cases answers the case as submitted/,
    rule: /^\[?debitura\.case-fields(\]|$)/,
  },
  'debitura-remainder-above-gross': {
    capabilities: ['debitura-customer'],
    check: /\[debitura-customer\] the Customer API, field by field > POST \/cases answers the case as submitted/,
    rule: /^\[?debitura\.case-arithmetic(\]|$)/,
  },
  'debitura-is-test-lost-in-lists': {
    capabilities: ['debitura-customer'],
    check: /\[debitura-customer\] the Customer API, field by field > GET \/cases holds every case once/,
    rule: /^\[?debitura\.case-list(\]|$)/,
  },
  'debitura-dates-not-midnight-utc': {
    capabilities: ['debitura-customer'],
    check: /\[debitura-customer\] the Customer API, field by field > POST \/cases answers the case as submitted/,
    rule: /^\[?debitura\.case-fields(\]|$)/,
  },
  'debitura-sort-ignored': {
    capabilities: ['debitura-customer'],
    check: /\[debitura-customer\] the Customer API, field by field > Sort=GrossAmount:asc/,
    rule: /^\[?debitura\.case-list(\]|$)/,
  },
  'debitura-page-count-wrong': {
    capabilities: ['debitura-customer'],
    check: /\[debitura-customer\] the Customer API, field by field > GET \/cases holds every case once/,
    rule: /^\[?debitura\.case-list(\]|$)/,
  },
  'debitura-statuses-first-only': {
    capabilities: ['debitura-validation'],
    check: /\[debitura-validation\] .* > Statuses filters repeated/,
  },
  'debitura-foreign-case-visible': {
    capabilities: ['debitura-customer'],
    check: /\[debitura-customer\] the Customer API, field by field > another client's case is 404/,
    rule: /^\[?debitura\.case-isolation(\]|$)/,
  },
  'debitura-today-refused': {
    capabilities: ['debitura-validation'],
    check: /\[debitura-validation\] .* > date and dueDate of today are accepted/,
    rule: /^\[?debitura\.dates-today(\]|$)/,
  },
  'debitura-duplicate-reference-accepted': {
    capabilities: ['debitura-customer'],
    check:
      /\[debitura-customer\] the Customer API, field by field > a creditorReference the client already used is 400/,
    rule: /^\[?debitura\.creditor-reference(\]|$)/,
  },
  'debitura-payment-amount-wrong': {
    capabilities: ['debitura-customer'],
    check: /\[debitura-customer\] the Customer API, field by field > a test case advanced to Closed:Paid/,
    rule: /^\[?debitura\.payments(\]|$)/,
  },
  'debitura-file-case-id-wrong': {
    capabilities: ['debitura-customer'],
    check: /\[debitura-customer\] the Customer API, field by field > POST \/cases\/\{id\}\/files: 200/,
    rule: /^\[?debitura\.customer-files(\]|$)/,
  },
  'debitura-secret-shown-again': {
    capabilities: ['debitura-customer'],
    check: /\[debitura-customer\] the Customer API, field by field > webhook subscriptions: 201/,
    rule: /^\[?debitura\.customer-webhooks(\]|$)/,
  },
  'debitura-preview-total-wrong': {
    capabilities: ['debitura-customer'],
    check: /\[debitura-customer\] the Customer API, field by field > POST \/cases\/preview prices without creating/,
    rule: /^\[?debitura\.preview(\]|$)/,
  },
  'debitura-accept-refused': {
    capabilities: ['debitura-customer'],
    check: /\[debitura-customer\] the Customer API, field by field > the Accept header generated clients send/,
  },
  'debitura-case-updated-old-lifecycle': {
    capabilities: ['debitura-webhooks'],
    check: /\[debitura-webhooks\] partner webhook deliveries > advancing the test case to Active/,
    rule: /^\[?debitura\.hook-updated-fields(\]|$)/,
  },
  'debitura-case-closed-without-code': {
    capabilities: ['debitura-webhooks'],
    check: /\[debitura-webhooks\] partner webhook deliveries > advancing the test case to Active/,
    rule: /^\[?debitura\.hook-closed-fields(\]|$)/,
  },
  'debitura-case-created-amount-in-cents': {
    capabilities: ['debitura-webhooks'],
    check: /\[debitura-webhooks\] partner webhook deliveries > a submitted case delivers case\.created/,
    rule: /^\[?debitura\.hook-created-fields(\]|$)/,
  },
  'debitura-event-id-per-retry': {
    capabilities: ['debitura-webhooks'],
    check: /\[debitura-webhooks\] partner webhook deliveries > a delivery the receiver refused \(503\) is retried/,
    rule: /^\[?debitura\.hook-retry-identity(\]|$)/,
  },
};

const describeFailures = (failures: Failure[]) => failures.map((f) => `${f.check} [${f.rule}]`).join('\n');

/** Runs the suite of `api` against the mock with one defect: it must fail, in the check (and rule) meant to catch it. */
async function expectCaught(api: 'casapay' | 'debitura', defect: string, want: Want): Promise<void> {
  const { result } = await runConformance({
    ...DEFAULT_OPTIONS,
    api,
    capabilities: want.capabilities,
    reportDir: null,
    negativeRuns: 8,
    webhookWaitMs: 1500,
    mock: { defects: [defect] },
    write: () => {},
  });
  expect(result.verdict, `the run against --defect ${defect} must fail`).toBe('fail');
  const caught = result.failures.filter((f) => want.check.test(f.check) && (!want.rule || want.rule.test(f.rule)));
  expect(
    caught.length,
    `a failure of ${want.check}${want.rule ? ` breaking ${want.rule}` : ''}; the failures were:\n${describeFailures(result.failures)}`,
  ).toBeGreaterThan(0);
}

// The baselines — without defects every check of both APIs passes, so a failure below is the defect's
// doing — run once in spec/wire-declarations.test.ts, against a mock whose answers that test also holds
// to the contracts' declarations (one run of the suite serves both).
describe('the suite fails on each mock defect, in the check meant to catch it', () => {
  it('every CasaPay defect has a case', () => {
    expect(cases.map(([defect]) => defect).sort()).toEqual(Object.keys(CASAPAY_DEFECTS).sort());
  });

  it.each(cases)('%s', (defect, want) => expectCaught('casapay', defect, want), 60_000);
});

// Bug 13 of issue 17: the suite compared signature timestamps with the target's (shifted) clock,
// while the mock signs with real time, as receivers expect. The other direction (a wrong `t` fails)
// is the stale-webhook-timestamp defect above.
describe('signature timestamps are judged against real time', () => {
  it('passes against a mock whose clock was moved a day ahead (the console\'s "+1 day")', async () => {
    const { createMockServer } = await import('../mocks/server.js');
    const mock = await createMockServer({ host: '127.0.0.1', port: 0, logLevel: 'silent' });
    try {
      const shifted = await fetch(`${mock.url}/__admin/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ shift_seconds: 86_400 }),
      });
      expect(shifted.status).toBe(200);
      const { result } = await runConformance({
        ...DEFAULT_OPTIONS,
        baseUrl: mock.url,
        capabilities: ['webhooks'],
        reportDir: null,
        write: () => {},
      });
      expect(result.failures, describeFailures(result.failures)).toEqual([]);
      expect(result.verdict).toBe('pass');
    } finally {
      await mock.close();
    }
  }, 60_000);
});

describe('--api debitura fails on each Debitura defect of the mock, in the check meant to catch it', () => {
  it('without a clock (--referral-url/--customer-url, no --admin-url) the 30-minute check is skipped with the reason', async () => {
    const { createMockServer } = await import('../mocks/server.js');
    const mock = await createMockServer({ host: '127.0.0.1', port: 0, logLevel: 'silent' });
    try {
      const { result } = await runConformance({
        ...DEFAULT_OPTIONS,
        api: 'debitura',
        capabilities: ['debitura-flow'],
        referralUrl: `${mock.url}/debitura/referral`,
        customerUrl: `${mock.url}/debitura/customer`,
        reportDir: null,
        write: () => {},
      });
      expect(result.verdict, describeFailures(result.failures)).toBe('pass');
      const clock = result.checks.find((c) => c.name.startsWith('a token is refused 30 minutes after it was minted'));
      expect(clock?.state).toBe('skipped');
      expect(clock?.skipReason).toMatch(/--admin-url/);
      expect(result.target).toMatchObject({ api: 'debitura', startedMock: false, adminUrl: null });
    } finally {
      await mock.close();
    }
  }, 60_000);

  it('every Debitura defect has a case', () => {
    expect(Object.keys(debituraCases).sort()).toEqual(Object.keys(DEBITURA_DEFECTS).sort());
  });

  it.each(Object.entries(debituraCases))('%s', (defect, want) => expectCaught('debitura', defect, want), 60_000);
});

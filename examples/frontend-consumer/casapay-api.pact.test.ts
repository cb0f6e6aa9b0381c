// The frontend's consumer test (pact-js v16, PactV3 + MatchersV3): each interaction runs the real
// client functions against Pact's mock server, and the pact file it writes is what CasaPay — the
// bundled mock or a vendor's implementation — must honour (`casapay-conformance pact verify`).
// Values that differ per provider (the API key, the ids) come from the provider state through
// fromProviderState, so the same pact replays against any implementation that maps the states.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MatchersV3, PactV3 } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { CasaPayError, createCase, getCase, previewCase, type CaseInput } from './casapay-api.js';

const { boolean, fromProviderState, integer, like, number, regex, string } = MatchersV3;

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where this run writes its pact (not committed): compared below with the committed one. */
const OUT_DIR = path.join(here, '..', '..', 'reports', 'pacts');
/** The committed pact: what the README's `pact verify` and `pact check` examples read. */
const COMMITTED_PACT = path.join(here, 'pacts', 'frontend-app-casapay-api.json');
const PACT_NAME = 'frontend-app-casapay-api.json';

// pact-js merges into an existing file; start from nothing so a renamed interaction cannot linger.
rmSync(path.join(OUT_DIR, PACT_NAME), { force: true });

// logLevel error: at warn the Rust core says on every merge that the V3 file "will be upgraded"; it is written as V3 all the same.
const provider = new PactV3({ consumer: 'frontend-app', provider: 'casapay-api', dir: OUT_DIR, logLevel: 'error' });

const CASE: CaseInput = {
  amount_to_recover: 360000,
  currency: 'eur',
  due_date: '2024-11-01',
  debtor: {
    type: 'private',
    name: 'John Smith',
    country: 'DE',
    address: { line1: 'Friedrichstraße 123', city: 'Berlin', postal_code: '10117', country: 'DE' },
  },
};

/** The key the consumer test uses; the verifier replaces it with the state's `api_key`. */
const EXAMPLE_KEY = 'sk_test_frontend_example';
const auth = fromProviderState('Bearer ${api_key}', `Bearer ${EXAMPLE_KEY}`);
const json = { 'Content-Type': regex('application/json.*', 'application/json; charset=utf-8') };

describe('frontend-app → casapay-api', () => {
  it('previews a case before submitting it', async () => {
    provider
      .given('an empty account')
      .uponReceiving('a preview of a German case')
      .withRequest({
        method: 'POST',
        path: '/v1/collection_case_previews',
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body: { ...CASE, debtor: { type: 'private', name: 'John Smith', country: 'DE' } },
      })
      .willRespondWith({
        status: 200,
        headers: json,
        body: { is_eligible: boolean(true), pricing_preview: like({ total_success_fee_pct: number(14.5) }) },
      });
    await provider.executeTest(async (server) => {
      const preview = await previewCase({ baseUrl: server.url, apiKey: EXAMPLE_KEY }, CASE);
      expect(preview.is_eligible).toBe(true);
      expect(preview.pricing_preview?.total_success_fee_pct).toBe(14.5);
    });
  });

  it('creates a case', async () => {
    provider
      .given('an empty account')
      .uponReceiving('a new collection case')
      .withRequest({
        method: 'POST',
        path: '/v1/collection_cases',
        headers: { Authorization: auth, 'Content-Type': 'application/json', 'Idempotency-Key': string('order-4711') },
        body: CASE,
      })
      .willRespondWith({
        status: 201,
        headers: json,
        body: {
          id: regex('^dc_\\w+$', 'dc_a1b2c3d4'),
          reference: regex('^[A-Z0-9]{8}$', 'Q8OAXF3W'),
          status: string('pending_verification'),
          amount_to_recover: integer(360000),
          currency: string('eur'),
        },
      });
    await provider.executeTest(async (server) => {
      const created = await createCase({ baseUrl: server.url, apiKey: EXAMPLE_KEY }, CASE, 'order-4711');
      expect(created.id).toMatch(/^dc_/);
      expect(created.amount_to_recover).toBe(360000);
    });
  });

  it("shows the docs' quickstart case", async () => {
    provider
      .given("the docs' quickstart case exists")
      .uponReceiving("a request for the quickstart's case")
      .withRequest({
        method: 'GET',
        path: fromProviderState('/v1/collection_cases/${case_id}', '/v1/collection_cases/dc_a1b2c3d4'),
        headers: { Authorization: auth },
      })
      .willRespondWith({
        status: 200,
        headers: json,
        body: {
          id: fromProviderState('${case_id}', 'dc_a1b2c3d4'),
          reference: fromProviderState('${case_reference}', 'Q8OAXF3W'),
          status: string('active'),
          amount_to_recover: integer(360000),
          currency: string('eur'),
        },
      });
    await provider.executeTest(async (server) => {
      const shown = await getCase({ baseUrl: server.url, apiKey: EXAMPLE_KEY }, 'dc_a1b2c3d4');
      expect(shown.reference).toBe('Q8OAXF3W');
    });
  });

  it('tells the user a case does not exist', async () => {
    provider
      .given('an empty account')
      .uponReceiving('a request for a case that does not exist')
      .withRequest({ method: 'GET', path: '/v1/collection_cases/dc_doesnotexist', headers: { Authorization: auth } })
      .willRespondWith({
        status: 404,
        headers: json,
        body: {
          error: {
            type: string('invalid_request_error'),
            code: string('resource_not_found'),
            message: string("No such collection case: 'dc_doesnotexist'."),
          },
        },
      });
    await provider.executeTest(async (server) => {
      const failure = await getCase({ baseUrl: server.url, apiKey: EXAMPLE_KEY }, 'dc_doesnotexist').catch(
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(CasaPayError);
      expect(failure).toMatchObject({ status: 404, code: 'resource_not_found' });
    });
  });
});

// Metadata (pact-js and pact-core versions) may differ between machines; the interactions may not.
const interactionsOf = (file: string) =>
  (JSON.parse(readFileSync(file, 'utf8')) as { interactions: unknown[] }).interactions;

describe('the committed pact', () => {
  // Tests of a file run in order: this one runs after every interaction above wrote its part.
  it('is the one this test writes', () => {
    const written = interactionsOf(path.join(OUT_DIR, PACT_NAME));
    expect(
      written,
      `examples/frontend-consumer/pacts/${PACT_NAME} is stale: copy reports/pacts/${PACT_NAME} over it`,
    ).toEqual(interactionsOf(COMMITTED_PACT));
  });
});

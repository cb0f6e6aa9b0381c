// README example: the typed client against a running mock (started here on a free port).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMockServer, type MockServer } from 'casapay-contract-kit/mock';

let mock: MockServer;
beforeAll(async () => {
  mock = await createMockServer({ port: 0, logLevel: 'silent' });
});
afterAll(() => mock.close());

it('reads the quickstart case and gets a typed 404', async () => {
  const baseUrl = mock.url; // http://localhost:4010 under `npm start`
  // #region readme:typed-client
  const { createCasaPayClient } = await import('casapay-contract-kit/client');
  const casapay = createCasaPayClient({ baseUrl, apiKey: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc' });

  const { data } = await casapay.GET('/v1/collection_cases/{id}', { params: { path: { id: 'dc_a1b2c3d4' } } });
  console.log(data?.reference, data?.status); // Q8OAXF3W active

  const { error, response } = await casapay.GET('/v1/collection_cases/{id}', { params: { path: { id: 'dc_nope' } } });
  console.log(response.status, error?.error.code); // 404 resource_not_found
  // #endregion
  expect(data?.reference).toBe('Q8OAXF3W');
  expect([response.status, error?.error.code]).toEqual([404, 'resource_not_found']);
});

// #region readme:types
import type { components, webhooks } from 'casapay-contract-kit/client';
type CollectionCase = components['schemas']['CollectionCase'];
type ClosedEvent = NonNullable<
  webhooks['collection_case.closed']['post']['requestBody']
>['content']['application/json'];
// #endregion

it('the types are the contract’s', () => {
  const closeCode: CollectionCase['close_code'] = 'paid';
  const type: ClosedEvent['type'] = 'collection_case.closed';
  expect([closeCode, type]).toEqual(['paid', 'collection_case.closed']);
});

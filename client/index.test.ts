// The typed client: the key becomes the Bearer header, options reach every request, and errors are
// the contract's envelope — checked against the mock over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type TestMock } from '../mocks/test-support.js';
import { createCasaPayClient, DEFAULT_BASE_URL, isCasaPayError } from './index.js';

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

describe('createCasaPayClient', () => {
  it.each([
    ['an API key', { apiKey: 'sk_test_client' }, 'Bearer sk_test_client'],
    ['a raw Authorization value', { apiKey: 'sk_test_client', authorization: 'Bearer nope' }, 'Bearer nope'],
    ['no key', { apiKey: null }, null],
  ] as const)('sends %s', async (_what, auth, header) => {
    let seen: string | null | undefined;
    const client = createCasaPayClient({
      ...auth,
      baseUrl: 'https://example.test/',
      fetch: async (request) => {
        seen = request.headers.get('authorization');
        expect(request.url).toBe('https://example.test/v1/collection_cases');
        return Response.json({ object: 'list', data: [], has_more: false, url: '/v1/collection_cases' });
      },
    });
    await client.GET('/v1/collection_cases');
    expect(seen).toBe(header);
  });

  it('defaults to CasaPay’s base URL', async () => {
    let url = '';
    await createCasaPayClient({
      apiKey: 'sk_test_x',
      fetch: async (request) => ((url = request.url), Response.json({})),
    }).GET('/v1/events');
    expect(url).toBe(`${DEFAULT_BASE_URL}/v1/events`);
  });

  it('talks to the mock: data on success, the typed error envelope otherwise', async () => {
    const client = createCasaPayClient({
      baseUrl: mock.url,
      apiKey: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
      headers: { 'X-Mock-Scenario': 'quickstart:client-test' },
    });
    const found = await client.GET('/v1/collection_cases/{id}', { params: { path: { id: 'dc_a1b2c3d4' } } });
    expect(found.data?.reference).toBe('Q8OAXF3W');
    const missing = await client.GET('/v1/collection_cases/{id}', { params: { path: { id: 'dc_nope' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error.code).toBe('resource_not_found');
    const unauthenticated = await createCasaPayClient({ baseUrl: mock.url, apiKey: null }).GET('/v1/collection_cases');
    expect(unauthenticated.error?.error.type).toBe('authentication_error');
  });
});

describe('isCasaPayError', () => {
  it.each([
    [{ error: { type: 'api_error', code: 'internal_error', message: 'x', param: null } }, true],
    [{ error: { type: 'api_error', code: 'internal_error' } }, false],
    [{ error: 'Bad Request', code: 'FST_ERR_BAD_URL' }, false],
    [{ message: 'x', code: 'y' }, false],
    [null, false],
    ['error', false],
  ])('%j → %s', (value, want) => {
    expect(isCasaPayError(value)).toBe(want);
  });
});

// README example: a frontend-style unit test with the mock in-process (nock), no port opened.
import { expect, it } from 'vitest';

it('submits a case and verifies what was sent', async () => {
  // #region readme:in-process
  const { interceptCasaPay } = await import('casapay-contract-kit/nock');
  const { createCasaPayClient } = await import('casapay-contract-kit/client');

  const casapay = await interceptCasaPay({ seed: 'my-test' }); // answers https://api.casapay.com
  try {
    const client = createCasaPayClient({ apiKey: 'sk_test_frontend' });
    const { data } = await client.POST('/v1/collection_cases', {
      body: {
        amount_to_recover: 360000,
        currency: 'eur',
        due_date: '2024-11-01',
        debtor: {
          type: 'private',
          name: 'John Smith',
          address: { line1: 'Friedrichstraße 123', city: 'Berlin', postal_code: '10117', country: 'DE' },
        },
      },
    });
    expect(data?.status).toBe('active');

    casapay.advance(2 * 24 * 3600); // two days later: the demand letter has gone out
    expect(casapay.state('sk_test_frontend')?.timelines[data!.id]?.map((entry) => entry.type)).toContain(
      'demand_letter_sent',
    );
    expect(casapay.received({ method: 'POST', path: '/v1/collection_cases', body: { currency: 'eur' } })).toHaveLength(
      1,
    );
  } finally {
    await casapay.restore();
  }
  // #endregion
});

// A guarantee keeps the policy terms it was written under (issue 25): a policy change applies to
// guarantees created afterwards, as the contract says, never backwards to the ones already written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServerOptions } from '../../server.js';
import { openSqliteDriver, SQLITE_FILE } from '../../store/sqlite-store.js';
import { freshDatabase, NO_POSTGRES, POSTGRES_URL } from '../../store/test-postgres.js';
import { contract, startMock, TEST_NOW, type TestMock } from '../../test-support.js';

/** The docs' key: the quickstart's policy gpol_abc123 and guarantee grt_def456 are seeded for it. */
const DOCS_KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';

/** The contract's own example of a claim body (whatever the example is named). */
const claimExample = (): Record<string, any> => {
  const examples = contract.document.paths['/v1/claims'].post.requestBody.content['application/json'].examples;
  return structuredClone((Object.values(examples)[0] as { value: Record<string, any> }).value);
};

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

describe('a policy change applies to guarantees created afterwards', () => {
  it("the contract's claim example still passes on grt_def456 after the policy's waiting period grows", async () => {
    const claim = claimExample();
    expect(claim.guarantee).toBe('grt_def456');
    const changed = await mock.call('POST', '/v1/guarantee_policies/gpol_abc123', {
      key: DOCS_KEY,
      body: { waiting_period_days: 222 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.waiting_period_days).toBe(222);

    const res = await mock.call('POST', '/v1/claims', { key: DOCS_KEY, body: claim });
    expect(res.body.error).toBeUndefined();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ guarantee: 'grt_def456', status: 'under_review', amount: claim.amount });
  });

  it('a guarantee written after the change follows the new waiting period', async () => {
    const key = 'sk_test_policy_terms_after';
    const policy = await mock.call('POST', '/v1/guarantee_policies', {
      key,
      body: { name: 'Terms', coverage_percentage: 100, max_coverage_months: 12, waiting_period_days: 30 },
    });
    const write = (start: number) =>
      mock.call('POST', '/v1/guarantees', {
        key,
        body: {
          policy: policy.body.id,
          tenant: 'cus_terms',
          coverage_amount: 100_000,
          currency: 'eur',
          start_date: start,
          end_date: start + 400 * 86_400,
        },
      });
    // Started 100 days before the mock's now, running 400 days: active, with rent already due.
    const start = TEST_NOW - 100 * 86_400;
    const before = await write(start);
    expect(before.status).toBe(201);
    expect(
      (await mock.call('POST', `/v1/guarantee_policies/${policy.body.id}`, { key, body: { waiting_period_days: 90 } }))
        .status,
    ).toBe(200);
    const after = await write(start);
    expect(after.status).toBe(201);

    // Rent due 60 days in: past the old 30-day wait, inside the new 90-day one.
    const claimOn = (guarantee: string) =>
      mock.call('POST', '/v1/claims', {
        key,
        body: {
          guarantee,
          amount: 50_000,
          currency: 'eur',
          reason: 'missed_payment',
          evidence: { invoice_id: 'inv_terms', due_date: start + 60 * 86_400 },
        },
      });
    const allowed = await claimOn(before.body.id);
    expect(allowed.body.error).toBeUndefined();
    expect(allowed.status).toBe(201);
    const refused = await claimOn(after.body.id);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'outside_coverage_period', param: 'evidence[due_date]' });
  });
});

/** Each durable store: SQLite in a folder, PostgreSQL in a fresh database (where one can be had). */
const folders: string[] = [];
const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  for (const drop of drops) await drop();
});
const STORES: Array<
  [
    name: string,
    open: () => Promise<{ options: Partial<MockServerOptions>; forgetTerms(): Promise<void> }>,
    skip: string | undefined,
  ]
> = [
  [
    'SQLite',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'casapay-terms-'));
      folders.push(dataDir);
      return {
        options: { dataDir },
        async forgetTerms() {
          openSqliteDriver(join(dataDir, SQLITE_FILE)).prepare(`DELETE FROM rows WHERE part = ?`).run(TERMS_PART);
        },
      };
    },
    undefined,
  ],
  [
    'PostgreSQL',
    async () => {
      const db = await freshDatabase();
      drops.push(db.drop);
      return {
        options: { databaseUrl: db.url },
        async forgetTerms() {
          const client = new pg.Client({ connectionString: db.url });
          await client.connect();
          await client.query(`DELETE FROM rows WHERE part = $1`, [TERMS_PART]);
          await client.end();
        },
      };
    },
    POSTGRES_URL ? undefined : NO_POSTGRES,
  ],
];
const TERMS_PART = 'casapay.guarantee_terms';

describe.each(STORES)('on %s, the terms a guarantee keeps', (_name, openStore, skip) => {
  it.skipIf(skip)(
    `survive a restart, and a store written without them still loads (${skip ?? 'running'})`,
    async () => {
      const key = 'sk_test_policy_terms_durable';
      const store = await openStore();
      const start = TEST_NOW - 100 * 86_400;
      const claim = (m: TestMock, guarantee: string) =>
        m.call('POST', '/v1/claims', {
          key,
          body: {
            guarantee,
            amount: 10_000,
            currency: 'eur',
            reason: 'missed_payment',
            evidence: { invoice_id: 'inv_durable', due_date: start + 60 * 86_400 },
          },
        });

      let m = await startMock(store.options);
      const policy = await m.call('POST', '/v1/guarantee_policies', {
        key,
        body: { name: 'Durable', coverage_percentage: 100, max_coverage_months: 12, waiting_period_days: 30 },
      });
      const guarantee = await m.call('POST', '/v1/guarantees', {
        key,
        body: {
          policy: policy.body.id,
          tenant: 'cus_durable',
          coverage_amount: 100_000,
          currency: 'eur',
          start_date: start,
          end_date: start + 400 * 86_400,
        },
      });
      expect(guarantee.status).toBe(201);
      expect(
        (await m.call('POST', `/v1/guarantee_policies/${policy.body.id}`, { key, body: { waiting_period_days: 90 } }))
          .status,
      ).toBe(200);
      await m.close();

      // Restarted: the guarantee still has the 30-day wait it was written under.
      m = await startMock(store.options);
      const kept = await claim(m, guarantee.body.id);
      expect(kept.body.error).toBeUndefined();
      expect(kept.status).toBe(201);
      await m.close();

      // A store from before terms were kept: it loads, and its guarantees read the policy's terms now (90 days).
      await store.forgetTerms();
      m = await startMock(store.options);
      try {
        expect((await m.call('GET', `/v1/guarantees/${guarantee.body.id}`, { key })).status).toBe(200);
        const fallback = await claim(m, guarantee.body.id);
        expect(fallback.status).toBe(422);
        expect(fallback.body.error).toMatchObject({ code: 'outside_coverage_period' });
      } finally {
        await m.close();
      }
    },
  );
});

// The durable stores keep everything: both conformance suites run against a mock on SQLite, then the
// mock is closed and opened again on the same folder, and every account reads back exactly as it was —
// its objects, timelines, events, schedule, scenarios and idempotency keys — and the journal of requests. A container that changed
// without telling the store (engine/state/changes.ts) shows up here as a difference.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, DEBITURA_CAPABILITIES } from '../conformance/capabilities.js';
import { DEFAULT_OPTIONS } from '../conformance/options.js';
import { runConformance } from '../conformance/run.js';
import { dumpAccount } from './operator/admin.js';
import type { JournalEntry } from './operator/journal.js';
import { createMockServer, type MockEngine, type MockServer, type MockServerOptions } from './server.js';
import { freshDatabase, NO_POSTGRES, POSTGRES_URL } from './store/test-postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'casapay-durable-'));
let dropDatabase: (() => Promise<void>) | undefined;
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropDatabase?.();
});

/** The store options of each durable store: SQLite in a folder, PostgreSQL in a fresh database. */
const STORES: Array<[name: string, options: () => Promise<Partial<MockServerOptions>>, skip?: string]> = [
  ['SQLite', async () => ({ dataDir: dir })],
  [
    'PostgreSQL',
    async () => {
      if (!dropDatabase) {
        const db = await freshDatabase();
        dropDatabase = db.drop;
        process.env.__CASAPAY_DURABLE_DB = db.url;
      }
      return { databaseUrl: process.env.__CASAPAY_DURABLE_DB };
    },
    POSTGRES_URL ? undefined : NO_POSTGRES,
  ],
];

/** Every account as the admin dump shows it, with the engine's schedule, idempotency keys, tokens and deliveries beside it. */
function everything(mock: MockEngine): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const account of mock.sandbox.store.all().sort((a, b) => a.key.localeCompare(b.key))) {
    const dump = dumpAccount(mock.modules, account) as Record<string, any>;
    const eventIds: string[] = [
      ...(dump.events ?? []).map((e: { id: string }) => e.id),
      ...(dump.debitura?.events ?? []).map((e: { id: string }) => e.id),
    ];
    out[account.key] = {
      dump,
      // Which deliveries each event has, and where (their attempts go on after the restart).
      deliveries: eventIds.map((id) => mock.sandbox.deliveries(id).map((d) => [d.id, d.event, d.url])),
      tokens: mock.apis.debitura.tokens.tokensOf(account.key).length,
      schedule: account.schedule.list(),
      nextTaskSeq: account.schedule.nextSeq,
      scenarios: Object.fromEntries(account.scenarios),
      idempotencyKeys: mock.sandbox.idempotency.size(account.key),
    };
  }
  return out;
}

describe.each(STORES)('a mock on %s, restarted, holds exactly what it held', (name, storeOptions, skip) => {
  let before: Record<string, unknown>;
  let journalBefore: JournalEntry[];

  it.skipIf(skip)(
    `both conformance suites pass on the store (${skip ?? 'running'})`,
    async () => {
      const mock: MockServer = await createMockServer({ port: 0, logLevel: 'silent', ...(await storeOptions()) });
      try {
        for (const api of ['casapay', 'debitura'] as const) {
          const { result } = await runConformance({
            ...DEFAULT_OPTIONS,
            api,
            baseUrl: mock.url,
            ...(api === 'debitura'
              ? {
                  referralUrl: `${mock.url}/debitura/referral`,
                  customerUrl: `${mock.url}/debitura/customer`,
                  adminUrl: `${mock.url}/__admin`,
                }
              : {}),
            // Every capability but the generated negative bodies (they change nothing by design; kept fast).
            capabilities:
              api === 'debitura' ? [...DEBITURA_CAPABILITIES] : ALL_CAPABILITIES.filter((c) => c !== 'negative'),
            reportDir: null,
            negativeRuns: 4,
            write: () => {},
          });
          const failures = result.failures.map((f) => `${f.check} [${f.rule}] ${f.message.split('\n')[0]}`).join('\n');
          expect(result.failures, `${api} on ${name}:\n${failures}`).toEqual([]);
        }
        await mock.sandbox.persistence.flush();
        await mock.journal.flush();
        before = everything(mock);
        journalBefore = mock.journal.entries();
        expect(journalBefore.length).toBeGreaterThan(100);
        expect(Object.keys(before).length).toBeGreaterThan(5);
      } finally {
        await mock.close();
      }
    },
    240_000,
  );

  it.skipIf(skip)(
    'opened again on the same store, every account is as it was',
    async () => {
      const mock: MockServer = await createMockServer({ port: 0, logLevel: 'silent', ...(await storeOptions()) });
      try {
        expect(everything(mock)).toEqual(before);
        // The journal too: the same entries, newest first, as they were shown.
        expect(mock.journal.entries()).toEqual(journalBefore);
      } finally {
        await mock.close();
      }
    },
    60_000,
  );
});

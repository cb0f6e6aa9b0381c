// `npm run bench -- --stores …` at a tiny size: the bench starts ours on each store (and another
// checkout's build with --baseline), measures create, list and retrieve, prints the store table with
// ratios to memory, writes its JSON, and removes the stores it made. No timing is asserted: only that
// every column was measured, answered without errors, and is printed. Performance figures come from
// `npm run bench` alone (docs/benchmark.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL } from '../mocks/store/test-postgres.js';
import { runBench } from './bench-run.js';
import type { StoreGrowth, StoreRatios, StoreRow } from './bench-report.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stores-test-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** With no PostgreSQL unless given one. */
const bench = (args: string[]) => runBench(args, { CASAPAY_BENCH_POSTGRES_URL: '' });

const TINY = ['--duration', '1', '--rounds', '1', '--warmup', '0', '--connections', '2', '--no-pin'];
const postgres = POSTGRES_URL ? ['--database-url', POSTGRES_URL] : [];

describe('npm run bench -- --stores', () => {
  it('measures ours on each store side by side, prints the table with ratios to memory, and removes what it made', async () => {
    const json = path.join(work, 'stores.json');
    const { code, out } = await bench([
      '--stores',
      'memory,sqlite-full,postgres',
      '--baseline',
      '.',
      '--cases',
      '30',
      '--startup-runs',
      '0',
      '--json',
      json,
      ...postgres,
      ...TINY,
    ]);
    expect(code, out).toBe(0);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as { rows: StoreRow[]; ratios: StoreRatios[] };
    const labels = report.rows.map((r) => r.label);
    expect(labels.slice(0, 2)).toEqual(['memory', expect.stringMatching(/^memory @ /)]);
    expect(labels.slice(2)).toEqual(['sqlite (full)', 'postgres']);

    const measured = report.rows.filter((r) => !r.skipped);
    expect(measured.map((r) => r.label)).toEqual(POSTGRES_URL ? labels : labels.slice(0, 3));
    for (const row of measured) {
      expect(row.seeded?.cases, row.label).toBeGreaterThanOrEqual(30);
      for (const r of [row.create, row.list, row.retrieve]) {
        expect(r?.responses, row.label).toBeGreaterThan(0);
        expect([r?.non2xx, r?.errors], row.label).toEqual([0, 0]);
      }
    }
    if (!POSTGRES_URL) {
      expect(report.rows[3]?.skipped).toMatch(/--database-url .*CASAPAY_BENCH_POSTGRES_URL/);
      expect(out).toMatch(/postgres skipped: no PostgreSQL server/);
    }
    // Ratios are to this checkout's in-memory column.
    expect(report.ratios[0]).toMatchObject({ label: 'memory', createReqPerSec: 1, listP99: 1, retrieveP99: 1 });
    expect(report.ratios.every((r) => r.createReqPerSec !== null && r.retrieveP99 !== null)).toBe(true);

    // The printed table: a header with the ratio columns and one line per column.
    const table = out.slice(out.indexOf('\nStores ('));
    expect(table).toMatch(
      /store\s+create req\/s\s+× memory\s+cpu µs\/create\s+× memory\s+list p99\s+× memory\s+retrieve p99/,
    );
    expect(table).toMatch(/\nmemory\s+[\d,]+\s+1\.00×/);
    expect(table).toMatch(/\nmemory @ \S+\s+[\d,]+\s+\d/);
    expect(table).toMatch(/\nsqlite \(full\)\s+[\d,]+\s+\d/);
    expect(table).toMatch(POSTGRES_URL ? /\npostgres\s+[\d,]+\s+\d/ : /\npostgres\s+skipped/);

    // The SQLite folder and the PostgreSQL database were made for this run and are gone after it.
    const folder = /\((\/[^)]*casapay-bench-[^)]+)\)/.exec(out)?.[1];
    expect(folder, out).toBeDefined();
    expect(fs.existsSync(folder!)).toBe(false);
    if (POSTGRES_URL) {
      const database = /\(postgres:\/\/[^)]*\/(casapay_bench_[0-9a-f]+)\)/.exec(out)?.[1];
      expect(database, out).toBeDefined();
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      const left = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      await client.end();
      expect(left.rowCount).toBe(0);
    }
  }, 120_000);

  it('runs the growth table per store', async () => {
    const json = path.join(work, 'growth.json');
    const { code, out } = await bench(['--growth', '20', '--stores', 'memory,sqlite-normal', '--json', json, ...TINY]);
    expect(code, out).toBe(0);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as { stores: StoreGrowth[] };
    expect(report.stores.map((s) => s.label)).toEqual(['memory', 'sqlite (normal)']);
    for (const store of report.stores) {
      expect(
        store.rows.map((r) => [r.cases, r.problems]),
        store.label,
      ).toEqual([[20, 0]]);
      expect(store.rows[0]!.createReqPerSec, store.label).toBeGreaterThan(0);
    }
    const table = out.slice(out.indexOf('\nGrowth per store'));
    expect(table).toMatch(/store\s+cases\s+create req\/s\s+cpu µs\/create\s+list p99\s+retrieve p99/);
    expect(table).toMatch(/\nmemory\s+20\s+[\d,]+ \(1\.00×\)\s+\d+ \(1\.00×\)/);
    expect(table).toMatch(/\nsqlite \(normal\)\s+20\s+[\d,]+ \(\d/);
  }, 120_000);
});

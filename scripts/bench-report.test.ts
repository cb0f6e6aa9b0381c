import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OPTIONS,
  computeRatios,
  computeStoreRatios,
  renderStores,
  type StoreRow,
  evaluateGoals,
  evaluateGrowth,
  evaluateSoak,
  renderGrowth,
  type GrowthRow,
  formatMs,
  formatPercent,
  formatRatio,
  formatTable,
  parseArgs,
  parseCpuList,
  percentile,
  renderReport,
  summarizeLatencies,
  type ScenarioResult,
  type TargetInfo,
} from './bench-report.js';

function result(
  target: ScenarioResult['target'],
  scenario: ScenarioResult['scenario'],
  reqPerSec: number,
  p99 = 0.5,
  extra: Partial<ScenarioResult> = {},
): ScenarioResult {
  return {
    target,
    scenario,
    reqPerSec,
    responses: reqPerSec * 10,
    latency: { p50: p99 / 2, p90: p99 * 0.9, p99, max: p99 * 2, mean: p99 / 2 },
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    statusCodes: { '200': reqPerSec * 10 },
    serverCpu: 100,
    loadGenCpu: 60,
    otherCpu: 5,
    durationSec: 10,
    ...extra,
  };
}

describe('parseArgs', () => {
  it('defaults to every target and scenario for 10 s on 10 connections', () => {
    expect(parseArgs([])).toEqual(DEFAULT_OPTIONS);
    expect(DEFAULT_OPTIONS).toMatchObject({
      duration: 10,
      connections: 10,
      cases: 100_000,
      only: ['ours', 'logged', 'prism', 'bare'],
      scenarios: ['get', 'post', 'post-docs', 'list'],
      soak: 0,
      growth: [],
    });
  });

  it('reads both --flag value and --flag=value', () => {
    const o = parseArgs([
      '--duration',
      '3s',
      '--connections=20',
      '--only',
      'bare,ours',
      '--scenario=list',
      '--cases',
      '1_000',
      '--no-pin',
      '--rounds',
      '1',
      '--warmup',
      '0',
    ]);
    expect(o).toMatchObject({
      duration: 3,
      connections: 20,
      only: ['ours', 'bare'],
      scenarios: ['list'],
      cases: 1000,
      pin: false,
      rounds: 1,
      warmup: 0,
    });
  });

  it('keeps the canonical order and drops duplicates in lists', () => {
    expect(parseArgs(['--scenario', 'list,get,list']).scenarios).toEqual(['get', 'list']);
  });

  it('refuses unknown options and bad values with a readable message', () => {
    expect(() => parseArgs(['--durations', '3'])).toThrow(/unknown option "--durations"/);
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown option "--bogus"/);
    expect(() => parseArgs(['--only', 'ours,wiremock'])).toThrow(/unknown value "wiremock"/);
    expect(() => parseArgs(['--duration', 'ten'])).toThrow(/--duration/);
    expect(() => parseArgs(['--duration', '0'])).toThrow(/at least 1/);
    expect(() => parseArgs(['--connections', '0'])).toThrow(/at least 1/);
    expect(() => parseArgs(['--connections'])).toThrow(/missing value/);
    expect(() => parseArgs(['fast'])).toThrow(/unexpected argument/);
  });

  it('reads --soak seconds and --growth counts with k and m', () => {
    expect(parseArgs(['--soak', '60']).soak).toBe(60);
    expect(parseArgs(['--growth', '1m,1k,10k,100k,1k']).growth).toEqual([1000, 10_000, 100_000, 1_000_000]);
    expect(() => parseArgs(['--growth', '1x'])).toThrow(/--growth/);
    expect(() => parseArgs(['--soak', '5'])).toThrow(/at least 10/);
  });

  it('reads --stores (sqlite = both durability modes, all = every store), --database-url and --baseline', () => {
    expect(parseArgs(['--stores', 'postgres,memory']).stores).toEqual(['memory', 'postgres']);
    expect(parseArgs(['--stores', 'memory,sqlite']).stores).toEqual(['memory', 'sqlite-full', 'sqlite-normal']);
    expect(parseArgs(['--stores=all']).stores).toEqual(['memory', 'sqlite-full', 'sqlite-normal', 'postgres']);
    expect(
      parseArgs(['--stores', 'memory', '--database-url', 'postgres://u@127.0.0.1:5432/x', '--baseline', '../old']),
    ).toMatchObject({ databaseUrl: 'postgres://u@127.0.0.1:5432/x', baselines: ['../old'] });
    expect(parseArgs(['--stores', 'memory', '--baseline', '../old', '--baseline=.']).baselines).toEqual([
      '../old',
      '.',
    ]);
    expect(() => parseArgs(['--stores', 'memory,redis'])).toThrow(/unknown value "redis"/);
    expect(() => parseArgs(['--database-url', 'mysql://x'])).toThrow(/expected postgres:/);
    expect(() => parseArgs(['--baseline', '../old'])).toThrow(/only with --stores/);
    expect(() => parseArgs(['--stores', 'memory', '--soak', '60'])).toThrow(/not with --soak/);
  });

  it('notices --help', () => {
    expect(parseArgs(['-h']).help).toBe(true);
  });
});

describe('parseCpuList', () => {
  it('expands ranges and single CPUs', () => {
    expect(parseCpuList('0-1')).toEqual([0, 1]);
    expect(parseCpuList('0,2-4,7\n')).toEqual([0, 2, 3, 4, 7]);
    expect(() => parseCpuList('zero')).toThrow();
  });
});

describe('latencies', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises without reordering the input', () => {
    const values = Float64Array.from([3, 1, 2, 10]);
    const s = summarizeLatencies(values);
    expect(s).toMatchObject({ p50: 2, p99: 10, max: 10, mean: 4 });
    expect([...values]).toEqual([3, 1, 2, 10]);
  });
});

describe('ratios and goals', () => {
  const results = [
    result('ours', 'get', 20_000, 0.8),
    result('prism', 'get', 1_000, 20),
    result('bare', 'get', 25_000, 0.5),
    result('ours', 'post', 9_000, 1.5),
    result('prism', 'post', 1_000, 20),
    result('bare', 'post', 20_000, 0.5),
    result('ours', 'list', 5_000, 1.8),
    result('logged', 'post', 8_000, 1.6),
  ];
  const ours: TargetInfo = {
    target: 'ours',
    status: 'ok',
    startupMs: 250,
    rssIdleMb: 90,
    seed: { cases: 100_000, ms: 9000, failed: 0 },
  };

  it('divides ours by each baseline per scenario and leaves missing ones empty', () => {
    const ratios = computeRatios(results);
    expect(ratios.find((r) => r.scenario === 'get')).toMatchObject({ oursOverPrism: 20, oursOverBare: 0.8 });
    expect(ratios.find((r) => r.scenario === 'list')).toMatchObject({ oursOverPrism: null, oursOverBare: null });
  });

  it('marks each of the issue targets met, missed or not measured', () => {
    const goals = evaluateGoals({ results, ours, cases: 100_000 });
    const met = Object.fromEntries(goals.map((g) => [g.label, g.met]));
    expect(met).toEqual({
      'GET retrieve req/s vs Prism': true,
      'GET retrieve req/s vs bare': true,
      'GET retrieve p99': true,
      'POST create req/s vs Prism': false,
      'POST create req/s vs bare': false,
      'POST create p99': true,
      'POST create: default logging vs --quiet': true,
      "POST create (docs' key) req/s vs Prism": null,
      "POST create (docs' key) req/s vs bare": null,
      "POST create (docs' key) p99": null,
      'GET list over 100k cases req/s vs Prism': null,
      'GET list over 100k cases req/s vs bare': null,
      'GET list over 100k cases p99': true,
      'start to first response': true,
      'idle RSS after start': false,
    });
    expect(evaluateGoals({ results: [], cases: 100_000 }).every((g) => g.met === null)).toBe(true);
  });

  it('does not credit a run that had errors', () => {
    const noisy = [
      result('ours', 'get', 50_000, 0.1, { non2xx: 12 }),
      result('prism', 'get', 1_000),
      result('bare', 'get', 25_000),
    ];
    const goals = evaluateGoals({ results: noisy, cases: 100_000 }).filter((g) => g.label.startsWith('GET retrieve'));
    expect(goals.map((g) => g.met)).toEqual([false, false, false]);
    expect(goals[0]?.note).toMatch(/12 non-2xx/);
  });

  it('flags, without changing the verdict, a run other processes disturbed', () => {
    const busy = [result('ours', 'get', 20_000, 0.5, { otherCpu: 90 }), result('bare', 'get', 25_000)];
    const goal = evaluateGoals({ results: busy, cases: 100_000 }).find((g) => g.label === 'GET retrieve req/s vs bare');
    expect(goal).toMatchObject({ met: true, note: 'disturbed: other processes at 90 % of a core' });
  });
});

describe('soak and growth', () => {
  it('compares the last slice with the second', () => {
    expect(evaluateSoak([3000, 4000, 3900, 3700], 5)).toMatchObject({ lastOverSecond: 0.925, met: true });
    expect(evaluateSoak([3000, 4000, 3000], 5).met).toBe(false);
    expect(evaluateSoak([3000, 4000], 5).met).toBeNull();
  });

  it('judges growth on the smallest and largest rows', () => {
    const l = (p99: number) => ({ p50: p99 / 2, p90: p99, p99, max: p99, mean: p99 / 2 });
    const row = (cases: number, create: number, p99: number, rssMb: number): GrowthRow => ({
      cases,
      createReqPerSec: create,
      createCpuUsPerReq: 1e6 / create,
      list: l(p99),
      listStatus: l(p99),
      listRareStatus: l(p99),
      listDeep: l(p99),
      retrieve: l(p99),
      rssMb,
      bytesPerCase: 1000,
      problems: 0,
    });
    const goals = evaluateGrowth([row(1000, 10_000, 0.5, 80), row(1_000_000, 8_500, 1.5, 1500)]);
    expect(goals.map((g) => g.met)).toEqual([true, true, true, true, true]);
    expect(evaluateGrowth([row(1000, 10_000, 0.5, 80), row(1_000_000, 7_000, 2.5, 2500)]).map((g) => g.met)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(renderGrowth([row(1000, 10_000, 0.5, 80)])).toContain('1,000');
  });
});

describe('stores', () => {
  const row = (label: string, store: StoreRow['store'], create: number, p99: number): StoreRow => ({
    label,
    store,
    create: result('ours', 'post', create, p99, { serverCpu: 50 }),
    list: result('ours', 'list', 2 * create, p99),
    retrieve: result('ours', 'get', 3 * create, p99 / 2),
  });

  it("divides each store by this checkout's in-memory column, not by a baseline", () => {
    const rows = [
      row('memory @ abc123', 'memory', 10_000, 4),
      row('memory', 'memory', 8_000, 2),
      row('postgres', 'postgres', 2_000, 6),
      { label: 'sqlite (full)', store: 'sqlite-full' as const, skipped: 'could not start' },
    ];
    const ratios = computeStoreRatios(rows);
    expect(ratios.map((r) => r.label)).toEqual(['memory @ abc123', 'memory', 'postgres']);
    expect(ratios[1]).toEqual({ label: 'memory', createReqPerSec: 1, createCpu: 1, listP99: 1, retrieveP99: 1 });
    expect(ratios[2]).toMatchObject({ createReqPerSec: 0.25, createCpu: 4, listP99: 3, retrieveP99: 3 });
    expect(ratios[0]).toMatchObject({ createReqPerSec: 1.25, listP99: 2 });
    const text = renderStores(rows, 10_000);
    expect(text).toMatch(/\npostgres\s+2,000\s+0\.25×\s+250\s+4\.00×\s+6\.00 ms\s+3\.00×/);
    expect(text).toMatch(/\nsqlite \(full\)\s+skipped/);
    expect(text).toContain('sqlite (full) skipped: could not start');
  });

  it('leaves ratios empty without an in-memory column', () => {
    expect(computeStoreRatios([row('postgres', 'postgres', 2_000, 6)])[0]?.createReqPerSec).toBeNull();
  });
});

describe('formatting', () => {
  it('formats numbers for the table', () => {
    expect(formatMs(0.4567)).toBe('0.46 ms');
    expect(formatMs(34.44)).toBe('34.4 ms');
    expect(formatMs(NaN)).toBe('—');
    expect(formatRatio(12.345)).toBe('12.3×');
    expect(formatRatio(0.456)).toBe('0.46×');
    expect(formatRatio(null)).toBe('—');
    expect(formatPercent(0.634)).toBe('63 %');
  });

  it('aligns columns', () => {
    const t = formatTable(
      ['a', 'num'],
      [
        ['long name', '1'],
        ['b', '12,345'],
      ],
    );
    expect(t.split('\n')).toEqual(['a             num', '─────────  ──────', 'long name       1', 'b          12,345']);
  });

  it('renders every section and makes errors visible', () => {
    const text = renderReport({
      results: [
        result('bare', 'get', 25_000, 0.5, { non2xx: 3, statusCodes: { '200': 100, '404': 3 } }),
        result('prism', 'get', 1_000, 9, { otherCpu: 80 }),
      ],
      failures: [],
      targets: [
        { target: 'ours', status: 'skipped', reason: 'exited (code 1) before answering' },
        { target: 'prism', status: 'ok', startupMs: 2000, rssIdleMb: 150, rssAfterMb: 160 },
        { target: 'bare', status: 'ok', startupMs: 90, rssIdleMb: 45, rssAfterMb: 60 },
      ],
      options: {
        duration: 10,
        connections: 10,
        cases: 100_000,
        scenarios: ['get'],
        only: ['ours', 'prism', 'bare'],
        rounds: 5,
      },
    });
    expect(text).toContain('GET retrieve  ours    skipped');
    expect(text).toMatch(/⚠ bare GET retrieve: 3 non-2xx \(404×3\)/);
    expect(text).toMatch(/other processes used > 25 % of a core during prism get/);
    expect(text).toContain('skipped: exited (code 1) before answering');
    expect(text).toContain('Targets from the issue');
  });
});

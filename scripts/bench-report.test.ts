import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OPTIONS,
  computeRatios,
  cpuUsPerResponse,
  renderCpuTable,
  renderMemory,
  type MemoryReport,
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
      only: ['ours', 'logged', 'prism', 'scalar', 'bare'],
      scenarios: ['get', 'post', 'post-docs', 'list', 'upload'],
      soak: 0,
      growth: [],
      memory: [],
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

  it('takes scalar as a target and upload as a scenario', () => {
    expect(parseArgs(['--only', 'scalar,ours', '--scenario', 'upload,get'])).toMatchObject({
      only: ['ours', 'scalar'],
      scenarios: ['get', 'upload'],
    });
  });

  it('reads --memory counts, alone or beside --growth, not with --soak or --stores', () => {
    expect(parseArgs(['--memory', '100k']).memory).toEqual([100_000]);
    expect(parseArgs(['--memory=200,1k,200']).memory).toEqual([200, 1000]);
    expect(parseArgs(['--growth', '1k', '--memory', '500'])).toMatchObject({ growth: [1000], memory: [500] });
    expect(() => parseArgs(['--memory', 'lots'])).toThrow(/--memory/);
    expect(() => parseArgs(['--memory', '100k', '--soak', '60'])).toThrow(/--memory: not with --soak/);
    expect(() => parseArgs(['--memory', '100k', '--stores', 'memory'])).toThrow(/--memory: not with/);
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
  /** A result whose server spent `us` µs of CPU per response. */
  const at = (
    target: ScenarioResult['target'],
    scenario: ScenarioResult['scenario'],
    reqPerSec: number,
    us: number,
    p99 = 0.5,
    extra: Partial<ScenarioResult> = {},
  ): ScenarioResult => result(target, scenario, reqPerSec, p99, { serverCpu: (us * reqPerSec) / 1e4, ...extra });
  const results = [
    at('ours', 'get', 30_000, 20, 0.8),
    at('logged', 'get', 29_000, 20.5, 0.9),
    at('prism', 'get', 1_500, 600, 20),
    at('scalar', 'get', 2_000, 450, 15),
    at('bare', 'get', 60_000, 14, 0.4),
    at('ours', 'post', 18_000, 50, 3),
    at('logged', 'post', 15_000, 60, 3.5),
    at('prism', 'post', 2_500, 500, 20),
    at('bare', 'post', 55_000, 17, 0.5),
    at('ours', 'list', 25_000, 36, 1.6),
    at('bare', 'list', 28_000, 34, 0.9),
    at('ours', 'upload', 9_000, 100, 2),
    at('prism', 'upload', 500, 1500, 30),
  ];
  const ours: TargetInfo = {
    target: 'ours',
    status: 'ok',
    startupMs: 250,
    rssIdleMb: 90,
    seed: { cases: 100_000, ms: 9000, failed: 0 },
  };

  it('reads server CPU per response from the CPU share and the rate', () => {
    expect(cpuUsPerResponse(at('ours', 'get', 30_000, 20))).toBeCloseTo(20, 6);
    expect(cpuUsPerResponse(result('ours', 'get', 1000, 1, { serverCpu: null }))).toBeNull();
    expect(cpuUsPerResponse(undefined)).toBeNull();
  });

  it('divides ours by each peer per scenario, by req/s and by CPU per response, and leaves missing ones empty', () => {
    const ratios = computeRatios(results);
    const get = ratios.find((r) => r.scenario === 'get')!;
    expect(get).toMatchObject({ oursOverPrism: 20, oursOverScalar: 15, oursOverBare: 0.5, p99OursOverBare: 2 });
    expect(get.cpuOursOverBare).toBeCloseTo(20 / 14, 6);
    expect(get.cpuLoggedOverOurs).toBeCloseTo(1.025, 6);
    expect(ratios.find((r) => r.scenario === 'list')).toMatchObject({
      oursOverPrism: null,
      oursOverScalar: null,
      cpuLoggedOverOurs: null,
    });
    expect(ratios.find((r) => r.scenario === 'post-docs')).toMatchObject({
      cpuOursOverBare: null,
      oursOverPrism: null,
    });
  });

  it("marks each of issue 24's targets met, missed or not measured, and skips scenarios not run", () => {
    const goals = evaluateGoals({ results, ours, cases: 100_000 });
    const met = Object.fromEntries(goals.map((g) => [g.label, g.met]));
    expect(met).toEqual({
      'GET retrieve: server CPU per request vs bare': true,
      'GET retrieve p99': true,
      'GET retrieve req/s vs Prism': true,
      'GET retrieve: default logging vs --quiet, CPU per request': true,
      'POST create: server CPU per request vs bare': false,
      'POST create req/s vs Prism': false,
      'POST create: default logging vs --quiet, CPU per request': false,
      'GET list over 100k cases: server CPU per request vs bare': true,
      'GET list over 100k cases p99': false,
      'GET list over 100k cases req/s vs Prism': null,
      'POST upload (multipart) req/s vs Prism': true,
      'start to first response (unchanged)': true,
      'idle RSS after start (unchanged)': false,
    });
    const cpu = goals.find((g) => g.label === 'POST create: server CPU per request vs bare');
    expect(cpu).toMatchObject({ target: '≤ 2×', actual: '2.94× (50 µs / 17 µs)' });
    expect(evaluateGoals({ results: [], cases: 100_000 }).every((g) => g.met === null)).toBe(true);
  });

  it('judges the CPU bounds at their edges: 1.6× for reads, 2× for creates', () => {
    const edge = evaluateGoals({
      results: [
        at('ours', 'get', 1000, 16),
        at('bare', 'get', 1000, 10),
        at('ours', 'post', 1000, 21),
        at('bare', 'post', 1000, 10),
      ],
      cases: 100_000,
    });
    expect(edge.find((g) => g.label === 'GET retrieve: server CPU per request vs bare')?.met).toBe(true);
    expect(edge.find((g) => g.label === 'POST create: server CPU per request vs bare')?.met).toBe(false);
  });

  it('does not credit a run that had errors, ours or the baseline it is divided by', () => {
    const noisy = [
      at('ours', 'get', 50_000, 10, 0.1, { non2xx: 12 }),
      at('prism', 'get', 1_000, 500),
      at('bare', 'get', 25_000, 14),
    ];
    const goals = evaluateGoals({ results: noisy, cases: 100_000 }).filter((g) => g.label.startsWith('GET retrieve'));
    expect(goals.map((g) => g.met)).toEqual([false, false, false]);
    expect(goals[0]?.note).toMatch(/12 non-2xx/);
    const badBare = evaluateGoals({
      results: [at('ours', 'get', 50_000, 10), at('bare', 'get', 25_000, 14, 0.5, { errors: 3 })],
      cases: 100_000,
    }).find((g) => g.label === 'GET retrieve: server CPU per request vs bare');
    expect(badBare).toMatchObject({
      met: false,
      note: expect.stringMatching(/bare get run had 0 non-2xx \/ 3 errors/),
    });
  });

  it('flags, without changing the verdict, a run other processes disturbed', () => {
    const busy = [at('ours', 'get', 20_000, 20, 0.5, { otherCpu: 90 }), at('bare', 'get', 25_000, 14)];
    const goal = evaluateGoals({ results: busy, cases: 100_000 }).find(
      (g) => g.label === 'GET retrieve: server CPU per request vs bare',
    );
    expect(goal).toMatchObject({ met: true, note: 'disturbed: other processes at 90 % of a core' });
  });

  it('prints the CPU table: µs per response per target, skipped peers named, and the four ratios', () => {
    const text = renderCpuTable({
      results,
      targets: [{ target: 'scalar', status: 'skipped', reason: 'could not install scripts/bench-peers (offline)' }],
      options: { only: ['ours', 'logged', 'prism', 'scalar', 'bare'], scenarios: ['get', 'list'] },
    });
    const lines = text.split('\n');
    expect(lines[1]).toMatch(
      /^scenario\s+ours\s+logged\s+prism\s+scalar\s+bare\s+ours\/bare cpu\s+logged\/ours cpu\s+ours\/prism req\/s\s+ours\/scalar req\/s$/,
    );
    expect(text).toMatch(
      /\nGET retrieve\s+20 µs\s+21 µs\s+600 µs\s+450 µs\s+14 µs\s+1\.43×\s+1\.02×\s+20\.0×\s+15\.0×\n/,
    );
    expect(text).toMatch(/\nGET list\s+36 µs\s+—\s+—\s+skipped\s+34 µs\s+1\.06×\s+—\s+—\s+—\n/);
    expect(text).toContain('scalar skipped: could not install scripts/bench-peers (offline)');
    expect(text).not.toContain('POST create');
  });
});

describe('memory', () => {
  const report = (cases: number, extra: Partial<MemoryReport> = {}): MemoryReport => ({
    node: 'v20.20.2',
    cases,
    method: 'heap after GC',
    heapMb: { baseline: 15, withCases: 170, afterReset: 15.2, withCasesAndDeliveries: 312 },
    rssMb: { withCases: 300, withCasesAndDeliveries: 500 },
    fill: { casesMs: 9000, hookedMs: 12_000, drainMs: 30_000, failed: 0 },
    perCase: { events: 2, timelineEntries: 1, scheduledTasks: 2, deliveries: 2 },
    counts: {
      plain: { cases, events: 2 * cases, timelineEntries: cases, scheduledTasks: 2 * cases, deliveries: 0 },
      hooked: { cases, events: 2 * cases, timelineEntries: cases, scheduledTasks: 2 * cases, deliveries: 2 * cases },
      received: 2 * cases,
      deliveryStatuses: { succeeded: 2 * cases },
    },
    bytesPerCase: 1627.4,
    bytesPerCaseWithDeliveries: 3114,
    bytesPerDelivery: 743.6,
    externalBytesPerCase: 0,
    externalBytesPerCaseWithDeliveries: 0,
    ...extra,
  });

  it('prints bytes per case, what a case holds, and bytes per delivery-log entry', () => {
    const text = renderMemory([report(100_000)]);
    expect(text).toMatch(/\n100,000\s+1,627\s+2\s+1\s+2\s+3,114\s+2\s+744\s+170\.0 MB\s+312\.0 MB\n/);
    expect(text).not.toContain('⚠');
  });

  it('warns when creates failed or deliveries went missing', () => {
    const short = report(1000, { fill: { casesMs: 1, hookedMs: 1, drainMs: 1, failed: 3 } });
    expect(renderMemory([short])).toContain('⚠ at 1,000: 3 creates failed, 2,000 of 2,000 deliveries received');
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

// Pure parts of the benchmark (scripts/bench.ts): argument parsing, latency
// percentiles, ratios, goal evaluation and table formatting. No I/O here, so
// scripts/bench-report.test.ts can exercise all of it.

/** `logged` is ours with its default configuration (info logging, one line per request). */
export const TARGETS = ['ours', 'logged', 'prism', 'bare'] as const;
export type Target = (typeof TARGETS)[number];

/** `post` creates on a fresh key's account, `post-docs` on the docs' key (seeded with the quickstart scenario). */
export const SCENARIOS = ['get', 'post', 'post-docs', 'list'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const SCENARIO_LABELS: Record<Scenario, string> = {
  get: 'GET retrieve',
  post: 'POST create',
  'post-docs': "POST create (docs' key)",
  list: 'GET list',
};

/**
 * Where ours keeps its sandbox in `--stores` mode: in memory (the default), SQLite (`--data-dir`) with
 * `--durability full` or `normal`, PostgreSQL (`--database-url`, a fresh database per run).
 */
export const STORES = ['memory', 'sqlite-full', 'sqlite-normal', 'postgres'] as const;
export type StoreName = (typeof STORES)[number];

export const STORE_LABELS: Record<StoreName, string> = {
  memory: 'memory',
  'sqlite-full': 'sqlite (full)',
  'sqlite-normal': 'sqlite (normal)',
  postgres: 'postgres',
};

/** The scenarios of the store table, in the order they run (list sees the seeded cases, create runs last). */
export const STORE_SCENARIOS: readonly Scenario[] = ['get', 'list', 'post'];

/** Targets that run our mock (and hold the cases the list scenario needs). */
export const isOurs = (target: Target): boolean => target === 'ours' || target === 'logged';

export interface BenchOptions {
  /** Measured seconds per target × scenario. */
  duration: number;
  /** The measured seconds are split into this many slices, alternating between the targets. */
  rounds: number;
  /** Pin the server under test and the load generator to different cores (taskset). */
  pin: boolean;
  /** Unmeasured seconds run before each measurement (JIT, connection set-up). */
  warmup: number;
  connections: number;
  /** Cases ours holds before the list scenario. */
  cases: number;
  only: Target[];
  scenarios: Scenario[];
  /** Where the JSON report goes (relative to the repository root). */
  json: string;
  /** Starts of ours (cli and npm start) timed to the first answer; 0 skips. */
  startupRuns: number;
  /** Only the start-up measurement, no load. */
  startupOnly: boolean;
  /** Seconds of POST create on ours in 5 s slices instead of the comparison (0 = off). */
  soak: number;
  /** Case counts for the growth table instead of the comparison (empty = off). */
  growth: number[];
  /** Instead of the comparison: ours on each of these stores side by side (empty = off); with --growth, the growth table per store. */
  stores: StoreName[];
  /** A PostgreSQL server where the bench may create databases (else CASAPAY_BENCH_POSTGRES_URL; none: the postgres column is skipped). */
  databaseUrl?: string;
  /** Other checkouts whose built dist/mocks/cli.js each run as one more in-memory column (before/after in one run). */
  baselines: string[];
  help: boolean;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  duration: 10,
  rounds: 5,
  pin: true,
  warmup: 1,
  connections: 10,
  cases: 100_000,
  only: [...TARGETS],
  scenarios: [...SCENARIOS],
  json: 'reports/bench.json',
  startupRuns: 5,
  startupOnly: false,
  soak: 0,
  growth: [],
  stores: [],
  baselines: [],
  help: false,
};

export const USAGE = `Usage: npx tsx scripts/bench.ts [options]   (npm run bench -- [options])

Measures the mock (ours, and logged) against Prism and a bare node:http server,
each started as a child process on 127.0.0.1, with autocannon in this process.

Options:
  --duration <s>        measured seconds per target and scenario (default 10; "10s" accepted)
  --warmup <s>          unmeasured warm-up seconds per target and scenario (default 1, 0 to skip)
  --rounds <n>          split each measurement into n slices that alternate between the
                        targets, so drift on the machine hits all of them alike (default 5)
  --no-pin              do not pin server and load generator to different cores
  --connections <n>     concurrent connections (default 10)
  --only <list>         targets, comma-separated: ours,logged,prism,bare (default all;
                        ours = --quiet, logged = default info logging, stdout to /dev/null)
  --scenario <list>     scenarios, comma-separated: get,post,post-docs,list (default all;
                        post = a fresh key's account, post-docs = the docs' key account)
  --cases <n>           cases created in ours before the list scenario (default 100000)
  --soak <s>            instead: POST create on the docs' key for s seconds, req/s and
                        server cpu per create per 5 s slice
  --growth <list>       instead: the growth table at these case counts, e.g. 1k,10k,100k,1m
                        (create req/s, list and retrieve latency, RSS, bytes per case; each
                        measurement lasts --duration / 2 seconds)
  --stores <list>       instead: ours on each store side by side, comma-separated:
                        memory,sqlite-full,sqlite-normal,postgres (sqlite = both durability
                        modes, all = every store); create req/s, list and retrieve p99 with
                        ratios to memory, over --cases cases; with --growth, the growth table
                        per store (reports/bench-stores.json, reports/bench-growth.json)
  --database-url <url>  PostgreSQL server for the postgres store, where the bench may create
                        databases (one fresh database per run, dropped after); default
                        $CASAPAY_BENCH_POSTGRES_URL; with neither the postgres column is skipped
  --baseline <dir>      with --stores: one more in-memory column running <dir>/dist/mocks/cli.js
                        (another checkout, built), e.g. the commit before a change; may be
                        repeated (--baseline . adds this build again: the noise floor)
  --json <file>         JSON report path (default reports/bench.json)
  --startup-runs <n>    start ours n times each as \`node dist/mocks/cli.js\` and as \`npm start\`,
                        timed to the first 200 (default 5; 0 to skip)
  --startup-only        only that start-up measurement, no load
  -h, --help            this text
`;

function parseSeconds(flag: string, raw: string, min: number): number {
  const m = /^(\d+(?:\.\d+)?)(s|ms)?$/.exec(raw.trim());
  if (!m) throw new Error(`${flag}: expected seconds like 10 or 10s, got "${raw}"`);
  const value = m[2] === 'ms' ? Number(m[1]) / 1000 : Number(m[1]);
  if (value < min) throw new Error(`${flag}: must be at least ${min}, got "${raw}"`);
  return value;
}

function parseInteger(flag: string, raw: string, min: number): number {
  if (!/^\d+$/.test(raw.trim().replace(/_/g, ''))) throw new Error(`${flag}: expected a whole number, got "${raw}"`);
  const value = Number(raw.trim().replace(/_/g, ''));
  if (value < min) throw new Error(`${flag}: must be at least ${min}, got "${raw}"`);
  return value;
}

function parseList<T extends string>(flag: string, raw: string, allowed: readonly T[]): T[] {
  const items = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (items.length === 0) throw new Error(`${flag}: expected a comma-separated list of ${allowed.join(', ')}`);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new Error(`${flag}: unknown value "${item}" (choose from ${allowed.join(', ')})`);
    }
  }
  // Keep the canonical order and drop duplicates.
  return allowed.filter((a) => items.includes(a));
}

const VALUE_FLAGS = [
  '--duration',
  '--rounds',
  '--warmup',
  '--connections',
  '--cases',
  '--only',
  '--targets',
  '--scenario',
  '--scenarios',
  '--json',
  '--startup-runs',
  '--soak',
  '--growth',
  '--stores',
  '--database-url',
  '--baseline',
];

/** "1k" → 1000, "1m" → 1000000, "250000" → 250000. */
export function parseCount(flag: string, raw: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(raw.trim().replace(/_/g, ''));
  if (!m) throw new Error(`${flag}: expected a count like 1k, 100k or 1m, got "${raw}"`);
  const n = Math.round(Number(m[1]) * (m[2]!.toLowerCase() === 'k' ? 1e3 : m[2]!.toLowerCase() === 'm' ? 1e6 : 1));
  if (n < 1) throw new Error(`${flag}: must be at least 1, got "${raw}"`);
  return n;
}

/** Parses the command line (without `node script`). Throws an Error with a readable message. */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const opts: BenchOptions = {
    ...DEFAULT_OPTIONS,
    only: [...DEFAULT_OPTIONS.only],
    scenarios: [...DEFAULT_OPTIONS.scenarios],
    stores: [],
    baselines: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h' || arg === '--help') {
      opts.help = true;
      continue;
    }
    if (arg === '--no-pin' || arg === '--pin') {
      opts.pin = arg === '--pin';
      continue;
    }
    if (arg === '--startup-only') {
      opts.startupOnly = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (!VALUE_FLAGS.includes(flag)) throw new Error(`unknown option "${flag}"`);
    let value: string;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag}: missing value`);
      value = next;
      i++;
    }
    switch (flag) {
      case '--duration':
        opts.duration = parseSeconds(flag, value, 1);
        break;
      case '--rounds':
        opts.rounds = parseInteger(flag, value, 1);
        break;
      case '--warmup':
        opts.warmup = parseSeconds(flag, value, 0);
        break;
      case '--connections':
        opts.connections = parseInteger(flag, value, 1);
        break;
      case '--cases':
        opts.cases = parseInteger(flag, value, 1);
        break;
      case '--only':
      case '--targets':
        opts.only = parseList(flag, value, TARGETS);
        break;
      case '--scenario':
      case '--scenarios':
        opts.scenarios = parseList(flag, value, SCENARIOS);
        break;
      case '--json':
        if (value.trim() === '') throw new Error(`${flag}: missing value`);
        opts.json = value;
        break;
      case '--startup-runs':
        opts.startupRuns = parseInteger(flag, value, 0);
        break;
      case '--soak':
        opts.soak = parseSeconds(flag, value, 10);
        break;
      case '--growth':
        opts.growth = [
          ...new Set(
            value
              .split(',')
              .filter((v) => v.trim() !== '')
              .map((v) => parseCount(flag, v)),
          ),
        ].sort((a, b) => a - b);
        if (opts.growth.length === 0) throw new Error(`${flag}: expected a list like 1k,10k,100k,1m`);
        break;
      case '--stores': {
        const expanded = value
          .split(',')
          .flatMap((v) => {
            const name = v.trim().toLowerCase();
            return name === 'all' ? [...STORES] : name === 'sqlite' ? ['sqlite-full', 'sqlite-normal'] : [name];
          })
          .join(',');
        opts.stores = parseList(flag, expanded, STORES);
        break;
      }
      case '--database-url':
        if (!/^postgres(ql)?:\/\//.test(value.trim()))
          throw new Error(`${flag}: expected postgres://…, got "${value}"`);
        opts.databaseUrl = value.trim();
        break;
      case '--baseline':
        if (value.trim() === '') throw new Error(`${flag}: missing value`);
        opts.baselines.push(value);
        break;
      default:
        throw new Error(`unknown option "${flag}"`);
    }
  }
  if (opts.baselines.length > 0 && opts.stores.length === 0) throw new Error('--baseline: only with --stores');
  if (opts.stores.length > 0 && opts.soak) throw new Error('--stores: not with --soak');
  return opts;
}

// ---------------------------------------------------------------------------
// CPUs

/** Parses a Linux CPU list such as "0-3,6,8-9" (Cpus_allowed_list in /proc/<pid>/status). */
export function parseCpuList(list: string): number[] {
  const cpus = new Set<number>();
  for (const part of list.trim().split(',')) {
    if (part.trim() === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`not a CPU list: "${list}"`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let c = from; c <= to; c++) cpus.add(c);
  }
  return [...cpus].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------
// Latencies

/** Nearest-rank percentile (p in 0..100) of an ascending array. NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (p <= 0) return sorted[0] as number;
  if (p >= 100) return sorted[n - 1] as number;
  const rank = Math.ceil((p / 100) * n);
  return sorted[Math.min(n, Math.max(1, rank)) - 1] as number;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Summarises latencies (in whatever unit they are given); `values` is left untouched. */
export function summarizeLatencies(values: Float64Array): LatencySummary {
  const sorted = values.slice().sort();
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i] as number;
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : NaN,
    mean: sorted.length ? sum / sorted.length : NaN,
  };
}

// ---------------------------------------------------------------------------
// Results, ratios, goals

export interface ScenarioResult {
  target: Target;
  /** With --stores: the column (store label) this result belongs to. */
  column?: string;
  scenario: Scenario;
  /** Completed responses (any status) per second of the measured run. */
  reqPerSec: number;
  responses: number;
  /** ms, measured per response by autocannon with process.hrtime (not its whole-ms histogram). */
  latency: LatencySummary;
  non2xx: number;
  /** Socket errors + timeouts. */
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Server process CPU over the run, % of one core (null when /proc is unavailable). */
  serverCpu: number | null;
  /** Load-generator (this process) CPU over the run, % of one core. */
  loadGenCpu: number;
  /** Everything else on the machine (other processes, steal) over the run, % of one core; null when unknown. */
  otherCpu: number | null;
  durationSec: number;
}

export interface ScenarioFailure {
  target: Target;
  scenario: Scenario;
  reason: string;
}

export interface TargetInfo {
  target: Target;
  status: 'ok' | 'skipped';
  reason?: string;
  pid?: number;
  port?: number;
  /** spawn → first 200 on a GET, ms. */
  startupMs?: number;
  /** VmRSS shortly after the first response, MiB. */
  rssIdleMb?: number | null;
  /** VmRSS after all runs, MiB. */
  rssAfterMb?: number | null;
  /** Cases created through the API before the list scenario (ours only). */
  seed?: { cases: number; ms: number; failed: number };
}

export interface Ratio {
  scenario: Scenario;
  oursOverPrism: number | null;
  oursOverBare: number | null;
  p99OursOverBare: number | null;
  /** Default logging (logged) over --quiet (ours). */
  loggedOverOurs: number | null;
}

function find(results: readonly ScenarioResult[], target: Target, scenario: Scenario): ScenarioResult | undefined {
  return results.find((r) => r.target === target && r.scenario === scenario);
}

function divide(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return a / b;
}

export function computeRatios(results: readonly ScenarioResult[], scenarios: readonly Scenario[] = SCENARIOS): Ratio[] {
  return scenarios.map((scenario) => {
    const ours = find(results, 'ours', scenario);
    const prism = find(results, 'prism', scenario);
    const bare = find(results, 'bare', scenario);
    return {
      scenario,
      oursOverPrism: divide(ours?.reqPerSec, prism?.reqPerSec),
      oursOverBare: divide(ours?.reqPerSec, bare?.reqPerSec),
      p99OursOverBare: divide(ours?.latency.p99, bare?.latency.p99),
      loggedOverOurs: divide(find(results, 'logged', scenario)?.reqPerSec, ours?.reqPerSec),
    };
  });
}

export interface Goal {
  label: string;
  target: string;
  actual: string;
  /** null: not measured in this run. */
  met: boolean | null;
  note?: string;
}

export interface GoalInput {
  results: readonly ScenarioResult[];
  ours?: TargetInfo | undefined;
  /** Cases requested for the list scenario (the goal is stated for 100,000). */
  cases: number;
}

const clean = (r: ScenarioResult | undefined): boolean => r !== undefined && r.errors === 0 && r.non2xx === 0;

/** The issue's targets, reported beside the measurements (never asserted). */
export function evaluateGoals({ results, ours, cases }: GoalInput): Goal[] {
  const goals: Goal[] = [];
  const ratios = computeRatios(results);
  // A run with errors is not credited; a disturbed one is flagged but judged as measured.
  const dirty = (r: ScenarioResult | undefined): string | undefined =>
    r !== undefined && !clean(r) ? `ours ${r.scenario} run had ${r.non2xx} non-2xx / ${r.errors} errors` : undefined;
  const disturbed = (...rs: (ScenarioResult | undefined)[]): string | undefined => {
    const worst = Math.max(...rs.map((r) => r?.otherCpu ?? 0));
    return worst > OTHER_CPU_WARNING ? `disturbed: other processes at ${worst.toFixed(0)} % of a core` : undefined;
  };
  const notes = (...n: (string | undefined)[]): { note?: string } => {
    const text = n.filter((x): x is string => x !== undefined).join('; ');
    return text ? { note: text } : {};
  };

  for (const scenario of ['get', 'post', 'post-docs', 'list'] as const) {
    const ratio = ratios.find((r) => r.scenario === scenario);
    const o = find(results, 'ours', scenario);
    const prism = find(results, 'prism', scenario);
    const bare = find(results, 'bare', scenario);
    const error =
      dirty(o) ??
      (scenario === 'list' && o && cases !== 100_000
        ? `list measured over ${formatInt(cases)} requested cases, not 100,000`
        : undefined) ??
      (scenario === 'list' && o && ours?.seed && ours.seed.failed > 0
        ? `${formatInt(ours.seed.failed)} seeding creates failed`
        : undefined);
    const label = scenario === 'list' ? 'GET list over 100k cases' : SCENARIO_LABELS[scenario];
    const vsPrism = ratio?.oursOverPrism ?? null;
    goals.push({
      label: `${label} req/s vs Prism`,
      target: '≥ 10×',
      actual: vsPrism === null ? '—' : `${formatRatio(vsPrism)}`,
      met: vsPrism === null ? null : vsPrism >= 10 && error === undefined,
      ...notes(error, vsPrism === null ? undefined : disturbed(o, prism)),
    });
    const vsBare = ratio?.oursOverBare ?? null;
    goals.push({
      label: `${label} req/s vs bare`,
      target: '≥ 60 %',
      actual: vsBare === null ? '—' : formatPercent(vsBare),
      met: vsBare === null ? null : vsBare >= 0.6 && error === undefined,
      ...notes(error, vsBare === null ? undefined : disturbed(o, bare)),
    });
    // The issue's latency bounds at 10 connections: reads 1 ms, creates 2 ms, the list over 100k cases 2 ms.
    const bound = scenario === 'get' ? 1 : 2;
    goals.push({
      label: `${label} p99`,
      target: `≤ ${bound} ms`,
      actual: o ? formatMs(o.latency.p99) : '—',
      met: o ? o.latency.p99 <= bound && error === undefined : null,
      ...notes(error, disturbed(o)),
    });
    const logged = ratio?.loggedOverOurs ?? null;
    if (logged !== null) {
      const l = find(results, 'logged', scenario);
      goals.push({
        label: `${label}: default logging vs --quiet`,
        target: '≥ 85 %',
        actual: formatPercent(logged),
        met: logged >= 0.85 && error === undefined && clean(l),
        ...notes(error, disturbed(o, l)),
      });
    }
  }

  const startup = ours?.status === 'ok' ? ours.startupMs : undefined;
  goals.push({
    label: 'start to first response',
    target: '≤ 300 ms',
    actual: startup === undefined ? '—' : `${startup.toFixed(0)} ms`,
    met: startup === undefined ? null : startup <= 300,
  });
  const rss = ours?.status === 'ok' ? ours.rssIdleMb : undefined;
  goals.push({
    label: 'idle RSS after start',
    target: '≤ 80 MB',
    actual: rss === undefined || rss === null ? '—' : formatMb(rss),
    met: rss === undefined || rss === null ? null : rss <= 80,
  });
  return goals;
}

// ---------------------------------------------------------------------------
// Formatting

export function formatInt(n: number): string {
  if (!Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString('en-US');
}

/** Milliseconds with a resolution that suits the magnitude. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(0)} ms`;
}

export function formatRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '—';
  if (r >= 100) return `${r.toFixed(0)}×`;
  if (r >= 10) return `${r.toFixed(1)}×`;
  return `${r.toFixed(2)}×`;
}

export function formatPercent(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '—';
  return `${(r * 100).toFixed(0)} %`;
}

export function formatMb(mb: number | null | undefined): string {
  if (mb === null || mb === undefined || !Number.isFinite(mb)) return '—';
  return `${mb.toFixed(1)} MB`;
}

export type Align = 'left' | 'right';

/** A plain-text table; the first column is left-aligned and the rest right-aligned unless `align` says otherwise. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly Align[],
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const alignOf = (i: number): Align => align?.[i] ?? (i === 0 ? 'left' : 'right');
  const line = (cells: readonly string[]): string =>
    widths
      .map((w, i) => {
        const c = cells[i] ?? '';
        return alignOf(i) === 'left' ? c.padEnd(w) : c.padStart(w);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** "other" CPU (% of one core) above which a run is flagged as disturbed. */
export const OTHER_CPU_WARNING = 25;

export function formatCpu(pct: number | null): string {
  return pct === null || !Number.isFinite(pct) ? '—' : `${pct.toFixed(0)} %`;
}

const mark = (met: boolean | null): string => (met === null ? '–' : met ? '✓' : '✗');

export interface ReportInput {
  results: readonly ScenarioResult[];
  failures: readonly ScenarioFailure[];
  targets: readonly TargetInfo[];
  options: Pick<BenchOptions, 'duration' | 'connections' | 'cases' | 'scenarios' | 'only' | 'rounds'>;
  /** How server and load generator were placed, e.g. "server on cpu 0, load generator on cpu 1". */
  placement?: string;
}

/** The text printed at the end of a run. */
export function renderReport(input: ReportInput): string {
  const { results, failures, targets, options } = input;
  const out: string[] = [];
  const order = (t: Target): number => TARGETS.indexOf(t);

  const slices = options.rounds > 1 ? ` in ${options.rounds} alternating slices` : '';
  out.push(
    `Results (${options.connections} connections, ${options.duration} s per target and scenario${slices}` +
      `${input.placement ? `; ${input.placement}` : ''}; latency per response; cpu = % of one core; µs/req = server cpu per response)`,
  );
  const rows: string[][] = [];
  for (const scenario of SCENARIOS) {
    if (!options.scenarios.includes(scenario)) continue;
    for (const target of [...options.only].sort((a, b) => order(a) - order(b))) {
      const r = find(results, target, scenario);
      if (r) {
        rows.push([
          SCENARIO_LABELS[scenario],
          target,
          formatInt(r.reqPerSec),
          formatMs(r.latency.p50),
          formatMs(r.latency.p99),
          formatMs(r.latency.max),
          formatInt(r.non2xx),
          formatInt(r.errors),
          formatCpu(r.serverCpu),
          r.serverCpu === null || !r.reqPerSec ? '—' : (((r.serverCpu / 100) * 1e6) / r.reqPerSec).toFixed(0),
          formatCpu(r.loadGenCpu),
          formatCpu(r.otherCpu),
        ]);
      } else {
        const failure = failures.find((f) => f.target === target && f.scenario === scenario);
        const skipped = targets.find((t) => t.target === target && t.status === 'skipped');
        rows.push([SCENARIO_LABELS[scenario], target, failure ? 'failed' : skipped ? 'skipped' : '—']);
      }
    }
  }
  out.push(
    formatTable(
      [
        'scenario',
        'target',
        'req/s',
        'p50',
        'p99',
        'max',
        'non-2xx',
        'errors',
        'cpu server',
        'µs/req',
        'loadgen',
        'other',
      ],
      rows,
      ['left', 'left'],
    ),
  );

  const noisy = results.filter((r) => r.non2xx > 0 || r.errors > 0);
  for (const r of noisy) {
    const codes = Object.entries(r.statusCodes)
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, n]) => `${code}×${n}`)
      .join(', ');
    out.push(
      `⚠ ${r.target} ${SCENARIO_LABELS[r.scenario]}: ${formatInt(r.non2xx)} non-2xx${codes ? ` (${codes})` : ''}, ${formatInt(r.errors)} errors (${formatInt(r.timeouts)} timeouts) of ${formatInt(r.responses)} responses`,
    );
  }
  for (const f of failures) out.push(`⚠ ${f.target} ${SCENARIO_LABELS[f.scenario]} not measured: ${f.reason}`);
  const disturbed = results.filter((r) => r.otherCpu !== null && r.otherCpu > OTHER_CPU_WARNING);
  if (disturbed.length > 0) {
    out.push(
      `⚠ other processes used > ${OTHER_CPU_WARNING} % of a core during ${disturbed.map((r) => `${r.target} ${r.scenario}`).join(', ')}: ` +
        'those numbers are disturbed; re-run on a quiet machine',
    );
  }

  out.push('');
  out.push(
    'Ratios (req/s of ours divided by the baseline; p99 of ours divided by bare; logged = default info logging over --quiet)',
  );
  const ratios = computeRatios(results, options.scenarios);
  out.push(
    formatTable(
      ['scenario', 'ours/prism', 'ours/bare', 'p99 ours/bare', 'logged/ours'],
      ratios.map((r) => [
        SCENARIO_LABELS[r.scenario],
        formatRatio(r.oursOverPrism),
        formatPercent(r.oursOverBare),
        formatRatio(r.p99OursOverBare),
        formatPercent(r.loggedOverOurs),
      ]),
    ),
  );

  out.push('');
  out.push('Start-up and memory (spawn → first 200 on GET, polled every 5 ms; VmRSS)');
  out.push(
    formatTable(
      ['target', 'start → first 200', 'idle RSS', 'RSS after runs', 'note'],
      [...targets]
        .sort((a, b) => order(a.target) - order(b.target))
        .map((t) =>
          t.status === 'skipped'
            ? [t.target, '—', '—', '—', `skipped: ${firstLine(t.reason ?? '')}`]
            : [
                t.target,
                t.startupMs === undefined ? '—' : `${t.startupMs.toFixed(0)} ms`,
                formatMb(t.rssIdleMb),
                formatMb(t.rssAfterMb),
                t.seed
                  ? `created ${formatInt(t.seed.cases)} cases in ${(t.seed.ms / 1000).toFixed(1)} s` +
                    (t.seed.failed ? ` (${formatInt(t.seed.failed)} failed)` : '')
                  : '',
              ],
        ),
      ['left', 'right', 'right', 'right', 'left'],
    ),
  );

  out.push('');
  out.push('Targets from the issue (reported, not asserted)');
  const ours = targets.find((t) => t.target === 'ours');
  const goals = evaluateGoals({ results, ours, cases: options.cases });
  out.push(
    formatTable(
      ['', 'goal', 'target', 'measured', 'note'],
      goals.map((g) => [mark(g.met), g.label, g.target, g.actual, g.note ?? '']),
      ['left', 'left', 'left', 'right', 'left'],
    ),
  );
  return out.join('\n');
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 97)}…` : line;
}

// ---------------------------------------------------------------------------
// Soak: POST create for a long run, req/s per slice

export interface SoakReport {
  sliceSec: number;
  /** Responses per second in each full slice. */
  slices: number[];
  /** Last full slice over the second (the first includes warm-up). */
  lastOverSecond: number | null;
  met: boolean | null;
}

/** The issue's soak target: the last slice at least 90 % of the second. */
export function evaluateSoak(slices: readonly number[], sliceSec: number): SoakReport {
  const second = slices[1];
  const last = slices[slices.length - 1];
  const ratio = slices.length >= 3 && second ? (last as number) / second : null;
  return { sliceSec, slices: [...slices], lastOverSecond: ratio, met: ratio === null ? null : ratio >= 0.9 };
}

export function renderSoak(report: SoakReport, label: string): string {
  const rows = report.slices.map((r, i) => [`${i * report.sliceSec}–${(i + 1) * report.sliceSec} s`, formatInt(r)]);
  return [
    `Soak: ${label}, req/s per ${report.sliceSec} s slice`,
    formatTable(['slice', 'req/s'], rows),
    `${mark(report.met)} last slice / second slice: ${formatPercent(report.lastOverSecond)} (target ≥ 90 %)`,
  ].join('\n');
}

// ---------------------------------------------------------------------------
// Growth: cost at 1k … 1M stored cases in one account

export interface GrowthRow {
  cases: number;
  createReqPerSec: number;
  /** Server CPU per create, µs (less sensitive than req/s to other processes on the machine). */
  createCpuUsPerReq: number | null;
  list: LatencySummary;
  listStatus: LatencySummary;
  listRareStatus: LatencySummary;
  listDeep: LatencySummary;
  retrieve: LatencySummary;
  rssMb: number | null;
  /** (RSS now − RSS with an empty account) / cases. */
  bytesPerCase: number | null;
  /** Non-2xx responses or errors in any of this row's runs. */
  problems: number;
}

export function renderGrowth(rows: readonly GrowthRow[]): string {
  const pair = (l: LatencySummary) => `${formatMs(l.p50)} / ${formatMs(l.p99)}`;
  return [
    'Growth (one account; list = GET ?limit=10, p50 / p99; status = ?status=active (every case), rare = ?status=closed (none), deep = starting_after the middle case)',
    formatTable(
      [
        'cases',
        'create req/s',
        'cpu µs/create',
        'list',
        'list status',
        'list rare',
        'list deep',
        'retrieve p99',
        'RSS',
        'bytes/case',
        'problems',
      ],
      rows.map((r) => [
        formatInt(r.cases),
        formatInt(r.createReqPerSec),
        r.createCpuUsPerReq === null ? '—' : r.createCpuUsPerReq.toFixed(0),
        pair(r.list),
        pair(r.listStatus),
        pair(r.listRareStatus),
        pair(r.listDeep),
        formatMs(r.retrieve.p99),
        formatMb(r.rssMb),
        r.bytesPerCase === null ? '—' : formatInt(r.bytesPerCase),
        formatInt(r.problems),
      ]),
    ),
  ].join('\n');
}

/** The issue's growth targets, judged on the smallest and the largest row (1k and 1M when run as documented). */
export function evaluateGrowth(rows: readonly GrowthRow[]): Goal[] {
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (!first || !last || rows.length < 2) return [];
  const at = `at ${formatInt(last.cases)}`;
  const worstList = Math.max(last.list.p99, last.listStatus.p99, last.listRareStatus.p99, last.listDeep.p99);
  const ratio = last.createReqPerSec / first.createReqPerSec;
  const problems = rows.reduce((n, r) => n + r.problems, 0);
  const note = problems ? { note: `${formatInt(problems)} non-2xx / errors` } : {};
  const cpu =
    first.createCpuUsPerReq && last.createCpuUsPerReq ? first.createCpuUsPerReq / last.createCpuUsPerReq : null;
  return [
    {
      label: `create req/s ${at} vs at ${formatInt(first.cases)}`,
      target: '≥ 80 %',
      actual: formatPercent(ratio),
      met: ratio >= 0.8 && problems === 0,
      ...note,
    },
    {
      label: `create: cpu per request at ${formatInt(first.cases)} / ${at} (same idea, less noise)`,
      target: '≥ 80 %',
      actual: formatPercent(cpu),
      met: cpu === null ? null : cpu >= 0.8 && problems === 0,
      ...note,
    },
    {
      label: `list p99 ${at} (worst of the four)`,
      target: '≤ 2 ms',
      actual: formatMs(worstList),
      met: worstList <= 2 && problems === 0,
      ...note,
    },
    {
      label: `retrieve p99 ${at}`,
      target: '≤ 2 ms',
      actual: formatMs(last.retrieve.p99),
      met: last.retrieve.p99 <= 2 && problems === 0,
      ...note,
    },
    {
      label: `RSS ${at}`,
      target: '≤ 2 GB',
      actual: formatMb(last.rssMb),
      met: last.rssMb === null ? null : last.rssMb <= 2048,
    },
  ];
}

export function renderGoals(goals: readonly Goal[]): string {
  return formatTable(
    ['', 'goal', 'target', 'measured', 'note'],
    goals.map((g) => [mark(g.met), g.label, g.target, g.actual, g.note ?? '']),
    ['left', 'left', 'left', 'right', 'left'],
  );
}

// ---------------------------------------------------------------------------
// Stores: ours on each store side by side (--stores), ratios to the in-memory default

/** One column of the store table: a store, or the in-memory baseline of another checkout. */
export interface StoreColumn {
  /** Shown in the table: a store's label, or `memory @ <commit>` for --baseline. */
  label: string;
  store: StoreName;
  /** Why it was not measured. */
  skipped?: string;
}

export interface StoreRow extends StoreColumn {
  create?: ScenarioResult;
  list?: ScenarioResult;
  retrieve?: ScenarioResult;
  /** Cases its account held before the list (created through the API). */
  seeded?: { cases: number; ms: number; failed: number };
}

/** (this / the in-memory column's), or null. */
export interface StoreRatios {
  label: string;
  createReqPerSec: number | null;
  createCpu: number | null;
  listP99: number | null;
  retrieveP99: number | null;
}

/** Server CPU per response, µs (null when /proc was not readable). */
export const cpuUsPerResponse = (r: ScenarioResult | undefined): number | null =>
  r && r.serverCpu !== null && r.reqPerSec > 0 ? (r.serverCpu / 100 / r.reqPerSec) * 1e6 : null;

/** The reference column: the first measured in-memory store of this checkout (not a baseline). */
function referenceRow(rows: readonly StoreRow[]): StoreRow | undefined {
  return rows.find((r) => r.store === 'memory' && r.label === STORE_LABELS.memory && !r.skipped);
}

export function computeStoreRatios(rows: readonly StoreRow[]): StoreRatios[] {
  const ref = referenceRow(rows);
  return rows
    .filter((r) => !r.skipped)
    .map((r) => ({
      label: r.label,
      createReqPerSec: divide(r.create?.reqPerSec, ref?.create?.reqPerSec),
      createCpu: divide(cpuUsPerResponse(r.create) ?? undefined, cpuUsPerResponse(ref?.create) ?? undefined),
      listP99: divide(r.list?.latency.p99, ref?.list?.latency.p99),
      retrieveP99: divide(r.retrieve?.latency.p99, ref?.retrieve?.latency.p99),
    }));
}

const problemsOf = (...rs: Array<ScenarioResult | undefined>): number =>
  rs.reduce((n, r) => n + (r ? r.non2xx + r.errors : 0), 0);

export function renderStores(rows: readonly StoreRow[], cases: number): string {
  const ratios = computeStoreRatios(rows);
  const ratioOf = (label: string) => ratios.find((r) => r.label === label);
  const x = (r: number | null | undefined): string => (r === null || r === undefined ? '—' : formatRatio(r));
  const table = formatTable(
    [
      'store',
      'create req/s',
      '× memory',
      'cpu µs/create',
      '× memory',
      'list p99',
      '× memory',
      'retrieve p99',
      '× memory',
      'problems',
    ],
    rows.map((r) => {
      if (r.skipped) return [r.label, 'skipped', '', '', '', '', '', '', '', ''];
      const q = ratioOf(r.label);
      const cpu = cpuUsPerResponse(r.create);
      return [
        r.label,
        r.create ? formatInt(r.create.reqPerSec) : '—',
        x(q?.createReqPerSec),
        cpu === null ? '—' : cpu.toFixed(0),
        x(q?.createCpu),
        r.list ? formatMs(r.list.latency.p99) : '—',
        x(q?.listP99),
        r.retrieve ? formatMs(r.retrieve.latency.p99) : '—',
        x(q?.retrieveP99),
        formatInt(problemsOf(r.create, r.list, r.retrieve)),
      ];
    }),
  );
  const notes = rows.filter((r) => r.skipped).map((r) => `  ${r.label} skipped: ${r.skipped}`);
  return [
    `Stores (ours --quiet; create = POST on a fresh key's account, list = GET ?limit=10 over ${formatInt(cases)} cases, retrieve = GET one case; × memory: this column over the in-memory default's, lower is better for p99 and cpu)`,
    table,
    ...notes,
  ].join('\n');
}

export interface StoreGrowth {
  label: string;
  store: StoreName;
  skipped?: string;
  rows: GrowthRow[];
}

/** The growth table per store: create req/s, list and retrieve p99 at each count, with ratios to memory at the same count. */
export function renderStoreGrowth(growths: readonly StoreGrowth[]): string {
  const ref = growths.find((g) => g.store === 'memory' && g.label === STORE_LABELS.memory && !g.skipped);
  const at = (g: StoreGrowth | undefined, cases: number) => g?.rows.find((r) => r.cases === cases);
  const x = (r: number | null): string => (r === null ? '' : ` (${formatRatio(r)})`);
  const lines: string[][] = [];
  for (const g of growths) {
    if (g.skipped) {
      lines.push([g.label, 'skipped', '', '', '', '', '', '']);
      continue;
    }
    for (const row of g.rows) {
      const m = at(ref, row.cases);
      lines.push([
        g.label,
        formatInt(row.cases),
        `${formatInt(row.createReqPerSec)}${x(divide(row.createReqPerSec, m?.createReqPerSec))}`,
        row.createCpuUsPerReq === null
          ? '—'
          : `${row.createCpuUsPerReq.toFixed(0)}${x(divide(row.createCpuUsPerReq, m?.createCpuUsPerReq ?? undefined))}`,
        `${formatMs(row.list.p99)}${x(divide(row.list.p99, m?.list.p99))}`,
        `${formatMs(row.retrieve.p99)}${x(divide(row.retrieve.p99, m?.retrieve.p99))}`,
        formatMb(row.rssMb),
        formatInt(row.problems),
      ]);
    }
  }
  const notes = growths.filter((g) => g.skipped).map((g) => `  ${g.label} skipped: ${g.skipped}`);
  return [
    "Growth per store, one store after another (one account; list = GET ?limit=10; in brackets: over the in-memory default at the same count; cpu µs/create is the mock process's CPU alone, steadier than req/s when the machine is shared)",
    formatTable(
      ['store', 'cases', 'create req/s', 'cpu µs/create', 'list p99', 'retrieve p99', 'RSS', 'problems'],
      lines,
    ),
    ...notes,
  ].join('\n');
}

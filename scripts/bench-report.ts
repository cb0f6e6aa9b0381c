// Pure parts of the benchmark (scripts/bench.ts): argument parsing, latency
// percentiles, ratios, goal evaluation and table formatting. No I/O here, so
// scripts/bench-report.test.ts can exercise all of it.

/**
 * `logged` is ours with its default configuration (info logging, one line per request); `prism` and
 * `scalar` are the stateless OpenAPI mocks (Stoplight Prism, Scalar's mock server) on the same contract.
 */
export const TARGETS = ['ours', 'logged', 'prism', 'scalar', 'bare'] as const;
export type Target = (typeof TARGETS)[number];

/**
 * `post` creates on a fresh key's account, `post-docs` on the docs' key (seeded with the quickstart
 * scenario), `upload` posts a small multipart file (a few KB) to a case (uploadCaseFile).
 */
export const SCENARIOS = ['get', 'post', 'post-docs', 'list', 'upload'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const SCENARIO_LABELS: Record<Scenario, string> = {
  get: 'GET retrieve',
  post: 'POST create',
  'post-docs': "POST create (docs' key)",
  list: 'GET list',
  upload: 'POST upload (multipart)',
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

/** The OpenAPI mocks that keep nothing: they answer the contract's examples (its example ids and paths). */
export const isStateless = (target: Target): boolean => target === 'prism' || target === 'scalar';

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
  /**
   * Case counts for the memory figures instead of the comparison (empty = off): bytes per stored case and
   * per delivery-log entry, heap after a full GC (scripts/bench-memory.mjs). With --growth: measured at
   * these counts too (default there: the largest growth count up to 100k).
   */
  memory: number[];
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
  memory: [],
  stores: [],
  baselines: [],
  help: false,
};

export const USAGE = `Usage: npx tsx scripts/bench.ts [options]   (npm run bench -- [options])

Measures the mock (ours, and logged) against Prism, Scalar's mock server and a bare
node:http server, each started as a child process on 127.0.0.1, with autocannon in this
process. The headline is the server's CPU per response (µs), steadier than req/s on a
shared machine. Scalar needs Node >= 22: it is installed on first use into
scripts/bench-peers (npm ci from the npm registry, with a Node 24 to run it on).

Options:
  --duration <s>        measured seconds per target and scenario (default 10; "10s" accepted)
  --warmup <s>          unmeasured warm-up seconds per target and scenario (default 1, 0 to skip)
  --rounds <n>          split each measurement into n slices that alternate between the
                        targets, so drift on the machine hits all of them alike (default 5)
  --no-pin              do not pin server and load generator to different cores
  --connections <n>     concurrent connections (default 10)
  --only <list>         targets, comma-separated: ours,logged,prism,scalar,bare (default all;
                        ours = --quiet, logged = default info logging, stdout to /dev/null)
  --scenario <list>     scenarios, comma-separated: get,post,post-docs,list,upload (default
                        all; post = a fresh key's account, post-docs = the docs' key account,
                        upload = a 4 KB multipart file posted to a case)
  --cases <n>           cases created in ours before the list scenario (default 100000)
  --soak <s>            instead: POST create on the docs' key for s seconds, req/s and
                        server cpu per create per 5 s slice
  --growth <list>       instead: the growth table at these case counts, e.g. 1k,10k,100k,1m
                        (create req/s, list and retrieve latency, RSS, bytes per case; each
                        measurement lasts --duration / 2 seconds), then the memory figures
                        (below) at the largest count up to 100k
  --memory <list>       instead: bytes per stored case (with its events and timeline) and per
                        delivery-log entry at these counts, e.g. 100k: the mock built in a
                        child process (node --expose-gc), filled through app.inject, heap
                        after a full GC (reports/bench-memory.json)
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
  '--memory',
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

/** `1k,10k,1k` → [1000, 10000]: distinct counts, ascending; an empty list is refused with an example. */
function parseCountList(flag: string, value: string, example: string): number[] {
  const counts = [
    ...new Set(
      value
        .split(',')
        .filter((v) => v.trim() !== '')
        .map((v) => parseCount(flag, v)),
    ),
  ].sort((a, b) => a - b);
  if (counts.length === 0) throw new Error(`${flag}: expected a list like ${example}`);
  return counts;
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
        opts.growth = parseCountList(flag, value, '1k,10k,100k,1m');
        break;
      case '--memory':
        opts.memory = parseCountList(flag, value, '100k');
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
  if (opts.memory.length > 0 && (opts.soak || opts.stores.length > 0))
    throw new Error('--memory: not with --soak or --stores');
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
  /** The runtime it ran on when not this node (scalar: the peers' Node 24). */
  runtime?: string;
  /** VmRSS shortly after the first response, MiB. */
  rssIdleMb?: number | null;
  /** VmRSS after all runs, MiB. */
  rssAfterMb?: number | null;
  /** Cases created through the API before the list scenario (ours only). */
  seed?: { cases: number; ms: number; failed: number };
}

export interface Ratio {
  scenario: Scenario;
  /** req/s of ours over Prism's and over Scalar's (the issue: ≥ 15× Prism on every row). */
  oursOverPrism: number | null;
  oursOverScalar: number | null;
  /** req/s of ours over bare's (noisy on a shared machine: read the CPU ratios). */
  oursOverBare: number | null;
  p99OursOverBare: number | null;
  /** Default logging (logged) over --quiet (ours), req/s. */
  loggedOverOurs: number | null;
  /** Server CPU per response: ours over bare (the issue: ≤ 2× on POST create, ≤ 1.6× on GET retrieve and list). */
  cpuOursOverBare: number | null;
  /** Server CPU per response: logged over ours (the issue: ≤ 1.05, within 5 %). */
  cpuLoggedOverOurs: number | null;
}

function find(results: readonly ScenarioResult[], target: Target, scenario: Scenario): ScenarioResult | undefined {
  return results.find((r) => r.target === target && r.scenario === scenario);
}

/** Server CPU per response, µs (null when /proc was not readable). */
export const cpuUsPerResponse = (r: ScenarioResult | undefined): number | null =>
  r && r.serverCpu !== null && r.reqPerSec > 0 ? (r.serverCpu / 100 / r.reqPerSec) * 1e6 : null;

function divide(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return a / b;
}

export function computeRatios(results: readonly ScenarioResult[], scenarios: readonly Scenario[] = SCENARIOS): Ratio[] {
  return scenarios.map((scenario) => {
    const ours = find(results, 'ours', scenario);
    const logged = find(results, 'logged', scenario);
    const bare = find(results, 'bare', scenario);
    return {
      scenario,
      oursOverPrism: divide(ours?.reqPerSec, find(results, 'prism', scenario)?.reqPerSec),
      oursOverScalar: divide(ours?.reqPerSec, find(results, 'scalar', scenario)?.reqPerSec),
      oursOverBare: divide(ours?.reqPerSec, bare?.reqPerSec),
      p99OursOverBare: divide(ours?.latency.p99, bare?.latency.p99),
      loggedOverOurs: divide(logged?.reqPerSec, ours?.reqPerSec),
      cpuOursOverBare: divide(cpuUsPerResponse(ours), cpuUsPerResponse(bare)),
      cpuLoggedOverOurs: divide(cpuUsPerResponse(logged), cpuUsPerResponse(ours)),
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

/**
 * Issue 24's bounds on server CPU per response, ours over bare: creates ≤ 2×, reads ≤ 1.6×. The
 * upload has none of its own in the issue: it is reported, and judged only against Prism.
 */
export const CPU_OVER_BARE_TARGETS: Partial<Record<Scenario, number>> = {
  get: 1.6,
  list: 1.6,
  post: 2,
  'post-docs': 2,
};
/** p99 bounds at 10 connections (ms): GET retrieve and GET list. */
export const P99_TARGETS_MS: Partial<Record<Scenario, number>> = { get: 1, list: 1 };
/** ours ≥ this × Prism's req/s on every row. */
export const PRISM_TARGET = 15;
/** logged's CPU per response at most this × ours (the default log level within 5 % of --quiet). */
export const LOGGED_CPU_TARGET = 1.05;
/** Start-up and idle RSS: unchanged from the earlier issue's bounds. */
export const STARTUP_TARGET_MS = 300;
export const IDLE_RSS_TARGET_MB = 80;

/** The issue's targets, reported beside the measurements (never asserted). */
export function evaluateGoals({ results, ours, cases }: GoalInput): Goal[] {
  const goals: Goal[] = [];
  const ratios = computeRatios(results);
  // A run with errors is not credited; a disturbed one is flagged but judged as measured.
  const dirty = (...rs: (ScenarioResult | undefined)[]): string | undefined =>
    rs
      .filter((r): r is ScenarioResult => r !== undefined && !clean(r))
      .map((r) => `${r.target} ${r.scenario} run had ${r.non2xx} non-2xx / ${r.errors} errors`)
      .join('; ') || undefined;
  const disturbed = (...rs: (ScenarioResult | undefined)[]): string | undefined => {
    const worst = Math.max(...rs.map((r) => r?.otherCpu ?? 0));
    return worst > OTHER_CPU_WARNING ? `disturbed: other processes at ${worst.toFixed(0)} % of a core` : undefined;
  };
  const notes = (...n: (string | undefined)[]): { note?: string } => {
    const text = n.filter((x): x is string => x !== undefined).join('; ');
    return text ? { note: text } : {};
  };

  for (const scenario of SCENARIOS) {
    // A scenario this run did not measure has nothing to judge.
    if (!results.some((r) => r.scenario === scenario)) continue;
    const ratio = ratios.find((r) => r.scenario === scenario);
    const o = find(results, 'ours', scenario);
    const bare = find(results, 'bare', scenario);
    const prism = find(results, 'prism', scenario);
    const logged = find(results, 'logged', scenario);
    const listNote =
      (scenario === 'list' && o && cases !== 100_000
        ? `list measured over ${formatInt(cases)} requested cases, not 100,000`
        : undefined) ??
      (scenario === 'list' && o && ours?.seed && ours.seed.failed > 0
        ? `${formatInt(ours.seed.failed)} seeding creates failed`
        : undefined);
    const label = scenario === 'list' ? 'GET list over 100k cases' : SCENARIO_LABELS[scenario];

    const cpuBound = CPU_OVER_BARE_TARGETS[scenario];
    if (cpuBound !== undefined) {
      const r = ratio?.cpuOursOverBare ?? null;
      const error = dirty(o, bare) ?? listNote;
      goals.push({
        label: `${label}: server CPU per request vs bare`,
        target: `≤ ${cpuBound}×`,
        actual:
          r === null
            ? '—'
            : `${formatRatio(r)} (${formatUs(cpuUsPerResponse(o))} / ${formatUs(cpuUsPerResponse(bare))})`,
        met: r === null ? null : r <= cpuBound && error === undefined,
        ...notes(error, r === null ? undefined : disturbed(o, bare)),
      });
    }
    const p99Bound = P99_TARGETS_MS[scenario];
    if (p99Bound !== undefined) {
      const error = dirty(o) ?? listNote;
      goals.push({
        label: `${label} p99`,
        target: `≤ ${p99Bound} ms`,
        actual: o ? formatMs(o.latency.p99) : '—',
        met: o ? o.latency.p99 <= p99Bound && error === undefined : null,
        ...notes(error, o ? disturbed(o) : undefined),
      });
    }
    const vsPrism = ratio?.oursOverPrism ?? null;
    if (vsPrism !== null || o) {
      const error = dirty(o, prism) ?? listNote;
      goals.push({
        label: `${label} req/s vs Prism`,
        target: `≥ ${PRISM_TARGET}×`,
        actual: vsPrism === null ? '—' : formatRatio(vsPrism),
        met: vsPrism === null ? null : vsPrism >= PRISM_TARGET && error === undefined,
        ...notes(error, vsPrism === null ? undefined : disturbed(o, prism)),
      });
    }
    const vsLogged = ratio?.cpuLoggedOverOurs ?? null;
    if (vsLogged !== null) {
      const error = dirty(o, logged) ?? listNote;
      goals.push({
        label: `${label}: default logging vs --quiet, CPU per request`,
        target: `≤ ${formatRatio(LOGGED_CPU_TARGET)}`,
        actual: `${formatRatio(vsLogged)} (${formatUs(cpuUsPerResponse(logged))} / ${formatUs(cpuUsPerResponse(o))})`,
        met: vsLogged <= LOGGED_CPU_TARGET && error === undefined,
        ...notes(error, disturbed(o, logged)),
      });
    }
  }

  const startup = ours?.status === 'ok' ? ours.startupMs : undefined;
  goals.push({
    label: 'start to first response (unchanged)',
    target: `≤ ${STARTUP_TARGET_MS} ms`,
    actual: startup === undefined ? '—' : `${startup.toFixed(0)} ms`,
    met: startup === undefined ? null : startup <= STARTUP_TARGET_MS,
  });
  const rss = ours?.status === 'ok' ? ours.rssIdleMb : undefined;
  goals.push({
    label: 'idle RSS after start (unchanged)',
    target: `≤ ${IDLE_RSS_TARGET_MB} MB`,
    actual: rss === undefined || rss === null ? '—' : formatMb(rss),
    met: rss === undefined || rss === null ? null : rss <= IDLE_RSS_TARGET_MB,
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

/** Microseconds, whole. */
export function formatUs(us: number | null | undefined): string {
  return us === null || us === undefined || !Number.isFinite(us) ? '—' : `${us.toFixed(0)} µs`;
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
  const ratios = computeRatios(results, options.scenarios);
  out.push(renderCpuTable({ results, targets, options, ratios }));
  out.push('');
  out.push(
    'Throughput ratios (req/s of ours over the other; p99 of ours over bare; noisy on a shared machine: the CPU table above is the steadier measure)',
  );
  out.push(
    formatTable(
      ['scenario', 'ours/prism', 'ours/scalar', 'ours/bare', 'p99 ours/bare', 'logged/ours'],
      ratios.map((r) => [
        SCENARIO_LABELS[r.scenario],
        formatRatio(r.oursOverPrism),
        formatRatio(r.oursOverScalar),
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

/**
 * The headline: the server's CPU time (user + system) per response, µs, per target and scenario, with
 * the ratios the issue judges (ours/bare and logged/ours by CPU; ours over Prism and Scalar by req/s).
 */
export function renderCpuTable(input: {
  results: readonly ScenarioResult[];
  targets: readonly TargetInfo[];
  options: Pick<BenchOptions, 'scenarios' | 'only'>;
  ratios?: readonly Ratio[];
}): string {
  const { results, targets, options } = input;
  const ratios = input.ratios ?? computeRatios(results, options.scenarios);
  const shown = TARGETS.filter((t) => options.only.includes(t));
  const rows = SCENARIOS.filter((s) => options.scenarios.includes(s)).map((scenario) => {
    const ratio = ratios.find((r) => r.scenario === scenario);
    return [
      SCENARIO_LABELS[scenario],
      ...shown.map((target) => {
        const r = find(results, target, scenario);
        if (r) return formatUs(cpuUsPerResponse(r));
        return targets.some((t) => t.target === target && t.status === 'skipped') ? 'skipped' : '—';
      }),
      formatRatio(ratio?.cpuOursOverBare ?? null),
      formatRatio(ratio?.cpuLoggedOverOurs ?? null),
      formatRatio(ratio?.oursOverPrism ?? null),
      formatRatio(ratio?.oursOverScalar ?? null),
    ];
  });
  const skipped = targets
    .filter((t) => t.status === 'skipped' && shown.includes(t.target))
    .map((t) => `  ${t.target} skipped: ${firstLine(t.reason ?? '')}`);
  return [
    'Server CPU per response (user + system of the server process over the measured slices ÷ responses; lower is better)',
    formatTable(
      ['scenario', ...shown, 'ours/bare cpu', 'logged/ours cpu', 'ours/prism req/s', 'ours/scalar req/s'],
      rows,
    ),
    ...skipped,
  ].join('\n');
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

// ---------------------------------------------------------------------------
// Memory: bytes per stored case and per delivery-log entry (scripts/bench-memory.mjs, heap after a full GC)

/** What one account holds after the fill (scripts/bench-memory.mjs). */
export interface MemoryCounts {
  cases: number;
  events: number;
  timelineEntries: number;
  scheduledTasks: number;
  deliveries: number;
}

/** What scripts/bench-memory.mjs reports (--json) for one count. */
export interface MemoryReport {
  node: string;
  cases: number;
  method: string;
  heapMb: { baseline: number; withCases: number; afterReset: number; withCasesAndDeliveries: number };
  rssMb: { withCases: number; withCasesAndDeliveries: number };
  fill: { casesMs: number; hookedMs: number; drainMs: number; failed: number };
  /** What one create leaves: events, timeline entries, scheduled tasks, and (with a webhook endpoint on `*`) deliveries. */
  perCase: {
    events: number | null;
    timelineEntries: number | null;
    scheduledTasks: number | null;
    deliveries: number | null;
  };
  counts: {
    plain: MemoryCounts;
    hooked: MemoryCounts;
    received: number;
    deliveryStatuses: Record<string, number>;
  };
  bytesPerCase: number;
  bytesPerCaseWithDeliveries: number | null;
  bytesPerDelivery: number | null;
  externalBytesPerCase: number;
  externalBytesPerCaseWithDeliveries: number | null;
}

/** The memory table: per count, bytes per case (and what a case holds), per case with deliveries, per delivery-log entry. */
export function renderMemory(reports: readonly MemoryReport[]): string {
  const per = (n: number | null): string => (n === null ? '—' : Number.isInteger(n) ? String(n) : n.toFixed(2));
  const problems = reports.filter((r) => r.fill.failed > 0 || r.counts.received < r.counts.hooked.deliveries);
  return [
    'Memory (V8 heap used after a full GC, per object; the mock built in a child node --expose-gc from dist/ and filled through app.inject; a case = POST /v1/collection_cases with the quickstart body)',
    formatTable(
      [
        'cases',
        'bytes/case',
        'events/case',
        'timeline/case',
        'tasks/case',
        'bytes/case with webhook',
        'deliveries/case',
        'bytes/delivery-log entry',
        'heap with cases',
        'with deliveries',
      ],
      reports.map((r) => [
        formatInt(r.cases),
        formatInt(r.bytesPerCase),
        per(r.perCase.events),
        per(r.perCase.timelineEntries),
        per(r.perCase.scheduledTasks),
        r.bytesPerCaseWithDeliveries === null ? '—' : formatInt(r.bytesPerCaseWithDeliveries),
        per(r.perCase.deliveries),
        r.bytesPerDelivery === null ? '—' : formatInt(r.bytesPerDelivery),
        formatMb(r.heapMb.withCases),
        formatMb(r.heapMb.withCasesAndDeliveries),
      ]),
    ),
    ...problems.map(
      (r) =>
        `⚠ at ${formatInt(r.cases)}: ${formatInt(r.fill.failed)} creates failed, ${formatInt(r.counts.received)} of ${formatInt(r.counts.hooked.deliveries)} deliveries received`,
    ),
    'bytes/delivery-log entry = (heap with the webhook account − bytes/case × cases) ÷ deliveries; below ~10k cases fixed costs (sockets, JIT) dominate',
  ].join('\n');
}

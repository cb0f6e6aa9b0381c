// `npm run bench` — measures the mock (ours) against three baselines in one run:
//   bare   a node:http server answering the same JSON bodies (scripts/bench-bare-server.mjs)
//   prism  Stoplight Prism 5 mocking generated/casapay.json
//   scalar Scalar's OpenAPI mock server on the same document (scripts/bench-peers: its own package,
//          installed on first use with `npm ci --prefix scripts/bench-peers`, run on Node >= 22)
//   ours   the compiled mock, dist/mocks/cli.js --quiet
//   logged the same with npm start's default info logging (stdout to /dev/null)
// Two other modes drive ours alone: --soak (POST create over time) and --growth (over stored cases);
// --memory measures bytes per stored case and per delivery-log entry (scripts/bench-memory.mjs).
// --stores runs ours once per store (memory, SQLite, PostgreSQL; --baseline adds another checkout's build)
// side by side, with ratios to memory; with --growth, the growth table per store.
// Each target runs alone as a child process on 127.0.0.1 (a random free port) and is stopped by PID
// afterwards, also on error or Ctrl-C. autocannon runs in this process, so the load generator and the
// server are separate processes (sharing the machine's cores — see "loadgen cpu" in the table).
// The headline is the server's CPU per response (user + system µs of its process over the measured
// slices), far steadier than req/s on a shared machine. Nothing here asserts a timing: it prints the
// tables, ratios and the issue's targets with ✓/✗, and writes the numbers to reports/bench.json.  Options: `npx tsx scripts/bench.ts --help`.
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  SCENARIO_LABELS,
  STORE_LABELS,
  STORE_SCENARIOS,
  TARGETS,
  computeStoreRatios,
  renderStoreGrowth,
  renderStores,
  type StoreColumn,
  type StoreGrowth,
  type StoreName,
  type StoreRow,
  USAGE,
  computeRatios,
  cpuUsPerResponse,
  evaluateGoals,
  evaluateGrowth,
  evaluateSoak,
  isOurs,
  isStateless,
  renderGoals,
  renderGrowth,
  renderMemory,
  type MemoryReport,
  renderSoak,
  type GrowthRow,
  type LatencySummary,
  formatInt,
  formatMb,
  formatMs,
  formatPercent,
  parseArgs,
  parseCpuList,
  renderReport,
  summarizeLatencies,
  type BenchOptions,
  type Scenario,
  type ScenarioFailure,
  type ScenarioResult,
  type Target,
  type TargetInfo,
} from './bench-report.js';
import { formatStartups, measureStartups, type StartupResult } from './bench-startup.js';
import { rebuild, staleReason } from './dist-freshness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const AUTHORIZATION = 'Bearer sk_test_bench';
/** The docs' key: its account is seeded with the quickstart scenario (a test clock and its tasks). */
const DOCS_AUTHORIZATION = 'Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc';
const PRISM_CASE_ID = 'dc_a1b2c3d4';
const CASES_PATH = '/v1/collection_cases';
/** The contract's own create example (the quickstart's case); its due_date is in the past, as the mock requires. */
const CREATE_BODY = JSON.stringify(
  JSON.parse(fs.readFileSync(path.join(ROOT, 'generated/casapay.json'), 'utf8')).paths[CASES_PATH].post.requestBody
    .content['application/json'].examples.quickstart.value,
);
/** Scenarios run in this order so the list sees exactly the seeded cases (POST, which adds more, runs last). */
const RUN_ORDER: readonly Scenario[] = ['get', 'list', 'post', 'post-docs', 'upload'];
const POLL_MS = 5;
const IDLE_SETTLE_MS = 500;
const SEED_MIN_CONNECTIONS = 16;

// ---------------------------------------------------------------------------
// Child processes: every one is tracked so it can be stopped by PID whatever happens.

interface Server {
  target: Target;
  proc: ChildProcess;
  pid: number;
  port: number;
  tail: () => string;
  spawnError?: Error;
}

const children = new Set<ChildProcess>();
let currentLoad: autocannon.Instance | undefined;
let interrupted = false;

const alive = (proc: ChildProcess): boolean => proc.exitCode === null && proc.signalCode === null;

async function stopChild(proc: ChildProcess): Promise<void> {
  if (!alive(proc) || proc.pid === undefined) {
    children.delete(proc);
    return;
  }
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  await Promise.race([exited, sleep(3000)]);
  if (alive(proc)) {
    proc.kill('SIGKILL');
    await Promise.race([exited, sleep(2000)]);
  }
  children.delete(proc);
}

process.on('exit', () => {
  for (const proc of children) {
    if (alive(proc) && proc.pid !== undefined) {
      try {
        process.kill(proc.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130); // second Ctrl-C: the exit hook SIGKILLs the children
    interrupted = true;
    console.error(`\nbench: ${signal}, stopping ${children.size} server(s)…`);
    currentLoad?.stop();
    void Promise.all([...children].map(stopChild))
      .then(cleanUp)
      .finally(() => process.exit(130));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function commandFor(target: Target, port: number): string[] {
  const p = String(port);
  switch (target) {
    case 'scalar':
      return [path.join(PEERS, 'scalar-server.mjs'), '--port', p, '--host', HOST];
    case 'bare':
      return [path.join(ROOT, 'scripts/bench-bare-server.mjs'), '--port', p, '--host', HOST];
    case 'prism': {
      const bin = path.join(ROOT, 'node_modules/.bin/prism');
      if (!fs.existsSync(bin)) throw new Error('node_modules/.bin/prism not found (npm install?)');
      // Run Prism's JS with this node directly so the PID we hold is the server's.
      return [
        fs.realpathSync(bin),
        'mock',
        '-h',
        HOST,
        '-p',
        p,
        '-v',
        'silent',
        path.join(ROOT, 'generated/casapay.json'),
      ];
    }
    case 'ours':
      return [path.join(ROOT, 'dist/mocks/cli.js'), '--port', p, '--host', HOST, '--seed', 'bench', '--quiet'];
    case 'logged':
      // `npm start`'s configuration: info logging, one line per request (stdout goes to /dev/null).
      return [path.join(ROOT, 'dist/mocks/cli.js'), '--port', p, '--host', HOST, '--seed', 'bench'];
  }
}

/** ours started another way (a store's flags, another checkout's build): the arguments after `node`, and where. */
interface OursCommand {
  args: (port: number) => string[];
  cwd?: string;
}

/**
 * Starts a target. With `cpus`, it is launched through `taskset -c <cpus>` (which execs node, so the
 * PID stays the server's) so it does not inherit this process's pinning.
 */
function spawnServer(
  target: Target,
  port: number,
  cpus: string | undefined,
  command?: OursCommand,
  node = process.execPath,
): Server {
  const args = [node, ...(command ? command.args(port) : commandFor(target, port))];
  const [cmd, ...rest] = cpus ? ['taskset', '-c', cpus, ...args] : args;
  // The logged target writes a line per request: to /dev/null, so the load generator does not pay for reading them.
  const stdout = target === 'logged' ? fs.openSync('/dev/null', 'w') : 'pipe';
  const proc = spawn(cmd as string, rest, { cwd: command?.cwd ?? ROOT, stdio: ['ignore', stdout, 'pipe'] });
  if (typeof stdout === 'number') fs.closeSync(stdout);
  children.add(proc);
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const server: Server = { target, proc, pid: proc.pid ?? -1, port, tail: () => tail.trim() };
  proc.on('error', (err) => {
    server.spawnError = err;
  });
  return server;
}

// ---------------------------------------------------------------------------
// The bench's peers that the project does not install (scripts/bench-peers, its own package.json and
// lock): Scalar's mock server, which needs Node >= 22, and a Node 24 from the npm registry to run it on
// when this node is older. Installed on first use; without them (offline) the scalar column is skipped.

const PEERS = path.join(ROOT, 'scripts/bench-peers');
const PEER_NODE = path.join(PEERS, 'node_modules/.bin/node');
const SCALAR_MIN_NODE = 22;
let peers: { node: string; version: string } | string | undefined;

/** How the installed peers differ from the pins (missing, another version), or undefined when they match. */
function peersProblem(): string | undefined {
  const pins = (
    JSON.parse(fs.readFileSync(path.join(PEERS, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    }
  ).dependencies;
  for (const [name, version] of Object.entries(pins)) {
    const manifest = path.join(PEERS, 'node_modules', name, 'package.json');
    if (!fs.existsSync(manifest)) return `${name} not installed`;
    const installed = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: string }).version;
    if (installed !== version) return `${name} ${installed} installed, ${version} pinned`;
  }
  return undefined;
}

/** Installs the peers when missing; the node that runs Scalar's mock server, or why it cannot run. */
function ensurePeers(): { node: string; version: string } | string {
  if (peers !== undefined) return peers;
  const problem = peersProblem();
  if (problem) {
    console.log(
      `  scalar: ${problem}; installing the bench's peers from the npm registry (npm ci --prefix scripts/bench-peers: @scalar/mock-server and a Node 24 to run it on)…`,
    );
    const r = spawnSync('npm', ['ci', '--prefix', PEERS, '--no-audit', '--no-fund'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
    if (r.status !== 0) {
      // npm's own words: its first error lines (code and cause), not the pointer to its log file.
      const said = `${r.stderr ?? ''}${r.stdout ?? ''}`
        .split('\n')
        .filter((l) => /^npm (error|ERR!)/.test(l) && !/complete log/.test(l))
        .slice(0, 2)
        .map((l) => l.replace(/^npm (error|ERR!)\s*/, ''))
        .join(' ');
      return (peers = `could not install scripts/bench-peers (npm ci: ${r.error?.message ?? `exit ${r.status}`}${said ? `; ${said}` : ''})`);
    }
    const after = peersProblem();
    if (after) return (peers = `scripts/bench-peers after npm ci: ${after}`);
  }
  if (Number(process.versions.node.split('.')[0]) >= SCALAR_MIN_NODE)
    return (peers = { node: process.execPath, version: process.version });
  const v = spawnSync(PEER_NODE, ['--version'], { encoding: 'utf8' });
  if (v.status !== 0)
    return (peers = `Scalar needs Node >= ${SCALAR_MIN_NODE} (this is ${process.version}) and ${path.relative(ROOT, PEER_NODE)} does not run (${v.error?.message ?? `exit ${v.status}`}; were npm's install scripts disabled?)`);
  return (peers = { node: PEER_NODE, version: v.stdout.trim() });
}

/** GET with a fresh connection; resolves the status (0 when the connection failed). */
function probe(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(
      { host: HOST, port, path: urlPath, agent: false, timeout: 2000, headers: { authorization: AUTHORIZATION } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Polls every 5 ms until a GET answers 200; returns performance.now() of that answer. */
async function waitForFirst200(server: Server, startedAt: number, timeoutMs: number): Promise<number> {
  let last = 0;
  for (;;) {
    if (server.spawnError) throw new Error(`could not start: ${server.spawnError.message}`);
    if (!alive(server.proc)) {
      const how = server.proc.exitCode !== null ? `code ${server.proc.exitCode}` : `signal ${server.proc.signalCode}`;
      throw new Error(
        `exited (${how}) before answering${server.tail() ? `; its output:\n${indent(server.tail())}` : ''}`,
      );
    }
    const status = await probe(server.port, CASES_PATH);
    if (status === 200) return performance.now();
    if (status !== 0) last = status;
    if (performance.now() - startedAt > timeoutMs) {
      throw new Error(
        `no 200 on GET ${CASES_PATH} within ${timeoutMs / 1000} s${last ? ` (last status ${last})` : ' (connection refused)'}` +
          (server.tail() ? `; its output:\n${indent(server.tail())}` : ''),
      );
    }
    await sleep(POLL_MS);
  }
}

function readRssMb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const CLOCK_TICKS = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** utime + stime of a process in ms, from /proc/<pid>/stat. */
function readCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1000;
  } catch {
    return null;
  }
}

/**
 * CPU time the whole machine spent in user, nice, system and steal (all cores), ms. Compared with the
 * server's and the load generator's own time it shows how much else ran during a measurement.
 */
function readMachineBusyMs(): number | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[7] ?? 0);
    return (busy / CLOCK_TICKS) * 1000;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// Core placement. On a small machine the scheduler sometimes puts the server and autocannon on the
// same core, which halves throughput for seconds at a time; pinning them to different cores makes
// runs comparable. Start-up is measured before the server is pinned.

interface Placement {
  all: string;
  server: number;
  loadgen: number;
}

function planPlacement(): Placement | string {
  let allowed: number[];
  try {
    const m = /^Cpus_allowed_list:\s*(.+)$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    allowed = m?.[1] ? parseCpuList(m[1]) : [];
  } catch {
    return 'no /proc/self/status';
  }
  if (allowed.length < 2) return `only ${allowed.length} core available`;
  const probe = spawnSync('taskset', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'taskset not available';
  return { all: allowed.join(','), server: allowed[0] as number, loadgen: allowed[1] as number };
}

/** Pins every thread of `pid` to `cpu`; a reason when it could not. */
function pin(pid: number, cpu: number): string | undefined {
  const r = spawnSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { encoding: 'utf8' });
  return r.status === 0 ? undefined : (r.stderr || r.error?.message || `taskset exit ${r.status}`).trim();
}

// ---------------------------------------------------------------------------
// Load

interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: string | Buffer;
  /** Content-Type of the body; default application/json. */
  contentType?: string;
  /** Authorization header; default the bench's fresh key. */
  authorization?: string;
  /**
   * Spreads the requests over several accounts, each with its own path (the upload: `perAccount`
   * uploads to one account's case, then the next account's): a per-request rewrite in autocannon.
   */
  rotate?: { targets: ReadonlyArray<{ authorization: string; path: string }>; perAccount: number };
}

/**
 * The upload scenario's body: a 4 KB PDF-like file with the contract's example fields (uploadCaseFile's
 * `invoice` example), as multipart/form-data.
 */
const UPLOAD_BOUNDARY = 'casapay-bench-upload-7MA4YWxkTrZu0gW';
const UPLOAD_FILE_BYTES = 4096;
const UPLOAD_BODY = (() => {
  const example = (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'generated/casapay.json'), 'utf8')) as {
      paths: Record<string, any>;
    }
  ).paths[`${CASES_PATH}/{id}/files`].post.requestBody.content['multipart/form-data'].examples.invoice.value as {
    document_type: string;
    description: string;
  };
  const head = '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\nstream\n';
  const tail = '\nendstream\n%%EOF\n';
  const filler = 'BT /F1 12 Tf 72 712 Td (Invoice INV-2024-0892: EUR 3,600.00 due) Tj ET\n';
  let file = head;
  while (file.length + filler.length + tail.length <= UPLOAD_FILE_BYTES) file += filler;
  file = (file + tail).padEnd(UPLOAD_FILE_BYTES, ' ');
  const part = (headers: string, value: string): string => `--${UPLOAD_BOUNDARY}\r\n${headers}\r\n\r\n${value}\r\n`;
  return Buffer.from(
    part('Content-Disposition: form-data; name="document_type"', example.document_type) +
      part('Content-Disposition: form-data; name="description"', example.description) +
      part(
        'Content-Disposition: form-data; name="file"; filename="invoice.pdf"\r\nContent-Type: application/pdf',
        file,
      ) +
      `--${UPLOAD_BOUNDARY}--\r\n`,
    'latin1',
  );
})();
const UPLOAD_CONTENT_TYPE = `multipart/form-data; boundary=${UPLOAD_BOUNDARY}`;
/**
 * Uploads per account before the next one takes over: the mock keeps files in memory (100 MB per
 * account) and sums an account's file bytes on each upload, so one account must not gather them all.
 */
const UPLOADS_PER_ACCOUNT = 500;
/** The highest upload rate the accounts prepared for a slice allow for (beyond it the last account takes the rest). */
const UPLOAD_MAX_RATE = 25_000;

const uploadPath = (caseId: string): string => `${CASES_PATH}/${encodeURIComponent(caseId)}/files`;

function requestFor(scenario: Scenario, caseId: string): RequestSpec {
  switch (scenario) {
    case 'upload':
      return {
        method: 'POST',
        path: uploadPath(caseId),
        body: UPLOAD_BODY,
        contentType: UPLOAD_CONTENT_TYPE,
      };
    case 'get':
      return { method: 'GET', path: `${CASES_PATH}/${encodeURIComponent(caseId)}` };
    case 'post':
      return { method: 'POST', path: CASES_PATH, body: CREATE_BODY };
    case 'post-docs':
      return { method: 'POST', path: CASES_PATH, body: CREATE_BODY, authorization: DOCS_AUTHORIZATION };
    case 'list':
      return { method: 'GET', path: `${CASES_PATH}?limit=10` };
    default:
      throw new Error(`no request for scenario ${scenario as string}`);
  }
}

interface LoadRun {
  result: autocannon.Result;
  latencies: Float64Array;
  elapsedSec: number;
  /** CPU this process (the load generator) used during the run, ms. */
  loadGenCpuMs: number;
}

function runLoad(
  port: number,
  spec: RequestSpec,
  opts: { connections: number; duration?: number; amount?: number; record: boolean; maxSeconds?: number },
): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    let latencies = new Float64Array(opts.record ? 1 << 18 : 0);
    let n = 0;
    const headers: Record<string, string> = { authorization: spec.authorization ?? AUTHORIZATION };
    if (spec.body !== undefined) headers['content-type'] = spec.contentType ?? 'application/json';
    let sent = 0;
    const rotate = spec.rotate;
    const requests: autocannon.RequestSpec[] | undefined = rotate && [
      {
        setupRequest: (request) => {
          const to = rotate.targets[Math.min(Math.floor(sent++ / rotate.perAccount), rotate.targets.length - 1)]!;
          return { ...request, path: to.path, headers: { ...request.headers, authorization: to.authorization } };
        },
      },
    ];
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let guard: NodeJS.Timeout | undefined;
    const instance = autocannon(
      {
        url: `http://${HOST}:${port}${spec.path}`,
        method: spec.method,
        headers,
        ...(spec.body !== undefined ? { body: spec.body } : {}),
        ...(requests ? { requests } : {}),
        connections: opts.connections,
        pipelining: 1,
        timeout: 10,
        ...(opts.amount !== undefined ? { amount: opts.amount } : { duration: opts.duration ?? 10 }),
      },
      (err, result) => {
        if (guard) clearTimeout(guard);
        currentLoad = undefined;
        if (err) return reject(err);
        const elapsedSec = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(cpu0);
        resolve({
          result,
          latencies: latencies.subarray(0, n),
          elapsedSec,
          loadGenCpuMs: (cpu.user + cpu.system) / 1000,
        });
      },
    );
    currentLoad = instance;
    if (opts.maxSeconds !== undefined) guard = setTimeout(() => instance.stop(), opts.maxSeconds * 1000);
    if (opts.record) {
      // autocannon's own histogram keeps whole milliseconds; its per-response hrtime is sub-ms.
      instance.on('response', (_client, _status, _bytes, ms) => {
        if (n === latencies.length) {
          const grown = new Float64Array(latencies.length * 2);
          grown.set(latencies);
          latencies = grown;
        }
        latencies[n++] = ms;
      });
    }
  });
}

/** One POST on a fresh connection; the created case's id, or an Error saying what came back. */
function createCase(port: number, authorization = AUTHORIZATION): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: HOST,
        port,
        path: CASES_PATH,
        method: 'POST',
        agent: false,
        timeout: 5000,
        headers: {
          authorization,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(CREATE_BODY),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let id: unknown;
          try {
            id = (JSON.parse(text) as { id?: unknown }).id;
          } catch {
            // reported below
          }
          if (res.statusCode === 201 && typeof id === 'string') resolve(id);
          else reject(new Error(`POST ${CASES_PATH} answered ${res.statusCode}: ${text.slice(0, 300)}`));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(CREATE_BODY);
  });
}

/** Creates `need` cases through the API with keep-alive connections in parallel (autocannon with an amount). */
async function seedCases(
  port: number,
  need: number,
  connections: number,
  authorization = AUTHORIZATION,
): Promise<{ cases: number; ms: number; failed: number }> {
  const t0 = performance.now();
  let created = 0;
  let failed = 0;
  for (let round = 0; round < 3 && created < need && !interrupted; round++) {
    const amount = need - created;
    const run = await runLoad(
      port,
      { ...requestFor('post', ''), authorization },
      {
        connections: Math.min(amount, Math.max(connections, SEED_MIN_CONNECTIONS)),
        amount,
        record: false,
        maxSeconds: 300,
      },
    );
    created += run.result['2xx'];
    failed += run.result.non2xx + run.result.errors + run.result.timeouts;
    if (run.result['2xx'] === 0) break;
  }
  return { cases: created, ms: performance.now() - t0, failed };
}

// ---------------------------------------------------------------------------
// Build

/** Runs `npm run build` when dist/ is missing or older than its sources; a reason when ours cannot run. */
function ensureBuilt(): string | undefined {
  const stale = staleReason(ROOT);
  if (!stale) return undefined;
  console.log(`bench: ${stale}; running npm run build…`);
  return rebuild(ROOT);
}

// ---------------------------------------------------------------------------
// Orchestration: start every target (one at a time, measuring start-up), then per scenario warm each
// up and measure in slices that alternate between the targets; servers not under load sit idle.

const indent = (s: string): string =>
  s
    .split('\n')
    .map((l) => `    │ ${l}`)
    .join('\n');

const lastLine = (s: string): string => s.split('\n').pop() ?? '';

interface Live {
  target: Target;
  /** Its name in the output: the target, or a store column's label. */
  key: string;
  server: Server;
  info: TargetInfo;
  caseId?: string;
  caseProblem?: string;
  /** Cases created through the API so far (ours). */
  created: number;
  /** Why it stopped answering. */
  gone?: string;
}

async function startTarget(
  target: Target,
  buildProblem: string | undefined,
  placement: Placement | undefined,
  column?: { label: string; command: OursCommand },
): Promise<{ info: TargetInfo; live?: Live }> {
  const key = column?.label ?? target;
  const info: TargetInfo = { target, status: 'ok' };
  let server: Server | undefined;
  try {
    if (isOurs(target) && buildProblem) throw new Error(buildProblem);
    let node: string | undefined;
    if (target === 'scalar') {
      const peer = ensurePeers();
      if (typeof peer === 'string') throw new Error(peer);
      node = peer.node;
      info.runtime = `node ${peer.version}`;
    }
    const port = await freePort();
    const startedAt = performance.now();
    server = spawnServer(target, port, placement?.all, column?.command, node);
    const ready = await waitForFirst200(server, startedAt, isStateless(target) ? 60_000 : 20_000);
    info.pid = server.pid;
    info.port = port;
    info.startupMs = ready - startedAt;
    await sleep(IDLE_SETTLE_MS);
    info.rssIdleMb = readRssMb(server.pid);
    const pinProblem = placement ? pin(server.pid, placement.server) : undefined;
    console.log(
      `  ${key.padEnd(5)} pid ${server.pid} on http://${HOST}:${port}: first 200 after ${info.startupMs.toFixed(0)} ms, idle RSS ${formatMb(info.rssIdleMb)}` +
        (info.runtime ? ` (${info.runtime})` : '') +
        (pinProblem ? ` (not pinned: ${pinProblem})` : ''),
    );
    return { info, live: { target, key, server, info, created: 0 } };
  } catch (err) {
    info.status = 'skipped';
    info.reason = (err as Error).message;
    console.log(`  ✗ ${key} skipped: ${info.reason}`);
    if (server) await stopChild(server.proc);
    return { info };
  }
}

interface Accumulated {
  latencies: Float64Array[];
  elapsedSec: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  serverCpuMs: number | null;
  loadGenCpuMs: number;
  machineCpuMs: number | null;
}

function accumulate(
  acc: Accumulated | undefined,
  run: LoadRun,
  serverCpuMs: number | null,
  machineCpuMs: number | null,
): Accumulated {
  const a: Accumulated = acc ?? {
    latencies: [],
    elapsedSec: 0,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    statusCodes: {},
    serverCpuMs: 0,
    loadGenCpuMs: 0,
    machineCpuMs: 0,
  };
  a.latencies.push(run.latencies);
  a.elapsedSec += run.elapsedSec;
  a.non2xx += run.result.non2xx;
  a.errors += run.result.errors + run.result.timeouts;
  a.timeouts += run.result.timeouts;
  for (const [code, { count }] of Object.entries(run.result.statusCodeStats))
    a.statusCodes[code] = (a.statusCodes[code] ?? 0) + count;
  a.serverCpuMs = a.serverCpuMs === null || serverCpuMs === null ? null : a.serverCpuMs + serverCpuMs;
  a.loadGenCpuMs += run.loadGenCpuMs;
  a.machineCpuMs = a.machineCpuMs === null || machineCpuMs === null ? null : a.machineCpuMs + machineCpuMs;
  return a;
}

function toResult(target: Target, scenario: Scenario, a: Accumulated, column?: string): ScenarioResult {
  const total = a.latencies.reduce((n, l) => n + l.length, 0);
  const all = new Float64Array(total);
  let offset = 0;
  for (const l of a.latencies) {
    all.set(l, offset);
    offset += l.length;
  }
  const ms = a.elapsedSec * 1000;
  return {
    target,
    ...(column !== undefined && column !== target ? { column } : {}),
    scenario,
    reqPerSec: total / a.elapsedSec,
    responses: total,
    latency: summarizeLatencies(all),
    non2xx: a.non2xx,
    errors: a.errors,
    timeouts: a.timeouts,
    statusCodes: a.statusCodes,
    serverCpu: a.serverCpuMs === null ? null : (a.serverCpuMs / ms) * 100,
    loadGenCpu: (a.loadGenCpuMs / ms) * 100,
    otherCpu:
      a.machineCpuMs === null || a.serverCpuMs === null
        ? null
        : (Math.max(0, a.machineCpuMs - a.serverCpuMs - a.loadGenCpuMs) / ms) * 100,
    durationSec: a.elapsedSec,
  };
}

interface Prepared {
  spec: RequestSpec;
  /** Removes what the slice left behind (the upload's accounts); runs after the slice's CPU is read. */
  release: () => Promise<void>;
}

let uploadAccounts = 0;

/**
 * The upload on ours for `seconds`: accounts of their own, each holding one fresh case, enough that none
 * takes more than UPLOADS_PER_ACCOUNT files at up to UPLOAD_MAX_RATE uploads/s; reset afterwards.
 */
async function uploadSpec(port: number, seconds: number): Promise<Prepared> {
  const count = Math.max(1, Math.ceil((seconds * UPLOAD_MAX_RATE) / UPLOADS_PER_ACCOUNT));
  const targets: Array<{ authorization: string; path: string }> = [];
  const release = async (): Promise<void> => {
    for (const t of targets.splice(0))
      await post(port, `/__admin/reset?account=${encodeURIComponent(t.authorization.slice('Bearer '.length))}`);
  };
  try {
    for (let i = 0; i < count; i++) {
      const authorization = `Bearer sk_test_bench_upload_${++uploadAccounts}`;
      targets.push({ authorization, path: uploadPath(await createCase(port, authorization)) });
    }
  } catch (err) {
    await release();
    throw err;
  }
  const first = targets[0]!;
  return {
    spec: {
      ...requestFor('upload', ''),
      ...first,
      rotate: { targets: [...targets], perAccount: UPLOADS_PER_ACCOUNT },
    },
    release,
  };
}

async function runScenario(
  scenario: Scenario,
  lives: Live[],
  opts: BenchOptions,
  results: ScenarioResult[],
  failures: ScenarioFailure[],
): Promise<void> {
  console.log(`\n▶ ${SCENARIO_LABELS[scenario]}`);
  for (const ours of lives.filter((l) => isOurs(l.target) && !l.gone)) {
    if (scenario !== 'list') break;
    const need = opts.cases - ours.created;
    if (need > 0) {
      process.stdout.write(
        `  ${ours.key}: creating ${formatInt(need)} cases through the API (POST, keep-alive, parallel)… `,
      );
      const seed = await seedCases(ours.server.port, need, opts.connections);
      ours.created += seed.cases;
      ours.info.seed = { cases: ours.created, ms: seed.ms, failed: seed.failed };
      console.log(
        `${formatInt(seed.cases)} in ${(seed.ms / 1000).toFixed(1)} s (${formatInt(seed.cases / (seed.ms / 1000))}/s)` +
          (seed.failed ? `, ${formatInt(seed.failed)} failed` : '') +
          `; RSS now ${formatMb(readRssMb(ours.server.pid))}`,
      );
      await sleep(IDLE_SETTLE_MS);
    }
  }

  const runnable: Live[] = [];
  for (const live of lives) {
    if (live.gone) failures.push({ target: live.target, scenario, reason: live.gone });
    else if (scenario === 'get' && live.caseId === undefined)
      failures.push({ target: live.target, scenario, reason: live.caseProblem ?? 'no case to retrieve' });
    else runnable.push(live);
  }

  const checkAlive = (live: Live): boolean => {
    if (!live.gone && !alive(live.server.proc)) {
      live.gone = `the server exited during ${SCENARIO_LABELS[scenario]}${live.server.tail() ? `: ${lastLine(live.server.tail())}` : ''}`;
    }
    return !live.gone;
  };

  // What a slice sends: the same request throughout, except the upload on ours (accounts of its own).
  const problems = new Map<string, string>();
  const prepare = async (live: Live, seconds: number): Promise<Prepared | undefined> => {
    if (scenario !== 'upload' || !isOurs(live.target))
      return { spec: requestFor(scenario, live.caseId ?? ''), release: async () => {} };
    try {
      return await uploadSpec(live.server.port, seconds);
    } catch (err) {
      problems.set(live.key, `could not prepare the upload: ${(err as Error).message}`);
      return undefined;
    }
  };

  if (opts.warmup > 0) {
    for (const live of runnable) {
      if (interrupted || !checkAlive(live) || problems.has(live.key)) continue;
      const prepared = await prepare(live, opts.warmup);
      if (!prepared) continue;
      await runLoad(live.server.port, prepared.spec, {
        connections: opts.connections,
        duration: opts.warmup,
        record: false,
      });
      await prepared.release();
    }
  }

  const acc = new Map<string, Accumulated>();
  const width = Math.max(5, ...runnable.map((l) => l.key.length));
  const slice = opts.duration / opts.rounds;
  for (let round = 0; round < opts.rounds && !interrupted; round++) {
    // Rotate who goes first so no target always follows the same neighbour.
    const order = runnable.map((_, i) => runnable[(i + round) % runnable.length] as Live);
    for (const live of order) {
      if (interrupted || !checkAlive(live) || problems.has(live.key)) continue;
      const prepared = await prepare(live, slice);
      if (!prepared) continue;
      const pid = live.server.pid;
      const cpu0 = readCpuMs(pid);
      const machine0 = readMachineBusyMs();
      const run = await runLoad(live.server.port, prepared.spec, {
        connections: opts.connections,
        duration: slice,
        record: true,
      });
      const cpu1 = readCpuMs(pid);
      const machine1 = readMachineBusyMs();
      await prepared.release();
      const serverMs = cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null;
      const machineMs = machine0 !== null && machine1 !== null ? machine1 - machine0 : null;
      acc.set(live.key, accumulate(acc.get(live.key), run, serverMs, machineMs));
      checkAlive(live);
    }
  }
  if (interrupted) return;

  for (const live of runnable) {
    const a = acc.get(live.key);
    if (live.gone || problems.has(live.key) || !a) {
      const reason = live.gone ?? problems.get(live.key) ?? 'not measured';
      failures.push({ target: live.target, scenario, reason });
      console.log(`  ${live.key.padEnd(width)} ✗ ${reason}`);
      continue;
    }
    const r = toResult(live.target, scenario, a, live.key);
    results.push(r);
    console.log(
      `  ${live.key.padEnd(width)} ${formatInt(r.reqPerSec).padStart(7)} req/s  p50 ${formatMs(r.latency.p50)}  p99 ${formatMs(r.latency.p99)}` +
        `  non-2xx ${formatInt(r.non2xx)}  errors ${formatInt(r.errors)}` +
        `  (cpu: server ${pct(r.serverCpu)}, loadgen ${pct(r.loadGenCpu)}, other ${pct(r.otherCpu)})`,
    );
  }
}

// ---------------------------------------------------------------------------
// Soak and growth: ours alone, driven longer or over a growing account.

/** Where a mode's JSON goes: beside the comparison's unless --json says otherwise. */
const modeJson = (opts: BenchOptions, mode: string): string =>
  path.resolve(ROOT, opts.json === 'reports/bench.json' ? `reports/bench-${mode}.json` : opts.json);

function writeJson(file: string, report: unknown): void {
  const round = (_key: string, v: unknown): unknown =>
    typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, round, 2)}\n`);
  const shown = path.relative(ROOT, file);
  console.log(`\nbench: wrote ${shown.startsWith('..') ? file : shown}`);
}

async function startOursAlone(
  buildProblem: string | undefined,
  placement: Placement | undefined,
): Promise<Live | undefined> {
  console.log('\n▶ start-up');
  const { live } = await startTarget('ours', buildProblem, placement);
  if (live && placement) {
    const problem = pin(process.pid, placement.loadgen);
    if (problem) console.log(`  (load generator not pinned: ${problem})`);
  }
  return live;
}

/** `--soak <s>`: POST create on the docs' key for s seconds, counting responses per 5 s slice. */
async function runSoak(
  opts: BenchOptions,
  buildProblem: string | undefined,
  placement: Placement | undefined,
): Promise<number> {
  const live = await startOursAlone(buildProblem, placement);
  if (!live) return 1;
  const spec = requestFor('post-docs', '');
  const sliceSec = 5;
  console.log(
    `\n▶ soak: ${SCENARIO_LABELS['post-docs']} for ${opts.soak} s, ${opts.connections} connections (no warm-up: the first slice includes it)`,
  );
  const counts: number[] = [];
  // Server CPU at each slice boundary: µs per response per slice shows whether the cost of a create grows,
  // even when other processes on the machine starve the server of time.
  const cpuAt: Array<number | null> = [];
  const cpu0 = readCpuMs(live.server.pid);
  const machine0 = readMachineBusyMs();
  cpuAt.push(cpu0);
  const t0 = performance.now();
  // Each tick closes a slice: its responses and the server CPU they took, printed as it ends.
  const sampler = setInterval(() => {
    cpuAt.push(readCpuMs(live.server.pid));
    const i = cpuAt.length - 2;
    const a = cpuAt[i];
    const b = cpuAt[i + 1];
    const n = counts[i] ?? 0;
    const us = a != null && b != null && n ? (((b - a) * 1000) / n).toFixed(0) : '—';
    console.log(
      `  ${String(i * sliceSec).padStart(4)}–${String((i + 1) * sliceSec).padEnd(4)} s  ${formatInt(n / sliceSec).padStart(7)} req/s  ${us.padStart(4)} µs cpu/req`,
    );
  }, sliceSec * 1000);
  const run = await new Promise<LoadRun>((resolve, reject) => {
    const started = runLoad(live.server.port, spec, {
      connections: opts.connections,
      duration: opts.soak,
      record: false,
    });
    currentLoad?.on('response', () => {
      const slice = Math.floor((performance.now() - t0) / (sliceSec * 1000));
      counts[slice] = (counts[slice] ?? 0) + 1;
    });
    started.then(resolve, reject);
  });
  clearInterval(sampler);
  const cpu1 = readCpuMs(live.server.pid);
  const machine1 = readMachineBusyMs();
  const full = Math.floor(opts.soak / sliceSec);
  const perSec = Array.from({ length: full }, (_, i) => (counts[i] ?? 0) / sliceSec);
  const cpuUsPerReq = Array.from({ length: full }, (_, i) => {
    const a = cpuAt[i];
    const b = cpuAt[i + 1];
    return a != null && b != null && counts[i] ? ((b - a) * 1000) / counts[i]! : null;
  });
  const report = { ...evaluateSoak(perSec, sliceSec), cpuUsPerReq };
  const elapsedMs = run.elapsedSec * 1000;
  const serverCpu = cpu0 !== null && cpu1 !== null ? ((cpu1 - cpu0) / elapsedMs) * 100 : null;
  const otherCpu =
    cpu0 !== null && cpu1 !== null && machine0 !== null && machine1 !== null
      ? (Math.max(0, machine1 - machine0 - (cpu1 - cpu0) - run.loadGenCpuMs) / elapsedMs) * 100
      : null;
  const rssMb = readRssMb(live.server.pid);
  await stopChild(live.server.proc);
  console.log(`\n${renderSoak(report, SCENARIO_LABELS['post-docs'])}`);
  const cpuFirst = cpuUsPerReq[1];
  const cpuLast = cpuUsPerReq[cpuUsPerReq.length - 1];
  if (cpuFirst && cpuLast)
    console.log(
      `  server cpu per create: ${cpuFirst.toFixed(0)} µs in the second slice, ${cpuLast.toFixed(0)} µs in the last (${formatPercent(cpuFirst / cpuLast)} of the second's rate)`,
    );
  console.log(
    `  ${formatInt(run.result['2xx'])} created, non-2xx ${formatInt(run.result.non2xx)}, errors ${formatInt(run.result.errors + run.result.timeouts)}; ` +
      `RSS at the end ${formatMb(rssMb)}; cpu: server ${pct(serverCpu)}, loadgen ${pct((run.loadGenCpuMs / elapsedMs) * 100)}, other ${pct(otherCpu)}` +
      (otherCpu !== null && otherCpu > 25 ? '  ⚠ disturbed by other processes' : ''),
  );
  writeJson(modeJson(opts, 'soak'), {
    generatedAt: new Date().toISOString(),
    node: process.version,
    connections: opts.connections,
    seconds: opts.soak,
    ...report,
    created: run.result['2xx'],
    non2xx: run.result.non2xx,
    errors: run.result.errors,
    rssMb,
    serverCpu,
    otherCpu,
  });
  return 0;
}

/** GET with a fresh connection; the parsed JSON body. */
function getJson(port: number, urlPath: string, authorization: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: HOST, port, path: urlPath, agent: false, timeout: 10_000, headers: { authorization } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

function post(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: HOST, port, path: urlPath, method: 'POST', agent: false, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end();
  });
}

/**
 * `--growth 1k,10k,…`: for each count, an account of its own is filled to that many cases through the
 * API, its reads are measured, then creates into it (which add cases), and the account is reset
 * before the next count so RSS reflects one account.
 */
async function runGrowth(
  opts: BenchOptions,
  buildProblem: string | undefined,
  placement: Placement | undefined,
): Promise<number> {
  if (opts.stores.length > 0) return runStoreGrowth(opts, buildProblem, placement);
  const live = await startOursAlone(buildProblem, placement);
  if (!live) return 1;
  const grown = await growAccounts(live, opts);
  await stopChild(live.server.proc);
  if (grown === 'interrupted') return 130;
  const { rows, rss0, seconds } = grown;
  const goals = evaluateGrowth(rows);
  console.log(`\n${renderGrowth(rows)}\n\nTargets from the issue (reported, not asserted)\n${renderGoals(goals)}`);
  // The memory figures beside the growth table: at --memory's counts, else the largest count up to 100k.
  const counts = opts.memory.length ? opts.memory : [Math.min(Math.max(...opts.growth), 100_000)];
  const memory = await memoryFigures(counts);
  if (memory === 'interrupted') return 130;
  writeJson(modeJson(opts, 'growth'), {
    memory,
    generatedAt: new Date().toISOString(),
    node: process.version,
    connections: opts.connections,
    secondsPerMeasurement: seconds,
    rssBaselineMb: rss0,
    rows,
    goals,
  });
  return 0;
}

/** Runs scripts/bench-memory.mjs in a child `node --expose-gc` at `cases`: its report, or why it failed. */
function measureMemory(cases: number): Promise<MemoryReport | string> {
  // Room for the cases and their deliveries (a few KB each today) with a margin.
  const heapMb = Math.max(4096, Math.ceil((cases * 16_384) / 2 ** 20));
  return new Promise((resolve) => {
    const proc = spawn(
      process.execPath,
      [
        '--expose-gc',
        `--max-old-space-size=${heapMb}`,
        path.join(ROOT, 'scripts/bench-memory.mjs'),
        '--cases',
        String(cases),
        '--json',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.add(proc);
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    proc.stderr.on('data', (c: Buffer) => {
      err = (err + c.toString('utf8')).slice(-4000);
      process.stdout.write(c);
    });
    proc.on('error', (e) => resolve(`could not start: ${e.message}`));
    proc.on('exit', (code, signal) => {
      children.delete(proc);
      if (code !== 0) return resolve(`exited (${signal ?? `code ${code}`}): ${lastLine(err.trim())}`);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as MemoryReport);
      } catch {
        resolve(`unreadable output: ${out.slice(0, 200)}`);
      }
    });
  });
}

/** The memory figures at each count, printed as they come and then as a table. */
async function memoryFigures(counts: readonly number[]): Promise<MemoryReport[] | 'interrupted'> {
  const reports: MemoryReport[] = [];
  for (const n of counts) {
    if (interrupted) return 'interrupted';
    console.log(
      `\n▶ memory at ${formatInt(n)} cases (node --expose-gc scripts/bench-memory.mjs: the mock in-process, heap after a full GC)`,
    );
    const r = await measureMemory(n);
    if (typeof r === 'string') {
      console.log(`  ✗ ${r}`);
      continue;
    }
    reports.push(r);
    console.log(
      `  ${formatInt(r.bytesPerCase)} bytes per case, ${r.bytesPerDelivery === null ? '—' : formatInt(r.bytesPerDelivery)} per delivery-log entry` +
        ` (filled in ${((r.fill.casesMs + r.fill.hookedMs) / 1000).toFixed(1)} s, deliveries drained in ${(r.fill.drainMs / 1000).toFixed(1)} s)`,
    );
  }
  if (reports.length) console.log(`\n${renderMemory(reports)}`);
  return reports;
}

/** `--memory 100k`: bytes per stored case and per delivery-log entry at each count (reports/bench-memory.json). */
async function runMemory(opts: BenchOptions, buildProblem: string | undefined): Promise<number> {
  if (buildProblem) {
    console.log(`\nbench: ${buildProblem}`);
    return 1;
  }
  const memory = await memoryFigures(opts.memory);
  if (memory === 'interrupted') return 130;
  writeJson(modeJson(opts, 'memory'), { generatedAt: new Date().toISOString(), node: process.version, memory });
  return memory.length === opts.memory.length ? 0 : 1;
}

/** The growth rows of one running mock: an account per count, filled through the API, measured, reset. */
async function growAccounts(
  live: Live,
  opts: BenchOptions,
): Promise<{ rows: GrowthRow[]; rss0: number | null; seconds: number } | 'interrupted'> {
  const { port, pid } = live.server;
  const seconds = Math.max(1, opts.duration / 2);
  const warmup = Math.min(1, opts.warmup);
  await createCase(port, 'Bearer sk_test_growth_baseline');
  await sleep(IDLE_SETTLE_MS);
  const rss0 = readRssMb(pid);
  console.log(
    `  RSS with one small account: ${formatMb(rss0)}; each measurement ${seconds} s after ${warmup} s of warm-up, ${opts.connections} connections`,
  );
  const rows: GrowthRow[] = [];
  for (const n of opts.growth) {
    if (interrupted) return 'interrupted';
    const authorization = `Bearer sk_test_growth_${n}`;
    console.log(`\n▶ ${formatInt(n)} cases`);
    const t0 = performance.now();
    const half = await seedCases(port, Math.floor(n / 2), opts.connections, authorization);
    const middle = (await getJson(port, `${CASES_PATH}?limit=1`, authorization)).data?.[0]?.id as string | undefined;
    const rest = await seedCases(port, n - half.cases, opts.connections, authorization);
    const failed = half.failed + rest.failed;
    if (!middle) {
      console.log('  ✗ could not read back a case id; stopping');
      break;
    }
    // Let V8 finish the collection the fill started (a large heap is marked for seconds), so the reads
    // below measure serving, not the tail of the fill: 1 s per 100,000 cases, at least 0.5 s, at most 10 s.
    await sleep(Math.min(10_000, Math.max(IDLE_SETTLE_MS, n / 100)));
    const rssMb = readRssMb(pid);
    console.log(
      `  created ${formatInt(half.cases + rest.cases)} in ${((performance.now() - t0) / 1000).toFixed(1)} s${failed ? ` (${formatInt(failed)} failed)` : ''}; RSS ${formatMb(rssMb)}`,
    );
    let problems = failed;
    const measure = async (
      label: string,
      spec: RequestSpec,
    ): Promise<{ latency: LatencySummary; reqPerSec: number; cpuUsPerReq: number | null }> => {
      if (warmup > 0) await runLoad(port, spec, { connections: opts.connections, duration: warmup, record: false });
      const cpu0 = readCpuMs(pid);
      const machine0 = readMachineBusyMs();
      const run = await runLoad(port, spec, { connections: opts.connections, duration: seconds, record: true });
      const cpu1 = readCpuMs(pid);
      const machine1 = readMachineBusyMs();
      problems += run.result.non2xx + run.result.errors + run.result.timeouts;
      const latency = summarizeLatencies(run.latencies);
      const reqPerSec = run.latencies.length / run.elapsedSec;
      const cpuUsPerReq =
        cpu0 !== null && cpu1 !== null && run.latencies.length ? ((cpu1 - cpu0) * 1000) / run.latencies.length : null;
      const elapsedMs = run.elapsedSec * 1000;
      const other =
        cpu0 !== null && cpu1 !== null && machine0 !== null && machine1 !== null
          ? (Math.max(0, machine1 - machine0 - (cpu1 - cpu0) - run.loadGenCpuMs) / elapsedMs) * 100
          : null;
      console.log(
        `  ${label.padEnd(34)} ${formatInt(reqPerSec).padStart(7)} req/s  p50 ${formatMs(latency.p50)}  p99 ${formatMs(latency.p99)}` +
          `  cpu ${cpuUsPerReq === null ? '—' : cpuUsPerReq.toFixed(0)} µs/req, other ${pct(other)}${run.result.non2xx ? `  non-2xx ${run.result.non2xx}` : ''}`,
      );
      return { latency, reqPerSec, cpuUsPerReq };
    };
    const get = (p: string): RequestSpec => ({ method: 'GET', path: p, authorization });
    const list = await measure('GET list limit=10', get(`${CASES_PATH}?limit=10`));
    const listStatus = await measure('GET list status=active', get(`${CASES_PATH}?limit=10&status=active`));
    const listRare = await measure('GET list status=closed (none)', get(`${CASES_PATH}?limit=10&status=closed`));
    const listDeep = await measure(
      'GET list starting_after the middle',
      get(`${CASES_PATH}?limit=10&starting_after=${middle}`),
    );
    const retrieve = await measure('GET retrieve', get(`${CASES_PATH}/${middle}`));
    const create = await measure('POST create (adds cases)', { ...requestFor('post', ''), authorization });
    rows.push({
      cases: n,
      createReqPerSec: create.reqPerSec,
      createCpuUsPerReq: create.cpuUsPerReq,
      list: list.latency,
      listStatus: listStatus.latency,
      listRareStatus: listRare.latency,
      listDeep: listDeep.latency,
      retrieve: retrieve.latency,
      rssMb,
      bytesPerCase: rssMb !== null && rss0 !== null ? ((rssMb - rss0) * 1024 * 1024) / n : null,
      problems,
    });
    // One account at a time: forget this one before filling the next.
    await post(port, `/__admin/reset?account=${encodeURIComponent(authorization.slice('Bearer '.length))}`);
  }
  return { rows, rss0, seconds };
}

const pct = (n: number | null): string => (n === null ? '—' : `${n.toFixed(0)} %`);

// ---------------------------------------------------------------------------
// Stores: ours on each store (--stores), side by side in one run, or one after another with --growth.

/** Temporary folders and databases to remove when the bench ends, however it ends. */
const cleanups = new Set<() => Promise<void>>();

async function cleanUp(): Promise<void> {
  for (const fn of [...cleanups]) {
    cleanups.delete(fn);
    await fn().catch((err: unknown) => console.error(`bench: clean-up failed: ${(err as Error).message}`));
  }
}

interface PreparedColumn extends StoreColumn {
  command?: OursCommand;
  /** Where its sandbox is kept (a folder, or a database URL without its password). */
  where?: string;
  /** Removes the store (folder or database); idempotent. */
  release: () => Promise<void>;
}

/** `postgres://user:secret@host/db` → `postgres://user@host/db`, for printing. */
function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** The short commit of a checkout, or its folder name. */
function describeCheckout(dir: string): string {
  const r = spawnSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : path.basename(path.resolve(dir));
}

const oursArgs = (cli: string, extra: readonly string[]) => (port: number) => [
  cli,
  '--port',
  String(port),
  '--host',
  HOST,
  '--seed',
  'bench',
  '--quiet',
  ...extra,
];

/** Makes a store ready for one run: a temporary folder for SQLite, a fresh database for PostgreSQL. */
async function prepareColumn(store: StoreName, opts: BenchOptions, baseline?: string): Promise<PreparedColumn> {
  const none = async (): Promise<void> => {};
  const cli = path.join(ROOT, 'dist/mocks/cli.js');
  if (baseline !== undefined) {
    const dir = path.resolve(baseline);
    const label = `memory @ ${describeCheckout(dir)}`;
    const theirs = path.join(dir, 'dist/mocks/cli.js');
    if (!fs.existsSync(theirs))
      return { label, store, release: none, skipped: `${theirs} not found (run npm run build in ${dir})` };
    return { label, store, release: none, where: dir, command: { args: oursArgs(theirs, []), cwd: dir } };
  }
  const label = STORE_LABELS[store];
  if (store === 'memory') return { label, store, release: none, command: { args: oursArgs(cli, []) } };
  if (store === 'sqlite-full' || store === 'sqlite-normal') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casapay-bench-'));
    const release = async (): Promise<void> => fs.rmSync(dir, { recursive: true, force: true });
    cleanups.add(release);
    const durability = store === 'sqlite-full' ? 'full' : 'normal';
    return {
      label,
      store,
      release,
      where: dir,
      command: { args: oursArgs(cli, ['--data-dir', dir, '--durability', durability]) },
    };
  }
  const server = opts.databaseUrl ?? (process.env.CASAPAY_BENCH_POSTGRES_URL || undefined);
  if (!server)
    return {
      label,
      store,
      release: none,
      skipped: 'no PostgreSQL server: pass --database-url postgres://… or set CASAPAY_BENCH_POSTGRES_URL',
    };
  const { default: pg } = await import('pg');
  const name = `casapay_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      await client.query(sql);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  try {
    await admin(`CREATE DATABASE ${name}`);
  } catch (err) {
    return {
      label,
      store,
      release: none,
      skipped: `could not create a database on ${withoutPassword(server)}: ${(err as Error).message}`,
    };
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  let dropped = false;
  const release = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    cleanups.delete(release);
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  cleanups.add(release);
  return {
    label,
    store,
    release,
    where: withoutPassword(url.toString()),
    command: { args: oursArgs(cli, ['--database-url', url.toString()]) },
  };
}

async function prepareColumns(opts: BenchOptions): Promise<PreparedColumn[]> {
  const columns: PreparedColumn[] = [];
  for (const store of opts.stores) {
    columns.push(await prepareColumn(store, opts));
    // The other checkout's in-memory mock sits beside this one's, so the two are measured alike.
    if (store === 'memory') for (const dir of opts.baselines) columns.push(await prepareColumn('memory', opts, dir));
  }
  if (!opts.stores.includes('memory'))
    for (const dir of opts.baselines) columns.push(await prepareColumn('memory', opts, dir));
  // Labels name the columns in the output and the report: two checkouts at one commit get a number.
  const seen = new Map<string, number>();
  for (const c of columns) {
    const n = (seen.get(c.label) ?? 0) + 1;
    seen.set(c.label, n);
    if (n > 1) c.label = `${c.label} (${n})`;
  }
  return columns;
}

async function startColumn(
  column: PreparedColumn,
  buildProblem: string | undefined,
  placement: Placement | undefined,
): Promise<Live | undefined> {
  if (column.skipped || !column.command) {
    console.log(`  ✗ ${column.label} skipped: ${column.skipped ?? 'nothing to start'}`);
    return undefined;
  }
  // Another checkout's build is not ours to rebuild: only this checkout's build problem stops it.
  const problem = column.command.cwd === undefined ? buildProblem : undefined;
  const { info, live } = await startTarget('ours', problem, placement, {
    label: column.label,
    command: column.command,
  });
  if (!live) column.skipped = info.reason;
  else if (column.where) console.log(`        (${column.where})`);
  return live;
}

/** `--stores …`: ours on each store, measured side by side in alternating slices; ratios to memory. */
async function runStores(
  opts: BenchOptions,
  buildProblem: string | undefined,
  placement: Placement | undefined,
): Promise<number> {
  const columns = await prepareColumns(opts);
  console.log('\n▶ start-up');
  const lives: Live[] = [];
  for (const column of columns) {
    if (interrupted) return 130;
    const live = await startColumn(column, buildProblem, placement);
    if (live) lives.push(live);
  }
  if (lives.length === 0) {
    console.log('\nbench: no store could be started.');
    await cleanUp();
    return 1;
  }
  if (placement) {
    const problem = pin(process.pid, placement.loadgen);
    if (problem) console.log(`  (load generator not pinned: ${problem})`);
  }
  // Every store holds the same cases before anything is measured: the one to retrieve, then --cases in all.
  console.log(`\n▶ filling each store to ${formatInt(opts.cases)} cases through the API (POST, keep-alive, parallel)`);
  const seeded = new Map<string, { cases: number; ms: number; failed: number }>();
  for (const live of lives) {
    if (interrupted) return 130;
    try {
      live.caseId = await createCase(live.server.port);
      live.created++;
    } catch (err) {
      live.caseProblem = `could not create the case to retrieve: ${(err as Error).message}`;
    }
    const seed = await seedCases(live.server.port, Math.max(0, opts.cases - live.created), opts.connections);
    live.created += seed.cases;
    seeded.set(live.key, { cases: live.created, ms: seed.ms, failed: seed.failed });
    console.log(
      `  ${live.key.padEnd(Math.max(...lives.map((l) => l.key.length)))} ${formatInt(live.created)} cases in ${(seed.ms / 1000).toFixed(1)} s (${formatInt(seed.cases / (seed.ms / 1000))}/s)` +
        (seed.failed ? `, ${formatInt(seed.failed)} failed` : '') +
        (live.caseProblem ? `; ✗ ${live.caseProblem}` : '') +
        `; RSS ${formatMb(readRssMb(live.server.pid))}`,
    );
  }
  await sleep(IDLE_SETTLE_MS);

  const results: ScenarioResult[] = [];
  const failures: ScenarioFailure[] = [];
  for (const scenario of STORE_SCENARIOS) {
    if (interrupted) return 130;
    await runScenario(scenario, lives, opts, results, failures);
  }
  if (interrupted) return 130;
  await Promise.all(lives.map((l) => stopChild(l.server.proc)));
  for (const column of columns) await column.release();

  const of = (label: string, scenario: Scenario) =>
    results.find((r) => (r.column ?? r.target) === label && r.scenario === scenario);
  const rows: StoreRow[] = columns.map((c) => ({
    label: c.label,
    store: c.store,
    ...(c.skipped ? { skipped: c.skipped } : {}),
    ...(seeded.has(c.label) ? { seeded: seeded.get(c.label) } : {}),
    create: of(c.label, 'post'),
    list: of(c.label, 'list'),
    retrieve: of(c.label, 'get'),
  }));
  console.log(`\n${renderStores(rows, opts.cases)}`);
  const lost = lives.filter((l) => l.gone).map((l) => `  ✗ ${l.key}: ${l.gone}`);
  if (lost.length) console.log(lost.join('\n'));
  writeJson(modeJson(opts, 'stores'), {
    generatedAt: new Date().toISOString(),
    machine: machineInfo(
      placement ? `server on cpu ${placement.server}, load generator on cpu ${placement.loadgen}` : 'cores not pinned',
    ),
    options: {
      duration: opts.duration,
      rounds: opts.rounds,
      warmup: opts.warmup,
      connections: opts.connections,
      cases: opts.cases,
      stores: opts.stores,
      baselines: opts.baselines,
    },
    rows,
    ratios: computeStoreRatios(rows),
    failures,
  });
  return rows.some((r) => r.create || r.list || r.retrieve) ? 0 : 1;
}

/** `--growth … --stores …`: the growth table for each store in turn (one mock at a time, each on a fresh store). */
async function runStoreGrowth(
  opts: BenchOptions,
  buildProblem: string | undefined,
  placement: Placement | undefined,
): Promise<number> {
  const columns = await prepareColumns(opts);
  const growths: StoreGrowth[] = [];
  let seconds = 0;
  for (const column of columns) {
    if (interrupted) return 130;
    console.log(`\n━━ ${column.label}`);
    console.log('▶ start-up');
    const live = await startColumn(column, buildProblem, placement);
    if (!live) {
      growths.push({ label: column.label, store: column.store, skipped: column.skipped ?? 'not started', rows: [] });
      await column.release();
      continue;
    }
    if (placement) pin(process.pid, placement.loadgen);
    const grown = await growAccounts(live, opts);
    await stopChild(live.server.proc);
    await column.release();
    if (grown === 'interrupted') return 130;
    seconds = grown.seconds;
    console.log(`\n${renderGrowth(grown.rows)}`);
    growths.push({ label: column.label, store: column.store, rows: grown.rows });
  }
  console.log(`\n${renderStoreGrowth(growths)}`);
  writeJson(modeJson(opts, 'stores-growth'), {
    generatedAt: new Date().toISOString(),
    node: process.version,
    connections: opts.connections,
    secondsPerMeasurement: seconds,
    stores: growths,
  });
  return growths.some((g) => g.rows.length > 0) ? 0 : 1;
}

async function main(): Promise<number> {
  let opts: BenchOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`bench: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }

  const targets = TARGETS.filter((t) => opts.only.includes(t));
  const scenarios = RUN_ORDER.filter((s) => opts.scenarios.includes(s));
  const cpus = os.cpus();
  const plan = opts.pin ? planPlacement() : 'disabled with --no-pin';
  const placement = typeof plan === 'string' ? undefined : plan;
  const placementText = placement
    ? `server on cpu ${placement.server}, load generator on cpu ${placement.loadgen}`
    : 'cores not pinned';
  console.log(
    (opts.startupOnly
      ? 'bench: start-up only'
      : opts.memory.length && !opts.growth.length
        ? `bench: memory per stored object at ${opts.memory.map(formatInt).join(', ')} cases`
        : opts.stores.length
          ? `bench: ours on ${opts.stores.join(', ')}${opts.baselines.map((b) => ` and ${b}'s build`).join('')} × ${opts.growth.length ? `growth ${opts.growth.map(formatInt).join(', ')}` : STORE_SCENARIOS.join(', ')}; ${opts.connections} connections, ${opts.growth.length ? `${Math.max(1, opts.duration / 2)} s per measurement` : `${opts.duration} s per store and scenario`}`
          : `bench: ${targets.join(', ')} × ${scenarios.join(', ')}; ${opts.connections} connections, ${opts.duration} s per target and scenario`) +
      (opts.startupOnly || (opts.memory.length && !opts.growth.length)
        ? ''
        : (opts.rounds > 1 ? ` in ${opts.rounds} alternating slices` : '') +
          (opts.warmup > 0 ? `, ${opts.warmup} s warm-up` : '')) +
      `\n       ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, node ${process.version}; ` +
      (placement ? placementText : `cores not pinned (${plan as string})`),
  );
  const buildProblem =
    targets.some(isOurs) || opts.soak || opts.growth.length || opts.stores.length || opts.memory.length
      ? ensureBuilt()
      : undefined;
  if (opts.soak) return runSoak(opts, buildProblem, placement);
  if (opts.memory.length && !opts.growth.length) return runMemory(opts, buildProblem);
  if (opts.stores.length && !opts.growth.length) return runStores(opts, buildProblem, placement);
  if (opts.growth.length) return runGrowth(opts, buildProblem, placement);

  const infos: TargetInfo[] = [];
  const lives: Live[] = [];
  const results: ScenarioResult[] = [];
  const failures: ScenarioFailure[] = [];

  // First, on an idle machine: ours started as a user starts it, several times.
  let startup: StartupResult[] = [];
  if (targets.includes('ours') && !buildProblem && opts.startupRuns > 0) {
    console.log(
      `\n▶ start-up of ours as a user runs it (launch → first 200 on GET ${CASES_PATH}, ${opts.startupRuns} starts each)`,
    );
    startup = await measureStartups(ROOT, opts.startupRuns);
    console.log(formatStartups(startup, STARTUP_TARGETS_MS));
  }
  if (opts.startupOnly) {
    writeReport(opts, {
      generatedAt: new Date().toISOString(),
      machine: machineInfo(placementText),
      startup,
      targetsMs: STARTUP_TARGETS_MS,
    });
    return startup.some((r) => r.medianMs !== null) ? 0 : 1;
  }

  console.log('\n▶ start-up (spawn → first 200 on GET, polled every 5 ms)');
  for (const target of targets) {
    if (interrupted) return 130;
    const { info, live } = await startTarget(target, buildProblem, placement);
    infos.push(info);
    if (live) lives.push(live);
  }
  if (lives.length === 0) {
    console.log('\nbench: no target could be started.');
    return 1;
  }
  if (placement) {
    const problem = pin(process.pid, placement.loadgen);
    if (problem) console.log(`  (load generator not pinned: ${problem})`);
  }

  for (const live of lives) {
    if (!isOurs(live.target)) {
      live.caseId = PRISM_CASE_ID;
    } else if (scenarios.includes('get')) {
      try {
        live.caseId = await createCase(live.server.port);
        live.created++;
      } catch (err) {
        live.caseProblem = `could not create the case to retrieve: ${(err as Error).message}`;
        console.log(`  ✗ ours: ${live.caseProblem}`);
      }
    }
  }

  for (const scenario of scenarios) {
    if (interrupted) return 130;
    await runScenario(scenario, lives, opts, results, failures);
  }
  if (interrupted) return 130;
  for (const live of lives) live.info.rssAfterMb = alive(live.server.proc) ? readRssMb(live.server.pid) : null;
  await Promise.all(lives.map((l) => stopChild(l.server.proc)));

  console.log(`\n${renderReport({ results, failures, targets: infos, options: opts, placement: placementText })}`);

  const ours = infos.find((t) => t.target === 'ours');
  const report = {
    generatedAt: new Date().toISOString(),
    machine: machineInfo(placementText),
    startup,
    options: {
      duration: opts.duration,
      rounds: opts.rounds,
      warmup: opts.warmup,
      connections: opts.connections,
      cases: opts.cases,
      targets,
      scenarios,
    },
    units: {
      reqPerSec: 'responses (any status) per second of the measured slices',
      latency: 'ms, per response (autocannon hrtime)',
      cpu: '% of one core over the measured slices',
      rss: 'MiB (VmRSS)',
    },
    targets: infos,
    results,
    failures,
    // The headline: server CPU µs per response, scenario → target (also in each result as serverCpu / reqPerSec).
    cpuUsPerResponse: Object.fromEntries(
      scenarios.map((s) => [
        s,
        Object.fromEntries(
          results.filter((r) => r.scenario === s).map((r) => [r.target, cpuUsPerResponse(r)] as const),
        ),
      ]),
    ),
    ratios: computeRatios(results, opts.scenarios),
    goals: evaluateGoals({ results, ours, cases: opts.cases }),
  };
  writeReport(opts, report);
  return results.length > 0 ? 0 : 1;
}

/** The issue's start-up targets: the built CLI, and npm start with its own overhead. */
const STARTUP_TARGETS_MS: Record<string, number> = { 'node dist/mocks/cli.js': 300, 'npm start': 1000 };

function machineInfo(placement: string) {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? null,
    totalMemMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    placement,
  };
}

function writeReport(opts: BenchOptions, report: object): void {
  const out = path.resolve(ROOT, opts.json);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const round = (_key: string, v: unknown): unknown =>
    typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v;
  fs.writeFileSync(out, `${JSON.stringify(report, round, 2)}\n`);
  const shown = path.relative(ROOT, out);
  console.log(`\nbench: wrote ${shown.startsWith('..') ? out : shown}`);
}

main().then(
  async (code) => {
    await Promise.all([...children].map(stopChild));
    await cleanUp();
    process.exit(code);
  },
  async (err: unknown) => {
    console.error('bench: failed:', err);
    await Promise.all([...children].map(stopChild));
    await cleanUp();
    process.exit(1);
  },
);

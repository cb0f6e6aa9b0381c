// Specmatic's contract tests against the mock, as a user of the contract runs them: for each of the
// three contracts a fresh mock (`node dist/mocks/cli.js --port 0`, so every run starts from the seed),
// then `java -jar specmatic.jar test` (the jar the npm package `specmatic` ships) with the contract's
// examples and generative tests, positive and negative (specmatic.yaml `test.resiliencyTests.enable:
// all`). Specmatic's JUnit report gives the counts and the failures; its console log gives each
// failure's request and response and the warnings it raised while reading the contract.
//
// A failure passes only when it is a known tool limitation (scripts/specmatic-known-limitations.json:
// matched by contract, operation, scenario and response, each with its reason); every other failure,
// and every contract warning not listed there, fails the run (exit 1). Reports land in
// reports/specmatic/<contract>/ (specmatic.yaml, specmatic.log, junit/, summary.json).
//
//   npm run specmatic                         all three contracts, as shipped in generated/
//   npm run specmatic -- --contract casapay   one contract (repeatable)
//   npm run specmatic -- --spec-dir DIR       DIR/<contract>.json instead of generated/ (a patched copy)
//   npm run specmatic -- --no-run             re-read the last reports without running anything
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ContractRun {
  name: string;
  /** Where the contract's paths start on the mock. */
  basePath: string;
  /** Credentials, in env vars named after the contract's security schemes (how Specmatic reads them). */
  auth: Record<string, string>;
}

// The docs' credentials: CasaPay's test key (README), Debitura's partner key and the docs' literal
// token for the docs' client (docs/debitura.md), which the mock seeds.
export const CONTRACTS: ContractRun[] = [
  { name: 'casapay', basePath: '', auth: { bearerAuth: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc' } },
  {
    name: 'debitura-customer',
    basePath: '/debitura/customer',
    auth: { Bearer: 'eyJhbGciOiJIUzI1NiIs...', ApiKey: 'YOUR_API_KEY' },
  },
  { name: 'debitura-referral', basePath: '/debitura/referral', auth: { ApiKey: 'YOUR_API_KEY' } },
];

/** Generative tests try at most this many request variants per example/operation (Specmatic's own default is unbounded). */
export const DEFAULT_COMBINATIONS = 8;
const RUN_TIMEOUT_MS = 600_000;

export function specmaticConfig(combinations: number): string {
  return [
    'version: 2',
    'test:',
    '  resiliencyTests:',
    '    enable: all',
    `  maxTestRequestCombinations: ${combinations}`,
    '  timeoutInMilliseconds: 10000',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- reading Specmatic's output

export interface TestCase {
  name: string;
  failed: boolean;
  message: string;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#10;/g, '\n')
    .replace(/&#13;/g, '\r')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, '&');
}

/** The test cases of a JUnit report Specmatic wrote (its names carry a JUnit prefix up to `contractTest() > `). */
export function parseJUnit(xml: string): TestCase[] {
  const cases: TestCase[] = [];
  const re = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const match of xml.matchAll(re)) {
    const name = unescapeXml(/\bname="([^"]*)"/.exec(match[1] ?? '')?.[1] ?? '').replace(/^.*?contractTest\(\) > /, '');
    const failure = /<(failure|error)\b[^>]*?message="([^"]*)"/.exec(match[3] ?? '');
    cases.push({ name, failed: failure !== null, message: failure ? unescapeXml(failure[2] ?? '') : '' });
  }
  return cases;
}

export interface Exchange {
  scenario: string;
  failed: boolean;
  request: string;
  response: string;
  status: number | null;
  reason: string;
}

/** The console log's test blocks (request, response, `Scenario: … has SUCCEEDED|FAILED`, reason). */
export function parseLog(log: string): Exchange[] {
  const out: Exchange[] = [];
  for (const block of log.split(/\n-{20}\n/)) {
    const verdict = /^([+-]ve\s+Scenario: .*) has (SUCCEEDED|FAILED)$/m.exec(block);
    if (!verdict) continue;
    const request = /(?:^|\n) {2}Request to [^\n]*\n([\s\S]*?)\n\n {2}Response at/.exec(block)?.[1] ?? '';
    const response = /\n {2}Response at [^\n]*\n([\s\S]*?)\n\n[+-]ve\s+Scenario:/.exec(block)?.[1] ?? '';
    const status = /^\s*(\d{3})\b/.exec(response);
    const reason = block.slice(verdict.index + verdict[0].length).replace(/^\s*Reason:\s*/, '');
    out.push({
      scenario: verdict[1] ?? '',
      failed: verdict[2] === 'FAILED',
      request: dedent(request),
      response: dedent(response),
      status: status ? Number(status[1]) : null,
      reason: reason.trim(),
    });
  }
  return out;
}

function dedent(text: string): string {
  return text.replace(/^ {4}/gm, '').trim();
}

export interface ContractWarning {
  code: string;
  at: string;
  text: string;
}

/**
 * What Specmatic said about the contract before testing: `>> <json path>` blocks with an OAS rule
 * code (or none), and `WARNING:` lines (examples it ignored).
 */
export function parseWarnings(log: string): ContractWarning[] {
  const head = log.split(/\n-{20}\n/)[0] ?? '';
  const warnings: ContractWarning[] = [];
  for (const line of head.split('\n')) {
    if (line.startsWith('WARNING: ')) warnings.push({ code: 'WARNING', at: '', text: line.slice(9).trim() });
  }
  for (const match of head.matchAll(/^>> ([^\n]+)\n([\s\S]*?)(?=\n>> |\n\S|(?![\s\S]))/gm)) {
    const body = (match[2] ?? '').trim();
    const code = /\b(OAS\d{4}|R\d{4})\b/.exec(body)?.[1] ?? 'NOCODE';
    const text = body.split('\n').filter((l) => l.trim() && !/^\s*(Documentation|Summary):/.test(l));
    warnings.push({ code, at: match[1] ?? '', text: text.map((l) => l.trim()).join(' ') });
  }
  return warnings;
}

// ---------------------------------------------------------------- known limitations

export interface KnownFailure {
  id: string;
  contracts: string[];
  /** Regex on the scenario name (`+ve  Scenario: POST /v1/claims -> 201 …`). */
  scenario: string;
  /** Regex on the response Specmatic logged (status line, headers, body). */
  response: string;
  reason: string;
  evidence: string;
}

export interface KnownWarning {
  id: string;
  contracts: string[];
  code: string;
  /** Regex on the JSON path Specmatic names (empty for `WARNING:` lines). */
  at: string;
  /** Regex on the warning's text. */
  text: string;
  reason: string;
}

export interface KnownLimitations {
  failures: KnownFailure[];
  warnings: KnownWarning[];
}

export function loadKnown(file = path.join(root, 'scripts/specmatic-known-limitations.json')): KnownLimitations {
  const data = JSON.parse(readFileSync(file, 'utf8')) as KnownLimitations;
  for (const entry of [...data.failures, ...data.warnings]) {
    if (!entry.id || !entry.reason || entry.contracts.length === 0) {
      throw new Error(`${file}: ${JSON.stringify(entry)} needs an id, a reason and its contracts`);
    }
  }
  for (const entry of data.failures) {
    if (!entry.scenario || !entry.response || !entry.evidence) {
      throw new Error(`${file}: ${entry.id} needs a scenario pattern, a response pattern and its evidence`);
    }
  }
  return data;
}

export function knownFailure(
  known: KnownLimitations,
  contract: string,
  exchange: Pick<Exchange, 'scenario' | 'response'>,
): KnownFailure | undefined {
  return known.failures.find(
    (k) =>
      k.contracts.includes(contract) &&
      new RegExp(k.scenario).test(exchange.scenario) &&
      new RegExp(k.response).test(exchange.response),
  );
}

export function knownWarning(
  known: KnownLimitations,
  contract: string,
  warning: ContractWarning,
): KnownWarning | undefined {
  return known.warnings.find(
    (k) =>
      k.contracts.includes(contract) &&
      k.code === warning.code &&
      new RegExp(k.at).test(warning.at) &&
      new RegExp(k.text).test(warning.text),
  );
}

// ---------------------------------------------------------------- rules the contract states in x-rules

/** A refusal the contract declares for a rule JSON Schema cannot state (its `x-rules` catalogue). */
export interface StatedRefusal {
  rule: string;
  status: number;
  code: string;
  /** The field it names; `*` for any. */
  param?: string;
  /** Debitura's 422s: the `businessErrors[].type`s it answers with. */
  businessErrors?: string[];
}

interface RulesCatalogue {
  [id: string]: {
    scope?: string;
    refusals?: { status: number; code: string; param?: string; businessErrors?: string[] }[];
  };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/**
 * The refusals each operation may answer for a rule in the contract's `x-rules` (the root catalogue,
 * the operation's own list of ids plus every `scope: every-operation` rule), keyed `METHOD /path`.
 */
export function statedRefusals(contract: {
  paths?: Record<string, Record<string, unknown>>;
  'x-rules'?: RulesCatalogue;
}): Map<string, StatedRefusal[]> {
  const catalogue = contract['x-rules'] ?? {};
  const everywhere = Object.keys(catalogue).filter((id) => catalogue[id]?.scope === 'every-operation');
  const out = new Map<string, StatedRefusal[]>();
  for (const [route, item] of Object.entries(contract.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method] as { 'x-rules'?: string[] } | undefined;
      if (!operation) continue;
      const ids = [...new Set([...everywhere, ...(operation['x-rules'] ?? [])])];
      out.set(
        `${method.toUpperCase()} ${route}`,
        ids.flatMap((rule) => (catalogue[rule]?.refusals ?? []).map((r) => ({ rule, ...r }))),
      );
    }
  }
  return out;
}

/**
 * The x-rules rule behind a refusal of a positive test Specmatic generated: the operation (Specmatic writes `/cases/(id:uuid)`
 * for `/cases/{id}`) lists a refusal with the answer's status, code (`code` in CasaPay's error shape,
 * `error` in Debitura's) and field (CasaPay's `param`; Debitura's message names the field).
 */
export function statedRule(
  refusals: Map<string, StatedRefusal[]>,
  exchange: Pick<Exchange, 'scenario' | 'response' | 'status'>,
): string | undefined {
  const op = /^\+ve\s+Scenario: (\S+) (\S+) -> /.exec(exchange.scenario);
  // Only what Specmatic generated — its variants of an example (`… where <what it generated>`) and tests
  // from the schema alone (a response media type or status without an example): an example replayed as
  // written that is refused means the example and the seed disagree, which is the contract's to fix.
  const replayedExample = / from the example /.test(exchange.scenario) && !/ where /.test(exchange.scenario);
  if (!op || exchange.status === null || replayedExample) return undefined;
  const route = op[2]!.replace(/\((\w+):[^)]*\)/g, '{$1}');
  const body = exchange.response.slice(exchange.response.indexOf('\n\n') + 2);
  const code = (/"code":\s*"([^"]+)"/.exec(body) ?? /"error":\s*"([^"]+)"/.exec(body))?.[1];
  // Debitura's 422 names its refusal only by the business error's type (the rule lists the types it gives).
  const businessError = /"businessErrors":\s*\[\s*\{\s*"type":\s*"([^"]+)"/.exec(body)?.[1];
  const param = /"param":\s*"([^"]*)"/.exec(body)?.[1];
  const message = /"message":\s*"((?:[^"\\]|\\.)*)"/.exec(body)?.[1] ?? '';
  return refusals
    .get(`${op[1]} ${route}`)
    ?.find(
      (r) =>
        r.status === exchange.status &&
        (code !== undefined
          ? r.code === code && paramMatches(r.param, param, message)
          : businessError !== undefined && (r.businessErrors ?? []).includes(businessError)),
    )?.rule;
}

/** A rule's field (`*` any, `cases[*]` any index) against the answer's `param`, or its message where it has none. */
function paramMatches(ruleParam: string | undefined, param: string | undefined, message: string): boolean {
  if (ruleParam === undefined || ruleParam === '*') return true;
  const escaped = ruleParam.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\[\\\*\\\]/g, '\\[\\d+\\]');
  return param !== undefined ? new RegExp(`^${escaped}$`).test(param) : new RegExp(escaped).test(message);
}

// ---------------------------------------------------------------- one contract's run

export interface ContractResult {
  contract: string;
  seconds: number | null;
  exitCode: number | null;
  timedOut: boolean;
  tests: number;
  passed: number;
  failed: number;
  /** Failures matched by a known limitation, by its id. */
  known: Record<string, number>;
  unexplained: (Exchange & { message: string })[];
  warnings: (ContractWarning & { known?: string })[];
  problem?: string;
}

/** The mock and Specmatic while they run: stopped by their PIDs if this script is interrupted (a CI timeout). */
const running = new Set<ChildProcess>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function startMock(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(process.execPath, [path.join(root, 'dist/mocks/cli.js'), '--port', '0', '--quiet'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the mock printed no URL in 30 s: ${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve({ child, url });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the mock exited (${code}) before listening: ${output}`));
    });
  });
}

async function stopMock(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function runJava(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  logFile: string,
): Promise<{ code: number | null; timedOut: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const child = track(spawn('java', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }));
    child.stdout?.on('data', (c: Buffer) => chunks.push(c));
    child.stderr?.on('data', (c: Buffer) => chunks.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, RUN_TIMEOUT_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      writeFileSync(logFile, Buffer.concat(chunks));
      resolve({ code, timedOut });
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      writeFileSync(logFile, String(error));
      resolve({ code: null, timedOut: false });
    });
  });
}

export function jarPath(): string {
  return path.join(root, 'node_modules/specmatic/specmatic.jar');
}

async function runContract(
  contract: ContractRun,
  specFile: string,
  outDir: string,
  combinations: number,
): Promise<{ seconds: number; exitCode: number | null; timedOut: boolean }> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'specmatic.yaml'), specmaticConfig(combinations));
  const { child, url } = await startMock();
  const started = Date.now();
  try {
    const { code, timedOut } = await runJava(
      [
        '-jar',
        jarPath(),
        'test',
        specFile,
        `--testBaseURL=${url}${contract.basePath}`,
        '--junitReportDir=junit',
        '--config=specmatic.yaml',
      ],
      outDir,
      // No telemetry: the run talks to the loopback mock only.
      { ...process.env, ...contract.auth, SPECMATIC_DISABLE_TELEMETRY: 'true' },
      path.join(outDir, 'specmatic.log'),
    );
    return { seconds: Math.round((Date.now() - started) / 100) / 10, exitCode: code, timedOut };
  } finally {
    await stopMock(child);
  }
}

/** Reads a contract's reports (JUnit + console log) and sorts its failures and warnings. */
export function readResult(
  contract: string,
  outDir: string,
  known: KnownLimitations,
  run: { seconds: number | null; exitCode: number | null; timedOut: boolean },
  refusals: Map<string, StatedRefusal[]> = new Map(),
): ContractResult {
  const result: ContractResult = {
    contract,
    ...run,
    tests: 0,
    passed: 0,
    failed: 0,
    known: {},
    unexplained: [],
    warnings: [],
  };
  const logFile = path.join(outDir, 'specmatic.log');
  const junitFile = path.join(outDir, 'junit/TEST-junit-jupiter.xml');
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  result.warnings = parseWarnings(log).map((w) => ({ ...w, known: knownWarning(known, contract, w)?.id }));
  if (run.timedOut) result.problem = `Specmatic did not finish in ${RUN_TIMEOUT_MS / 1000} s`;
  if (!existsSync(junitFile)) {
    result.problem ??= `no JUnit report (Specmatic exit ${run.exitCode}); see ${path.relative(root, logFile)}`;
    return result;
  }
  const cases = parseJUnit(readFileSync(junitFile, 'utf8'));
  result.tests = cases.length;
  result.failed = cases.filter((c) => c.failed).length;
  result.passed = result.tests - result.failed;
  if (result.tests === 0) result.problem ??= 'Specmatic ran no tests (the contract was refused?)';
  // Pair each failed test case with its logged exchange: same scenario name, in order.
  const logged = new Map<string, Exchange[]>();
  for (const exchange of parseLog(log).filter((e) => e.failed)) {
    const list = logged.get(exchange.scenario) ?? [];
    list.push(exchange);
    logged.set(exchange.scenario, list);
  }
  for (const testCase of cases.filter((c) => c.failed)) {
    const exchange = logged.get(testCase.name.trim())?.shift() ?? {
      scenario: testCase.name,
      failed: true,
      request: '',
      response: '',
      status: null,
      reason: '',
    };
    const match = knownFailure(known, contract, exchange)?.id ?? statedRule(refusals, exchange);
    const id = match && !known.failures.some((k) => k.id === match) ? `x-rules:${match}` : match;
    if (id) result.known[id] = (result.known[id] ?? 0) + 1;
    else result.unexplained.push({ ...exchange, message: testCase.message });
  }
  return result;
}

export function verdict(result: ContractResult): boolean {
  return !result.problem && result.unexplained.length === 0 && result.warnings.every((w) => w.known);
}

// ---------------------------------------------------------------- the report

function firstLine(text: string, max = 160): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

function responseSummary(response: string): string {
  const status = firstLine(response);
  const body = response.slice(response.indexOf('\n\n') + 2);
  const code = (/"code":\s*"([^"]+)"/.exec(body) ?? /"error":\s*"([^"]+)"/.exec(body))?.[1];
  // Debitura's 422 names its refusal only by the business error's type (the rule lists the types it gives).
  const businessError = /"businessErrors":\s*\[\s*\{\s*"type":\s*"([^"]+)"/.exec(body)?.[1];
  const param = /"param":\s*("[^"]*"|null)/.exec(body)?.[1];
  // The message without the values it quotes (ids, generated strings), so like answers group together.
  const message = /"message":\s*"((?:[^"\\]|\\.)*)"/
    .exec(body)?.[1]
    ?.replace(/'[^']*'/g, "'…'")
    .slice(0, 120);
  return [status, code ?? businessError, param && `param ${param}`, message].filter(Boolean).join(' · ');
}

export function report(results: ContractResult[], known: KnownLimitations, details: number): string {
  const lines: string[] = [];
  lines.push('contract             seconds   tests  passed  failed  known  unexplained  warnings(unlisted)');
  for (const r of results) {
    const known = Object.values(r.known).reduce((a, b) => a + b, 0);
    const unlisted = r.warnings.filter((w) => !w.known).length;
    lines.push(
      [
        r.contract.padEnd(20),
        String(r.seconds ?? '-').padStart(7),
        String(r.tests).padStart(7),
        String(r.passed).padStart(7),
        String(r.failed).padStart(7),
        String(known).padStart(6),
        String(r.unexplained.length).padStart(12),
        `${r.warnings.length}(${unlisted})`.padStart(19),
      ].join(' '),
    );
  }
  for (const r of results) {
    lines.push('', `== ${r.contract}: ${verdict(r) ? 'PASS' : 'FAIL'}${r.problem ? ` — ${r.problem}` : ''}`);
    for (const [id, count] of Object.entries(r.known)) {
      const entry = known.failures.find((k) => k.id === id);
      lines.push(
        entry
          ? `  known tool limitation ${id} ×${count}: ${entry.reason}`
          : `  rule the contract states in x-rules (Specmatic reads none) ${id.replace(/^x-rules:/, '')} ×${count}`,
      );
    }
    const byCode = new Map<string, (ContractWarning & { known?: string })[]>();
    for (const w of r.warnings)
      byCode.set(`${w.code}${w.known ? ` (known: ${w.known})` : ''}`, [
        ...(byCode.get(`${w.code}${w.known ? ` (known: ${w.known})` : ''}`) ?? []),
        w,
      ]);
    for (const [code, list] of byCode) {
      lines.push(`  contract warning ${code} ×${list.length}`);
      for (const w of list.slice(0, details)) lines.push(`    ${w.at ? `${w.at}: ` : ''}${firstLine(w.text, 200)}`);
      if (list.length > details) lines.push(`    … ${list.length - details} more in summary.json`);
    }
    // Unexplained failures, grouped by operation, expected status and answer.
    const groups = new Map<string, (Exchange & { message: string })[]>();
    for (const f of r.unexplained) {
      const op = /Scenario: (\S+ \S+ -> \S+)/.exec(f.scenario)?.[1] ?? f.scenario;
      const key = `${/^[+-]ve\s/.test(f.scenario) ? f.scenario.slice(0, 3) : '(no test ran)'} ${op} answered ${f.response ? responseSummary(f.response) : firstLine(f.message)}`;
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    for (const [key, list] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
      lines.push(`  FAILED ×${list.length}: ${key}`);
      const first = list[0]!;
      lines.push(`    e.g. ${first.scenario}`);
      lines.push(
        `    request: ${firstLine(first.request)}${/\n\n([\s\S]+)/.test(first.request) ? ' (body in specmatic.log)' : ''}`,
      );
      const why =
        first.reason.split('\n').find((l) => /expected .* but|Expected|Key named/.test(l)) ??
        first.reason.split('\n').find((l) => /R\d{4}/.test(l)) ??
        firstLine(first.message);
      lines.push(`    why: ${why.trim()}`);
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- main

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      contract: { type: 'string', multiple: true },
      'spec-dir': { type: 'string' },
      'out-dir': { type: 'string', default: path.join(root, 'reports/specmatic') },
      combinations: { type: 'string', default: String(DEFAULT_COMBINATIONS) },
      'no-run': { type: 'boolean', default: false },
      details: { type: 'string', default: '3' },
    },
  });
  const selected = values.contract ?? CONTRACTS.map((c) => c.name);
  const unknown = selected.filter((name) => !CONTRACTS.some((c) => c.name === name));
  if (unknown.length > 0) throw new Error(`unknown contract ${unknown.join(', ')}`);
  const specDir = path.resolve(values['spec-dir'] ?? path.join(root, 'generated'));
  const known = loadKnown();
  if (!values['no-run'] && spawnSync('java', ['-version'], { stdio: 'ignore' }).status !== 0) {
    console.log('specmatic: skipped — no `java` on PATH (Specmatic needs Java 17 or later)');
    return 0;
  }
  const results: ContractResult[] = [];
  for (const contract of CONTRACTS.filter((c) => selected.includes(c.name))) {
    const outDir = path.join(values['out-dir'], contract.name);
    let run: { seconds: number | null; exitCode: number | null; timedOut: boolean } = {
      seconds: null,
      exitCode: null,
      timedOut: false,
    };
    const specFile = path.join(specDir, `${contract.name}.json`);
    if (!values['no-run']) {
      console.log(`specmatic: ${contract.name} (${path.relative(root, specFile) || specFile}) …`);
      run = await runContract(contract, specFile, outDir, Number(values.combinations));
    }
    const refusals = existsSync(specFile)
      ? statedRefusals(JSON.parse(readFileSync(specFile, 'utf8')) as Parameters<typeof statedRefusals>[0])
      : new Map<string, StatedRefusal[]>();
    const result = readResult(contract.name, outDir, known, run, refusals);
    writeFileSync(path.join(outDir, 'summary.json'), `${JSON.stringify(result, null, 2)}\n`);
    results.push(result);
  }
  console.log(report(results, known, Number(values.details)));
  const ok = results.every(verdict);
  console.log(
    `\nspecmatic: ${ok ? 'PASS' : 'FAIL'} — reports in ${path.relative(root, values['out-dir']) || values['out-dir']}/`,
  );
  return ok ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(2);
    },
  );
}

// The run's result in the suite's own stable shape, built from what vitest reported. This is the
// JSON report's schema; the terminal summary and the HTML page are views of it.
import type { Contract } from '../../kit/contract.js';
import { ALL_CAPABILITIES, capabilityOfTitle } from '../capabilities.js';
import { RULES, rulesFor } from '../rules.js';
import type { CoverageHit, Exchange, Violation, Warning } from '../support/recorder.js';

export const SCHEMA_VERSION = 1;

export type CheckState = 'passed' | 'failed' | 'skipped';

export interface CheckResult {
  /** `[capability] group > name`, as vitest names it. */
  fullName: string;
  capability: string;
  /** The describe title without its `[capability]` tag. */
  group: string;
  name: string;
  /** The check file, relative to the package root. */
  file: string;
  state: CheckState;
  durationMs: number;
  skipReason?: string;
}

export interface Failure {
  check: string;
  capability: string;
  file: string;
  /** The rule broken: a contract rule (status-declared, body-schema …) or the assertion's own words. */
  rule: string;
  message: string;
  request?: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number | null; headers?: Record<string, string>; body?: string; error?: string };
}

/** Something the contract allows but warns about; fails only under --strict. */
export interface ReportedWarning {
  check: string;
  capability: string;
  /** unknown-field, unknown-event-type or recommended-field. */
  rule: string;
  operationId: string | null;
  status: number | null;
  /** Where in the body, such as `data[0].debtor.nickname`. */
  path: string;
  message: string;
}

export interface CoverageStatus {
  /** The status key as the contract declares it (`201`, `404`, `5XX`). */
  status: string;
  hits: number;
  /** Why a black-box client cannot provoke this answer (conformance/coverage-limits.ts), when it cannot. */
  unprovokable?: string;
}

/** A declared (operation, status) pair no black-box client can provoke, and why. */
export interface UnprovokablePair {
  operationId: string;
  status: string;
  why: string;
}

export interface CoverageRow {
  operationId: string;
  method: string;
  path: string;
  statuses: CoverageStatus[];
  /** Statuses the target answered that the contract does not declare for the operation. */
  undeclared: number[];
}

export interface CapabilitySummary {
  selected: boolean;
  passed: number;
  failed: number;
  skipped: number;
  skipReasons: string[];
}

export interface RunResult {
  schemaVersion: typeof SCHEMA_VERSION;
  target: {
    baseUrl: string;
    startedMock: boolean;
    seed: number;
    negativeRuns: number;
    strict?: boolean;
    /** `--api debitura` runs (fields added without changing schemaVersion): the API and its two base URLs, the admin URL or null. */
    api?: 'casapay' | 'debitura';
    referralUrl?: string;
    customerUrl?: string;
    adminUrl?: string | null;
    /** `casapay-conformance receiver` runs (added without changing schemaVersion): how the receiver at baseUrl was graded. */
    receiver?: { signing: string; maxLatencyMs: number; effects: string | null };
  };
  startedAt: string;
  durationMs: number;
  verdict: 'pass' | 'fail';
  capabilities: Record<string, CapabilitySummary>;
  checks: CheckResult[];
  coverage: CoverageRow[];
  failures: Failure[];
  /** Warnings, one per (check, operation, rule, path with list indices folded to []). */
  warnings: ReportedWarning[];
}

/** A serialized error as vitest hands it to reporters, with the suite's own extra properties. */
export interface RawError {
  message: string;
  name?: string;
  violation?: Violation;
  exchange?: Exchange;
}

/** One test as the collector saw it. */
export interface RawCheck {
  /** Titles from the outermost describe to the test. */
  titles: string[];
  file: string;
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  durationMs: number;
  note?: string;
  /** `skip` when the test (or its group) was declared skipped, `run` otherwise. */
  mode: string;
  errors: RawError[];
  coverage: CoverageHit[];
  exchanges: Exchange[];
  violations: Violation[];
  warnings?: Warning[];
}

/** A describe block or a whole file that failed outside any test (a failing beforeAll, an import error). */
export interface RawGroupError {
  titles: string[];
  file: string;
  errors: RawError[];
}

export interface BuildInput {
  checks: RawCheck[];
  groupErrors: RawGroupError[];
  unhandledErrors: RawError[];
  target: RunResult['target'];
  selected: readonly string[];
  /** Every capability of the API checked (default CasaPay's), listed in the summary even when not selected. */
  all?: readonly string[];
  startedAt: string;
  durationMs: number;
  contract: Pick<Contract, 'operations' | 'declaredStatus'>;
  /** The run stopped at the first failure (--bail); checks left unrun say so. */
  bailed?: boolean;
  /** The capability of a check when its titles do not name one of the API suite's (the receiver kit's groups). */
  capabilityOf?: (titles: string[]) => string | undefined;
  /** Declared pairs a black-box client cannot provoke, marked as such in the coverage. */
  unprovokable?: readonly UnprovokablePair[];
}

const capabilityOfFile = (file: string): string => /checks\/([a-z-]+)\//.exec(file)?.[1] ?? 'unknown';

/**
 * The rule an error broke: the contract rule of a ContractViolation, else the assertion's own
 * message (the words before vitest's `: expected …`).
 */
export function ruleOf(error: RawError, violations: Violation[] = []): string {
  if (error.violation?.rule) return error.violation.rule;
  // `[case.create] amount_to_recover as sent: expected …`: the check named its rule (support/setup.ts).
  const named = /^\[([a-z0-9.*-]+)(?:, [a-z0-9.*-]+)*\] /i.exec(error.message);
  if (named) return named[1]!;
  const fromMessage = /^contract rule "([^"]+)"/.exec(error.message);
  if (fromMessage) return fromMessage[1]!;
  if (violations[0]) return violations[0].rule;
  const firstLine = error.message.split('\n')[0] ?? '';
  const custom = /^(.*?): expected /.exec(firstLine);
  return (custom ? custom[1]! : firstLine).slice(0, 200) || error.name || 'error';
}

function failureFrom(
  check: string,
  capability: string,
  file: string,
  error: RawError,
  exchanges: Exchange[],
  violations: Violation[],
): Failure {
  const exchange = error.exchange ?? exchanges[exchanges.length - 1];
  const failure: Failure = { check, capability, file, rule: ruleOf(error, violations), message: error.message };
  if (exchange) {
    failure.request = {
      method: exchange.method,
      url: exchange.url,
      headers: exchange.request.headers,
      body: exchange.request.body,
    };
    failure.response = {
      status: exchange.status,
      headers: exchange.response?.headers,
      body: exchange.response?.body,
      error: exchange.error,
    };
  }
  return failure;
}

/** Builds the stable result from what the collector saw. Pure: the unit tests feed it by hand. */
export function buildRunResult(input: BuildInput): RunResult {
  const capabilities: Record<string, CapabilitySummary> = {};
  for (const name of input.all ?? ALL_CAPABILITIES)
    capabilities[name] = { selected: input.selected.includes(name), passed: 0, failed: 0, skipped: 0, skipReasons: [] };
  const summary = (name: string) =>
    (capabilities[name] ??= { selected: true, passed: 0, failed: 0, skipped: 0, skipReasons: [] });
  const addReason = (name: string, reason: string) => {
    const s = summary(name);
    if (!s.skipReasons.includes(reason)) s.skipReasons.push(reason);
  };

  const failedGroups = new Set(input.groupErrors.map((g) => `${g.file}\u0000${g.titles.join('\u0000')}`));
  const underFailedGroup = (check: RawCheck) =>
    failedGroups.has(`${check.file}\u0000`) ||
    check.titles.some((_, i) => failedGroups.has(`${check.file}\u0000${check.titles.slice(0, i + 1).join('\u0000')}`));

  const checks: CheckResult[] = [];
  const failures: Failure[] = [];
  const warnings: ReportedWarning[] = [];
  const seenWarnings = new Set<string>();
  for (const raw of input.checks) {
    const capability =
      input.capabilityOf?.(raw.titles) ?? capabilityOfTitle(raw.titles[0] ?? '') ?? capabilityOfFile(raw.file);
    const group = (raw.titles[0] ?? '').replace(/^\[[a-z-]+\]\s*/, '');
    const fullName = raw.titles.join(' > ');
    let state: CheckState = raw.state === 'passed' ? 'passed' : raw.state === 'failed' ? 'failed' : 'skipped';
    let skipReason: string | undefined;
    if (state === 'skipped') {
      if (!summary(capability).selected) skipReason = 'capability not selected';
      else if (underFailedGroup(raw)) skipReason = 'not run: the setup of its group failed (see the failure)';
      else
        skipReason =
          raw.note ??
          (raw.mode === 'skip'
            ? 'skipped by the suite'
            : input.bailed
              ? 'not run: --bail stopped the run at the first failure'
              : 'not run');
      addReason(capability, skipReason);
    }
    if (raw.state === 'pending') state = 'skipped';
    summary(capability)[state]++;
    checks.push({
      fullName,
      capability,
      group,
      name: raw.titles[raw.titles.length - 1] ?? '',
      file: raw.file,
      state,
      durationMs: Math.round(raw.durationMs),
      ...(skipReason ? { skipReason } : {}),
    });
    for (const w of raw.warnings ?? []) {
      // The same unknown field on every item of a list is one warning, not a hundred.
      const path = w.path.replace(/\[\d+\]/g, '[]');
      const key = [fullName, w.operationId, w.rule, path].join('\u0000');
      if (seenWarnings.has(key)) continue;
      seenWarnings.add(key);
      warnings.push({
        check: fullName,
        capability,
        rule: w.rule,
        operationId: w.operationId,
        status: w.status,
        path,
        message: w.message,
      });
    }
    if (state === 'failed') {
      const errors = raw.errors.length ? raw.errors : [{ message: 'failed without an error message' }];
      failures.push(failureFrom(fullName, capability, raw.file, errors[0]!, raw.exchanges, raw.violations));
    }
  }
  /** The rule a failed setup breaks when its error names none: the first rule of the checks it held up. */
  const groupRule = (group: RawGroupError): string | undefined => {
    for (const check of input.checks) {
      if (check.file !== group.file || !group.titles.every((t, i) => check.titles[i] === t)) continue;
      const rule = rulesFor({ check: check.titles.join(' > '), rule: '' })[0];
      if (rule) return rule.id;
    }
    return undefined;
  };
  const isRuleId = (id: string) => RULES.some((r) => r.id === id);
  // A group whose setup failed is one failed check of its own, so the count never hides it.
  for (const group of input.groupErrors) {
    const capability = capabilityOfTitle(group.titles[0] ?? '') ?? capabilityOfFile(group.file);
    const fullName = group.titles.length ? `${group.titles.join(' > ')} > (setup)` : `${group.file} (load)`;
    summary(capability).failed++;
    checks.push({
      fullName,
      capability,
      group: (group.titles[0] ?? '').replace(/^\[[a-z-]+\]\s*/, ''),
      name: '(setup)',
      file: group.file,
      state: 'failed',
      durationMs: 0,
    });
    const errors = group.errors.length ? group.errors : [{ message: 'failed without an error message' }];
    const failure = failureFrom(fullName, capability, group.file, errors[0]!, [], []);
    if (!isRuleId(failure.rule)) failure.rule = groupRule(group) ?? failure.rule;
    failures.push(failure);
  }
  for (const error of input.unhandledErrors)
    failures.push(failureFrom('(unhandled error)', 'unknown', '', error, [], []));

  return {
    schemaVersion: SCHEMA_VERSION,
    target: input.target,
    startedAt: input.startedAt,
    durationMs: Math.round(input.durationMs),
    verdict: failures.length === 0 ? 'pass' : 'fail',
    capabilities,
    checks,
    coverage: buildCoverage(
      input.contract,
      input.checks.flatMap((c) => c.coverage),
      input.unprovokable,
    ),
    failures,
    warnings,
  };
}

/** The coverage in numbers: declared pairs, exercised, and those a black-box client cannot provoke (and were not). */
export function coverageCounts(rows: readonly CoverageRow[]): {
  declared: number;
  exercised: number;
  unprovokable: number;
} {
  const cells = rows.flatMap((r) => r.statuses);
  return {
    declared: cells.length,
    exercised: cells.filter((c) => c.hits > 0).length,
    unprovokable: cells.filter((c) => c.hits === 0 && c.unprovokable).length,
  };
}

/** Operations × declared status codes, with how often each was exercised. */
export function buildCoverage(
  contract: Pick<Contract, 'operations' | 'declaredStatus'>,
  hits: readonly CoverageHit[],
  unprovokable: readonly UnprovokablePair[] = [],
): CoverageRow[] {
  const why = new Map(unprovokable.map((p) => [`${p.operationId} ${p.status}`, p.why]));
  const rows = new Map<string, CoverageRow>();
  for (const op of contract.operations) {
    rows.set(op.operationId, {
      operationId: op.operationId,
      method: op.method.toUpperCase(),
      path: op.path,
      statuses: Object.keys(op.responses).map((status) => {
        const reason = why.get(`${op.operationId} ${status}`);
        return { status, hits: 0, ...(reason ? { unprovokable: reason } : {}) };
      }),
      undeclared: [],
    });
  }
  for (const hit of hits) {
    const row = rows.get(hit.operationId);
    if (!row) continue;
    const key = contract.declaredStatus(hit.operationId, hit.status);
    const cell = key === undefined ? undefined : row.statuses.find((s) => s.status === key);
    if (cell) cell.hits++;
    else if (!row.undeclared.includes(hit.status)) row.undeclared.push(hit.status);
  }
  return [...rows.values()];
}

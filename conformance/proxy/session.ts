// What a proxy session found, grouped by operation and rule — not one line per request: each group
// counts its exchanges and keeps a few offending ones (redacted, bodies cut) for the report. Turns
// into the suite's own result model (report/model.ts), so report.json, report.html and junit.xml are
// the suite's: an operation is a "capability" row of the summary, each rule it broke a failed check,
// an operation whose exchanges all honoured the contract one passed check.
import type { Exchange } from '../support/recorder.js';
import { buildCoverage, buildRunResult, type RawCheck, type RunResult } from '../report/model.js';
import type { CapturedExchange, CheckedExchange, ExchangeChecker, Finding, ProxyApi } from './exchange-check.js';
import type { Redactor } from './redact.js';

/** The bounds of what a session keeps (README: "Bounds"). */
export interface SessionLimits {
  /** Distinct (operation, rule, severity) groups; findings of further groups are only counted. */
  maxGroups: number;
  /** Offending exchanges kept per group. */
  samplesPerGroup: number;
  /** Characters of a body kept in a sample. */
  sampleBodyChars: number;
}

export const SESSION_LIMITS: SessionLimits = { maxGroups: 500, samplesPerGroup: 3, sampleBodyChars: 2048 };

export interface FindingGroup {
  operationId: string | null;
  route: string;
  rule: string;
  severity: Finding['severity'];
  count: number;
  /** The first few distinct messages. */
  messages: string[];
  /** Where in the body (warnings), list indices folded to `[]`. */
  paths: string[];
  samples: Exchange[];
}

interface OperationTally {
  route: string;
  exchanges: number;
  clean: number;
}

export interface ProxySection {
  api: ProxyApi;
  exchanges: number;
  /** Exchanges with no answer (the target unreachable, the client gone). */
  transportErrors: number;
  /** Requests the proxy refused itself because --max-concurrent were already in flight. */
  refusedBusy: number;
  operations: Array<{ operationId: string | null; route: string; exchanges: number; clean: number }>;
  groups: FindingGroup[];
  /** Findings not kept because --max-groups was reached. */
  droppedFindings: number;
  limits: SessionLimits;
}

const clip = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;

export interface ProxySessionOptions {
  api: ProxyApi;
  targetUrl: string;
  strict: boolean;
  checker: ExchangeChecker;
  redactor: Redactor;
  limits?: Partial<SessionLimits>;
  startedAt: string;
  /** A new group, as it appears (the live console). */
  onNewGroup?: (group: FindingGroup) => void;
}

export class ProxySession {
  readonly limits: SessionLimits;
  private readonly groups = new Map<string, FindingGroup>();
  private readonly operations = new Map<string, OperationTally>();
  private readonly coverage = new Map<string, { operationId: string; status: number; hits: number }>();
  exchanges = 0;
  transportErrors = 0;
  refusedBusy = 0;
  droppedFindings = 0;

  constructor(private readonly options: ProxySessionOptions) {
    this.limits = { ...SESSION_LIMITS, ...options.limits };
  }

  /** A redacted, cut copy of an exchange for the report. */
  sample(exchange: CapturedExchange, operationId: string | null): Exchange {
    const r = this.options.redactor;
    const body = (buffer: Buffer | null, bytes: number, headers: Record<string, string>) => {
      if (bytes === 0) return undefined;
      if (buffer === null) return `(${headers['content-type'] ?? 'unknown type'}, ${bytes} bytes, not kept)`;
      if (/multipart\//i.test(headers['content-type'] ?? '')) return `(multipart body, ${bytes} bytes)`;
      return r.text(clip(buffer.toString('utf8'), this.limits.sampleBodyChars));
    };
    return {
      operationId,
      method: exchange.method,
      url: r.text(exchange.url),
      status: exchange.status,
      request: {
        headers: r.headers(exchange.requestHeaders),
        body: body(exchange.requestBody, exchange.requestBytes, exchange.requestHeaders),
      },
      ...(exchange.status === null
        ? {}
        : {
            response: {
              headers: r.headers(exchange.responseHeaders),
              body: body(exchange.responseBody, exchange.responseBytes, exchange.responseHeaders),
            },
          }),
      durationMs: Math.round(exchange.durationMs),
      ...(exchange.error ? { error: r.text(exchange.error) } : {}),
    };
  }

  /** Adds one checked exchange to the tallies and groups. */
  add(exchange: CapturedExchange, checked: CheckedExchange): void {
    this.exchanges++;
    if (exchange.status === null) this.transportErrors++;
    const opKey = checked.operationId ?? '(unknown)';
    const tally = this.operations.get(opKey) ?? { route: checked.route, exchanges: 0, clean: 0 };
    tally.exchanges++;
    if (!checked.findings.some((f) => f.severity === 'error')) tally.clean++;
    this.operations.set(opKey, tally);
    if (checked.operationId && exchange.status !== null) {
      const key = `${checked.operationId} ${exchange.status}`;
      const hit = this.coverage.get(key) ?? { operationId: checked.operationId, status: exchange.status, hits: 0 };
      hit.hits++;
      this.coverage.set(key, hit);
    }
    let sampled: Exchange | undefined;
    for (const finding of checked.findings) {
      const key = [opKey, finding.rule, finding.severity].join('\u0000');
      let group = this.groups.get(key);
      if (!group) {
        if (this.groups.size >= this.limits.maxGroups) {
          this.droppedFindings++;
          continue;
        }
        group = {
          operationId: checked.operationId,
          route: checked.route,
          rule: finding.rule,
          severity: finding.severity,
          count: 0,
          messages: [],
          paths: [],
          samples: [],
        };
        this.groups.set(key, group);
        group.messages.push(this.options.redactor.text(finding.message));
        this.options.onNewGroup?.(group);
      } else if (group.messages.length < this.limits.samplesPerGroup) {
        const message = this.options.redactor.text(finding.message);
        if (!group.messages.includes(message)) group.messages.push(message);
      }
      group.count++;
      const path = finding.path?.replace(/\[\d+\]/g, '[]');
      if (path && !group.paths.includes(path) && group.paths.length < 20) group.paths.push(path);
      if (group.samples.length < this.limits.samplesPerGroup && !group.samples.some((s) => s === sampled))
        group.samples.push((sampled ??= this.sample(exchange, checked.operationId)));
    }
  }

  /** The error and warning groups, most frequent first. */
  findingGroups(): FindingGroup[] {
    return [...this.groups.values()].sort((a, b) =>
      a.severity === b.severity ? b.count - a.count : a.severity === 'error' ? -1 : 1,
    );
  }

  section(): ProxySection {
    return {
      api: this.options.api,
      exchanges: this.exchanges,
      transportErrors: this.transportErrors,
      refusedBusy: this.refusedBusy,
      operations: [...this.operations].map(([operationId, t]) => ({
        operationId: operationId === '(unknown)' ? null : operationId,
        route: t.route,
        exchanges: t.exchanges,
        clean: t.clean,
      })),
      groups: this.findingGroups(),
      droppedFindings: this.droppedFindings,
      limits: this.limits,
    };
  }

  /**
   * The suite's result model: one "capability" per operation seen, a failed check per rule it broke
   * (with the first offending exchange), a passed check when some of its exchanges were clean.
   * @example session.result(1200).verdict // 'pass' when no error group exists
   */
  result(durationMs: number, failOn: 'error' | 'warning' = 'error'): RunResult & { proxy: ProxySection } {
    const checks: RawCheck[] = [];
    const capabilityByRoute = new Map<string, string>();
    const groups = this.findingGroups();
    for (const [operationId, tally] of this.operations) {
      capabilityByRoute.set(tally.route, operationId);
      const own = groups.filter((g) => (g.operationId ?? '(unknown)') === operationId);
      const failing = own.filter((g) => g.severity === 'error' || failOn === 'warning');
      const warnings = own
        .filter((g) => g.severity === 'warning')
        .flatMap((g) =>
          (g.paths.length ? g.paths : ['(whole)']).map((path) => ({
            rule: g.rule as 'unknown-field',
            operationId: g.operationId,
            status: g.samples[0]?.status ?? null,
            path,
            message: g.messages[0] ?? g.rule,
          })),
        );
      const base = () => ({ file: 'proxy', mode: 'run', coverage: [], exchanges: [], violations: [], durationMs: 0 });
      if (tally.clean > 0 || !failing.length)
        checks.push({
          ...base(),
          titles: [tally.route, `${tally.clean} of ${tally.exchanges} exchanges honoured the contract`],
          state: 'passed',
          errors: [],
          warnings,
        });
      for (const g of failing)
        checks.push({
          ...base(),
          titles: [tally.route, `${g.rule} (${g.count} of ${tally.exchanges} exchanges)`],
          state: 'failed',
          errors: [
            {
              message: `contract rule "${g.rule}" broken by ${g.operationId ?? 'an unknown operation'}: ${g.messages.join(' | ')}`,
              violation: {
                rule: g.rule,
                operationId: g.operationId,
                status: g.samples[0]?.status ?? null,
                message: g.messages[0] ?? '',
              },
              ...(g.samples[0] ? { exchange: g.samples[0] } : {}),
            },
          ],
          ...(tally.clean > 0 ? {} : { warnings }),
        });
    }
    const capabilities = [...this.operations.keys()];
    const result = buildRunResult({
      checks,
      groupErrors: [],
      unhandledErrors: [],
      target: {
        baseUrl: this.options.targetUrl,
        startedMock: false,
        seed: 0,
        negativeRuns: 0,
        strict: this.options.strict,
        api: this.options.api,
      },
      selected: capabilities,
      all: capabilities,
      startedAt: this.options.startedAt,
      durationMs,
      contract: this.options.checker.coverageContract,
      capabilityOf: (titles) => capabilityByRoute.get(titles[0] ?? ''),
    });
    // One hit per (operation, status) builds the matrix; the counts are the session's.
    const contract = this.options.checker.coverageContract;
    result.coverage = buildCoverage(contract, [...this.coverage.values()]);
    for (const hit of this.coverage.values()) {
      const key = contract.declaredStatus(hit.operationId, hit.status);
      const cell = result.coverage
        .find((row) => row.operationId === hit.operationId)
        ?.statuses.find((s) => s.status === key);
      if (cell) cell.hits += hit.hits - 1;
    }
    return { ...result, proxy: this.section() };
  }
}

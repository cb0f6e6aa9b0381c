// Runs the conformance checks against a target and returns the result: starts the bundled mock when
// no base URL is given, runs the selected capabilities' check files with vitest (the target handed
// over with `provide`), collects what they saw and writes the reports. The CLI and the defects test
// both call runConformance.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';
import { loadContract } from '../kit/contract.js';
import { capabilitiesOf } from './capabilities.js';
import { unprovokablePairs } from './coverage-limits.js';
import { debituraCoverageContract } from './support/debitura-contracts.js';
import type { RunOptions } from './options.js';
import { CollectingReporter } from './report/collector.js';
import { renderHtmlReport } from './report/html-report.js';
import { buildRunResult, type RunResult } from './report/model.js';
import { monotonicMs, realNowIso } from './support/runtime.js';
import type { Target } from './support/target.js';

/** The package root: the folder holding conformance/vitest.checks.config.ts, from source or from dist/. */
export function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'conformance', 'vitest.checks.config.ts'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(
    'conformance/vitest.checks.config.ts not found above the CLI; the checks ship as source next to dist/.',
  );
}

export interface RunOutcome {
  result: RunResult;
  /** Paths of the reports written (empty without a report dir). */
  reports: string[];
}

async function startBundledMock(
  defects: string[] = [],
  variants: string[] = [],
): Promise<{ url: string; close(): Promise<void> }> {
  const { createMockServer } = await import('../mocks/server.js');
  return createMockServer({ host: '127.0.0.1', port: 0, logLevel: 'silent', defects, variants });
}

/** Runs the suite once. Never throws for check failures: they are in the result. */
export async function runConformance(options: RunOptions): Promise<RunOutcome> {
  const started = monotonicMs();
  const startedAt = realNowIso();
  const root = packageRoot();
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const api = options.api ?? 'casapay';
  const debitura = api === 'debitura';
  const external = debitura
    ? options.referralUrl !== undefined && options.customerUrl !== undefined
    : options.baseUrl !== undefined;
  const mock = external ? undefined : await startBundledMock(options.mock?.defects, options.mock?.variants);
  const trim = (url: string) => url.replace(/\/+$/, '');
  // Debitura's two APIs: the URLs given, or the bundled mock's two prefixes (and its admin clock).
  const referralUrl = debitura ? trim(options.referralUrl ?? `${mock!.url}/debitura/referral`) : undefined;
  const customerUrl = debitura ? trim(options.customerUrl ?? `${mock!.url}/debitura/customer`) : undefined;
  const adminUrl = debitura
    ? options.adminUrl
      ? trim(options.adminUrl)
      : mock
        ? `${mock.url}/__admin`
        : undefined
    : undefined;
  const baseUrl = debitura ? referralUrl! : trim(options.baseUrl ?? mock!.url);
  const reportDir = options.reportDir === null ? null : path.resolve(options.reportDir);
  const reports: string[] = [];
  const collector = new CollectingReporter(root, write, options.color ?? false);
  const exitCodeBefore = process.exitCode;
  try {
    const provided: Target = {
      api,
      baseUrl,
      ...(debitura ? { referralUrl, customerUrl, ...(adminUrl ? { adminUrl } : {}) } : {}),
      apiKey: options.apiKey,
      secondApiKey: options.secondApiKey,
      timeoutMs: options.timeoutMs,
      webhookHost: options.webhookHost,
      webhookPort: options.webhookPort,
      webhookWaitMs: options.webhookWaitMs,
      seed: options.seed,
      negativeRuns: options.negativeRuns,
      capabilities: options.capabilities,
      strict: options.strict ?? false,
    };
    const reporters: any[] = [collector];
    if (reportDir) {
      await mkdir(reportDir, { recursive: true });
      reporters.push(['junit', { outputFile: path.join(reportDir, 'junit.xml'), suiteName: 'casapay-conformance' }]);
    }
    // Only the selected capabilities' folders are loaded at all.
    const filters = options.capabilities.map((c) => `conformance/checks/${c}/`);
    if (filters.length) {
      const vitest = await startVitest('test', filters, {
        root,
        config: path.join(root, 'conformance', 'vitest.checks.config.ts'),
        watch: false,
        reporters,
        provide: { casapayTarget: provided },
        bail: options.bail ? 1 : 0,
        passWithNoTests: true,
      });
      await vitest.close();
    }
  } finally {
    await mock?.close();
    process.exitCode = exitCodeBefore; // vitest sets it; the caller decides the exit code from the result
  }
  const coverageContract = debitura ? debituraCoverageContract() : loadContract();
  const result = buildRunResult({
    checks: collector.checks,
    groupErrors: collector.groupErrors,
    unhandledErrors: collector.unhandledErrors,
    target: {
      baseUrl,
      startedMock: mock !== undefined,
      seed: options.seed,
      negativeRuns: options.negativeRuns,
      strict: options.strict ?? false,
      ...(debitura ? { api, referralUrl, customerUrl, adminUrl: adminUrl ?? null } : {}),
    },
    selected: options.capabilities,
    all: capabilitiesOf(api),
    startedAt,
    durationMs: monotonicMs() - started,
    contract: coverageContract,
    unprovokable: unprovokablePairs(api, coverageContract.operations),
    bailed: options.bail,
  });
  if (reportDir) {
    const json = path.join(reportDir, 'report.json');
    const html = path.join(reportDir, 'report.html');
    await writeFile(json, `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(html, renderHtmlReport(result));
    reports.push(path.join(reportDir, 'junit.xml'), json, html);
  }
  return { result, reports };
}

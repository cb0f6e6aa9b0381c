// `casapay-conformance receiver`: runs the receiver checks one after another against a webhook
// endpoint and turns what happened into the suite's result model (report.json), its HTML page, a
// junit.xml and the terminal summary — the same reports and verdict as the API suite.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Exchange } from '../support/recorder.js';
import { monotonicMs, realNowIso } from '../support/runtime.js';
import { renderHtmlReport } from '../report/html-report.js';
import { renderJUnit } from '../report/junit.js';
import { buildRunResult, type RawCheck, type RunResult } from '../report/model.js';
import { formatProgressLine } from '../report/summary.js';
import { RECEIVER_CAPABILITIES, RECEIVER_CHECKS, type ReceiverCheck } from './checks.js';
import { eventFactory, type ReceiverApi } from './payloads.js';
import { SCHEMES, type SigningSchemeName } from './schemes.js';
import { CheckFailed, CheckSkipped, ReceiverSession, type ReceiverTarget } from './session.js';

export interface ReceiverRunOptions extends ReceiverTarget {
  api: ReceiverApi;
  /** How deliveries are signed: CasaPay's scheme (default for --api casapay), Standard Webhooks, or Debitura's (--api debitura). */
  signing: SigningSchemeName;
  /** Where junit.xml, report.json and report.html go; null writes none. */
  reportDir: string | null;
  write?: (line: string) => void;
  color?: boolean;
  /** The checks to run (tests narrow it); default all. */
  checks?: ReceiverCheck[];
}

export const RECEIVER_DEFAULTS = {
  maxLatencyMs: 5000,
  timeoutMs: 10_000,
  effectsWaitMs: 3000,
  concurrency: 8,
  reportDir: 'reports/receiver',
} as const;

const groupTitle = (capability: string) => `[${capability}] receiver`;
const capabilityOfTitles = (titles: string[]) => /^\[([a-z-]+)\] receiver$/.exec(titles[0] ?? '')?.[1];

export async function runReceiver(options: ReceiverRunOptions): Promise<{ result: RunResult; reports: string[] }> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const scheme = SCHEMES[options.signing];
  const problem = scheme.secretProblem(options.secret);
  if (problem) throw new Error(`--secret: ${problem}.`);
  const session = new ReceiverSession(options, scheme, eventFactory(options.api));
  const started = monotonicMs();
  const startedAt = realNowIso();
  const raw: RawCheck[] = [];
  for (const check of options.checks ?? RECEIVER_CHECKS) {
    session.exchanges = [];
    const began = monotonicMs();
    let state: RawCheck['state'] = 'passed';
    let note: string | undefined;
    const errors: RawCheck['errors'] = [];
    try {
      await check.run(session);
    } catch (error) {
      if (error instanceof CheckSkipped) {
        state = 'skipped';
        note = error.message;
      } else {
        state = 'failed';
        const message = error instanceof Error ? error.message : String(error);
        const exchange: Exchange | undefined =
          error instanceof CheckFailed ? (error.exchange ?? session.exchanges.at(-1)) : session.exchanges.at(-1);
        errors.push({
          message,
          violation: { rule: check.rule, operationId: null, status: exchange?.status ?? null, message },
          ...(exchange ? { exchange } : {}),
        });
      }
    }
    const entry: RawCheck = {
      titles: [groupTitle(check.capability), check.title],
      file: 'conformance/receiver/checks.ts',
      state,
      durationMs: monotonicMs() - began,
      note,
      mode: 'run',
      errors,
      coverage: [],
      exchanges: [],
      violations: [],
    };
    raw.push(entry);
    write(formatProgressLine(entry, options.color ?? false));
  }
  const capabilities = Object.keys(RECEIVER_CAPABILITIES);
  const result = buildRunResult({
    checks: raw,
    groupErrors: [],
    unhandledErrors: [],
    target: {
      baseUrl: options.url,
      startedMock: false,
      seed: 0,
      negativeRuns: 0,
      api: options.api,
      receiver: {
        signing: options.signing,
        maxLatencyMs: options.maxLatencyMs,
        effects: options.effectsUrl
          ? `effects-url ${options.effectsUrl}`
          : options.observeMock
            ? `observe-mock ${options.observeMock}`
            : null,
      },
    },
    selected: capabilities,
    all: capabilities,
    startedAt,
    durationMs: monotonicMs() - started,
    contract: { operations: [], declaredStatus: () => undefined },
    capabilityOf: capabilityOfTitles,
  });
  const reports: string[] = [];
  if (options.reportDir !== null) {
    const dir = path.resolve(options.reportDir);
    await mkdir(dir, { recursive: true });
    const files = {
      'junit.xml': renderJUnit(result, 'casapay-conformance receiver'),
      'report.json': `${JSON.stringify(result, null, 2)}\n`,
      'report.html': renderHtmlReport(result),
    };
    for (const [name, text] of Object.entries(files)) {
      await writeFile(path.join(dir, name), text);
      reports.push(path.join(dir, name));
    }
  }
  return { result, reports };
}

// `--replay <file.yaml> --target <URL>`: a recording (record.ts) sent to an implementation as a
// regression test. Steps go one after another without waiting out their `after:` (a replay checks
// answers, not time); `${…}` resolves from this replay's own answers (`${collection_case_1.id}` is the id
// the target just gave), `${now}` is the time of the step and `${run}` fresh per replay. Each answer is
// compared with the recorded one — the status exactly, the shape field by field — and the differences
// are printed Hoverfly-style; any status or shape difference (other than an added field) fails.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { randomToken, realNowSeconds } from '../support/runtime.js';
import type { RecordedStep } from './record.js';
import { diffShapes, formatDifference, shapeOf, type ShapeDifference } from './shape.js';

export interface ReplayOptions {
  file: string;
  targetUrl: string;
  /** The credential every step (but `anonymous` ones) is sent with. */
  apiKey: string;
  api: 'casapay' | 'debitura';
  timeoutMs: number;
  write?: (line: string) => void;
}

export interface StepOutcome {
  index: number;
  request: string;
  recordedStatus: number;
  status: number | null;
  differences: ShapeDifference[];
  error?: string;
  /** Not a request step (agreements, clock): only the mock's runner applies it. */
  skipped?: string;
  ok: boolean;
}

export interface ReplayResult {
  steps: StepOutcome[];
  failed: number;
}

interface ScenarioFile {
  name?: string;
  steps?: Array<RecordedStep & Record<string, unknown>>;
}

/**
 * Replays a recording against a target and prints the diff of every step.
 * @example await replayRecording({ file: 'session.yaml', targetUrl: 'http://127.0.0.1:4010', apiKey: 'sk_test_x', api: 'casapay', timeoutMs: 10000 }) // { failed: 0, … }
 */
export async function replayRecording(options: ReplayOptions): Promise<ReplayResult> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { substituteScenarioValues: substitute } = await import('../../mocks/server.js');
  const scenario = parse(await readFile(options.file, 'utf8')) as ScenarioFile;
  if (!scenario || !Array.isArray(scenario.steps)) throw new Error(`${options.file} is not a scenario (no steps:)`);
  const base = options.targetUrl.replace(/\/+$/, '');
  const vars: Record<string, unknown> = { run: `replay-${randomToken(10)}` };
  const outcomes: StepOutcome[] = [];
  for (const [index, step] of scenario.steps.entries()) {
    if (typeof step.request !== 'string') {
      const kind = Object.keys(step).find((k) => k !== 'after') ?? 'step';
      outcomes.push({
        index,
        request: kind,
        recordedStatus: 0,
        status: null,
        differences: [],
        skipped: `a ${kind} step (only the mock's runner applies it)`,
        ok: true,
      });
      write(`  ↓ step ${index + 1}  ${kind}: not an HTTP request, skipped`);
      continue;
    }
    vars.now = realNowSeconds();
    const outcome: StepOutcome = {
      index,
      request: step.request,
      recordedStatus: step.expect ?? 200,
      status: null,
      differences: [],
      ok: false,
    };
    try {
      const [method, rawPath] = step.request.split(' ') as [string, string];
      const path = substitute(rawPath, vars) as string;
      const url = new URL(`${base}${path}`);
      for (const [name, value] of Object.entries(
        (substitute(step.query ?? {}, vars) ?? {}) as Record<string, string | string[]>,
      ))
        for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(v));
      const headers: Record<string, string> = Object.fromEntries(
        Object.entries((substitute(step.headers ?? {}, vars) ?? {}) as Record<string, string>).map(([k, v]) => [
          k,
          String(v),
        ]),
      );
      if (!step.anonymous) {
        if (options.api === 'debitura') headers.XApiKey = options.apiKey;
        else headers.authorization = `Bearer ${options.apiKey}`;
      }
      let body: RequestInit['body'];
      const sent = step.body === undefined ? undefined : substitute(step.body, vars);
      if (step.file) {
        const form = new FormData();
        for (const [name, value] of Object.entries((sent ?? {}) as Record<string, unknown>))
          form.set(name, String(value));
        form.set('file', new Blob([Buffer.from(step.file.content)]), step.file.name);
        body = form;
      } else if (sent !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(sent);
      }
      const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs) });
      outcome.status = response.status;
      const text = await response.text();
      let answer: unknown;
      try {
        answer = text ? JSON.parse(text) : undefined;
      } catch {
        answer = undefined;
      }
      if (step.as) vars[step.as] = answer;
      if (step.response !== undefined) outcome.differences = diffShapes(shapeOf(step.response), shapeOf(answer));
      outcome.ok = outcome.status === outcome.recordedStatus && outcome.differences.every((d) => d.kind === 'added');
    } catch (error) {
      outcome.error = error instanceof Error ? error.message : String(error);
    }
    outcomes.push(outcome);
    const mark = outcome.ok ? '✓' : '✗';
    const status =
      outcome.status === outcome.recordedStatus
        ? `${outcome.status}`
        : `expected ${outcome.recordedStatus}, got ${outcome.status ?? 'no answer'}`;
    write(`  ${mark} step ${index + 1}  ${step.request}  ${status}${outcome.error ? ` — ${outcome.error}` : ''}`);
    for (const d of outcome.differences) write(`      ${formatDifference(d)}`);
  }
  const failed = outcomes.filter((o) => !o.ok).length;
  write('');
  write(
    failed
      ? `✗ ${failed} of ${outcomes.length} steps differ from the recording`
      : `✓ ${outcomes.length} steps: the same statuses and shapes as the recording`,
  );
  return { steps: outcomes, failed };
}

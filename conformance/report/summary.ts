// What the terminal shows: one line per check as it finishes, then a table per capability, the
// failures in short and the total time.
import { coverageCounts, type RawCheck, type RunResult } from './model.js';

const paint = (on: boolean, code: number, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/**
 * @example formatProgressLine({ titles: ['[core] cases', 'creates'], state: 'passed', durationMs: 12, … }) // '  ✓ [core] cases > creates (12 ms)'
 */
export function formatProgressLine(
  check: Pick<RawCheck, 'titles' | 'state' | 'durationMs' | 'note' | 'errors'>,
  color = false,
): string {
  const name = check.titles.join(' > ');
  const ms = `(${Math.round(check.durationMs)} ms)`;
  switch (check.state) {
    case 'passed':
      return `  ${paint(color, 32, '✓')} ${name} ${paint(color, 2, ms)}`;
    case 'failed':
      return `  ${paint(color, 31, '✗')} ${name} ${paint(color, 2, ms)}\n      ${paint(color, 31, (check.errors[0]?.message ?? 'failed').split('\n')[0]!)}`;
    default:
      return `  ${paint(color, 33, '↓')} ${name}${check.note ? paint(color, 2, ` — skipped: ${check.note}`) : ''}`;
  }
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - text.length));
const padLeft = (text: string, width: number) => ' '.repeat(Math.max(0, width - text.length)) + text;

/** Seconds with one decimal: `12.3 s`. */
export const formatDuration = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The summary table, the failures (one line each) and the verdict with the total time. */
export function formatSummary(result: RunResult, color = false): string {
  const lines: string[] = [];
  const rows = Object.entries(result.capabilities);
  const width = Math.max(10, ...rows.map(([name]) => name.length));
  lines.push('');
  lines.push(
    `${pad('capability', width)}  ${padLeft('passed', 6)}  ${padLeft('failed', 6)}  ${padLeft('skipped', 7)}  note`,
  );
  lines.push(`${'-'.repeat(width)}  ------  ------  -------  ----`);
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const [name, s] of rows) {
    totals.passed += s.passed;
    totals.failed += s.failed;
    totals.skipped += s.skipped;
    const note = !s.selected ? 'not selected' : s.skipReasons.join('; ');
    const failed = s.failed ? paint(color, 31, padLeft(String(s.failed), 6)) : padLeft(String(s.failed), 6);
    lines.push(
      `${pad(name, width)}  ${padLeft(String(s.passed), 6)}  ${failed}  ${padLeft(String(s.skipped), 7)}  ${note}`,
    );
  }
  lines.push(`${'-'.repeat(width)}  ------  ------  -------`);
  lines.push(
    `${pad('total', width)}  ${padLeft(String(totals.passed), 6)}  ${padLeft(String(totals.failed), 6)}  ${padLeft(String(totals.skipped), 7)}`,
  );
  if (result.failures.length) {
    lines.push('');
    lines.push(paint(color, 31, `Failures (${result.failures.length}):`));
    for (const f of result.failures) {
      lines.push(`  ✗ ${f.check}`);
      lines.push(`      rule: ${f.rule}`);
      if (f.request)
        lines.push(
          `      ${f.request.method} ${f.request.url} → ${f.response?.status ?? f.response?.error ?? 'no response'}`,
        );
    }
  }
  if (result.warnings.length) {
    lines.push('');
    lines.push(
      paint(color, 33, `Warnings (${result.warnings.length}) — allowed by the contract, failures under --strict:`),
    );
    const byOperation = new Map<string, typeof result.warnings>();
    for (const w of result.warnings) {
      const key = w.operationId ?? '(no operation)';
      byOperation.set(key, [...(byOperation.get(key) ?? []), w]);
    }
    for (const [operation, list] of byOperation) {
      lines.push(`  ! ${operation}`);
      for (const w of list) lines.push(`      ${w.rule} ${w.path} — ${w.message}`);
    }
  }
  const { exercised, declared, unprovokable } = coverageCounts(result.coverage);
  lines.push('');
  // A receiver run has no operations to cover.
  if (result.coverage.length)
    lines.push(
      `Coverage: ${exercised} of ${declared} declared (operation, status) pairs exercised${unprovokable ? `; ${unprovokable} more a black-box client cannot provoke (why: report.html)` : ''}.`,
    );
  const verdict = result.verdict === 'pass' ? paint(color, 32, 'PASS') : paint(color, 31, 'FAIL');
  lines.push(
    `${verdict}: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped, ${result.warnings.length} warnings in ${formatDuration(result.durationMs)} against ${result.target.baseUrl}${result.target.startedMock ? ' (the bundled mock)' : ''}.`,
  );
  return lines.join('\n');
}

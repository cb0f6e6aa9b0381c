// junit.xml from a run's result, for runs that do not go through vitest (the receiver kit): one
// <testcase> per check, <failure> with the rule and message, <skipped> with the reason. The API suite
// writes vitest's own JUnit report instead; both read the same in CI.
import type { RunResult } from './model.js';

const xml = (text: string): string =>
  // Characters XML 1.0 cannot carry at all are dropped; the rest escaped.
  text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/**
 * @example renderJUnit(result, 'casapay-conformance receiver') // '<?xml version="1.0" …><testsuites …>…'
 */
export function renderJUnit(result: RunResult, suiteName: string): string {
  const byCapability = new Map<string, RunResult['checks']>();
  for (const check of result.checks)
    byCapability.set(check.capability, [...(byCapability.get(check.capability) ?? []), check]);
  const suites = [...byCapability].map(([capability, checks]) => {
    const cases = checks.map((check) => {
      const failure = result.failures.find((f) => f.check === check.fullName);
      const inner =
        check.state === 'failed'
          ? `<failure message="${xml(failure?.rule ?? 'failed')}" type="${xml(failure?.rule ?? 'failed')}">${xml(failure?.message ?? '')}</failure>`
          : check.state === 'skipped'
            ? `<skipped message="${xml(check.skipReason ?? 'skipped')}"/>`
            : '';
      return `    <testcase classname="${xml(capability)}" name="${xml(check.fullName)}" time="${(check.durationMs / 1000).toFixed(3)}">${inner}</testcase>`;
    });
    const count = (state: string) => checks.filter((c) => c.state === state).length;
    return `  <testsuite name="${xml(capability)}" tests="${checks.length}" failures="${count('failed')}" skipped="${count('skipped')}" errors="0">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const failures = result.checks.filter((c) => c.state === 'failed').length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(suiteName)}" tests="${result.checks.length}" failures="${failures}" errors="0" time="${(result.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

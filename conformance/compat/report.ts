// The compatibility verdict and its reports: text for the console, JSON, JUnit (one test case per
// difference, failed when it reaches --fail-on) and Markdown for a pull-request comment.
import type { Level } from './rules.js';
import type { Finding } from './types.js';

export type Audience = 'clients' | 'implementations';
export type FailOn = 'breaking' | 'warning';

export interface CompatResult {
  base: string;
  head: string;
  audience: Audience;
  failOn: FailOn;
  findings: Finding[];
  counts: Record<Level, number>;
  /** `fail` when some difference reaches `failOn` for the audience. */
  verdict: 'pass' | 'fail';
}

const ORDER: Record<Level, number> = { breaking: 0, warning: 1, compatible: 2 };

export function summarize(
  base: string,
  head: string,
  findings: Finding[],
  audience: Audience = 'clients',
  failOn: FailOn = 'breaking',
): CompatResult {
  const sorted = [...findings].sort(
    (a, b) => ORDER[a[audience]] - ORDER[b[audience]] || a.id.localeCompare(b.id) || a.path.localeCompare(b.path),
  );
  const counts: Record<Level, number> = { breaking: 0, warning: 0, compatible: 0 };
  for (const f of sorted) counts[f[audience]]++;
  const verdict = counts.breaking > 0 || (failOn === 'warning' && counts.warning > 0) ? 'fail' : 'pass';
  return { base, head, audience, failOn, findings: sorted, counts, verdict };
}

const countLine = (r: CompatResult) =>
  `${r.counts.breaking} breaking, ${r.counts.warning} warning${r.counts.warning === 1 ? '' : 's'}, ${r.counts.compatible} compatible (for ${r.audience})`;

/** Compatible differences grouped by rule (`--all` lists each); breaking ones and warnings in full. */
export function formatText(r: CompatResult, all = false): string {
  const lines = [`compat ${r.base} → ${r.head}: ${countLine(r)}`];
  const shown = r.findings.filter((f) => all || f[r.audience] !== 'compatible');
  const other: Audience = r.audience === 'clients' ? 'implementations' : 'clients';
  for (const f of shown) {
    const also = f[other] === f[r.audience] ? '' : `  (${f[other]} for ${other})`;
    lines.push(
      '',
      `${f[r.audience].padEnd(10)} ${f.id}  ${f.operation}${also}`,
      `           ${f.path}`,
      `           ${f.message}`,
    );
  }
  if (!all && r.counts.compatible) {
    const byRule = new Map<string, number>();
    for (const f of r.findings.filter((f) => f[r.audience] === 'compatible'))
      byRule.set(f.id, (byRule.get(f.id) ?? 0) + 1);
    lines.push('', `compatible: ${[...byRule].map(([id, n]) => `${id} ×${n}`).join(', ')} (--all lists them)`);
  }
  const failing = [
    r.counts.breaking ? `${r.counts.breaking} breaking` : '',
    r.failOn === 'warning' && r.counts.warning
      ? `${r.counts.warning} warning${r.counts.warning === 1 ? '' : 's'} (--fail-on warning)`
      : '',
  ].filter(Boolean);
  lines.push('', r.verdict === 'fail' ? `FAIL: ${failing.join(' and ')}` : `PASS: nothing breaks ${r.audience}`);
  return lines.join('\n');
}

export function formatJson(r: CompatResult): string {
  return JSON.stringify(r, null, 2);
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function formatJunit(r: CompatResult): string {
  const failing = (f: Finding) =>
    f[r.audience] === 'breaking' || (r.failOn === 'warning' && f[r.audience] === 'warning');
  const failures = r.findings.filter(failing).length;
  const cases = r.findings.map((f) => {
    const name = xml(`${f.operation} ${f.path}`);
    const head = `    <testcase classname="compat.${xml(f.id)}" name="${name}">`;
    if (failing(f))
      return `${head}\n      <failure type="${xml(f[r.audience])}" message="${xml(`${f.id}: ${f.message}`)}">${xml(`${f.id} at ${f.path}\n${f.message}`)}</failure>\n    </testcase>`;
    if (f[r.audience] === 'warning')
      return `${head}\n      <properties><property name="warning" value="${xml(`${f.id}: ${f.message}`)}"/></properties>\n    </testcase>`;
    return `${head}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="casapay-conformance compat" tests="${r.findings.length}" failures="${failures}">`,
    `  <testsuite name="${xml(`${r.base} → ${r.head}`)}" tests="${r.findings.length}" failures="${failures}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A pull-request comment: the verdict, a table of what breaks or warns, the compatible rest folded. */
export function formatMarkdown(r: CompatResult): string {
  const icon = { breaking: '🔴', warning: '🟡', compatible: '🟢' } as const;
  const lines = [
    `### Contract changes: \`${md(r.base)}\` → \`${md(r.head)}\``,
    '',
    `${r.verdict === 'fail' ? '**Fails**' : '**Passes**'} (fail on ${r.failOn}): ${countLine(r)}.`,
  ];
  const notable = r.findings.filter((f) => f[r.audience] !== 'compatible');
  if (notable.length) {
    const other: Audience = r.audience === 'clients' ? 'implementations' : 'clients';
    lines.push('', `| for ${r.audience} | rule | where | change | for ${other} |`, '| --- | --- | --- | --- | --- |');
    for (const f of notable)
      lines.push(
        `| ${icon[f[r.audience]]} ${f[r.audience]} | \`${f.id}\` | ${md(f.operation)}<br>\`${md(f.path)}\` | ${md(f.message)} | ${f[other]} |`,
      );
  }
  const compatible = r.findings.filter((f) => f[r.audience] === 'compatible');
  if (compatible.length) {
    lines.push(
      '',
      `<details><summary>${compatible.length} compatible change${compatible.length === 1 ? '' : 's'}</summary>`,
      '',
    );
    for (const f of compatible) lines.push(`- \`${f.id}\` ${md(f.operation)}: ${md(f.message)}`);
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}

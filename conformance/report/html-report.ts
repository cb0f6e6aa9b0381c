// The HTML report: one self-contained page (inline CSS, no scripts or external assets) with the
// verdict per capability, the coverage matrix of operations × declared status codes, and each
// failure with the request, the response and the rule it broke.
import { coverageCounts, type CoverageRow, type Failure, type ReportedWarning, type RunResult } from './model.js';
import { formatDuration } from './summary.js';
import { ruleAnchor, rulesFor, type Rule } from '../rules.js';

/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1d2330}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{margin-top:2rem;border-bottom:1px solid #d8dde6;padding-bottom:.25rem}
.meta{color:#5b6475}.verdict{display:inline-block;padding:.15rem .6rem;border-radius:4px;font-weight:700;color:#fff}
.pass{background:#1e8e3e}.fail{background:#c5221f}.skip{background:#9aa0a6}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d8dde6;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f9}td.num{text-align:right;font-variant-numeric:tabular-nums}
.matrix td,.matrix th{text-align:center;font-size:12px;padding:.2rem .35rem}.matrix td.op{text-align:left;white-space:nowrap}
.hit{background:#d4edda}.miss{background:#fbe3e2}.na{background:#f7f7f7;color:#bbb}.undeclared{background:#f8c9c5;font-weight:700}
pre{background:#f6f8fa;border:1px solid #d8dde6;padding:.5rem;overflow:auto;max-height:24rem;white-space:pre-wrap;word-break:break-word;font-size:12px}
.failure{border:1px solid #f1b8b5;border-left:4px solid #c5221f;padding:.5rem 1rem;margin:1rem 0;border-radius:4px}
.rule{font-weight:700;color:#c5221f}.warn{font-weight:700;color:#b06000}code{background:#f3f5f9;padding:0 .2rem;border-radius:3px}
details summary{cursor:pointer;color:#5b6475}
`;

function capabilityTable(result: RunResult): string {
  const rows = Object.entries(result.capabilities).map(([name, s]) => {
    const verdict = !s.selected
      ? '<span class="verdict skip">not selected</span>'
      : s.failed
        ? '<span class="verdict fail">FAIL</span>'
        : s.passed
          ? '<span class="verdict pass">PASS</span>'
          : '<span class="verdict skip">SKIPPED</span>';
    return `<tr><td><code>${escapeHtml(name)}</code></td><td>${verdict}</td><td class="num">${s.passed}</td><td class="num">${s.failed}</td><td class="num">${s.skipped}</td><td>${escapeHtml(s.skipReasons.join('; '))}</td></tr>`;
  });
  return `<table><thead><tr><th>capability</th><th>verdict</th><th>passed</th><th>failed</th><th>skipped</th><th>skip reasons</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const statusOrder = (s: string) =>
  s === 'default' ? 999 : Number.parseInt(s.replace('XX', '00'), 10) + (s.includes('XX') ? 99 : 0);

function coverageMatrix(rows: CoverageRow[]): string {
  const columns = [...new Set(rows.flatMap((r) => r.statuses.map((s) => s.status)))].sort(
    (a, b) => statusOrder(a) - statusOrder(b),
  );
  const head = `<tr><th>operation</th>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}<th>undeclared</th></tr>`;
  const body = rows.map((row) => {
    const cells = columns.map((col) => {
      const cell = row.statuses.find((s) => s.status === col);
      if (!cell) return '<td class="na" title="not declared">·</td>';
      if (cell.hits) return `<td class="hit" title="exercised ${cell.hits}×">✓</td>`;
      if (cell.unprovokable)
        return `<td class="na" title="a black-box client cannot provoke it: ${escapeHtml(cell.unprovokable)}">∅</td>`;
      return '<td class="miss" title="declared, not exercised">–</td>';
    });
    const undeclared = row.undeclared.length ? `<td class="undeclared">${row.undeclared.join(', ')}</td>` : '<td></td>';
    return `<tr><td class="op"><code>${escapeHtml(row.operationId)}</code> <span class="meta">${escapeHtml(row.method)} ${escapeHtml(row.path)}</span></td>${cells.join('')}${undeclared}</tr>`;
  });
  const { exercised, declared, unprovokable } = coverageCounts(rows);
  const why = rows.flatMap((r) =>
    r.statuses
      .filter((s) => !s.hits && s.unprovokable)
      .map(
        (s) =>
          `<tr><td><code>${escapeHtml(r.operationId)}</code></td><td>${escapeHtml(s.status)}</td><td>${escapeHtml(s.unprovokable!)}</td></tr>`,
      ),
  );
  const unprovokableTable = why.length
    ? `<h3>Pairs a black-box client cannot provoke (${why.length})</h3><table><thead><tr><th>operation</th><th>status</th><th>why</th></tr></thead><tbody>${why.join('')}</tbody></table>`
    : '';
  return `<p>${exercised} of ${declared} declared (operation, status) pairs exercised; ${unprovokable} more a black-box client cannot provoke. ✓ exercised, – declared but not exercised, ∅ cannot be provoked (why: below), · not declared.</p><table class="matrix"><thead>${head}</thead><tbody>${body.join('')}</tbody></table>${unprovokableTable}`;
}

const headerLines = (headers: Record<string, string> | undefined) =>
  Object.entries(headers ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');

function failureBlock(f: Failure): string {
  const request = f.request
    ? `<details open><summary>Request</summary><pre>${escapeHtml(`${f.request.method} ${f.request.url}\n${headerLines(f.request.headers)}${f.request.body ? `\n\n${f.request.body}` : ''}`)}</pre></details>`
    : '';
  const response = f.response
    ? `<details open><summary>Response</summary><pre>${escapeHtml(f.response.error ? `(no response: ${f.response.error})` : `HTTP ${f.response.status}\n${headerLines(f.response.headers)}${f.response.body ? `\n\n${f.response.body}` : ''}`)}</pre></details>`
    : '';
  const linked = rulesFor(f);
  const ruleLinks = linked.length
    ? ` · inventory: ${linked.map((r) => `<a href="#${ruleAnchor(r.id)}"><code>${escapeHtml(r.id)}</code></a>`).join(', ')}`
    : '';
  return `<div class="failure"><h3>${escapeHtml(f.check)}</h3><p>Rule: <span class="rule">${escapeHtml(f.rule)}</span>${ruleLinks} · capability <code>${escapeHtml(f.capability)}</code> · <code>${escapeHtml(f.file)}</code></p><pre>${escapeHtml(f.message)}</pre>${request}${response}</div>`;
}

function warningsTable(warnings: ReportedWarning[]): string {
  if (!warnings.length) return '<p>None.</p>';
  const sorted = [...warnings].sort((a, b) => String(a.operationId).localeCompare(String(b.operationId)));
  const rows = sorted.map(
    (w) =>
      `<tr><td><code>${escapeHtml(w.operationId ?? '')}</code></td><td><span class="warn">${escapeHtml(w.rule)}</span></td><td><code>${escapeHtml(w.path)}</code></td><td>${escapeHtml(w.message)}</td><td>${escapeHtml(w.check)}</td></tr>`,
  );
  return `<p class="meta">Allowed by the contract (additive changes are compatible); each fails its check under <code>--strict</code>.</p><table><thead><tr><th>operation</th><th>rule</th><th>path</th><th>message</th><th>check</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The inventory entries the failures broke, each an anchor the failures link to (conformance/RULES.md has them all). */
function rulesBroken(failures: Failure[]): string {
  const rules = new Map<string, Rule>();
  for (const f of failures) for (const r of rulesFor(f)) rules.set(r.id, r);
  if (!rules.size) return '';
  const rows = [...rules.values()].map(
    (r) =>
      `<tr id="${ruleAnchor(r.id)}"><td><code>${escapeHtml(r.id)}</code></td><td>${escapeHtml(r.area)}</td><td>${escapeHtml(r.rule)}</td></tr>`,
  );
  return `<h2>Rules broken (${rules.size})</h2><p class="meta">From the rules inventory (conformance/RULES.md): what each failure above broke.</p><table><thead><tr><th>rule</th><th>area</th><th>promise</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function checksTable(result: RunResult): string {
  const rows = result.checks.map((c) => {
    const cls = c.state === 'passed' ? 'pass' : c.state === 'failed' ? 'fail' : 'skip';
    return `<tr><td><span class="verdict ${cls}">${c.state}</span></td><td><code>${escapeHtml(c.capability)}</code></td><td>${escapeHtml(c.group)}</td><td>${escapeHtml(c.name)}${c.skipReason ? `<br><span class="meta">${escapeHtml(c.skipReason)}</span>` : ''}</td><td class="num">${c.durationMs}</td></tr>`;
  });
  return `<table><thead><tr><th>state</th><th>capability</th><th>group</th><th>check</th><th>ms</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Renders the whole page. */
export function renderHtmlReport(result: RunResult): string {
  const verdict = `<span class="verdict ${result.verdict}">${result.verdict.toUpperCase()}</span>`;
  const failures = result.failures.length ? result.failures.map(failureBlock).join('') : '<p>None.</p>';
  // A receiver run (casapay-conformance receiver) has no operations to cover and no generated inputs.
  const receiver = result.target.receiver;
  const title = receiver ? 'CasaPay webhook receiver conformance' : 'CasaPay conformance';
  const run = receiver
    ? `signed <code>${escapeHtml(receiver.signing)}</code> · latency budget ${receiver.maxLatencyMs} ms · effects ${receiver.effects ? `<code>${escapeHtml(receiver.effects)}</code>` : 'not observable'}`
    : `seed <code>${result.target.seed}</code> (${result.target.negativeRuns} generated inputs per operation)`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}: ${escapeHtml(result.verdict.toUpperCase())} — ${escapeHtml(result.target.baseUrl)}</title>
<style>${STYLE}</style></head><body>
<h1>${title} ${verdict}</h1>
<p class="meta">Target <code>${escapeHtml(result.target.baseUrl)}</code>${result.target.startedMock ? ' (the bundled mock)' : ''} · started ${escapeHtml(result.startedAt)} · ${formatDuration(result.durationMs)} · ${run} · report schema v${result.schemaVersion}</p>
<h2>Capabilities</h2>${capabilityTable(result)}
<h2>Failures (${result.failures.length})</h2>${failures}
${rulesBroken(result.failures)}
<h2>Warnings (${(result.warnings ?? []).length})</h2>${warningsTable(result.warnings ?? [])}
${receiver ? '' : `<h2>Coverage</h2>${coverageMatrix(result.coverage)}`}
<h2>Checks (${result.checks.length})</h2>${checksTable(result)}
</body></html>
`;
}

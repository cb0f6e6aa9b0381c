import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtmlReport } from './html-report.js';
import type { RunResult } from './model.js';
import { formatDuration, formatProgressLine, formatSummary } from './summary.js';

const result: RunResult = {
  schemaVersion: 1,
  target: { baseUrl: 'http://127.0.0.1:4010', startedMock: false, seed: 42, negativeRuns: 40 },
  startedAt: '2024-11-01T00:00:00.000Z',
  durationMs: 12_345,
  verdict: 'fail',
  capabilities: {
    core: { selected: true, passed: 3, failed: 1, skipped: 0, skipReasons: [] },
    lifecycle: { selected: true, passed: 0, failed: 0, skipped: 2, skipReasons: ['the target has no test helpers'] },
    files: { selected: false, passed: 0, failed: 0, skipped: 0, skipReasons: [] },
  },
  checks: [
    {
      fullName: '[core] cases > creates',
      capability: 'core',
      group: 'cases',
      name: 'creates',
      file: 'f',
      state: 'failed',
      durationMs: 5,
    },
  ],
  coverage: [
    {
      operationId: 'createCollectionCase',
      method: 'POST',
      path: '/v1/collection_cases',
      statuses: [
        { status: '201', hits: 1 },
        { status: '400', hits: 0 },
      ],
      undeclared: [200],
    },
  ],
  failures: [
    {
      check: '[core] cases > creates',
      capability: 'core',
      file: 'conformance/checks/core/collection-cases.check.ts',
      rule: 'body-schema',
      message: 'contract rule "body-schema" broken: <script>',
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:4010/v1/collection_cases',
        headers: { authorization: 'Bearer sk_test_…' },
        body: '{"a":1}',
      },
      response: { status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":"dc_1"}' },
    },
  ],
  warnings: [
    {
      check: '[core] cases > lists',
      capability: 'core',
      rule: 'unknown-field',
      operationId: 'listCollectionCases',
      status: 200,
      path: 'data[].nickname',
      message: 'data[0].nickname is not a field the contract names',
    },
  ],
};

describe('formatProgressLine', () => {
  it.each([
    ['passed', { state: 'passed' as const }, '  ✓ [core] x > y (12 ms)'],
    [
      'skipped with a note',
      { state: 'skipped' as const, note: 'no helpers' },
      '  ↓ [core] x > y — skipped: no helpers',
    ],
    [
      'failed, with the first line of the error',
      { state: 'failed' as const, errors: [{ message: 'boom\nmore' }] },
      '  ✗ [core] x > y (12 ms)\n      boom',
    ],
  ])('%s', (_name, over, want) => {
    expect(formatProgressLine({ titles: ['[core] x', 'y'], durationMs: 12.2, errors: [], ...over })).toBe(want);
  });
});

describe('formatSummary', () => {
  const text = formatSummary(result);
  it('has one row per capability with counts and notes', () => {
    expect(text).toMatch(/core\s+3\s+1\s+0/);
    expect(text).toMatch(/lifecycle\s+0\s+0\s+2\s+the target has no test helpers/);
    expect(text).toMatch(/files\s+0\s+0\s+0\s+not selected/);
    expect(text).toMatch(/total\s+3\s+1\s+2/);
  });
  it('lists failures with their rule, and ends with the verdict and the time', () => {
    expect(text).toContain('rule: body-schema');
    expect(text).toContain('POST http://127.0.0.1:4010/v1/collection_cases → 201');
    expect(text).toContain('Coverage: 1 of 2 declared');
    expect(text.trim().split('\n').pop()).toBe(
      'FAIL: 3 passed, 1 failed, 2 skipped, 1 warnings in 12.3 s against http://127.0.0.1:4010.',
    );
  });
  it('lists warnings per operation with the path of the field', () => {
    expect(text).toMatch(/Warnings \(1\)[^\n]*\n {2}! listCollectionCases\n {6}unknown-field data\[\]\.nickname/);
  });
  it('formats durations', () => {
    expect(formatDuration(950)).toBe('0.9 s');
  });
});

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(result);
  it('is self-contained: no external scripts, styles or images', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=|href="http/);
  });
  it('shows the verdicts, the coverage matrix and each failure with request, response and rule', () => {
    expect(html).toContain('<span class="verdict fail">FAIL</span>');
    expect(html).toContain('not selected');
    expect(html).toContain('createCollectionCase');
    expect(html).toContain('class="undeclared">200<');
    expect(html).toContain('<span class="rule">body-schema</span>');
    expect(html).toContain('POST http://127.0.0.1:4010/v1/collection_cases');
    expect(html).toContain('HTTP 201');
    expect(html).toContain('&lt;script&gt;');
  });
  it('links each failure to its rule in the inventory', () => {
    expect(html).toContain('inventory: <a href="#rule-body-schema"><code>body-schema</code></a>');
    expect(html).toMatch(/<tr id="rule-body-schema"><td><code>body-schema<\/code>/);
  });
  it('lists the warnings with operation, rule and path', () => {
    expect(html).toContain('<h2>Warnings (1)</h2>');
    expect(html).toMatch(
      /listCollectionCases<\/code><\/td><td><span class="warn">unknown-field<\/span><\/td><td><code>data\[\]\.nickname/,
    );
  });
  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

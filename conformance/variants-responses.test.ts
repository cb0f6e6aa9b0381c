// The suite never fails a correct implementation: for each benign variant of the mock (behaviour the
// contract and the webhook guarantees allow), the run must PASS. This file: the request and response variants.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Capability } from './capabilities.js';
import { DEFAULT_OPTIONS } from './options.js';
import { runConformance } from './run.js';
import { expectVariantPasses } from './variant-cases.js';
import type { CasaPayVariantName as VariantName } from '../mocks/server.js';

const names: VariantName[] = [
  'reformatted-ids',
  'reworded-errors',
  'extra-headers',
  'latency',
  'connection-close',
  'minimal-objects',
  'extra-fields',
];

describe('the suite passes each benign variant of the mock (responses)', () => {
  it.each(names)('%s', (variant) => expectVariantPasses(variant), 90_000);
});

describe('warnings: additive is compatible, --strict is not', () => {
  it('an unknown response field and an unknown event type are warnings with their path in the console, JSON, HTML and JUnit reports; --strict fails on them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'casapay-warnings-'));
    try {
      const lines: string[] = [];
      const options = {
        ...DEFAULT_OPTIONS,
        capabilities: ['core', 'webhooks'] as Capability[],
        reportDir: dir,
        negativeRuns: 2,
        mock: { variants: ['extra-fields', 'extra-event'] },
        write: (l: string) => lines.push(l),
      };
      const { result } = await runConformance(options);
      expect(result.failures.map((f) => `${f.check}: ${f.message.split('\n')[0]}`)).toEqual([]);
      expect(result.verdict).toBe('pass');
      const field = result.warnings.find(
        (w) => w.rule === 'unknown-field' && w.operationId === 'retrieveCollectionCase',
      );
      expect(field, JSON.stringify(result.warnings.slice(0, 5))).toMatchObject({ path: 'x_trace' });
      expect(
        result.warnings.some(
          (w) => w.rule === 'unknown-event-type' && w.operationId === 'webhook case_chat.created' && w.path === 'type',
        ),
      ).toBe(true);
      const json = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
      expect(json.warnings).toEqual(result.warnings);
      const html = await readFile(path.join(dir, 'report.html'), 'utf8');
      expect(html).toMatch(
        /retrieveCollectionCase<\/code><\/td><td><span class="warn">unknown-field<\/span><\/td><td><code>x_trace/,
      );
      const junit = await readFile(path.join(dir, 'junit.xml'), 'utf8');
      expect(junit).toMatch(/<property name="warning" value="unknown-field retrieveCollectionCase x_trace: /);
      expect(junit).toMatch(/<property name="warning" value="unknown-event-type webhook case_chat.created type: /);
      const { formatSummary } = await import('./report/summary.js');
      expect(formatSummary(result)).toMatch(/! retrieveCollectionCase\n(?:.*\n)*? {6}unknown-field x_trace/);

      // Under --strict the same run fails: the first unknown field already breaks the webhooks' setup,
      // so the event type is proven on its own.
      const strict = await runConformance({ ...options, capabilities: ['core'], strict: true, reportDir: null });
      expect(strict.result.verdict).toBe('fail');
      expect(strict.result.failures.some((f) => f.rule === 'unknown-field')).toBe(true);
      const strictEvents = await runConformance({
        ...options,
        capabilities: ['webhooks'],
        mock: { variants: ['extra-event'] },
        strict: true,
        reportDir: null,
      });
      expect(strictEvents.result.failures.map((f) => f.rule)).toContain('unknown-event-type');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

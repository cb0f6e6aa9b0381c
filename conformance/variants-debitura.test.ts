// `--api debitura` never fails a correct implementation either: for each benign variant that bends
// Debitura's answers — its own (mocks/apis/debitura/variants.ts) and the shared ones that sit in the common
// dispatcher and hooks — a run of every Debitura capability must PASS, having checked something.
import { describe, expect, it } from 'vitest';
import { DEBITURA_CAPABILITIES } from './capabilities.js';
import { DEFAULT_OPTIONS } from './options.js';
import { runConformance } from './run.js';
import { DEBITURA_VARIANTS, type CasaPayVariantName as VariantName } from '../mocks/server.js';

const shared: VariantName[] = [
  'duplicate-deliveries',
  'delayed-deliveries',
  'interleaved-deliveries',
  'request-id-format',
  'extra-headers',
  'connection-close',
];

describe('--api debitura passes each benign variant of the mock', () => {
  it.each([...Object.keys(DEBITURA_VARIANTS), ...shared])(
    '%s',
    async (variant) => {
      const { result } = await runConformance({
        ...DEFAULT_OPTIONS,
        api: 'debitura',
        capabilities: [...DEBITURA_CAPABILITIES],
        reportDir: null,
        negativeRuns: 4,
        mock: { variants: [variant] },
        write: () => {},
      });
      const failures = result.failures.map((f) => `${f.check} [${f.rule}] ${f.message.split('\n')[0]}`).join('\n');
      expect(
        result.failures,
        `--variant ${variant} is allowed by Debitura's contracts, yet the suite failed:\n${failures}`,
      ).toEqual([]);
      expect(result.verdict).toBe('pass');
      for (const capability of DEBITURA_CAPABILITIES)
        expect(result.capabilities[capability]!.passed, `${capability} checks passed`).toBeGreaterThan(0);
    },
    90_000,
  );

  it('an unknown field is a warning, not a failure (and --strict fails it)', async () => {
    const options = {
      ...DEFAULT_OPTIONS,
      api: 'debitura' as const,
      capabilities: ['debitura-flow' as const],
      reportDir: null,
      negativeRuns: 2,
      mock: { variants: ['debitura-extra-fields'] },
      write: () => {},
    };
    const { result } = await runConformance(options);
    expect(result.verdict).toBe('pass');
    expect(result.warnings.some((w) => w.rule === 'unknown-field' && w.path.endsWith('traceId'))).toBe(true);
    const strict = await runConformance({ ...options, strict: true });
    expect(strict.result.failures.some((f) => f.rule === 'unknown-field')).toBe(true);
  }, 90_000);
});

// The suite never fails a correct implementation: for each benign variant of the mock (behaviour the
// contract and the webhook guarantees allow), the run must PASS. This file: the webhook delivery variants.
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from './options.js';
import { runConformance } from './run.js';
import { VARIANT_CASES } from './variant-cases.js';
import type { VariantName } from '../mocks/variants.js';

const names: VariantName[] = ['duplicate-deliveries', 'delayed-deliveries', 'interleaved-deliveries', 'extra-event', 'two-signatures', 'request-id-format'];

describe('the suite passes each benign variant of the mock (deliveries)', () => {
  it.each(names)('%s', async (variant) => {
    const { result } = await runConformance({ ...DEFAULT_OPTIONS, capabilities: VARIANT_CASES[variant], reportDir: null, negativeRuns: 4, mock: { variants: [variant] }, write: () => {} });
    const failures = result.failures.map((f) => `${f.check} [${f.rule}] ${f.message.split('\n')[0]}`).join('\n');
    expect(result.failures, `--variant ${variant} is allowed by the contract, yet the suite failed:\n${failures}`).toEqual([]);
    expect(result.verdict).toBe('pass');
    // A pass must have checked something: every selected capability ran checks that passed.
    for (const capability of VARIANT_CASES[variant]) expect(result.capabilities[capability]!.passed, `${capability} checks passed`).toBeGreaterThan(0);
  }, 90_000);
});

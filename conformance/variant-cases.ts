// The benign variants the suite must PASS, with the capabilities each one bends (every variant was
// also run against every capability, see the README's figures). Shared by the two variants-*.test.ts
// files, which vitest runs in parallel workers to keep `npm test` short.
import { expect } from 'vitest';
import type { Capability } from './capabilities.js';
import { DEFAULT_OPTIONS } from './options.js';
import { runConformance } from './run.js';
import type { CasaPayVariantName as VariantName } from '../mocks/server.js';

export const VARIANT_CASES: Record<VariantName, Capability[]> = {
  'duplicate-deliveries': ['webhooks'],
  'delayed-deliveries': ['webhooks'],
  'interleaved-deliveries': ['webhooks'],
  'extra-event': ['webhooks', 'core', 'auth'],
  'two-signatures': ['webhooks'],
  'reformatted-ids': ['core', 'pagination', 'lifecycle', 'webhooks'],
  'reworded-errors': ['negative', 'auth', 'idempotency'],
  'extra-headers': ['core', 'idempotency'],
  'request-id-format': ['core', 'idempotency'],
  latency: ['core'],
  'connection-close': ['core', 'files'],
  'minimal-objects': ['core', 'pagination', 'files', 'lifecycle', 'webhooks', 'idempotency'],
  'extra-fields': ['core', 'lifecycle'],
};

/** Runs the suite against the mock with one variant on and asserts a PASS that checked something. */
export async function expectVariantPasses(variant: VariantName): Promise<void> {
  const { result } = await runConformance({
    ...DEFAULT_OPTIONS,
    capabilities: VARIANT_CASES[variant],
    reportDir: null,
    negativeRuns: 4,
    mock: { variants: [variant] },
    write: () => {},
  });
  const failures = result.failures.map((f) => `${f.check} [${f.rule}] ${f.message.split('\n')[0]}`).join('\n');
  expect(
    result.failures,
    `--variant ${variant} is allowed by the contract, yet the suite failed:\n${failures}`,
  ).toEqual([]);
  expect(result.verdict).toBe('pass');
  // A pass must have checked something: every selected capability ran checks that passed.
  for (const capability of VARIANT_CASES[variant])
    expect(result.capabilities[capability]!.passed, `${capability} checks passed`).toBeGreaterThan(0);
}

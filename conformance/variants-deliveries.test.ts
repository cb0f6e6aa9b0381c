// The suite never fails a correct implementation: for each benign variant of the mock (behaviour the
// contract and the webhook guarantees allow), the run must PASS. This file: the webhook delivery variants.
import { describe, it } from 'vitest';
import { expectVariantPasses } from './variant-cases.js';
import type { CasaPayVariantName as VariantName } from '../mocks/server.js';

const names: VariantName[] = [
  'duplicate-deliveries',
  'delayed-deliveries',
  'interleaved-deliveries',
  'extra-event',
  'two-signatures',
  'request-id-format',
];

describe('the suite passes each benign variant of the mock (deliveries)', () => {
  it.each(names)('%s', (variant) => expectVariantPasses(variant), 90_000);
});

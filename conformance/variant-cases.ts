// The benign variants the suite must PASS, with the capabilities each one bends (all of them were
// also run against every capability when added; see the README's figures). Shared by the two
// variants-*.test.ts files, which vitest runs in parallel workers to keep `npm test` short.
import type { Capability } from './capabilities.js';
import type { VariantName } from '../mocks/variants.js';

export const VARIANT_CASES: Record<VariantName, Capability[]> = {
  'duplicate-deliveries': ['webhooks'],
  'delayed-deliveries': ['webhooks'],
  'interleaved-deliveries': ['webhooks'],
  'extra-event': ['webhooks', 'core', 'auth'],
  'two-signatures': ['webhooks'],
  'reformatted-ids': ['core', 'pagination', 'files', 'lifecycle', 'webhooks', 'auth', 'idempotency'],
  'reworded-errors': ['negative', 'auth', 'core', 'idempotency'],
  'extra-headers': ['core', 'files', 'idempotency'],
  'request-id-format': ['core', 'idempotency', 'webhooks'],
  latency: ['core', 'idempotency'],
  'connection-close': ['core', 'files', 'pagination'],
  'minimal-objects': ['core', 'pagination', 'files', 'lifecycle', 'webhooks', 'auth', 'idempotency', 'negative'],
  'extra-fields': ['core', 'pagination', 'lifecycle'],
};

// The benign variants the suite must PASS, with the capabilities each one bends (every variant was
// also run against every capability, see the README's figures). Shared by the two variants-*.test.ts
// files, which vitest runs in parallel workers to keep `npm test` short.
import type { Capability } from './capabilities.js';
import type { VariantName } from '../mocks/variants.js';

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

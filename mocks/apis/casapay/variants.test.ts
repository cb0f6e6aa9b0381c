// The variants' transformations on their own: nothing is installed when none is asked for, and each
// transformation stays inside what the contract allows (the ids its patterns accept, a signature
// header that verifies, only required fields kept).
import { describe, expect, it } from 'vitest';
import { createIdMinter } from '../../engine/state/ids.js';
import { parseVariants, variantHooks, VARIANTS } from './variants.js';
import { verifySignature } from '../../../kit/webhook-signature.js';
import { contract } from '../../test-support.js';
import { describeErrors } from '../../../kit/contract.js';

const random = createIdMinter('variants-test').fraction;
const hooksFor = (...names: string[]) => variantHooks(parseVariants(names), { contract, random });

describe('variants', () => {
  it('installs nothing when no variant is on (the default mock pays nothing)', () => {
    expect(hooksFor()).toEqual({});
  });

  it('refuses unknown names, listing the known ones', () => {
    expect(() => parseVariants(['sloppy'])).toThrow(/Unknown variant\(s\): sloppy\. Known: .*minimal-objects/);
    expect(Object.keys(VARIANTS).length).toBeGreaterThanOrEqual(12);
  });

  it("reformatted-ids mints ids, references and secrets the contract's patterns accept", () => {
    const ids = hooksFor('reformatted-ids').ids!(createIdMinter('x'));
    const pattern = (schema: string, field: string) =>
      new RegExp(contract.document.components.schemas[schema].properties[field].pattern);
    for (let i = 0; i < 50; i++) {
      const id = ids.id('dc');
      expect(id).toMatch(pattern('CollectionCase', 'id'));
      expect(id).toMatch(/^dc_v_\w+_\w+$/);
      expect(ids.reference()).toMatch(pattern('CollectionCase', 'reference'));
      expect(ids.secret('whsec')).toMatch(pattern('WebhookEndpoint', 'secret'));
    }
  });

  it('two-signatures sends a stale v1 first and a valid one after: the header still verifies', () => {
    const { mutate } = hooksFor('two-signatures');
    const body =
      '{"id":"evt_1","object":"event","type":"collection_case.created","created":1,"data":{"object":{"object":"collection_case"}}}';
    const out = mutate!({ endpointId: 'we_1', url: 'http://x', secret: 'whsec_abc' }, body, {}, 1_700_000_000) as {
      body: string;
      headers: Record<string, string>;
    };
    const header = out.headers['X-CasaPay-Signature']!;
    expect(header.match(/v1=/g)?.length).toBe(2);
    expect(() => verifySignature(out.body, header, 'whsec_abc', 300, 1_700_000_000)).not.toThrow();
  });

  it('minimal-objects keeps exactly the required fields of deliveries, and the result still validates', () => {
    const { mutate } = hooksFor('minimal-objects');
    const event = {
      id: 'evt_1',
      object: 'event',
      type: 'collection_case.updated',
      api_version: '2024-11-01',
      created: 1,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: {
        object: {
          id: 'dc_1',
          object: 'collection_case',
          reference: 'ABCDEFGH',
          status: 'active',
          amount_to_recover: 2,
          remainder: 1,
          currency: 'eur',
          created: 1,
          metadata: {},
        },
        previous_attributes: { remainder: 2 },
      },
    };
    const out = mutate!(
      { endpointId: 'we_1', url: 'http://x', secret: 'whsec_abc' },
      JSON.stringify(event),
      {},
      1_700_000_000,
    ) as { body: string; headers: Record<string, string> };
    const pruned = JSON.parse(out.body);
    expect(pruned).toEqual({
      id: 'evt_1',
      object: 'event',
      type: 'collection_case.updated',
      created: 1,
      data: {
        object: {
          id: 'dc_1',
          object: 'collection_case',
          reference: 'ABCDEFGH',
          status: 'active',
          amount_to_recover: 2,
          remainder: 1,
          currency: 'eur',
        },
      },
    });
    const validate = contract.webhookValidator('collection_case.updated')!;
    expect(validate(pruned), describeErrors(validate.errors)).toBe(true);
    expect(
      () => verifySignature(out.body, out.headers['X-CasaPay-Signature']!, 'whsec_abc', 300, 1_700_000_000),
      're-signed over the pruned body',
    ).not.toThrow();
  });
});

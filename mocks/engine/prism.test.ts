// Prism is loaded on first use. A load that fails (no file descriptor left, say) answers 503 and is
// not kept: the next request that needs Prism tries again.
import { expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { PrismFallback } from './prism.js';
import type { Contract, OperationSpec } from '../../kit/contract.js';

it('a failed load is a 503 service_unavailable, retried by the next request', async () => {
  let reads = 0;
  // A contract whose document cannot be cloned for Prism: every load attempt fails, and counts itself.
  const contract = {
    get document() {
      reads++;
      return { cannot: () => 'be cloned' };
    },
  } as unknown as Contract;
  const prism = new PrismFallback(contract);
  const ask = () =>
    prism.answer(
      { method: 'get', operationId: 'x', path: '/v1/x', responses: { '200': {} } } as unknown as OperationSpec,
      { method: 'GET', path: '/v1/x', query: {}, headers: {}, body: undefined },
      { code: 200 },
    );
  for (let attempt = 1; attempt <= 2; attempt++) {
    const error = await ask().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(reads).toBe(attempt);
  }
});

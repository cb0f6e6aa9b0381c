// Every operation that names an object in its path, read from the contract: an id that does not
// exist is 404 resource_not_found with the error envelope, whatever the method. Test-helper
// routes are checked by the lifecycle capability (a target may not offer them).
import { beforeAll, expect, it } from 'vitest';
import { capability } from '../../support/capability.js';
import { contract } from '../../support/contract.js';
import { expectNoProblems, freshAccount, type Account } from '../../support/fixtures.js';

/** A valid body for the operations that need one, so only the missing object is wrong. */
const BODIES: Record<string, unknown> = {
  updateGuaranteePolicy: { name: 'Renamed' },
  updateGuarantee: { metadata: { k: 'v' } },
  cancelGuarantee: {},
  updateWebhookEndpoint: { description: 'x' },
  createEventWebhookDelivery: { webhook_endpoint: 'we_doesnotexist' },
};

const operations = () =>
  contract().operations.filter(
    (op) =>
      op.path.includes('{') &&
      !op.path.startsWith('/v1/test_helpers/') &&
      '404' in op.responses &&
      op.operationId !== 'uploadCaseFile',
  );

capability('core', 'unknown ids on every operation', () => {
  let account: Account;

  beforeAll(async () => {
    account = await freshAccount();
  });

  it('every operation with an id in its path answers 404 resource_not_found for an unknown id', async () => {
    const problems: string[] = [];
    const ops = operations();
    expect(ops.length, 'operations with ids in their path').toBeGreaterThan(10);
    for (const op of ops) {
      const path = Object.fromEntries(
        op.parameters
          .filter((p) => p.in === 'path')
          .map((p) => [p.name, `${p.name === 'reference' ? 'ZZ' : ''}doesnotexist0`]),
      );
      try {
        const result = await (account.api.request as any)(op.method, op.path, {
          params: { path },
          ...(op.operationId in BODIES ? { body: BODIES[op.operationId] } : {}),
        });
        const error = result.error?.error;
        if (result.response.status !== 404)
          problems.push(`${op.operationId} (${op.method.toUpperCase()} ${op.path}) → ${result.response.status}`);
        else if (error?.code !== 'resource_not_found')
          problems.push(`${op.operationId} → 404 with code ${error?.code}`);
      } catch (err) {
        // A contract violation, a timeout or an answer the check cannot read is a problem of this operation.
        problems.push(`${op.operationId} → ${(err as Error).message}`);
      }
    }
    expectNoProblems(problems, 'an unknown id must be 404 resource_not_found on every operation');
  });
});

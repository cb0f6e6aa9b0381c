// The coverage limits stay true: each names a status some operation of its API declares, COVERAGE.md is
// current, and the report marks exactly those pairs (and counts them apart from the gaps).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadBundledContract, loadContract } from '../kit/contract.js';
import { COVERAGE_LIMITS, renderCoverageMarkdown, unprovokablePairs } from './coverage-limits.js';
import { buildCoverage, coverageCounts } from './report/model.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const coverageOperations = () => ({
  casapay: loadContract().operations,
  debitura: [
    ...loadBundledContract('debitura-referral.json').operations,
    ...loadBundledContract('debitura-customer.json').operations,
  ],
});

describe('coverage limits', () => {
  const operations = coverageOperations();

  it('COVERAGE.md is current (npm run rules)', () => {
    expect(readFileSync(path.join(here, 'COVERAGE.md'), 'utf8')).toBe(renderCoverageMarkdown(operations));
  });

  it.each(Object.entries(COVERAGE_LIMITS).flatMap(([api, limits]) => limits.map((l) => [api, l] as const)))(
    '%s: the limit %j names a declared pair',
    (api, limit) => {
      const pairs = unprovokablePairs(api as 'casapay' | 'debitura', operations[api as 'casapay' | 'debitura']);
      expect(
        pairs.some(
          (p) => p.status === limit.status && (limit.operationId === '*' || p.operationId === limit.operationId),
        ),
      ).toBe(true);
    },
  );

  it('the coverage marks the unprovokable pairs and counts them apart', () => {
    const contract = {
      operations: [
        {
          operationId: 'createThing',
          method: 'post',
          path: '/things',
          responses: { '201': null, '409': null, '5XX': null },
        },
      ],
      declaredStatus: (_id: string, status: number) => (status === 201 ? '201' : undefined),
    } as never;
    const rows = buildCoverage(contract, [{ operationId: 'createThing', status: 201 }] as never, [
      { operationId: 'createThing', status: '5XX', why: 'a fault' },
    ]);
    expect(rows[0]!.statuses).toEqual([
      { status: '201', hits: 1 },
      { status: '409', hits: 0 },
      { status: '5XX', hits: 0, unprovokable: 'a fault' },
    ]);
    expect(coverageCounts(rows)).toEqual({ declared: 3, exercised: 1, unprovokable: 1 });
  });
});

// The declared (operation, status) pairs a black-box client cannot provoke, and why. The report marks
// them in its coverage matrix (∅, with the reason) and counts them apart from the pairs the suite
// could exercise and does not; COVERAGE.md lists them (`npm run rules`). Every other declared pair is
// one a client can provoke: not exercising it is a gap of the suite, shown as such.
import type { ApiName } from './capabilities.js';
import type { UnprovokablePair } from './report/model.js';

const SERVER_FAULT =
  'a fault on the server: a conforming target answers it only when it breaks, and no request is meant to cause it';
const RATE_LIMIT =
  "the limits are the target's and the contract states none: provoking one means flooding the target, which a conformance run must not do";
const IN_FLIGHT =
  'needs a request that is still running when its retry with the same Idempotency-Key arrives: a race against an unknown target (idem.in-flight)';
const CLIENT_CONFLICT =
  "needs a company the target already knows (an account of its own, another partner's link, no creditor): the mock's magic domains are its own, not part of the contract (debitura.client-conflict)";

const NOTHING_TO_GET_WRONG =
  "the operation takes no parameter and no body, so nothing a client sends can be invalid; Debitura's published contract declares the 400 anyway (kept so clients generated from either agree)";

/** `*` as operationId: every operation that declares the status. */
const RULES_OF: Record<ApiName, { operationId: string; status: string; why: string }[]> = {
  casapay: [
    { operationId: '*', status: '500', why: SERVER_FAULT },
    { operationId: '*', status: '503', why: SERVER_FAULT },
    { operationId: '*', status: '429', why: RATE_LIMIT },
    { operationId: '*', status: '409', why: IN_FLIGHT },
  ],
  debitura: [
    { operationId: '*', status: '500', why: SERVER_FAULT },
    { operationId: '*', status: '503', why: SERVER_FAULT },
    { operationId: '*', status: '429', why: RATE_LIMIT },
    { operationId: 'createCase', status: '409', why: IN_FLIGHT },
    { operationId: 'createClient', status: '409', why: CLIENT_CONFLICT },
    { operationId: 'listClients', status: '400', why: NOTHING_TO_GET_WRONG },
    { operationId: 'listPartnerWebhooks', status: '400', why: NOTHING_TO_GET_WRONG },
    { operationId: 'listWebhooks', status: '400', why: NOTHING_TO_GET_WRONG },
  ],
};

/** The pairs of an API's operations (as `declared` lists them) that no black-box client can provoke. */
export function unprovokablePairs(
  api: ApiName,
  operations: readonly { operationId: string; responses: Record<string, unknown> }[],
): UnprovokablePair[] {
  return operations.flatMap((op) =>
    RULES_OF[api]
      .filter((r) => (r.operationId === '*' || r.operationId === op.operationId) && r.status in op.responses)
      .map((r) => ({ operationId: op.operationId, status: r.status, why: r.why })),
  );
}

/** The limits as written (for the test that each names a declared pair). */
export const COVERAGE_LIMITS = RULES_OF;

/** conformance/COVERAGE.md: the limits, per API, with the operations each covers in the bundled contracts. */
export function renderCoverageMarkdown(
  operationsOf: Record<ApiName, readonly { operationId: string; responses: Record<string, unknown> }[]>,
): string {
  const lines = [
    '# Coverage: what a black-box client cannot provoke',
    '',
    'The report counts the (operation, status) pairs the contracts declare and the ones the run exercised.',
    'A few declared answers no client can provoke from outside without harming the target or knowing its',
    'private data; the report marks them `∅` with the reason and counts them apart. Every other declared',
    'pair is one a client can provoke: when the suite does not exercise it, the report shows a gap (`–`).',
    'Rendered from `conformance/coverage-limits.ts` by `npm run rules`; `conformance/coverage-limits.test.ts`',
    'fails when this file is stale or a limit names no declared pair.',
    '',
  ];
  for (const api of Object.keys(RULES_OF) as ApiName[]) {
    const operations = operationsOf[api];
    const declared = operations.reduce((n, op) => n + Object.keys(op.responses).length, 0);
    const pairs = unprovokablePairs(api, operations);
    lines.push(
      `## ${api}`,
      '',
      `${declared} declared pairs; ${pairs.length} cannot be provoked by a black-box client.`,
      '',
      '| status | operations | why |',
      '| --- | --- | --- |',
    );
    for (const limit of RULES_OF[api]) {
      const ops = pairs.filter(
        (p) => p.status === limit.status && (limit.operationId === '*' || p.operationId === limit.operationId),
      );
      const names =
        limit.operationId === '*' ? `every operation declaring it (${ops.length})` : `\`${limit.operationId}\``;
      lines.push(`| ${limit.status} | ${names} | ${limit.why.replace(/\|/g, '\\|')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

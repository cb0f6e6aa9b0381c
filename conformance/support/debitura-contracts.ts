// Debitura's two contracts (generated/debitura-referral.json, generated/debitura-customer.json),
// loaded once per worker, as the ApiContract the client middleware holds every response to: the
// declared status, JSON, the schema (a 4xx is Debitura's ErrorResponse, the 422 of a submission its
// BusinessErrorResponse), warnings for unknown fields. Debitura promises no Request-Id header.
import { loadBundledContract, type Contract, type OperationSpec } from '../../kit/contract.js';
import type { ApiContract } from './response-rules.js';
import { responseWarnings } from './warnings.js';

export type DebituraApi = 'referral' | 'customer';

const FILES: Record<DebituraApi, string> = { referral: 'debitura-referral.json', customer: 'debitura-customer.json' };
const loaded = new Map<DebituraApi, Contract>();

/** The contract of one of Debitura's APIs. */
export function debituraContract(api: DebituraApi): Contract {
  let c = loaded.get(api);
  if (!c) loaded.set(api, (c = loadBundledContract(FILES[api])));
  return c;
}

const routes = new Map<DebituraApi, Map<string, OperationSpec>>();

function operationOf(api: DebituraApi, method: string, template: string): OperationSpec | undefined {
  let byRoute = routes.get(api);
  if (!byRoute)
    routes.set(api, (byRoute = new Map(debituraContract(api).operations.map((op) => [`${op.method} ${op.path}`, op]))));
  return byRoute.get(`${method.toLowerCase()} ${template}`);
}

const apiContracts = new Map<DebituraApi, ApiContract>();

/** The middleware's view of one Debitura API. */
export function debituraApiContract(api: DebituraApi): ApiContract {
  let c = apiContracts.get(api);
  if (!c) {
    c = {
      contract: () => debituraContract(api),
      operationFor: (method, template) => operationOf(api, method, template),
      requestIdRequired: false,
      errorShape: "Debitura's ErrorResponse {error, message, businessErrors} (or the operation's declared error body)",
      warnings: (operationId, status, body) => responseWarnings(operationId, status, body, debituraContract(api)),
    };
    apiContracts.set(api, c);
  }
  return c;
}

/**
 * Both APIs as one operation list for the report's coverage matrix (operation ids are distinct across
 * the two; paths are shown with their API: `referral /oauth/token`).
 */
export function debituraCoverageContract(): Pick<Contract, 'operations' | 'declaredStatus'> {
  const apis: DebituraApi[] = ['referral', 'customer'];
  const owner = new Map<string, DebituraApi>();
  const operations: OperationSpec[] = [];
  for (const api of apis) {
    for (const op of debituraContract(api).operations) {
      owner.set(op.operationId, api);
      operations.push({ ...op, path: `${api} ${op.path}` });
    }
  }
  return {
    operations,
    declaredStatus: (operationId, status) => {
      const api = owner.get(operationId);
      return api ? debituraContract(api).declaredStatus(operationId, status) : undefined;
    },
  };
}

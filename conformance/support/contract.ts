// The contract, loaded once per worker, and the lookups the client needs.
import { loadContract, type Contract, type OperationSpec } from '../../kit/contract.js';

let loaded: Contract | undefined;

export function contract(): Contract {
  if (!loaded) loaded = loadContract();
  return loaded;
}

let byRoute: Map<string, OperationSpec> | undefined;

/** The operation for a method and a path template such as `/v1/collection_cases/{id}`. */
export function operationFor(method: string, template: string): OperationSpec | undefined {
  if (!byRoute) byRoute = new Map(contract().operations.map((op) => [`${op.method} ${op.path}`, op]));
  return byRoute.get(`${method.toLowerCase()} ${template}`);
}

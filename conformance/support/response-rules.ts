// The contract rules every response is held to, whoever received it: the client middleware of the
// checks (client.ts) and the traffic proxy (conformance/proxy/). No vitest here, so a plain Node process
// can import it: declared status, JSON content type, body valid, error envelope, Request-Id, events
// against their webhook payload schemas.
import { describeErrors, type Contract, type OperationSpec } from '../../kit/contract.js';
import { contract, operationFor } from './contract.js';
import { clip, type Violation } from './recorder.js';
import { responseWarnings, type Warning } from './warnings.js';

/**
 * The API a client talks to: its contract and what it promises on top (CasaPay: a Request-Id on every
 * response and the `{error:{…}}` envelope; Debitura: its `ErrorResponse`, no Request-Id promised).
 */
export interface ApiContract {
  contract(): Contract;
  /** The operation for a method and a path template of this API. */
  operationFor(method: string, template: string): OperationSpec | undefined;
  /** Every response must carry a Request-Id header (rule request-id-header). */
  requestIdRequired: boolean;
  /** How the error-envelope rule names the error shape in its message. */
  errorShape: string;
  /** The warnings of a response that honoured the open contract. */
  warnings(operationId: string, status: number, body: unknown): Warning[];
}

export const CASAPAY_API: ApiContract = {
  contract,
  operationFor,
  requestIdRequired: true,
  errorShape: 'the {error:{type,code,message,param}} envelope',
  warnings: (operationId, status, body) => responseWarnings(operationId, status, body),
};

/** Rules applied to one response; returns the violations (empty when the response honours the contract). */
export function checkResponse(
  operationId: string,
  status: number,
  contentType: string | null,
  requestId: string | null,
  body: unknown,
  rawBody: string,
  api: ApiContract = CASAPAY_API,
): Violation[] {
  const c = api.contract();
  const violations: Violation[] = [];
  const add = (rule: string, message: string) => violations.push({ rule, operationId, status, message });
  const declared = c.declaredStatus(operationId, status);
  if (declared === undefined) {
    add(
      'status-declared',
      `status ${status} is not declared for ${operationId} (declared: ${Object.keys(c.operationsById.get(operationId)?.responses ?? {}).join(', ')})`,
    );
    return violations;
  }
  if (!requestId && api.requestIdRequired) add('request-id-header', 'the response has no Request-Id header');
  const validate = c.responseValidator(operationId, status);
  if (validate === null) return violations; // a declared non-JSON body (file download)
  if (!contentType || !/^application\/json\b/i.test(contentType)) {
    add('content-type-json', `Content-Type is ${contentType ?? '(none)'}, expected application/json`);
    return violations;
  }
  if (body === undefined) {
    add('body-schema', `the body is not JSON: ${clip(rawBody, 200)}`);
    return violations;
  }
  if (validate && !validate(body)) {
    add(
      status >= 400 ? 'error-envelope' : 'body-schema',
      `${status >= 400 ? `the error body is not ${api.errorShape}` : 'the body does not match the contract'}: ${describeErrors(validate.errors)}`,
    );
    return violations;
  }
  // Events carry their object loosely typed in the list schema; hold each to its webhook payload schema.
  const events: unknown[] =
    status >= 300
      ? []
      : operationId === 'listEvents'
        ? ((body as { data?: unknown[] }).data ?? [])
        : ['retrieveEvent', 'fireEvent'].includes(operationId)
          ? [body]
          : [];
  for (const event of events as { id?: string; type?: string }[]) {
    const { id, type } = event;
    const hook = type ? c.webhookValidator(type) : undefined;
    if (hook && !hook(event))
      add(
        'event-payload',
        `event ${id} (${type}) does not match its webhook payload schema: ${describeErrors(hook.errors)}`,
      );
  }
  return violations;
}

// What the contract allows but a careful implementation would not do: a field the contract does not
// name (unknown-field), an event type it does not list (unknown-event-type), a field the docs show
// but do not require left out (recommended-field). Additive changes are compatible (Stripe's
// promise), so by default these are warnings; `--strict` turns them into failures. Everything here
// is read from the contract: the closed view for unknown fields, the `webhooks` section for event
// types, `x-recommended` for recommended fields.
import type { ErrorObject } from 'ajv/dist/2020.js';
import { loadContract, type Contract } from '../../kit/contract.js';
import { contract } from './contract.js';

export type WarningRule = 'unknown-field' | 'unknown-event-type' | 'recommended-field';

export interface Warning {
  rule: WarningRule;
  /** The operation (or `webhook <type>` for a delivery) whose response carried it. */
  operationId: string | null;
  status: number | null;
  /** Where in the body, such as `data[0].debtor.nickname`. */
  path: string;
  message: string;
}

const closedViews = new WeakMap<Contract, Contract>();
/** The closed view compiled with allErrors, so every unknown field is listed, not just the first. */
export function closedView(of: Contract = contract()): Contract {
  let view = closedViews.get(of);
  if (!view) closedViews.set(of, (view = loadContract(of.document, { allErrors: true }).closed()));
  return view;
}
const closed = () => closedView();

/** `/data/0/debtor` + `nickname` → `data[0].debtor.nickname`. */
export function bodyPath(pointer: string, last?: string): string {
  const parts = pointer
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (last !== undefined) parts.push(last);
  return parts.reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), '') || '(root)';
}

const join = (prefix: string, path: string) =>
  !prefix ? path : path === '(root)' ? prefix : path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;

export function unknownFields(errors: ErrorObject[] | null | undefined, prefix: string): string[] {
  const out = new Set<string>();
  for (const e of errors ?? []) {
    if (e.keyword !== 'additionalProperties') continue;
    out.add(
      join(prefix, bodyPath(e.instancePath, String((e.params as { additionalProperty: string }).additionalProperty))),
    );
  }
  return [...out];
}

const recommendedByContract = new WeakMap<Contract, Map<string, string[]>>();
/** `object` value (`event`, `webhook_endpoint` …) → the fields its schema recommends (`x-recommended`). */
function recommendedOf(of: Contract): Map<string, string[]> {
  let byObject = recommendedByContract.get(of);
  if (byObject) return byObject;
  byObject = new Map();
  for (const schema of Object.values<any>(of.document.components?.schemas ?? {})) {
    const kind = schema?.properties?.object?.const;
    if (typeof kind === 'string' && Array.isArray(schema['x-recommended'])) byObject.set(kind, schema['x-recommended']);
  }
  recommendedByContract.set(of, byObject);
  return byObject;
}

/** Every object in the body whose schema recommends fields it lacks. */
function missingRecommended(body: unknown, path = '', of: Contract = contract()): string[] {
  const recommended = () => recommendedOf(of);
  const out: string[] = [];
  const visit = (node: unknown, at: string) => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${at}[${i}]`));
    if (!node || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    // A deletion receipt (`{id, object, deleted: true}`) is not the object itself.
    const fields =
      typeof object.object === 'string' && object.deleted !== true ? recommended().get(object.object) : undefined;
    for (const field of fields ?? []) if (object[field] === undefined) out.push(join(at, field));
    for (const [key, value] of Object.entries(object)) visit(value, join(at, key));
  };
  visit(body, path);
  return out;
}

const known = (type: unknown): boolean => typeof type === 'string' && Boolean(contract().document.webhooks?.[type]);

/**
 * The warnings of one event (listed, retrieved or delivered). Call it only on an event that passed
 * the open contract: failures come first.
 * @example eventWarnings({ id: 'evt_1', type: 'invoice.paid', … }, 'webhook', null, '') // [{ rule: 'unknown-event-type', … }]
 */
export function eventWarnings(
  event: Record<string, any>,
  operationId: string | null,
  status: number | null,
  prefix: string,
): Warning[] {
  const warnings: Warning[] = [];
  const add = (rule: WarningRule, path: string, message: string) =>
    warnings.push({ rule, operationId, status, path, message });
  if (!known(event.type)) {
    add(
      'unknown-event-type',
      join(prefix, 'type'),
      `event ${event.id} has type ${JSON.stringify(event.type)}, which the contract's webhooks section does not list (receivers must ignore it)`,
    );
    for (const path of missingRecommended(event, prefix))
      add('recommended-field', path, `${path} is absent: the docs show it, the contract recommends it`);
    return warnings;
  }
  const type = String(event.type);
  const hook = closed().webhookValidator(type)!;
  if (!hook(event))
    for (const path of unknownFields(hook.errors, prefix))
      add('unknown-field', path, `${path} is not a field of the contract's ${type} payload`);
  const data = event.data as Record<string, unknown> | undefined;
  if (type.endsWith('.updated') && data && data.previous_attributes === undefined) {
    add(
      'recommended-field',
      join(prefix, 'data.previous_attributes'),
      `${type} ${String(event.id)} has no data.previous_attributes: receivers cannot tell what changed`,
    );
  }
  for (const path of missingRecommended(event, prefix))
    add('recommended-field', path, `${path} is absent: the docs show it, the contract recommends it`);
  return warnings;
}

/**
 * The warnings of a response that honoured the open contract: unknown fields anywhere, recommended
 * fields left out, and for event bodies the event rules above.
 * @example responseWarnings('retrieveCollectionCase', 200, { …case, nickname: 'x' }) // [{ rule: 'unknown-field', path: 'nickname', … }]
 */
export function responseWarnings(operationId: string, status: number, body: unknown, of?: Contract): Warning[] {
  if (status >= 300 || !body || typeof body !== 'object') return [];
  const warnings: Warning[] = [];
  // Another API's contract (Debitura's): unknown fields and recommended fields only, no CasaPay events.
  if (of) {
    const validate = closedView(of).responseValidator(operationId, status);
    if (validate && !validate(body)) {
      for (const path of unknownFields(validate.errors, ''))
        warnings.push({
          rule: 'unknown-field',
          operationId,
          status,
          path,
          message: `${path} is not a field the contract names for ${operationId} ${status}`,
        });
    }
    for (const path of missingRecommended(body, '', of))
      warnings.push({
        rule: 'recommended-field',
        operationId,
        status,
        path,
        message: `${path} is absent: the docs show it, the contract recommends it`,
      });
    return warnings;
  }
  const eventsAt: Array<[Record<string, any>, string]> =
    operationId === 'listEvents'
      ? ((body as { data?: unknown[] }).data ?? []).map((e, i) => [e as Record<string, any>, `data[${i}]`])
      : ['retrieveEvent', 'fireEvent'].includes(operationId)
        ? [[body as Record<string, any>, '']]
        : [];
  if (eventsAt.length) {
    for (const [event, prefix] of eventsAt) warnings.push(...eventWarnings(event, operationId, status, prefix));
    return warnings;
  }
  const validate = closed().responseValidator(operationId, status);
  if (validate && !validate(body)) {
    for (const path of unknownFields(validate.errors, ''))
      warnings.push({
        rule: 'unknown-field',
        operationId,
        status,
        path,
        message: `${path} is not a field the contract names for ${operationId} ${status}`,
      });
  }
  for (const path of missingRecommended(body))
    warnings.push({
      rule: 'recommended-field',
      operationId,
      status,
      path,
      message: `${path} is absent: the docs show it, the contract recommends it`,
    });
  return warnings;
}

// Reading JSON the way both APIs want it: invalid JSON is a typed 400, and so is a number JSON can
// write but a double cannot hold (`1e309`, a 400-digit integer: JSON.parse makes them ±Infinity,
// which ajv's `number` and `integer` accept and JSON.stringify later writes as `null`). The same walk
// refuses non-finite numbers that query coercion produced (`?created[gte]=1e309`).
import { errors, type ApiError } from './errors.js';

/** Whether `value` holds a non-finite number anywhere (no allocation on the usual answer, "no"). */
function holdsNonFinite(value: unknown, depth: number): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (!value || typeof value !== 'object') return false;
  // Deep nesting (a 1 MB body can nest far deeper than the call stack) goes to the iterative walk.
  if (depth > 64) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (holdsNonFinite(value[i], depth + 1)) return true;
    return false;
  }
  for (const key in value as Record<string, unknown>)
    if (holdsNonFinite((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

/** The Stripe-style name of the first non-finite number inside `value` (`debtor[amount]`; '' for the root), or undefined. */
export function nonFiniteParam(value: unknown): string | undefined {
  // Most values hold none: a quick look first, the named walk only when it may find one.
  if (!holdsNonFinite(value, 0)) return undefined;
  // Iterative: a 1 MB body can nest far deeper than the call stack.
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [node, name] = stack.pop()!;
    if (typeof node === 'number') {
      if (!Number.isFinite(node)) return name;
    } else if (node && typeof node === 'object') {
      const entries = Array.isArray(node) ? node.map((item, i) => [String(i), item] as const) : Object.entries(node);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        stack.push([child, name ? `${name}[${key}]` : key]);
      }
    }
  }
  return undefined;
}

/** The 400 for a non-finite number at `param`. */
export const nonFiniteError = (param: string): ApiError =>
  // JSON Schema's numbers are finite: the schema's own `type` refuses it.
  (param
    ? errors.parameterInvalid(
        param,
        'must be a finite number; 1e309 and beyond (or that many digits) cannot be represented.',
      )
    : errors.parameterInvalid(null, 'The request body is a number beyond what can be represented (1e309 and beyond).')
  ).bySchema('type');

/** A digit followed by an exponent (`1e309`, `1000…0e9`), or a run of digits no double can hold. */
const MAY_OVERFLOW = /\d[eE]|\d{309}/;

/**
 * Parses a JSON request body; an empty body is no body.
 * @example parseJsonBody('{"amount": 1e309}') // throws 400 parameter_invalid, param 'amount'
 */
export function parseJsonBody(text: string): unknown {
  if (text === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw errors.invalidJson((error as Error).message);
  }
  // Only a number with an exponent or 309+ digits in a row can overflow a double: most bodies skip the walk.
  const param = MAY_OVERFLOW.test(text) ? nonFiniteParam(value) : undefined;
  if (param !== undefined) throw nonFiniteError(param);
  return value;
}

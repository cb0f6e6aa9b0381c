// How the response-shaped defects (see defects.ts) bend a response on its way out. The stored
// objects are never touched: defects work on a copy.
import type { Defects } from './defects.js';

function eachCase(body: unknown, change: (c: Record<string, unknown>) => void): void {
  if (!body || typeof body !== 'object') return;
  const object = body as Record<string, unknown>;
  if (object.object === 'collection_case') change(object);
  if (object.object === 'list' && Array.isArray(object.data)) object.data.forEach((item) => eachCase(item, change));
}

/**
 * @example applyResponseDefects(new Set(['wrong-status-code']), 201, body) // [200, body]
 */
export function applyResponseDefects(defects: Defects, status: number, body: unknown): [number, unknown] {
  let out = body && typeof body === 'object' ? structuredClone(body) : body;
  let code = status;
  if (defects.has('wrong-status-code') && status === 201) code = 200;
  if (defects.has('missing-required-field')) eachCase(out, (c) => delete c.reference);
  if (defects.has('wrong-type')) eachCase(out, (c) => (c.amount_to_recover = String(c.amount_to_recover)));
  if (defects.has('flat-error-body') && status >= 400 && out && typeof out === 'object' && 'error' in out) {
    const { message, code: errorCode } = (out as { error: { message: string; code: string } }).error;
    out = { message, code: errorCode };
  }
  return [code, out];
}

// The capabilities a target is checked for. Each has a folder of checks (conformance/checks/<name>/)
// and its describe titles start with `[<name>]`; the CLI selects folders, the reports group by name.

export const CAPABILITIES = {
  core: 'Create, retrieve (by id and by reference), list and update every resource; preview agrees with the case; guarantee coverage arithmetic; claims; webhook endpoints (secret only on create); events; debt payments; timelines.',
  pagination: 'Cursor pagination over 25+ cases both ways (each object once, newest first, exact has_more), limit bounds and default, exclusive cursors, every list filter returns exactly the matching objects.',
  idempotency: 'Idempotency-Key replays the same status and body with Idempotent-Replayed: true and creates nothing twice; the same key with another body is refused with idempotency_error.',
  auth: 'Requests without a key or with a bad key get 401 authentication_error; objects of one key are invisible (404, absent from lists) to another.',
  files: 'Multipart upload (size, sha256, download returns the same bytes), 415 for disallowed extensions, 413 above 25 MB, 400 for a bad document_type or a missing file.',
  negative: 'Generated invalid request bodies (fast-check, from the contract): 400 with the error envelope naming the right param, never a 5xx, nothing created or changed; malformed JSON and wrong content types.',
  lifecycle: 'With test helpers: payments lower the remainder, close guards (paid needs full payment), closed is terminal, illegal moves are refused and change nothing, timelines grow; claims approve/deny/pay.',
  webhooks: 'A local receiver registered for all events: every delivery is signed (X-CasaPay-Signature, HMAC-SHA256 with the endpoint secret), valid against the contract, and the event sequence of each flow is right.',
} as const;

export type Capability = keyof typeof CAPABILITIES;

export const ALL_CAPABILITIES = Object.keys(CAPABILITIES) as Capability[];

export const isCapability = (name: string): name is Capability => name in CAPABILITIES;

/**
 * The capabilities to run: `only` (when given) minus `skip`. Throws on unknown names.
 * @example selectCapabilities(['core', 'auth'], []) // ['core', 'auth']
 * @example selectCapabilities(undefined, ['files']) // every capability but files
 */
export function selectCapabilities(only: readonly string[] | undefined, skip: readonly string[] = []): Capability[] {
  const unknown = [...(only ?? []), ...skip].filter((name) => !isCapability(name));
  if (unknown.length) throw new Error(`Unknown capability: ${unknown.join(', ')}. Known: ${ALL_CAPABILITIES.join(', ')}.`);
  const base = only && only.length ? ALL_CAPABILITIES.filter((c) => only.includes(c)) : ALL_CAPABILITIES;
  return base.filter((c) => !skip.includes(c));
}

/** The capability named by a describe title such as `[core] collection cases`. */
export function capabilityOfTitle(title: string): Capability | undefined {
  const match = /^\[([a-z-]+)\]/.exec(title);
  return match && isCapability(match[1]!) ? match[1] : undefined;
}

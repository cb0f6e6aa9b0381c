// JSON for responses, remembering the text of stored objects. Stored objects are never changed in
// place (an update stores a new object), so the JSON of one that is read again — a retrieve, the
// newest page of a list — is reused instead of re-serialised. Events are the exception (their
// `pending_webhooks` moves as deliveries finish), so they are always serialised afresh.
//
// Only the texts of the last REMEMBERED objects read are kept (first read first forgotten): a text is
// about as large as its object (≈750 bytes for a case), so remembering every object ever read would
// double the memory of a mock whose objects are all read once (a test suite's). The objects read again
// and again (the one a test polls, a list's newest page) stay remembered.

/** How many objects' texts are kept: ≈3 MB of cases. */
export const REMEMBERED = 4096;

const texts = new Map<object, string>();
/** The remembered objects in the order they were first read, in a ring: the next slot holds the oldest. */
const ring: Array<object | undefined> = new Array(REMEMBERED).fill(undefined);
let slot = 0;

function remembered(item: unknown): string {
  if (!item || typeof item !== 'object' || (item as { object?: unknown }).object === 'event')
    return JSON.stringify(item);
  let text = texts.get(item);
  if (text === undefined) {
    text = JSON.stringify(item);
    const oldest = ring[slot];
    if (oldest !== undefined) texts.delete(oldest);
    ring[slot] = item;
    slot = (slot + 1) % REMEMBERED;
    texts.set(item, text);
  }
  return text;
}

/** How many texts are remembered now (tests). */
export const rememberedCount = (): number => texts.size;

/**
 * The same text as `JSON.stringify(body)`, built from remembered parts for objects and list pages.
 * @example toJson({ object: 'list', data: [collectionCase], has_more: false, url: '/api/things' })
 */
export function toJson(body: unknown): string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return JSON.stringify(body);
  const object = body as Record<string, unknown>;
  if (object.object === 'list' && Array.isArray(object.data)) {
    let out = '{';
    for (const key of Object.keys(object)) {
      const value = object[key];
      if (value === undefined) continue;
      if (out.length > 1) out += ',';
      out += `${JSON.stringify(key)}:${key === 'data' ? `[${(value as unknown[]).map(remembered).join(',')}]` : JSON.stringify(value)}`;
    }
    return `${out}}`;
  }
  return remembered(object);
}

// JSON for responses, remembering the text of stored objects. Stored objects are never changed in
// place (an update stores a new object), so the JSON of one that is read again — a retrieve, the
// newest page of a list — is reused instead of re-serialised. Events are the exception (their
// `pending_webhooks` moves as deliveries finish), so they are always serialised afresh.

const texts = new WeakMap<object, string>();

function remembered(item: unknown): string {
  if (!item || typeof item !== 'object' || (item as { object?: unknown }).object === 'event')
    return JSON.stringify(item);
  let text = texts.get(item);
  if (text === undefined) {
    text = JSON.stringify(item);
    texts.set(item, text);
  }
  return text;
}

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

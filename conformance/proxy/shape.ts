// The shape of a JSON answer (every field path with its JSON type, list items folded into `[]`) and
// the difference between two shapes, as the replay prints it (Hoverfly's diff, by structure instead of
// bytes: ids, times and amounts differ between runs, the shape must not). `null` fits any type (a
// nullable field is null in one answer and set in the next); a field the recording did not have is
// additive — reported, not a failure — as the suite's unknown-field warning is.

export type Shape = Map<string, Set<string>>;

const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value;

/**
 * @example shapeOf({ id: 'dc_1', data: [{ amount: 1 }] }) // Map { '$' => {object}, '$.id' => {string}, '$.data' => {array}, '$.data[]' => {object}, '$.data[].amount' => {number} }
 */
export function shapeOf(value: unknown): Shape {
  const shape: Shape = new Map();
  const visit = (node: unknown, path: string) => {
    const type = typeOf(node);
    let types = shape.get(path);
    if (!types) shape.set(path, (types = new Set()));
    types.add(type);
    if (type === 'array') for (const item of node as unknown[]) visit(item, `${path}[]`);
    else if (type === 'object')
      for (const [key, child] of Object.entries(node as Record<string, unknown>))
        visit(child, /^[A-Za-z_][\w]*$/.test(key) ? `${path}.${key}` : `${path}['${key}']`);
  };
  if (value !== undefined) visit(value, '$');
  return shape;
}

export interface ShapeDifference {
  kind: 'missing' | 'added' | 'type';
  path: string;
  recorded?: string;
  actual?: string;
}

const concrete = (types: Set<string> | undefined) => [...(types ?? [])].filter((t) => t !== 'null');

/** Where the actual shape differs from the recorded one (a path under a recorded null or empty list is not compared). */
export function diffShapes(recorded: Shape, actual: Shape): ShapeDifference[] {
  const out: ShapeDifference[] = [];
  const parentOf = (path: string) => path.replace(/(\[\]|\.[A-Za-z_]\w*|\['[^']*'\])$/, '');
  const comparable = (path: string, shape: Shape): boolean => {
    for (let p = path, parent = parentOf(p); parent !== p; p = parent, parent = parentOf(p))
      if (!concrete(shape.get(parent)).length) return false; // under a null (or absent) parent
    return true;
  };
  for (const [path, types] of recorded) {
    const now = actual.get(path);
    if (!now) {
      if (comparable(path, actual) && concrete(types).length)
        out.push({ kind: 'missing', path, recorded: [...types].join('|') });
      continue;
    }
    const a = concrete(types);
    const b = concrete(now);
    if (a.length && b.length && !a.some((t) => b.includes(t)))
      out.push({ kind: 'type', path, recorded: a.join('|'), actual: b.join('|') });
  }
  for (const [path, types] of actual)
    if (!recorded.has(path) && comparable(path, recorded) && concrete(types).length)
      out.push({ kind: 'added', path, actual: [...types].join('|') });
  // A whole missing object is one line, not one per field under it.
  return out.filter(
    (d) =>
      !out.some(
        (o) =>
          o !== d && o.kind === d.kind && d.path.startsWith(o.path) && /^(\.|\[)/.test(d.path.slice(o.path.length)),
      ),
  );
}

/** One diff line, Hoverfly-like: `- $.debtor.phone  string (recorded, missing now)`. */
export function formatDifference(d: ShapeDifference): string {
  switch (d.kind) {
    case 'missing':
      return `- ${d.path}  ${d.recorded}  (recorded; missing now)`;
    case 'added':
      return `+ ${d.path}  ${d.actual}  (not in the recording; additive)`;
    default:
      return `~ ${d.path}  ${d.recorded} → ${d.actual}`;
  }
}

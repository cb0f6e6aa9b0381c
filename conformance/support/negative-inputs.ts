// Invalid request bodies generated from the contract: walk an operation's request schema alongside
// a valid body, list every place one field can be made wrong (a required field removed, a wrong
// type, a number out of range, a value outside an enum, a string too long or off-pattern, a bad
// date, an unknown field), and let fast-check pick places and bad values from a seed. Each
// mutation changes exactly one field, so the error's `param` is that field in bracket notation.
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, any>;
export type Path = (string | number)[];

export type MutationKind =
  | 'missing-required'
  | 'wrong-type'
  | 'out-of-range'
  | 'bad-enum'
  | 'bad-pattern'
  | 'too-long'
  | 'too-short'
  | 'bad-format'
  | 'unknown-field';

/** A place in the body where one kind of mistake can be made. */
export interface Site {
  kind: MutationKind;
  /** For unknown-field, the object the field is added to. */
  path: Path;
  schema: Schema;
}

export interface Mutation {
  kind: MutationKind;
  /** The field at fault. */
  path: Path;
  /** `path` in Stripe's bracket notation: `debtor[address][country]`. */
  param: string;
  /** The whole invalid body. */
  body: unknown;
  /** One line for reports: what was changed, to what. */
  description: string;
}

const REMOVE = Symbol('remove');

/**
 * Stripe-style parameter name of a path.
 * @example bracketParam(['debtor', 'address', 'country']) // 'debtor[address][country]'
 */
export function bracketParam(path: Path): string {
  const [head, ...rest] = path.map(String);
  return (head ?? '') + rest.map((p) => `[${p}]`).join('');
}

function resolvePointer(document: Schema, ref: string): Schema {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node: any, key) => node?.[key], document);
}

/** Follows `$ref`s (within the bundled document) until a schema with content. */
export function deref(document: Schema, schema: Schema): Schema {
  let current = schema;
  for (let i = 0; i < 20 && current && typeof current.$ref === 'string'; i++) {
    const { $ref, ...rest } = current;
    current = { ...resolvePointer(document, $ref), ...rest };
  }
  return current;
}

type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

const typeOf = (v: unknown): JsonType =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'array'
      : typeof v === 'number'
        ? Number.isInteger(v)
          ? 'integer'
          : 'number'
        : (typeof v as JsonType);

/** The JSON types a schema accepts (from type, enum/const or its anyOf/oneOf branches). */
export function allowedTypes(document: Schema, schema: Schema): Set<JsonType> {
  const s = deref(document, schema);
  const out = new Set<JsonType>();
  const add = (t: string) => {
    out.add(t as JsonType);
    if (t === 'number') out.add('integer');
  };
  if (Array.isArray(s.type)) s.type.forEach(add);
  else if (typeof s.type === 'string') add(s.type);
  if ('const' in s) out.add(typeOf(s.const));
  if (Array.isArray(s.enum)) s.enum.forEach((v: unknown) => out.add(typeOf(v)));
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
    for (const branch of s[key] ?? []) allowedTypes(document, branch).forEach((t) => out.add(t));
  if (out.size === 0 && s.properties) out.add('object');
  return out;
}

/**
 * Every place one field of `body` can be made invalid, in a stable order.
 * @example mutationSites(doc, { $ref: '#/components/schemas/CollectionCaseCreateParams' }, validBody)
 */
export function mutationSites(document: Schema, schema: Schema, body: unknown, path: Path = []): Site[] {
  const s = deref(document, schema);
  const sites: Site[] = [];
  const types = allowedTypes(document, s);
  if (path.length > 0 && types.size > 0) sites.push({ kind: 'wrong-type', path, schema: s });
  const value = body as any;
  if (types.has('object') && value && typeof value === 'object' && !Array.isArray(value)) {
    for (const name of s.required ?? [])
      if (name in value) sites.push({ kind: 'missing-required', path: [...path, name], schema: s });
    if (s.additionalProperties === false) sites.push({ kind: 'unknown-field', path, schema: s });
    for (const [key, child] of Object.entries(value)) {
      const childSchema =
        s.properties?.[key] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (childSchema) sites.push(...mutationSites(document, childSchema, child, [...path, key]));
    }
    return sites;
  }
  if (types.has('array') && Array.isArray(value)) {
    if (s.items && value.length > 0) sites.push(...mutationSites(document, s.items, value[0], [...path, 0]));
    return sites;
  }
  if (path.length === 0) return sites;
  if (typeof s.minimum === 'number' || typeof s.maximum === 'number')
    sites.push({ kind: 'out-of-range', path, schema: s });
  if (
    Array.isArray(s.enum) ||
    (Array.isArray(s.anyOf) &&
      s.anyOf.every((b: Schema) => 'const' in deref(document, b) || Array.isArray(deref(document, b).enum)))
  )
    sites.push({ kind: 'bad-enum', path, schema: s });
  if (typeof s.maxLength === 'number') sites.push({ kind: 'too-long', path, schema: s });
  if (typeof s.minLength === 'number' && s.minLength > 0) sites.push({ kind: 'too-short', path, schema: s });
  if (typeof s.pattern === 'string') sites.push({ kind: 'bad-pattern', path, schema: s });
  if (['date', 'email', 'uri', 'date-time'].includes(s.format)) sites.push({ kind: 'bad-format', path, schema: s });
  return sites;
}

/** A deep copy of `body` with the value at `path` replaced (or removed). */
export function applyAt(body: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: any = Array.isArray(body) ? [...body] : { ...(body as object) };
  const [head, ...rest] = path as [string | number, ...Path];
  if (rest.length === 0) {
    if (value === REMOVE) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  copy[head] = applyAt(copy[head], rest, value);
  return copy;
}

const anyJson: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -1000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).filter((n) => !Number.isInteger(n)),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 9 }), { maxKeys: 1 }),
);

const BAD_FORMATS: Record<string, string[]> = {
  date: ['not-a-date', '2024-13-45', '31/12/2024', '2024-02-30T00:00:00'],
  'date-time': ['yesterday', '2024-13-45T99:00:00Z'],
  email: ['not-an-email', 'debtor@', '@example.com'],
  uri: ['not a uri', '://missing-scheme'],
};

/** The bad values fast-check may pick for a site, and how to describe them. */
function valuesFor(document: Schema, site: Site, body: unknown): fc.Arbitrary<{ value: unknown; what: string }> {
  const s = site.schema;
  const show = (v: unknown) => JSON.stringify(v)?.slice(0, 60) ?? String(v);
  switch (site.kind) {
    case 'missing-required':
      return fc.constant({ value: REMOVE, what: 'removed' });
    case 'wrong-type': {
      const allowed = allowedTypes(document, s);
      return anyJson.filter((v) => !allowed.has(typeOf(v))).map((v) => ({ value: v, what: `${typeOf(v)} ${show(v)}` }));
    }
    case 'out-of-range': {
      const options: fc.Arbitrary<number>[] = [];
      if (typeof s.minimum === 'number')
        options.push(fc.integer({ min: Math.max(Number.MIN_SAFE_INTEGER, s.minimum - 1_000_000), max: s.minimum - 1 }));
      if (typeof s.maximum === 'number')
        options.push(fc.integer({ min: s.maximum + 1, max: Math.min(Number.MAX_SAFE_INTEGER, s.maximum + 1_000_000) }));
      return fc
        .oneof(...options)
        .map((v) => ({ value: v, what: `${v} (range ${s.minimum ?? '-∞'}..${s.maximum ?? '∞'})` }));
    }
    case 'bad-enum':
      return fc
        .oneof(fc.constant('not_a_valid_value'), fc.string({ minLength: 1, maxLength: 12 }))
        .map((v) => ({ value: v, what: `${show(v)} (not in the enum)` }));
    case 'too-long':
      return fc
        .integer({ min: s.maxLength + 1, max: s.maxLength + 20 })
        .map((n) => ({ value: 'x'.repeat(n), what: `a string of ${n} characters (max ${s.maxLength})` }));
    case 'too-short':
      return fc.constant({ value: '', what: `an empty string (min ${s.minLength})` });
    case 'bad-pattern':
      return fc
        .oneof(fc.string({ maxLength: 10 }), fc.constantFrom('!!', '12', 'lower', 'ÄÖÜ'))
        .map((v) => ({ value: v, what: `${show(v)} (pattern ${s.pattern})` }));
    case 'bad-format':
      return fc
        .constantFrom(...(BAD_FORMATS[s.format] ?? ['%%%']))
        .map((v) => ({ value: v, what: `${show(v)} (format ${s.format})` }));
    case 'unknown-field': {
      const known = new Set(Object.keys(s.properties ?? {}));
      const existing = new Set(
        Object.keys(((site.path.length ? site.path.reduce((n: any, k) => n?.[k], body) : body) as object) ?? {}),
      );
      return fc
        .tuple(fc.stringMatching(/^[a-z][a-z_]{2,14}$/), fc.oneof(fc.string({ maxLength: 6 }), fc.integer()))
        .filter(([key]) => !known.has(key) && !existing.has(key))
        .map(([key, v]) => ({ value: { key, v }, what: `unknown field ${key}=${show(v)}` }));
    }
  }
}

/**
 * An arbitrary of single-field mutations of `body`; `isInvalid` (the contract's validator) drops
 * any that happen to be valid.
 */
export function mutationArbitrary(
  document: Schema,
  schema: Schema,
  body: unknown,
  isInvalid: (candidate: unknown) => boolean,
): fc.Arbitrary<Mutation> {
  const sites = mutationSites(document, schema, body);
  if (sites.length === 0) throw new Error('no mutation sites: the body has no fields the schema constrains');
  return fc
    .constantFrom(...sites)
    .chain((site) =>
      valuesFor(document, site, body).map(({ value, what }): Mutation => {
        if (site.kind === 'unknown-field') {
          const { key, v } = value as { key: string; v: unknown };
          const path = [...site.path, key];
          return {
            kind: site.kind,
            path,
            param: bracketParam(path),
            body: applyAt(body, path, v),
            description: `${bracketParam(path) || '(body)'}: ${what}`,
          };
        }
        return {
          kind: site.kind,
          path: site.path,
          param: bracketParam(site.path),
          body: applyAt(body, site.path, value),
          description: `${bracketParam(site.path)}: ${site.kind} → ${what}`,
        };
      }),
    )
    .filter((m) => isInvalid(m.body));
}

/**
 * `count` mutations drawn reproducibly from `seed`.
 * @example sampleMutations(doc, schema, body, isInvalid, 42, 40).map((m) => m.description)
 */
export function sampleMutations(
  document: Schema,
  schema: Schema,
  body: unknown,
  isInvalid: (candidate: unknown) => boolean,
  seed: number,
  count: number,
): Mutation[] {
  return fc.sample(mutationArbitrary(document, schema, body, isInvalid), { seed, numRuns: count });
}

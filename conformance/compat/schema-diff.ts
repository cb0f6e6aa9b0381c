// Compares two JSON Schemas (OpenAPI 3.0 or 3.1) at one place in a contract and reports every
// difference under a rule of conformance/compat/rules.ts: type sets (3.1 type arrays, 3.0
// `nullable`), formats, enums and consts, bounds, patterns, defaults, properties and required,
// items, additionalProperties, oneOf/anyOf/allOf branches, discriminators. `$ref`s are followed
// inside the document; a `$ref` cycle is compared once per pair of references on the current path.
// Any other keyword that differs is reported as unjudged, never passed silently.
import { PLACES, PROPERTY_KINDS, schemaRuleId, type Direction, type Place, type PropertyKind } from './rules.js';
import type { Emit, JsonObject, Side } from './types.js';

/** Where a schema sits: the place decides the rule ids and the direction the verdicts. */
export interface SchemaContext {
  place: Place;
  /** Human path inside the schema, e.g. `debtor.name`, `items[]`. */
  field: string;
  /** JSON Pointer segments of the schema in the head document (the base's when only the base has it). */
  pointer: string[];
}

const ANNOTATIONS = new Set([
  'description',
  'title',
  'example',
  'examples',
  'deprecated',
  'externalDocs',
  'xml',
  '$comment',
  'summary',
]);
const HANDLED = new Set([
  '$ref',
  'type',
  'nullable',
  'format',
  'enum',
  'const',
  'maxLength',
  'minLength',
  'maximum',
  'minimum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'maxItems',
  'minItems',
  'pattern',
  'default',
  'properties',
  'required',
  'items',
  'additionalProperties',
  'oneOf',
  'anyOf',
  'allOf',
  'discriminator',
]);

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const show = (v: unknown) => (v === undefined ? 'none' : JSON.stringify(v));

/** Follows `$ref`s within one document; a 3.1 `$ref` with siblings keeps the siblings over the target. */
export function deref(side: Side, node: unknown): { schema: JsonObject; ref?: string } {
  let current = node;
  let ref: string | undefined;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === 'string') {
    const target: string = current.$ref;
    if (seen.has(target)) break;
    seen.add(target);
    ref ??= target;
    const { $ref: _ignored, ...siblings } = current;
    const resolved = side.resolve(target);
    current = Object.keys(siblings).length && isObject(resolved) ? { ...resolved, ...siblings } : resolved;
  }
  return { schema: isObject(current) ? current : {}, ...(ref ? { ref } : {}) };
}

/** The types a schema allows, `undefined` when any; `null` counted from a 3.1 type array, 3.0 `nullable` or an enum with null. */
function typesOf(s: JsonObject): Set<string> | undefined {
  const declared = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : undefined;
  if (!declared) return undefined; // any type (3.0 `nullable` without a type adds nothing to "any")
  const types = new Set(declared);
  if (s.nullable === true) types.add('null');
  return types;
}

/** Does type set `outer` accept every value of `inner` (integer is within number)? */
function covers(outer: Set<string>, inner: Set<string>) {
  return [...inner].every((t) => outer.has(t) || (t === 'integer' && outer.has('number')));
}

function enumOf(s: JsonObject): unknown[] | undefined {
  if (Array.isArray(s.enum)) return s.enum as unknown[];
  if ('const' in s) return [s.const];
  return undefined;
}

interface Bound {
  value: number;
  exclusive: boolean;
}
/** The effective upper (or lower) bound, from 3.1's numeric exclusive* or 3.0's boolean ones. */
function bound(s: JsonObject, which: 'max' | 'min'): Bound | undefined {
  const plain = which === 'max' ? s.maximum : s.minimum;
  const excl = which === 'max' ? s.exclusiveMaximum : s.exclusiveMinimum;
  const candidates: Bound[] = [];
  if (typeof plain === 'number') candidates.push({ value: plain, exclusive: excl === true });
  if (typeof excl === 'number') candidates.push({ value: excl, exclusive: true });
  if (!candidates.length) return undefined;
  // The tighter of the two.
  return candidates.reduce((a, b) => (tighter(which, b, a) ? b : a));
}
/** Is bound `a` stricter than `b`? */
function tighter(which: 'max' | 'min', a: Bound, b: Bound) {
  if (a.value !== b.value) return which === 'max' ? a.value < b.value : a.value > b.value;
  return a.exclusive && !b.exclusive;
}
const showBound = (b: Bound | undefined, which: 'max' | 'min') =>
  b ? `${which === 'max' ? (b.exclusive ? '<' : '≤') : b.exclusive ? '>' : '≥'} ${b.value}` : 'none';

export class SchemaComparer {
  private readonly stack = new Set<string>();
  /** Components (same `$ref` on both sides) already compared, per place: reported once, at the component. */
  private readonly shared = new Set<string>();
  /** The component being compared, named in findings instead of the operation that reached it. */
  private scope: string | undefined;

  constructor(
    private readonly base: Side,
    private readonly head: Side,
    private readonly emit: Emit,
  ) {}

  compare(ctx: SchemaContext, baseNode: unknown, headNode: unknown): void {
    const b = deref(this.base, baseNode);
    const h = deref(this.head, headNode);
    if (b.ref && b.ref === h.ref && b.ref.startsWith('#/')) {
      // The same component on both sides: compared once per place, its findings pointing into it.
      const key = `${ctx.place}|${b.ref}`;
      if (this.shared.has(key)) return;
      this.shared.add(key);
      const segments = b.ref
        .slice(2)
        .split('/')
        .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
      const outer = this.scope;
      this.scope = segments.join('.');
      try {
        this.compareResolved({ place: ctx.place, field: '', pointer: segments }, b.schema, h.schema);
      } finally {
        this.scope = outer;
      }
      return;
    }
    const key = `${ctx.place}|${b.ref ?? ''}|${h.ref ?? ''}`;
    // A $ref cycle: this pair of references is already being compared further up this path.
    if (b.ref && h.ref) {
      if (this.stack.has(key)) return;
      this.stack.add(key);
    }
    try {
      this.compareResolved(ctx, b.schema, h.schema);
    } finally {
      if (b.ref && h.ref) this.stack.delete(key);
    }
  }

  private report(ctx: SchemaContext, kind: string, detail: string) {
    const label = ctx.field ? `\`${ctx.field}\`` : 'the schema';
    this.emit(schemaRuleId(ctx.place, kind), ctx.pointer, `${label}: ${detail}`, this.scope);
  }

  /** A schema with its allOf branches merged in: properties and required united, other keywords kept from the first that has them. */
  private flatten(sideOf: Side, schema: JsonObject, depth = 0): JsonObject {
    if (!Array.isArray(schema.allOf) || depth > 8) return schema;
    const { allOf, ...own } = schema;
    const result: JsonObject = { ...own, properties: { ...(isObject(own.properties) ? own.properties : {}) } };
    const required = new Set(Array.isArray(own.required) ? (own.required as string[]) : []);
    for (const branch of allOf as unknown[]) {
      const part = this.flatten(sideOf, deref(sideOf, branch).schema, depth + 1);
      for (const [name, prop] of Object.entries(isObject(part.properties) ? part.properties : {})) {
        const props = result.properties as JsonObject;
        props[name] = name in props ? { allOf: [props[name], prop] } : prop;
      }
      for (const name of Array.isArray(part.required) ? (part.required as string[]) : []) required.add(name);
      for (const [k, v] of Object.entries(part))
        if (!(k in result) && k !== 'properties' && k !== 'required') result[k] = v;
    }
    if (required.size) result.required = [...required];
    if (!Object.keys(result.properties as JsonObject).length) delete result.properties;
    return result;
  }

  private compareResolved(ctx: SchemaContext, b: JsonObject, h: JsonObject) {
    const direction: Direction = PLACES[ctx.place];
    if (Array.isArray(b.allOf) !== Array.isArray(h.allOf)) {
      // Wrapped in (or unwrapped from) allOf: compare what the schemas require, merged.
      b = this.flatten(this.base, b);
      h = this.flatten(this.head, h);
    }
    this.compareTypes(ctx, b, h);
    if (b.format !== h.format) {
      const kind =
        b.format === undefined ? 'format-added' : h.format === undefined ? 'format-removed' : 'format-changed';
      this.report(ctx, kind, `format ${show(b.format)} → ${show(h.format)}`);
    }
    this.compareEnums(ctx, b, h);
    this.compareLength(ctx, b, h, 'maxLength', 'minLength', 'length');
    this.compareLength(ctx, b, h, 'maxItems', 'minItems', 'items');
    for (const which of ['max', 'min'] as const) {
      const bb = bound(b, which);
      const hb = bound(h, which);
      if (same(bb, hb)) continue;
      const narrowed = hb !== undefined && (bb === undefined || tighter(which, hb, bb));
      const kind =
        which === 'max' ? (narrowed ? 'max-decreased' : 'max-increased') : narrowed ? 'min-increased' : 'min-decreased';
      this.report(
        ctx,
        kind,
        `${which === 'max' ? 'maximum' : 'minimum'} ${showBound(bb, which)} → ${showBound(hb, which)}`,
      );
    }
    if (b.pattern !== h.pattern) {
      const kind =
        b.pattern === undefined ? 'pattern-added' : h.pattern === undefined ? 'pattern-removed' : 'pattern-changed';
      this.report(
        ctx,
        kind,
        `pattern ${show(b.pattern)} → ${show(h.pattern)}${kind === 'pattern-changed' ? ' (check that it accepts every value the old one did)' : ''}`,
      );
    }
    if (!same(b.default, h.default))
      this.report(ctx, 'default-value-changed', `default ${show(b.default)} → ${show(h.default)}`);
    this.compareProperties(ctx, b, h, direction);
    if (b.items !== undefined || h.items !== undefined) {
      if (isObject(b.items) && isObject(h.items))
        this.compare({ ...ctx, field: `${ctx.field}[]`, pointer: [...ctx.pointer, 'items'] }, b.items, h.items);
      else if (!same(b.items, h.items))
        this.report(ctx, 'unjudged-keyword-changed', `items ${show(b.items)} → ${show(h.items)}`);
    }
    this.compareAdditional(ctx, b, h);
    for (const [keyword, prefix] of [
      ['oneOf', 'one-of'],
      ['anyOf', 'any-of'],
      ['allOf', 'all-of'],
    ] as const)
      this.compareBranches(ctx, b, h, keyword, prefix);
    this.compareDiscriminator(ctx, b, h);
    const unjudged = [...new Set([...Object.keys(b), ...Object.keys(h)])].filter(
      (k) => !HANDLED.has(k) && !ANNOTATIONS.has(k) && !k.startsWith('x-') && !same(b[k], h[k]),
    );
    if (unjudged.length)
      this.report(
        ctx,
        'unjudged-keyword-changed',
        `${unjudged.join(', ')} changed; the tool cannot judge ${unjudged.length > 1 ? 'these keywords' : 'this keyword'}: review by hand`,
      );
    const docs = [...ANNOTATIONS].filter((k) => !same(b[k], h[k]));
    if (docs.length)
      this.emit(
        'documentation-changed',
        ctx.pointer,
        `${ctx.field ? `\`${ctx.field}\`` : 'the schema'}: ${docs.join(', ')} changed`,
        this.scope,
      );
  }

  private compareTypes(ctx: SchemaContext, b: JsonObject, h: JsonObject) {
    const bt = typesOf(b);
    const ht = typesOf(h);
    if (!bt && !ht) return;
    const fmt = (t: Set<string> | undefined) => (t ? [...t].join(' | ') : 'any');
    const bNull = bt?.has('null') ?? true;
    const hNull = ht?.has('null') ?? true;
    const strip = (t: Set<string> | undefined) => (t ? new Set([...t].filter((x) => x !== 'null')) : undefined);
    const bs = strip(bt);
    const hs = strip(ht);
    const detail = `type ${fmt(bt)} → ${fmt(ht)}`;
    if (!bs || !hs) {
      if (bs || hs) this.report(ctx, hs ? 'list-of-types-narrowed' : 'list-of-types-widened', detail);
    } else if (!same([...bs].sort(), [...hs].sort())) {
      const kind = covers(hs, bs)
        ? 'list-of-types-widened'
        : covers(bs, hs)
          ? 'list-of-types-narrowed'
          : 'type-changed';
      this.report(ctx, kind, detail);
    }
    if (bt && ht && bNull !== hNull) this.report(ctx, hNull ? 'became-nullable' : 'became-not-nullable', detail);
  }

  private compareEnums(ctx: SchemaContext, b: JsonObject, h: JsonObject) {
    const be = enumOf(b);
    const he = enumOf(h);
    if (!be && !he) return;
    if (!be) return this.report(ctx, 'became-enum', `now limited to ${he!.map(show).join(', ')}`);
    if (!he) return this.report(ctx, 'enum-removed', `no longer limited to ${be.map(show).join(', ')}`);
    const removed = be.filter((v) => !he.some((x) => same(x, v)));
    const added = he.filter((v) => !be.some((x) => same(x, v)));
    if (removed.length)
      this.report(
        ctx,
        'enum-value-removed',
        `enum value${removed.length > 1 ? 's' : ''} ${removed.map(show).join(', ')} removed`,
      );
    if (added.length)
      this.report(
        ctx,
        'enum-value-added',
        `enum value${added.length > 1 ? 's' : ''} ${added.map(show).join(', ')} added`,
      );
  }

  private compareLength(
    ctx: SchemaContext,
    b: JsonObject,
    h: JsonObject,
    max: string,
    min: string,
    noun: 'length' | 'items',
  ) {
    const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
    const [bMax, hMax, bMin, hMin] = [num(b[max]), num(h[max]), num(b[min]), num(h[min])];
    if (bMax !== hMax) {
      const lowered = hMax !== undefined && (bMax === undefined || hMax < bMax);
      this.report(ctx, `max-${noun}-${lowered ? 'decreased' : 'increased'}`, `${max} ${show(bMax)} → ${show(hMax)}`);
    }
    if ((bMin ?? 0) !== (hMin ?? 0)) {
      const raised = (hMin ?? 0) > (bMin ?? 0);
      this.report(ctx, `min-${noun}-${raised ? 'increased' : 'decreased'}`, `${min} ${show(bMin)} → ${show(hMin)}`);
    }
  }

  private compareProperties(ctx: SchemaContext, b: JsonObject, h: JsonObject, direction: Direction) {
    const bp = isObject(b.properties) ? b.properties : {};
    const hp = isObject(h.properties) ? h.properties : {};
    const bReq = new Set(Array.isArray(b.required) ? (b.required as string[]) : []);
    const hReq = new Set(Array.isArray(h.required) ? (h.required as string[]) : []);
    const propertyPlace: Place = direction === 'request' ? 'request-property' : 'response-property';
    const field = (name: string) => (ctx.field ? `${ctx.field}.${name}` : name);
    // A readOnly property is not part of a request, a writeOnly one not part of a response.
    const hidden = (side: Side, node: unknown) => {
      const s = deref(side, node).schema;
      return direction === 'request' ? s.readOnly === true : s.writeOnly === true;
    };
    const prop = (kind: PropertyKind, name: string, pointer: string[], detail: string) => {
      const { id } = PROPERTY_KINDS[kind][direction];
      this.emit(id, pointer, `\`${field(name)}\` ${detail}`, this.scope);
    };
    for (const name of Object.keys(bp)) {
      const pointer = [...ctx.pointer, 'properties', name];
      if (!(name in hp)) {
        if (!hidden(this.base, bp[name]))
          prop(
            bReq.has(name) ? 'removed-required' : 'removed-optional',
            name,
            pointer,
            `(${bReq.has(name) ? 'required' : 'optional'}) was removed`,
          );
        continue;
      }
      if (bReq.has(name) !== hReq.has(name) && !hidden(this.head, hp[name]))
        prop(
          hReq.has(name) ? 'became-required' : 'became-optional',
          name,
          pointer,
          `became ${hReq.has(name) ? 'required' : 'optional'}`,
        );
      this.compare(
        {
          place: ctx.place === 'request-parameter' || ctx.place === 'response-header' ? propertyPlace : ctx.place,
          field: field(name),
          pointer,
        },
        bp[name],
        hp[name],
      );
    }
    for (const name of Object.keys(hp)) {
      if (name in bp || hidden(this.head, hp[name])) continue;
      prop(
        hReq.has(name) ? 'added-required' : 'added-optional',
        name,
        [...ctx.pointer, 'properties', name],
        `(${hReq.has(name) ? 'required' : 'optional'}) was added`,
      );
    }
  }

  private compareAdditional(ctx: SchemaContext, b: JsonObject, h: JsonObject) {
    const openness = (v: unknown) => (v === undefined || v === true ? 'open' : v === false ? 'closed' : 'schema');
    const bo = openness(b.additionalProperties);
    const ho = openness(h.additionalProperties);
    if (bo === 'schema' && ho === 'schema') {
      this.compare(
        { ...ctx, field: `${ctx.field}{*}`, pointer: [...ctx.pointer, 'additionalProperties'] },
        b.additionalProperties,
        h.additionalProperties,
      );
      return;
    }
    if (bo === ho) return;
    const rank = { closed: 0, schema: 1, open: 2 } as const;
    const kind = rank[ho] < rank[bo] ? 'additional-properties-narrowed' : 'additional-properties-widened';
    this.report(ctx, kind, `additionalProperties ${show(b.additionalProperties)} → ${show(h.additionalProperties)}`);
  }

  /** Branches are matched by the `$ref` they name, otherwise by position. */
  private compareBranches(
    ctx: SchemaContext,
    b: JsonObject,
    h: JsonObject,
    keyword: 'oneOf' | 'anyOf' | 'allOf',
    prefix: string,
  ) {
    const bl = Array.isArray(b[keyword]) ? (b[keyword] as unknown[]) : undefined;
    const hl = Array.isArray(h[keyword]) ? (h[keyword] as unknown[]) : undefined;
    if (!bl && !hl) return;
    if (!bl || !hl) {
      // The schema was restructured (wrapped in or unwrapped from a combinator): not judged branch by branch.
      this.report(
        ctx,
        'unjudged-keyword-changed',
        `${keyword} ${bl ? 'removed' : 'added'} around the schema; the tool cannot judge the restructuring: review by hand`,
      );
      return;
    }
    const keyOf = (node: unknown, i: number) =>
      isObject(node) && typeof node.$ref === 'string' ? `ref:${node.$ref.split('/').pop()}` : `#${i}`;
    const bKeys = bl.map(keyOf);
    const hKeys = hl.map(keyOf);
    const label = (k: string) => (k.startsWith('ref:') ? k.slice(4) : `branch ${k}`);
    bKeys.forEach((k, i) => {
      const j = hKeys.indexOf(k);
      if (j === -1)
        this.report(
          { ...ctx, pointer: [...ctx.pointer, keyword, String(i)] },
          `${prefix}-removed`,
          `${keyword} ${label(k)} removed`,
        );
      else this.compare({ ...ctx, pointer: [...ctx.pointer, keyword, String(j)] }, bl[i], hl[j]);
    });
    hKeys.forEach((k, j) => {
      if (!bKeys.includes(k))
        this.report(
          { ...ctx, pointer: [...ctx.pointer, keyword, String(j)] },
          `${prefix}-added`,
          `${keyword} ${label(k)} added`,
        );
    });
  }

  private compareDiscriminator(ctx: SchemaContext, b: JsonObject, h: JsonObject) {
    const bd = isObject(b.discriminator) ? b.discriminator : undefined;
    const hd = isObject(h.discriminator) ? h.discriminator : undefined;
    if (!bd && !hd) return;
    if (!hd)
      return this.report(ctx, 'discriminator-removed', `discriminator on \`${String(bd!.propertyName)}\` removed`);
    if (!bd) return this.report(ctx, 'discriminator-added', `discriminator on \`${String(hd.propertyName)}\` added`);
    if (bd.propertyName !== hd.propertyName)
      this.report(
        ctx,
        'discriminator-property-name-changed',
        `discriminator property ${show(bd.propertyName)} → ${show(hd.propertyName)}`,
      );
    const bm = isObject(bd.mapping) ? bd.mapping : {};
    const hm = isObject(hd.mapping) ? hd.mapping : {};
    const deleted = Object.keys(bm).filter((k) => !(k in hm) || hm[k] !== bm[k]);
    const added = Object.keys(hm).filter((k) => !(k in bm));
    if (deleted.length)
      this.report(
        ctx,
        'discriminator-mapping-deleted',
        `discriminator mapping ${deleted.map(show).join(', ')} deleted or changed`,
      );
    if (added.length)
      this.report(ctx, 'discriminator-mapping-added', `discriminator mapping ${added.map(show).join(', ')} added`);
  }
}

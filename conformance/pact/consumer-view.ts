// The contract as a consumer's pact may rely on it (PactFlow's bi-directional rules, as summarised
// in conformance/README.md § Pact): a pact's response may show any subset of the
// declared fields, so `required` is dropped everywhere; it may never show a field the contract does
// not declare, so every object is closed. Derived from the bundled document, never written by hand.
//
// Three details keep that honest:
// - allOf is flattened into one object first, or each part would reject the other parts' fields;
// - oneOf becomes anyOf: with `required` gone a subset body can fit several branches, which is not
//   an error of the consumer; and a branch is closed with its own properties only, never with its
//   parent's (the known false positive of subset pacts against oneOf/anyOf);
// - `not` and `if` are conditions, not shapes: dropping `required` inside them would invert what
//   they test, so they are left as written.
type Schema = Record<string, any>;

function resolveLocal(document: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<any>((node, key) => node?.[key], document);
}

const isObjectSchema = (s: Schema) =>
  s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object')) || s.properties !== undefined;

/** allOf parts (following $refs) merged into their parent: properties, types and the rest of each part. */
function flattenAllOf(document: Schema, schema: Schema, seen: Set<string>): Schema {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  const merged: Schema = { ...rest, properties: { ...(rest.properties ?? {}) } };
  const residual: Schema[] = [];
  for (const part of allOf as Schema[]) {
    let resolved = part;
    if (typeof part.$ref === 'string') {
      if (seen.has(part.$ref)) {
        residual.push(part);
        continue;
      }
      resolved = resolveLocal(document, part.$ref) ?? part;
      seen = new Set([...seen, part.$ref]);
    }
    const flat = flattenAllOf(document, resolved, seen);
    const {
      properties,
      type,
      required: _required,
      additionalProperties: _ap,
      title: _t,
      description: _d,
      ...others
    } = flat;
    Object.assign(merged.properties, properties ?? {});
    if (type !== undefined && merged.type === undefined) merged.type = type;
    if (Object.keys(others).length) residual.push(others);
  }
  if (!Object.keys(merged.properties).length) delete merged.properties;
  if (residual.length) merged.allOf = residual;
  return merged;
}

/**
 * One schema as a consumer's response may use it. `open`: a branch of a parent that has properties
 * of its own — the parent closes the object (unevaluatedProperties sees the matched branch), so
 * closing the branch too would reject the parent's fields.
 */
function view(document: Schema, node: unknown, open = false): unknown {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
  let schema = { ...(node as Schema) };
  if (
    typeof schema.$ref === 'string' &&
    Object.keys(schema).every((k) => k === '$ref' || k === 'description' || k === 'title')
  )
    return schema;
  schema = flattenAllOf(document, schema, new Set());
  delete schema.required;
  if (schema.oneOf) {
    if (schema.anyOf) {
      schema.allOf = [...(schema.allOf ?? []), { anyOf: schema.anyOf }, { anyOf: schema.oneOf }];
      delete schema.anyOf;
    } else schema.anyOf = schema.oneOf;
    delete schema.oneOf;
  }
  const mapValues = (value: unknown) =>
    value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, view(document, v)]))
      : value;
  const hasOwnProperties = schema.properties !== undefined;
  if (schema.properties) schema.properties = mapValues(schema.properties);
  if (schema.patternProperties) schema.patternProperties = mapValues(schema.patternProperties);
  if (schema.$defs) schema.$defs = mapValues(schema.$defs);
  for (const key of ['items', 'contains', 'propertyNames'] as const)
    if (schema[key]) schema[key] = view(document, schema[key]);
  for (const key of ['then', 'else'] as const)
    if (schema[key]) schema[key] = view(document, schema[key], hasOwnProperties);
  if (Array.isArray(schema.prefixItems)) schema.prefixItems = schema.prefixItems.map((s: unknown) => view(document, s));
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
    schema.additionalProperties = view(document, schema.additionalProperties);
  for (const key of ['anyOf', 'allOf'] as const)
    if (Array.isArray(schema[key]))
      schema[key] = schema[key].map((s: unknown) => view(document, s, hasOwnProperties || open));
  // Close it: an explicit schema for extra properties (a metadata map) stays; otherwise nothing undeclared.
  if (
    !open &&
    isObjectSchema(schema) &&
    (schema.additionalProperties === undefined || schema.additionalProperties === true)
  ) {
    const composed = Array.isArray(schema.anyOf) || Array.isArray(schema.allOf) || schema.then || schema.else;
    // With branches, a property is declared when this object or the branch that matched declares it.
    if (composed) schema.unevaluatedProperties = false;
    else schema.additionalProperties = false;
  }
  return schema;
}

/**
 * A copy of the bundled contract whose response schemas (components and inline) are the consumer's
 * view: no `required`, every object closed, oneOf as anyOf, allOf flattened. Load it into its own ajv.
 * @example consumerViewDocument(contract.document).components.schemas.CollectionCase.required // undefined
 */
export function consumerViewDocument(document: Schema): Schema {
  const copy: Schema = structuredClone(document);
  const schemas = copy.components?.schemas ?? {};
  for (const name of Object.keys(schemas)) schemas[name] = view(document, schemas[name]);
  const responsesOf = (responses: Schema | undefined) => {
    for (const response of Object.values(responses ?? {}) as Schema[]) {
      for (const media of Object.values(response?.content ?? {}) as Schema[])
        if (media?.schema) media.schema = view(document, media.schema);
    }
  };
  responsesOf(copy.components?.responses);
  for (const item of Object.values(copy.paths ?? {}) as Schema[]) {
    for (const op of Object.values(item) as Schema[])
      if (op && typeof op === 'object' && op.responses) responsesOf(op.responses);
  }
  return copy;
}

// The corpus that proves the rules: base/head pairs, at least two per rule — one that triggers it and a
// near miss (usually the opposite change, or an equivalent rewrite) that must not. Schema rules are
// proved at every place a schema sits (request parameter, request property, response property,
// response header) from one fixture per kind; the rest are written out. Every rule of the catalogue
// must be triggered by some case, and each case's rule is reported with the catalogue's verdict.
import { describe, expect, it } from 'vitest';
import { compareContracts } from './diff.js';
import { PLACES, PROPERTY_KINDS, RULES, SCHEMA_KINDS, schemaRuleId, type Place } from './rules.js';
import type { JsonObject } from './types.js';

type Want = { triggers: string } | { quiet: string };
type Case = [name: string, pair: { base: JsonObject; head: JsonObject; want: Want }];

const ok = { '200': { description: 'ok' } };
const components = {
  schemas: {
    A: { type: 'object', properties: { kind: { const: 'a' }, a: { type: 'string' } } },
    B: { type: 'object', properties: { kind: { const: 'b' }, b: { type: 'string' } } },
    C: { type: 'object', properties: { kind: { const: 'c' }, c: { type: 'string' } } },
  },
};
const doc = (paths: JsonObject, extra: JsonObject = {}): JsonObject => ({
  openapi: '3.1.0',
  info: { title: 'corpus', version: '1' },
  paths,
  components,
  ...extra,
});
const json = (schema: unknown) => ({ 'application/json': { schema } });

/** A contract with `schema` at `place`. */
function at(place: Place, schema: unknown): JsonObject {
  switch (place) {
    case 'request-parameter':
      return doc({ '/x': { get: { parameters: [{ name: 'q', in: 'query', schema }], responses: ok } } });
    case 'request-property':
      return doc({
        '/x': {
          post: { requestBody: { content: json({ type: 'object', properties: { f: schema } }) }, responses: ok },
        },
      });
    case 'response-property':
      return doc({
        '/x': {
          get: {
            responses: { '200': { description: 'ok', content: json({ type: 'object', properties: { f: schema } }) } },
          },
        },
      });
    case 'response-header':
      return doc({ '/x': { get: { responses: { '200': { description: 'ok', headers: { 'X-H': { schema } } } } } } });
  }
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const s = { type: 'string' };
/** Per schema kind: a base, the head that triggers it, and a near-miss head that must not. */
const KIND_FIXTURES: Record<
  string,
  [base: JsonObject, trigger: JsonObject, nearMiss: JsonObject, nearBase?: JsonObject]
> = {
  'type-changed': [s, { type: 'integer' }, { type: ['string', 'integer'] }],
  'list-of-types-widened': [
    { type: 'integer' },
    { type: 'number' },
    { type: 'integer', description: 'now documented' },
  ],
  'list-of-types-narrowed': [{ type: ['string', 'integer'] }, s, { type: ['integer', 'string'] }],
  'became-nullable': [s, { type: ['string', 'null'] }, s, { type: 'string', nullable: true }],
  'became-not-nullable': [{ type: ['string', 'null'] }, s, { type: 'string', nullable: true }],
  'format-changed': [
    { type: 'string', format: 'date' },
    { type: 'string', format: 'date-time' },
    { type: 'string', format: 'date' },
    s,
  ],
  'format-added': [s, { type: 'string', format: 'date' }, s, { type: 'string', format: 'date' }],
  'format-removed': [{ type: 'string', format: 'date' }, s, { type: 'string', format: 'date' }, s],
  'enum-value-added': [{ enum: ['a'] }, { enum: ['a', 'b'] }, { enum: ['a'] }, { enum: ['a', 'b'] }],
  'enum-value-removed': [{ enum: ['a', 'b'] }, { enum: ['a'] }, { enum: ['b', 'a'] }],
  'became-enum': [
    s,
    { type: 'string', enum: ['a'] },
    { type: 'string', enum: ['a', 'b'] },
    { type: 'string', enum: ['a'] },
  ],
  'enum-removed': [{ type: 'string', enum: ['a'] }, s, { type: 'string', const: 'a' }],
  'max-length-decreased': [
    { type: 'string', maxLength: 10 },
    { type: 'string', maxLength: 5 },
    { type: 'string', maxLength: 20 },
  ],
  'max-length-increased': [{ type: 'string', maxLength: 10 }, s, { type: 'string', maxLength: 5 }],
  'min-length-increased': [s, { type: 'string', minLength: 2 }, { type: 'string', minLength: 0 }],
  'min-length-decreased': [
    { type: 'string', minLength: 2 },
    { type: 'string', minLength: 1 },
    { type: 'string', minLength: 3 },
  ],
  'max-decreased': [
    { type: 'integer', maximum: 10 },
    { type: 'integer', exclusiveMaximum: 10 },
    { type: 'integer', exclusiveMaximum: 10 },
    { type: 'integer', maximum: 10, exclusiveMaximum: true },
  ],
  'max-increased': [{ type: 'integer', maximum: 10 }, { type: 'integer' }, { type: 'integer', maximum: 9 }],
  'min-increased': [
    { type: 'integer', minimum: 1 },
    { type: 'integer', minimum: 2 },
    { type: 'integer', exclusiveMinimum: 1 },
    { type: 'integer', minimum: 1, exclusiveMinimum: true },
  ],
  'min-decreased': [
    { type: 'integer', minimum: 1 },
    { type: 'integer', minimum: 0 },
    { type: 'integer', minimum: 2 },
  ],
  'max-items-decreased': [
    { type: 'array', items: s, maxItems: 3 },
    { type: 'array', items: s, maxItems: 2 },
    { type: 'array', items: s },
  ],
  'max-items-increased': [
    { type: 'array', items: s, maxItems: 3 },
    { type: 'array', items: s },
    { type: 'array', items: s, maxItems: 1 },
  ],
  'min-items-increased': [
    { type: 'array', items: s },
    { type: 'array', items: s, minItems: 1 },
    { type: 'array', items: s, minItems: 0 },
  ],
  'min-items-decreased': [
    { type: 'array', items: s, minItems: 2 },
    { type: 'array', items: s },
    { type: 'array', items: s, minItems: 3 },
  ],
  'pattern-added': [
    s,
    { type: 'string', pattern: '^a' },
    { type: 'string', pattern: '^a' },
    { type: 'string', pattern: '^b' },
  ],
  'pattern-changed': [
    { type: 'string', pattern: '^a' },
    { type: 'string', pattern: '^b' },
    { type: 'string', pattern: '^a', description: 'documented' },
  ],
  'pattern-removed': [{ type: 'string', pattern: '^a' }, s, { type: 'string', pattern: '^a' }, s],
  'default-value-changed': [
    { type: 'integer', default: 1 },
    { type: 'integer', default: 2 },
    { type: 'integer', default: 1, example: 2 },
  ],
  'one-of-added': [
    { oneOf: [ref('A'), ref('B')] },
    { oneOf: [ref('A'), ref('B'), ref('C')] },
    { oneOf: [ref('B'), ref('A')] },
  ],
  'one-of-removed': [{ oneOf: [ref('A'), ref('B')] }, { oneOf: [ref('A')] }, { oneOf: [ref('B'), ref('A')] }],
  'any-of-added': [
    { anyOf: [ref('A')] },
    { anyOf: [ref('A'), ref('B')] },
    { anyOf: [ref('A')] },
    { anyOf: [ref('A'), ref('B')] },
  ],
  'any-of-removed': [{ anyOf: [ref('A'), ref('B')] }, { anyOf: [ref('B')] }, { anyOf: [ref('A'), ref('B'), ref('C')] }],
  'all-of-added': [
    { allOf: [ref('A')] },
    { allOf: [ref('A'), ref('B')] },
    { allOf: [ref('A')] },
    { allOf: [ref('A'), ref('B')] },
  ],
  'all-of-removed': [{ allOf: [ref('A'), ref('B')] }, { allOf: [ref('A')] }, { allOf: [ref('B'), ref('A')] }],
  'discriminator-added': [
    { oneOf: [ref('A'), ref('B')] },
    { oneOf: [ref('A'), ref('B')], discriminator: { propertyName: 'kind' } },
    { oneOf: [ref('A'), ref('B')], discriminator: { propertyName: 'kind' } },
    { oneOf: [ref('A'), ref('B')], discriminator: { propertyName: 'kind' } },
  ],
  'discriminator-removed': [
    { oneOf: [ref('A'), ref('B')], discriminator: { propertyName: 'kind' } },
    { oneOf: [ref('A'), ref('B')] },
    { oneOf: [ref('A'), ref('B')], discriminator: { propertyName: 'kind', mapping: { a: '#/components/schemas/A' } } },
  ],
  'discriminator-property-name-changed': [
    { oneOf: [ref('A')], discriminator: { propertyName: 'kind' } },
    { oneOf: [ref('A')], discriminator: { propertyName: 'type' } },
    { oneOf: [ref('A')], discriminator: { propertyName: 'kind', mapping: { a: '#/components/schemas/A' } } },
  ],
  'discriminator-mapping-deleted': [
    {
      oneOf: [ref('A'), ref('B')],
      discriminator: { propertyName: 'kind', mapping: { a: '#/components/schemas/A', b: '#/components/schemas/B' } },
    },
    { oneOf: [ref('A'), ref('B')], discriminator: { propertyName: 'kind', mapping: { a: '#/components/schemas/A' } } },
    {
      oneOf: [ref('A'), ref('B')],
      discriminator: {
        propertyName: 'kind',
        mapping: { a: '#/components/schemas/A', b: '#/components/schemas/B', c: '#/components/schemas/C' },
      },
    },
  ],
  'discriminator-mapping-added': [
    { oneOf: [ref('A')], discriminator: { propertyName: 'kind', mapping: { a: '#/components/schemas/A' } } },
    {
      oneOf: [ref('A')],
      discriminator: { propertyName: 'kind', mapping: { a: '#/components/schemas/A', b: '#/components/schemas/B' } },
    },
    { oneOf: [ref('A')], discriminator: { propertyName: 'kind' } },
  ],
  'additional-properties-narrowed': [
    { type: 'object' },
    { type: 'object', additionalProperties: false },
    { type: 'object', additionalProperties: true },
  ],
  'additional-properties-widened': [
    { type: 'object', additionalProperties: false },
    { type: 'object', additionalProperties: { type: 'string' } },
    { type: 'object', additionalProperties: false },
    { type: 'object', additionalProperties: { type: 'string' } },
  ],
  'unjudged-keyword-changed': [
    { type: 'integer', multipleOf: 2 },
    { type: 'integer', multipleOf: 3 },
    { type: 'integer', multipleOf: 2, 'x-internal': true },
  ],
};

const schemaCases: Case[] = (Object.keys(PLACES) as Place[]).flatMap((place) =>
  SCHEMA_KINDS.flatMap(({ kind }): Case[] => {
    const fixture = KIND_FIXTURES[kind];
    if (!fixture) throw new Error(`no corpus fixture for the schema kind ${kind}`);
    const [base, trigger, near, nearBase] = fixture;
    const id = schemaRuleId(place, kind);
    return [
      [`${id}: triggers`, { base: at(place, base), head: at(place, trigger), want: { triggers: id } }],
      [`${id}: near miss`, { base: at(place, nearBase ?? base), head: at(place, near), want: { quiet: id } }],
    ];
  }),
);

/** An object with properties `a` (and `b`), `required` as given, at a request or response body. */
const objectAt = (place: 'request-property' | 'response-property', properties: JsonObject, required: string[] = []) =>
  at(place, { type: 'object', properties, ...(required.length ? { required } : {}) });
const propertyCases: Case[] = (['request-property', 'response-property'] as const).flatMap((place): Case[] => {
  const direction = PLACES[place];
  const id = (kind: keyof typeof PROPERTY_KINDS) => PROPERTY_KINDS[kind][direction].id;
  const ab = { a: s, b: s };
  const hiddenB = { a: s, b: { type: 'string', [direction === 'request' ? 'readOnly' : 'writeOnly']: true } };
  const cases: Case[] = [
    [
      `${id('added-required')}: triggers`,
      { base: objectAt(place, { a: s }), head: objectAt(place, ab, ['b']), want: { triggers: id('added-required') } },
    ],
    [
      `${id('added-required')}: near miss (optional)`,
      { base: objectAt(place, { a: s }), head: objectAt(place, ab), want: { quiet: id('added-required') } },
    ],
    [
      `${id('added-optional')}: triggers`,
      { base: objectAt(place, { a: s }), head: objectAt(place, ab), want: { triggers: id('added-optional') } },
    ],
    [
      `${id('added-optional')}: near miss (${direction === 'request' ? 'readOnly' : 'writeOnly'})`,
      { base: objectAt(place, { a: s }), head: objectAt(place, hiddenB), want: { quiet: id('added-optional') } },
    ],
    [
      `${id('removed-required')}: triggers`,
      { base: objectAt(place, ab, ['b']), head: objectAt(place, { a: s }), want: { triggers: id('removed-required') } },
    ],
    [
      `${id('removed-required')}: near miss (${direction === 'request' ? 'readOnly' : 'writeOnly'})`,
      {
        base: objectAt(place, hiddenB, ['b']),
        head: objectAt(place, { a: s }),
        want: { quiet: id('removed-required') },
      },
    ],
    [
      `${id('became-required')}: triggers`,
      { base: objectAt(place, ab), head: objectAt(place, ab, ['b']), want: { triggers: id('became-required') } },
    ],
    [
      `${id('became-required')}: near miss (reordered)`,
      {
        base: objectAt(place, ab, ['a', 'b']),
        head: objectAt(place, ab, ['b', 'a']),
        want: { quiet: id('became-required') },
      },
    ],
    [
      `${id('became-optional')}: triggers`,
      { base: objectAt(place, ab, ['b']), head: objectAt(place, ab), want: { triggers: id('became-optional') } },
    ],
    [
      `${id('became-optional')}: near miss (became required)`,
      { base: objectAt(place, ab), head: objectAt(place, ab, ['b']), want: { quiet: id('became-optional') } },
    ],
  ];
  if (direction === 'response') {
    cases.push(
      [
        `${id('removed-optional')}: triggers`,
        { base: objectAt(place, ab), head: objectAt(place, { a: s }), want: { triggers: id('removed-optional') } },
      ],
      [
        `${id('removed-optional')}: near miss (required)`,
        { base: objectAt(place, ab, ['b']), head: objectAt(place, { a: s }), want: { quiet: id('removed-optional') } },
      ],
    );
  }
  return cases;
});

// Operations, parameters, bodies, responses, security, webhooks.
const get = (op: JsonObject = {}) => ({ get: { responses: ok, ...op } });
const q = (name: string, extra: JsonObject = {}) => ({ name, in: 'query', schema: s, ...extra });
const withParams = (...parameters: JsonObject[]) => doc({ '/x': get({ parameters }) });
const body = (rb: JsonObject | undefined) =>
  doc({ '/x': { post: { ...(rb ? { requestBody: rb } : {}), responses: ok } } });
const responses = (r: JsonObject) => doc({ '/x': { get: { responses: r } } });
const secured = (security: unknown) =>
  doc(
    { '/x': get({ security }) },
    {
      components: {
        ...components,
        securitySchemes: { key: { type: 'http', scheme: 'bearer' }, oauth: { type: 'oauth2', flows: {} } },
      },
    },
  );
const event = (schema: unknown, extra: JsonObject = {}) => ({
  post: { requestBody: { content: json(schema) }, responses: ok, ...extra },
});
const hooks = (webhooks: JsonObject) => doc({}, { webhooks });
const header = (required: boolean, schema: unknown = s) => ({
  '200': { description: 'ok', headers: { 'Request-Id': { required, schema } } },
});

const structuralCases: Case[] = [
  [
    'api-path-removed-without-deprecation: triggers',
    {
      base: doc({ '/x': get(), '/y': get() }),
      head: doc({ '/x': get() }),
      want: { triggers: 'api-path-removed-without-deprecation' },
    },
  ],
  [
    'api-path-removed-without-deprecation: near miss (parameter renamed in the template)',
    {
      base: doc({ '/x/{id}': get() }),
      head: doc({ '/x/{case}': get() }),
      want: { quiet: 'api-path-removed-without-deprecation' },
    },
  ],
  [
    'api-path-removed-with-deprecation: triggers',
    {
      base: doc({ '/x': get(), '/y': get({ deprecated: true }) }),
      head: doc({ '/x': get() }),
      want: { triggers: 'api-path-removed-with-deprecation' },
    },
  ],
  [
    'api-path-removed-with-deprecation: near miss (not deprecated)',
    {
      base: doc({ '/x': get(), '/y': get() }),
      head: doc({ '/x': get() }),
      want: { quiet: 'api-path-removed-with-deprecation' },
    },
  ],
  [
    'api-removed-without-deprecation: triggers',
    {
      base: doc({ '/x': { ...get(), delete: { responses: ok } } }),
      head: doc({ '/x': get() }),
      want: { triggers: 'api-removed-without-deprecation' },
    },
  ],
  [
    'api-removed-without-deprecation: near miss (method added)',
    {
      base: doc({ '/x': get() }),
      head: doc({ '/x': { ...get(), delete: { responses: ok } } }),
      want: { quiet: 'api-removed-without-deprecation' },
    },
  ],
  [
    'api-removed-with-deprecation: triggers',
    {
      base: doc({ '/x': { ...get(), delete: { deprecated: true, responses: ok } } }),
      head: doc({ '/x': get() }),
      want: { triggers: 'api-removed-with-deprecation' },
    },
  ],
  [
    'api-removed-with-deprecation: near miss (deprecated, still there)',
    {
      base: doc({ '/x': { ...get(), delete: { deprecated: true, responses: ok } } }),
      head: doc({ '/x': { ...get(), delete: { deprecated: true, responses: ok } } }),
      want: { quiet: 'api-removed-with-deprecation' },
    },
  ],
  [
    'endpoint-added: triggers',
    { base: doc({ '/x': get() }), head: doc({ '/x': get(), '/y': get() }), want: { triggers: 'endpoint-added' } },
  ],
  [
    'endpoint-added: near miss (path renamed only in its parameter)',
    { base: doc({ '/x/{id}': get() }), head: doc({ '/x/{xid}': get() }), want: { quiet: 'endpoint-added' } },
  ],
  [
    'endpoint-deprecated: triggers',
    {
      base: doc({ '/x': get() }),
      head: doc({ '/x': get({ deprecated: true }) }),
      want: { triggers: 'endpoint-deprecated' },
    },
  ],
  [
    'endpoint-deprecated: near miss (undeprecated)',
    {
      base: doc({ '/x': get({ deprecated: true }) }),
      head: doc({ '/x': get() }),
      want: { quiet: 'endpoint-deprecated' },
    },
  ],
  [
    'webhook-removed: triggers',
    {
      base: hooks({ 'a.created': event(s), 'a.deleted': event(s) }),
      head: hooks({ 'a.created': event(s) }),
      want: { triggers: 'webhook-removed' },
    },
  ],
  [
    'webhook-removed: near miss (webhook added)',
    {
      base: hooks({ 'a.created': event(s) }),
      head: hooks({ 'a.created': event(s), 'a.deleted': event(s) }),
      want: { quiet: 'webhook-removed' },
    },
  ],
  [
    'webhook-added: triggers',
    {
      base: hooks({ 'a.created': event(s) }),
      head: hooks({ 'a.created': event(s), 'a.deleted': event(s) }),
      want: { triggers: 'webhook-added' },
    },
  ],
  [
    'webhook-added: near miss (payload changed)',
    {
      base: hooks({ 'a.created': event(s) }),
      head: hooks({ 'a.created': event({ type: 'integer' }) }),
      want: { quiet: 'webhook-added' },
    },
  ],
  [
    'api-security-added: triggers (a scheme added to the requirement)',
    { base: secured([{ key: [] }]), head: secured([{ key: [], oauth: [] }]), want: { triggers: 'api-security-added' } },
  ],
  [
    'api-security-added: near miss (an alternative added)',
    {
      base: secured([{ key: [] }]),
      head: secured([{ key: [] }, { oauth: [] }]),
      want: { quiet: 'api-security-added' },
    },
  ],
  [
    'api-security-removed: triggers',
    {
      base: secured([{ key: [], oauth: [] }]),
      head: secured([{ key: [] }]),
      want: { triggers: 'api-security-removed' },
    },
  ],
  [
    'api-security-removed: near miss (scheme replaced)',
    { base: secured([{ key: [] }]), head: secured([{ oauth: [] }]), want: { quiet: 'api-security-removed' } },
  ],
  [
    'new-required-request-parameter: triggers',
    {
      base: withParams(),
      head: withParams(q('a', { required: true })),
      want: { triggers: 'new-required-request-parameter' },
    },
  ],
  [
    'new-required-request-parameter: near miss (optional)',
    { base: withParams(), head: withParams(q('a')), want: { quiet: 'new-required-request-parameter' } },
  ],
  [
    'new-optional-request-parameter: triggers',
    { base: withParams(), head: withParams(q('a')), want: { triggers: 'new-optional-request-parameter' } },
  ],
  [
    'new-optional-request-parameter: near miss (required)',
    {
      base: withParams(),
      head: withParams(q('a', { required: true })),
      want: { quiet: 'new-optional-request-parameter' },
    },
  ],
  [
    'request-parameter-removed: triggers',
    { base: withParams(q('a'), q('b')), head: withParams(q('a')), want: { triggers: 'request-parameter-removed' } },
  ],
  [
    'request-parameter-removed: near miss (header name case)',
    {
      base: withParams({ name: 'X-Key', in: 'header', schema: s }),
      head: withParams({ name: 'x-key', in: 'header', schema: s }),
      want: { quiet: 'request-parameter-removed' },
    },
  ],
  [
    'request-parameter-renamed: triggers',
    { base: withParams(q('a')), head: withParams(q('b')), want: { triggers: 'request-parameter-renamed' } },
  ],
  [
    'request-parameter-renamed: near miss (another schema: removed and added)',
    {
      base: withParams(q('a')),
      head: withParams(q('b', { schema: { type: 'integer' } })),
      want: { quiet: 'request-parameter-renamed' },
    },
  ],
  [
    'request-parameter-moved: triggers',
    {
      base: withParams(q('a')),
      head: withParams({ name: 'a', in: 'header', schema: s }),
      want: { triggers: 'request-parameter-moved' },
    },
  ],
  [
    'request-parameter-moved: near miss (path-level to operation-level)',
    {
      base: doc({ '/x': { parameters: [q('a')], ...get() } }),
      head: withParams(q('a')),
      want: { quiet: 'request-parameter-moved' },
    },
  ],
  [
    'request-parameter-became-required: triggers',
    {
      base: withParams(q('a')),
      head: withParams(q('a', { required: true })),
      want: { triggers: 'request-parameter-became-required' },
    },
  ],
  [
    'request-parameter-became-required: near miss (became optional)',
    {
      base: withParams(q('a', { required: true })),
      head: withParams(q('a')),
      want: { quiet: 'request-parameter-became-required' },
    },
  ],
  [
    'request-parameter-became-optional: triggers',
    {
      base: withParams(q('a', { required: true })),
      head: withParams(q('a')),
      want: { triggers: 'request-parameter-became-optional' },
    },
  ],
  [
    'request-parameter-became-optional: near miss (required false stated)',
    {
      base: withParams(q('a')),
      head: withParams(q('a', { required: false })),
      want: { quiet: 'request-parameter-became-optional' },
    },
  ],
  [
    'request-body-added-required: triggers',
    {
      base: body(undefined),
      head: body({ required: true, content: json(s) }),
      want: { triggers: 'request-body-added-required' },
    },
  ],
  [
    'request-body-added-required: near miss (optional)',
    { base: body(undefined), head: body({ content: json(s) }), want: { quiet: 'request-body-added-required' } },
  ],
  [
    'request-body-added-optional: triggers',
    { base: body(undefined), head: body({ content: json(s) }), want: { triggers: 'request-body-added-optional' } },
  ],
  [
    'request-body-added-optional: near miss (required)',
    {
      base: body(undefined),
      head: body({ required: true, content: json(s) }),
      want: { quiet: 'request-body-added-optional' },
    },
  ],
  [
    'request-body-removed: triggers',
    { base: body({ content: json(s) }), head: body(undefined), want: { triggers: 'request-body-removed' } },
  ],
  [
    'request-body-removed: near miss (became optional)',
    {
      base: body({ required: true, content: json(s) }),
      head: body({ content: json(s) }),
      want: { quiet: 'request-body-removed' },
    },
  ],
  [
    'request-body-became-required: triggers',
    {
      base: body({ content: json(s) }),
      head: body({ required: true, content: json(s) }),
      want: { triggers: 'request-body-became-required' },
    },
  ],
  [
    'request-body-became-required: near miss (became optional)',
    {
      base: body({ required: true, content: json(s) }),
      head: body({ content: json(s) }),
      want: { quiet: 'request-body-became-required' },
    },
  ],
  [
    'request-body-became-optional: triggers',
    {
      base: body({ required: true, content: json(s) }),
      head: body({ content: json(s) }),
      want: { triggers: 'request-body-became-optional' },
    },
  ],
  [
    'request-body-became-optional: near miss (became required)',
    {
      base: body({ content: json(s) }),
      head: body({ required: true, content: json(s) }),
      want: { quiet: 'request-body-became-optional' },
    },
  ],
  [
    'request-body-media-type-removed: triggers',
    {
      base: body({ content: { ...json(s), 'text/json': { schema: s } } }),
      head: body({ content: json(s) }),
      want: { triggers: 'request-body-media-type-removed' },
    },
  ],
  [
    'request-body-media-type-removed: near miss (added)',
    {
      base: body({ content: json(s) }),
      head: body({ content: { ...json(s), 'text/json': { schema: s } } }),
      want: { quiet: 'request-body-media-type-removed' },
    },
  ],
  [
    'request-body-media-type-added: triggers',
    {
      base: body({ content: json(s) }),
      head: body({ content: { ...json(s), 'text/json': { schema: s } } }),
      want: { triggers: 'request-body-media-type-added' },
    },
  ],
  [
    'request-body-media-type-added: near miss (removed)',
    {
      base: body({ content: { ...json(s), 'text/json': { schema: s } } }),
      head: body({ content: json(s) }),
      want: { quiet: 'request-body-media-type-added' },
    },
  ],
  [
    'response-success-status-removed: triggers (200 became 201)',
    {
      base: responses({ '200': { description: 'ok' } }),
      head: responses({ '201': { description: 'created' } }),
      want: { triggers: 'response-success-status-removed' },
    },
  ],
  [
    'response-success-status-removed: near miss (an error status removed)',
    {
      base: responses({ '200': { description: 'ok' }, '404': { description: 'no' } }),
      head: responses({ '200': { description: 'ok' } }),
      want: { quiet: 'response-success-status-removed' },
    },
  ],
  [
    'response-success-status-added: triggers',
    {
      base: responses({ '200': { description: 'ok' } }),
      head: responses({ '200': { description: 'ok' }, '202': { description: 'later' } }),
      want: { triggers: 'response-success-status-added' },
    },
  ],
  [
    'response-success-status-added: near miss (an error status added)',
    {
      base: responses({ '200': { description: 'ok' } }),
      head: responses({ '200': { description: 'ok' }, '409': { description: 'no' } }),
      want: { quiet: 'response-success-status-added' },
    },
  ],
  [
    'response-non-success-status-removed: triggers',
    {
      base: responses({ '200': { description: 'ok' }, '404': { description: 'no' } }),
      head: responses({ '200': { description: 'ok' } }),
      want: { triggers: 'response-non-success-status-removed' },
    },
  ],
  [
    'response-non-success-status-removed: near miss (a success status removed)',
    {
      base: responses({ '200': { description: 'ok' }, '201': { description: 'ok' } }),
      head: responses({ '200': { description: 'ok' } }),
      want: { quiet: 'response-non-success-status-removed' },
    },
  ],
  [
    'response-non-success-status-added: triggers',
    {
      base: responses({ '200': { description: 'ok' } }),
      head: responses({ '200': { description: 'ok' }, '409': { description: 'no' } }),
      want: { triggers: 'response-non-success-status-added' },
    },
  ],
  [
    'response-non-success-status-added: near miss (description changed)',
    {
      base: responses({ '200': { description: 'ok' }, '409': { description: 'no' } }),
      head: responses({ '200': { description: 'ok' }, '409': { description: 'conflict' } }),
      want: { quiet: 'response-non-success-status-added' },
    },
  ],
  [
    'response-media-type-removed: triggers',
    {
      base: responses({ '200': { description: 'ok', content: { ...json(s), 'text/csv': { schema: s } } } }),
      head: responses({ '200': { description: 'ok', content: json(s) } }),
      want: { triggers: 'response-media-type-removed' },
    },
  ],
  [
    'response-media-type-removed: near miss (added)',
    {
      base: responses({ '200': { description: 'ok', content: json(s) } }),
      head: responses({ '200': { description: 'ok', content: { ...json(s), 'text/csv': { schema: s } } } }),
      want: { quiet: 'response-media-type-removed' },
    },
  ],
  [
    'response-media-type-added: triggers',
    {
      base: responses({ '200': { description: 'ok', content: json(s) } }),
      head: responses({ '200': { description: 'ok', content: { ...json(s), 'text/csv': { schema: s } } } }),
      want: { triggers: 'response-media-type-added' },
    },
  ],
  [
    'response-media-type-added: near miss (removed)',
    {
      base: responses({ '200': { description: 'ok', content: { ...json(s), 'text/csv': { schema: s } } } }),
      head: responses({ '200': { description: 'ok', content: json(s) } }),
      want: { quiet: 'response-media-type-added' },
    },
  ],
  [
    'required-response-header-removed: triggers',
    { base: responses(header(true)), head: responses(ok), want: { triggers: 'required-response-header-removed' } },
  ],
  [
    'required-response-header-removed: near miss (optional one removed)',
    { base: responses(header(false)), head: responses(ok), want: { quiet: 'required-response-header-removed' } },
  ],
  [
    'optional-response-header-removed: triggers',
    { base: responses(header(false)), head: responses(ok), want: { triggers: 'optional-response-header-removed' } },
  ],
  [
    'optional-response-header-removed: near miss (required one removed)',
    { base: responses(header(true)), head: responses(ok), want: { quiet: 'optional-response-header-removed' } },
  ],
  [
    'response-header-became-optional: triggers',
    {
      base: responses(header(true)),
      head: responses(header(false)),
      want: { triggers: 'response-header-became-optional' },
    },
  ],
  [
    'response-header-became-optional: near miss (became required)',
    {
      base: responses(header(false)),
      head: responses(header(true)),
      want: { quiet: 'response-header-became-optional' },
    },
  ],
  [
    'response-header-added: triggers',
    { base: responses(ok), head: responses(header(false)), want: { triggers: 'response-header-added' } },
  ],
  [
    'response-header-added: near miss (only its case changed)',
    {
      base: responses(header(true)),
      head: responses({ '200': { description: 'ok', headers: { 'request-id': { required: true, schema: s } } } }),
      want: { quiet: 'response-header-added' },
    },
  ],
  [
    'documentation-changed: triggers',
    {
      base: doc({ '/x': get({ summary: 'old' }) }),
      head: doc({ '/x': get({ summary: 'new' }) }),
      want: { triggers: 'documentation-changed' },
    },
  ],
  [
    'documentation-changed: near miss (an extension changed)',
    {
      base: doc({ '/x': get({ 'x-team': 'a' }) }),
      head: doc({ '/x': get({ 'x-team': 'b' }) }),
      want: { quiet: 'documentation-changed' },
    },
  ],
  [
    'unjudged-change: triggers (callbacks)',
    {
      base: doc({ '/x': get({ callbacks: {} }) }),
      head: doc({ '/x': get({ callbacks: { done: {} } }) }),
      want: { triggers: 'unjudged-change' },
    },
  ],
  [
    'unjudged-change: triggers (jsonSchemaDialect)',
    {
      base: doc({ '/x': get() }),
      head: doc({ '/x': get() }, { jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base' }),
      want: { triggers: 'unjudged-change' },
    },
  ],
  [
    'unjudged-change: near miss (a top-level extension)',
    {
      base: doc({ '/x': get() }),
      head: doc({ '/x': get() }, { 'x-logo': 'a.png' }),
      want: { quiet: 'unjudged-change' },
    },
  ],
  [
    'unjudged-change: near miss (same callbacks)',
    {
      base: doc({ '/x': get({ callbacks: { done: {} } }) }),
      head: doc({ '/x': get({ callbacks: { done: {} } }) }),
      want: { quiet: 'unjudged-change' },
    },
  ],
];

/** Webhooks are judged like responses: the receiver is the client. */
const webhookCases: Case[] = [
  [
    'webhook payload field removed is response-required-property-removed',
    {
      base: hooks({ e: event({ type: 'object', required: ['id'], properties: { id: s } }) }),
      head: hooks({ e: event({ type: 'object', properties: {} }) }),
      want: { triggers: 'response-required-property-removed' },
    },
  ],
  [
    'webhook payload field added is not new-required-request-property',
    {
      base: hooks({ e: event({ type: 'object', properties: {} }) }),
      head: hooks({ e: event({ type: 'object', required: ['id'], properties: { id: s } }) }),
      want: { quiet: 'new-required-request-property' },
    },
  ],
  [
    'webhook payload enum widened is response-property-enum-value-added',
    {
      base: hooks({ e: event({ enum: ['a'] }) }),
      head: hooks({ e: event({ enum: ['a', 'b'] }) }),
      want: { triggers: 'response-property-enum-value-added' },
    },
  ],
  [
    'webhook signature header removed is required-response-header-removed',
    {
      base: hooks({ e: event(s, { parameters: [{ name: 'X-Sig', in: 'header', required: true, schema: s }] }) }),
      head: hooks({ e: event(s) }),
      want: { triggers: 'required-response-header-removed' },
    },
  ],
];

/** $ref cycles terminate, and what changes inside one is still found. */
const tree = (maxLength: number, name = 'Node') =>
  doc(
    { '/x': { get: { responses: { '200': { description: 'ok', content: json(ref(name)) } } } } },
    {
      components: {
        schemas: { [name]: { type: 'object', properties: { label: { type: 'string', maxLength }, child: ref(name) } } },
      },
    },
  );
const cycleCases: Case[] = [
  [
    'a change inside a $ref cycle is found',
    { base: tree(10), head: tree(20), want: { triggers: 'response-property-max-length-increased' } },
  ],
  [
    'a schema wrapped in allOf is compared merged: a property made required is found',
    {
      base: at('request-property', ref('A')),
      head: at('request-property', { allOf: [ref('A'), { required: ['a'] }] }),
      want: { triggers: 'request-property-became-required' },
    },
  ],
  [
    'a schema wrapped in allOf with nothing added is no property removed',
    {
      base: at('response-property', ref('A')),
      head: at('response-property', { allOf: [ref('A'), { description: 'the same' }] }),
      want: { quiet: 'response-required-property-removed' },
    },
  ],
  [
    'a security scheme renamed (same header) breaks nobody',
    {
      base: secured([{ key: [] }]),
      head: doc(
        { '/x': get({ security: [{ Bearer: [] }] }) },
        { components: { ...components, securitySchemes: { Bearer: { type: 'http', scheme: 'Bearer' } } } },
      ),
      want: { quiet: 'api-security-added' },
    },
  ],
  [
    'a renamed recursive component compares without looping',
    { base: tree(10, 'Node'), head: tree(10, 'TreeNode'), want: { quiet: 'response-property-max-length-increased' } },
  ],
];

const corpus: Case[] = [...schemaCases, ...propertyCases, ...structuralCases, ...webhookCases, ...cycleCases];

describe('compat corpus', () => {
  it.each(corpus)('%s', (_name, { base, head, want }) => {
    const findings = compareContracts(base, head);
    if ('triggers' in want) {
      const hit = findings.find((f) => f.id === want.triggers);
      expect(hit, `${want.triggers} not among ${JSON.stringify(findings.map((f) => f.id))}`).toBeDefined();
      expect(hit!.clients).toBe(RULES.get(want.triggers)!.clients);
      expect(hit!.path).toMatch(/^#\//);
    } else {
      expect(findings.map((f) => f.id)).not.toContain(want.quiet);
    }
  });

  it('triggers every rule of the catalogue, with a near miss for each', () => {
    const triggered = new Set(corpus.flatMap(([, { want }]) => ('triggers' in want ? [want.triggers] : [])));
    const quiet = new Set(corpus.flatMap(([, { want }]) => ('quiet' in want ? [want.quiet] : [])));
    const rules = [...RULES.keys()];
    expect(rules.filter((id) => !triggered.has(id))).toEqual([]);
    expect(rules.filter((id) => !quiet.has(id))).toEqual([]);
    expect(rules.length).toBeGreaterThanOrEqual(45);
  });

  it.each([
    [
      'a request maxLength raised',
      at('request-property', { type: 'string', maxLength: 5 }),
      at('request-property', { type: 'string', maxLength: 9 }),
      'request-property-max-length-increased',
      'compatible',
      'breaking',
    ],
    [
      'an optional request property added (bodies are closed)',
      objectAt('request-property', { a: s }),
      objectAt('request-property', { a: s, b: s }),
      'new-optional-request-property',
      'compatible',
      'breaking',
    ],
    [
      'a required response property added',
      objectAt('response-property', { a: s }),
      objectAt('response-property', { a: s, b: s }, ['b']),
      'response-required-property-added',
      'compatible',
      'breaking',
    ],
    [
      'a required response property removed',
      objectAt('response-property', { a: s, b: s }, ['b']),
      objectAt('response-property', { a: s }),
      'response-required-property-removed',
      'breaking',
      'compatible',
    ],
    [
      'an operation added',
      doc({ '/x': get() }),
      doc({ '/x': get(), '/y': get() }),
      'endpoint-added',
      'compatible',
      'breaking',
    ],
  ] as const)('for clients and for implementations: %s', (_name, base, head, id, clients, implementations) => {
    expect(compareContracts(base, head).find((f) => f.id === id)).toMatchObject({ clients, implementations });
  });

  it('points at the parameter where it is written: on the path item or on the operation', () => {
    const base = doc({ '/x': { parameters: [q('a')], get: { parameters: [q('b')], responses: ok } } });
    const head = doc({
      '/x': {
        parameters: [q('a', { required: true })],
        get: { parameters: [q('b', { required: true })], responses: ok },
      },
    });
    expect(
      compareContracts(base, head)
        .filter((f) => f.id === 'request-parameter-became-required')
        .map((f) => f.path),
    ).toEqual(['#/paths/~1x/parameters/0', '#/paths/~1x/get/parameters/0']);
  });

  it('reports nothing for identical contracts, and OpenAPI 3.0 nullable equals a 3.1 type array', () => {
    expect(compareContracts(tree(10), tree(10))).toEqual([]);
    expect(
      compareContracts(
        { ...at('response-property', { type: 'string', nullable: true }), openapi: '3.0.3' },
        at('response-property', { type: ['string', 'null'] }),
      ).filter((f) => f.id !== 'documentation-changed'),
    ).toEqual([]);
  });
});

describe('compat rules inventory', () => {
  it('conformance/compat/RULES.md is current (npm run rules)', async () => {
    const { readFileSync } = await import('node:fs');
    const { renderCompatRulesMarkdown } = await import('./rules-doc.js');
    expect(readFileSync(new URL('./RULES.md', import.meta.url), 'utf8')).toBe(renderCompatRulesMarkdown());
  });
});

// Our hand-written Customer API contract (spec/debitura/customer-api.yaml, bundled in generated/) stays
// wire-compatible with the contract Debitura publishes (spec/debitura/published/customer-api.json,
// OpenAPI 3.0.4, never edited). For every operation of ours:
//   - the same method and path exist in the published contract, with our parameter names among its own,
//     and its request media types among ours;
//   - every published request example, and a body as a generated client sends it (every published
//     property present, the nullable ones as `null`), validates against our request schema;
//   - every response example of ours validates against the published schema of that status (where the
//     published declares it), and every property our response schemas describe exists there with the
//     same type.
// The published document is read as JSON Schema after turning OpenAPI 3.0's `nullable` into type
// arrays (see `toJsonSchema`). The last block breaks each side once and expects the checks to notice.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeErrors, loadContract, type Contract, type OperationSpec } from '../../kit/contract.js';
import { debituraCustomer, repoRoot } from '../support/load-spec.js';

type Json = Record<string, any>;

const publishedDocument: Json = JSON.parse(
  readFileSync(path.join(repoRoot, 'spec/debitura/published/customer-api.json'), 'utf8'),
);

/**
 * The published 3.0 document as JSON Schema 2020-12 can read it: `nullable: true` becomes a type array
 * with `null` (and `null` joins an `enum`). A property that is nothing but a `$ref` also accepts `null`:
 * OpenAPI 3.0 cannot put `nullable` beside a `$ref`, so Debitura's generator publishes nullable
 * objects (`signingHandoff`, `partnerAssignment` …) as bare references, and the docs page shows
 * `"signingHandoff": null` when everything is signed.
 */
function toJsonSchema(document: Json): Json {
  const copy = structuredClone(document);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const schema = node as Json;
    if (schema.nullable === true) {
      if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
      if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
      delete schema.nullable;
    }
    if (schema.properties && typeof schema.properties === 'object') {
      for (const [name, property] of Object.entries<Json>(schema.properties)) {
        if (property && Object.keys(property).length === 1 && typeof property.$ref === 'string') {
          schema.properties[name] = { anyOf: [{ $ref: property.$ref }, { type: 'null' }] };
        }
      }
    }
    for (const [key, value] of Object.entries(schema)) if (key !== 'example' && key !== 'examples') visit(value);
  };
  visit(copy);
  return copy;
}

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const at = (document: Json, pointer: string): any =>
  pointer
    .replace(/^#\//, '')
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<any>((node, key) => node?.[key], document);
const deref = (document: Json, node: any): any => {
  let current = node;
  while (current && typeof current.$ref === 'string') current = at(document, current.$ref);
  return current;
};

interface Example {
  where: string;
  value: unknown;
}

/** The examples of a media type object: `example`, `examples.*.value`, and the `example` of the schema it references. */
function mediaExamples(document: Json, media: Json | undefined, where: string, withSchemaExample: boolean): Example[] {
  if (!media) return [];
  const found: Example[] = [];
  if ('example' in media) found.push({ where: `${where} example`, value: media.example });
  for (const [key, ex] of Object.entries<any>(media.examples ?? {}))
    found.push({ where: `${where} examples.${key}`, value: deref(document, ex).value });
  const schema = deref(document, media.schema);
  if (withSchemaExample && schema && 'example' in schema)
    found.push({ where: `${where} schema example`, value: schema.example });
  return found;
}

const SAMPLE_FORMATS: Record<string, string> = {
  uuid: '3f6c2a1e-8d4b-4c1a-9e2f-7a6b5c4d3e2f',
  'date-time': '2025-06-01T00:00:00Z',
  date: '2025-06-01',
  email: 'someone@example.org',
  uri: 'https://example.org/hooks',
};

/**
 * The body a client generated from the published contract sends: every published property present,
 * `null` for each nullable one; other values from `base` (our own request example), the published
 * `example`, or a sample of the type. Typed formats (uuid, date-time …) always take the sample, as a
 * generated client serialises its typed value (a date becomes a date-time).
 */
/**
 * Nullable in the published schema, yet refused as null by the API as the published description says
 * (`AdvanceTestCaseRequest`: "Returns 400 if `to` is not one of the valid values", "`amount` is required"
 * for `Closed:Paid`): a working client sets them, so the sample body carries our example's values. Our
 * contract states it in its schema (`to` not nullable; `if`/`then` requiring `amount`).
 */
const SET_BY_EVERY_CLIENT: Readonly<Record<string, readonly string[]>> = { AdvanceTestCaseRequest: ['to', 'amount'] };

function generatedClientBody(document: Json, node: Json, base?: unknown): unknown {
  const schema = deref(document, node);
  if (schema.properties) {
    const body: Json = {};
    const from = (base && typeof base === 'object' ? base : {}) as Json;
    const setByClient =
      SET_BY_EVERY_CLIENT[
        String(node.$ref ?? '')
          .split(/[/.]/)
          .pop()!
      ] ?? [];
    for (const [name, property] of Object.entries<Json>(schema.properties)) {
      const resolved = deref(document, property);
      const nullable = (property.nullable || resolved?.nullable) && !setByClient.includes(name);
      body[name] = nullable ? null : generatedClientBody(document, property, from[name]);
    }
    return body;
  }
  if (schema.type === 'array')
    return Array.isArray(base) ? base : [generatedClientBody(document, schema.items ?? {}, undefined)];
  if (schema.type === 'string' && SAMPLE_FORMATS[schema.format]) return SAMPLE_FORMATS[schema.format];
  if (base !== undefined && base !== null) return base;
  if ('example' in schema) return schema.example;
  if (schema.type === 'string') return 'text';
  if (schema.type === 'number' || schema.type === 'integer') return 1;
  if (schema.type === 'boolean') return false;
  return null;
}

const typesOf = (schema: Json): string[] =>
  schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];

/**
 * Every property our response schema describes exists in the published schema with a type the
 * published allows (`integer` within `number`; `null` only where the published is nullable).
 * Returns one line per difference.
 */
function responseShapeProblems(
  ours: Json,
  oursSchema: Json,
  theirs: Json,
  theirsSchema: Json,
  where: string,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const walk = (a: Json, b: Json, at: string, bNullable: boolean): void => {
    a = deref(ours, a);
    b = deref(theirs, b);
    if (!a || !b) return;
    const key = `${at}`;
    if (seen.has(key)) return;
    seen.add(key);
    // Our compositions: every member describes the same value (allOf) or one of its non-null forms (oneOf/anyOf).
    for (const member of [...(a.allOf ?? []), ...(a.oneOf ?? []), ...(a.anyOf ?? [])]) {
      const m = deref(ours, member);
      if (m && typesOf(m).join() === 'null') {
        if (!bNullable && !b.nullable) problems.push(`${at}: ours may be null, the published is not nullable`);
        continue;
      }
      walk(member, b, at, bNullable);
    }
    const theirTypes = typesOf(b);
    const nullable = bNullable || b.nullable === true;
    for (const type of typesOf(a)) {
      if (type === 'null') {
        if (!nullable) problems.push(`${at}: ours may be null, the published is not nullable`);
      } else if (
        theirTypes.length &&
        !theirTypes.includes(type) &&
        !(type === 'integer' && theirTypes.includes('number'))
      ) {
        problems.push(`${at}: ours is ${type}, the published is ${theirTypes.join('|')}`);
      }
    }
    for (const [name, property] of Object.entries<Json>(a.properties ?? {})) {
      const theirProperty = b.properties?.[name];
      if (!theirProperty) {
        problems.push(`${at}.${name}: not in the published schema`);
        continue;
      }
      const refOnly = Object.keys(theirProperty).length === 1 && typeof theirProperty.$ref === 'string';
      walk(property, theirProperty, `${at}.${name}`, refOnly);
    }
    if (a.items) walk(a.items, b.items ?? {}, `${at}[]`, false);
  };
  walk(oursSchema, theirsSchema, where, false);
  return problems;
}

interface Checked {
  ok: boolean;
  problems: string[];
}

const converted = new WeakMap<Json, Contract>();
/** The published document loaded as a contract, its `nullable` converted (once per document). */
function publishedContract(raw: Json): Contract {
  let contract = converted.get(raw);
  if (!contract) converted.set(raw, (contract = loadContract(toJsonSchema(raw), { allErrors: true })));
  return contract;
}

/** All the wire-compatibility checks of one of our operations against the published document (as published, 3.0). */
function checkOperation(ours: Contract, raw: Json, op: OperationSpec): Checked {
  const problems: string[] = [];
  const published = publishedContract(raw);
  const theirItem = published.document.paths?.[op.path];
  const theirOp = theirItem?.[op.method];
  if (!theirOp)
    return { ok: false, problems: [`${op.method.toUpperCase()} ${op.path} is not in the published contract`] };
  const oursRaw = ours.document.paths[op.path][op.method];

  // Parameters: ours are among the published ones (same names, same places).
  const theirParams = new Set(
    [...(theirItem.parameters ?? []), ...(theirOp.parameters ?? [])].map(
      (p: Json) => `${deref(published.document, p).in}:${deref(published.document, p).name}`,
    ),
  );
  for (const p of op.parameters)
    if (!theirParams.has(`${p.in}:${p.name}`)) problems.push(`parameter ${p.in} ${p.name} is not published`);

  // Requests.
  const theirBody = deref(published.document, theirOp.requestBody);
  if (theirBody?.content) {
    if (!op.requestBody) problems.push('the published operation takes a body; ours does not');
    for (const [mediaType, media] of Object.entries<Json>(theirBody.content)) {
      const pointer = op.requestBody?.content[mediaType];
      if (!pointer) {
        problems.push(`request media type ${mediaType} is published but not accepted`);
        continue;
      }
      const validate = ours.validator(pointer);
      const base = Object.values<Json>(oursRaw.requestBody?.content ?? {}).flatMap((m) =>
        mediaExamples(ours.document, m, '', false),
      )[0]?.value;
      const bodies = [
        ...mediaExamples(published.document, media, `published ${mediaType}`, true),
        {
          where: `generated-client ${mediaType} body`,
          value: generatedClientBody(
            raw,
            at(raw, `#/paths/${esc(op.path)}/${op.method}`).requestBody.content[mediaType].schema,
            base,
          ),
        },
      ];
      for (const body of bodies)
        if (!validate(body.value))
          problems.push(`${body.where} is refused by our request schema: ${describeErrors(validate.errors)}`);
    }
  }

  // Responses: our examples hold against the published schema; our shapes are a subset of it.
  for (const [status, response] of Object.entries<Json>(oursRaw.responses ?? {})) {
    const theirResponse = deref(published.document, theirOp.responses?.[status]);
    const theirMedia = theirResponse?.content?.['application/json'];
    if (!theirMedia?.schema) continue; // the published does not declare a JSON body for this status
    const theirSchemaPointer =
      theirMedia.schema.$ref ??
      `#/paths/${esc(op.path)}/${op.method}/responses/${status}/content/application~1json/schema`;
    const validate = published.validator(theirSchemaPointer);
    const ourMedia = deref(ours.document, response)?.content?.['application/json'];
    for (const example of mediaExamples(ours.document, ourMedia, `our ${status}`, false)) {
      if (!validate(example.value))
        problems.push(
          `${example.where} is refused by the published ${status} schema: ${describeErrors(validate.errors)}`,
        );
    }
    if (ourMedia?.schema)
      problems.push(
        ...responseShapeProblems(ours.document, ourMedia.schema, raw, at(raw, theirSchemaPointer), `${status}`),
      );
  }
  return { ok: problems.length === 0, problems };
}

describe('our Customer API contract is wire-compatible with the published one', () => {
  it('covers every operation of ours (and there are 16)', () => {
    expect(debituraCustomer.operations.map((op) => op.operationId).sort()).toEqual(
      [
        'advanceTestCase',
        'createCase',
        'createWebhook',
        'deleteWebhook',
        'fireTestWebhook',
        'getCase',
        'getPayment',
        'getWebhook',
        'listCaseFiles',
        'listCases',
        'listPayments',
        'listWebhooks',
        'previewCase',
        'testWebhook',
        'testWebhookColon',
        'uploadCaseFile',
      ].sort(),
    );
  });

  it.each(
    debituraCustomer.operations.map((op) => [`${op.operationId} (${op.method.toUpperCase()} ${op.path})`, op] as const),
  )('%s', (_name, op) => {
    expect(checkOperation(debituraCustomer, publishedDocument, op).problems).toEqual([]);
  });

  it('a generated-client body carries every published property, the nullable ones as null', () => {
    const op = at(publishedDocument, '#/paths/~1cases/post');
    const body = generatedClientBody(publishedDocument, op.requestBody.content['application/json'].schema, {}) as Json;
    expect(Object.keys(body).sort()).toEqual(
      Object.keys(
        at(
          publishedDocument,
          '#/components/schemas/Debitura.Web.ExternalApi.Contracts.V1.Cases.Requests.CreateCollectionCaseRequestApiViewModel',
        ).properties,
      ).sort(),
    );
    expect(body).toMatchObject({
      currencyCode: null,
      dueDate: null,
      returnUrl: null,
      date: '2025-06-01T00:00:00Z',
      debtor: { countryAlpha2: null, email: null },
    });
  });

  it('our request schemas refuse unknown fields', () => {
    const validate = debituraCustomer.validator(
      debituraCustomer.operationsById.get('createCase')!.requestBody!.content['application/json']!,
    );
    const base = {
      currencyCode: 'EUR',
      amountToRecover: 1,
      date: '2025-06-01',
      debtor: { type: 'Company', name: 'A', countryAlpha2: 'DE' },
    };
    expect(validate(base), describeErrors(validate.errors)).toBe(true);
    expect(validate({ ...base, brandNew: 1 })).toBe(false);
    expect(validate({ ...base, debtor: { ...base.debtor, brandNew: 1 } })).toBe(false);
    expect(
      validate({ ...base, date: '2025-06-01T00:00:00Z', dueDate: '2025-07-01T00:00:00+02:00' }),
      describeErrors(validate.errors),
    ).toBe(true);
    expect(validate({ ...base, date: '01.06.2025' })).toBe(false);
  });
});

describe('the checks notice drift on either side', () => {
  const op = (contract: Contract, id: string) => contract.operationsById.get(id)!;
  const problemsAfter = (
    mutateOurs: ((doc: Json) => void) | null,
    mutatePublished: ((doc: Json) => void) | null,
    id: string,
  ) => {
    const oursDoc = structuredClone(debituraCustomer.document);
    mutateOurs?.(oursDoc);
    const theirsDoc = structuredClone(publishedDocument);
    mutatePublished?.(theirsDoc);
    return checkOperation(loadContract(oursDoc), theirsDoc, op(loadContract(oursDoc), id)).problems;
  };
  const invoice = 'Debitura.Web.ExternalApi.Contracts.V1.Cases.InvoiceDto';
  const createRequest = 'Debitura.Web.ExternalApi.Contracts.V1.Cases.Requests.CreateCollectionCaseRequestApiViewModel';

  it.each([
    [
      'we rename a request property',
      (doc: Json) => {
        const schema = doc.components.schemas.CreateCaseRequest;
        schema.properties.label = schema.properties.tag;
        delete schema.properties.tag;
      },
      null,
      'createCase',
      /tag/,
    ],
    [
      'we make a published-nullable request property non-nullable',
      (doc: Json) => {
        doc.components.schemas.CreateCaseRequest.properties.comments.type = 'string';
      },
      null,
      'createCase',
      /comments/,
    ],
    [
      'we describe a response property Debitura does not publish',
      (doc: Json) => {
        doc.components.schemas.Case.properties.brandNew = { type: 'string', description: 'x' };
      },
      null,
      'getCase',
      /brandNew: not in the published schema/,
    ],
    [
      'we change a response property type',
      (doc: Json) => {
        doc.components.schemas.Case.properties.grossAmount = { type: 'string', description: 'x' };
      },
      null,
      'getCase',
      /grossAmount: ours is string/,
    ],
    [
      'we drop a published request media type',
      (doc: Json) => {
        delete doc.paths['/cases'].post.requestBody.content['text/json'];
      },
      null,
      'createCase',
      /text\/json/,
    ],
    [
      'Debitura renames a response property',
      null,
      (doc: Json) => {
        const schema = doc.components.schemas[invoice];
        schema.properties.caseReference = schema.properties.reference;
        delete schema.properties.reference;
      },
      'getCase',
      /reference/,
    ],
    [
      'Debitura adds a request property',
      null,
      (doc: Json) => {
        doc.components.schemas[createRequest].properties.priority = { type: 'integer', format: 'int32' };
      },
      'createCase',
      /priority/,
    ],
    [
      'Debitura moves an operation',
      null,
      (doc: Json) => {
        doc.paths['/payments'] = doc.paths['/Payments'];
        delete doc.paths['/Payments'];
      },
      'listPayments',
      /not in the published contract/,
    ],
  ] as const)('when %s', (_name, mutateOurs, mutatePublished, id, pattern) => {
    const problems = problemsAfter(mutateOurs, mutatePublished, id);
    expect(problems.length, 'a drift the check should report').toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(pattern);
  });
});

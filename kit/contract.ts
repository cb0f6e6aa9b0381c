// The contract, loaded once: the bundled OpenAPI document, its operations as a route table, and
// ajv validators compiled from its schemas. The mock, the conformance suite and the tests all
// validate through this file, so no API shape is written twice.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Base URI under which the whole bundled contract is registered with ajv. */
const CONTRACT_ID = 'https://contract.casapay.local/casapay.json';

export type JsonSchema = Record<string, unknown>;
export type HttpMethod = 'get' | 'post' | 'delete';

export interface ParameterSpec {
  name: string;
  in: 'query' | 'path' | 'header';
  required: boolean;
  schema: JsonSchema;
  style?: string;
}

export interface OperationSpec {
  operationId: string;
  method: HttpMethod;
  /** The contract's path template, such as `/v1/collection_cases/{id}`. */
  path: string;
  tags: string[];
  parameters: ParameterSpec[];
  /** Media type → JSON pointer of the request body schema. */
  requestBody?: { required: boolean; content: Record<string, string> };
  /** Status key as written in the contract (`200`, `404`, `5XX`) → JSON pointer of the JSON schema, or null for non-JSON bodies. */
  responses: Record<string, string | null>;
}

export interface Contract {
  document: Record<string, any>;
  operations: OperationSpec[];
  operationsById: Map<string, OperationSpec>;
  ajv: Ajv2020;
  /** The node a JSON pointer names, following `$ref`s (for reading a schema, not validating with it). */
  resolve(pointer: string): any;
  /** Compiled (and cached) validator for a JSON pointer into the contract, such as `#/components/schemas/CollectionCase`. */
  validator(pointer: string): ValidateFunction;
  /** The compiled validator for a named component schema. */
  schema(name: string): ValidateFunction;
  /** The validator for an operation's response with the given status, or undefined when the status is not declared. */
  responseValidator(operationId: string, status: number): ValidateFunction | null | undefined;
  /** The declared status keys of an operation that match a status (`404` or `4XX`). */
  declaredStatus(operationId: string, status: number): string | undefined;
  /** Validator of the `webhooks` payload for an event type. */
  webhookValidator(eventType: string): ValidateFunction | undefined;
  /** The operation a method and concrete path (no query) belong to; literal segments win over parameters. */
  match(method: string, path: string): OperationSpec | undefined;
  /**
   * The same contract with every response object closed (unknown fields rejected), compiled on first
   * use. The contract leaves responses open (new fields are a compatible change); the mock holds its
   * own responses to the closed view, and the conformance suite uses it to find unknown fields to warn about.
   */
  closed(): Contract;
}

export interface LoadOptions {
  /** Report every error instead of the first (the suite lists every unknown field). */
  allErrors?: boolean;
}

/**
 * A copy of the document in which every object schema that declares `properties` and says nothing
 * about `additionalProperties` rejects unknown fields. Inline `allOf` members (the webhook payloads'
 * overlays on Event) are left open: closing one would reject the fields the other members declare.
 * @example closeResponseSchemas(doc).components.schemas.Event.additionalProperties // false
 */
export function closeResponseSchemas(document: Record<string, any>): Record<string, any> {
  const copy = structuredClone(document);
  // An extension (`allOf: [{$ref: Case}, {properties: {clientId…}}]`) whose members add disjoint
  // properties becomes one object first, so closing the referenced component does not reject the
  // extension's own fields. Overlays that redefine a member's properties (events) are left as they are.
  const merge = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(merge);
    if (!node || typeof node !== 'object') return;
    const schema = node as Record<string, any>;
    for (const [key, value] of Object.entries(schema)) if (key !== 'example' && key !== 'examples') merge(value);
    if (!Array.isArray(schema.allOf) || schema.properties) return;
    const members = schema.allOf.map((m: any) => (typeof m?.$ref === 'string' ? resolvePointer(copy, m.$ref) : m));
    if (!members.every((m: any) => m && typeof m === 'object' && m.properties && !m.allOf && !m.anyOf && !m.oneOf))
      return;
    const names = members.flatMap((m: any) => Object.keys(m.properties));
    if (new Set(names).size !== names.length) return;
    schema.type = 'object';
    schema.properties = Object.assign({}, ...members.map((m: any) => m.properties));
    schema.required = [...new Set(members.flatMap((m: any) => m.required ?? []))];
    delete schema.allOf;
  };
  merge(copy);
  const visit = (node: unknown, overlay: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, overlay));
    if (!node || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    if (
      !overlay &&
      schema.properties &&
      typeof schema.properties === 'object' &&
      !('additionalProperties' in schema) &&
      !('unevaluatedProperties' in schema)
    ) {
      schema.additionalProperties = false;
    }
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'example' || key === 'examples') continue;
      if (key === 'allOf' && Array.isArray(value))
        value.forEach((member) =>
          visit(member, overlay || !(member && typeof member === 'object' && '$ref' in member)),
        );
      else visit(value, overlay);
    }
  };
  visit(copy, false);
  return copy;
}

/** Finds generated/<name> (default casapay.json) from source (mocks/) and from the build (dist/mocks/). */
export function bundledContractPath(name = 'casapay.json'): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'generated', name);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`generated/${name} not found: run \`npm run generate\`.`);
}

/** Loads a bundled contract of generated/ by file name (`debitura-customer.json`). */
export const loadBundledContract = (name: string, options: LoadOptions = {}): Contract =>
  loadContract(JSON.parse(readFileSync(bundledContractPath(name), 'utf8')), options);

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function resolvePointer(document: Record<string, any>, pointer: string): any {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node, key) => node?.[key], document);
}

function deref(document: Record<string, any>, node: any): any {
  let current = node;
  while (current && typeof current.$ref === 'string') current = resolvePointer(document, current.$ref);
  return current;
}

/** Schema pointer for a media type object, following a top-level $ref so errors name the component. */
function schemaPointer(document: Record<string, any>, mediaPointer: string): string {
  const media = resolvePointer(document, mediaPointer);
  const ref = media?.schema?.$ref;
  return typeof ref === 'string' ? ref : `${mediaPointer}/schema`;
}

function readOperations(document: Record<string, any>): OperationSpec[] {
  const operations: OperationSpec[] = [];
  for (const [template, item] of Object.entries<any>(document.paths ?? {})) {
    for (const method of ['get', 'post', 'delete'] as const) {
      const op = item[method];
      if (!op) continue;
      const opPointer = `#/paths/${escapePointer(template)}/${method}`;
      const parameters: ParameterSpec[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: any) => {
        const param = deref(document, p);
        return {
          name: param.name,
          in: param.in,
          required: Boolean(param.required),
          schema: param.schema,
          style: param.style,
        };
      });
      let requestBody: OperationSpec['requestBody'];
      if (op.requestBody) {
        const body = deref(document, op.requestBody);
        const content: Record<string, string> = {};
        for (const mediaType of Object.keys(body.content ?? {})) {
          const mediaPointer = op.requestBody.$ref
            ? `${op.requestBody.$ref}/content/${escapePointer(mediaType)}`
            : `${opPointer}/requestBody/content/${escapePointer(mediaType)}`;
          content[mediaType] = schemaPointer(document, mediaPointer);
        }
        requestBody = { required: Boolean(body.required), content };
      }
      const responses: Record<string, string | null> = {};
      for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
        const base = response.$ref ?? `${opPointer}/responses/${status}`;
        const resolved = deref(document, response);
        responses[status] = resolved?.content?.['application/json']
          ? schemaPointer(document, `${base}/content/application~1json`)
          : null;
      }
      operations.push({
        operationId: op.operationId,
        method,
        path: template,
        tags: op.tags ?? [],
        parameters,
        requestBody,
        responses,
      });
    }
  }
  return operations;
}

/** Builds an ajv instance that knows the whole contract (query validation adds type coercion and defaults). */
export function createContractAjv(
  document: Record<string, any>,
  extra: { coerceTypes?: 'array'; useDefaults?: boolean; allErrors?: boolean } = {},
): Ajv2020 {
  // strict: false because the contract carries OpenAPI annotations (example) that are not JSON Schema keywords.
  // meta: false — the contract is linted, not re-validated at start; skipping the meta-schema saves ~40 ms.
  // verbose: errors carry their schema, so a pattern's x-pattern-message can say what is allowed (pipeline.ts).
  const ajv = new Ajv2020({
    strict: false,
    allErrors: false,
    validateSchema: false,
    meta: false,
    logger: false,
    verbose: true,
    ...extra,
  });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: CONTRACT_ID });
  return ajv;
}

/** Loads the contract from a bundled document (default: generated/casapay.json). */
export function loadContract(
  document: Record<string, any> = JSON.parse(readFileSync(bundledContractPath(), 'utf8')),
  options: LoadOptions = {},
): Contract {
  // Created on the first validator asked for: adding the whole document to ajv walks every schema
  // (~20 ms), which a mock's start-up and its first GET need not wait for.
  let ajv: Ajv2020 | undefined;
  const contractAjv = () => (ajv ??= createContractAjv(document, options.allErrors ? { allErrors: true } : {}));
  let closed: Contract | undefined;
  const cache = new Map<string, ValidateFunction>();
  const validator = (pointer: string) => {
    let fn = cache.get(pointer);
    if (!fn) {
      fn = contractAjv().compile({ $ref: `${CONTRACT_ID}${pointer}` });
      cache.set(pointer, fn);
    }
    return fn;
  };
  const operations = readOperations(document);
  const operationsById = new Map(operations.map((op) => [op.operationId, op]));
  const declaredStatus = (operationId: string, status: number) => {
    const op = operationsById.get(operationId);
    if (!op) return undefined;
    const exact = String(status);
    if (exact in op.responses) return exact;
    const range = `${exact[0]}XX`;
    if (range in op.responses) return range;
    return 'default' in op.responses ? 'default' : undefined;
  };
  // Fewer parameters first, so `/v1/collection_cases/ref/{reference}` wins over `/v1/collection_cases/{id}`.
  const matchers = operations
    .map((op) => ({
      op,
      regex: new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/:]+')}$`),
      params: (op.path.match(/\{/g) ?? []).length,
    }))
    .sort((a, b) => a.params - b.params);
  return {
    document,
    operations,
    operationsById,
    resolve: (pointer) => deref(document, resolvePointer(document, pointer)),
    match: (method, path) => matchers.find((m) => m.op.method === method.toLowerCase() && m.regex.test(path))?.op,
    get ajv() {
      return contractAjv();
    },
    validator,
    schema: (name) => validator(`#/components/schemas/${name}`),
    declaredStatus,
    responseValidator(operationId, status) {
      const key = declaredStatus(operationId, status);
      if (key === undefined) return undefined;
      const pointer = operationsById.get(operationId)!.responses[key];
      return pointer ? validator(pointer) : null;
    },
    closed: () => (closed ??= loadContract(closeResponseSchemas(document), options)),
    webhookValidator(eventType) {
      const hook = document.webhooks?.[eventType];
      if (!hook) return undefined;
      return validator(`#/webhooks/${escapePointer(eventType)}/post/requestBody/content/application~1json/schema`);
    },
  };
}

/**
 * Turns an ajv error path into the Stripe-style bracket name of the parameter, such as `debtor[country]`.
 * @example paramName({ instancePath: '/debtor', keyword: 'required', params: { missingProperty: 'country' } }) // 'debtor[country]'
 */
export function paramName(error: Pick<ErrorObject, 'instancePath' | 'keyword' | 'params'>, prefix = ''): string | null {
  const parts = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') parts.push(String((error.params as { missingProperty: string }).missingProperty));
  if (error.keyword === 'additionalProperties')
    parts.push(String((error.params as { additionalProperty: string }).additionalProperty));
  if (prefix) parts.unshift(prefix);
  if (parts.length === 0) return null;
  const [head, ...rest] = parts;
  return head + rest.map((p) => `[${p}]`).join('');
}

/** A copy of a schema taken out of the contract whose `#/…` references point back into the contract. */
export function anchoredSchema<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema), (key, value) =>
    key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `${CONTRACT_ID}${value}` : value,
  );
}

/** Formats ajv errors as one readable line for test failures and reports. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map(
      (e) =>
        `${e.instancePath || '(root)'} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? `: ${String((e.params as any).additionalProperty)}` : ''}`,
    )
    .join('; ');
}

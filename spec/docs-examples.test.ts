// Every example of the documentation pages kept in spec/docs-examples/ must hold against the contract:
// each request (curl or raw HTTP) routes to the operation the table names and its JSON body is valid
// for that operation; each response validates against the operation's response for its status; each
// object against its schema. The table names every example; one it does not name fails the test, so
// an example added to the fixtures cannot slip through unchecked. A response the page prints elided
// (`...` for the fields it leaves out) is checked against its schema without the top-level `required`.
import { describe, expect, it } from 'vitest';
import { anchoredSchema, describeErrors, type Contract } from '../kit/contract.js';
import { readDocsExamples, type DocsExample } from './support/docs-examples.js';
import { casapay, debituraCustomer, debituraReferral } from './support/load-spec.js';

type Target =
  | { contract: Contract; operation: string }
  | { contract: Contract; response: string; status: number }
  | { contract: Contract; schema: string };

const table: Record<string, Target> = {
  'casapay-debt-collection-quickstart#preview a case': { contract: casapay, operation: 'createCasePreview' },
  'casapay-debt-collection-quickstart#preview response': {
    contract: casapay,
    response: 'createCasePreview',
    status: 200,
  },
  'casapay-debt-collection-quickstart#submit a case': { contract: casapay, operation: 'createCollectionCase' },
  'casapay-debt-collection-quickstart#create case response': {
    contract: casapay,
    response: 'createCollectionCase',
    status: 201,
  },
  'casapay-debt-collection-quickstart#upload a document': { contract: casapay, operation: 'uploadCaseFile' },
  'casapay-debt-collection-quickstart#get the case timeline': {
    contract: casapay,
    operation: 'retrieveCollectionCaseTimeline',
  },
  'casapay-debt-collection-quickstart#timeline response': {
    contract: casapay,
    response: 'retrieveCollectionCaseTimeline',
    status: 200,
  },
  'casapay-collection-cases#the collection case object': { contract: casapay, schema: 'CollectionCase' },
  'casapay-collection-cases#create a case': { contract: casapay, operation: 'createCollectionCase' },
  'casapay-collection-cases#create case response': { contract: casapay, response: 'createCollectionCase', status: 201 },
  'casapay-collection-cases#retrieve a case': { contract: casapay, operation: 'retrieveCollectionCase' },
  'casapay-collection-cases#retrieve a case by reference': {
    contract: casapay,
    operation: 'retrieveCollectionCaseByReference',
  },
  'casapay-collection-cases#list active cases': { contract: casapay, operation: 'listCollectionCases' },
  'casapay-collection-cases#upload a file': { contract: casapay, operation: 'uploadCaseFile' },
  'casapay-case-previews#the case preview object': { contract: casapay, schema: 'CasePreview' },
  'casapay-case-previews#create a preview': { contract: casapay, operation: 'createCasePreview' },
  'casapay-case-previews#ineligible preview response': {
    contract: casapay,
    response: 'createCasePreview',
    status: 200,
  },
  'casapay-guarantee-quickstart#create a guarantee policy': { contract: casapay, operation: 'createGuaranteePolicy' },
  'casapay-guarantee-quickstart#create a guarantee': { contract: casapay, operation: 'createGuarantee' },
  'casapay-guarantee-quickstart#create guarantee response': {
    contract: casapay,
    response: 'createGuarantee',
    status: 201,
  },
  'casapay-guarantee-quickstart#file a claim': { contract: casapay, operation: 'createClaim' },
  'casapay-guarantee-quickstart#file claim response': { contract: casapay, response: 'createClaim', status: 201 },
  'debitura-case-submission#mint a token': { contract: debituraReferral, operation: 'mintToken' },
  'debitura-case-submission#mint token response': { contract: debituraReferral, response: 'mintToken', status: 200 },
  'debitura-case-submission#submit a case': { contract: debituraCustomer, operation: 'createCase' },
  'debitura-case-submission#pending signing response': {
    contract: debituraCustomer,
    response: 'createCase',
    status: 200,
  },
  'debitura-case-submission#upload a file to a case': {
    contract: debituraReferral,
    operation: 'uploadPartnerCaseFile',
  },
};

const examples = readDocsExamples();

function requestOf(example: Extract<DocsExample, { kind: 'curl' | 'http' }>) {
  const { method, url, headers, body } = example.request;
  const form = example.kind === 'curl' ? example.request.form : undefined;
  const contentType = form ? 'multipart/form-data' : (headers['content-type'] ?? '').split(';')[0]!.trim();
  // A form's fields as the multipart schema sees them; `@file` parts stand for the file's bytes.
  const fields =
    form &&
    Object.fromEntries(
      form.map(([name, value]) => [name, value.startsWith('@') ? `(binary: ${value.slice(1)})` : value]),
    );
  return {
    method,
    url: new URL(url),
    contentType,
    body: fields ?? (body !== undefined && contentType.endsWith('json') ? JSON.parse(body) : undefined),
  };
}

/** The schema pointer of an operation's JSON response for a status. */
function responsePointer(contract: Contract, operationId: string, status: number): string {
  const pointer = contract.operationsById.get(operationId)!.responses[contract.declaredStatus(operationId, status)!];
  if (!pointer) throw new Error(`${operationId} declares no JSON ${status} response`);
  return pointer;
}

/** A validator for an elided example: the schema at the pointer with its top-level `required` dropped, nested schemas intact. */
function elidedValidator(contract: Contract, pointer: string) {
  const target = pointer
    .replace(/^#\//, '')
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<any>((node, key) => node?.[key], contract.document);
  const { required: _dropped, ...rest } = target as Record<string, unknown>;
  return contract.ajv.compile(anchoredSchema(rest));
}

describe('documentation examples', () => {
  it('the table names every example, and every name in the table is an example', () => {
    expect(examples.map((e) => e.key).sort()).toEqual(Object.keys(table).sort());
  });

  it('keys are unique', () => {
    const keys = examples.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(examples.map((e) => [`${e.key} (${e.kind})`, e] as const))('%s', (_name, example) => {
    const target = table[example.key];
    if (!target) throw new Error(`${example.key} (${example.page}) is not in the table`);
    if (example.kind === 'curl' || example.kind === 'http') {
      if (!('operation' in target)) throw new Error(`${example.key} is a request; the table must name its operation`);
      const request = requestOf(example);
      const op = target.contract.match(request.method, request.url.pathname);
      expect(op?.operationId, `${request.method} ${request.url.pathname} should route to ${target.operation}`).toBe(
        target.operation,
      );
      const pointer = op!.requestBody?.content[request.contentType];
      if (op!.requestBody) expect(pointer, `${target.operation} should accept ${request.contentType}`).toBeDefined();
      if (request.body !== undefined) {
        const validate = target.contract.validator(pointer!);
        expect(validate(request.body), `${example.key}: ${describeErrors(validate.errors)}`).toBe(true);
      }
      return;
    }
    if ('operation' in target)
      throw new Error(`${example.key} is a ${example.kind}; the table must name a response or a schema`);
    let validate;
    if ('schema' in target) validate = target.contract.schema(target.schema);
    else {
      validate = target.contract.responseValidator(target.response, target.status);
      if (!validate) throw new Error(`${target.response} declares no JSON ${target.status} response`);
    }
    if (example.elided)
      validate = elidedValidator(
        target.contract,
        'schema' in target
          ? `#/components/schemas/${target.schema}`
          : responsePointer(target.contract, target.response, target.status),
      );
    expect(validate(example.value), `${example.key}: ${describeErrors(validate.errors)}`).toBe(true);
  });
});

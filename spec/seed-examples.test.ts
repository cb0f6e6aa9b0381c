// Every JSON example in ../shared/seeds must validate against the schema it illustrates: request
// bodies against the operation's request schema, responses against its success response, object
// examples against the object's schema. The table names what each block is; a block the table
// does not name fails the test, so a new example in the seeds cannot slip through unchecked.
import { describe, expect, it } from 'vitest';
import { describeErrors, type Contract } from '../mocks/contract.js';
import { readSeedBlocks } from './support/seed-examples.js';
import { casapay, debituraCustomer, debituraReferral, seedDir } from './support/load-spec.js';

type Target =
  | { contract: Contract; request: string }
  | { contract: Contract; response: string; status: number }
  | { contract: Contract; schema: string }
  | { code: string };

const table: Record<string, Record<number, [string, Target]>> = {
  '000': {
    0: ['quickstart: preview request', { contract: casapay, request: 'createCasePreview' }],
    1: ['quickstart: preview response', { contract: casapay, response: 'createCasePreview', status: 200 }],
    2: ['quickstart: create case request', { contract: casapay, request: 'createCollectionCase' }],
    3: ['quickstart: create case response', { contract: casapay, response: 'createCollectionCase', status: 201 }],
    4: ['quickstart: Express webhook handler', { code: 'JavaScript, not JSON' }],
    5: ['quickstart: timeline response', { contract: casapay, response: 'retrieveCollectionCaseTimeline', status: 200 }],
  },
  '001': {
    0: ['collection case object', { contract: casapay, schema: 'CollectionCase' }],
    1: ['create case request', { contract: casapay, request: 'createCollectionCase' }],
    2: ['create case response', { contract: casapay, response: 'createCollectionCase', status: 201 }],
  },
  '002': {
    0: ['case preview object', { contract: casapay, schema: 'CasePreview' }],
    1: ['create preview request', { contract: casapay, request: 'createCasePreview' }],
    2: ['ineligible preview response', { contract: casapay, response: 'createCasePreview', status: 200 }],
  },
  '003': {
    0: ['Debitura: mint token request', { contract: debituraReferral, request: 'mintToken' }],
    1: ['Debitura: mint token response', { contract: debituraReferral, response: 'mintToken', status: 200 }],
    2: ['Debitura: submit case request', { contract: debituraCustomer, request: 'createCase' }],
    3: ['Debitura: pending signing response (elided with ...)', { contract: debituraCustomer, response: 'createCase', status: 201 }],
    4: ['Debitura: {caseId} in a path', { code: 'path template in prose' }],
    5: ['Debitura: {caseId} in a URL', { code: 'path template in prose' }],
    6: ['Debitura: { id, fileName, dateCreated } in prose', { code: 'field list in prose' }],
    7: ['Debitura: {externalTenantId} in a path', { code: 'path template in prose' }],
    8: ['Debitura: {id} in a path', { code: 'path template in prose' }],
  },
  '004': {
    0: ['guarantee quickstart: create policy request', { contract: casapay, request: 'createGuaranteePolicy' }],
    1: ['guarantee quickstart: create guarantee request', { contract: casapay, request: 'createGuarantee' }],
    2: ['guarantee quickstart: create guarantee response', { contract: casapay, response: 'createGuarantee', status: 201 }],
    3: ['guarantee quickstart: file claim request', { contract: casapay, request: 'createClaim' }],
    4: ['guarantee quickstart: file claim response', { contract: casapay, response: 'createClaim', status: 201 }],
  },
};

function validatorFor(target: Exclude<Target, { code: string }>) {
  const { contract } = target;
  if ('schema' in target) return contract.schema(target.schema);
  if ('response' in target) {
    const fn = contract.responseValidator(target.response, target.status);
    if (!fn) throw new Error(`${target.response} declares no JSON ${target.status} response`);
    return fn;
  }
  const op = contract.operationsById.get(target.request);
  const pointer = op?.requestBody?.content['application/json'];
  if (!pointer) throw new Error(`${target.request} has no JSON request body`);
  return contract.validator(pointer);
}

const blocks = readSeedBlocks(seedDir);

describe('seed examples', () => {
  it('the table names every block in the seeds', () => {
    const found = blocks.map((b) => `${b.file.slice(0, 3)}#${b.index}`);
    const named = Object.entries(table).flatMap(([file, rows]) => Object.keys(rows).map((i) => `${file}#${i}`));
    expect(found.sort()).toEqual(named.sort());
  });

  it.each(blocks.map((b) => [`${b.file.slice(0, 3)}#${b.index} ${table[b.file.slice(0, 3)]?.[b.index]?.[0] ?? '?'}`, b] as const))(
    '%s',
    (_name, block) => {
      const target = table[block.file.slice(0, 3)]?.[block.index]?.[1];
      if (!target) throw new Error(`${block.file} block ${block.index} (line ${block.line}) is not in the table`);
      if ('code' in target) {
        expect(block.kind, `${block.file}:${block.line} was expected not to be JSON`).toBe('code');
        return;
      }
      expect(block.kind, `${block.file}:${block.line} should parse as JSON`).not.toBe('code');
      const validate = validatorFor(target);
      const ok = validate(block.value);
      expect(ok, `${block.file}:${block.line}: ${describeErrors(validate.errors)}`).toBe(true);
    },
  );
});

// Every example written inside the contract validates against the schema it sits beside: schema
// examples, media-type examples (requests, responses, webhooks) and parameter examples — in CasaPay's
// contract and in both Debitura contracts.
import { describe, expect, it } from 'vitest';
import { describeErrors, type Contract } from '../kit/contract.js';
import { casapay, debituraCustomer, debituraReferral } from './support/load-spec.js';

interface Case {
  where: string;
  pointer: string;
  value: unknown;
}

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function collect(contract: Contract): Case[] {
  const doc = contract.document;
  const cases: Case[] = [];
  for (const [name, schema] of Object.entries<any>(doc.components.schemas)) {
    if ('example' in schema)
      cases.push({ where: `schema ${name}`, pointer: `#/components/schemas/${name}`, value: schema.example });
  }
  const media = (base: string, content: Record<string, any>, where: string) => {
    for (const [type, m] of Object.entries<any>(content ?? {})) {
      if (!m.schema) continue;
      const pointer = m.schema.$ref ?? `${base}/content/${esc(type)}/schema`;
      if ('example' in m) cases.push({ where: `${where} ${type} example`, pointer, value: m.example });
      for (const [key, ex] of Object.entries<any>(m.examples ?? {})) {
        if (type === 'multipart/form-data') continue; // binary parts are shown as placeholders
        cases.push({ where: `${where} ${type} examples.${key}`, pointer, value: ex.value });
      }
    }
  };
  for (const [name, res] of Object.entries<any>(doc.components.responses ?? {}))
    media(`#/components/responses/${name}`, res.content, `response ${name}`);
  for (const [name, param] of Object.entries<any>(doc.components.parameters ?? {})) {
    cases.push({ where: `parameter ${name}`, pointer: `#/components/parameters/${name}/schema`, value: param.example });
  }
  const walk = (root: string, items: Record<string, any>) => {
    for (const [p, item] of Object.entries<any>(items ?? {})) {
      for (const [method, op] of Object.entries<any>(item)) {
        const base = `#/${root}/${esc(p)}/${method}`;
        if (op.requestBody?.content) media(`${base}/requestBody`, op.requestBody.content, `${op.operationId} request`);
        for (const [status, res] of Object.entries<any>(op.responses ?? {})) {
          if (!res.$ref && res.content)
            media(`${base}/responses/${status}`, res.content, `${op.operationId} ${status}`);
        }
        (op.parameters ?? []).forEach((param: any, i: number) => {
          if (param.$ref) return;
          const pointer = `${base}/parameters/${i}/schema`;
          if ('example' in param)
            cases.push({ where: `${op.operationId} parameter ${param.name}`, pointer, value: param.example });
          for (const [key, ex] of Object.entries<any>(param.examples ?? {}))
            cases.push({
              where: `${op.operationId} parameter ${param.name} examples.${key}`,
              pointer,
              value: ex.value,
            });
        });
      }
    }
  };
  walk('paths', doc.paths);
  walk('webhooks', doc.webhooks);
  return cases;
}

const contracts: [name: string, contract: Contract, atLeast: number][] = [
  ['casapay', casapay, 150],
  ['debitura-customer', debituraCustomer, 60],
  ['debitura-referral', debituraReferral, 40],
];

describe.each(contracts)('contract examples: %s', (_name, contract, atLeast) => {
  const cases = collect(contract);
  it('finds examples for every operation and webhook', () => {
    expect(cases.length).toBeGreaterThan(atLeast);
  });
  it.each(cases.map((c) => [c.where, c] as const))('%s', (_where, c) => {
    const validate = contract.validator(c.pointer);
    expect(validate(c.value), describeErrors(validate.errors)).toBe(true);
  });
});

describe.each(contracts.slice(1))('every operation of %s', (_name, contract) => {
  it.each(contract.operations.map((op) => [op.operationId, op] as const))(
    '%s has a description, examples and a 401',
    (_id, op) => {
      const raw = contract.document.paths[op.path][op.method];
      expect(raw.description?.length).toBeGreaterThan(10);
      expect(op.responses).toHaveProperty('401');
      if (op.path.includes('{')) expect(op.responses).toHaveProperty('404');
      const success = Object.keys(raw.responses).filter((s) => s.startsWith('2'));
      for (const status of success) {
        const content = raw.responses[status].$ref
          ? resolve(contract, raw.responses[status].$ref).content
          : raw.responses[status].content;
        if (status === '204') continue;
        const media = content['application/json'];
        expect(media.examples ?? media.example, `a ${status} example`).toBeDefined();
      }
      if (raw.requestBody) {
        const body = Object.values<any>(raw.requestBody.content)[0];
        expect(body.examples ?? body.example, 'a request example').toBeDefined();
      }
    },
  );
});

function resolve(contract: Contract, ref: string): any {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<any>((node, key) => node?.[key], contract.document);
}

describe('every operation', () => {
  const ops = casapay.operations;
  it.each(ops.map((op) => [op.operationId, op] as const))(
    '%s declares its errors, examples and idempotency',
    (_id, op) => {
      const raw = casapay.document.paths[op.path][op.method];
      expect(raw.description?.length).toBeGreaterThan(10);
      for (const status of ['400', '401', '429', '500', '503']) expect(op.responses).toHaveProperty(status);
      if (op.path.includes('{')) expect(op.responses).toHaveProperty('404');
      if (op.method === 'post') {
        for (const status of ['409', '413', '415']) expect(op.responses).toHaveProperty(status);
        expect(op.parameters.map((p) => p.name)).toContain('Idempotency-Key');
      }
      const success = Object.keys(raw.responses).filter((s) => s.startsWith('2'));
      expect(success.length).toBe(1);
      const content = raw.responses[success[0]!].content;
      const examples = Object.values<any>(content)[0];
      expect(examples.examples ?? examples.example, 'a success example').toBeDefined();
      if (raw.requestBody) {
        const body = Object.values<any>(raw.requestBody.content)[0];
        expect(body.examples ?? body.example, 'a request example').toBeDefined();
      }
    },
  );
});

// The rules the contracts state outside JSON Schema (`x-rules`, from spec/rules/): well formed, each held
// by some operation, documented, cited correctly by the mock; and the guard that makes every refusal of
// the mock answer to its contract — under --validate-responses (on in every test's mock, see
// mocks/test-support.ts) a refusal stated neither by the schema nor by an x-rule is a 500 naming it, so
// any test that provokes one fails.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledContract, loadContract } from '../kit/contract.js';
import { readContractRules } from '../kit/contract-rules.js';
import { startMock, type TestMock } from '../mocks/test-support.js';
import { CONTRACTS_WITH_RULES, renderDoc } from '../scripts/contract-rules-doc.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('the x-rules catalogues', () => {
  it.each(CONTRACTS_WITH_RULES)(
    '%s: every rule has a sentence and refusals, and every one holds somewhere',
    (_title, file) => {
      const { document } = loadBundledContract(file);
      const rules = readContractRules(document);
      expect(rules.catalogue.size).toBeGreaterThan(5);
      const held = new Set<string>();
      for (const item of Object.values<any>(document.paths))
        for (const operation of Object.values<any>(item)) for (const id of operation?.['x-rules'] ?? []) held.add(id);
      for (const rule of rules.catalogue.values())
        expect(rule.scope === 'every-operation' || held.has(rule.id), `${rule.id} holds for no operation`).toBe(true);
    },
  );

  it('docs/contract-rules.md is what `npm run rules` writes', () => {
    expect(readFileSync(path.join(root, 'docs/contract-rules.md'), 'utf8')).toBe(renderDoc());
  });

  it('every rule the mock cites by id is stated by a contract', () => {
    const stated = new Set(
      CONTRACTS_WITH_RULES.flatMap(([, file]) => [
        ...readContractRules(loadBundledContract(file).document).catalogue.keys(),
      ]),
    );
    const cited: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name.endsWith('.ts') && !name.endsWith('.test.ts'))
          for (const match of readFileSync(full, 'utf8').matchAll(/\.cites\('([^']+)'\)/g)) cited.push(match[1]!);
      }
    };
    walk(path.join(root, 'mocks'));
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter((id) => !stated.has(id))).toEqual([]);
  });

  it('an operation naming a rule the catalogue lacks is a broken contract', () => {
    const { document } = loadBundledContract('casapay.json');
    const broken = structuredClone(document);
    delete broken['x-rules']['events-type-or-types'];
    expect(() => readContractRules(broken)).toThrow(/events-type-or-types/);
  });
});

describe('the mock answers every refusal to its contract', () => {
  const KEY = 'sk_test_contract_rules';
  let mock: TestMock;
  let withoutRule: TestMock;
  beforeAll(async () => {
    mock = await startMock();
    // The same contract, but listEvents no longer states that `type` and `types` exclude each other.
    const document = structuredClone(loadContract().document);
    document.paths['/v1/events'].get['x-rules'] = document.paths['/v1/events'].get['x-rules'].filter(
      (id: string) => id !== 'events-type-or-types',
    );
    withoutRule = await startMock({ contract: loadContract(document) });
  });
  afterAll(async () => {
    await mock.close();
    await withoutRule.close();
  });

  const journaledRule = async (target: TestMock) => {
    const response = await fetch(`${target.url}/__admin/journal?account=${KEY}&limit=1`);
    const { data } = (await response.json()) as { data: Array<{ rule?: string | null }> };
    return data[0]?.rule;
  };

  it('a refusal an x-rule states is answered, and the journal names the rule', async () => {
    const refused = await mock.call('GET', '/v1/events?type=claim.paid&types[]=claim.approved', { key: KEY });
    expect([refused.status, refused.body.error.code]).toEqual([400, 'parameters_exclusive']);
    expect(await journaledRule(mock)).toBe('events-type-or-types');
  });

  it("a refusal the schema states is the schema's, by keyword", async () => {
    const refused = await mock.call('POST', '/v1/collection_case_previews', { key: KEY, body: {} });
    expect([refused.status, refused.body.error.code]).toEqual([400, 'parameter_missing']);
    expect(await journaledRule(mock)).toBe('schema:required');
  });

  it('a refusal the contract does not state is the mock’s fault: a 500 naming it under --validate-responses', async () => {
    const refused = await withoutRule.call('GET', '/v1/events?type=claim.paid&types[]=claim.approved', {
      key: KEY,
      unchecked: true,
    });
    expect(refused.status).toBe(500);
    expect(refused.body.error.message).toMatch(
      /400 parameters_exclusive \(types\) is stated neither by its schema nor by an x-rules entry of listEvents/,
    );
    expect(await journaledRule(withoutRule)).toBeNull();
  });
});

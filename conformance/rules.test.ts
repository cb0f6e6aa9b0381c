// The rules inventory stays whole: RULES.md is current, every check is named by a rule (so no check
// tests something the inventory does not promise), and every rule names checks that exist.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadBundledContract } from '../kit/contract.js';
import { readContractRules } from '../kit/contract-rules.js';
import { RULES, renderRulesMarkdown, rulesFor } from './rules.js';
import { RECEIVER_CHECKS } from './receiver/checks.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const checkFiles = readdirSync(path.join(here, 'checks'), { recursive: true, encoding: 'utf8' }).filter((f) =>
  f.endsWith('.check.ts'),
);
/** Every check title, from `it('…'` / `it.each(…)('…'` / template titles (their static text). */
const titles = checkFiles
  .flatMap((f) => {
    const source = readFileSync(path.join(here, 'checks', f), 'utf8');
    return [
      ...source.matchAll(
        /\bit(?:\.concurrent)?(?:\.each\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))?\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g,
      ),
    ].map((m) => m[2]!.replace(/\\'/g, "'"));
  })
  .concat(RECEIVER_CHECKS.map((c) => c.title)); // the receiver kit's checks (`casapay-conformance receiver`)

describe('the rules inventory', () => {
  it('RULES.md is current (npm run rules)', () => {
    expect(readFileSync(path.join(here, 'RULES.md'), 'utf8')).toBe(renderRulesMarkdown());
  });

  it('finds the checks', () => {
    expect(titles.length).toBeGreaterThan(80);
  });

  it.each(titles)('check "%s" is named by a rule', (title) => {
    const named = RULES.some((r) =>
      r.checks.some((c) => c !== '*' && (title.includes(c) || title.replace(/\$\{[^}]+\}/g, '').includes(c))),
    );
    expect(named, `no rule in conformance/rules.ts names the check "${title}"`).toBe(true);
  });

  it.each(
    RULES.filter((r) => !r.notChecked).flatMap((r) => r.checks.filter((c) => c !== '*').map((c) => [r.id, c] as const)),
  )('rule %s names an existing check ("%s…")', (_id, words) => {
    expect(
      titles.some((t) => t.includes(words)),
      `no check title contains "${words}"`,
    ).toBe(true);
  });

  it('cites only x-rules the contracts state (docs/contract-rules.md)', () => {
    const stated = new Set(
      ['casapay.json', 'debitura-customer.json', 'debitura-referral.json'].flatMap((file) => [
        ...readContractRules(loadBundledContract(file).document).catalogue.keys(),
      ]),
    );
    const cited = RULES.flatMap((r) => (r.contractRules ?? []).map((id) => `${r.id} → ${id}`));
    expect(cited.length).toBeGreaterThan(20);
    expect(cited.filter((c) => !stated.has(c.split(' → ')[1]!))).toEqual([]);
  });

  it('a rule is either checked or says why not', () => {
    for (const r of RULES) expect(r.checks.length > 0 || Boolean(r.notChecked), r.id).toBe(true);
    expect(new Set(RULES.map((r) => r.id)).size, 'rule ids are unique').toBe(RULES.length);
  });

  it('each receiver check names its own rule', () => {
    for (const check of RECEIVER_CHECKS)
      expect(
        rulesFor({ check: check.title, rule: check.rule }).map((r) => r.id),
        check.title,
      ).toEqual([check.rule]);
  });

  it('maps a failure to its rule: by contract rule, else by check', () => {
    expect(rulesFor({ check: 'x', rule: 'error-envelope' }).map((r) => r.id)).toEqual(['error-envelope']);
    expect(
      rulesFor({
        check: '[pagination] collection case lists > boundaries: a page exactly full has …',
        rule: 'has_more with limit=27',
      }).map((r) => r.id),
    ).toEqual(['list.boundaries']);
  });
});

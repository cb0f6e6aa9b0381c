// `npm run rules` (with the suite's own): writes docs/contract-rules.md from the contracts' x-rules.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBundledContract } from '../kit/contract.js';
import { renderContractRulesMarkdown } from '../kit/contract-rules.js';

export const CONTRACTS_WITH_RULES = [
  ['CasaPay', 'casapay.json'],
  ['Debitura Customer API', 'debitura-customer.json'],
  ['Debitura Referral Partner API', 'debitura-referral.json'],
] as const;

export const renderDoc = () =>
  renderContractRulesMarkdown(
    CONTRACTS_WITH_RULES.map(
      ([title, file]) => [title, loadBundledContract(file).document] as [string, Record<string, any>],
    ),
  );

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'contract-rules.md');
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  writeFileSync(file, renderDoc());
  console.log(`Wrote ${path.relative(process.cwd(), file)}.`);
}

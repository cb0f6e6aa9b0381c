// Loads the contracts for tests: the bundled documents in generated/ (CasaPay's, and Debitura's
// Customer and Referral Partner APIs), as `npm run generate` writes them from spec/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadContract, type Contract } from '../../kit/contract.js';
import { repoRoot } from './repo-root.js';

export { repoRoot };

const bundled = (name: string) =>
  JSON.parse(readFileSync(path.join(repoRoot, 'generated', name), 'utf8')) as Record<string, any>;

export const casapay: Contract = loadContract();
export const debituraCustomer: Contract = loadContract(bundled('debitura-customer.json'));
export const debituraReferral: Contract = loadContract(bundled('debitura-referral.json'));

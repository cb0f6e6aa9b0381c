// Loads the contracts for tests: CasaPay's bundled document, and the single-file Debitura ones.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadContract, type Contract } from '../../mocks/contract.js';
import { repoRoot } from './repo-root.js';

export { repoRoot };

export const casapay: Contract = loadContract();
export const debituraCustomer: Contract = loadContract(parse(readFileSync(path.join(repoRoot, 'spec/debitura/customer-api.yaml'), 'utf8')));
export const debituraReferral: Contract = loadContract(parse(readFileSync(path.join(repoRoot, 'spec/debitura/referral-partner-api.yaml'), 'utf8')));

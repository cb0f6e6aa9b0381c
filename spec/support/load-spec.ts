// Loads the contracts for tests: CasaPay's bundled document, and the single-file Debitura ones.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadContract, type Contract } from '../../mocks/contract.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** ../shared sits beside the checkout (CI lays it there too). */
export const seedDir = path.resolve(repoRoot, '../shared/seeds');

export const casapay: Contract = loadContract();
export const debituraCustomer: Contract = loadContract(parse(readFileSync(path.join(repoRoot, 'spec/debitura/customer-api.yaml'), 'utf8')));
export const debituraReferral: Contract = loadContract(parse(readFileSync(path.join(repoRoot, 'spec/debitura/referral-partner-api.yaml'), 'utf8')));

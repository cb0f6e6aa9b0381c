#!/usr/bin/env node
// Lints every contract with Redocly's recommended rules and Spectral's `oas` ruleset and fails on
// any problem, warnings included (Redocly's CLI exits 0 on warnings, so its API is used here).
// Spectral reads the bundled contracts (generated/*.json), where shared parameters and responses are components.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { lint, loadConfig, formatProblems } from '@redocly/openapi-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const contracts = ['spec/casapay.yaml', 'spec/debitura/customer-api.yaml', 'spec/debitura/referral-partner-api.yaml'];

const config = await loadConfig({ configPath: path.join(root, 'redocly.yaml') });
let failed = false;
for (const ref of contracts) {
  const problems = await lint({ ref: path.join(root, ref), config });
  if (problems.length) {
    failed = true;
    formatProblems(problems, { format: 'codeframe', totals: { errors: 0, warnings: 0, ignored: 0 }, version: '' });
  }
  console.log(`redocly ${ref}: ${problems.length} problem(s)`);
}

const require = createRequire(import.meta.url);
const spectral = path.join(path.dirname(require.resolve('@stoplight/spectral-cli/package.json')), 'dist/index.js');
const targets = ['generated/casapay.json', 'generated/debitura-customer.json', 'generated/debitura-referral.json'];
const run = spawnSync(process.execPath, [spectral, 'lint', '--fail-severity=hint', '--ruleset', '.spectral.yaml', ...targets], { cwd: root, stdio: 'inherit' });
if (run.status !== 0) failed = true;

process.exit(failed ? 1 : 0);

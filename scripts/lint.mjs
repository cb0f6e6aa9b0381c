#!/usr/bin/env node
// `npm run lint`: three linters, each run even when an earlier one failed, then one line per linter saying
// whether it passed, so a failure names its tool. Prettier and ESLint cache what they found under
// node_modules/.cache/, so a second run reads only the files that changed.
// 1. The contracts: Redocly's recommended rules and Spectral's `oas` ruleset, failing on any problem, warnings
//    included (Redocly's CLI exits 0 on warnings, so its API is used here). Spectral reads the bundled
//    contracts (generated/*.json), where shared parameters and responses are components.
// 2. Formatting: `prettier --check .` (.prettierrc.json, .prettierignore); `npm run format` rewrites the files.
// 3. Code: `eslint .` (eslint.config.mjs: typescript-eslint's recommended rules).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { lint, loadConfig, formatProblems } from '@redocly/openapi-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The path of a package's command, from its package.json `bin`. */
function binOf(pkg, name = pkg) {
  const manifest = require.resolve(`${pkg}/package.json`);
  const { bin } = require(manifest);
  return path.join(path.dirname(manifest), typeof bin === 'string' ? bin : bin[name]);
}

/** Runs a Node command in the repository with its output on ours; true when it exits 0. */
function runNode(script, args) {
  const run = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
  return run.status === 0;
}

async function lintContracts() {
  const contracts = ['spec/casapay.yaml', 'spec/debitura/customer-api.yaml', 'spec/debitura/referral-partner-api.yaml'];
  const config = await loadConfig({ configPath: path.join(root, 'redocly.yaml') });
  let passed = true;
  for (const ref of contracts) {
    const problems = await lint({ ref: path.join(root, ref), config });
    if (problems.length) {
      passed = false;
      formatProblems(problems, { format: 'codeframe', totals: { errors: 0, warnings: 0, ignored: 0 }, version: '' });
    }
    console.log(`redocly ${ref}: ${problems.length} problem(s)`);
  }
  const spectral = path.join(path.dirname(require.resolve('@stoplight/spectral-cli/package.json')), 'dist/index.js');
  const targets = ['generated/casapay.json', 'generated/debitura-customer.json', 'generated/debitura-referral.json'];
  return runNode(spectral, ['lint', '--fail-severity=hint', '--ruleset', '.spectral.yaml', ...targets]) && passed;
}

const results = [
  ['contracts (redocly, spectral)', await lintContracts()],
  ['formatting (prettier --check .; fix with npm run format)', runNode(binOf('prettier'), ['--check', '--cache', '.'])],
  ['code (eslint .)', runNode(binOf('eslint'), ['--cache', '--cache-location', 'node_modules/.cache/eslint/', '.'])],
];
console.log('');
for (const [name, passed] of results) console.log(`lint: ${passed ? 'passed' : 'FAILED'}  ${name}`);
process.exit(results.every(([, passed]) => passed) ? 0 : 1);

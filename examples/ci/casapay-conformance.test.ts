// The README's CI job, run: its conformance step's command line, with the published package's npx
// prefix swapped for this checkout's build, against a mock on a free port standing in for staging.
// It must pass and leave the JUnit report the next step publishes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../mocks/server.js';
import { repoRoot } from '../../spec/support/repo-root.js';

const workflow = parse(readFileSync(path.join(repoRoot, 'examples/ci/casapay-conformance.yml'), 'utf8')) as {
  jobs: { conformance: { steps: Array<{ name?: string; run?: string; with?: Record<string, string> }> } };
};
const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const steps = workflow.jobs.conformance.steps;
const check = steps.find((s) => s.run?.includes('casapay-conformance'))!;
const prefix = `npx --yes --package casapay-contract-kit@${version} casapay-conformance `;

let mock: MockServer;
let work: string;
beforeAll(async () => {
  mock = await createMockServer({ port: 0, logLevel: 'silent' });
  work = mkdtempSync(path.join(tmpdir(), 'casapay-ci-job-'));
});
afterAll(async () => {
  await mock.close();
  rmSync(work, { recursive: true, force: true });
});

it('names this package at its current version', () => {
  expect(check.run!.startsWith(prefix), check.run).toBe(true);
});

it('the conformance step passes against a staging stand-in and writes the report the next step publishes', async () => {
  const command = `node ${JSON.stringify(path.join(repoRoot, 'dist/conformance/cli.js'))} ${check.run!.slice(prefix.length)}`;
  // Asynchronously: the mock answering it runs in this process.
  await promisify(execFile)('bash', ['-c', command], {
    cwd: work,
    env: { ...process.env, STAGING_URL: mock.url, CASAPAY_API_KEY: 'sk_test_ci_a', CASAPAY_SECOND_API_KEY: 'sk_test_ci_b' },
    timeout: 120_000,
  });
  const published = steps.find((s) => s.with?.report_paths)!.with!.report_paths!;
  expect(existsSync(path.join(work, published))).toBe(true);
  expect(readFileSync(path.join(work, published), 'utf8')).toMatch(/<testsuites[^>]*failures="0"/);
}, 150_000);

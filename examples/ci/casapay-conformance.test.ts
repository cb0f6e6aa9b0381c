// The README's CI job, run: its conformance step's command line, with the published package's npx
// prefix swapped for this checkout's build, against a mock on a free port standing in for staging.
// It must pass and leave the JUnit report the next step publishes. Its compat step runs in a scratch
// repository whose last commit changes openapi.yaml: it passes a compatible change and fails a breaking one.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../mocks/server.js';
import { repoRoot } from '../../spec/support/repo-root.js';

const workflow = parse(readFileSync(path.join(repoRoot, 'examples/ci/casapay-conformance.yml'), 'utf8')) as {
  jobs: {
    conformance: { steps: Array<{ name?: string; uses?: string; run?: string; with?: Record<string, string> }> };
  };
};
const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const steps = workflow.jobs.conformance.steps;
const check = steps.find((s) => s.run?.includes('casapay-conformance') && !s.run.includes(' compat '))!;
const compat = steps.find((s) => s.run?.includes('casapay-conformance compat '))!;
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
  expect(compat.run!.startsWith(prefix), compat.run).toBe(true);
  expect(steps.findIndex((s) => s.uses?.startsWith('actions/checkout@'))).toBeLessThan(steps.indexOf(compat));
});

/** A repository with two commits of openapi.yaml: the second adds an optional response field, or removes the path. */
function contractRepo(breaking: boolean): string {
  const dir = mkdtempSync(path.join(work, 'repo-'));
  const contract = (extra: string, withPath = true) => `openapi: 3.1.0
info: {title: Rent, version: "1"}
paths:
${
  withPath
    ? `  /rents:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties:
                  id: {type: string}${extra}
`
    : '  {}\n'
}`;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=CI', ...args], {
      cwd: dir,
      stdio: 'pipe',
    });
  git('init', '-q');
  writeFileSync(path.join(dir, 'openapi.yaml'), contract(''));
  git('add', 'openapi.yaml');
  git('commit', '-qm', 'first');
  writeFileSync(
    path.join(dir, 'openapi.yaml'),
    breaking ? contract('', false) : contract('\n                  note: {type: string}'),
  );
  git('commit', '-qam', 'second');
  return dir;
}

it.each([
  ['passes a compatible change and writes its reports', false, 0],
  ['fails a breaking change, naming the rule', true, 1],
] as const)(
  'the compat step %s',
  async (_name, breaking, exitCode) => {
    const dir = contractRepo(breaking);
    const summary = path.join(dir, 'summary.md');
    const command = `node ${JSON.stringify(path.join(repoRoot, 'dist/conformance/cli.js'))} ${compat.run!.slice(prefix.length)}`;
    const result = await promisify(execFile)('bash', ['-c', command], {
      cwd: dir,
      env: { ...process.env, GITHUB_STEP_SUMMARY: summary },
      timeout: 60_000,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(result.code, result.stdout).toBe(exitCode);
    expect(
      readFileSync(
        path.join(dir, steps.find((s) => s.with?.report_paths)!.with!.report_paths!.replace('*', 'compat')),
        'utf8',
      ),
    ).toMatch(breaking ? /failures="1"/ : /failures="0"/);
    expect(readFileSync(summary, 'utf8')).toContain(
      breaking ? '`api-path-removed-without-deprecation`' : 'compatible change',
    );
  },
  60_000,
);

it('the conformance step passes against a staging stand-in and writes the report the next step publishes', async () => {
  const command = `node ${JSON.stringify(path.join(repoRoot, 'dist/conformance/cli.js'))} ${check.run!.slice(prefix.length)}`;
  // Asynchronously: the mock answering it runs in this process.
  await promisify(execFile)('bash', ['-c', command], {
    cwd: work,
    env: {
      ...process.env,
      STAGING_URL: mock.url,
      CASAPAY_API_KEY: 'sk_test_ci_a',
      CASAPAY_SECOND_API_KEY: 'sk_test_ci_b',
    },
    timeout: 120_000,
  });
  // The publishing step takes every reports/<step>/junit.xml; this step's is reports/conformance/junit.xml.
  const published = steps.find((s) => s.with?.report_paths)!.with!.report_paths!.replace('*', 'conformance');
  expect(existsSync(path.join(work, published))).toBe(true);
  expect(readFileSync(path.join(work, published), 'utf8')).toMatch(/<testsuites[^>]*failures="0"/);
}, 150_000);

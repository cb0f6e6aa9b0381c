// `casapay-conformance pact …` as a user runs it: pact verify in a child process (the Rust verifier
// writes to the process's own stdout, which only a child's pipe can read), from source through tsx. pact verify
// passes the example consumer's pact against the bundled mock and fails, naming the interactions,
// against a mock started with a defect; every `pact` command line of the READMEs and docs/*.md is run here.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../mocks/server.js';
import { runPactCommand } from './command.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLE_PACT = 'examples/frontend-consumer/pacts/frontend-app-casapay-api.json';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `casapay-conformance ARGS` from source; resolves when the process has exited. */
function cli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'conformance/cli.ts', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The same command line through runPactCommand, in this process. */
async function inProcess(args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPactCommand(
    args.map((a) => (a.endsWith('.json') ? path.join(root, a) : a)),
    { out: (l) => out.push(l), err: (l) => err.push(l) },
  );
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const mocks: MockServer[] = [];
const mock = async (defects: string[] = []) => {
  const started = await createMockServer({ host: '127.0.0.1', port: 0, logLevel: 'silent', defects });
  mocks.push(started);
  return started;
};
afterAll(async () => {
  await Promise.all(mocks.map((m) => m.close()));
});

describe('pact verify', () => {
  it('fails against --defect wrong-status-code and names the interaction and the mismatch', async () => {
    const target = await mock(['wrong-status-code']);
    const run = await cli(['pact', 'verify', '--pact', EXAMPLE_PACT, '--base-url', target.url]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('1 of 4 interaction(s) failed');
    expect(run.stdout).toMatch(/✗ "a new collection case"\n\s+StatusMismatch: expected 201 but was 200/);
  });

  it('fails against --defect missing-required-field in both interactions that read a reference', async () => {
    const target = await mock(['missing-required-field']);
    const run = await cli(['pact', 'verify', '--pact', EXAMPLE_PACT, '--base-url', target.url]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('2 of 4 interaction(s) failed');
    expect(run.stdout).toContain('✗ "a new collection case"');
    expect(run.stdout).toContain(`✗ "a request for the quickstart's case"`);
    expect(run.stdout).toContain('reference');
  });

  it('fails when a provider state cannot be set up, naming the state (pact-js alone would run the interaction anyway)', async () => {
    const target = await mock();
    const run = await cli([
      'pact',
      'verify',
      '--pact',
      EXAMPLE_PACT,
      '--base-url',
      target.url,
      '--provider-states-setup-url',
      `${target.url}/__admin/no-such-route`,
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain("✗ \"provider state 'the docs' quickstart case exists' (setup)\"");
    expect(run.stdout).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/__admin\/no-such-route failed: 404/);
  });

  it('a file that is not a pact is exit code 2 with the reason (in-process: nothing to verify, no child needed)', async () => {
    const err: string[] = [];
    expect(
      await runPactCommand(['pact', 'verify', '--pact', path.join(root, 'package.json')], {
        out: () => undefined,
        err: (l) => err.push(l),
      }),
    ).toBe(2);
    expect(err.join('\n')).toContain('not a pact file');
  });

  it('`pact` alone shows its help and is exit code 2; `pact --help` is 0', async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    expect(await runPactCommand(['pact'], io)).toBe(2);
    expect(out.join('\n')).toMatch(/verify \[options\][\s\S]*check \[options\]/);
    expect(await runPactCommand(['pact', '--help'], io)).toBe(0);
  });

  it('no --pact is exit code 2 (commander names the option)', async () => {
    const err: string[] = [];
    expect(await runPactCommand(['pact', 'check'], { out: () => undefined, err: (l) => err.push(l) })).toBe(2);
    expect(err.join('\n')).toContain("required option '--pact <file>'");
  });
});

describe('the docs’ pact command lines', () => {
  const LOCAL = 'http://localhost:4010';
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  const commands = ['README.md', ...docs, 'conformance/README.md'].flatMap((file) =>
    [...readFileSync(path.join(root, file), 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)]
      .flatMap((m) => m[1]!.split('\n'))
      .map((line) => line.trim())
      .filter((line) => line.startsWith('npx casapay-conformance pact'))
      .map((line) => [file, line] as const),
  );
  /** What each documented line must do; a new line in the docs without an entry here fails the first test. */
  const expected: Record<string, { code: number; says: string; then?: (target: MockServer) => void }> = {
    [`npx casapay-conformance pact verify --pact ${EXAMPLE_PACT}`]: {
      code: 0,
      says: 'all 4 interaction(s) verified against the bundled mock',
    },
    [`npx casapay-conformance pact verify --pact ${EXAMPLE_PACT} --base-url ${LOCAL} --provider-states-setup-url ${LOCAL}/__admin/provider-states`]:
      {
        code: 0,
        says: 'all 4 interaction(s) verified',
        // fromProviderState did its work: the requests carried the keys and ids the state route answered.
        then: (target) => {
          const calls = target.journal.entries({}).filter((e) => e.url.startsWith('/v1/'));
          expect(calls.map((e) => `${e.method} ${e.url}`).sort()).toEqual([
            'GET /v1/collection_cases/dc_a1b2c3d4',
            'GET /v1/collection_cases/dc_doesnotexist',
            'POST /v1/collection_case_previews',
            'POST /v1/collection_cases',
          ]);
          // The journal masks keys to their first 12 characters: `sk_test_pact…`, never the example's `sk_test_fron…`.
          for (const e of calls) expect(e.account, `${e.method} ${e.url}`).toMatch(/^sk_test_pact/);
          expect(target.sandbox.store.all().filter((a) => a.key.startsWith('sk_test_pact_')).length).toBe(4);
        },
      },
    [`npx casapay-conformance pact check --pact ${EXAMPLE_PACT}`]: { code: 0, says: 'compatible with the contract' },
    ['npx casapay-conformance pact check --pact conformance/pact/fixtures/undeclared-field.json']: {
      code: 1,
      says: '$.debtor.credit_score [response-field-undeclared]',
    },
  };

  it('every documented pact command is one this test knows', () => {
    expect(commands.length).toBeGreaterThan(0);
    for (const [file, line] of commands) expect(Object.keys(expected), `${file}: ${line}`).toContain(line);
    expect(new Set(commands.map(([, line]) => line))).toEqual(new Set(Object.keys(expected)));
  });

  it.each(Object.entries(expected))('%s', async (line, want) => {
    // `npx casapay-conformance` is the built bin; from source here, and the README's local mock is one this test starts.
    const target = line.includes(LOCAL) ? await mock() : undefined;
    const args = line
      .replace('npx casapay-conformance ', '')
      .replaceAll(LOCAL, target?.url ?? LOCAL)
      .split(/\s+/);
    // pact check prints only through its own io, so it runs in-process (a child costs seconds of
    // start-up); pact verify needs the child, whose pipe also carries the native verifier's report.
    const run = args[1] === 'check' ? await inProcess(args) : await cli(args);
    expect(run.code, run.stdout + run.stderr).toBe(want.code);
    expect(run.stdout).toContain(want.says);
    if (target) want.then?.(target);
  });
});

// casapay-mock's command line: PORT honoured (or refused saying why), -h is help, --version, and an
// old `-h 0.0.0.0` told what it means now. Runs the CLI from source (tsx) on loopback, port 0.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../spec/support/repo-root.js';
import { choosePort } from './cli-env.js';
import pkg from '../package.json' with { type: 'json' };

const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'mocks/cli.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PORT: undefined, CASAPAY_MOCK_PORT: undefined, ...env },
  });

/** Starts the CLI from source with `env`; resolves with its start-up line and the URL it names. */
async function startCli(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'mocks/cli.ts', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: undefined, ...env },
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1] ?? '';
  return { child, line, url };
}

describe('choosePort', () => {
  it.each([
    [{ value: 4010, source: 'default' }, {}, { port: 4010, from: 'default' }],
    [{ value: 4010, source: 'default' }, { PORT: '5100' }, { port: 5100, from: 'PORT' }],
    [
      { value: 6000, source: 'env' },
      { PORT: '5100', CASAPAY_MOCK_PORT: '6000' },
      { port: 5100, from: 'PORT' },
    ],
    [{ value: 6000, source: 'env' }, { CASAPAY_MOCK_PORT: '6000' }, { port: 6000, from: 'CASAPAY_MOCK_PORT' }],
    [{ value: 7000, source: 'cli' }, { PORT: '5100' }, { port: 7000, from: '--port' }],
    [{ value: 4010, source: 'default' }, { PORT: '' }, { port: 4010, from: 'default' }],
  ])('%j with %j → %j', (parsed, env, want) => expect(choosePort(parsed, env)).toEqual(want));

  it.each(['abc', '-1', '70000', '1.5'])('refuses PORT=%s, naming it', (value) => {
    expect(() => choosePort({ value: 4010, source: 'default' }, { PORT: value })).toThrow(
      new RegExp(`PORT=${value.replace('.', '\\.')} is not a port`),
    );
  });
});

describe('casapay-mock', () => {
  it('--version and -v print the package version', () => {
    for (const flag of ['--version', '-v']) {
      const run = cli([flag]);
      expect(run.status).toBe(0);
      expect(run.stdout.trim()).toBe(pkg.version);
    }
  });

  it('-h is help, and --host is still the address', () => {
    const run = cli(['-h']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: casapay-mock/);
    expect(run.stdout).toMatch(/--host <host>/);
    expect(run.stdout).not.toMatch(/-h, --host/);
  });

  it('an old "-h ADDRESS" is refused, saying to write --host', () => {
    const run = cli(['-h', '0.0.0.0', '--port', '0']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/-h is --help now; for the address write --host 0\.0\.0\.0/);
  });

  it('refuses a PORT that is not a port, naming it', () => {
    const run = cli([], { PORT: 'eighty' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/casapay-mock: PORT=eighty is not a port/);
  });

  it('listens on PORT when --port is not given (npm start, the Docker image)', async () => {
    // PORT=0 is "any free port": the start-up line says the port came from PORT, then the mock answers there.
    const started = await startCli(['--quiet'], { PORT: '0', CASAPAY_MOCK_PORT: '1' });
    try {
      expect(started.line).toMatch(/port from PORT/);
      expect((await fetch(`${started.url}/__admin/health`)).status).toBe(200);
    } finally {
      started.child.kill('SIGTERM');
    }
  }, 60_000);

  it('keeps state where CASAPAY_MOCK_DATA_DIR says, and refuses two stores at once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'casapay-cli-store-'));
    try {
      const both = cli(['--data-dir', dir, '--database-url', 'postgres://mock@127.0.0.1:1/mock']);
      expect(both.status).not.toBe(0);
      expect(both.stderr).toMatch(
        /data-dir.*cannot be used with.*database-url|database-url.*cannot be used with.*data-dir/,
      );
      const started = await startCli(['--port', '0'], { CASAPAY_MOCK_DATA_DIR: dir });
      try {
        expect(started.line).toMatch(/state kept in sqlite/);
        expect(await (await fetch(`${started.url}/__admin/health`)).json()).toMatchObject({
          ok: true,
          store: { store: 'sqlite', reachable: true, location: path.join(dir, 'casapay-mock.sqlite') },
        });
      } finally {
        started.child.kill('SIGTERM');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

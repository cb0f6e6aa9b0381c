// The compose example (docs/state.md shows it), checked without Docker Compose, which cannot pull its
// images here: the two replicas run this repository's image on one PostgreSQL database, through
// variables the CLI knows; nginx takes turns between them on one port. Then the CLI is started with a
// replica's environment — the image's ENV plus the compose file's, the database URL pointed at the
// test's PostgreSQL (CASAPAY_TEST_POSTGRES_URL), loopback instead of 0.0.0.0 — and says its state is there;
// a case created through one replica is read through the other.
// Both replicas are started, on one database: one sandbox.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { envName } from '../../mocks/cli-env.js';
import { QUICKSTART_CASE } from '../../mocks/test-support.js';
import { freshDatabase, NO_POSTGRES, POSTGRES_URL } from '../../mocks/store/test-postgres.js';
import { repoRoot } from '../../spec/support/repo-root.js';

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(path.join(repoRoot, 'examples/compose/compose.yaml'), 'utf8')) as {
  services: Record<string, Service>;
  configs: Record<string, { content: string }>;
};
const replicas = ['mock-a', 'mock-b'].map((name) => compose.services[name]!);

/** The Dockerfile's runtime ENV (NAME=value pairs, continued lines). */
function imageEnvironment(): Record<string, string> {
  const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
  const block = /^ENV ((?:.*\\\n)*.*)$/m.exec(dockerfile)![1]!;
  return Object.fromEntries(
    block
      .split(/\s+|\\/)
      .filter((pair) => pair.includes('='))
      .map((pair) => pair.split('=', 2) as [string, string]),
  );
}

/** Every variable casapay-mock reads: CASAPAY_MOCK_<FLAG> of each flag its --help lists, and PORT. */
function cliVariables(): Set<string> {
  const help = spawnSync(process.execPath, ['--import', 'tsx', 'mocks/cli.ts', '--help'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(help.status, help.stderr).toBe(0);
  const flags = [...help.stdout.matchAll(/--([a-z][a-z-]+)/g)].map((m) => m[1]!);
  expect(flags).toEqual(expect.arrayContaining(['database-url', 'data-dir', 'admin-token']));
  return new Set([...flags.map(envName), 'PORT', 'NODE_ENV']);
}

describe('the compose example: two replicas on one PostgreSQL database', () => {
  it('runs this repository’s image twice, on the same database, the postgres service’s', () => {
    for (const replica of replicas) {
      expect(replica.build).toBe('../..');
      expect(replica.image).toBe('casapay-mock');
      expect(replica.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    }
    expect(replicas[0]!.environment).toEqual(replicas[1]!.environment);
    const url = new URL(replicas[0]!.environment!.CASAPAY_MOCK_DATABASE_URL!);
    const postgres = compose.services.postgres!.environment!;
    expect(url.hostname).toBe('postgres');
    expect(decodeURIComponent(url.username)).toBe(postgres.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(postgres.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${postgres.POSTGRES_DB}`);
  });

  it('sets only variables the CLI reads', () => {
    const known = cliVariables();
    for (const name of Object.keys({ ...imageEnvironment(), ...replicas[0]!.environment }))
      expect(known.has(name), `${name} is not a casapay-mock variable`).toBe(true);
  });

  it('puts both replicas, at the image’s port, behind the one published port', () => {
    const port = imageEnvironment().CASAPAY_MOCK_PORT;
    const nginx = compose.configs.nginx!.content;
    expect(nginx).toContain(`server mock-a:${port};`);
    expect(nginx).toContain(`server mock-b:${port};`);
    expect(compose.services.mock!.ports).toEqual(['4010:4010']);
    expect(nginx).toContain('listen 4010;');
    expect(Object.keys(compose.services.mock!.depends_on!)).toEqual(['mock-a', 'mock-b']);
  });

  it.skipIf(!POSTGRES_URL)(
    'the replicas’ environments (and the image’s) start two CLIs on one PostgreSQL that serve one sandbox',
    async () => {
      const db = await freshDatabase();
      const children: ChildProcess[] = [];
      const exits: Array<Promise<unknown>> = [];
      try {
        const urls: string[] = [];
        for (const replica of replicas) {
          const env: Record<string, string | undefined> = Object.fromEntries(
            Object.entries(process.env).filter(([name]) => !name.startsWith('CASAPAY_MOCK_') && name !== 'PORT'),
          );
          Object.assign(env, imageEnvironment(), replica.environment, {
            CASAPAY_MOCK_DATABASE_URL: db.url,
            CASAPAY_MOCK_HOST: '127.0.0.1',
            PORT: '0',
          });
          const child = spawn(process.execPath, ['--import', 'tsx', 'mocks/cli.ts'], {
            cwd: repoRoot,
            stdio: ['ignore', 'pipe', 'inherit'],
            env,
          });
          children.push(child);
          exits.push(new Promise((resolve) => child.once('exit', resolve)));
          const line = await new Promise<string>((resolve, reject) => {
            let out = '';
            child.stdout.on('data', (chunk: Buffer) => {
              out += chunk.toString('utf8');
              if (out.includes('\n')) resolve(out.split('\n')[0]!);
            });
            child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
          });
          expect(line).toContain('state kept in postgres');
          const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!;
          const health = await fetch(`${url}/__admin/health`);
          expect(await health.json()).toMatchObject({ ok: true, store: { store: 'postgres', reachable: true } });
          urls.push(url);
        }
        // One sandbox: what mock-a acknowledged, mock-b serves.
        const headers = { authorization: 'Bearer sk_test_compose', 'content-type': 'application/json' };
        const created = await fetch(`${urls[0]}/v1/collection_cases`, {
          method: 'POST',
          headers,
          body: JSON.stringify(QUICKSTART_CASE),
        });
        expect(created.status).toBe(201);
        const { id } = (await created.json()) as { id: string };
        const read = await fetch(`${urls[1]}/v1/collection_cases/${id}`, { headers });
        expect(read.status).toBe(200);
      } finally {
        for (const child of children) child.kill('SIGTERM');
        await Promise.all(exits);
        await db.drop();
      }
    },
    60_000,
  );
  if (!POSTGRES_URL) console.warn(`compose example: the start-up test skipped: ${NO_POSTGRES}`);
});

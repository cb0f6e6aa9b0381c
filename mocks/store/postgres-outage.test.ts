// PostgreSQL goes away and comes back, during a run: the test starts a throwaway cluster of its own
// (initdb and pg_ctl as the postgres user when run as root), serves the mock on it and creates objects
// in both APIs; then the database is stopped (`pg_ctl stop -m fast`) and hung (SIGSTOP on its processes).
// While it is away, every API request answers 503 in its API's own error shape — CasaPay's envelope,
// Debitura's `{error, message, businessErrors}` — instead of hanging, and changes nothing (each request
// first takes its account from the store: another instance may have changed it); `/__admin/health` is
// 503 with `reachable: false`. Once the database is back, the same mock (never restarted) reconnects:
// health 200, creates 2xx, and a create refused during the outage runs when retried under its
// Idempotency-Key. A second mock started on the same database then finds every object the first
// acknowledged.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeErrors, loadBundledContract } from '../../kit/contract.js';
import { QUICKSTART_CASE, startMock, type TestMock } from '../test-support.js';
import { undeclared, type WireAnswer } from '../../spec/support/wire.js';

/** Debitura's error body, as its published contract declares it. */
const debituraError = loadBundledContract('debitura-customer.json').schema('ErrorResponse');

/** Where PostgreSQL's programs are, and whether they must run as the postgres user; or why not. */
function findPostgres(): { bin: string; asPostgres: boolean } | { skip: string } {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length) return { skip: `no initdb under ${root}/*/bin (Debian's postgresql package)` };
  const bin = join(root, versions[0]!, 'bin');
  if (process.getuid?.() !== 0) return { bin, asPostgres: false };
  // initdb refuses root: the cluster belongs to the postgres user.
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', 'true'], { stdio: 'ignore' });
  } catch {
    return { skip: 'running as root, but `runuser -u postgres` is not possible (no postgres user?)' };
  }
  return { bin, asPostgres: true };
}

const found = findPostgres();
const SKIP = 'skip' in found ? found.skip : undefined;

/** Runs one of PostgreSQL's programs (as postgres when we are root). */
function pgTool(tool: string, args: string[]): void {
  if ('skip' in found) throw new Error(found.skip);
  const program = join(found.bin, tool);
  if (found.asPostgres) execFileSync('runuser', ['-u', 'postgres', '--', program, ...args], { stdio: 'pipe' });
  else execFileSync(program, args, { stdio: 'pipe' });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let dir = '';
let data = '';
let port = 0;
let url = '';
const mocks: TestMock[] = [];

/** The postmaster's PID while the cluster runs (its postmaster.pid file), else undefined. */
function postmasterPid(): number | undefined {
  const file = join(data, 'postmaster.pid');
  if (!data || !existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** The cluster's processes: the postmaster and its children (each in a session of its own). */
function clusterPids(): number[] {
  const postmaster = postmasterPid();
  if (postmaster === undefined) return [];
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // pid (comm) state ppid …: the command may hold spaces and parentheses, so split after its last ')'.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

/** A new folder the cluster's owner can write: under the temporary folder, or /tmp where postgres cannot reach that. */
function clusterDir(): string {
  if (!('asPostgres' in found) || !found.asPostgres) return mkdtempSync(join(tmpdir(), 'casapay-outage-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  for (const base of [tmpdir(), '/tmp']) {
    const made = mkdtempSync(join(base, 'casapay-outage-'));
    chownSync(made, uid, gid);
    try {
      execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-w', made], { stdio: 'ignore' });
      return made;
    } catch {
      rmSync(made, { recursive: true, force: true });
    }
  }
  throw new Error('no temporary folder the postgres user can write');
}

const start = () =>
  pgTool('pg_ctl', [
    '-D',
    data,
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    '-l',
    join(dir, 'postgres.log'),
    '-w',
    'start',
  ]);
const stop = () => pgTool('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);

beforeAll(async () => {
  if (SKIP) return;
  dir = clusterDir();
  data = join(dir, 'data');
  pgTool('initdb', ['-D', data, '-A', 'trust', '-U', 'mock']);
  port = await freePort();
  start();
  url = `postgres://mock@127.0.0.1:${port}/postgres`;
}, 60_000);

afterAll(async () => {
  for (const mock of mocks) await mock.close().catch(() => undefined);
  // Stopped by its PID: continued first (if a failed test left it stopped), then a fast shutdown.
  const pids = clusterPids();
  for (const pid of pids) signal(pid, 'SIGCONT');
  const postmaster = pids[0];
  if (postmaster !== undefined) {
    signal(postmaster, 'SIGINT');
    for (let i = 0; i < 100 && alive(postmaster); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive(postmaster)) signal(postmaster, 'SIGKILL');
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 30_000);

/** Signals one of the cluster's processes; one that has exited meanwhile is no error. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Far beyond the store's own bounds (connect 3 s, statement 5 s): reaching it means the mock hung.
const HANG = 30_000;

/** A plain HTTP call (Debitura's paths, health), bounded so that a hang fails the test instead of stalling it. */
async function send(
  mock: TestMock,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
) {
  const response = await fetch(`${mock.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(HANG),
  });
  const text = await response.text();
  answers.push({ method, url: path, status: response.status, contentType: response.headers.get('content-type') ?? '' });
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
/** Every answer `send` got, held to the contracts' declarations at the end (503s included). */
const answers: WireAnswer[] = [];

/** Polls health until the store answers and nothing refused is left unwritten (bounded). */
async function recovered(mock: TestMock) {
  let last: Awaited<ReturnType<typeof send>> | undefined;
  for (let i = 0; i < 150; i++) {
    last = await send(mock, 'GET', '/__admin/health');
    if (last.status === 200 && last.body.lastWriteError === undefined) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the mock did not recover: ${JSON.stringify(last?.body)}`);
}

const CASAPAY_A = 'sk_test_outage_a';
const CASAPAY_B = 'sk_test_outage_b';
const PARTNER = 'partner_outage';
const DEBITURA_CASE = {
  currencyCode: 'EUR',
  amountToRecover: 5000.0,
  date: '2025-06-01',
  dueDate: '2025-07-01',
  claimDescription: 'Invoice INV-OUTAGE',
  debtor: { type: 'Company', name: 'Debtor GmbH', countryAlpha2: 'DE' },
};

const createCasapay = (mock: TestMock, key: string, reference: string, idempotencyKey?: string) =>
  mock.call('POST', '/v1/collection_cases', {
    key,
    body: { ...QUICKSTART_CASE, creditor_reference: reference },
    headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
  });

async function debituraToken(mock: TestMock): Promise<Record<string, string>> {
  const token = await send(
    mock,
    'POST',
    '/debitura/referral/oauth/token',
    { XApiKey: PARTNER },
    { externalTenantId: 't-1' },
  );
  expect(token.status).toBe(200);
  return { Authorization: `Bearer ${token.body.accessToken}` };
}

/** A CasaPay 503 in its envelope, a Debitura 503 in its body: each API's own shape. */
function expectCasapayUnavailable(answer: { status: number; body: any }) {
  expect(answer.status).toBe(503);
  expect(answer.body.error).toMatchObject({ type: 'api_error', code: 'service_unavailable' });
}
function expectDebituraUnavailable(answer: { status: number; body: any }) {
  expect(answer.status).toBe(503);
  expect(debituraError(answer.body), describeErrors(debituraError.errors)).toBe(true);
  expect(answer.body.error).toBe('service_unavailable');
  expect(answer.body.businessErrors[0].type).toBe('service_unavailable');
}

describe.skipIf(SKIP)(`PostgreSQL stopped and started under a running mock (${SKIP ?? 'own cluster'})`, () => {
  const ids: Record<string, string> = {};
  let mock: TestMock;
  let bearer: Record<string, string>;

  it('before: objects of both APIs are acknowledged on the database', async () => {
    mock = await startMock({ databaseUrl: url });
    mocks.push(mock);
    expect((await send(mock, 'GET', '/__admin/health')).body).toMatchObject({
      ok: true,
      store: { store: 'postgres', reachable: true },
    });
    const a = await createCasapay(mock, CASAPAY_A, 'OUT-A-1');
    const b = await createCasapay(mock, CASAPAY_B, 'OUT-B-1');
    expect([a.status, b.status]).toEqual([201, 201]);
    ids.casapayA = a.body.id;
    ids.casapayB = b.body.id;
    const client = await send(
      mock,
      'POST',
      '/debitura/referral/clients',
      { XApiKey: PARTNER },
      {
        externalTenantId: 't-1',
        client: { name: 'Acme GmbH', country: 'DE', supportEmail: 'support@acme.example' },
        // `+signed`: the client signs at once, so it gets tokens (a plain address waits for a signature: 202).
        users: [{ email: 'jane+signed@acme.example', name: 'Jane Doe' }],
      },
    );
    expect(client.status).toBe(201);
    bearer = await debituraToken(mock);
    const created = await send(mock, 'POST', '/debitura/customer/cases', bearer, DEBITURA_CASE);
    expect(created.status).toBe(200);
    ids.debitura = created.body.id;
  }, 60_000);

  it('stopped: every request answers 503 in its API shape and changes nothing; health 503 unreachable', async () => {
    stop();
    const health = await send(mock, 'GET', '/__admin/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ ok: false, store: { store: 'postgres', reachable: false } });

    // Refused before anything runs: the same Idempotency-Key, retried once the database is back, creates it.
    expectCasapayUnavailable(await createCasapay(mock, CASAPAY_A, 'OUT-A-DURING', 'outage-casapay'));
    expectDebituraUnavailable(
      await send(
        mock,
        'POST',
        '/debitura/customer/cases',
        { ...bearer, 'Idempotency-Key': 'outage-debitura' },
        DEBITURA_CASE,
      ),
    );
    // An admin write waits for the store too: 503, not 500.
    expectCasapayUnavailable(await send(mock, 'POST', '/__admin/reset', {}, { account: 'sk_test_outage_gone' }));
    // Reads too: what this instance holds may be behind what another instance wrote.
    expectCasapayUnavailable(await mock.call('GET', `/v1/collection_cases/${ids.casapayB}`, { key: CASAPAY_B }));
    expectDebituraUnavailable(await send(mock, 'GET', `/debitura/customer/cases/${ids.debitura}`, bearer));
  }, 60_000);

  it('started again: the same mock reconnects; what it refused was never made, and runs when retried', async () => {
    start();
    const health = await recovered(mock);
    expect(health.body).toMatchObject({ ok: true, store: { store: 'postgres', reachable: true } });
    // Only what was acknowledged before the outage is in the database.
    const count = async () => {
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      return (
        await db
          .query<{ part: string; n: number }>(
            "SELECT part, count(*)::int AS n FROM rows WHERE part IN ('casapay.cases', 'debitura.cases') AND json IS NOT NULL GROUP BY part ORDER BY part",
          )
          .finally(() => db.end())
      ).rows;
    };
    expect(await count()).toEqual([
      { part: 'casapay.cases', n: 2 },
      { part: 'debitura.cases', n: 1 },
    ]);

    const after = await createCasapay(mock, CASAPAY_A, 'OUT-A-2');
    expect(after.status).toBe(201);
    ids.casapayAfter = after.body.id;
    const debituraAfter = await send(mock, 'POST', '/debitura/customer/cases', bearer, DEBITURA_CASE);
    expect(debituraAfter.status).toBe(200);
    ids.debituraAfter = debituraAfter.body.id;

    // The refused creates, retried under their keys, run now (not a replay: nothing ran before).
    const retried = await createCasapay(mock, CASAPAY_A, 'OUT-A-DURING', 'outage-casapay');
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    ids.casapayDuring = retried.body.id;
    const debituraRetried = await send(
      mock,
      'POST',
      '/debitura/customer/cases',
      { ...bearer, 'Idempotency-Key': 'outage-debitura' },
      DEBITURA_CASE,
    );
    expect(debituraRetried.status).toBe(200);
    expect(debituraRetried.headers.get('idempotent-replayed')).toBeNull();
    ids.debituraDuring = debituraRetried.body.id;
    expect(await count()).toEqual([
      { part: 'casapay.cases', n: 4 },
      { part: 'debitura.cases', n: 3 },
    ]);
  }, 60_000);

  it('hung (SIGSTOP): a write and the health check answer 503 within the store bounds instead of waiting', async () => {
    const pids = clusterPids();
    expect(pids.length).toBeGreaterThan(1);
    for (const pid of pids) signal(pid, 'SIGSTOP');
    try {
      // Open connections wait for a statement (5 s), new ones for a connection (3 s): each ends in a 503.
      expectCasapayUnavailable(await createCasapay(mock, CASAPAY_A, 'OUT-A-HUNG'));
      const health = await send(mock, 'GET', '/__admin/health');
      expect(health.status).toBe(503);
      expect(health.body.store.reachable).toBe(false);
    } finally {
      for (const pid of pids) signal(pid, 'SIGCONT');
    }
    await recovered(mock);
    expect((await createCasapay(mock, CASAPAY_A, 'OUT-A-3')).status).toBe(201);
  }, 60_000);

  it('a mock started anew on the database finds everything the first acknowledged', async () => {
    await mock.close();
    mocks.splice(mocks.indexOf(mock), 1);
    const again = await startMock({ databaseUrl: url });
    mocks.push(again);
    for (const [key, id] of [
      [CASAPAY_A, ids.casapayA],
      [CASAPAY_B, ids.casapayB],
      [CASAPAY_A, ids.casapayAfter],
      [CASAPAY_A, ids.casapayDuring],
    ] as const) {
      const read = await again.call('GET', `/v1/collection_cases/${id}`, { key });
      expect(read.status, `${key} ${id}`).toBe(200);
      expect(read.body.id).toBe(id);
    }
    const token = await debituraToken(again);
    for (const id of [ids.debitura, ids.debituraAfter, ids.debituraDuring]) {
      const read = await send(again, 'GET', `/debitura/customer/cases/${id}`, token);
      expect(read.status, id).toBe(200);
      expect(read.body.id).toBe(id);
    }
  }, 60_000);

  it('declares every answer above in its operation (the 503s of both APIs included)', () => {
    expect(answers.filter((a) => a.status === 503 && a.url.startsWith('/debitura/')).length).toBeGreaterThan(0);
    expect(answers.map(undeclared).filter(Boolean)).toEqual([]);
  });
});

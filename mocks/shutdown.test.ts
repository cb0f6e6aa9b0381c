// SIGTERM on the real CLI process: it stops accepting, answers the requests in flight (here slowed
// by `Prefer: latency=…`), and exits 0 — also when its stdout is gone (a reader that went away) or
// full (/dev/full), where the shutdown's own log line must not crash the exit.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { repoRoot } from '../spec/support/repo-root.js';

const CLI = path.join(repoRoot, 'dist/mocks/cli.js');
const IN_FLIGHT = 10;
const { CASAPAY_MOCK_ADMIN_TOKEN: _unset, ...env } = process.env;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts the CLI with stdout as given; resolves once /__admin/health answers. */
async function startCli(
  stdout: 'pipe' | number,
): Promise<{ child: ChildProcess; base: string; exited: Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, '--port', String(port)], { stdio: ['ignore', stdout, 'pipe'], env });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`the CLI exited with ${child.exitCode}`);
    const up = await fetch(`${base}/__admin/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { child, base, exited };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the CLI did not start');
}

/** Fires slow requests, waits until the mock holds them all, sends SIGTERM; every one must be answered. */
async function sigtermWithRequestsInFlight(base: string, child: ChildProcess) {
  const slow = Array.from({ length: IN_FLIGHT }, (_, i) =>
    fetch(`${base}/v1/collection_cases?limit=${i + 1}`, {
      headers: { authorization: 'Bearer sk_test_shutdown', prefer: 'latency=1000' },
    }).then(
      async (response) => ({ status: response.status, body: (await response.json()) as { object?: string } }),
      (error: Error) => ({
        status: 0,
        body: { object: `${error.message}: ${String((error.cause as Error | undefined)?.message)}` },
      }),
    ),
  );
  // Time for the requests to reach the mock; each takes 1 s to answer, so they are all still in flight.
  await new Promise((resolve) => setTimeout(resolve, 500));
  child.kill('SIGTERM');
  const answers = await Promise.all(slow);
  expect(answers.map((a) => a.status)).toEqual(Array(IN_FLIGHT).fill(200));
  expect(answers.every((a) => a.body.object === 'list')).toBe(true);
  // Not accepting any more.
  await expect(fetch(`${base}/__admin/health`)).rejects.toThrow();
}

it(`SIGTERM answers the ${IN_FLIGHT} requests in flight, then exits 0`, async () => {
  const { child, base, exited } = await startCli('pipe');
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  await sigtermWithRequestsInFlight(base, child);
  expect(await exited).toBe(0);
  expect(stdout).toMatch(/SIGTERM, finishing requests in flight/);
}, 20_000);

it('SIGTERM exits 0 when stdout has gone (EPIPE)', async () => {
  const { child, base, exited } = await startCli('pipe');
  child.stdout!.destroy(); // the reader goes away: every later write fails with EPIPE
  await sigtermWithRequestsInFlight(base, child);
  expect(await exited).toBe(0);
}, 20_000);

it('SIGTERM exits 0 when stdout is full (/dev/full, ENOSPC)', async () => {
  const full = fs.openSync('/dev/full', 'w');
  try {
    const { child, base, exited } = await startCli(full);
    await sigtermWithRequestsInFlight(base, child);
    expect(await exited).toBe(0);
  } finally {
    fs.closeSync(full);
  }
}, 20_000);

// Start-up as a user meets it: how long from launching the mock to its first 200 on
// GET /v1/collection_cases (a real API answer: authentication, query validation, a list page), for
// `node dist/mocks/cli.js` itself and for `npm start` (npm's own start-up plus the freshness check of
// scripts/start.mjs). Each command is started `runs` times, one at a time, on 127.0.0.1; every child
// is stopped by its PID (npm with its whole process group) before the next starts.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StartupCommand {
  label: string;
  /** argv without the port flags; `--port <p>` is appended. */
  argv: string[];
  /** The command as a person types it. */
  display: string;
  /** Run in its own process group, stopped as a group (npm forks a shell and node). */
  group: boolean;
}

export interface StartupResult {
  label: string;
  command: string;
  runsMs: number[];
  medianMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  error?: string;
}

const HOST = '127.0.0.1';
const PROBE_PATH = '/v1/collection_cases';
const POLL_MS = 5;
const TIMEOUT_MS = 30_000;

export function startupCommands(root: string): StartupCommand[] {
  return [
    {
      label: 'node dist/mocks/cli.js',
      argv: [process.execPath, path.join(root, 'dist/mocks/cli.js'), '--host', HOST, '--quiet'],
      display: `node dist/mocks/cli.js --host ${HOST} --quiet --port <free>`,
      group: false,
    },
    // npm start as the README runs it (default logging); only the port is moved off 4010.
    {
      label: 'npm start',
      argv: ['npm', 'start', '--silent', '--'],
      display: 'npm start -- --port <free>',
      group: true,
    },
  ];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function probe(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(
      {
        host: HOST,
        port,
        path: PROBE_PATH,
        agent: false,
        timeout: 2000,
        headers: { authorization: 'Bearer sk_test_startup' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

async function stop(proc: ChildProcess, group: boolean): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(group ? -proc.pid! : proc.pid!, signal);
    } catch {
      /* already gone */
    }
  };
  kill('SIGTERM');
  await Promise.race([exited, sleep(3000)]);
  if (proc.exitCode === null && proc.signalCode === null) {
    kill('SIGKILL');
    await Promise.race([exited, sleep(2000)]);
  }
}

async function once(command: StartupCommand, root: string, live: Set<[ChildProcess, boolean]>): Promise<number> {
  const port = await freePort();
  const [cmd, ...args] = [...command.argv, '--port', String(port)];
  const startedAt = performance.now();
  const proc = spawn(cmd!, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], detached: command.group });
  const entry: [ChildProcess, boolean] = [proc, command.group];
  live.add(entry);
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
  try {
    for (;;) {
      if (proc.exitCode !== null)
        throw new Error(`exited with code ${proc.exitCode} before answering${stderr ? `: ${stderr.trim()}` : ''}`);
      if ((await probe(port)) === 200) return performance.now() - startedAt;
      if (performance.now() - startedAt > TIMEOUT_MS)
        throw new Error(`no 200 on GET ${PROBE_PATH} within ${TIMEOUT_MS / 1000} s`);
      await sleep(POLL_MS);
    }
  } finally {
    await stop(proc, command.group);
    live.delete(entry);
  }
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Starts each command `runs` times and reports the time to its first answer.
 * @example (await measureStartups(ROOT, 5))[0].medianMs // 231.4
 */
export async function measureStartups(
  root: string,
  runs: number,
  commands = startupCommands(root),
): Promise<StartupResult[]> {
  const live = new Set<[ChildProcess, boolean]>();
  const stopAll = () => {
    for (const [proc, group] of live)
      if (proc.pid !== undefined)
        try {
          process.kill(group ? -proc.pid : proc.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
  };
  process.once('exit', stopAll);
  const results: StartupResult[] = [];
  try {
    for (const command of commands) {
      const runsMs: number[] = [];
      let error: string | undefined;
      for (let i = 0; i < runs && !error; i++) {
        try {
          runsMs.push(await once(command, root, live));
        } catch (err) {
          error = (err as Error).message;
        }
      }
      results.push({
        label: command.label,
        command: command.display,
        runsMs,
        medianMs: median(runsMs),
        minMs: runsMs.length ? Math.min(...runsMs) : null,
        maxMs: runsMs.length ? Math.max(...runsMs) : null,
        ...(error ? { error } : {}),
      });
    }
  } finally {
    process.removeListener('exit', stopAll);
    stopAll();
  }
  return results;
}

/** One line per command: median, range, and the figure's target. */
export function formatStartups(results: StartupResult[], targetsMs: Record<string, number>): string {
  return results
    .map((r) => {
      const target = targetsMs[r.label];
      if (r.medianMs === null) return `  ${r.label.padEnd(24)} ✗ ${r.error ?? 'not measured'}`;
      const verdict = target === undefined ? '' : `  ${r.medianMs <= target ? '✓' : '✗'} target ≤ ${target} ms`;
      return `  ${r.label.padEnd(24)} median ${r.medianMs.toFixed(0).padStart(4)} ms  (${r.minMs!.toFixed(0)}–${r.maxMs!.toFixed(0)} ms over ${r.runsMs.length} starts)${verdict}${r.error ? `  (then: ${r.error})` : ''}`;
    })
    .join('\n');
}

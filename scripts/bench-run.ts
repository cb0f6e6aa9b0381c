// Runs the bench as `npm run bench` does (tsx), for the bench's own tests: exit code and everything
// it printed. `env` is added to this process's environment.
import { spawn } from 'node:child_process';
import { repoRoot } from '../spec/support/repo-root.js';

/** @example const { code, out } = await runBench(['--memory', '150']); */
export function runBench(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

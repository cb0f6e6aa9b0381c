#!/usr/bin/env node
// `npm start`: runs the mock from the built dist/ in this process — no compile on the way, so a fresh
// install (whose `prepare` built dist/) answers at once. When a source is newer than the build, it
// says so in one line and rebuilds first (or, where TypeScript is not installed, says how to).
import { spawnSync } from 'node:child_process';
import { existsSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleReason } from './dist-freshness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stale = staleReason(root);
if (stale) {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    console.error(`casapay-mock: ${stale}, and TypeScript is not installed to rebuild it: run npm install, then npm run build.`);
    process.exit(1);
  }
  console.log(`casapay-mock: ${stale}; rebuilding dist/ (npm run build)…`);
  let build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  // The console's browser code is its own program (DOM types), built into dist/ after the server.
  if (build.status === 0) build = spawnSync(process.execPath, [tsc, '-p', 'mocks/console/app/tsconfig.json'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('casapay-mock: the build failed (above); fix it, or run the last build with node dist/mocks/cli.js.');
    process.exit(build.status ?? 1);
  }
  // An incremental build with nothing to emit leaves its record untouched: mark the build as done.
  const stamp = path.join(root, 'dist', '.tsbuildinfo');
  if (existsSync(stamp)) utimesSync(stamp, new Date(), new Date());
}
await import('../dist/mocks/cli.js');

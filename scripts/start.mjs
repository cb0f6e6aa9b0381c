#!/usr/bin/env node
// `npm start`: runs the mock from the built dist/ in this process — no compile on the way, so a fresh
// install (whose `prepare` built dist/) answers at once. When a source is newer than the build, it
// says so in one line and rebuilds first (or, where TypeScript is not installed, says how to).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rebuild, staleReason } from './dist-freshness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stale = staleReason(root);
if (stale) {
  console.log(`casapay-mock: ${stale}; rebuilding dist/ (npm run build)…`);
  const problem = rebuild(root);
  if (problem) {
    console.error(`casapay-mock: ${problem}; fix it, or run the last build with node dist/mocks/cli.js.`);
    process.exit(1);
  }
}
await import('../dist/mocks/cli.js');

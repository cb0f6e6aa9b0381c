// Is dist/ older than the TypeScript it is built from, and if so, build it (`npm run build`, the one
// definition of a build). `npm start` and the benchmark ask before they run the built mock, so an edit
// to mocks/ is never silently ignored — and a fresh install, whose `prepare` has just built dist/,
// pays only a walk of the source folders (~100 stats).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';

/** Folders compiled by tsconfig.build.json. */
const SOURCE_DIRS = ['mocks', 'client', 'conformance', 'generated'];
const isSource = (name) => name.endsWith('.ts') && !/\.(test|check|d)\.ts$/.test(name);

function newestSource(dir) {
  let newest = { mtimeMs: 0, file: '' };
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const candidate = entry.isDirectory()
      ? newestSource(full)
      : entry.isFile() && isSource(entry.name)
        ? { mtimeMs: statSync(full).mtimeMs, file: full }
        : undefined;
    if (candidate && candidate.mtimeMs > newest.mtimeMs) newest = candidate;
  }
  return newest;
}

/**
 * Why dist/ needs a build, or undefined when it is up to date. The build's own record
 * (dist/.tsbuildinfo, written by every `tsc -p tsconfig.build.json`) is the time of the build.
 * @param {string} root the package root
 * @returns {string | undefined}
 * @example staleReason(process.cwd()) // 'mocks/server.ts changed after the last build'
 */
export function staleReason(root) {
  const stamp = path.join(root, 'dist', '.tsbuildinfo');
  if (!existsSync(path.join(root, 'dist', 'mocks', 'cli.js')) || !existsSync(stamp)) return 'dist/ has not been built';
  const built = statSync(stamp).mtimeMs;
  for (const config of ['tsconfig.json', 'tsconfig.build.json']) {
    const full = path.join(root, config);
    if (existsSync(full) && statSync(full).mtimeMs > built) return `${config} changed after the last build`;
  }
  for (const dir of SOURCE_DIRS) {
    const newest = newestSource(path.join(root, dir));
    if (newest.mtimeMs > built) return `${path.relative(root, newest.file)} changed after the last build`;
  }
  return undefined;
}

/**
 * Runs `npm run build` in the package root; why it failed, or undefined once dist/ is built.
 * @param {string} root the package root
 * @returns {string | undefined}
 */
export function rebuild(root) {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0)
    return `npm run build failed (${build.error ? build.error.message : `exit ${build.status}`}; is TypeScript installed? run npm install)`;
  if (!existsSync(path.join(root, 'dist', 'mocks', 'cli.js'))) return 'npm run build produced no dist/mocks/cli.js';
  // An incremental build with nothing to emit leaves its record untouched: mark the build as done.
  const stamp = path.join(root, 'dist', '.tsbuildinfo');
  if (existsSync(stamp)) utimesSync(stamp, new Date(), new Date());
  return undefined;
}

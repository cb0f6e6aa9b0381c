// The repository stands alone: no source, test, script, CI step or config names a path outside it
// (the folders laid beside a checkout on some machines, or a developer's absolute paths). .ci/run
// proves it by testing in a fresh clone with nothing beside it; this catches it before CI does.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../spec/support/repo-root.js';

const SKIP_DIRS = new Set(['node_modules', 'dist', 'reports', '.git']);
const CODE = /\.(ts|mts|mjs|js|json|ya?ml|sh)$|^run$/;

// Released contracts are history kept byte for byte (0.1.0's text cites the folder its sources came
// from); nothing reads a path out of them.
const SKIP_PATHS = new Set([path.join(repoRoot, 'spec/released')]);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP_DIRS.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (SKIP_PATHS.has(full)) return [];
    if (entry.isDirectory()) return files(full);
    return CODE.test(entry.name) && entry.name !== 'package-lock.json' ? [full] : [];
  });
}

const OUTSIDE = [
  ['a folder beside the checkout', /\.\.\/shared\b|\bshared\/(seeds|reference|design)\b/],
  ['an absolute path of this machine', /\/work\/(main|shared)\b/],
] as const;

describe('self-contained repository', () => {
  const found = files(repoRoot);

  it('finds the code it scans', () => {
    expect(found.map((f) => path.relative(repoRoot, f))).toEqual(
      expect.arrayContaining(['.ci/run', 'mocks/server.ts', 'package.json']),
    );
  });

  it.each(OUTSIDE)('no file names %s', (_what, pattern) => {
    const offenders = found
      .filter((f) => f !== import.meta.filename && pattern.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(repoRoot, f));
    expect(offenders).toEqual([]);
  });
});

// `npm run release-contracts -- <version> [<commit>]`: snapshots the contracts of a release into
// spec/released/<version>/ (each bundled into one JSON document by the compat loader, from the commit,
// HEAD by default) and records the commit in spec/released/releases.json. `npm test` compares the
// working contracts with the last snapshot (conformance/compat/released.test.ts).
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadContract } from '../conformance/compat/load.js';
import { repoRoot } from '../spec/support/repo-root.js';
import { RELEASED_DIR, type ReleaseTable } from '../conformance/compat/released.js';

const [version, ref = 'HEAD'] = process.argv.slice(2);
if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
  console.error('usage: npm run release-contracts -- <version> [<commit>]');
  process.exit(2);
}
const commit = execFileSync('git', ['rev-parse', `${ref}^{commit}`], { cwd: repoRoot })
  .toString()
  .trim();
const tablePath = path.join(repoRoot, RELEASED_DIR, 'releases.json');
const table = JSON.parse(await readFile(tablePath, 'utf8')) as ReleaseTable;
const written: string[] = [];
for (const [name, entry] of Object.entries(table.contracts)) {
  const exists = execFileSync('git', ['ls-tree', '--name-only', commit, '--', entry], { cwd: repoRoot })
    .toString()
    .trim();
  if (!exists) continue;
  const { doc } = await loadContract(`${commit}:${entry}`, repoRoot);
  const file = path.join(repoRoot, RELEASED_DIR, version, `${name}.json`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(doc, null, 2)}\n`);
  written.push(path.relative(repoRoot, file));
}
const others = table.releases.filter((r) => r.version !== version);
const previous = table.releases.find((r) => r.version === version);
table.releases = [...others, { version, commit, why: previous?.why ?? 'recorded by npm run release-contracts' }];
await writeFile(tablePath, `${JSON.stringify(table, null, 2)}\n`);
console.log(`${version} = ${commit}: wrote ${written.join(', ')} and ${path.relative(repoRoot, tablePath)}.`);

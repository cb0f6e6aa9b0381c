// The kit's released contracts: spec/released/releases.json names each release's commit (there are no
// git tags; see DECISIONS.md) and the contracts it carries; spec/released/<version>/<name>.json holds
// each contract as released, bundled into one JSON document, so `npm test` compares the working
// contracts with the last release without git history (a shallow clone or a tarball still checks).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { JsonObject } from './types.js';
import { compareContracts } from './diff.js';
import { loadContract } from './load.js';
import { breakingChangeAnnounced } from './announce.js';
import type { Finding } from './types.js';

export const RELEASED_DIR = 'spec/released';

export interface ReleaseTable {
  /** Contract name → its entry file in the repository (`casapay` → `spec/casapay.yaml`). */
  contracts: Record<string, string>;
  /** Oldest first. */
  releases: { version: string; commit: string; why: string }[];
}

export async function readReleaseTable(root: string): Promise<ReleaseTable> {
  return JSON.parse(await readFile(path.join(root, RELEASED_DIR, 'releases.json'), 'utf8')) as ReleaseTable;
}

/** The path of a released contract's snapshot, relative to the repository, or undefined when that release did not carry it. */
export function snapshotPath(root: string, version: string, name: string): string | undefined {
  const relative = path.join(RELEASED_DIR, version, `${name}.json`);
  return existsSync(path.join(root, relative)) ? relative : undefined;
}

export async function readSnapshot(root: string, relative: string): Promise<JsonObject> {
  return JSON.parse(await readFile(path.join(root, relative), 'utf8')) as JsonObject;
}

export interface UnannouncedBreak {
  contract: string;
  finding: Finding;
  reason: string;
}

/**
 * The working contracts against the last release's: every breaking difference (for clients) that
 * package.json's version and CHANGELOG.md do not announce. `heads` replaces a working contract
 * (by name) with a document, for tests.
 */
export async function unannouncedBreakingChanges(
  root: string,
  heads: Record<string, JsonObject> = {},
  /** The package version to judge by instead of package.json's (a test's "as if not bumped"). */
  packageVersion?: string,
): Promise<{ released: string; version: string; breaks: UnannouncedBreak[] }> {
  const table = await readReleaseTable(root);
  const last = table.releases.at(-1)!;
  const version =
    packageVersion ??
    (JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const changelog = await readFile(path.join(root, 'CHANGELOG.md'), 'utf8');
  const breaks: UnannouncedBreak[] = [];
  for (const [name, entry] of Object.entries(table.contracts)) {
    const snapshot = snapshotPath(root, last.version, name);
    if (!snapshot) continue;
    const head = heads[name] ?? (await loadContract(entry, root)).doc;
    const breaking = compareContracts(await readSnapshot(root, snapshot), head).filter((f) => f.clients === 'breaking');
    if (!breaking.length) continue;
    const { announced, reason } = breakingChangeAnnounced(last.version, version, changelog);
    if (!announced) breaks.push(...breaking.map((finding) => ({ contract: entry, finding, reason: reason! })));
  }
  return { released: last.version, version, breaks };
}

/** One line per unannounced break: the rule, the path, the change and what announcing it takes. */
export const formatBreak = (b: UnannouncedBreak) =>
  `${b.contract}: ${b.finding.id} at ${b.finding.path} (${b.finding.operation}): ${b.finding.message} — not announced: ${b.reason}`;

// The kit's released contracts: spec/released/releases.json names each release's commit (there are no
// git tags; see DECISIONS.md) and the contracts it carries; spec/released/<version>/<name>.json holds
// each contract as released, bundled into one JSON document, so `npm test` compares the working
// contracts with the last release without git history (a shallow clone or a tarball still checks).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { JsonObject } from './types.js';

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

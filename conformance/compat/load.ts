// Loads one side of a comparison: a file (YAML or JSON, OpenAPI 3.0 or 3.1) or a git ref written
// `REF:path` (`HEAD~1:spec/casapay.yaml`, `main:openapi.json`), bundled by @redocly/openapi-core so
// `$ref`s into other files are resolved (internal ones stay, so cycles stay finite). A git ref is read
// with the files its `$ref`s point to at that ref: every YAML/JSON file of the ref's tree is copied
// into a temporary folder first (git cat-file, nothing checked out, the working tree untouched).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundle, createConfig } from '@redocly/openapi-core';
import type { JsonObject } from './types.js';

export class ContractLoadError extends Error {}

export interface LoadedContract {
  doc: JsonObject;
  /** What the user named: the file, or `REF:path`. */
  label: string;
}

const git = (cwd: string, args: string[], input?: Buffer) =>
  execFileSync('git', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 30, ...(input ? { input } : {}) });

/** `REF:path` when the argument is not an existing file and REF names a commit of the repository at `cwd`. */
export function parseGitRef(spec: string, cwd: string): { ref: string; file: string } | undefined {
  if (existsSync(path.resolve(cwd, spec))) return undefined;
  const colon = spec.indexOf(':');
  if (colon <= 0) return undefined;
  const ref = spec.slice(0, colon);
  try {
    git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    return undefined;
  }
  return { ref, file: spec.slice(colon + 1) };
}

/** Writes every YAML/JSON file of `ref`'s tree under `dir`; returns the repository's top folder. */
async function materialize(cwd: string, ref: string, dir: string): Promise<string> {
  const top = git(cwd, ['rev-parse', '--show-toplevel']).toString().trim();
  const listing = git(top, ['ls-tree', '-r', '-z', '--full-tree', ref]).toString();
  const blobs = listing
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, file] = line.split('\t') as [string, string];
      const [, type, sha] = meta.split(' ') as [string, string, string];
      return { type, sha, file };
    })
    .filter((e) => e.type === 'blob' && /\.(ya?ml|json)$/i.test(e.file));
  if (!blobs.length) return top;
  const out = git(top, ['cat-file', '--batch'], Buffer.from(blobs.map((b) => b.sha).join('\n') + '\n'));
  let offset = 0;
  for (const blob of blobs) {
    const headerEnd = out.indexOf(0x0a, offset);
    const size = Number(out.subarray(offset, headerEnd).toString().split(' ')[2]);
    const content = out.subarray(headerEnd + 1, headerEnd + 1 + size);
    offset = headerEnd + 1 + size + 1;
    const target = path.join(dir, blob.file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  return top;
}

async function bundleFile(file: string, label: string): Promise<JsonObject> {
  if (!existsSync(file)) throw new ContractLoadError(`${label}: no such file`);
  // A bare config: the user's redocly.yaml (lint rules, decorators) has no say in what the contract means.
  const config = await createConfig({});
  let result;
  try {
    result = await bundle({ ref: file, config });
  } catch (err) {
    throw new ContractLoadError(`${label}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new ContractLoadError(`${label}: ${errors.map((p) => p.message).join('; ')}`);
  const doc = result.bundle.parsed as unknown;
  if (typeof doc !== 'object' || doc === null || (!('openapi' in doc) && !('swagger' in doc))) throw new ContractLoadError(`${label}: not an OpenAPI document`);
  if ('swagger' in doc) throw new ContractLoadError(`${label}: Swagger 2.0 is not supported (OpenAPI 3.0 or 3.1)`);
  return doc as JsonObject;
}

/** Loads a file or `REF:path`, relative to `cwd`. */
export async function loadContract(spec: string, cwd = process.cwd()): Promise<LoadedContract> {
  const gitRef = parseGitRef(spec, cwd);
  if (!gitRef) return { doc: await bundleFile(path.resolve(cwd, spec), spec), label: spec };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'casapay-compat-'));
  try {
    const top = await materialize(cwd, gitRef.ref, dir);
    // git reads `REF:path` from the top of the repository; `REF:./path` from the current folder.
    const relative = gitRef.file.startsWith('./') || gitRef.file.startsWith('../') ? path.relative(top, path.resolve(cwd, gitRef.file)) : gitRef.file;
    return { doc: await bundleFile(path.join(dir, relative), spec), label: spec };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

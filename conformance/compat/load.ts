// Loads one side of a comparison: a file (YAML or JSON, OpenAPI 3.0 or 3.1) or a git ref written
// `REF:path` (`HEAD~1:spec/casapay.yaml`, `main:openapi.json`), bundled by @redocly/openapi-core so
// `$ref`s into other files are resolved (internal ones stay, so cycles stay finite). A git ref's files,
// the entry and every file its `$ref`s reach, are read from that ref with `git show` (nothing checked
// out, the working tree untouched). Remote (`https://…`) `$ref`s are refused, never fetched.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BaseResolver, ResolveError, Source, bundle, createConfig } from '@redocly/openapi-core';
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

/** Reads files from disk, or from a git ref when given one; never over the network. */
class ContractResolver extends BaseResolver {
  constructor(private readonly readAt?: (absolute: string) => string | undefined) {
    super();
  }

  override async loadExternalRef(absoluteRef: string): Promise<Source> {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(absoluteRef))
      throw new ResolveError(
        new Error(`${absoluteRef}: remote $refs are not fetched; bundle the contract into one file first`),
      );
    if (!this.readAt) return super.loadExternalRef(absoluteRef);
    const body = this.readAt(absoluteRef);
    if (body === undefined) throw new ResolveError(new Error(`${absoluteRef}: no such file at that ref`));
    return new Source(absoluteRef, body.replace(/\r\n/g, '\n'));
  }
}

async function bundleContract(file: string, label: string, resolver: ContractResolver): Promise<JsonObject> {
  // A bare config: the user's redocly.yaml (lint rules, decorators) has no say in what the contract means.
  const config = await createConfig({});
  let result;
  try {
    result = await bundle({ ref: file, config, externalRefResolver: resolver });
  } catch (err) {
    throw new ContractLoadError(`${label}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new ContractLoadError(`${label}: ${errors.map((p) => p.message).join('; ')}`);
  const doc = result.bundle.parsed as unknown;
  if (typeof doc !== 'object' || doc === null || (!('openapi' in doc) && !('swagger' in doc)))
    throw new ContractLoadError(`${label}: not an OpenAPI document`);
  if ('swagger' in doc) throw new ContractLoadError(`${label}: Swagger 2.0 is not supported (OpenAPI 3.0 or 3.1)`);
  return doc as JsonObject;
}

/** Loads a file or `REF:path`, relative to `cwd`. */
export async function loadContract(spec: string, cwd = process.cwd()): Promise<LoadedContract> {
  const gitRef = parseGitRef(spec, cwd);
  if (!gitRef) {
    const file = path.resolve(cwd, spec);
    if (!existsSync(file)) throw new ContractLoadError(`${spec}: no such file`);
    return { doc: await bundleContract(file, spec, new ContractResolver()), label: spec };
  }
  const top = git(cwd, ['rev-parse', '--show-toplevel']).toString().trim();
  // git reads `REF:path` from the top of the repository, `REF:./path` from the current folder.
  const entry =
    gitRef.file.startsWith('./') || gitRef.file.startsWith('../')
      ? path.resolve(cwd, gitRef.file)
      : path.join(top, gitRef.file);
  const readAt = (absolute: string) => {
    const relative = path.relative(top, absolute).split(path.sep).join('/');
    if (relative.startsWith('..')) return undefined;
    try {
      return git(top, ['show', `${gitRef.ref}:${relative}`]).toString('utf8');
    } catch {
      return undefined;
    }
  };
  return { doc: await bundleContract(entry, spec, new ContractResolver(readAt)), label: spec };
}

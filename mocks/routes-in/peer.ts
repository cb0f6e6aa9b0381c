// The optional peers of the routes in (`/nock` needs nock, `/testcontainers` needs testcontainers):
// which versions work on which Node, and loading a peer so that a missing or unsuitable one fails with
// an error naming the package and the version to install — not Node's "Cannot find package" or, for
// testcontainers past 12.0.1 on Node 20, a crash inside undici 8 that names neither.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface Peer {
  /** The npm package. */
  name: string;
  /** The kit's route that needs it. */
  route: string;
  /** The version to install (the one the kit is tested with, package.json's devDependency). */
  install: string;
  /** Why `version` does not work on Node `node`, or undefined when it does. */
  unsuitable(version: string, node: string): string | undefined;
}

const parse = (version: string): [number, number, number] => {
  const [major = 0, minor = 0, patch = 0] = version.split(/[.+-]/, 3).map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
};
const compare = (a: string, b: string): number => {
  const [x, y] = [parse(a), parse(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

/** nock 14: 15 changed the interceptor API and 15.0.6 needs Node 22.20. */
export const NOCK: Peer = {
  name: 'nock',
  route: 'casapay-contract-kit/nock',
  install: '14.0.17',
  unsuitable: (version) =>
    parse(version)[0] !== 14 ? `nock ${version} is not supported (the kit is built for nock 14)` : undefined,
};

/**
 * testcontainers 12.0.0–12.0.1: every later 12.x pulls undici 8, which needs Node 22 (12.1 says so in
 * `engines`, 12.0.2–12.0.4 do not). On Node 22 and later any 12.x works.
 */
export const TESTCONTAINERS: Peer = {
  name: 'testcontainers',
  route: 'casapay-contract-kit/testcontainers',
  install: '12.0.1',
  unsuitable(version, node) {
    if (parse(version)[0] !== 12)
      return `testcontainers ${version} is not supported (the kit is built for testcontainers 12)`;
    if (compare(version, '12.0.1') > 0 && parse(node)[0] < 22)
      return `testcontainers ${version} needs Node 22 or later (it pulls undici 8), and this is Node ${node}`;
    return undefined;
  },
};

/**
 * The version of `name` that an import from `from` would load, or undefined when it is not installed.
 * @example installedVersion('nock') // '14.0.17'
 */
export function installedVersion(name: string, from: string = import.meta.url): string | undefined {
  const require = createRequire(from);
  let file: string;
  try {
    file = require.resolve(`${name}/package.json`);
  } catch {
    // A package whose `exports` hide package.json: walk up from its entry point.
    try {
      let dir = path.dirname(require.resolve(name));
      for (;;) {
        try {
          const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
            name?: string;
            version?: string;
          };
          if (pkg.name === name) return pkg.version;
        } catch {
          // no package.json at this level
        }
        const up = path.dirname(dir);
        if (up === dir) return undefined;
        dir = up;
      }
    } catch {
      return undefined;
    }
  }
  return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
}

/**
 * Why `peer` cannot be used (missing or unsuitable), with the command that fixes it; undefined when it can.
 * @example peerProblem(TESTCONTAINERS, '12.2.0', '20.19.0') // 'casapay-contract-kit/testcontainers: testcontainers 12.2.0 needs Node 22 … npm install --save-dev testcontainers@12.0.1'
 */
export function peerProblem(peer: Peer, version: string | undefined, node: string): string | undefined {
  const fix = `npm install --save-dev ${peer.name}@${peer.install}`;
  if (version === undefined) return `${peer.route} needs the ${peer.name} package, which is not installed: ${fix}`;
  const why = peer.unsuitable(version, node);
  return why ? `${peer.route}: ${why}; install the version the kit is tested with: ${fix}` : undefined;
}

/** Imports the peer after checking it, throwing peerProblem's message when it cannot be used. */
export async function loadPeer<T>(peer: Peer): Promise<T> {
  const problem = peerProblem(peer, installedVersion(peer.name), process.versions.node);
  if (problem) throw new Error(problem);
  return (await import(peer.name)) as T;
}

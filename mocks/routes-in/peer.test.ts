// The routes' optional peers: which versions are refused on which Node, and that a missing or
// unsuitable peer fails with a message naming the package and the version to install.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { installedVersion, loadPeer, NOCK, peerProblem, TESTCONTAINERS, type Peer } from './peer.js';

describe('peerProblem', () => {
  it.each([
    ['12.0.1', '20.19.0'],
    ['12.0.0', '20.19.0'],
    ['12.0.1', '24.11.0'],
    ['12.2.0', '22.22.0'],
    ['12.2.0', '24.11.0'],
  ])('testcontainers %s on Node %s is fine', (version, node) =>
    expect(peerProblem(TESTCONTAINERS, version, node)).toBeUndefined(),
  );

  it.each([['12.0.2'], ['12.0.4'], ['12.2.0']])(
    'testcontainers %s on Node 20 is refused, naming Node 22 and the version to install',
    (version) => {
      expect(peerProblem(TESTCONTAINERS, version, '20.19.0')).toBe(
        `casapay-contract-kit/testcontainers: testcontainers ${version} needs Node 22 or later (it pulls undici 8), and this is Node 20.19.0; install the version the kit is tested with: npm install --save-dev testcontainers@12.0.1`,
      );
    },
  );

  it.each([['11.14.0'], ['13.0.0']])('testcontainers %s is refused on any Node', (version) => {
    expect(peerProblem(TESTCONTAINERS, version, '24.11.0')).toMatch(
      new RegExp(`testcontainers ${version} is not supported.*npm install --save-dev testcontainers@12\\.0\\.1`),
    );
  });

  it('nock 15 is refused, nock 14 taken', () => {
    expect(peerProblem(NOCK, '15.0.6', '24.11.0')).toMatch(
      /casapay-contract-kit\/nock: nock 15\.0\.6 is not supported.*npm install --save-dev nock@14\.0\.17/,
    );
    expect(peerProblem(NOCK, '14.0.17', '20.19.0')).toBeUndefined();
  });

  it('a missing peer names the package and the command', () => {
    expect(peerProblem(NOCK, undefined, '20.19.0')).toBe(
      'casapay-contract-kit/nock needs the nock package, which is not installed: npm install --save-dev nock@14.0.17',
    );
  });

  it('installs what package.json tests with', () => {
    expect(TESTCONTAINERS.install).toBe(pkg.devDependencies.testcontainers);
    expect(NOCK.install).toBe(pkg.devDependencies.nock);
    expect(pkg.peerDependencies.testcontainers).toBe(TESTCONTAINERS.install);
  });
});

describe('installedVersion and loadPeer', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'casapay-peer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the version an import from a folder would load, or undefined', () => {
    mkdirSync(path.join(dir, 'node_modules/testcontainers'), { recursive: true });
    writeFileSync(
      path.join(dir, 'node_modules/testcontainers/package.json'),
      JSON.stringify({ name: 'testcontainers', version: '12.2.0', main: 'index.js' }),
    );
    const from = pathToFileURL(path.join(dir, 'app.js')).href;
    expect(installedVersion('testcontainers', from)).toBe('12.2.0');
    expect(installedVersion('nock', from)).toBeUndefined();
    // This repository's own: what the routes load.
    expect(installedVersion('testcontainers')).toBe(pkg.devDependencies.testcontainers);
  });

  it('loadPeer refuses a missing package with the install command, and loads an installed one', async () => {
    const absent: Peer = {
      name: 'casapay-kit-no-such-peer',
      route: 'casapay-contract-kit/example',
      install: '1.2.3',
      unsuitable: () => undefined,
    };
    await expect(loadPeer(absent)).rejects.toThrow(
      'casapay-contract-kit/example needs the casapay-kit-no-such-peer package, which is not installed: npm install --save-dev casapay-kit-no-such-peer@1.2.3',
    );
    const loaded = await loadPeer<{ default: unknown }>(NOCK);
    expect(typeof loaded.default).toBe('function');
  });
});

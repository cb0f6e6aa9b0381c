// The package as a user gets it: `npm pack`, then installed into an empty project (with the optional
// peers nock and testcontainers), where `npx casapay-mock` answers, `npx casapay-conformance` passes
// against the mock it starts, and every export imports. The tarball must hold no tests, fixtures or
// dev configuration. Installs come from the npm registry (its local cache when warm).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../spec/support/repo-root.js';

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  private?: boolean;
  exports: Record<string, string>;
  devDependencies: Record<string, string>;
};

let work: string;
let project: string;
let packed: PackResult;

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'casapay-pack-'));
  packed = (JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], repoRoot)) as PackResult[])[0]!;
  console.log(
    `packed ${packed.filename}: ${(packed.size / 1024).toFixed(0)} KB, ${(packed.unpackedSize / 1024 / 1024).toFixed(2)} MB unpacked, ${packed.files.length} files`,
  );
  project = path.join(work, 'empty-project');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'empty-project', version: '1.0.0', private: true, type: 'module' }),
  );
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      path.join(work, packed.filename),
      `nock@${pkg.devDependencies.nock}`,
      `testcontainers@${pkg.devDependencies.testcontainers}`,
    ],
    project,
  );
}, 600_000);

// Removing the installed project takes more than the default 30 s on a loaded machine (CI runs two suites at once).
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
}, 180_000);

describe('the packed tarball', () => {
  it('can be published: a name, a version, not private', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(packed.filename).toBe(`${pkg.name}-${pkg.version}.tgz`);
  });

  it('holds no tests, fixtures or dev configuration', () => {
    const files = packed.files.map((f) => f.path);
    const unwanted = files.filter((f) =>
      /\.test\.|test-support|^spec\/|^\.ci\/|^scripts\/|tsconfig|vitest\.config|redocly|spectral|\.tsbuildinfo|^reports\//.test(
        f,
      ),
    );
    expect(unwanted).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/mocks/cli.js',
        'dist/conformance/cli.js',
        'generated/casapay.json',
        'generated/debitura-customer.json',
        'generated/debitura-referral.json',
        'mocks/apis/casapay/scenarios/quickstart.yaml',
        'mocks/apis/debitura/scenarios/debitura-unsigned-contract.yaml',
        'README.md',
        'CHANGELOG.md',
        'LICENSE',
      ]),
    );
  });

  it('npx casapay-mock answers on a free port', async () => {
    const child = spawn('npx', ['casapay-mock', '--port', '0', '--quiet'], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.on('exit', (code) => reject(new Error(`casapay-mock exited with ${code}: ${out}`)));
      });
      const res = await fetch(`${url}/v1/collection_cases/dc_a1b2c3d4`, {
        headers: { authorization: 'Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc' },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { reference: string }).reference).toBe('Q8OAXF3W');
      // Debitura's APIs come with it: the docs' key mints the docs' token.
      const token = await fetch(`${url}/debitura/referral/oauth/token`, {
        method: 'POST',
        headers: { XApiKey: 'YOUR_API_KEY', 'content-type': 'application/json' },
        body: JSON.stringify({ externalTenantId: 'your-client-id' }),
      });
      expect(token.status).toBe(200);
      expect(((await token.json()) as { expiresIn: number }).expiresIn).toBe(1800);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
  });

  it('npx casapay-conformance passes against the mock it starts', () => {
    const reportDir = path.join(work, 'conformance-report');
    run('npx', ['casapay-conformance', '--report-dir', reportDir, '--negative-runs', '5'], project);
    const report = JSON.parse(readFileSync(path.join(reportDir, 'report.json'), 'utf8')) as {
      verdict: string;
      checks: { state: string }[];
    };
    expect(report.verdict).toBe('pass');
    expect(report.checks.filter((c) => c.state === 'passed').length).toBeGreaterThan(50);
  }, 180_000);

  it('npx casapay-conformance compat reads two contracts with its runtime dependencies alone', () => {
    // The base refers to a second file: the bundler (@redocly/openapi-core) must ship as a dependency.
    writeFileSync(path.join(project, 'pet.yaml'), 'type: object\nrequired: [id]\nproperties:\n  id: {type: string}\n');
    const contract = (schema: string) =>
      `openapi: 3.1.0\ninfo: {title: Pets, version: "1"}\npaths:\n  /pets:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: ${schema}\n`;
    writeFileSync(path.join(project, 'base.yaml'), contract('{$ref: pet.yaml}'));
    writeFileSync(path.join(project, 'head.yaml'), contract('{type: object, properties: {id: {type: string}}}'));
    let output: string;
    let code = 0;
    try {
      output = run('npx', ['casapay-conformance', 'compat', 'base.yaml', 'head.yaml'], project);
    } catch (err) {
      ({ status: code, stdout: output } = err as { status: number; stdout: string });
    }
    expect(code, output).toBe(1);
    expect(output).toContain('response-property-became-optional');
  }, 60_000);

  it.each(Object.entries(pkg.exports))('exports %s', (entry, file) => {
    const specifier = `${pkg.name}${entry.slice(1)}`;
    // JSON exports need an import attribute; modules must export something.
    const script = file.endsWith('.json')
      ? `const m = await import(${JSON.stringify(specifier)}, { with: { type: 'json' } }); console.log(JSON.stringify(Object.keys(m.default)));`
      : `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m)));`;
    const keys = JSON.parse(run('node', ['--input-type=module', '-e', script], project)) as string[];
    expect(keys.length).toBeGreaterThan(0);
  });
});

// The compat command line: files in YAML and JSON, a `$ref` into another file, OpenAPI 3.0 against
// 3.1, exit codes (0, 1, 2; `--fail-on warning`; `--for implementations`) and every report format.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCompatCommand } from './command.js';

let dir: string;
const contract = (version: string, schema: object, extra: object = {}) => ({
  openapi: version,
  info: { title: 'Rent', version: '1' },
  paths: {
    '/rents': {
      get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } } },
      ...extra,
    },
  },
});

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'compat-command-'));
  // 3.0, YAML, the schema in another file, `nullable`.
  writeFileSync(
    path.join(dir, 'rent.yaml'),
    'type: object\nrequired: [id, note]\nproperties:\n  id: {type: string}\n  note: {type: string, nullable: true}\n  status: {type: string, enum: [open]}\n',
  );
  writeFileSync(
    path.join(dir, 'base.yaml'),
    "openapi: 3.0.3\ninfo: {title: Rent, version: '1'}\npaths:\n  /rents:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: rent.yaml}\n",
  );
  const rent = {
    type: 'object',
    required: ['id', 'note'],
    properties: {
      id: { type: 'string' },
      note: { type: ['string', 'null'] },
      status: { type: 'string', enum: ['open'] },
    },
  };
  writeFileSync(path.join(dir, 'same.json'), JSON.stringify(contract('3.1.0', rent)));
  writeFileSync(
    path.join(dir, 'warning.json'),
    JSON.stringify(
      contract('3.1.0', {
        ...rent,
        properties: { ...rent.properties, status: { type: 'string', enum: ['open', 'paid'] } },
      }),
    ),
  );
  writeFileSync(path.join(dir, 'breaking.json'), JSON.stringify(contract('3.1.0', { ...rent, required: ['id'] })));
  writeFileSync(
    path.join(dir, 'remote.yaml'),
    "openapi: 3.1.0\ninfo: {title: Rent, version: '1'}\npaths:\n  /rents:\n    get:\n      responses:\n        '200': {$ref: 'https://example.com/responses.yaml#/ok'}\n",
  );
  writeFileSync(
    path.join(dir, 'broken.yaml'),
    "openapi: 3.1.0\ninfo: {title: Rent, version: '1'}\npaths:\n  /rents:\n    get:\n      responses:\n        '200': {$ref: missing.yaml}\n",
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]) {
  const lines: string[] = [];
  const code = await runCompatCommand(
    ['compat', ...args],
    { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    dir,
  );
  return { code, out: lines.join('\n') };
}

describe('casapay-conformance compat', () => {
  it('a 3.0 YAML contract with a $ref into another file equals its 3.1 JSON rewrite: exit 0', async () => {
    const { code, out } = await run('base.yaml', 'same.json');
    expect(out).toMatch(/0 breaking, 0 warnings/);
    expect(code).toBe(0);
  });

  it('a response enum widened is a warning: exit 0, exit 1 under --fail-on warning', async () => {
    expect((await run('base.yaml', 'warning.json')).code).toBe(0);
    const strict = await run('base.yaml', 'warning.json', '--fail-on', 'warning');
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('response-property-enum-value-added');
  });

  it('a response field made optional breaks clients (exit 1) but no implementation', async () => {
    const clients = await run('base.yaml', 'breaking.json');
    expect(clients.code).toBe(1);
    expect(clients.out).toMatch(/breaking\s+response-property-became-optional/);
    expect(clients.out).toContain('#/paths/~1rents/get/responses/200/content/application~1json/schema/properties/note');
    expect((await run('base.yaml', 'breaking.json', '--for', 'implementations')).code).toBe(0);
  });

  it('writes JSON, JUnit and Markdown reports', async () => {
    await run(
      'base.yaml',
      'breaking.json',
      '--json',
      'out/r.json',
      '--junit',
      'out/junit.xml',
      '--markdown',
      'out/summary.md',
    );
    const report = JSON.parse(readFileSync(path.join(dir, 'out/r.json'), 'utf8')) as {
      verdict: string;
      findings: { id: string; clients: string; implementations: string; path: string }[];
    };
    expect(report.verdict).toBe('fail');
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        id: 'response-property-became-optional',
        clients: 'breaking',
        implementations: 'compatible',
      }),
    );
    expect(readFileSync(path.join(dir, 'out/junit.xml'), 'utf8')).toMatch(
      /<testsuites name="casapay-conformance compat" tests="\d+" failures="1">[\s\S]*<failure type="breaking" message="response-property-became-optional/,
    );
    expect(readFileSync(path.join(dir, 'out/summary.md'), 'utf8')).toMatch(
      /\*\*Fails\*\*[\s\S]*\| 🔴 breaking \| `response-property-became-optional` \|/,
    );
    expect(JSON.parse((await run('base.yaml', 'breaking.json', '--format', 'json')).out)).toMatchObject({
      verdict: 'fail',
    });
  });

  it('a file that is missing or does not resolve, or a bad option, is exit 2', async () => {
    const missing = await run('nope.yaml', 'same.json');
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.out).toContain('nope.yaml: no such file');
    expect((await run('broken.yaml', 'same.json')).code).toBe(2);
    // Nothing is downloaded: a remote $ref is refused, saying so.
    const remote = await run('remote.yaml', 'same.json');
    expect(remote.code).toBe(2);
    expect(remote.out).toContain('remote $refs are not fetched');
    expect((await run('base.yaml', 'same.json', '--fail-on', 'never')).code).toBe(2);
  });
});

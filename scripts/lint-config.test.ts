// The formatter and the linter cover what they should and spare what they must: ESLint lints every
// TypeScript and .mjs file but what tools write, with the house's exceptions and nothing looser; Prettier
// leaves alone the files whose bytes matter (a format there would break a byte-for-byte comparison).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../spec/support/repo-root.js';

const SKIP_DIRS = new Set(['node_modules', 'dist', 'reports', '.git']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP_DIRS.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts|mjs)$/.test(entry.name) ? [path.relative(repoRoot, full)] : [];
  });
}

const written = (file: string) => file.startsWith('generated/') || /^examples\/[^/]+\/generated\//.test(file);

describe('eslint.config.mjs', () => {
  const eslint = new ESLint({ cwd: repoRoot });

  it('lints every .ts, .mts and .mjs file but the generated ones, the console app included', async () => {
    const files = sourceFiles(repoRoot);
    expect(files).toContain('mocks/operator/console/app/main.ts');
    const wrong = [];
    for (const file of files) {
      if ((await eslint.isPathIgnored(path.join(repoRoot, file))) !== written(file)) wrong.push(file);
    }
    expect(wrong).toEqual([]);
  });

  it('reports a real bug and spares the house exceptions', async () => {
    const source = [
      "import { readFileSync } from 'node:fs';", // unused import
      'let constant = 1;', // never reassigned
      'const json: any = JSON.parse(String(constant));', // `any` for untyped JSON: allowed
      'const { secret: _secret, ...shown } = json;', // left out on purpose: allowed
      'export { shown };',
    ].join('\n');
    const [result] = await eslint.lintText(source, { filePath: path.join(repoRoot, 'kit/example.ts') });
    expect(result!.messages.map((m) => `${m.line} ${m.ruleId}`)).toEqual([
      '1 @typescript-eslint/no-unused-vars',
      '2 prefer-const',
    ]);
  });
});

describe('.prettierignore', () => {
  const ignored = async (file: string) =>
    (await prettier.getFileInfo(path.join(repoRoot, file), { ignorePath: path.join(repoRoot, '.prettierignore') }))
      .ignored;

  it.each([
    'generated/casapay.json',
    'examples/debitura-client/generated/index.ts',
    'package-lock.json',
    'spec/released/0.3.0/casapay.json',
    'spec/debitura/published/customer-api.json',
    'conformance/pact/fixtures/valid.json',
    'examples/frontend-consumer/pacts/frontend-app-casapay-api.json',
    'conformance/RULES.md',
    'conformance/compat/RULES.md',
  ])('spares %s', async (file) => {
    expect(await ignored(file)).toBe(true);
  });

  it.each(['kit/contract.ts', 'scripts/lint.mjs', 'spec/casapay.yaml', 'package.json', 'eslint.config.mjs'])(
    'formats %s',
    async (file) => {
      expect(await ignored(file)).toBe(false);
    },
  );
});

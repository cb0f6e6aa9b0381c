// The seam between the suite, the kit and the mock: the suite and the mock are siblings sharing kit/,
// so conformance/ (tests included) imports from mocks/ only mocks/server.ts, to start the bundled mock,
// and kit/ imports from neither. Every static import, re-export, `import type`, `typeof import()` and
// import() of a literal specifier counts, and the package naming itself (`casapay-contract-kit/nock`)
// through its exports map; TypeScript's own scanner reads them, so comments and strings do not. A
// specifier computed at run time is not seen.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../spec/support/repo-root.js';

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string>;
};

/** The source file (relative to the root) that `specifier`, written in `from`, loads; null for another package. */
function resolveSpecifier(specifier: string, from: string): string | null {
  let target: string;
  if (specifier.startsWith('.')) {
    target = path.posix.join(path.posix.dirname(from), specifier);
  } else if (specifier === pkg.name || specifier.startsWith(`${pkg.name}/`)) {
    // The exports point into dist/, which mirrors the source tree.
    const file = pkg.exports[`.${specifier.slice(pkg.name.length)}`];
    if (file === undefined) return null;
    target = path.posix.normalize(file).replace(/^dist\//, '');
  } else {
    return null;
  }
  return target.replace(/\.([mc]?)js$/, '.$1ts');
}

interface Seam {
  folder: string;
  forbidden: (target: string) => boolean;
}

const SEAMS: Seam[] = [
  { folder: 'conformance', forbidden: (target) => target.startsWith('mocks/') && target !== 'mocks/server.ts' },
  { folder: 'kit', forbidden: (target) => target.startsWith('mocks/') || target.startsWith('conformance/') },
];

/** The imports of `file` (relative to the root, holding `text`) that cross its folder's seam, as "file → specifier". */
function seamBreaks(file: string, text: string): string[] {
  const seam = SEAMS.find((s) => file.startsWith(`${s.folder}/`));
  if (!seam) return [];
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((imported) => imported.fileName)
    .filter((specifier) => {
      const target = resolveSpecifier(specifier, file);
      return target !== null && seam.forbidden(target);
    })
    .map((specifier) => `${file} → ${specifier}`);
}

const sourcesUnder = (folder: string): string[] =>
  readdirSync(path.join(repoRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.[mc]?[tj]s$/.test(name) && !name.split(path.sep).includes('node_modules'))
    .map((name) => `${folder}/${name.split(path.sep).join('/')}`);

describe('the seam: the suite imports the mock only to start it, the kit imports neither', () => {
  it('sees every form of import (the scanner is not blind)', () => {
    // Double quotes inside, so the fixtures do not count in a grep for the suite's imports.
    const text = [
      'import { a } from "../mocks/apis/casapay/variants.js";',
      'import type { B } from "../mocks/engine/errors.js";',
      'export { c } from "./support/../../mocks/engine/clock.js";',
      'const d = await import("../mocks/apis/debitura/defects.js");',
      'const e = await import(`../mocks/engine/sandbox.js`);',
      'type F = typeof import("../mocks/cli.js");',
      'import { interceptCasaPay } from "casapay-contract-kit/nock";',
      // allowed: the server, the kit, the package's kit exports, other packages, comments and strings
      'import { createMockServer } from "../mocks/server.js";',
      'const g = await import("../mocks/server.js");',
      'import { loadContract } from "../kit/contract.js";',
      'import { verifyDebituraSignature } from "casapay-contract-kit/debitura/webhooks";',
      'import { describe } from "vitest";',
      '// import { h } from "../mocks/engine/pipeline.js";',
      'const i = \'import j from "../mocks/engine/pipeline.js"\';',
    ].join('\n');
    expect(seamBreaks('conformance/example.ts', text)).toEqual([
      'conformance/example.ts → ../mocks/apis/casapay/variants.js',
      'conformance/example.ts → ../mocks/engine/errors.js',
      'conformance/example.ts → ./support/../../mocks/engine/clock.js',
      'conformance/example.ts → ../mocks/apis/debitura/defects.js',
      'conformance/example.ts → ../mocks/engine/sandbox.js',
      'conformance/example.ts → ../mocks/cli.js',
      'conformance/example.ts → casapay-contract-kit/nock',
    ]);
    expect(
      seamBreaks(
        'kit/example.ts',
        'import { x } from "../mocks/server.js";\nimport { y } from "../conformance/support/runtime.js";\nimport { z } from "./real-time.js";',
      ),
    ).toEqual(['kit/example.ts → ../mocks/server.js', 'kit/example.ts → ../conformance/support/runtime.js']);
  });

  it.each(SEAMS.map((seam) => seam.folder))('every source file under %s/ holds it', (folder) => {
    const files = sourcesUnder(folder);
    expect(files.length, `source files found under ${folder}/`).toBeGreaterThan(5);
    const breaks = files.flatMap((file) => seamBreaks(file, readFileSync(path.join(repoRoot, file), 'utf8')));
    expect(
      breaks,
      `${folder}/ may import from mocks/ only mocks/server.ts (kit/: nothing from mocks/ or conformance/); move what is shared into kit/ or export it from mocks/server.ts`,
    ).toEqual([]);
  });
});

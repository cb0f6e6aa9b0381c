import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { V8_FLAGS } from './v8-tuning.js';

describe('the V8 settings the mock runs with', () => {
  it('are set by the first import of the CLI, before any other module allocates', () => {
    const source = readFileSync(new URL('./cli.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import\s.*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)].map((m) => m[1] ?? m[2]);
    expect(imports[0]).toBe('./v8-tuning.js');
  });

  it('turn allocation-site pretenuring off (docs/benchmark.md: a request’s objects left to die in the old generation)', () => {
    expect(V8_FLAGS).toContain('--no-allocation-site-pretenuring');
  });
});

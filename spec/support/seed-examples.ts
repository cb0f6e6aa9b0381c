// Pulls every brace-delimited block out of the seed documents, in order, so a test can check each
// JSON example against the schema it illustrates. Blocks that are code (the quickstart's Express
// handler) come back with `kind: 'code'`; JSON with `...` elisions comes back as `kind: 'fragment'`
// with the elided lines removed, to be validated against a schema that allows what was left out.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface SeedBlock {
  file: string;
  index: number;
  kind: 'json' | 'fragment' | 'code';
  text: string;
  value?: unknown;
  line: number;
}

function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

export function extractBlocks(file: string, text: string): SeedBlock[] {
  const blocks: SeedBlock[] = [];
  let i = 0;
  while ((i = text.indexOf('{', i)) !== -1) {
    const end = balancedEnd(text, i);
    if (end === -1) break;
    const raw = text.slice(i, end);
    const line = text.slice(0, i).split('\n').length;
    const block: SeedBlock = { file, index: blocks.length, kind: 'code', text: raw, line };
    try {
      block.value = JSON.parse(raw);
      block.kind = 'json';
    } catch {
      if (/^\s*\.\.\.\s*$/m.test(raw)) {
        const cleaned = raw.replace(/^\s*\.\.\.\s*$/gm, '').replace(/,(\s*[}\]])/g, '$1');
        try {
          block.value = JSON.parse(cleaned);
          block.kind = 'fragment';
        } catch {
          /* stays code */
        }
      }
    }
    blocks.push(block);
    i = end;
  }
  return blocks;
}

export function readSeedBlocks(seedDir: string): SeedBlock[] {
  return readdirSync(seedDir)
    .filter((f) => /^\d{3}_.*\.txt$/.test(f))
    .sort()
    .flatMap((f) => extractBlocks(f, readFileSync(path.join(seedDir, f), 'utf8')));
}

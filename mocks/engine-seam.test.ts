// The seam between the engine and the APIs: nothing under mocks/engine/ imports an API module, the
// operator surfaces, the composition root or generated/ (an API's types), and no engine source names an
// API's URL prefix, key shape or an error code only an API has. An API is added without editing the engine.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ENGINE_ERROR_CODES } from './engine/errors.js';
import { debituraErrors } from './apis/debitura/errors.js';
import { contract } from './test-support.js';

const mocks = path.dirname(fileURLToPath(import.meta.url));
const engine = path.join(mocks, 'engine');
const files = readdirSync(engine, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
const sources = files.filter((file) => !file.endsWith('.test.ts'));

/** Where each import of a file resolves, relative to mocks/ (`apis/casapay/state.ts`), or the bare package name. */
function importsOf(text: string, file: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName }) => {
    if (!fileName.startsWith('.')) return fileName;
    return path
      .relative(mocks, path.resolve(path.dirname(path.join(engine, file)), fileName))
      .split(path.sep)
      .join('/');
  });
}

/** The codes an API has beyond the engine's own: CasaPay's contract's, and Debitura's refusals. */
const apiOnlyCodes = (): string[] => {
  const casapay = contract.document.components.schemas.Error.properties.error.properties.code.enum as string[];
  // Each refusal made with stand-in arguments (a string, or a time for the token's expiry).
  const debitura = Object.values(debituraErrors).flatMap((make) =>
    [['x', 'y'], [0]].flatMap((args) => {
      try {
        return [(make as (...args: unknown[]) => { code: string })(...args).code];
      } catch {
        return [];
      }
    }),
  );
  return [...new Set([...casapay, ...debitura])].filter(
    (code) => code && !(ENGINE_ERROR_CODES as readonly string[]).includes(code),
  );
};

/** What would name an API: a URL prefix, a key shape, an error code no engine path raises. */
function namesAnApi(text: string, codes: readonly string[]): string[] {
  const found: string[] = [];
  for (const pattern of [
    /['"`]\/v1\b/,
    /\/debitura\b/,
    /\bsk_(?:test|live)/,
    /\bsk_\(/,
    /\bdebitura(?:-direct)?:/,
    /\bXApiKey\b/,
    /X-CasaPay-Signature/i,
  ]) {
    const match = pattern.exec(text);
    if (match) found.push(match[0]);
  }
  for (const code of codes) if (new RegExp(`['"\`]${code}['"\`]`).test(text)) found.push(code);
  return found;
}

describe('the engine names no API', () => {
  it('has files to check', () => {
    expect(sources.length).toBeGreaterThan(15);
  });

  it.each(files)('%s imports nothing of an API, the operator or the composition root', (file) => {
    const text = readFileSync(path.join(engine, file), 'utf8');
    const outside = importsOf(text, file).filter(
      (target) => /^(?:apis|operator)\//.test(target) || /^(?:server|cli|test-support)\.(?:js|ts)$/.test(target),
    );
    expect(outside).toEqual([]);
  });

  it.each(sources)("%s imports no generated types (an API's shapes)", (file) => {
    const text = readFileSync(path.join(engine, file), 'utf8');
    expect(importsOf(text, file).filter((target) => target.startsWith('../generated/'))).toEqual([]);
  });

  it.each(sources)('%s names no API prefix, key shape or API-only error code', (file) => {
    expect(namesAnApi(readFileSync(path.join(engine, file), 'utf8'), apiOnlyCodes())).toEqual([]);
  });

  it('the checks catch what they look for', () => {
    const codes = apiOnlyCodes();
    expect(codes).toEqual(
      expect.arrayContaining(['state_invalid', 'no_partner_available', 'token_expired', 'client_not_linked']),
    );
    expect(codes).not.toContain('parameter_invalid');
    expect(namesAnApi("if (url.startsWith('/v1/')) key = 'sk_test_x';", codes)).toEqual(["'/v1", 'sk_test']);
    expect(namesAnApi("throw new ApiError(401, 'authentication_error', 'token_expired', '…')", codes)).toEqual([
      'token_expired',
    ]);
    expect(namesAnApi("const prefix = '/debitura/customer'; headers.XApiKey", codes)).toEqual(['/debitura', 'XApiKey']);
    expect(
      importsOf(
        "import { x } from '../apis/casapay/state.js';\nconst y = await import('../operator/admin.js');",
        'pipeline.ts',
      ),
    ).toEqual(['apis/casapay/state.js', 'operator/admin.js']);
  });
});

// Reads the documentation examples kept in spec/docs-examples/: one YAML file per docs page, holding
// the page's requests as written (curl commands, raw HTTP requests) and its JSON responses and objects.
// Tests read them here, so nothing reaches outside the repository.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './repo-root.js';
import { extractCurls, type CurlCommand } from './curl-commands.js';

export const docsExamplesDir = path.join(repoRoot, 'spec/docs-examples');

interface ExampleBase {
  /** `<file stem>#<name>`, the key a test table uses. */
  key: string;
  file: string;
  page: string;
  name: string;
}
export type DocsExample =
  | (ExampleBase & { kind: 'curl'; text: string; request: CurlCommand })
  | (ExampleBase & { kind: 'http'; text: string; request: HttpRequest })
  | (ExampleBase & { kind: 'response' | 'object'; value: unknown; elided: boolean });

export interface HttpRequest {
  method: string;
  /** Absolute URL: `Host` joined with a relative target. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * A raw HTTP/1.1 request as the docs print it: a request line (relative target with `Host`, or an absolute URL), headers, a blank line, the body.
 * @example parseHttpRequest('POST /oauth/token HTTP/1.1\nHost: a.example\n\n{}') // { method: 'POST', url: 'https://a.example/oauth/token', body: '{}', … }
 */
export function parseHttpRequest(text: string): HttpRequest {
  const [head, ...rest] = text.split(/\r?\n\r?\n/);
  const [requestLine, ...headerLines] = head!.split(/\r?\n/);
  const [method, target] = requestLine!.split(' ');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const url = /^https?:\/\//.test(target!) ? target! : `https://${headers.host}${target}`;
  const body = rest.join('\n\n');
  return { method: method!, url, headers, ...(body ? { body } : {}) };
}

type RawExample = {
  name: string;
  curl?: string;
  http?: string;
  response?: unknown;
  object?: unknown;
  elided?: boolean;
};

export function readDocsExamples(dir = docsExamplesDir): DocsExample[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) => {
      const doc = parse(readFileSync(path.join(dir, file), 'utf8')) as { page: string; examples: RawExample[] };
      return doc.examples.map((raw): DocsExample => {
        const base = { key: `${file.replace(/\.yaml$/, '')}#${raw.name}`, file, page: doc.page, name: raw.name };
        if (raw.curl !== undefined) {
          const curls = extractCurls(file, raw.curl);
          if (curls.length !== 1) throw new Error(`${base.key}: expected one curl command, found ${curls.length}`);
          return { ...base, kind: 'curl', text: raw.curl, request: curls[0]! };
        }
        if (raw.http !== undefined)
          return { ...base, kind: 'http', text: raw.http, request: parseHttpRequest(raw.http) };
        if ('response' in raw) return { ...base, kind: 'response', value: raw.response, elided: raw.elided === true };
        if ('object' in raw) return { ...base, kind: 'object', value: raw.object, elided: raw.elided === true };
        throw new Error(`${base.key}: an example is one of curl, http, response or object`);
      });
    });
}

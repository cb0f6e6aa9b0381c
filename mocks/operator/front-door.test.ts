// GET / names the mock for a browser (HTML: the console, whose home carries the same facts) and for a
// program (JSON), GET /openapi.json serves the contract, and neither opens an account nor needs a key.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDoorInfo } from './front-door.js';
import { loadScenarios } from '../apis/casapay/scenarios/scenarios.js';
import { DOCS_API_KEY } from '../server.js';
import { contract, startMock, type TestMock } from '../test-support.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const scenarioNames = [...loadScenarios().keys()];

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

const get = (path: string, accept?: string) => fetch(`${mock.url}${path}`, { headers: accept ? { accept } : {} });

describe('GET /', () => {
  it.each([
    ['a browser', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'html'],
    ['curl (no preference)', '*/*', 'html'],
    ['no Accept header', undefined, 'html'],
    ['a JSON client', 'application/json', 'json'],
    ['JSON preferred over HTML', 'text/html;q=0.5, application/json', 'json'],
    ['HTML preferred over JSON', 'application/json;q=0.2, text/html', 'html'],
  ] as const)('answers %s with %s', async (_who, accept, want) => {
    const res = await get('/', accept);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(want === 'json' ? /^application\/json/ : /^text\/html/);
    expect(res.headers.get('vary')).toMatch(/Accept/);
  });

  it('the JSON names the mock, both versions, the docs key, every scenario and the admin routes', async () => {
    const info = (await (await get('/', 'application/json')).json()) as FrontDoorInfo;
    expect(info).toMatchObject({
      object: 'mock',
      name: 'CasaPay mock',
      version: pkg.version,
      contract: {
        title: contract.document.info.title,
        version: contract.document.info.version,
        url: `${mock.url}/openapi.json`,
      },
      docs_api_key: DOCS_API_KEY,
    });
    expect(info.scenarios.map((s) => s.name)).toEqual(scenarioNames);
    expect(info.admin_routes.map((r) => r.path)).toContain('/__admin/health');
  });

  it('the HTML page carries the same facts, escaped, with working links', async () => {
    const html = await (await get('/')).text();
    for (const fact of [
      pkg.version,
      contract.document.info.version,
      DOCS_API_KEY,
      ...scenarioNames,
      '/__admin/journal',
    ])
      expect(html).toContain(fact);
    expect(html).toContain(`href="${mock.url}/openapi.json"`);
    // The console's one script, served by the mock itself: no CDN, works offline.
    expect([...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/gi)].map((m) => m[1])).toEqual([
      '/__console/assets/main.js',
    ]);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\/(?!127\.0\.0\.1)/);
    for (const href of [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!)) {
      const res = await fetch(new URL(href, mock.url));
      expect(res.status, href).toBe(200);
    }
  });

  it('GET /openapi.json is the bundled contract', async () => {
    const res = await get('/openapi.json');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(
      JSON.parse(readFileSync(new URL('../../generated/casapay.json', import.meta.url), 'utf8')),
    );
  });

  it('opens no account and needs no key', async () => {
    await get('/');
    await get('/openapi.json');
    expect(mock.sandbox.store.peek(DOCS_API_KEY)).toBeUndefined();
  });
});

// The README's examples, run: the quickstart is exactly the two set-up commands and the test command
// (and package.json has them), and every curl command aimed at the local mock succeeds against it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractCurls } from '../spec/support/curl-commands.js';
import { repoRoot } from '../spec/support/repo-root.js';
import { startMock, type TestMock } from '../mocks/test-support.js';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
const shell = blocks.filter((b) => b.lang === 'sh');
const LOCAL = 'http://localhost:4010';
const curls = shell.flatMap((b) => extractCurls('README.md', b.text)).filter((c) => c.url.startsWith(LOCAL));
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

describe('README examples', () => {
  it('the quickstart is npm install, npm start, npm test — and package.json runs them', () => {
    const commands = shell[0]!.text.split('\n').map((line) => line.replace(/#.*/, '').trim()).filter(Boolean);
    expect(commands).toEqual(['npm install', 'npm start', 'npm test']);
    expect(pkg.scripts.start).toBe('node scripts/start.mjs');
    expect(pkg.scripts.test).toContain('vitest run');
    expect(pkg.scripts.prestart, 'npm start must not compile on every start').toBeUndefined();
  });

  it('finds the curl examples aimed at the local mock', () => {
    expect(curls.length).toBeGreaterThan(0);
  });

  it.each(curls.map((c) => [`${c.method} ${c.url.replace(LOCAL, '')} (README line ${readme.slice(0, readme.indexOf(c.url)).split('\n').length})`, c] as const))(
    '%s',
    async (_name, curl) => {
      const { authorization, ...headers } = curl.headers;
      const res = await fetch(curl.url.replace(LOCAL, mock.url), {
        method: curl.method,
        headers: { ...headers, ...(authorization ? { authorization } : {}) },
        ...(curl.body === undefined ? {} : { body: curl.body }),
      });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
    },
  );
});

// The examples of README.md and of every docs/*.md, run: the README's quickstart is exactly the two
// set-up commands and the test command (and package.json has them); every curl command aimed at the
// local mock succeeds against it; and every TypeScript or YAML example is, character for character, a
// region of a file that a test runs (`<!-- example: FILE#REGION -->` above the block names it;
// `// #region readme:REGION` in the file). A curl written `NAME=$(curl … | jq -r .field)` keeps that
// field of its answer for the later curls' `$NAME`; `-F name=@file.pdf` parts are sent as a small file
// of that name. Every `npx casapay-conformance compat …` line runs in-process (exit 0 or 1, never 2),
// and a ```text block after `<!-- output of the command above -->` is, character for character, the
// last such command's output.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractCurls } from '../spec/support/curl-commands.js';
import { repoRoot } from '../spec/support/repo-root.js';
import { startMock, type TestMock } from '../mocks/test-support.js';
import { runCompatCommand } from '../conformance/compat/command.js';

/** README.md first, then the reference files in name order; the examples run in this order (a curl may use what an earlier one kept). */
const docFiles = [
  'README.md',
  ...readdirSync(path.join(repoRoot, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const docs = docFiles.map((file) => ({ file, text: readFileSync(path.join(repoRoot, file), 'utf8') }));
const blocks = docs.flatMap(({ file, text }) =>
  [...text.matchAll(/(?:<!-- example: (\S+) -->\n)?```(\w*)\n([\s\S]*?)```/g)].map((m) => ({
    file,
    source: m[1],
    lang: m[2]!,
    text: m[3]!,
    /** The line of the opening fence. */
    line: text.slice(0, m.index + m[0].indexOf('```')).split('\n').length,
  })),
);
const shell = blocks.filter((b) => b.lang === 'sh');
const LOCAL = 'http://localhost:4010';
/** Each curl with the shell variable its answer's field is kept in (`CASE_ID=$(curl … | jq -r .id)`). */
const curls = shell
  .flatMap((b) => {
    const lines = b.text.split('\n');
    return extractCurls(b.file, b.text).map((c) => {
      const assigned = /^\s*(\w+)=\$\(curl /.exec(lines[c.line - 1] ?? '');
      const field = assigned ? /\|\s*jq -r \.(\w+)\)/.exec(lines.slice(c.line - 1).join('\n')) : null;
      // The curl's line in its file: the block's text starts on the line after the fence.
      return Object.assign(
        c,
        { line: b.line + c.line },
        assigned && field ? { capture: { name: assigned[1]!, field: field[1]! } } : {},
      );
    });
  })
  .filter((c) => c.url.startsWith(LOCAL));
const vars: Record<string, string> = {};
const expand = (text: string) => text.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => vars[name] ?? whole);
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

/** The lines between `// #region readme:NAME` and `// #endregion`, without their common indentation. */
function region(file: string, name: string | undefined): string {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  if (name === undefined) return text;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region readme:${name}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === '// #endregion');
  if (start === -1 || end === -1) throw new Error(`${file} has no region readme:${name}`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return `${body.map((l) => l.slice(indent)).join('\n')}\n`;
}

const codeBlocks = blocks.filter((b) => ['ts', 'js', 'yaml'].includes(b.lang));
const COMPAT = 'npx casapay-conformance compat ';
/** Each compat command of the sh blocks, with the output the docs show after it (if they show one). */
const compatCommands = docs.flatMap(({ file, text }) =>
  [
    ...text.matchAll(/```sh\n([\s\S]*?)```\n(?:\n<!-- output of the command above -->\n```text\n([\s\S]*?)```)?/g),
  ].flatMap((m) => {
    const commands = m[1]!.split('\n').filter((l) => l.startsWith(COMPAT));
    return commands.map((command, i) => ({ file, command, output: i === commands.length - 1 ? m[2] : undefined }));
  }),
);

describe('the examples of README.md and docs/*.md', () => {
  it('reads README.md and every reference file in docs/, and finds examples in each', () => {
    expect(docFiles).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/contract.md',
        'docs/mock.md',
        'docs/debitura.md',
        'docs/conformance.md',
        'docs/benchmark.md',
      ]),
    );
    const withExamples = [...new Set(blocks.filter((b) => ['sh', 'ts', 'yaml'].includes(b.lang)).map((b) => b.file))];
    expect(withExamples).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/contract.md',
        'docs/mock.md',
        'docs/debitura.md',
        'docs/conformance.md',
      ]),
    );
  });

  it('README.md stays a front door (at most 300 lines) and each reference file under 600 lines (split it beyond)', () => {
    for (const { file, text } of docs)
      expect(text.split('\n').length, file).toBeLessThanOrEqual(file === 'README.md' ? 300 : 600);
  });

  it.each(
    codeBlocks.map((b) => [`${b.lang} block at ${b.file} line ${b.line} (${b.source ?? 'no source'})`, b] as const),
  )('%s is a region of a file a test runs', (_name, block) => {
    expect(block.source, 'put <!-- example: FILE#REGION --> above the block').toBeDefined();
    const [file, name] = block.source!.split('#');
    expect(block.text).toBe(region(file!, name));
  });

  it('the quickstart is npm install, npm start, npm test — and package.json runs them', () => {
    const quickstart = shell.find((b) => b.file === 'README.md')!;
    const commands = quickstart.text
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean);
    expect(commands).toEqual(['npm install', 'npm start', 'npm test']);
    expect(pkg.scripts.start).toBe('node scripts/start.mjs');
    expect(pkg.scripts.test).toContain('vitest run');
    expect(pkg.scripts.prestart, 'npm start must not compile on every start').toBeUndefined();
  });

  it.each(compatCommands.map((c) => [`${c.command} (${c.file})`, c] as const))(
    '%s',
    async (_name, { command, output }) => {
      const lines: string[] = [];
      const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
      const code = await runCompatCommand(command.slice('npx casapay-conformance '.length).split(/\s+/), io, repoRoot);
      expect(code, lines.join('\n')).toBeLessThan(2);
      if (output !== undefined) expect(`${lines.join('\n')}\n`).toBe(output);
    },
    30_000,
  );

  it('finds the compat examples and an output to compare', () => {
    expect(compatCommands.filter((c) => c.output !== undefined).length).toBeGreaterThan(0);
  });

  it('finds the curl examples aimed at the local mock', () => {
    expect(curls.length).toBeGreaterThan(0);
  });

  it.each(curls.map((c) => [`${c.method} ${c.url.replace(LOCAL, '')} (${c.file} line ${c.line})`, c] as const))(
    '%s',
    async (_name, curl) => {
      const { authorization, ...headers } = curl.headers;
      let body: string | FormData | undefined = curl.body === undefined ? undefined : expand(curl.body);
      if (curl.form) {
        const form = new FormData();
        for (const [name, value] of curl.form) {
          if (value.startsWith('@'))
            form.set(
              name,
              new Blob([Buffer.from('%PDF-1.7 readme example')], { type: 'application/pdf' }),
              path.basename(value.slice(1)),
            );
          else form.set(name, expand(value));
        }
        body = form;
      }
      const res = await fetch(expand(curl.url).replace(LOCAL, mock.url), {
        method: curl.method,
        headers: Object.fromEntries(
          Object.entries({ ...headers, ...(authorization ? { authorization } : {}) }).map(([k, v]) => [k, expand(v)]),
        ),
        ...(body === undefined ? {} : { body }),
      });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      if ('capture' in curl) {
        const { name, field } = curl.capture as { name: string; field: string };
        vars[name] = String(((await res.json()) as Record<string, unknown>)[field]);
      }
    },
  );
});

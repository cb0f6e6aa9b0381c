// The `proxy` subcommand end to end (in-process, with the session ended by the test instead of Ctrl-C):
// exit codes for --strict and --fail-on against the mock's `extra-fields` variant (an unknown field is a
// warning), POST /__proxy/report mid-session, bad arguments, and --replay from the command line.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer } from '../../mocks/server.js';
import { runProxyCommand } from './command.js';
import { sendEverydayFlow } from './fixtures/flows.js';
import { Redactor } from './redact.js';

let plain: MockServer;
let extraFields: MockServer;
beforeAll(async () => {
  plain = await createMockServer({ port: 0, logLevel: 'silent', seed: 'proxy-cli' });
  extraFields = await createMockServer({ port: 0, logLevel: 'silent', seed: 'proxy-cli', variants: ['extra-fields'] });
});
afterAll(async () => {
  await plain.close();
  await extraFields.close();
});

/** Runs the command with a session that sends the everyday flow (and whatever `during` does), then ends. */
async function run(argv: string[], during?: (url: string) => Promise<void>) {
  const out: string[] = [];
  const err: string[] = [];
  let listening!: (url: string) => void;
  const url = new Promise<string>((r) => (listening = r));
  const code = await runProxyCommand(['proxy', ...argv], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    onListening: listening,
    until: async () => {
      const at = await url;
      await sendEverydayFlow(at, 'sk_test_proxy_cli_0001');
      await during?.(at);
    },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('casapay-conformance proxy', () => {
  it('an unknown field is a warning: exit 0, the summary lists it for the operation', async () => {
    const { code, out } = await run(['--target', extraFields.url, '--port', '0', '--no-report']);
    expect(code, out).toBe(0);
    expect(out).toMatch(/warning unknown-field ×\d+ \(x_trace\)/);
    expect(out).toContain('✓ no rule broken');
  });

  it('--strict makes it an error (exit 1), and so does --fail-on warning', async () => {
    const strict = await run(['--target', extraFields.url, '--port', '0', '--no-report', '--strict']);
    expect(strict.code, strict.out).toBe(1);
    expect(strict.out).toMatch(/✗ \w+ +unknown-field: .*\(--strict\)/);
    const failOn = await run(['--target', extraFields.url, '--port', '0', '--no-report', '--fail-on', 'warning']);
    expect(failOn.code, failOn.out).toBe(1);
  });

  it('POST /__proxy/report writes the reports mid-session and answers the verdict', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'proxy-cli-'));
    let answer: { verdict?: string; files?: string[] } = {};
    const { code } = await run(['--target', plain.url, '--port', '0', '--report-dir', dir], async (url) => {
      answer = (await (await fetch(`${url}/__proxy/report`, { method: 'POST' })).json()) as typeof answer;
    });
    expect(code).toBe(0);
    expect(answer.verdict).toBe('pass');
    expect(answer.files).toContain(path.join(dir, 'report.json'));
    expect(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')).proxy.exchanges).toBeGreaterThan(5);
  });

  it('--record then --replay from the command line: exit 0 against the mock; bad arguments exit 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'proxy-cli-'));
    const file = path.join(dir, 'everyday.yaml');
    expect((await run(['--target', plain.url, '--port', '0', '--no-report', '--record', file])).code).toBe(0);
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    expect(
      await runProxyCommand(
        ['proxy', '--replay', file, '--target', plain.url, '--api-key', 'sk_test_proxy_replay'],
        io,
      ),
      out.join('\n'),
    ).toBe(0);
    expect(out.join('\n')).toMatch(/✓ \d+ steps: the same statuses and shapes/);
    const saved = process.env.CASAPAY_API_KEY;
    delete process.env.CASAPAY_API_KEY;
    expect(await runProxyCommand(['proxy', '--replay', file, '--target', plain.url], io)).toBe(2);
    if (saved !== undefined) process.env.CASAPAY_API_KEY = saved;
    expect(await runProxyCommand(['proxy', '--port', '1'], io)).toBe(2);
    expect(await runProxyCommand(['proxy', '--target', 'not a url'], io)).toBe(2);
    expect(await runProxyCommand(['proxy', '--target', plain.url, '--fail-on', 'never'], io)).toBe(2);
  });
});

describe('Redactor', () => {
  it.each([
    ['a bearer key', 'Authorization: Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'],
    ['a live key anywhere', 'key=sk_live_abcdefgh12345678', 'sk_live_abcdefgh12345678'],
    [
      'a webhook secret',
      '{"secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    ],
    ['an OAuth token field', '{"accessToken":"a9f0c3b2d1e4"}', 'a9f0c3b2d1e4'],
    ['a JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', 'eyJhbGciOiJIUzI1NiJ9'],
  ])('scrubs %s', (_name, text, secret) => {
    expect(new Redactor().text(text)).not.toContain(secret);
  });

  it('scrubs a credential with no recognisable shape once the session saw it (a Debitura XApiKey)', () => {
    const r = new Redactor();
    r.rememberHeaders({ xapikey: 'partner-7f3a9c' });
    expect(r.text('sent partner-7f3a9c twice: partner-7f3a9c')).toBe('sent [redacted] twice: [redacted]');
    expect(r.headers({ xapikey: 'partner-7f3a9c', accept: 'x' })).toEqual({
      xapikey: expect.stringMatching(/^\[redacted #[0-9a-f]{8}\]$/),
      accept: 'x',
    });
  });

  it('leaves ordinary words alone ("Basic Rent Guarantee")', () => {
    expect(new Redactor().text('Basic Rent Guarantee')).toBe('Basic Rent Guarantee');
  });
});

// `casapay-conformance receiver …` as a user runs it: exit 0 and the three reports for a correct
// receiver (a child process, from source through tsx), 1 naming the rule for a defective one, 2 for
// bad arguments.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { buildReceiver } from '../../examples/webhook-receiver/receiver.js';
import { runReceiverCommand } from './command.js';
import { startReferenceReceiver } from './fixtures/reference-receiver.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SECRET = 'whsec_cliTestSecret0123456789abcdefgh';
const reportDir = mkdtempSync(path.join(tmpdir(), 'receiver-cli-'));
afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'conformance/cli.ts', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function inProcess(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runReceiverCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

it('exits 0 for the receiver template and writes junit.xml, report.json and report.html', async () => {
  const app = buildReceiver({ secret: SECRET, handle: () => undefined, exposeEffects: true });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const run = await cli([
      'receiver',
      '--url',
      `${base}/webhooks/casapay`,
      '--secret',
      SECRET,
      '--effects-url',
      `${base}/effects`,
      '--effects-wait',
      '600',
      '--report-dir',
      reportDir,
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/PASS: 17 passed, 0 failed, 0 skipped/);
    const report = JSON.parse(readFileSync(path.join(reportDir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({
      schemaVersion: 1,
      verdict: 'pass',
      target: { baseUrl: `${base}/webhooks/casapay`, receiver: { signing: 'casapay', maxLatencyMs: 5000 } },
    });
    expect(readFileSync(path.join(reportDir, 'junit.xml'), 'utf8')).toMatch(
      /<testsuites name="casapay-conformance receiver" tests="17" failures="0"/,
    );
    const html = readFileSync(path.join(reportDir, 'report.html'), 'utf8');
    expect(html).toContain('accepts unusual but valid JSON signed over its raw bytes');
    expect(html).toContain('<h1>CasaPay webhook receiver conformance');
    expect(html).not.toContain('<h2>Coverage</h2>');
  } finally {
    await app.close();
  }
});

it('exits 1 for a defective receiver, naming the rule it broke; effects without a way to see them are skipped', async () => {
  const receiver = await startReferenceReceiver({
    scheme: 'casapay',
    secret: SECRET,
    knownTypes: ['collection_case.created', 'collection_case.updated', 'collection_case.closed'],
    knownFields: [],
    defect: 'checks-first-signature-only',
  });
  try {
    const run = await inProcess(['receiver', '--url', receiver.url, '--secret', SECRET, '--no-report', '--no-color']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/rule: receiver\.accepts-rotated-signatures/);
    expect(run.stdout).toMatch(/↓ \[effects\] receiver > applies a duplicate delivery once — skipped: not observable/);
  } finally {
    await receiver.close();
  }
});

it.each([
  [['receiver', '--secret', SECRET]],
  [['receiver', '--url', 'http://127.0.0.1:9/hooks', '--secret', SECRET, '--api', 'debitura', '--signing', 'standard']],
  [
    [
      'receiver',
      '--url',
      'http://127.0.0.1:9/hooks',
      '--secret',
      SECRET,
      '--effects-url',
      'http://127.0.0.1:9/e',
      '--observe-mock',
      'http://127.0.0.1:9',
    ],
  ],
  [['receiver', '--url', 'http://127.0.0.1:9/hooks', '--secret', 'not-a-whsec-secret', '--no-report']],
  [['receiver', '--url', 'ftp://example.org', '--secret', SECRET]],
])('exits 2 for bad arguments: %j', async (args) => {
  expect((await inProcess(args)).code).toBe(2);
});

// The CLI's private-webhook flags: --block-private-webhooks (or its environment variable) makes a
// loopback mock refuse a --webhook-url into a private range at start, naming the flag;
// --allow-private-webhooks cannot be combined with it. Nothing here listens or sends anything.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../spec/support/repo-root.js';
import { envName } from './cli-env.js';

const CLI = path.join(repoRoot, 'dist/mocks/cli.js');
const { CASAPAY_MOCK_ADMIN_TOKEN: _unset, ...env } = process.env;
const run = (args: string[], extraEnv: Record<string, string> = {}) =>
  spawnSync(process.execPath, [CLI, '--port', '0', '--quiet', ...args], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...env, ...extraEnv },
  });

describe('casapay-mock --block-private-webhooks', () => {
  it('refuses a --webhook-url into a private range, saying which flag and why', () => {
    const result = run(['--block-private-webhooks', '--webhook-url', 'http://10.0.0.5/hooks']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /casapay-mock: --webhook-url http:\/\/10\.0\.0\.5\/hooks: its host 10\.0\.0\.5 is a private \(RFC 1918\) address/,
    );
  });

  it(`is also ${envName('--block-private-webhooks')}`, () => {
    const result = run(['--webhook-url', 'http://169.254.169.254/'], { [envName('--block-private-webhooks')]: 'true' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cloud metadata address/);
  });

  it('cannot be combined with --allow-private-webhooks', () => {
    const result = run(['--block-private-webhooks', '--allow-private-webhooks']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--block-private-webhooks.*cannot be used with.*--allow-private-webhooks/);
  });
});

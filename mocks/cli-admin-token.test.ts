// The CLI off loopback (as in the Docker image): without a token it refuses to start and says why;
// with --generate-admin-token it makes one, prints it, and the admin routes — the journal finder
// included — ask for it and for the account's own key. Listens on 0.0.0.0; traffic goes to 127.0.0.1.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../spec/support/repo-root.js';

const CLI = path.join(repoRoot, 'dist/mocks/cli.js');
/** This process's environment without an admin token a developer may have set. */
const { CASAPAY_MOCK_ADMIN_TOKEN: _unset, ...env } = process.env;

describe('casapay-mock --host 0.0.0.0', () => {
  it('refuses to start without an admin token, saying why', () => {
    const run = spawnSync(process.execPath, [CLI, '--host', '0.0.0.0', '--port', '0'], {
      encoding: 'utf8',
      timeout: 20_000,
      env,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without an admin token/);
  });

  describe('with --generate-admin-token', () => {
    let child: ReturnType<typeof spawn>;
    let base = '';
    let token = '';
    beforeAll(async () => {
      child = spawn(process.execPath, [CLI, '--host', '0.0.0.0', '--port', '0', '--generate-admin-token', '--quiet'], {
        stdio: ['ignore', 'pipe', 'inherit'],
        env,
      });
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          if (out.includes('\n')) resolve(out);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const port = /:(\d+)\b/.exec(line)![1];
      token = /admin token (adm_[A-Za-z0-9_-]+)/.exec(line)![1]!;
      base = `http://127.0.0.1:${port}`;
    });
    afterAll(() => {
      child?.kill('SIGTERM');
    });

    it('prints an unguessable token', () => {
      expect(token).toMatch(/^adm_[A-Za-z0-9_-]{32}$/);
    });

    it.each([
      ['no token', {}, { account: 'sk_test_team_a' }, 401],
      ['a wrong token', { 'x-admin-token': 'adm_wrong_token_value' }, { account: 'sk_test_team_a' }, 401],
      ['the token but no account (all accounts)', 'TOKEN', {}, 400],
      ["the token, but not the account's key", 'TOKEN', { account: 'sk_test_team_a' }, 401],
      ["the token and the account's key", 'TOKEN+KEY', { account: 'sk_test_team_a' }, 200],
    ] as const)('POST /__admin/journal/find with %s → %s', async (_what, auth, body, status) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (auth === 'TOKEN' || auth === 'TOKEN+KEY') headers['x-admin-token'] = token;
      else Object.assign(headers, auth);
      if (auth === 'TOKEN+KEY') headers.authorization = 'Bearer sk_test_team_a';
      const res = await fetch(`${base}/__admin/journal/find`, { method: 'POST', headers, body: JSON.stringify(body) });
      expect(res.status).toBe(status);
      const json = (await res.json()) as { error?: { type: string }; data?: unknown[] };
      if (status === 200) expect(json.data).toEqual([]);
      else expect(json.error?.type).toMatch(/_error$/);
    });
  });
});

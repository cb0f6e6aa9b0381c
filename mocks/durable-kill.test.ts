// Nothing acknowledged is lost: a real mock process on `--data-dir` is driven with creates (with
// Idempotency-Key), payments, uploads and a clock advance while a webhook receiver fails every
// delivery; it is killed with SIGKILL while requests are still in flight, started again on the same
// folder, and then every create answered 2xx is there with the remainder, timeline and events it was
// answered with; a scheduled task still due runs when the clock reaches it; an Idempotency-Key retried
// after the restart replays the first answer; and the undelivered webhooks arrive (same event ids) once
// the receiver answers.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase, NO_POSTGRES, POSTGRES_URL } from './store/test-postgres.js';
import { numberedCase, startCliProcess } from './test-support.js';

const KEY = 'sk_test_durable_kill';
const dir = mkdtempSync(join(tmpdir(), 'casapay-kill-'));
const children: ChildProcess[] = [];
const drops: Array<() => Promise<void>> = [];
let receiver: Server | undefined;
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  receiver?.close();
  rmSync(dir, { recursive: true, force: true });
  for (const drop of drops) await drop();
});

/** Starts the CLI from source on a free port with the store flags; resolves with its URL. */
const startMock = (storeFlags: string[]) => startCliProcess(storeFlags, children);

const json = (body: unknown) => ({
  'content-type': 'application/json',
  authorization: `Bearer ${KEY}`,
  body: JSON.stringify(body),
});

async function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const { body: payload, ...base } = json(body ?? {});
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(body === undefined ? { authorization: base.authorization } : base), ...headers },
    body: body === undefined ? undefined : payload,
  });
  return { status: response.status, body: (await response.json()) as any };
}

const caseBody = (n: number) => numberedCase('KILL', n, 100_000);

const STORES: Array<[string, () => Promise<string[]>, string | undefined]> = [
  ['--data-dir (SQLite)', async () => ['--data-dir', dir], undefined],
  [
    '--database-url (PostgreSQL)',
    async () => {
      const db = await freshDatabase();
      drops.push(db.drop);
      return ['--database-url', db.url];
    },
    POSTGRES_URL ? undefined : NO_POSTGRES,
  ],
];

describe.each(STORES)('SIGKILL under load, restart on the same %s', (_name, flags, skip) => {
  it.skipIf(skip)(
    'keeps every acknowledged object, replays idempotency keys, runs due tasks and delivers pending webhooks',
    async () => {
      const storeFlags = await flags();
      // A receiver that fails every delivery until told to accept.
      let accepting = false;
      const received: string[] = [];
      receiver?.close();
      receiver = createServer((request, response) => {
        let raw = '';
        request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        request.on('end', () => {
          if (accepting) received.push((JSON.parse(raw) as { id: string }).id);
          response.writeHead(accepting ? 200 : 503).end();
        });
      });
      const listening = receiver;
      await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
      const receiverUrl = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/hooks`;

      const first = await startMock(storeFlags);
      expect(
        (await call(first.url, 'POST', '/v1/webhook_endpoints', { url: receiverUrl, enabled_events: ['*'] })).status,
      ).toBe(201);

      // Acknowledged answers, by what they were for.
      const creates = new Map<number, any>();
      const payments = new Map<string, any>();
      const uploads = new Map<string, any>();
      let killed = false;
      const load = async (n: number) => {
        try {
          const created = await call(first.url, 'POST', '/v1/collection_cases', caseBody(n), {
            'idempotency-key': `kill-${n}`,
          });
          if (created.status !== 201) return;
          creates.set(n, created.body);
          if (n % 3 === 0) {
            const paid = await call(
              first.url,
              'POST',
              `/v1/test_helpers/collection_cases/${created.body.id}/debt_payments`,
              {
                amount: 1_000,
                close_case: false,
              },
            );
            if (paid.status === 200 || paid.status === 201) payments.set(created.body.id, paid.body);
          }
          if (n % 5 === 0) {
            const form = new FormData();
            form.set('document_type', 'original_invoice');
            form.set('file', new Blob([`invoice ${n}`], { type: 'application/pdf' }), `invoice-${n}.pdf`);
            const response = await fetch(`${first.url}/v1/collection_cases/${created.body.id}/files`, {
              method: 'POST',
              headers: { authorization: `Bearer ${KEY}` },
              body: form,
            });
            if (response.status === 200 || response.status === 201) uploads.set(created.body.id, await response.json());
          }
        } catch {
          // The connection died with the process: not acknowledged, so nothing is owed.
          if (!killed) throw new Error(`request ${n} failed before the kill`);
        }
      };
      // A first wave completes; a second is in flight when the process is killed.
      await Promise.all(Array.from({ length: 40 }, (_, i) => load(i)));
      const inFlight = Array.from({ length: 60 }, (_, i) => load(100 + i));
      await new Promise((resolve) => setTimeout(resolve, 30));
      killed = true;
      first.child.kill('SIGKILL');
      await Promise.allSettled(inFlight);
      expect(creates.size).toBeGreaterThanOrEqual(40);

      accepting = true;
      const second = await startMock(storeFlags);
      for (const [n, answered] of creates) {
        const now = await call(second.url, 'GET', `/v1/collection_cases/${answered.id}`);
        expect(now.status, `case ${n} (${answered.id}) was answered 201 before the kill`).toBe(200);
        const paid = payments.get(answered.id);
        expect(now.body.remainder).toBe(paid ? answered.amount_to_recover - 1_000 : answered.remainder);
        const timeline = await call(second.url, 'GET', `/v1/collection_cases/${answered.id}/timeline`);
        expect(timeline.body.data.length).toBeGreaterThanOrEqual(1);
        if (uploads.has(answered.id)) {
          const file = uploads.get(answered.id);
          const bytes = await fetch(`${second.url}/v1/collection_cases/${answered.id}/files/${file.id}/contents`, {
            headers: { authorization: `Bearer ${KEY}` },
          });
          expect(await bytes.text()).toBe(`invoice ${n}`);
        }
      }
      // The same Idempotency-Key replays the first answer.
      const [n0, first0] = [...creates][0]!;
      const replay = await call(second.url, 'POST', '/v1/collection_cases', caseBody(n0), {
        'idempotency-key': `kill-${n0}`,
      });
      expect(replay.body.id).toBe(first0.id);

      // Every event of an acknowledged create is delivered (at least once, same id) now that the receiver answers.
      const events = (await call(second.url, 'GET', '/v1/events?limit=100')).body.data as Array<{
        id: string;
        data: any;
      }>;
      const owed = events.filter((e) => [...creates.values()].some((c) => c.id === e.data.object.id)).map((e) => e.id);
      expect(owed.length).toBeGreaterThan(0);
      for (let i = 0; i < 100 && !owed.every((id) => received.includes(id)); i++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(owed.filter((id) => !received.includes(id))).toEqual([]);

      // A task still due runs: the demand letter of an active case, once the clock reaches it.
      const before = (await call(second.url, 'GET', `/v1/collection_cases/${first0.id}/timeline`)).body.data.length;
      expect((await call(second.url, 'POST', '/__admin/clock', { shift_seconds: 30 * 86_400 })).status).toBe(200);
      const after = (await call(second.url, 'GET', `/v1/collection_cases/${first0.id}/timeline`)).body.data.length;
      expect(after).toBeGreaterThan(before);
      second.child.kill('SIGKILL');
    },
    120_000,
  );
});

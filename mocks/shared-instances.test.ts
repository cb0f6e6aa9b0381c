// Several instances, one sandbox: three real mock processes on one PostgreSQL database, behind a
// round-robin balancer (a few lines of node:http below) that sends every request to the next instance.
// Both conformance suites pass through it; an object created through one instance is retrieved and
// listed through the others at once; one Idempotency-Key sent to two instances at the same moment
// creates one object; a clock moved on one instance is read on the others; a webhook endpoint
// registered on one instance receives the events caused on another, each event once.
import type { ChildProcess } from 'node:child_process';
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, DEBITURA_CAPABILITIES } from '../conformance/capabilities.js';
import { DEFAULT_OPTIONS } from '../conformance/options.js';
import { runConformance } from '../conformance/run.js';
import { freshDatabase, NO_POSTGRES, POSTGRES_URL } from './store/test-postgres.js';
import { numberedCase, startCliProcess } from './test-support.js';

const children: ChildProcess[] = [];
const servers: Server[] = [];
let dropDatabase: (() => Promise<void>) | undefined;
let instances: string[] = [];
let balanced = '';

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  for (const server of servers) server.close();
  await Promise.all(
    children
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => new Promise((resolve) => child.once('exit', resolve))),
  );
  await dropDatabase?.();
});

/** Starts the CLI from source on a free port; resolves with its URL. */
const startMock = async (flags: string[]) => (await startCliProcess(flags, children)).url;

/** A round-robin balancer: each request goes to the next instance, whatever came before it. */
async function startBalancer(targets: readonly string[]): Promise<string> {
  let next = 0;
  // As lenient as the mock itself: its own answers to oversized heads are part of what the suite checks.
  const server = createServer({ maxHeaderSize: 256 * 1024 }, (incoming, outgoing) => {
    const target = new URL(targets[next++ % targets.length]!);
    // The body is read whole first, so an instance that answers before reading it (a 413) is not cut off mid-upload.
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      let answered = false;
      const upstream = forward(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
          // A connection per request: reusing a kept-alive one the instance is just closing would be a 502 of ours.
          agent: false,
        },
        (answer) => {
          answered = true;
          outgoing.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(outgoing);
        },
      );
      upstream.on('error', () => {
        if (answered) outgoing.destroy();
        else outgoing.writeHead(502).end();
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const KEY = 'sk_test_shared_instances';
async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const caseBody = (n: number) => numberedCase('SHARED', n, 50_000);

describe.skipIf(!POSTGRES_URL)(
  `three instances on one PostgreSQL behave as one sandbox (${POSTGRES_URL ? 'running' : NO_POSTGRES})`,
  () => {
    beforeAll(async () => {
      const db = await freshDatabase();
      dropDatabase = db.drop;
      instances = await Promise.all([1, 2, 3].map(() => startMock(['--database-url', db.url])));
      balanced = await startBalancer(instances);
    }, 60_000);

    it.each(['casapay', 'debitura'] as const)(
      'the %s conformance suite passes through a round-robin balancer over the three',
      async (api) => {
        const { result } = await runConformance({
          ...DEFAULT_OPTIONS,
          api,
          baseUrl: balanced,
          ...(api === 'debitura'
            ? {
                referralUrl: `${balanced}/debitura/referral`,
                customerUrl: `${balanced}/debitura/customer`,
                adminUrl: `${balanced}/__admin`,
              }
            : {}),
          capabilities: api === 'debitura' ? [...DEBITURA_CAPABILITIES] : [...ALL_CAPABILITIES],
          reportDir: null,
          negativeRuns: 4,
          write: () => {},
        });
        const failures = result.failures.map((f) => `${f.check} [${f.rule}] ${f.message.split('\n')[0]}`).join('\n');
        expect(result.failures, `${api} through the balancer:\n${failures}`).toEqual([]);
        expect(result.checks.filter((check) => check.state === 'passed').length).toBeGreaterThan(40);
      },
      300_000,
    );

    it('an object created through one instance is retrieved and listed through the others at once', async () => {
      for (let n = 0; n < 15; n++) {
        const [a, b, c] = [instances[n % 3]!, instances[(n + 1) % 3]!, instances[(n + 2) % 3]!];
        const created = await call(a, 'POST', '/v1/collection_cases', caseBody(n));
        expect(created.status).toBe(201);
        const read = await call(b, 'GET', `/v1/collection_cases/${created.body.id}`);
        expect(read.status, `case ${n} created on ${a}, read on ${b}`).toBe(200);
        expect(read.body).toEqual(created.body);
        const listed = await call(c, 'GET', '/v1/collection_cases?limit=100');
        expect(listed.body.data.map((item: { id: string }) => item.id)).toContain(created.body.id);
      }
    });

    it('one Idempotency-Key sent to two instances at the same moment creates one object', async () => {
      for (let n = 0; n < 5; n++) {
        const headers = { 'idempotency-key': `shared-${n}` };
        const answers = await Promise.all([
          call(instances[0]!, 'POST', '/v1/collection_cases', caseBody(100 + n), headers),
          call(instances[1]!, 'POST', '/v1/collection_cases', caseBody(100 + n), headers),
        ]);
        expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201]);
        expect(answers[0]!.body.id).toBe(answers[1]!.body.id);
      }
      const listed = await call(instances[2]!, 'GET', '/v1/collection_cases?limit=100');
      const references = listed.body.data.map((item: { creditor_reference: string }) => item.creditor_reference);
      for (let n = 0; n < 5; n++) expect(references.filter((r: string) => r === `SHARED-${100 + n}`)).toHaveLength(1);
    });

    it('the journal of one account lists its requests to every instance, on each instance', async () => {
      const key = { authorization: 'Bearer sk_test_shared_journal' };
      for (let n = 0; n < 6; n++)
        await call(instances[n % 3]!, 'GET', `/v1/collection_cases?limit=${n + 1}`, undefined, key);
      for (const instance of instances) {
        const journal = await call(instance, 'GET', '/__admin/journal?account=sk_test_shared_journal');
        expect(journal.body.data.map((entry: { url: string }) => entry.url)).toEqual(
          [6, 5, 4, 3, 2, 1].map((n) => `/v1/collection_cases?limit=${n}`),
        );
      }
    });

    it('clients that give up mid-request never leave an account held', async () => {
      const key = { authorization: 'Bearer sk_test_shared_aborts' };
      const post = (url: string, ms: number) =>
        fetch(`${url}/v1/collection_cases`, {
          method: 'POST',
          headers: { ...key, 'content-type': 'application/json' },
          body: JSON.stringify(caseBody(500)),
          signal: AbortSignal.timeout(ms),
        }).then(
          (answer) => answer.status,
          () => 'gave up',
        );
      // Cut off at every moment of their way: before, while and after the account is taken.
      for (let round = 0; round < 10; round++)
        await Promise.all(Array.from({ length: 15 }, (_, n) => post(instances[n % 3]!, 1 + ((n * 7 + round) % 15))));
      // A held account would keep these waiting for good.
      for (const instance of instances) expect(await post(instance, 15_000)).toBe(201);
    });

    it('a clock moved on one instance reads the same on the others', async () => {
      const moved = await call(instances[0]!, 'POST', '/__admin/clock', { shift_seconds: 86_400 });
      expect(moved.status).toBe(200);
      for (const instance of instances) {
        const clock = await call(instance, 'GET', '/__admin/clock');
        expect(Math.abs(clock.body.now - moved.body.now)).toBeLessThanOrEqual(2);
      }
    });

    it('a task falls due once across the instances: each ticks, one runs it', async () => {
      // A magic debtor name: the debtor pays half three days after the case is created (a scheduled task).
      const created = await call(instances[0]!, 'POST', '/v1/collection_cases', {
        ...caseBody(300),
        debtor: { ...caseBody(300).debtor, name: 'Pays Partially GmbH' },
      });
      expect(created.status).toBe(201);
      // Every instance has read the account: each holds the task, and each ticks once a second.
      for (const instance of instances)
        expect((await call(instance, 'GET', `/v1/collection_cases/${created.body.id}`)).status).toBe(200);
      await call(instances[2]!, 'POST', '/__admin/clock', { shift_seconds: 4 * 86_400 });
      const payments = async (instance: string) =>
        (await call(instance, 'GET', `/v1/debt_payments?case=${created.body.id}&limit=100`)).body.data.length;
      await expect.poll(() => payments(instances[0]!), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
      // Two more ticks of every instance: a task run by more than one would show a second payment.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      for (const instance of instances) expect(await payments(instance)).toBe(1);
    });

    it('a webhook endpoint registered on one instance receives what another caused, each event once', async () => {
      const received: string[] = [];
      const receiver = createServer((incoming, outgoing) => {
        let body = '';
        incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
        incoming.on('end', () => {
          received.push((JSON.parse(body) as { id: string }).id);
          outgoing.writeHead(200).end();
        });
      });
      servers.push(receiver);
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const endpoint = await call(instances[1]!, 'POST', '/v1/webhook_endpoints', {
        url,
        enabled_events: ['collection_case.created'],
      });
      expect(endpoint.status).toBe(201);
      const created = await Promise.all(
        [0, 1, 2].map((n) => call(instances[(n + 2) % 3]!, 'POST', '/v1/collection_cases', caseBody(200 + n))),
      );
      const events = await call(instances[0]!, 'GET', '/v1/events?type=collection_case.created&limit=100');
      const expected = events.body.data
        .filter((event: { data: { object: { id: string } } }) =>
          created.some((answer) => answer.body.id === event.data.object.id),
        )
        .map((event: { id: string }) => event.id);
      expect(expected).toHaveLength(3);
      await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
      // A moment more: a second instance sending the same event would show here.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(received.sort()).toEqual(expected.sort());
    });

    // Last: it kills an instance.
    it('a delivery whose instance died is taken over by one of the others, same event, delivered once', async () => {
      let open = false;
      const delivered: string[] = [];
      let refused = 0;
      const receiver = createServer((incoming, outgoing) => {
        let body = '';
        incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
        incoming.on('end', () => {
          if (!open) {
            refused++;
            return void outgoing.writeHead(503).end();
          }
          delivered.push((JSON.parse(body) as { id: string }).id);
          outgoing.writeHead(200).end();
        });
      });
      servers.push(receiver);
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const orphanKey = { authorization: 'Bearer sk_test_shared_orphan' };
      const endpoint = await call(
        instances[0]!,
        'POST',
        '/v1/webhook_endpoints',
        { url, enabled_events: ['collection_case.created'] },
        orphanKey,
      );
      expect(endpoint.status).toBe(201);
      const created = await call(instances[0]!, 'POST', '/v1/collection_cases', caseBody(400), orphanKey);
      expect(created.status).toBe(201);
      // Instance 0 makes the attempts; the receiver refuses the first.
      await expect.poll(() => refused, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
      // The others have read the account (they show the pending delivery's log, and make no attempt of it).
      for (const instance of instances.slice(1))
        expect(
          (await call(instance, 'GET', `/v1/collection_cases/${created.body.id}`, undefined, orphanKey)).status,
        ).toBe(200);
      children[0]!.kill('SIGKILL');
      open = true;
      const events = await call(instances[1]!, 'GET', '/v1/events?type=collection_case.created', undefined, orphanKey);
      const eventId = events.body.data[0].id as string;
      await expect.poll(() => delivered, { timeout: 20_000 }).toContain(eventId);
      // A moment more: a second instance taking it over too would deliver it again.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(delivered.filter((id) => id === eventId)).toHaveLength(1);
    }, 30_000);
  },
);

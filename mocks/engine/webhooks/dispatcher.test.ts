import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { components } from '../../../generated/casapay.js';
import { loadContract } from '../../../kit/contract.js';
import { WebhookDispatcher, type DeliveryTarget, type DispatcherOptions, type WebhookDelivery } from './dispatcher.js';
import { isValidSignature, signatureHeader, verifySignature } from '../../../kit/webhook-signature.js';

type Event = components['schemas']['Event'];

const NOW = 1708732800;
const SECRET = 'whsec_8sKf2LmQ0pR7tV9x';
const contract = loadContract();
const deliverySchema = contract.closed().schema('WebhookDelivery');
/** The API's signature scheme, as CasaPay's targets bring it: the dispatcher has none of its own. */
const SIGNATURE_HEADER = 'X-CasaPay-Signature';
const signed = (t: Omit<DeliveryTarget, 'sign'>): DeliveryTarget => ({
  ...t,
  sign: (body, ts) => ({ [SIGNATURE_HEADER]: signatureHeader(body, t.secret, ts) }),
});

// ---- a real receiver on 127.0.0.1 -------------------------------------------------------------

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  eventId: string;
}

/** What the receiver does with a request: answer with a status (after an optional wait), or never answer. */
type Reply = number | 'hang' | Promise<number>;

interface Receiver {
  url(path?: string): string;
  received: Received[];
  /** Requests whose handler has returned, in completion order (for ordering assertions). */
  answered: string[];
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startReceiver(reply: (request: Received, index: number) => Reply): Promise<Receiver> {
  const received: Received[] = [];
  const answered: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const request: Received = {
        path: req.url ?? '',
        headers: req.headers,
        raw,
        eventId: (JSON.parse(raw.toString('utf8')) as { id: string }).id,
      };
      const index = received.push(request) - 1;
      const outcome = reply(request, index);
      if (outcome === 'hang') return;
      void Promise.resolve(outcome).then((status) => {
        answered.push(request.eventId);
        res
          .writeHead(status, {
            'Content-Type': 'text/plain',
            ...(status >= 300 && status < 400 ? { Location: '/elsewhere' } : {}),
          })
          .end('ok');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: (path = '/hooks') => `http://127.0.0.1:${port}${path}`,
    received,
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections(); // includes hanging requests and the dispatcher's keep-alive sockets
        server.close(() => resolve());
      }),
  };
  cleanups.push(() => receiver.close());
  return receiver;
}

/** A URL on which nothing listens: a port that was just released. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hooks`;
}

// ---- dispatcher fixtures ----------------------------------------------------------------------

function makeDispatcher(overrides: Partial<DispatcherOptions> = {}) {
  let n = 0;
  const changes: WebhookDelivery[] = [];
  const dispatcher = new WebhookDispatcher({
    now: () => NOW,
    monotonicMs: () => performance.now(),
    mintId: (prefix) => `${prefix}_${++n}`,
    userAgent: 'CasaPay-Mock/1.0',
    retryDelaysMs: [20, 40],
    timeoutMs: 2_000,
    onChange: (delivery) => changes.push(delivery),
    ...overrides,
  });
  cleanups.push(() => dispatcher.close());
  return { dispatcher, changes };
}

let eventSeq = 0;
function makeEvent(objectId = 'dc_a1b2c3d4'): Event {
  eventSeq++;
  return {
    id: `evt_${eventSeq}`,
    object: 'event',
    type: 'collection_case.updated',
    api_version: '2024-11-01',
    created: NOW,
    livemode: false,
    data: { object: { object: 'collection_case', id: objectId, name: 'Friedrichstraße' } as Event['data']['object'] },
    request: { id: null, idempotency_key: null },
    pending_webhooks: 1,
  };
}

const target = (url: string, endpointId: string | null = 'we_4f5g6h'): DeliveryTarget =>
  signed({ endpointId, url, secret: SECRET });

/** Polls until `check` holds; for waiting on a receiver without sleeping a fixed time. */
async function waitFor(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectContractShape(delivery: WebhookDelivery | undefined) {
  expect(delivery).toBeDefined();
  const valid = deliverySchema(delivery);
  expect(deliverySchema.errors ?? [], JSON.stringify(delivery)).toEqual([]);
  expect(valid).toBe(true);
}

// ---- tests ------------------------------------------------------------------------------------

describe('WebhookDispatcher delivery', () => {
  it('POSTs the exact signed JSON with the documented headers and logs a contract-shaped delivery', async () => {
    const receiver = await startReceiver(() => 200);
    const { dispatcher, changes } = makeDispatcher();
    const event = makeEvent();
    dispatcher.deliver(event, [target(receiver.url())]);
    expect(dispatcher.pendingCount(event.id)).toBe(1);
    await dispatcher.idle();

    const [request] = receiver.received;
    expect(request?.raw.toString('utf8')).toBe(JSON.stringify(event));
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toBe('CasaPay-Mock/1.0');
    const signature = request?.headers['x-casapay-signature'] as string;
    expect(signature).toMatch(new RegExp(`^t=${NOW},v1=[0-9a-f]{64}$`));
    expect(verifySignature(request!.raw, signature, SECRET, 300, NOW)).toBe(true);

    const [delivery] = dispatcher.deliveries(event.id);
    expect(delivery).toMatchObject({
      id: 'whd_1',
      object: 'webhook_delivery',
      event: event.id,
      webhook_endpoint: 'we_4f5g6h',
      url: receiver.url(),
      status: 'succeeded',
      attempts: [{ attempted_at: NOW, status_code: 200, error: null }],
      next_attempt_at: null,
      created: NOW,
    });
    expect(delivery?.attempts[0]?.latency_ms).toBeGreaterThanOrEqual(0);
    expectContractShape(delivery);
    expect(dispatcher.pendingCount(event.id)).toBe(0);
    expect(changes).toEqual([delivery]);
  });

  it("signs with signingTime() and the target's own secret, and logs null endpoints", async () => {
    const receiver = await startReceiver(() => 204);
    const { dispatcher } = makeDispatcher({ signingTime: () => NOW - 1000 });
    const event = makeEvent();
    dispatcher.deliver(event, [
      signed({ endpointId: null, url: receiver.url('/cli'), secret: 'whsec_cli' }),
      target(receiver.url('/ep')),
    ]);
    await dispatcher.idle();
    const byPath = new Map(receiver.received.map((r) => [r.path, r]));
    const cli = byPath.get('/cli')!;
    expect(cli.headers['x-casapay-signature']).toMatch(/^t=1708731800,/);
    expect(verifySignature(cli.raw, cli.headers['x-casapay-signature'] as string, 'whsec_cli', 0)).toBe(true);
    expect(() => verifySignature(cli.raw, cli.headers['x-casapay-signature'] as string, SECRET, 0)).toThrow(
      /No v1 signature matches/,
    );
    expect(() => verifySignature(cli.raw, cli.headers['x-casapay-signature'] as string, 'whsec_cli', 300, NOW)).toThrow(
      /1000 seconds old/,
    );
    expect(dispatcher.deliveries(event.id).map((d) => [d.webhook_endpoint, d.status])).toEqual([
      [null, 'succeeded'],
      ['we_4f5g6h', 'succeeded'],
    ]);
  });

  it.each([
    { name: 'retries after a 500, then succeeds', replies: [500, 200], status: 'succeeded', codes: [500, 200] },
    { name: 'a redirect is a failure (not followed)', replies: [302, 204], status: 'succeeded', codes: [302, 204] },
    { name: 'succeeds on the last attempt', replies: [404, 503, 201], status: 'succeeded', codes: [404, 503, 201] },
    { name: 'gives up after the schedule', replies: [500, 500, 500, 200], status: 'failed', codes: [500, 500, 500] },
  ])('$name', async ({ replies, status, codes }) => {
    const arrivals: number[] = [];
    const receiver = await startReceiver((_request, index) => {
      arrivals.push(performance.now());
      return replies[index] ?? 200;
    });
    const { dispatcher, changes } = makeDispatcher({ retryDelaysMs: [20, 40] });
    const event = makeEvent();
    dispatcher.deliver(event, [target(receiver.url())]);
    await dispatcher.idle();

    const [delivery] = dispatcher.deliveries(event.id);
    expect(delivery?.status).toBe(status);
    expect(delivery?.attempts.map((a) => a.status_code)).toEqual(codes);
    expect(delivery?.attempts.every((a) => a.error === null && a.attempted_at === NOW)).toBe(true);
    expect(delivery?.next_attempt_at).toBeNull();
    expect(receiver.received).toHaveLength(codes.length); // nothing after success or giving up
    expectContractShape(delivery);
    // The waits between arrivals follow the schedule (timers never fire early; allow rounding).
    [20, 40]
      .slice(0, arrivals.length - 1)
      .forEach((delay, i) => expect(arrivals[i + 1]! - arrivals[i]!).toBeGreaterThanOrEqual(delay - 2));
    // One onChange per attempt; while waiting, next_attempt_at = now() + ceil(delay / 1000).
    expect(changes.map((c) => [c.status, c.attempts.length, c.next_attempt_at])).toEqual(
      codes.map((code, i) => {
        const last = i === codes.length - 1;
        return [last ? status : 'pending', i + 1, last ? null : NOW + 1];
      }),
    );
    // Each retry is signed afresh and still verifies.
    for (const request of receiver.received)
      expect(verifySignature(request.raw, request.headers['x-casapay-signature'] as string, SECRET, 300, NOW)).toBe(
        true,
      );
  });

  it('uses the default schedule of 5 retries and ceil(delay/1000) for next_attempt_at', async () => {
    const receiver = await startReceiver(() => 500);
    const { dispatcher, changes } = makeDispatcher({ retryDelaysMs: undefined });
    const event = makeEvent();
    dispatcher.deliver(event, [target(receiver.url())]);
    await waitFor(() => changes.length === 1);
    expect(changes[0]).toMatchObject({ status: 'pending', next_attempt_at: NOW + 1 }); // 500 ms → 1 s
    expect(dispatcher.pendingCount(event.id)).toBe(1);
    await dispatcher.close(); // do not sit through 15 s of real waits
    expect(dispatcher.deliveries(event.id)[0]).toMatchObject({ status: 'pending', next_attempt_at: null });
  });

  it.each([
    { name: 'timeout', setup: async () => (await startReceiver(() => 'hang')).url(), error: 'timeout', minLatency: 45 },
    { name: 'connection refused', setup: refusedUrl, error: 'ECONNREFUSED', minLatency: 0 },
    { name: 'invalid URL', setup: async () => 'not a url', error: 'ERR_INVALID_URL', minLatency: 0 },
  ])('records $name as a failed attempt without a status', async ({ setup, error, minLatency }) => {
    const url = await setup();
    const { dispatcher } = makeDispatcher({ retryDelaysMs: [10], timeoutMs: 50 });
    const event = makeEvent();
    dispatcher.deliver(event, [target(url)]);
    await dispatcher.idle();
    const [delivery] = dispatcher.deliveries(event.id);
    expect(delivery?.status).toBe('failed');
    expect(delivery?.attempts).toHaveLength(2);
    for (const attempt of delivery!.attempts) {
      expect(attempt).toMatchObject({ status_code: null, error });
      expect(attempt.latency_ms).toBeGreaterThanOrEqual(minLatency);
    }
    expectContractShape(delivery);
  });

  it.each([
    {
      name: 'drop the signature header',
      mutate: (_t: DeliveryTarget, _body: string, headers: Record<string, string>) =>
        void delete headers['X-CasaPay-Signature'],
      check: (r: Received) =>
        expect(() => verifySignature(r.raw, r.headers['x-casapay-signature'] as string, SECRET, 300, NOW)).toThrow(
          /missing/,
        ),
    },
    {
      name: 'corrupt the signature',
      mutate: (_t: DeliveryTarget, _body: string, headers: Record<string, string>) => {
        headers['X-CasaPay-Signature'] = headers['X-CasaPay-Signature']!.replace(/v1=./, 'v1=x');
      },
      check: (r: Received) =>
        expect(() => verifySignature(r.raw, r.headers['x-casapay-signature'] as string, SECRET, 300, NOW)).toThrow(
          /No v1 signature matches/,
        ),
    },
    {
      name: 're-sign with the wrong secret',
      mutate: (_t: DeliveryTarget, body: string, headers: Record<string, string>, signedAt: number) => {
        headers[SIGNATURE_HEADER] = signatureHeader(body, 'whsec_wrong', signedAt);
      },
      check: (r: Received) => {
        expect(r.headers['x-casapay-signature']).toMatch(new RegExp(`^t=${NOW},v1=[0-9a-f]{64}$`));
        expect(isValidSignature(r.raw, r.headers['x-casapay-signature'] as string, 'whsec_wrong', 300, NOW)).toBe(true);
        expect(() => verifySignature(r.raw, r.headers['x-casapay-signature'] as string, SECRET, 300, NOW)).toThrow(
          /No v1 signature matches/,
        );
      },
    },
    {
      name: 'replace the body after signing',
      mutate: (_t: DeliveryTarget, body: string, headers: Record<string, string>) => ({
        body: body.replace('Friedrich', 'Friedrick'),
        headers,
      }),
      check: (r: Received) =>
        expect(() => verifySignature(r.raw, r.headers['x-casapay-signature'] as string, SECRET, 300, NOW)).toThrow(
          /No v1 signature matches/,
        ),
    },
  ])("a target's mutate hook can $name", async ({ mutate, check }) => {
    const receiver = await startReceiver(() => 200);
    const { dispatcher } = makeDispatcher();
    dispatcher.deliver(makeEvent(), [{ ...target(receiver.url()), mutate }]);
    await dispatcher.idle();
    expect(receiver.received).toHaveLength(1);
    check(receiver.received[0]!);
  });

  it('survives a throwing onChange', async () => {
    const receiver = await startReceiver(() => 200);
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined); // keep the test output clean
    cleanups.push(() => emitWarning.mockRestore());
    const { dispatcher } = makeDispatcher({
      onChange: () => {
        throw new Error('store is gone');
      },
    });
    const first = makeEvent();
    const second = makeEvent();
    dispatcher.deliver(first, [target(receiver.url())]);
    dispatcher.deliver(second, [target(receiver.url())]);
    await dispatcher.idle();
    expect(receiver.received.map((r) => r.eventId)).toEqual([first.id, second.id]);
    expect(emitWarning).toHaveBeenCalledTimes(2);
    expect(String(emitWarning.mock.calls[0]?.[0])).toMatch(/onChange threw: store is gone/);
  });

  it('rejects invalid options', () => {
    const base = { now: () => NOW, monotonicMs: () => 0, mintId: () => 'whd_1', userAgent: 'test' };
    expect(() => new WebhookDispatcher({ ...base, retryDelaysMs: [10, -1] })).toThrow(RangeError);
    expect(() => new WebhookDispatcher({ ...base, timeoutMs: 0 })).toThrow(RangeError);
  });
});

describe('WebhookDispatcher ordering', () => {
  /** A receiver that holds the answer to chosen events until released. */
  async function gatedReceiver(held: Set<string>, firstReplies: Map<string, number[]> = new Map()) {
    const gates = new Map<string, () => void>();
    const receiver = await startReceiver((request) => {
      const scripted = firstReplies.get(request.eventId);
      if (scripted?.length) return scripted.shift()!;
      if (!held.has(request.eventId)) return 200;
      return new Promise<number>((resolve) => gates.set(request.eventId, () => resolve(200)));
    });
    const release = (eventId: string) => {
      held.delete(eventId);
      gates.get(eventId)?.();
    };
    return { receiver, gates, release };
  }

  it('holds the next event about an object until the previous one succeeded, without blocking other objects or URLs', async () => {
    const first = makeEvent('dc_A');
    const second = makeEvent('dc_A');
    const third = makeEvent('dc_A');
    const other = makeEvent('dc_B');
    const { receiver, gates, release } = await gatedReceiver(new Set([first.id]));
    const { dispatcher } = makeDispatcher();
    const [a, b] = [receiver.url('/a'), receiver.url('/b')];
    dispatcher.deliver(first, [target(a)]);
    dispatcher.deliver(second, [target(a), target(b)]);
    dispatcher.deliver(third, [target(a)]);
    dispatcher.deliver(other, [target(a)]);

    // The first delivery is held; the other object and the other URL go through meanwhile.
    await waitFor(
      () =>
        gates.has(first.id) && receiver.answered.includes(other.id) && receiver.received.some((r) => r.path === '/b'),
    );
    await sleep(30);
    const seenOnA = () => receiver.received.filter((r) => r.path === '/a').map((r) => r.eventId);
    expect(seenOnA()).toEqual([first.id, other.id]);
    expect(dispatcher.pendingCount(second.id)).toBe(1); // delivered on /b, waiting on /a
    expect(dispatcher.deliveries(second.id)[0]).toMatchObject({
      status: 'pending',
      attempts: [],
      next_attempt_at: null,
    });

    release(first.id);
    await dispatcher.idle();
    expect(seenOnA()).toEqual([first.id, other.id, second.id, third.id]);
    expect(receiver.answered.indexOf(first.id)).toBeLessThan(receiver.answered.lastIndexOf(second.id));
  });

  it.each([
    { name: 'succeeded after retries', replies: [500, 500], status: 'succeeded' },
    { name: 'was given up', replies: [500, 500, 500], status: 'failed' },
  ])('releases the next event about an object once the previous one $name', async ({ replies, status }) => {
    const first = makeEvent('dc_C');
    const second = makeEvent('dc_C');
    const { receiver } = await gatedReceiver(new Set(), new Map([[first.id, [...replies]]]));
    const { dispatcher } = makeDispatcher({ retryDelaysMs: [20, 40] });
    dispatcher.deliver(first, [target(receiver.url())]);
    dispatcher.deliver(second, [target(receiver.url())]);
    await dispatcher.idle();
    const order = receiver.received.map((r) => r.eventId);
    expect(order.lastIndexOf(first.id)).toBeLessThan(order.indexOf(second.id));
    expect(order.filter((id) => id === second.id)).toHaveLength(1);
    expect(dispatcher.deliveries(first.id)[0]?.status).toBe(status);
    expect(dispatcher.deliveries(second.id)[0]?.status).toBe('succeeded');
  });

  it('does not order events without an object id', async () => {
    const loose = { ...makeEvent(), data: { object: { object: 'collection_case' } } };
    const next = { ...makeEvent(), data: { object: { object: 'collection_case' } } };
    const { receiver, gates, release } = await gatedReceiver(new Set([loose.id]));
    const { dispatcher } = makeDispatcher();
    dispatcher.deliver(loose, [target(receiver.url())]);
    dispatcher.deliver(next, [target(receiver.url())]);
    await waitFor(() => gates.has(loose.id) && receiver.answered.includes(next.id));
    release(loose.id);
    await dispatcher.idle();
  });
});

describe('WebhookDispatcher in-flight limit', () => {
  it.each([1, 2, 3])(
    'keeps at most %i attempts open per URL, queues the rest in order, and keeps per-object order',
    async (limit) => {
      let open = 0;
      let most = 0;
      const releases: Array<() => void> = [];
      const receiver = await startReceiver(() => {
        open++;
        most = Math.max(most, open);
        return new Promise<number>((resolve) =>
          releases.push(() => {
            open--;
            resolve(200);
          }),
        );
      });
      const other = await startReceiver(() => 200);
      const { dispatcher } = makeDispatcher({ maxInFlight: limit });
      // Three objects with three events each, plus one per object to a second URL, which is not held up.
      const events = ['dc_x', 'dc_y', 'dc_z'].flatMap((id) => [makeEvent(id), makeEvent(id), makeEvent(id)]);
      for (const event of events) dispatcher.deliver(event, [target(receiver.url())]);
      const elsewhere = ['dc_x', 'dc_y', 'dc_z'].map((id) => makeEvent(id));
      for (const event of elsewhere) dispatcher.deliver(event, [target(other.url())]);
      await waitFor(() => releases.length === limit && other.answered.length === elsewhere.length);
      await sleep(20);
      expect(receiver.received).toHaveLength(limit);
      // Let every held answer go, one at a time, until all were delivered.
      while (receiver.answered.length < events.length) {
        await waitFor(() => releases.length > 0);
        releases.shift()!();
        await sleep(1);
      }
      await dispatcher.idle();
      expect(most).toBe(limit);
      for (const id of ['dc_x', 'dc_y', 'dc_z']) {
        const want = events.filter((e) => e.data.object.id === id).map((e) => e.id);
        expect(receiver.received.map((r) => r.eventId).filter((e) => want.includes(e))).toEqual(want);
      }
      expect(events.every((e) => dispatcher.deliveries(e.id)[0]?.status === 'succeeded')).toBe(true);
    },
  );

  it('refuses a limit below 1', () => {
    expect(() => makeDispatcher({ maxInFlight: 0 })).toThrow(RangeError);
  });
});

describe('WebhookDispatcher idle() and close()', () => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  it('idle() resolves at once when nothing is pending, and waits for retries otherwise', async () => {
    const receiver = await startReceiver((_r, index) => (index === 0 ? 500 : 200));
    const { dispatcher } = makeDispatcher({ retryDelaysMs: [50] });
    await dispatcher.idle();
    const event = makeEvent();
    dispatcher.deliver(event, [target(receiver.url())]);
    let idle = false;
    const waiting = dispatcher.idle().then(() => (idle = true));
    await waitFor(() => receiver.received.length === 1);
    expect(idle).toBe(false);
    await waiting;
    expect(dispatcher.deliveries(event.id)[0]?.attempts).toHaveLength(2);
  });

  it('close() aborts in-flight requests, cancels retry timers and leaves no timer behind', async () => {
    const before = timers();
    const hanging = await startReceiver(() => 'hang');
    const failing = await startReceiver(() => 500);
    const { dispatcher, changes } = makeDispatcher({ retryDelaysMs: [60_000], timeoutMs: 60_000 });
    const slow = makeEvent('dc_slow');
    const queued = makeEvent('dc_slow');
    const retrying = makeEvent('dc_retry');
    dispatcher.deliver(slow, [target(hanging.url())]);
    dispatcher.deliver(queued, [target(hanging.url())]);
    dispatcher.deliver(retrying, [target(failing.url())]);
    await waitFor(() => hanging.received.length === 1 && changes.length === 1);
    expect(timers()).toBeGreaterThan(before); // the attempt timeout and the retry wait

    const idle = dispatcher.idle();
    const started = performance.now();
    await dispatcher.close();
    await idle; // waiters are released by close()
    expect(performance.now() - started).toBeLessThan(1_000);
    await dispatcher.close(); // twice is fine
    await dispatcher.idle();

    expect(dispatcher.deliveries(slow.id)[0]).toMatchObject({
      status: 'pending',
      attempts: [{ status_code: null, error: 'aborted' }],
      next_attempt_at: null,
    });
    expect(dispatcher.deliveries(queued.id)[0]).toMatchObject({ status: 'pending', attempts: [] });
    expect(dispatcher.deliveries(retrying.id)[0]).toMatchObject({
      status: 'pending',
      attempts: [{ status_code: 500 }],
      next_attempt_at: null,
    });
    expect(changes).toHaveLength(1); // nothing reported after close
    expect(() => dispatcher.deliver(makeEvent(), [target(failing.url())])).toThrow(/closed/);

    await hanging.close();
    await failing.close();
    await sleep(10); // let the sockets' own handles go
    expect(timers()).toBeLessThanOrEqual(before);
    expect(hanging.received).toHaveLength(1); // the queued event never went out
  });
});

describe('WebhookDispatcher owners', () => {
  it("forgetOwner drops the owner's logs and every unfinished delivery (in flight, queued, behind in its lane, waiting to retry); others go on", async () => {
    const hanging = await startReceiver(() => 'hang');
    const ok = await startReceiver(() => 200);
    const { dispatcher, changes } = makeDispatcher({ maxInFlight: 1, retryDelaysMs: [60_000] });
    // In flight, then queued behind it on the same origin, then behind it in its lane (same object).
    const events = [makeEvent('dc_same'), makeEvent('dc_other'), makeEvent('dc_same')];
    for (const event of events) dispatcher.deliver(event, [target(hanging.url())], undefined, 'sk_test_gone');
    const refused = makeEvent('dc_retry');
    dispatcher.deliver(refused, [target(await refusedUrl())], undefined, 'sk_test_gone');
    const kept = makeEvent('dc_kept');
    dispatcher.deliver(kept, [target(ok.url())], undefined, 'sk_test_kept');
    await waitFor(() => hanging.received.length === 1 && dispatcher.deliveries(refused.id)[0]!.attempts.length === 1);
    expect(dispatcher.size).toMatchObject({ owners: 2, events: 5 });

    const changesBefore = changes.length;
    expect(dispatcher.forgetOwner('sk_test_gone').sort()).toEqual([...events, refused].map((e) => e.id).sort());
    await dispatcher.idle(); // resolves: nothing of the forgotten owner is left unfinished
    await waitFor(() => dispatcher.size.open === 0); // the aborted attempt's slot is given back just after
    expect(dispatcher.size).toMatchObject({ owners: 1, events: 1, unfinished: 0, open: 0 });
    expect(dispatcher.deliveries(events[0]!.id)).toEqual([]);
    expect(hanging.received).toHaveLength(1); // the queued ones were never sent
    expect(changes.slice(changesBefore).every((d) => d.event === kept.id)).toBe(true);
    expect(dispatcher.deliveries(kept.id)[0]!.status).toBe('succeeded');
  });
});

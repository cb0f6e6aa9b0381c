// Webhook delivery: signs each event, POSTs it to every target, retries failures, and keeps a
// delivery log per event (an API may serve it, as CasaPay's event deliveries route does).
//
// Request: POST <url>, body = JSON.stringify(event) (exactly the bytes that are signed), headers
// `Content-Type: application/json`, `User-Agent: <userAgent>` and the target's signature headers
// (`target.sign(body, signingTime())`: each API brings its scheme). Each attempt is signed afresh, so a
// retry carries a new `t`. Redirects are not followed.
//
// Outcome of an attempt: any 2xx succeeds. Anything else fails the attempt: another status
// (3xx included), no answer within `timeoutMs` (error `timeout`, default 10 s), or a connection
// error (`ECONNREFUSED`, `ECONNRESET`, …).
//
// Retry schedule (default `retryDelaysMs`): attempt 1 at once, then waits of
//   0.5 s, 1 s, 2 s, 4 s, 8 s  → at most 6 attempts over ~15.5 s plus the attempts' own time,
// after which the delivery is `failed` with `next_attempt_at: null`. While waiting, the delivery
// is `pending` with `next_attempt_at = now() + ceil(delay / 1000)`. The waits run on real timers:
// the mock's virtual clock governs business time (and stamps `attempted_at`), not retry waits.
//
// Ordering guarantee: per (target URL, object id), deliveries are strictly sequential and in the
// order deliver() was called. The next event about the same object is not sent to that URL until
// the previous one has succeeded or been given up, so a receiver sees `collection_case.updated`
// after the `collection_case.created` it follows — unless that earlier delivery failed for good.
// Events with no `data.object.id` are not ordered.
// Not guaranteed: any order across different objects or different URLs (they proceed in
// parallel), nor exactly-once delivery: a receiver that answered too slowly or with a non-2xx may
// get the same event again. Receivers dedupe by event `id`.
//
// Bounded resources: at most `maxInFlight` attempts (default 4) are open per receiver origin
// (scheme, host and port — not per URL string, so `?n=1…100` on one receiver shares one bound), and
// at most `maxOpen` (default 64) in total across all receivers. A receiver that accepts connections
// and never answers costs that many sockets, not one per event or per endpoint. The rest wait in a
// FIFO per origin; origins held back by the total bound take turns (round robin) as slots free. A
// queued delivery holds only its log entry and a reference to the event (which the account stores
// anyway): the body is serialised when its first attempt starts. A delivery waiting for a retry
// gives its slot back.
//
// Owners: deliver() may name who the event belongs to (an account key); forgetOwner() drops that
// owner's delivery logs and every unfinished delivery of it (queued ones skipped, retry timers
// cleared, attempts in flight aborted), so an evicted or reset account leaves nothing behind here.

/** One attempt to deliver: when, the receiver's status (null if none came), how long, and the failure. */
export interface DeliveryAttempt {
  attempted_at: number;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
}

/** The log of one delivery (CasaPay's contract publishes it as `WebhookDelivery`). */
export interface WebhookDelivery {
  id: string;
  object: 'webhook_delivery';
  event: string;
  /** The endpoint the API registered, or `null` for a target given at start (`--webhook-url`). */
  webhook_endpoint: string | null;
  url: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: DeliveryAttempt[];
  next_attempt_at: number | null;
  created: number;
}

/** Default waits between attempts, in milliseconds (see the schedule above). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = Object.freeze([500, 1000, 2000, 4000, 8000]);
/** Default number of attempts open at once per receiver origin. */
export const DEFAULT_MAX_IN_FLIGHT = 4;
/** Default number of attempts open at once in total, across every receiver. */
export const DEFAULT_MAX_OPEN = 64;
/** Default per-attempt timeout, in milliseconds; the contract tells receivers to answer within 10 s. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Where one delivery goes: an endpoint the API registered, or `null` for a target given at start (`--webhook-url`). */
export interface DeliveryTarget {
  /**
   * How the API makes this target again after a restart (a durable store resumes pending deliveries):
   * its name, and what it needs (an endpoint or subscription id; null for a target given at start).
   */
  resumeAs?: { api: string; ref: string | null };
  endpointId: string | null;
  url: string;
  secret: string;
  /** The signature headers for `body` signed at `t`: each API brings its scheme. */
  sign(body: string, t: number): Record<string, string>;
  /**
   * Last look at the signed request before it is sent (an API's edges: benign variants, deliberate
   * defects, extra signature schemes). Edit `headers` in place or return a replacement; `signedAt` is
   * the `t` the signature carries, for re-signing.
   */
  mutate?(
    target: DeliveryTarget,
    body: string,
    headers: Record<string, string>,
    signedAt: number,
  ): OutgoingRequest | void;
}

/** The fields the dispatcher reads; any Event (components['schemas']['Event']) fits. */
export interface DispatchableEvent {
  id: string;
  data: { object?: { id?: string; [field: string]: unknown }; [field: string]: unknown };
  [field: string]: unknown;
}

/** The request about to be sent, as handed to (and returned by) the `mutate` hook. */
export interface OutgoingRequest {
  body: string;
  headers: Record<string, string>;
}

export interface DispatcherOptions {
  /** This instance, named in the records it keeps (several instances on one store). */
  instance?: string;
  /** Unix seconds of the mock's clock, stamped on attempts, `created` and `next_attempt_at`. */
  now(): number;
  /** Milliseconds from any origin, for latency (inject `performance.now`). */
  monotonicMs(): number;
  /** Waits between attempts; default {@link DEFAULT_RETRY_DELAYS_MS}. `[]` means a single attempt. */
  retryDelaysMs?: readonly number[];
  /** Per-attempt timeout; default {@link DEFAULT_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** At most this many attempts open at once per receiver origin; default {@link DEFAULT_MAX_IN_FLIGHT}. */
  maxInFlight?: number;
  /** At most this many attempts open at once in total; default {@link DEFAULT_MAX_OPEN}. */
  maxOpen?: number;
  /** The User-Agent of every attempt. */
  userAgent: string;
  /** Mints the delivery ids. */
  mintId(prefix: 'whd'): string;
  /** The `t` put in the signature header; default `now()`. Defect injection may skew it. */
  signingTime?(): number;
  /** Called with a copy of the delivery after each attempt is recorded (pending_webhooks bookkeeping). Must not throw. */
  onChange?(delivery: WebhookDelivery): void;
  /** Sends one attempt; default `fetch`. Benign variants wrap it (duplicate, delay) — see mocks/apis/casapay/variants.ts. */
  send?(url: string, init: RequestInit): Promise<Response>;
  /**
   * Keep a record of every delivery (its event, target and owner) for as long as its log, and call this
   * when one is created or attempted: a durable store writes it, and resumes the pending ones after a restart.
   */
  onRecord?(record: DeliveryRecord): void;
}

/** A delivery as a durable store keeps it: enough to show its log and to resume it after a restart. */
export interface DeliveryRecord {
  delivery: WebhookDelivery;
  event: DispatchableEvent;
  owner: string | undefined;
  orderKey: unknown;
  target: { resumeAs?: DeliveryTarget['resumeAs']; endpointId: string | null; url: string };
  /** The instance making its attempts, when several share one store (the others only show its log). */
  instance?: string;
}

/** What a cancelled job keeps in place of its event. */
const FORGOTTEN_EVENT: DispatchableEvent = Object.freeze({ id: '', data: {} });

interface Job {
  delivery: WebhookDelivery;
  target: DeliveryTarget;
  event: DispatchableEvent;
  /** The signed bytes, from the first attempt on (retries resend the same body). */
  body: string | null;
  lane: string;
  /** The receiver's origin: its attempts share that origin's slots. */
  gateKey: string;
  owner: string | undefined;
  retryTimer: ReturnType<typeof setTimeout> | null;
  /** Its owner was forgotten: skipped if queued, nothing recorded if in flight. */
  cancelled: boolean;
}

/** A FIFO that does not shift arrays: O(1) push and take, memory released as it drains. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  take(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined as T;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** Per receiver origin: attempts open now, and jobs ready to go once a slot frees. */
interface Gate {
  key: string;
  open: number;
  ready: Fifo<Job>;
  /** In the round robin of origins held back by the total bound. */
  starved: boolean;
}

/** `scheme://host:port` of a URL, the unit of the per-receiver bound (the URL itself if it does not parse). */
function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return url;
  }
}

interface InFlight {
  controller: AbortController;
  settled: Promise<void>;
}

/**
 * Delivers events to webhook targets with signing, retries and per-object ordering.
 * @example
 * const dispatcher = new WebhookDispatcher({ now: clock.now, monotonicMs: () => performance.now(), mintId: (p) => ids.id(p) });
 * dispatcher.deliver(event, [{ endpointId: 'we_4f5g6h', url: 'http://127.0.0.1:3000/hooks', secret: 'whsec_…' }]);
 * await dispatcher.idle();
 * dispatcher.deliveries(event.id)[0]?.status; // 'succeeded'
 */
export class WebhookDispatcher {
  private readonly retryDelaysMs: readonly number[];
  private readonly timeoutMs: number;
  /** Event id → its deliveries: the delivery itself while it is the only one (most events), else a list. */
  private readonly byEvent = new Map<string, WebhookDelivery | WebhookDelivery[]>();
  /** Lane key → its jobs in order; the head is the one being attempted or waiting to retry. */
  private readonly lanes = new Map<string, Job[]>();
  private readonly inFlight = new Map<Job, InFlight>();
  private readonly waiting = new Set<Job>();
  private readonly gates = new Map<string, Gate>();
  /** Origins with a ready job and a free slot of their own, waiting for the total bound. */
  private readonly starved = new Fifo<Gate>();
  /** Attempts open now, across every origin. */
  private openTotal = 0;
  /** Owner → its events with deliveries; owner → its unfinished jobs. */
  private readonly eventsByOwner = new Map<string, Set<string>>();
  private readonly jobsByOwner = new Map<string, Set<Job>>();
  /** Event id → its unfinished jobs, so forgetEvent() finds them without a scan. */
  private readonly jobsByEvent = new Map<string, Set<Job>>();
  private readonly maxInFlight: number;
  private readonly maxOpen: number;
  /** Jobs not yet finished: queued, in flight or waiting for a retry. */
  private unfinished = 0;
  private idleWaiters: Array<() => void> = [];
  private closing: Promise<void> | null = null;
  /** Delivery id → its record, when a durable store keeps them (options.onRecord); empty otherwise. */
  private readonly records = new Map<string, DeliveryRecord>();

  constructor(private readonly options: DispatcherOptions) {
    this.retryDelaysMs = [...(options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS)];
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    if (!Number.isInteger(this.maxInFlight) || this.maxInFlight < 1)
      throw new RangeError(`maxInFlight must be a whole number ≥ 1, got ${this.maxInFlight}`);
    this.maxOpen = options.maxOpen ?? DEFAULT_MAX_OPEN;
    if (!Number.isInteger(this.maxOpen) || this.maxOpen < 1)
      throw new RangeError(`maxOpen must be a whole number ≥ 1, got ${this.maxOpen}`);
    for (const delay of this.retryDelaysMs) {
      if (!Number.isFinite(delay) || delay < 0)
        throw new RangeError(`retryDelaysMs must hold non-negative milliseconds, got ${delay}`);
    }
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0)
      throw new RangeError(`timeoutMs must be a positive number of milliseconds, got ${this.timeoutMs}`);
  }

  /**
   * Starts delivering `event` to each target (one WebhookDelivery per target) and returns at once.
   * Deliveries with the same `orderKey` (default `data.object.id`) to one URL are sent in order.
   * `owner` (an account key) lets forgetOwner() drop them all. With `held`, nothing is sent yet: the
   * deliveries are recorded and a starter per lane is pushed to it (call them once the answer is out).
   * Throws after close().
   * @example
   * dispatcher.deliver({ id: 'evt_1', data: { object: { id: 'dc_1' } } }, [{ endpointId: null, url, secret }], undefined, 'account_1');
   */
  deliver(
    event: DispatchableEvent,
    targets: readonly DeliveryTarget[],
    orderKey: unknown = event.data?.object?.id,
    owner?: string,
    held?: Array<() => void>,
  ): void {
    if (this.closing) throw new Error('WebhookDispatcher is closed; create a new one to deliver more events');
    const objectId = orderKey;
    let ownedJobs: Set<Job> | undefined;
    if (owner !== undefined && targets.length) {
      let events = this.eventsByOwner.get(owner);
      if (!events) this.eventsByOwner.set(owner, (events = new Set()));
      events.add(event.id);
      ownedJobs = this.jobsByOwner.get(owner);
      if (!ownedJobs) this.jobsByOwner.set(owner, (ownedJobs = new Set()));
    }
    for (const target of targets) {
      const delivery: WebhookDelivery = {
        id: this.options.mintId('whd'),
        object: 'webhook_delivery',
        event: event.id,
        webhook_endpoint: target.endpointId,
        url: target.url,
        status: 'pending',
        attempts: [],
        next_attempt_at: null,
        created: this.options.now(),
      };
      this.appendLog(event.id, delivery);
      this.keepRecord(delivery, event, owner, objectId, target);
      this.enqueue(delivery, event, target, objectId, owner, ownedJobs, held);
    }
  }

  /** Keeps the record of a delivery and tells the store (only when one keeps them). */
  private keepRecord(
    delivery: WebhookDelivery,
    event: DispatchableEvent,
    owner: string | undefined,
    orderKey: unknown,
    target: DeliveryTarget,
  ): void {
    if (!this.options.onRecord) return;
    const record: DeliveryRecord = {
      delivery,
      event,
      owner,
      orderKey,
      target: { resumeAs: target.resumeAs, endpointId: target.endpointId, url: target.url },
      ...(this.options.instance === undefined ? {} : { instance: this.options.instance }),
    };
    this.records.set(delivery.id, record);
    this.options.onRecord(record);
  }

  /** The record of a delivery while its log is kept (only when a store keeps them). */
  record(deliveryId: string): DeliveryRecord | undefined {
    return this.records.get(deliveryId);
  }

  /**
   * Puts a kept delivery back after a restart: its log, and — if it was still pending and `target` is
   * given — its job, which goes on from the attempts already made (same delivery id, same event). A
   * delivery another instance was making (mirrored here) is taken over: this instance makes the rest.
   */
  restore(record: DeliveryRecord, target: DeliveryTarget | undefined): void {
    const { delivery, event, owner, orderKey } = record;
    const known = this.logOf(event.id).some((d) => d.id === delivery.id);
    if (known && !this.mirrored.delete(delivery.id)) return;
    this.putLog(event.id, delivery);
    const adopted = this.options.instance !== undefined && record.instance !== this.options.instance;
    if (adopted) record.instance = this.options.instance;
    if (this.options.onRecord) {
      this.records.set(delivery.id, record);
      // Taken over from another instance: the store learns who makes its attempts now.
      if (adopted) this.options.onRecord(record);
    }
    let ownedJobs: Set<Job> | undefined;
    if (owner !== undefined) {
      let events = this.eventsByOwner.get(owner);
      if (!events) this.eventsByOwner.set(owner, (events = new Set()));
      events.add(event.id);
    }
    if (delivery.status !== 'pending') return;
    if (!target) {
      // Nobody can sign for it any more (its endpoint is gone): given up, as after the last retry.
      delivery.status = 'failed';
      delivery.next_attempt_at = null;
      this.notify(delivery);
      return;
    }
    if (owner !== undefined) {
      ownedJobs = this.jobsByOwner.get(owner);
      if (!ownedJobs) this.jobsByOwner.set(owner, (ownedJobs = new Set()));
    }
    this.enqueue(delivery, event, target, orderKey, owner, ownedJobs);
  }

  /** Deliveries another instance records (their logs, kept here to read): never sent from here. */
  private readonly mirrored = new Set<string>();

  /** The pending deliveries other instances are making (to take over those whose instance has gone). */
  mirroredPending(): DeliveryRecord[] {
    const pending: DeliveryRecord[] = [];
    for (const id of this.mirrored) {
      const record = this.records.get(id);
      if (record?.delivery.status === 'pending') pending.push(record);
    }
    return pending;
  }

  /**
   * Keeps the log of a delivery another instance on the same store makes (several instances, one
   * sandbox): shown with its event's deliveries, updated as that instance records its attempts,
   * never attempted here. A delivery this instance makes itself is left alone.
   */
  mirror(record: DeliveryRecord): void {
    const own = this.records.get(record.delivery.id);
    if (own && !this.mirrored.has(record.delivery.id)) return;
    this.mirrored.add(record.delivery.id);
    const { delivery, event, owner } = record;
    this.putLog(event.id, delivery);
    this.records.set(delivery.id, record);
    if (owner !== undefined) {
      let events = this.eventsByOwner.get(owner);
      if (!events) this.eventsByOwner.set(owner, (events = new Set()));
      events.add(event.id);
    }
  }

  /**
   * Adds a delivery to its event's log. The log is rebuilt at its exact length rather than grown in place:
   * an array grown by push keeps room for 16 more (≈130 bytes per event with one delivery, kept as long as the log).
   */
  private appendLog(eventId: string, delivery: WebhookDelivery): void {
    const log = this.byEvent.get(eventId);
    this.byEvent.set(
      eventId,
      log === undefined ? delivery : Array.isArray(log) ? log.concat([delivery]) : [log, delivery],
    );
  }

  /** The deliveries of an event, in the order they were created (the stored ones, not copies). */
  private logOf(eventId: string): readonly WebhookDelivery[] {
    const log = this.byEvent.get(eventId);
    return log === undefined ? [] : Array.isArray(log) ? log : [log];
  }

  /** Puts `delivery` in place of the one with its id in its event's log, or adds it. */
  private putLog(eventId: string, delivery: WebhookDelivery): void {
    const log = this.byEvent.get(eventId);
    if (log !== undefined && !Array.isArray(log) && log.id === delivery.id) this.byEvent.set(eventId, delivery);
    else {
      const at = Array.isArray(log) ? log.findIndex((d) => d.id === delivery.id) : -1;
      if (at === -1) this.appendLog(eventId, delivery);
      else (log as WebhookDelivery[])[at] = delivery;
    }
  }

  private enqueue(
    delivery: WebhookDelivery,
    event: DispatchableEvent,
    target: DeliveryTarget,
    objectId: unknown,
    owner: string | undefined,
    ownedJobs: Set<Job> | undefined,
    held?: Array<() => void>,
  ): void {
    // Without an object id there is nothing to order by, so each such delivery gets its own lane.
    const lane =
      typeof objectId === 'string' && objectId !== '' ? `${target.url}\n${objectId}` : `${target.url}\n#${delivery.id}`;
    const job: Job = {
      delivery,
      target,
      event,
      body: null,
      lane,
      gateKey: originOf(target.url),
      owner,
      retryTimer: null,
      cancelled: false,
    };
    ownedJobs?.add(job);
    let eventJobs = this.jobsByEvent.get(event.id);
    if (!eventJobs) this.jobsByEvent.set(event.id, (eventJobs = new Set()));
    eventJobs.add(job);
    this.unfinished++;
    const queue = this.lanes.get(lane);
    if (queue) queue.push(job);
    else {
      this.lanes.set(lane, [job]);
      // Held: recorded now (a durable store commits it with the change), sent once the answer is out.
      if (held)
        held.push(() => !job.cancelled && !this.closing && this.lanes.get(lane)?.[0] === job && this.start(job));
      else this.start(job);
    }
  }

  /**
   * Copies of the deliveries of an event, one per target, in the order they were created.
   * @example
   * dispatcher.deliveries('evt_1').map((d) => d.status); // ['succeeded', 'pending']
   */
  deliveries(eventId: string): WebhookDelivery[] {
    return this.logOf(eventId).map((d) => structuredClone(d));
  }

  /**
   * How many of the event's deliveries have neither succeeded nor been given up (the event's `pending_webhooks`).
   * @example
   * dispatcher.pendingCount('evt_1'); // 0 once every target answered 2xx or ran out of attempts
   */
  pendingCount(eventId: string): number {
    let pending = 0;
    for (const delivery of this.logOf(eventId)) if (delivery.status === 'pending') pending++;
    return pending;
  }

  /**
   * Resolves when no delivery is queued, in flight or waiting for a retry (at once after close()).
   * @example
   * dispatcher.deliver(event, targets); await dispatcher.idle();
   */
  idle(): Promise<void> {
    if (this.unfinished === 0 || this.closing) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Drops everything of one owner (an evicted or reset account): its delivery logs, its queued
   * deliveries, retry timers and attempts in flight (aborted; nothing is recorded for them).
   * Returns the ids of the events whose logs were dropped.
   * @example
   * dispatcher.forgetOwner('account_1'); // ['evt_1', …]
   */
  forgetOwner(owner: string): string[] {
    const events = [...(this.eventsByOwner.get(owner) ?? [])];
    this.eventsByOwner.delete(owner);
    for (const id of events) this.dropLog(id);
    const jobs = this.jobsByOwner.get(owner);
    this.jobsByOwner.delete(owner);
    for (const job of jobs ?? []) this.cancel(job);
    return events;
  }

  /**
   * Drops one event's delivery log and its unfinished deliveries (queued ones skipped, retry timers
   * cleared, attempts in flight aborted; nothing is recorded for them): the event left its account's
   * window (--max-events).
   * @example
   * dispatcher.forgetEvent('evt_1', 'account_1');
   */
  forgetEvent(eventId: string, owner?: string): void {
    this.dropLog(eventId);
    if (owner !== undefined) {
      const events = this.eventsByOwner.get(owner);
      events?.delete(eventId);
      if (events?.size === 0) this.eventsByOwner.delete(owner);
    }
    const jobs = this.jobsByEvent.get(eventId);
    if (!jobs) return;
    for (const job of [...jobs]) {
      if (job.owner !== undefined) {
        const owned = this.jobsByOwner.get(job.owner);
        owned?.delete(job);
        if (owned?.size === 0) this.jobsByOwner.delete(job.owner);
      }
      this.cancel(job);
    }
    this.jobsByEvent.delete(eventId);
  }

  private dropLog(eventId: string): void {
    if (this.records.size)
      for (const delivery of this.logOf(eventId)) {
        this.records.delete(delivery.id);
        this.mirrored.delete(delivery.id);
      }
    this.byEvent.delete(eventId);
  }

  /** How many owners, event logs and unfinished deliveries the dispatcher holds (for tests and /__admin). */
  get size(): { owners: number; events: number; unfinished: number; open: number } {
    return {
      owners: this.eventsByOwner.size,
      events: this.byEvent.size,
      unfinished: this.unfinished,
      open: this.openTotal,
    };
  }

  private cancel(job: Job): void {
    if (job.cancelled) return;
    job.cancelled = true;
    this.unindexEventJob(job);
    const flight = this.inFlight.get(job);
    if (flight) {
      // send() sees `cancelled` when the abort lands and finishes the job.
      flight.controller.abort();
      return;
    }
    if (job.retryTimer) {
      clearTimeout(job.retryTimer);
      job.retryTimer = null;
      this.waiting.delete(job);
    }
    const queue = this.lanes.get(job.lane);
    const at = queue ? queue.indexOf(job) : -1;
    if (at > 0) {
      // Not started yet (behind an earlier event about the same object): just leave the lane.
      queue!.splice(at, 1);
      this.unfinished--;
      if (this.unfinished === 0) this.releaseIdleWaiters();
    } else if (at === 0) {
      // Waiting for a retry, or queued for a slot (skipped when its turn comes): the lane moves on.
      this.finish(job);
    }
    // A queued job stays in its origin's FIFO until its turn: keep it light meanwhile.
    job.event = FORGOTTEN_EVENT;
    job.body = null;
  }

  /**
   * Stops for good: starts nothing more, cancels retry timers, gives attempts in flight `graceMs`
   * (default 0) to finish, aborts the rest (recorded with error `aborted`) and resolves once they have
   * settled. Unfinished deliveries stay `pending` with `next_attempt_at: null`; onChange is not called
   * any more. Safe to call twice (the first call's grace applies).
   * @example
   * await dispatcher.close(5000); // a graceful shutdown
   */
  close(graceMs = 0): Promise<void> {
    this.closing ??= this.shutdown(graceMs);
    return this.closing;
  }

  private async shutdown(graceMs: number): Promise<void> {
    for (const job of this.waiting) {
      if (job.retryTimer) clearTimeout(job.retryTimer);
      job.retryTimer = null;
      job.delivery.next_attempt_at = null;
    }
    this.waiting.clear();
    if (graceMs > 0 && this.inFlight.size) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.all([...this.inFlight.values()].map((flight) => flight.settled)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    const settling = [...this.inFlight.values()].map(({ controller, settled }) => {
      controller.abort();
      return settled;
    });
    await Promise.all(settling);
    this.lanes.clear();
    this.gates.clear();
    this.jobsByOwner.clear();
    this.unfinished = 0;
    this.releaseIdleWaiters();
  }

  /** Attempts `job` now if its origin and the total have a free slot, else queues it for its origin. */
  private start(job: Job): void {
    let gate = this.gates.get(job.gateKey);
    if (!gate) this.gates.set(job.gateKey, (gate = { key: job.gateKey, open: 0, ready: new Fifo(), starved: false }));
    if (gate.open < this.maxInFlight && this.openTotal < this.maxOpen) {
      this.attempt(job, gate);
    } else {
      gate.ready.push(job);
      if (gate.open < this.maxInFlight) this.starve(gate);
    }
  }

  /** Sends one attempt of `job`; never rejects (every failure becomes a recorded attempt). */
  private attempt(job: Job, gate: Gate): void {
    gate.open++;
    this.openTotal++;
    const controller = new AbortController();
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    this.inFlight.set(job, { controller, settled });
    void this.send(job, controller).finally(() => {
      this.inFlight.delete(job);
      settle();
      this.release(gate);
    });
  }

  /** The origin has room of its own but the total is full: it waits its turn. */
  private starve(gate: Gate): void {
    if (gate.starved) return;
    gate.starved = true;
    this.starved.push(gate);
  }

  /** The next job of the origin that is not cancelled. */
  private nextReady(gate: Gate): Job | undefined {
    for (let job = gate.ready.take(); job; job = gate.ready.take()) if (!job.cancelled) return job;
    return undefined;
  }

  /** An attempt ended: its origin's slot, and a slot of the total, go to the next ready jobs. */
  private release(gate: Gate): void {
    gate.open--;
    this.openTotal--;
    if (this.closing) return;
    if (gate.ready.size) this.starve(gate);
    // Round robin over the origins held back, one attempt each per turn, while the total has room.
    while (this.openTotal < this.maxOpen) {
      const waiting = this.starved.take();
      if (!waiting) break;
      waiting.starved = false;
      if (waiting.open >= this.maxInFlight) continue; // it will come back when one of its own ends
      const next = this.nextReady(waiting);
      if (next) this.attempt(next, waiting);
      if (waiting.ready.size && waiting.open < this.maxInFlight) this.starve(waiting);
      else this.dropIfUnused(waiting);
    }
    // This origin's own next, if it still has room and nothing else took the slot.
    if (gate.open < this.maxInFlight && this.openTotal < this.maxOpen && !gate.starved) {
      const next = this.nextReady(gate);
      if (next) this.attempt(next, gate);
    }
    this.dropIfUnused(gate);
  }

  private dropIfUnused(gate: Gate): void {
    if (gate.open === 0 && gate.ready.size === 0 && !gate.starved && this.gates.get(gate.key) === gate)
      this.gates.delete(gate.key);
  }

  private async send(job: Job, controller: AbortController): Promise<void> {
    const { delivery, target } = job;
    const attemptedAt = this.options.now();
    let timedOut = false;
    // A plain timer rather than AbortSignal.timeout(): it is cleared the moment the attempt ends,
    // and it tells a timeout apart from close()'s abort.
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    let started = this.options.monotonicMs();
    let statusCode: number | null = null;
    let error: string | null = null;
    let latency: number;
    try {
      job.body ??= JSON.stringify(job.event);
      const request = this.prepare(target, job.body);
      started = this.options.monotonicMs();
      const response = await (this.options.send ?? fetch)(target.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: controller.signal,
      });
      latency = this.options.monotonicMs() - started;
      statusCode = response.status;
      // The answer's body is never read; cancelling frees the connection at once.
      await response.body?.cancel().catch(() => undefined);
    } catch (err) {
      latency = this.options.monotonicMs() - started;
      error = timedOut ? 'timeout' : controller.signal.aborted ? 'aborted' : errorCode(err);
    } finally {
      clearTimeout(timer);
    }

    if (job.cancelled) {
      // Its owner is gone (forgetOwner): nothing to record, no one to tell.
      this.finish(job);
      return;
    }
    const attempt: DeliveryAttempt = {
      attempted_at: attemptedAt,
      status_code: statusCode,
      latency_ms: Math.round(latency * 100) / 100,
      error,
    };
    // At its exact length, as the log above: most deliveries keep one attempt for as long as their log.
    delivery.attempts = delivery.attempts.length ? delivery.attempts.concat([attempt]) : [attempt];
    const succeeded = statusCode !== null && statusCode >= 200 && statusCode < 300;

    if (this.closing) {
      // Record what happened, but schedule nothing and tell no one: the owner is shutting down.
      if (succeeded) delivery.status = 'succeeded';
      delivery.next_attempt_at = null;
      return;
    }

    const failures = delivery.attempts.length;
    const delay = this.retryDelaysMs[failures - 1];
    if (succeeded) {
      delivery.status = 'succeeded';
      delivery.next_attempt_at = null;
    } else if (delay !== undefined) {
      delivery.next_attempt_at = this.options.now() + Math.ceil(delay / 1000);
      this.waiting.add(job);
      job.retryTimer = setTimeout(() => {
        job.retryTimer = null;
        this.waiting.delete(job);
        this.start(job);
      }, delay);
    } else {
      delivery.status = 'failed';
      delivery.next_attempt_at = null;
    }
    this.notify(delivery);
    if (delivery.status !== 'pending') this.finish(job);
  }

  /** Signs the body and lets the mutate hook have its say. */
  private prepare(target: DeliveryTarget, body: string): OutgoingRequest {
    const t = this.options.signingTime ? this.options.signingTime() : this.options.now();
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': this.options.userAgent,
      ...target.sign(body, t),
    };
    const replaced = target.mutate?.(target, body, headers, t);
    return replaced ?? { body, headers };
  }

  private notify(delivery: WebhookDelivery): void {
    const record = this.options.onRecord && this.records.get(delivery.id);
    if (record) this.options.onRecord!(record);
    if (!this.options.onChange) return;
    try {
      this.options.onChange(structuredClone(delivery));
    } catch (err) {
      // A throwing callback must not wedge the lane or leave the delivery half-processed.
      process.emitWarning(
        `WebhookDispatcher onChange threw: ${err instanceof Error ? err.message : String(err)}`,
        'WebhookDispatcherWarning',
      );
    }
  }

  /** The head of the lane is done: start the next event about the same object, if any. */
  private finish(job: Job): void {
    this.unindexEventJob(job);
    if (job.owner !== undefined) {
      const owned = this.jobsByOwner.get(job.owner);
      owned?.delete(job);
      if (owned?.size === 0) this.jobsByOwner.delete(job.owner);
    }
    const queue = this.lanes.get(job.lane);
    if (queue) {
      queue.shift();
      const next = queue[0];
      if (next) this.start(next);
      else this.lanes.delete(job.lane);
    }
    this.unfinished--;
    if (this.unfinished === 0) this.releaseIdleWaiters();
  }

  private unindexEventJob(job: Job): void {
    const eventId = job.delivery.event;
    const jobs = this.jobsByEvent.get(eventId);
    jobs?.delete(job);
    if (jobs?.size === 0) this.jobsByEvent.delete(eventId);
  }

  private releaseIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * The short reason of a failed fetch: the socket error code (`ECONNREFUSED`, `ECONNRESET`,
 * `ENOTFOUND`, undici's `UND_ERR_…`) found along the `cause` chain, else the innermost message.
 */
function errorCode(err: unknown): string {
  let current: unknown = err;
  let message = 'unknown error';
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof e.code === 'string' && e.code !== '') return e.code;
    if (typeof e.message === 'string' && e.message !== '') message = e.message;
    // Happy-eyeballs connects fail with an AggregateError whose parts carry the codes.
    current = e.cause ?? (Array.isArray(e.errors) ? e.errors[0] : undefined);
  }
  return message;
}

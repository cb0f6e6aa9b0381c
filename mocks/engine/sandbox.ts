// The mock's runtime state and its effects: accounts, the clock, id minting, idempotency, the
// schedule of things due on virtual time, and events with their webhook deliveries.
import type { Clock } from './clock.js';
import { monotonicMs, realNowSeconds } from '../../kit/real-time.js';
import type { Contract } from '../../kit/contract.js';
import type { Effects, EventSubject, EventType } from '../apis/casapay/handlers/context.js';
import { API_VERSION } from '../apis/casapay/handlers/webhook-endpoints.js';
import { subscribes } from '../apis/casapay/handlers/events.js';
import { IdempotencyCache } from './state/idempotency.js';
import { createIdMinter, type IdMinter } from './state/ids.js';
import { Store, type AccountState, type ApiEvent, type ScheduledTask } from './state/store.js';
import type { TaskRunners } from './scheduler/scheduler.js';
import { handlerTaskRunners } from '../apis/casapay/handlers/tasks.js';
import { SIGNATURE_HEADER, WebhookDispatcher, type DeliveryTarget, type OutgoingRequest } from './webhooks/dispatcher.js';
import { standardSignatureHeaders } from '../../kit/standard-webhook-signature.js';
import type { components } from '../../generated/casapay.js';
import type { VariantHooks } from '../apis/casapay/variants.js';
import { createWebhookUrlGuard, type Resolve, type WebhookUrlGuard } from './webhooks/url-guard.js';

export interface SandboxOptions {
  contract: Contract;
  clock: Clock;
  /** The `t` webhook signatures carry; default real time (a deliberate defect may skew it). */
  signingTime?: () => number;
  /** The last look at each signed webhook request, after variants and the Standard Webhooks headers (deliberate defects). */
  mutateWebhook?: (request: OutgoingRequest, signedAt: number) => OutgoingRequest;
  seed?: string;
  /** Also deliver every event of every account here (the CLI's --webhook-url), signed with `webhookSecret`. */
  webhookUrl?: string;
  webhookSecret?: string;
  retryDelaysMs?: readonly number[];
  /** Webhook attempts open at once per receiver origin (the CLI's --webhook-concurrency). */
  webhookConcurrency?: number;
  /** Webhook attempts open at once in total (the CLI's --webhook-max-open). */
  webhookMaxOpen?: number;
  /** Benign variants' edges (mocks/apis/casapay/variants.ts): id minting, how a delivery is sent, the signed request. */
  variants?: Pick<VariantHooks, 'ids' | 'send' | 'mutate'>;
  /** At most this many accounts; opening one more evicts the least recently used (default unbounded). */
  maxAccounts?: number;
  /** Stored objects per account, both APIs together; creates beyond it answer 400 (default unbounded). */
  maxObjects?: number;
  /** Events kept per account (each API's log), the oldest dropped first with its deliveries (default unbounded). */
  maxEvents?: number;
  /** Idempotency keys kept per account, the oldest completed forgotten first (default unbounded). */
  maxIdempotencyKeys?: number;
  /** Refuse webhook targets that are not public addresses, at registration and when dialling (mocks/engine/webhooks/url-guard.ts). */
  blockPrivateWebhooks?: boolean;
  /** How webhook hosts are resolved when blocking (default the system resolver; tests pass their own). */
  webhookResolve?: Resolve;
  /** How deliveries are signed unless an endpoint chose (`signature_scheme`): default `casapay`. */
  webhookSigning?: SignatureScheme;
}

export type SignatureScheme = components['schemas']['SignatureScheme'];
export const SIGNATURE_SCHEMES: readonly SignatureScheme[] = ['casapay', 'standard', 'both'];

/** A delivery target with what the Standard Webhooks headers need: the scheme and the event id (`webhook-id`). */
interface SchemeTarget extends DeliveryTarget {
  scheme: SignatureScheme;
  eventId: string;
}

export interface RequestInfo {
  id: string | null;
  idempotencyKey: string | null;
}

/** Effects plus the events they recorded, delivered by `flush()` once the operation has completed. */
export interface RecordingEffects extends Effects {
  flush(): void;
}

/** Events kept per account when shared and no --max-events is given: ≈10 MB of events at ≈1 KB each. */
export const DEFAULT_SHARED_MAX_EVENTS = 10_000;
export const DEFAULT_WEBHOOK_SECRET = 'whsec_casapay_mock_cli';

export class Sandbox {
  /** Seeds each new account (the server sets it to apply scenarios). */
  seedAccount: (account: AccountState) => void = () => undefined;
  private readonly goneListeners: Array<(key: string) => void> = [];
  readonly store: Store;
  readonly ids: IdMinter;
  readonly idempotency: IdempotencyCache;
  readonly dispatcher: WebhookDispatcher;
  /** Where webhooks may go, and how they are sent (fetch, or the checked sender when blocking). */
  readonly webhookGuard: WebhookUrlGuard;
  private readonly eventsById = new Map<string, ApiEvent>();
  /** Kind → runner of scheduled tasks: the handlers' kinds, plus what the server defines (scenario steps). */
  readonly tasks: TaskRunners<Effects> = handlerTaskRunners();

  constructor(readonly options: SandboxOptions) {
    // An evicted account leaves nothing behind, as on reset: idempotency keys, deliveries, journal entries.
    this.store = new Store((account) => this.seedAccount(account), options.maxAccounts, (key) => {
      this.idempotency.clear(key);
      this.forget(key);
    });
    const minted = createIdMinter(options.seed);
    this.ids = options.variants?.ids ? options.variants.ids(minted) : minted;
    const variantMutate = options.variants?.mutate;
    this.idempotency = new IdempotencyCache(() => options.clock.nowMs(), options.maxIdempotencyKeys);
    const { mutateWebhook } = options;
    this.webhookGuard = createWebhookUrlGuard({ blocking: options.blockPrivateWebhooks ?? false, resolve: options.webhookResolve });
    this.dispatcher = new WebhookDispatcher({
      now: () => options.clock.now(),
      monotonicMs,
      mintId: (prefix) => this.ids.id(prefix),
      // Receivers check `t` against their real clock, whatever the mock's virtual clock says.
      signingTime: options.signingTime ?? realNowSeconds,
      retryDelaysMs: options.retryDelaysMs,
      maxInFlight: options.webhookConcurrency,
      maxOpen: options.webhookMaxOpen,
      onChange: (delivery) => {
        const event = this.eventsById.get(delivery.event);
        if (event) event.pending_webhooks = this.dispatcher.pendingCount(delivery.event);
      },
      // The edges of the signed request, in order: benign variants, the Standard Webhooks headers over
      // the final body (an endpoint's scheme or --webhook-signing), then deliberate defects.
      mutate: (target, body, headers, signedAt) => {
        const out = variantMutate?.(target, body, headers, signedAt) ?? { body, headers };
        const { scheme, eventId } = target as SchemeTarget;
        if (scheme === 'standard' || scheme === 'both') {
          Object.assign(out.headers, standardSignatureHeaders(eventId, out.body, target.secret, signedAt));
          if (scheme === 'standard') delete out.headers[SIGNATURE_HEADER];
        }
        return mutateWebhook ? mutateWebhook(out, signedAt) : out;
      },
      send: options.variants?.send ? options.variants.send(this.webhookGuard.send) : this.webhookGuard.send,
    });
  }

  get clock(): Clock {
    return this.options.clock;
  }

  account(key: string): AccountState {
    return this.store.account(key);
  }

  /** Now on a test clock of the account, or the mock's clock. */
  now(account: AccountState, testClock?: string | null): number {
    if (testClock) {
      const clock = account.testClocks.get(testClock);
      if (clock) return clock.frozen_time;
    }
    return this.options.clock.now();
  }

  /**
   * `at` dates the effects of a task run late (a clock shift jumped past its due time): the account's
   * clock reads `at` while it runs, as a test clock reads the task's time during an advance.
   */
  effects(account: AccountState, request: RequestInfo | null, at?: number): RecordingEffects {
    const pending: Array<[ApiEvent, DeliveryTarget[]]> = [];
    const later: Array<() => void> = [];
    // One `request` object for every event of the operation (events are immutable, so they can share it).
    let eventRequest: ApiEvent['request'] | undefined;
    const requestOf = () => (eventRequest ??= { id: request?.id ?? null, idempotency_key: request?.idempotencyKey ?? null });
    // Consecutive events about the same object without previous_attributes (a case's `created` then
    // `active`) share their `data`, for the same reason.
    let last: { subject: EventSubject; data: ApiEvent['data'] } | undefined;
    const dataOf = (subject: EventSubject, previous: Record<string, unknown> | undefined): ApiEvent['data'] => {
      const object = subject as unknown as ApiEvent['data']['object'];
      if (previous) return { object, previous_attributes: previous };
      if (last?.subject !== subject) last = { subject, data: { object } };
      return last.data;
    };
    const now = at === undefined ? (testClock?: string | null) => this.now(account, testClock) : (testClock?: string | null) => (testClock ? this.now(account, testClock) : at);
    const fx: RecordingEffects = {
      account,
      ids: this.ids,
      now,
      emit: (type, subject, previous, when) => {
        const recorded = this.record(account, requestOf(), type, dataOf(subject, previous), when ?? now((subject as { test_clock?: string | null }).test_clock));
        pending.push(recorded);
        return recorded[0];
      },
      schedule: (at, clock, kind, params, description) => {
        if (!this.tasks.has(kind)) throw new Error(`schedule: no runner for task kind '${kind}'`);
        account.schedule.add({ at, clock, kind, params, description });
      },
      redeliver: (event, endpointId) => this.redeliver(account, event, endpointId),
      afterResponse: (effect) => later.push(effect),
      checkWebhookUrl: this.webhookGuard.check,
      flush: () => {
        // An event already out of the window (an operation that emitted more than --max-events) is not delivered.
        for (const [event, targets] of pending.splice(0)) if (targets.length && account.events.has(event.id)) this.dispatcher.deliver(event, targets, undefined, account.key);
        for (const effect of later.splice(0)) effect();
      },
    };
    return fx;
  }

  private runTask(account: AccountState, task: ScheduledTask): void {
    // A task of the account's clock runs at its due time, however far past it the clock has moved.
    const fx = this.effects(account, null, task.clock === null ? task.at : undefined);
    this.tasks.run(fx, task);
    fx.flush();
  }

  private record(account: AccountState, request: ApiEvent['request'], type: EventType, data: ApiEvent['data'], at: number): [ApiEvent, DeliveryTarget[]] {
    const targets: SchemeTarget[] = [];
    const eventId = this.ids.id('evt');
    const fallback = this.options.webhookSigning ?? 'casapay';
    // values() copies the collection: skip it for the usual account without endpoints.
    if (account.webhookEndpoints.size) for (const endpoint of account.webhookEndpoints.values()) {
      if (endpoint.status !== 'enabled') continue;
      if (!subscribes(endpoint.enabled_events, type)) continue;
      targets.push({ endpointId: endpoint.id, url: endpoint.url, secret: account.webhookSecrets.get(endpoint.id) ?? '', scheme: endpoint.signature_scheme ?? fallback, eventId });
    }
    if (this.options.webhookUrl) targets.push({ endpointId: null, url: this.options.webhookUrl, secret: this.options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET, scheme: fallback, eventId });
    const event: ApiEvent = {
      id: eventId,
      object: 'event',
      type,
      api_version: API_VERSION,
      created: at,
      livemode: account.livemode,
      // Stored objects are never changed in place (updates store a new object), so the event can keep
      // the object as it was at this moment without copying it.
      data,
      request,
      pending_webhooks: targets.length,
    };
    account.events.add(event);
    // Only events with deliveries need finding again (pending_webhooks bookkeeping).
    if (targets.length) this.eventsById.set(event.id, event);
    if (this.options.maxEvents !== undefined) this.keepEventWindow(account, this.options.maxEvents);
    return [event, targets];
  }

  /**
   * Events are a window, not a store (Stripe keeps 30 days): beyond `max` the oldest recorded event
   * goes, with its delivery log and its unfinished deliveries (aborted; see DECISIONS.md). Its id then
   * 404s, and as a list cursor it is a 400 naming the cursor.
   */
  private keepEventWindow(account: AccountState, max: number): void {
    while (account.events.size > max) {
      const oldest = account.events.firstAdded()!;
      account.events.delete(oldest.id);
      this.eventsById.delete(oldest.id);
      this.dispatcher.forgetEvent(oldest.id, account.key);
    }
  }

  /** A new delivery of a stored event to one endpoint, signed with the endpoint's current secret. */
  private redeliver(account: AccountState, event: ApiEvent, endpointId: string) {
    const endpoint = account.webhookEndpoints.get(endpointId)!;
    // pending_webhooks is kept up to date through eventsById, including for an event that had no
    // delivery until now.
    this.eventsById.set(event.id, event);
    const before = this.dispatcher.deliveries(event.id).length;
    const target: SchemeTarget = { endpointId: endpoint.id, url: endpoint.url, secret: account.webhookSecrets.get(endpoint.id) ?? '', scheme: endpoint.signature_scheme ?? this.options.webhookSigning ?? 'casapay', eventId: event.id };
    this.dispatcher.deliver(event, [target], undefined, account.key);
    event.pending_webhooks = this.dispatcher.pendingCount(event.id);
    return this.dispatcher.deliveries(event.id)[before]!;
  }

  /**
   * Runs the tasks due on the account's clock (tasks of test clocks wait for their advance). Called on
   * every request: when nothing is due it costs one peek at the head of one queue.
   */
  catchUp(account: AccountState): void {
    const head = account.schedule.peek(null);
    if (head === undefined || head.at > this.options.clock.now()) return;
    this.runDue(account, null, this.options.clock.now());
  }

  /** Runs every task for `clock` due at or before `until`, in time order (tasks they schedule included). */
  runDue(account: AccountState, clock: string | null, until: number): void {
    for (let task = account.schedule.nextDue(clock, until); task; task = account.schedule.nextDue(clock, until)) {
      if (clock) {
        const testClock = account.testClocks.get(clock);
        if (testClock && task.at > testClock.frozen_time) account.testClocks.replace({ ...testClock, frozen_time: task.at });
      }
      this.runTask(account, task);
    }
  }

  advanceTestClock(account: AccountState, clockId: string, to: number): void {
    const clock = account.testClocks.get(clockId);
    if (!clock) return;
    account.testClocks.replace({ ...clock, status: 'advancing' });
    this.runDue(account, clockId, to);
    account.testClocks.replace({ ...account.testClocks.get(clockId)!, frozen_time: to, status: 'ready' });
  }

  /** Runs what real (or shifted) time has made due, for every account. */
  tick(): void {
    for (const account of this.store.all()) this.catchUp(account);
  }

  deliveries(eventId: string) {
    return this.dispatcher.deliveries(eventId);
  }

  reset(key?: string): void {
    const keys = key === undefined ? this.store.all().map((account) => account.key) : this.store.peek(key) ? [key] : [];
    this.store.reset(key);
    this.idempotency.clear(key);
    for (const gone of keys) this.forget(gone);
  }

  /** Releases what an account left outside its AccountState: deliveries, their events' index, journal entries. */
  private forget(key: string): void {
    for (const eventId of this.dispatcher.forgetOwner(key)) this.eventsById.delete(eventId);
    for (const listener of this.goneListeners) listener(key);
  }

  /** Calls `listener` with the key of every account evicted or reset, after its deliveries are gone (journal entries, Debitura's tokens). */
  onAccountGone(listener: (key: string) => void): void {
    this.goneListeners.push(listener);
  }

  /** What the sandbox holds outside the accounts (tests: nothing is left of an evicted account). */
  get retained(): { eventsWithDeliveries: number; dispatcher: WebhookDispatcher['size'] } {
    return { eventsWithDeliveries: this.eventsById.size, dispatcher: this.dispatcher.size };
  }

  /** Stops delivering; attempts in flight get `graceMs` to finish (see WebhookDispatcher.close). */
  async close(graceMs = 0): Promise<void> {
    await this.dispatcher.close(graceMs);
  }
}

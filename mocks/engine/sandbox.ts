// The mock's runtime state and its effects, for every API alike: accounts, the clock, id minting,
// idempotency, the schedule of things due on virtual time, and webhook deliveries. What an API records
// (CasaPay's events, Debitura's cases) lives in its module; the sandbox only delivers what it is given.
import type { Clock } from './clock.js';
import { monotonicMs, realNowSeconds } from '../../kit/real-time.js';
import type { Contract } from '../../kit/contract.js';
import type { Effects } from './handler.js';
import { IdempotencyCache } from './state/idempotency.js';
import { createIdMinter, type IdMinter } from './state/ids.js';
import { AccountStore, type Account, type ScheduledTask } from './state/accounts.js';
import { TaskRunners } from './scheduler/scheduler.js';
import {
  WebhookDispatcher,
  type DeliveryTarget,
  type DispatchableEvent,
  type DispatcherOptions,
  type WebhookDelivery,
} from './webhooks/dispatcher.js';
import { createWebhookUrlGuard, type Resolve, type WebhookUrlGuard } from './webhooks/url-guard.js';

/** The edges of the sandbox, chosen once at start (benign variants, deliberate defects): none by default. */
export interface SandboxEdges {
  /** Wraps id minting (a variant's other id shapes). */
  ids?(minted: IdMinter): IdMinter;
  /** Wraps how an attempt is sent (a variant's duplicates or delays). */
  send?(send: NonNullable<DispatcherOptions['send']>): NonNullable<DispatcherOptions['send']>;
  /** The `t` signatures carry; default real time (receivers check it against their own clock). */
  signingTime?(): number;
}

export interface SandboxOptions {
  contract: Contract;
  clock: Clock;
  seed?: string;
  edges?: SandboxEdges;
  /** The User-Agent of webhook deliveries. */
  userAgent: string;
  retryDelaysMs?: readonly number[];
  /** Webhook attempts open at once per receiver origin (the CLI's --webhook-concurrency). */
  webhookConcurrency?: number;
  /** Webhook attempts open at once in total (the CLI's --webhook-max-open). */
  webhookMaxOpen?: number;
  /** At most this many accounts; opening one more evicts the least recently used (default unbounded). */
  maxAccounts?: number;
  /** Stored objects per account, every API together; creates beyond it answer 400 (default unbounded). */
  maxObjects?: number;
  /** Events kept per account (each API's log), the oldest dropped first with its deliveries (default unbounded). */
  maxEvents?: number;
  /** Idempotency keys kept per account, the oldest completed forgotten first (default unbounded). */
  maxIdempotencyKeys?: number;
  /** Refuse webhook targets that are not public addresses, at registration and when dialling (engine/webhooks/url-guard.ts). */
  blockPrivateWebhooks?: boolean;
  /** How webhook hosts are resolved when blocking (default the system resolver; tests pass their own). */
  webhookResolve?: Resolve;
}

/** Effects plus the deliveries they queued, started by `flush()` once the operation has completed. */
export interface RecordingEffects extends Effects {
  flush(): void;
}

/**
 * Named clocks (an API's test clocks): what time one reads, and that a task of it is about to run at
 * `at` (the clock moves there first). The API that has them provides them; the engine only schedules.
 */
export interface NamedClocks {
  now(account: Account, clock: string): number | undefined;
  reached(account: Account, clock: string, at: number): void;
}

/** Events kept per account when shared and no --max-events is given: ≈10 MB of events at ≈1 KB each. */
export const DEFAULT_SHARED_MAX_EVENTS = 10_000;

export class Sandbox {
  /** Gives each new account the APIs' state (the server sets it from its modules). */
  initAccount: (account: Account) => void = () => undefined;
  /** Seeds each new account (the server sets it to apply scenarios). */
  seedAccount: (account: Account) => void = () => undefined;
  /** Counts what an account stores, every API together (for --max-objects); the server sets it. */
  storedObjects: (account: Account) => number = () => 0;
  /** The API's named clocks, if one has them. */
  namedClocks: NamedClocks | undefined;
  private readonly goneListeners: Array<(key: string) => void> = [];
  private readonly deliveryListeners: Array<(delivery: WebhookDelivery) => void> = [];
  private readonly retainers: Array<() => Record<string, number>> = [];
  readonly store: AccountStore;
  readonly ids: IdMinter;
  readonly idempotency: IdempotencyCache;
  readonly dispatcher: WebhookDispatcher;
  /** Where webhooks may go, and how they are sent (fetch, or the checked sender when blocking). */
  readonly webhookGuard: WebhookUrlGuard;
  /** Kind → runner of scheduled tasks: each API defines its kinds. */
  readonly tasks = new TaskRunners<Effects>();

  constructor(readonly options: SandboxOptions) {
    // An evicted account leaves nothing behind, as on reset: idempotency keys, deliveries, journal entries.
    this.store = new AccountStore(
      (account) => this.initAccount(account),
      (account) => this.seedAccount(account),
      options.maxAccounts,
      (key) => {
        this.idempotency.clear(key);
        this.forget(key);
      },
    );
    const edges = options.edges ?? {};
    const minted = createIdMinter(options.seed);
    this.ids = edges.ids ? edges.ids(minted) : minted;
    this.idempotency = new IdempotencyCache(() => options.clock.nowMs(), options.maxIdempotencyKeys);
    this.webhookGuard = createWebhookUrlGuard({
      blocking: options.blockPrivateWebhooks ?? false,
      resolve: options.webhookResolve,
    });
    this.dispatcher = new WebhookDispatcher({
      now: () => options.clock.now(),
      monotonicMs,
      mintId: (prefix) => this.ids.id(prefix),
      // Receivers check `t` against their real clock, whatever the mock's virtual clock says.
      signingTime: edges.signingTime ?? realNowSeconds,
      userAgent: options.userAgent,
      retryDelaysMs: options.retryDelaysMs,
      maxInFlight: options.webhookConcurrency,
      maxOpen: options.webhookMaxOpen,
      onChange: (delivery) => this.deliveryChanged(delivery),
      send: edges.send ? edges.send(this.webhookGuard.send) : this.webhookGuard.send,
    });
  }

  private deliveryChanged(delivery: WebhookDelivery): void {
    for (const listener of this.deliveryListeners) listener(delivery);
  }

  /** Calls `listener` with a copy of each delivery after an attempt is recorded (an API's pending_webhooks bookkeeping). */
  onDeliveryChange(listener: (delivery: WebhookDelivery) => void): void {
    this.deliveryListeners.push(listener);
  }

  get clock(): Clock {
    return this.options.clock;
  }

  account(key: string): Account {
    return this.store.account(key);
  }

  /** Now on a named clock of the account, or the mock's clock. */
  now(account: Account, clock?: string | null): number {
    if (clock) {
      const at = this.namedClocks?.now(account, clock);
      if (at !== undefined) return at;
    }
    return this.options.clock.now();
  }

  /**
   * `at` dates the effects of a task run late (a clock shift jumped past its due time): the account's
   * clock reads `at` while it runs, as a named clock reads the task's time during an advance.
   */
  effects(account: Account, at?: number): RecordingEffects {
    const pending: Array<[DispatchableEvent, DeliveryTarget[], (() => boolean) | undefined]> = [];
    const later: Array<() => void> = [];
    const now =
      at === undefined
        ? (clock?: string | null) => this.now(account, clock)
        : (clock?: string | null) => (clock ? this.now(account, clock) : at);
    return {
      account,
      ids: this.ids,
      now,
      schedule: (due, clock, kind, params, description) => {
        if (!this.tasks.has(kind)) throw new Error(`schedule: no runner for task kind '${kind}'`);
        account.schedule.add({ at: due, clock, kind, params, description });
      },
      afterResponse: (effect) => later.push(effect),
      deliverLater: (event, targets, keep) => pending.push([event, targets, keep]),
      checkWebhookUrl: this.webhookGuard.check,
      flush: () => {
        // An event already dropped meanwhile (an operation that emitted more than --max-events) is not delivered.
        for (const [event, targets, keep] of pending.splice(0))
          if (targets.length && (keep === undefined || keep()))
            this.dispatcher.deliver(event, targets, undefined, account.key);
        for (const effect of later.splice(0)) effect();
      },
    };
  }

  private runTask(account: Account, task: ScheduledTask): void {
    // A task of the account's clock runs at its due time, however far past it the clock has moved.
    const fx = this.effects(account, task.clock === null ? task.at : undefined);
    this.tasks.run(fx, task);
    fx.flush();
  }

  /**
   * Runs the tasks due on the account's clock (tasks of named clocks wait for their advance). Called on
   * every request: when nothing is due it costs one peek at the head of one queue.
   */
  catchUp(account: Account): void {
    const head = account.schedule.peek(null);
    if (head === undefined || head.at > this.options.clock.now()) return;
    this.runDue(account, null, this.options.clock.now());
  }

  /** Runs every task for `clock` due at or before `until`, in time order (tasks they schedule included). */
  runDue(account: Account, clock: string | null, until: number): void {
    for (let task = account.schedule.nextDue(clock, until); task; task = account.schedule.nextDue(clock, until)) {
      if (clock) this.namedClocks?.reached(account, clock, task.at);
      this.runTask(account, task);
    }
  }

  /** Runs what real (or shifted) time has made due, for every account. */
  tick(): void {
    for (const account of this.store.all()) this.catchUp(account);
  }

  deliveries(eventId: string): WebhookDelivery[] {
    return this.dispatcher.deliveries(eventId);
  }

  reset(key?: string): void {
    const keys = key === undefined ? this.store.all().map((account) => account.key) : this.store.peek(key) ? [key] : [];
    this.store.reset(key);
    this.idempotency.clear(key);
    for (const gone of keys) this.forget(gone);
  }

  /** Releases what an account left outside its state: deliveries, then whatever the listeners keep (journal entries, tokens, event indexes). */
  private forget(key: string): void {
    const events = this.dispatcher.forgetOwner(key);
    for (const listener of this.eventsGoneListeners) listener(events);
    for (const listener of this.goneListeners) listener(key);
  }

  private readonly eventsGoneListeners: Array<(eventIds: Iterable<string>) => void> = [];

  /** Calls `listener` with the key of every account evicted or reset, after its deliveries are gone (journal entries, Debitura's tokens). */
  onAccountGone(listener: (key: string) => void): void {
    this.goneListeners.push(listener);
  }

  /** Calls `listener` with the ids of the events whose deliveries an evicted or reset account had. */
  onEventsGone(listener: (eventIds: Iterable<string>) => void): void {
    this.eventsGoneListeners.push(listener);
  }

  /** Adds what a module keeps outside the accounts to `retained` (tests: nothing is left of an evicted account). */
  reportRetained(report: () => Record<string, number>): void {
    this.retainers.push(report);
  }

  /** What the sandbox and the modules hold outside the accounts. */
  get retained(): { dispatcher: WebhookDispatcher['size'] } & Record<string, unknown> {
    return Object.assign({ dispatcher: this.dispatcher.size }, ...this.retainers.map((report) => report()));
  }

  /** Stops delivering; attempts in flight get `graceMs` to finish (see WebhookDispatcher.close). */
  async close(graceMs = 0): Promise<void> {
    await this.dispatcher.close(graceMs);
  }
}

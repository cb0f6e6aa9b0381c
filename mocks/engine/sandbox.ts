// The mock's runtime state and its effects, for every API alike: accounts, the clock, id minting,
// idempotency, the schedule of things due on virtual time, and webhook deliveries. What an API records
// (CasaPay's events, Debitura's cases) lives in its module; the sandbox only delivers what it is given.
import type { Clock } from './clock.js';
import { monotonicMs, realNowSeconds } from '../../kit/real-time.js';
import type { Contract } from '../../kit/contract.js';
import type { Effects } from './handler.js';
import { IdempotencyCache, type StoredIdempotency } from './state/idempotency.js';
import { createIdMinter, type IdMinter } from './state/ids.js';
import { AccountStore, type Account, type ScheduledTask } from './state/accounts.js';
import { TaskRunners } from './scheduler/scheduler.js';
import {
  WebhookDispatcher,
  type DeliveryTarget,
  type DeliveryRecord,
  type DispatchableEvent,
  type DispatcherOptions,
  type WebhookDelivery,
} from './webhooks/dispatcher.js';
import { createWebhookUrlGuard, type Resolve, type WebhookUrlGuard } from './webhooks/url-guard.js';
import { createMemoryStore, type LoadedState, type Store } from '../store/store.js';
import { Persistence } from './state/persistence.js';
import { SharedAccounts } from './state/shared-accounts.js';
import { mapPart, metaPart, type StatePart } from './state/parts.js';

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
  /** Where state is kept (mocks/store/): default in memory, nothing kept. */
  store?: Store;
}

/** Effects plus the deliveries they queued, started by `flush()` once the operation has completed. */
export interface RecordingEffects extends Effects {
  /** Records the queued deliveries without sending them (before a durable store commits). */
  stage(): void;
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

/** Makes the target of a kept delivery again: the endpoint (or subscription) `ref` of the account, signed as before. */
export type DeliveryResumer = (
  account: Account,
  record: DeliveryRecord,
  ref: string | null,
) => DeliveryTarget | undefined;

/** How many ticks (seconds) apart a shared store's instances look for deliveries left by one that has gone. */
const ORPHAN_CHECK_TICKS = 5;

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
  private readonly goneListeners: Array<(key: string, elsewhere: boolean) => void> = [];
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
  /** Write-through to the store (mocks/store/): inert in memory. */
  readonly persistence: Persistence;
  /** Several instances on one store (PostgreSQL): accounts locked and brought up to date per use. */
  readonly shared: SharedAccounts | undefined;
  /** Keys of the accounts opened while a request's credentials are checked (shared: they are locked next). */
  private opening: string[] | undefined;

  constructor(readonly options: SandboxOptions) {
    this.persistence = new Persistence(options.store ?? createMemoryStore());
    // An evicted account leaves nothing behind, as on reset: idempotency keys, deliveries, journal entries.
    this.store = new AccountStore(
      (account) => this.initAccount(account),
      // Shared: whether the account is new is known only under its lock, where it is seeded.
      (account) => (this.shared ? this.shared.openedUnlocked(account) : this.seedAccount(account)),
      options.maxAccounts,
      (key) => {
        this.idempotency.clear(key);
        this.forget(key);
        this.persistence.dropAccount(key);
      },
      this.persistence.durable,
    );
    const edges = options.edges ?? {};
    const minted = createIdMinter(options.seed);
    this.ids = edges.ids ? edges.ids(minted) : minted;
    this.idempotency = new IdempotencyCache(() => options.clock.nowMs(), options.maxIdempotencyKeys);
    const sharedStore = this.persistence.store.shared;
    this.shared = sharedStore
      ? new SharedAccounts({
          store: sharedStore,
          accounts: this.store,
          persistence: this.persistence,
          seed: (account) => this.seedAccount(account),
          dropLocal: (key) => this.dropLocal(key),
          applied: () => this.mirrorKeptDeliveries(),
        })
      : undefined;
    this.persistence.shared = this.shared;
    if (this.persistence.durable) {
      // A key's record changes as its request starts and completes: the account writes it again.
      this.idempotency.onChange = (scope, key) => this.store.peek(scope)?.changes?.mark('engine.idempotency', key);
      this.persistence.define(this.engineParts());
    }
    this.webhookGuard = createWebhookUrlGuard({
      blocking: options.blockPrivateWebhooks ?? false,
      resolve: options.webhookResolve,
    });
    this.dispatcher = new WebhookDispatcher({
      instance: sharedStore?.instance,
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
      // A durable store keeps each delivery (its log, and the pending ones to resume after a restart).
      onRecord: this.persistence.durable
        ? (record) => {
            if (record.owner !== undefined)
              this.store.peek(record.owner)?.changes?.mark('engine.deliveries', record.delivery.id);
          }
        : undefined,
    });
  }

  /** How the engine's own state of an account is kept: its schedule, scenarios and idempotency keys. */
  private engineParts(): StatePart[] {
    return [
      {
        name: 'engine.schedule',
        read: (account, key) => account.schedule.bySeqNumber(Number(key)),
        entries: (account) => account.schedule.list().map((task) => [String(task.seq), task]),
        restore: (account, _key, task) => account.schedule.restore(task as ScheduledTask),
        forget: (account, key) => account.schedule.forget(Number(key)),
      },
      mapPart('engine.scenarios', (account) => account.scenarios),
      {
        name: 'engine.idempotency',
        read: (account, key) => this.idempotency.stored(account.key, key),
        entries: () => [],
        restore: (account, key, entry) => this.idempotency.restore(account.key, key, entry as StoredIdempotency),
        forget: (account, key) => this.idempotency.release(account.key, key),
      },
      {
        name: 'engine.deliveries',
        read: (_account, key) => this.dispatcher.record(key),
        entries: () => [],
        // Resumed once every account is back (the API that makes the target again reads its endpoints).
        restore: (account, _key, record) => void this.keptDeliveries.push([account, record as DeliveryRecord]),
      },
      metaPart(
        'engine.account',
        (account) => ({ nextTaskSeq: account.schedule.nextSeq }),
        (account, row: { nextTaskSeq: number }) => account.schedule.restoreSeq(row.nextTaskSeq),
      ),
    ];
  }

  /** Deliveries read back from the store, resumed once every account is loaded. */
  private keptDeliveries: Array<[Account, DeliveryRecord]> = [];
  /** API name → how it makes a kept delivery's target again (its endpoint, secret and signature). */
  private readonly resumers = new Map<string, DeliveryResumer>();

  /** How an API makes the target of a kept delivery again after a restart (undefined: it cannot any more). */
  onResumeDelivery(api: string, resume: DeliveryResumer): void {
    this.resumers.set(api, resume);
  }

  /** Declares how an API's state of an account is kept (its module's parts); none when in memory. */
  defineParts(parts: readonly StatePart[]): void {
    if (this.persistence.durable) this.persistence.define(parts);
  }

  /**
   * Writes what the account changed before its answer goes out (mocks/engine/state/persistence.ts):
   * undefined in memory, or when nothing is waiting.
   */
  persist(account: Account): Promise<void> | undefined {
    return this.persistence.persist(account);
  }

  /** Opens every account the store kept, with its rows (at start, before the first request). */
  async load({ accounts, globalsVersion }: LoadedState): Promise<number> {
    for (const stored of accounts) {
      const account = this.store.restore(stored.key);
      this.persistence.restore(account, stored.rows);
      this.shared?.loaded(account, stored.version);
    }
    if (this.shared) this.shared.globalsVersion = globalsVersion ?? 0;
    // Pending deliveries go on where they stopped (same delivery, same event): at least once, in order.
    // On a shared store, those another instance still connected is making stay its own.
    const kept = this.keptDeliveries.splice(0);
    const gone = await this.goneInstances(kept.map(([, record]) => record));
    for (const [account, record] of kept) {
      const other = record.instance;
      if (this.shared && other !== undefined && record.delivery.status === 'pending' && !gone.has(other))
        this.dispatcher.mirror(record);
      else this.resumeDelivery(account, record);
    }
    return accounts.length;
  }

  /** The instances named by these pending deliveries that are no longer connected to the shared store. */
  private async goneInstances(records: readonly DeliveryRecord[]): Promise<Set<string>> {
    const gone = new Set<string>();
    if (!this.shared) return gone;
    const asked = new Set<string>();
    for (const { instance, delivery } of records) {
      if (instance === undefined || delivery.status !== 'pending' || asked.has(instance)) continue;
      asked.add(instance);
      if (!(await this.shared.alive(instance))) gone.add(instance);
    }
    return gone;
  }

  private resumeDelivery(account: Account, record: DeliveryRecord): void {
    const { resumeAs } = record.target;
    const resume = resumeAs ? this.resumers.get(resumeAs.api) : undefined;
    this.dispatcher.restore(record, resumeAs && resume?.(account, record, resumeAs.ref));
  }

  /**
   * Takes over the pending deliveries of instances that have gone (several instances on one store):
   * each under its account's lock, so one instance takes each, and makes the rest of its attempts.
   */
  async adoptOrphans(): Promise<void> {
    const shared = this.shared;
    if (!shared) return;
    const pending = this.dispatcher.mirroredPending();
    const gone = await this.goneInstances(pending);
    const owners = new Set<string>();
    for (const record of pending)
      if (record.instance !== undefined && gone.has(record.instance) && record.owner !== undefined)
        owners.add(record.owner);
    for (const owner of owners)
      shared.inBackground(owner, (account) => {
        // Brought up to date under the lock: an instance that took one over meanwhile is not gone.
        for (const record of this.dispatcher.mirroredPending())
          if (record.owner === owner && record.instance !== undefined && gone.has(record.instance))
            this.resumeDelivery(account, record);
      });
  }

  /** Deliveries another instance recorded: their logs, never sent from here (their instance sends them). */
  private mirrorKeptDeliveries(): void {
    for (const [, record] of this.keptDeliveries.splice(0)) this.dispatcher.mirror(record);
  }

  /**
   * Runs `authenticate` (which opens the accounts a request's credentials name) and answers the keys it
   * opened, sorted, and what it threw: on a shared store those accounts are locked next.
   */
  opened(authenticate: () => void): { keys: string[]; failure: unknown } {
    const keys: string[] = [];
    this.opening = keys;
    let failure: unknown;
    try {
      authenticate();
    } catch (error) {
      failure = error;
    } finally {
      this.opening = undefined;
    }
    return { keys: [...new Set(keys)].sort(), failure };
  }

  /**
   * Runs `work` on the account, opening it as a request would (seeded when new); on a shared store
   * under its lock, and what it changed is committed before the promise settles.
   */
  async using<T>(key: string, work: (account: Account) => T): Promise<T> {
    if (!this.shared) return work(this.account(key));
    return this.shared.exclusive(key, work);
  }

  /** Runs `work` on the account if there is one (looking never creates it); on a shared store brought up to date first. */
  async visit<T>(key: string, work: (account: Account | undefined) => T): Promise<T> {
    if (!this.shared) return work(this.store.peek(key));
    return this.shared.visit(key, work);
  }

  /** Forgets an account another instance reset: only here, nothing is deleted from the store. */
  private dropLocal(key: string): void {
    this.store.reset(key);
    this.idempotency.clear(key);
    this.forget(key, true);
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
    this.opening?.push(key);
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
    const pending: Array<[DispatchableEvent, DeliveryTarget[], (() => boolean) | undefined, unknown]> = [];
    const later: Array<() => void> = [];
    const held: Array<() => void> = [];
    const now =
      at === undefined
        ? (clock?: string | null) => this.now(account, clock)
        : (clock?: string | null) => (clock ? this.now(account, clock) : at);
    const dispatch = (hold: Array<() => void> | undefined) => {
      // An event already dropped meanwhile (an operation that emitted more than --max-events) is not delivered.
      for (const [event, targets, keep, orderKey] of pending.splice(0))
        if (targets.length && (keep === undefined || keep()))
          this.dispatcher.deliver(event, targets, orderKey ?? event.data?.object?.id, account.key, hold);
    };
    return {
      account,
      ids: this.ids,
      now,
      schedule: (due, clock, kind, params, description) => {
        if (!this.tasks.has(kind)) throw new Error(`schedule: no runner for task kind '${kind}'`);
        account.schedule.add({ at: due, clock, kind, params, description });
      },
      afterResponse: (effect) => later.push(effect),
      deliverLater: (event, targets, keep, orderKey) => pending.push([event, targets, keep, orderKey]),
      checkWebhookUrl: this.webhookGuard.check,
      stage: () => {
        // A durable store: the deliveries are recorded now, so they commit with the change that caused them.
        if (this.persistence.durable) dispatch(held);
      },
      flush: () => {
        dispatch(undefined);
        for (const start of held.splice(0)) start();
        for (const effect of later.splice(0)) effect();
      },
    };
  }

  private runTask(account: Account, task: ScheduledTask): void {
    // A task of the account's clock runs at its due time, however far past it the clock has moved.
    const fx = this.effects(account, task.clock === null ? task.at : undefined);
    this.tasks.run(fx, task);
    fx.stage();
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

  private ticks = 0;

  /** Runs what real (or shifted) time has made due, for every account. */
  tick(): void {
    const shared = this.shared;
    if (shared) {
      // The clock another instance moved first; then each account that has something due, under its
      // lock: a task another instance ran is gone once the account is brought up to date.
      void shared
        .syncGlobals()
        .catch(() => undefined)
        .then(() => {
          const now = this.options.clock.now();
          for (const account of this.store.all()) {
            const head = account.schedule.peek(null);
            if ((head !== undefined && head.at <= now) || account.changes?.empty === false)
              shared.inBackground(account.key, (current) => this.catchUp(current));
          }
        });
      // Every few ticks: deliveries an instance that has gone left pending.
      if (++this.ticks % ORPHAN_CHECK_TICKS === 0) void this.adoptOrphans().catch(() => undefined);
      return;
    }
    for (const account of this.store.all()) {
      this.catchUp(account);
      void this.persist(account)?.catch(() => undefined);
    }
  }

  deliveries(eventId: string): WebhookDelivery[] {
    return this.dispatcher.deliveries(eventId);
  }

  reset(key?: string): void {
    const keys = key === undefined ? this.store.all().map((account) => account.key) : this.store.peek(key) ? [key] : [];
    this.store.reset(key);
    this.idempotency.clear(key);
    for (const gone of keys) this.forget(gone);
    if (key === undefined) this.persistence.dropAll();
    // Shared: another instance may hold the account this one never opened.
    else if (this.shared) this.persistence.dropAccount(key);
    else for (const gone of keys) this.persistence.dropAccount(gone);
  }

  /** Releases what an account left outside its state: deliveries, then whatever the listeners keep (journal entries, tokens, event indexes). */
  private forget(key: string, elsewhere = false): void {
    const events = this.dispatcher.forgetOwner(key);
    for (const listener of this.eventsGoneListeners) listener(events);
    for (const listener of this.goneListeners) listener(key, elsewhere);
  }

  private readonly eventsGoneListeners: Array<(eventIds: Iterable<string>) => void> = [];

  /**
   * Calls `listener` with the key of every account evicted or reset, after its deliveries are gone
   * (journal entries, Debitura's tokens); `elsewhere` when another instance on a shared store reset it
   * and only this instance's copy goes (what is in the store is that instance's to delete).
   */
  onAccountGone(listener: (key: string, elsewhere: boolean) => void): void {
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
    await this.persistence.flush().catch(() => undefined);
    if (this.shared) {
      // What deliveries recorded while closing.
      for (const account of this.store.all()) await this.shared.persist(account)?.catch(() => undefined);
    }
    this.persistence.stop();
    await this.persistence.store.close();
  }
}

// One grading run's connection to the receiver under test: signs and sends deliveries (recording each
// exchange for the report), remembers which events the receiver should have applied and which it must
// not have, and reads its effects through the effects URL or the mock's journal.
import type { Exchange } from '../support/recorder.js';
import { monotonicMs, realNowSeconds } from '../support/runtime.js';
import type { EventBody, EventFactory } from './payloads.js';
import type { SigningScheme } from './schemes.js';

export interface ReceiverTarget {
  url: string;
  secret: string;
  /** A 2xx slower than this fails the latency check. */
  maxLatencyMs: number;
  /** Per-request timeout (the sender's: CasaPay gives up after 10 s). */
  timeoutMs: number;
  /** `GET` → `{"applied": ["<event id>", …]}`, one entry per application. */
  effectsUrl?: string;
  /** A mock whose `/__admin/journal` shows the receiver's calls back to it. */
  observeMock?: string;
  /** How long to wait for the receiver's work after the last delivery. */
  effectsWaitMs: number;
  /** Deliveries sent at once by the concurrency check. */
  concurrency: number;
}

export interface Delivery {
  body: string;
  headers: Record<string, string>;
}

export interface Sent {
  status: number | null;
  latencyMs: number;
  error?: string;
  exchange: Exchange;
}

const is2xx = (status: number | null) => status !== null && status >= 200 && status < 300;
export { is2xx };

/** A check's verdict other than a pass, thrown from inside the check. */
export class CheckFailed extends Error {
  constructor(
    message: string,
    readonly exchange?: Exchange,
  ) {
    super(message);
  }
}
export class CheckSkipped extends Error {}

/** What the effects checks compare: how often each key (an event id, or an object id for the journal) was applied. */
export interface Observation {
  /** `event`: keys are event ids (effects URL); `object`: object ids the receiver called the mock about. */
  keyedBy: 'event' | 'object';
  counts: Map<string, number>;
  source: string;
}

export class ReceiverSession {
  /** Events answered 2xx whose type the contract knows: each must be applied exactly once. */
  readonly expected: EventBody[] = [];
  /** Events of deliveries the receiver refused: none may be applied. */
  readonly forbidden: EventBody[] = [];
  /** The event delivered twice (the duplicate check). */
  duplicate: EventBody | undefined;
  /** The first event the receiver accepted (the replay check sends it again, signed long ago). */
  firstAccepted: EventBody | undefined;
  private observed: Promise<Observation> | undefined;
  /** The exchanges of the check running now (the last one goes into a failure's report). */
  exchanges: Exchange[] = [];

  constructor(
    readonly target: ReceiverTarget,
    readonly scheme: SigningScheme,
    readonly events: EventFactory,
  ) {}

  /** Serialises the event as the sender does (JSON.stringify) and signs it at `t` (default now). */
  signed(event: EventBody, options: { t?: number; body?: string; secret?: string } = {}): Delivery {
    const body = options.body ?? JSON.stringify(event);
    const t = options.t ?? realNowSeconds();
    return {
      body,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'casapay-conformance-receiver/1',
        ...this.scheme.sign(body, t, options.secret ?? this.target.secret, this.ref(event)),
      },
    };
  }

  ref(event: EventBody): { id: string; type: string } {
    return { id: this.events.idOf(event), type: this.events.typeOf(event) };
  }

  /** POSTs one delivery and records the exchange. Never throws: a connection error is status null. */
  async send(delivery: Delivery): Promise<Sent> {
    const started = monotonicMs();
    const exchange: Exchange = {
      operationId: null,
      method: 'POST',
      url: this.target.url,
      status: null,
      request: { headers: delivery.headers, body: delivery.body },
      durationMs: 0,
    };
    this.exchanges.push(exchange);
    try {
      const response = await fetch(this.target.url, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.target.timeoutMs),
      });
      const latencyMs = monotonicMs() - started;
      const text = await response.text().catch(() => '');
      exchange.status = response.status;
      exchange.response = { headers: Object.fromEntries(response.headers), body: text.slice(0, 2000) };
      exchange.durationMs = Math.round(latencyMs);
      return { status: response.status, latencyMs, exchange };
    } catch (error) {
      const latencyMs = monotonicMs() - started;
      const e = error as { name?: string; cause?: { code?: string }; message?: string };
      exchange.error =
        e.name === 'TimeoutError'
          ? `no answer within ${this.target.timeoutMs} ms`
          : (e.cause?.code ?? e.message ?? String(error));
      exchange.durationMs = Math.round(latencyMs);
      return { status: null, latencyMs, error: exchange.error, exchange };
    }
  }

  /** Sends a delivery the receiver must answer 2xx; fails the check with `why` otherwise. */
  async mustAccept(delivery: Delivery, why: string): Promise<Sent> {
    const sent = await this.send(delivery);
    if (!is2xx(sent.status))
      throw new CheckFailed(
        `${why}: the receiver answered ${sent.status ?? sent.error}, expected a 2xx`,
        sent.exchange,
      );
    return sent;
  }

  /**
   * Sends a delivery the receiver must refuse (any non-2xx); fails the check with `why` on a 2xx.
   * A refused delivery's event joins `forbidden` (the effects check: applies nothing it refused).
   */
  async mustReject(delivery: Delivery, event: EventBody | undefined, why: string): Promise<Sent> {
    const sent = await this.send(delivery);
    if (event && sent.status !== null && !is2xx(sent.status)) this.forbidden.push(event);
    if (sent.status === null)
      throw new CheckFailed(
        `${why}: no answer (${sent.error}); a receiver answers a refused delivery with a 4xx`,
        sent.exchange,
      );
    if (is2xx(sent.status))
      throw new CheckFailed(
        `${why}: the receiver answered ${sent.status}, expected a non-2xx (400 or 401)`,
        sent.exchange,
      );
    return sent;
  }

  /** Reads the receiver's effects; throws CheckSkipped with the reason when they cannot be seen. */
  async observe(): Promise<Observation> {
    if (this.target.effectsUrl) return this.readEffectsUrl(this.target.effectsUrl);
    if (this.target.observeMock) return this.readJournal(this.target.observeMock);
    throw new CheckSkipped(
      'not observable: pass --effects-url (an endpoint of the receiver listing the event ids it applied) or --observe-mock (the mock the receiver calls back)',
    );
  }

  private async readEffectsUrl(url: string): Promise<Observation> {
    let body: unknown;
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.target.timeoutMs),
      });
      if (response.status !== 200)
        throw new CheckSkipped(
          `not observable: GET ${url} answered ${response.status}, expected 200 {"applied": ["<event id>", …]}`,
        );
      body = await response.json();
    } catch (error) {
      if (error instanceof CheckSkipped) throw error;
      throw new CheckSkipped(
        `not observable: GET ${url} failed (${(error as Error).message}); expected 200 {"applied": ["<event id>", …]}`,
      );
    }
    const applied = (body as { applied?: unknown } | null)?.applied;
    if (!Array.isArray(applied) || !applied.every((id) => typeof id === 'string'))
      throw new CheckSkipped(
        `not observable: GET ${url} did not answer {"applied": ["<event id>", …]} (an array of strings)`,
      );
    const counts = new Map<string, number>();
    for (const id of applied as string[]) counts.set(id, (counts.get(id) ?? 0) + 1);
    return { keyedBy: 'event', counts, source: `GET ${url}` };
  }

  private async readJournal(mockUrl: string): Promise<Observation> {
    const url = `${mockUrl.replace(/\/+$/, '')}/__admin/journal`;
    let entries: Array<{ url?: unknown }>;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.target.timeoutMs) });
      if (response.status !== 200) throw new Error(`answered ${response.status}`);
      entries = ((await response.json()) as { data: Array<{ url?: unknown }> }).data;
      if (!Array.isArray(entries)) throw new Error('no data array');
    } catch (error) {
      throw new CheckSkipped(
        `not observable: the mock's journal (GET ${url}) could not be read: ${(error as Error).message}`,
      );
    }
    const objects = new Set(
      [...this.expected, ...this.forbidden, ...(this.duplicate ? [this.duplicate] : [])].map((e) =>
        this.events.objectIdOf(e),
      ),
    );
    const counts = new Map<string, number>();
    for (const entry of entries) {
      if (typeof entry.url !== 'string') continue;
      for (const id of objects) if (entry.url.includes(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    if (counts.size === 0)
      throw new CheckSkipped(
        `not observable: the mock's journal (${url}) holds no request naming any delivered object; the receiver must call the mock about the object of each event it applies (e.g. retrieve the case)`,
      );
    return { keyedBy: 'object', counts, source: `the mock's journal (${url})` };
  }

  /** The receiver's effects once it has had time to do its work: read once, shared by the effects checks. */
  observation(): Promise<Observation> {
    return (this.observed ??= this.settle());
  }

  /** Waits until every expected key is seen (or the wait is over), then a little longer for late duplicates. */
  private async settle(): Promise<Observation> {
    const keys = (events: EventBody[], by: 'event' | 'object') =>
      events.map((e) => (by === 'event' ? this.events.idOf(e) : this.events.objectIdOf(e)));
    const deadline = monotonicMs() + this.target.effectsWaitMs;
    let observation = await this.observe();
    const wanted = [...this.expected, ...(this.duplicate ? [this.duplicate] : [])];
    while (monotonicMs() < deadline && !keys(wanted, observation.keyedBy).every((k) => observation.counts.has(k))) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      observation = await this.observe();
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(500, this.target.effectsWaitMs / 4)));
    return this.observe();
  }
}

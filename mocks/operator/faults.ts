// Fault injection and latency, off by default, so clients can exercise their timeouts and retries.
// Two sources, one parser: run options (`--latency`, `--error-rate`, `--error-status`, `--drop-rate`)
// and, per request, `Prefer: latency=…, fail=…, fail-rate=…, drop=…`, which overrides the run's value
// for that request (`latency=0`, `fail-rate=0`, `drop=false` switch a run-level fault off).
// Only the APIs' routes (/v1/, /debitura/) are affected; /__admin never faults. Randomness comes only from the injected
// `random`, so a seeded run injects the same faults on the same requests.
import { setTimeout as sleep } from 'node:timers/promises';
import { Socket } from 'node:net';
import { InvalidArgumentError, Option } from 'commander';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errors } from '../engine/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Latency the pipeline applies as processing time (set by the faults hook). */
    processingDelayMs?: number;
  }
  interface FastifyContextConfig {
    /** Set on the routes of contract operations (server.ts). */
    operation?: boolean;
  }
}

/** A parsed latency: fixed, uniform between two bounds, or normal (clamped at 0). All in ms. */
export type Latency =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'normal'; mean: number; stddev: number };

/** `"200"`, `"200ms"`, `"100-500"`, `"normal:300,50"`, a number of ms, or an already parsed Latency. */
export type LatencySpec = string | number | Latency;

export type FaultStatus = 500 | 503 | 429;

export interface FaultOptions {
  latency?: LatencySpec;
  /** Share of /v1 requests answered with `errorStatus` instead of being handled, 0..1. */
  errorRate?: number;
  /** Status of injected failures; default 503. */
  errorStatus?: FaultStatus;
  /** Share of /v1 requests whose connection is closed without an answer, 0..1. */
  dropRate?: number;
}

/** Validated faults: what the hook applies. */
export interface Faults {
  latency?: Latency;
  errorRate: number;
  errorStatus: FaultStatus;
  dropRate: number;
}

/** What one request asked for in its Prefer header (each key optional, overriding the run's). */
export interface FaultPreferences {
  latency?: Latency;
  /** `fail=503`: fail with this status (always, unless `fail-rate` is given too). */
  fail?: FaultStatus;
  failRate?: number;
  drop?: boolean;
}

export const FAULT_STATUSES: readonly FaultStatus[] = [500, 503, 429];
/** A guard against typos such as `latency=30000000`: five minutes is longer than any client timeout. */
export const MAX_LATENCY_MS = 300_000;
/** Prefer keys owned by this file; Prism reads `code`, `example`, `dynamic` and `seed`, none of these. */
/** Marks an in-process answer whose connection a fault dropped (see routes-in/nock.ts). */
export const DROPPED_HEADER = 'x-mock-connection-dropped';

export const FAULT_PREFERENCE_KEYS = ['latency', 'fail', 'fail-rate', 'drop'] as const;

const MS = /^(\d+(?:\.\d+)?)(?:ms)?$/;

function milliseconds(text: string, what: string): number {
  const match = MS.exec(text.trim());
  if (!match) throw new Error(`${what} must be a number of milliseconds such as 200 or 200ms, got "${text}".`);
  const ms = Number(match[1]);
  if (ms > MAX_LATENCY_MS) throw new Error(`${what} must be at most ${MAX_LATENCY_MS} ms, got ${ms}.`);
  return ms;
}

/**
 * Parses a latency: fixed (`200`, `200ms`), uniform (`100-500`) or normal (`normal:300,50` = mean, stddev).
 * @example
 * parseLatency('200ms');         // { kind: 'fixed', ms: 200 }
 * parseLatency('100-500');       // { kind: 'uniform', min: 100, max: 500 }
 * parseLatency('normal:300,50'); // { kind: 'normal', mean: 300, stddev: 50 }
 */
export function parseLatency(spec: LatencySpec): Latency {
  if (typeof spec === 'object') return checkLatency(spec);
  if (typeof spec === 'number') return checkLatency({ kind: 'fixed', ms: spec });
  const text = spec.trim();
  const normal = /^normal:(.*)$/i.exec(text);
  if (normal) {
    const parts = normal[1]!.split(',');
    if (parts.length !== 2)
      throw new Error(`latency "${spec}": a normal distribution is normal:MEAN,STDDEV in ms, such as normal:300,50.`);
    return {
      kind: 'normal',
      mean: milliseconds(parts[0]!, 'the mean latency'),
      stddev: milliseconds(parts[1]!, 'the latency stddev'),
    };
  }
  const range = /^([^-]+)-([^-]+)$/.exec(text);
  if (range) {
    const min = milliseconds(range[1]!, 'the lower latency bound');
    const max = milliseconds(range[2]!, 'the upper latency bound');
    if (min > max) throw new Error(`latency "${spec}": the lower bound must not exceed the upper bound.`);
    return { kind: 'uniform', min, max };
  }
  if (!MS.test(text)) throw new Error(`latency "${spec}" is not understood; use 200, 200ms, 100-500 or normal:300,50.`);
  return { kind: 'fixed', ms: milliseconds(text, 'latency') };
}

function checkLatency(latency: Latency): Latency {
  const values =
    latency.kind === 'fixed'
      ? [latency.ms]
      : latency.kind === 'uniform'
        ? [latency.min, latency.max]
        : [latency.mean, latency.stddev];
  for (const value of values) {
    if (!Number.isFinite(value) || value < 0 || value > MAX_LATENCY_MS)
      throw new Error(`latency values must be from 0 to ${MAX_LATENCY_MS} ms, got ${value}.`);
  }
  if (latency.kind === 'uniform' && latency.min > latency.max)
    throw new Error('latency: the lower bound must not exceed the upper bound.');
  return latency;
}

/**
 * A rate from 0 to 1 (`0.25`; `25%` is accepted too).
 * @example parseRate('0.1', 'error rate') // 0.1
 */
export function parseRate(value: string | number, what: string): number {
  const text = String(value).trim();
  const percent = text.endsWith('%');
  const n = Number(percent ? text.slice(0, -1) : text);
  if (text === '' || text === '%' || !Number.isFinite(n))
    throw new Error(`${what} must be a number from 0 to 1, got "${value}".`);
  const rate = percent ? n / 100 : n;
  if (rate < 0 || rate > 1) throw new Error(`${what} must be from 0 to 1, got ${value}.`);
  return rate;
}

/**
 * A failure status: 500, 503 or 429.
 * @example parseFaultStatus('429') // 429
 */
export function parseFaultStatus(value: string | number, what = 'error status'): FaultStatus {
  const n = Number(String(value).trim());
  if (!(FAULT_STATUSES as readonly number[]).includes(n))
    throw new Error(`${what} must be one of ${FAULT_STATUSES.join(', ')}, got "${value}".`);
  return n as FaultStatus;
}

/**
 * Validates run options; throws an Error that says what is wrong.
 * @example
 * parseFaults({ latency: '100-500', errorRate: 0.1 });
 * // { latency: { kind: 'uniform', min: 100, max: 500 }, errorRate: 0.1, errorStatus: 503, dropRate: 0 }
 */
export function parseFaults(options: FaultOptions = {}): Faults {
  const faults: Faults = {
    errorRate: options.errorRate === undefined ? 0 : parseRate(options.errorRate, 'error rate'),
    errorStatus: options.errorStatus === undefined ? 503 : parseFaultStatus(options.errorStatus),
    dropRate: options.dropRate === undefined ? 0 : parseRate(options.dropRate, 'drop rate'),
  };
  if (options.latency !== undefined) faults.latency = parseLatency(options.latency);
  return faults;
}

/** The comma- or semicolon-separated `key=value` parts of a Prefer header (values may be quoted). */
function preferenceParts(header: string): Array<{ key: string; value: string; text: string }> {
  // Split on , and ; outside quotes: `latency="normal:300,50"` is one part.
  return (header.match(/(?:[^,;"]|"[^"]*")+/g) ?? [])
    .map((text) => text.trim())
    .filter(Boolean)
    .map((text) => {
      const eq = text.indexOf('=');
      const key = (eq === -1 ? text : text.slice(0, eq)).trim().toLowerCase();
      const value =
        eq === -1
          ? ''
          : text
              .slice(eq + 1)
              .trim()
              .replace(/^"(.*)"$/, '$1');
      return { key, value, text };
    });
}

const isFaultKey = (key: string) => (FAULT_PREFERENCE_KEYS as readonly string[]).includes(key);

/**
 * Reads this file's keys from a Prefer header (others are ignored); throws on a bad value.
 * @example
 * parseFaultPreferences('code=200, latency=100-500, fail=503'); // { latency: { kind: 'uniform', … }, fail: 503 }
 */
export function parseFaultPreferences(header: string | string[] | undefined): FaultPreferences {
  const preferences: FaultPreferences = {};
  if (!header) return preferences;
  for (const { key, value } of preferenceParts(Array.isArray(header) ? header.join(',') : header)) {
    if (!isFaultKey(key)) continue;
    if (key === 'latency') preferences.latency = parseLatency(value);
    else if (key === 'fail') preferences.fail = parseFaultStatus(value, 'fail');
    else if (key === 'fail-rate') preferences.failRate = parseRate(value, 'fail-rate');
    else if (value === '' || value === 'true') preferences.drop = true;
    else if (value === 'false') preferences.drop = false;
    else throw new Error(`drop must be true or false, got "${value}".`);
  }
  return preferences;
}

/**
 * The Prefer header without this file's keys, for Prism; undefined when nothing is left.
 * @example
 * stripFaultPreferences('code=404, latency=200'); // 'code=404'
 * stripFaultPreferences('fail=503');              // undefined
 */
export function stripFaultPreferences(header: string | string[] | undefined): string | undefined {
  if (!header) return undefined;
  const rest = preferenceParts(Array.isArray(header) ? header.join(',') : header).filter((p) => !isFaultKey(p.key));
  return rest.length ? rest.map((p) => p.text).join(', ') : undefined;
}

/**
 * One delay drawn from a latency, in ms (normal: Box–Muller, clamped at 0).
 * @example sampleLatency({ kind: 'uniform', min: 100, max: 500 }, () => 0.5) // 300
 */
export function sampleLatency(latency: Latency, random: () => number): number {
  switch (latency.kind) {
    case 'fixed':
      return latency.ms;
    case 'uniform':
      return latency.min + random() * (latency.max - latency.min);
    case 'normal': {
      if (latency.stddev === 0) return latency.mean;
      // 1 - u keeps log() away from 0.
      const u = 1 - random();
      const v = random();
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      return Math.min(MAX_LATENCY_MS, Math.max(0, latency.mean + z * latency.stddev));
    }
  }
}

/** Draws only for rates strictly between 0 and 1, so fault-free runs leave the random sequence alone. */
const happens = (rate: number, random: () => number) => rate >= 1 || (rate > 0 && random() < rate);

function faultError(status: FaultStatus): ApiError {
  if (status === 429) return errors.rateLimited();
  if (status === 500) return errors.internal();
  return errors.unavailable();
}

export interface InstallFaultsOptions {
  faults?: FaultOptions;
  /** A number in [0, 1); pass a seeded source for repeatable faults. */
  random: () => number;
  /** The URL prefixes of the APIs (`/v1/`): faults bend only those requests, never /__admin or the console. */
  prefixes: readonly string[];
  /** How the API a request is for writes an error. */
  render(request: FastifyRequest, error: ApiError): { status: number; body: unknown };
}

/**
 * Adds the fault hook to `app` (root context, so it sees every route). Register it after CORS so
 * injected failures still carry CORS headers. Throws at once on invalid `faults`.
 * @example
 * installFaults(app, { faults: { latency: '100-500', errorRate: 0.05 }, random: sandbox.ids.fraction });
 */
export function installFaults(app: FastifyInstance, options: InstallFaultsOptions): Faults {
  const faults = parseFaults(options.faults);
  const { random } = options;
  const { render, prefixes } = options;
  const runActive = faults.latency !== undefined || faults.errorRate > 0 || faults.dropRate > 0;
  // Wake waiting requests when the server closes, so close() is not held up by a long latency.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());

  // Synchronous fast path: no faults configured and no Prefer header costs one check per request.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    if (!runActive && !request.headers.prefer) return done();
    if (request.method === 'OPTIONS' || !prefixes.some((prefix) => request.url.startsWith(prefix))) return done();
    // A hook that answered (or dropped the connection) must not call done().
    inject(request, reply).then((answered) => (answered ? undefined : done()), done);
  });

  /** Applies the faults; true when it answered the request or dropped it. */
  async function inject(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const header = request.headers.prefer;

    let preferences: FaultPreferences;
    try {
      preferences = parseFaultPreferences(header);
    } catch (error) {
      const rendered = render(request, errors.parameterInvalid('Prefer', (error as Error).message));
      reply.code(rendered.status).header('Request-Id', request.id).send(rendered.body);
      return true;
    }

    // Order: wait, then maybe drop, then maybe fail — a slow network first, then what happens at the end.
    const latency = preferences.latency ?? faults.latency;
    const ms = latency ? sampleLatency(latency, random) : 0;
    const drop = preferences.drop ?? happens(faults.dropRate, random);
    const status = preferences.fail ?? faults.errorStatus;
    const failRate = preferences.failRate ?? (preferences.fail !== undefined ? 1 : faults.errorRate);
    const fail = !drop && happens(failRate, random);
    if (ms > 0 && !drop && !fail && request.routeOptions.config?.operation) {
      // Plain latency on a contract operation (routes marked `config.operation`) is processing time: the pipeline waits after reserving the
      // Idempotency-Key, so a retry sent meanwhile sees 409 idempotency_key_in_use, as in production.
      request.processingDelayMs = ms;
      return false;
    }
    if (ms > 0 && !closing.signal.aborted)
      await sleep(ms, undefined, { signal: closing.signal }).catch(() => undefined);

    if (drop) {
      reply.hijack();
      // In-process (app.inject, the nock route) there is no socket to close: the answer carries a
      // marker instead, and the route turns it into the connection error a client would see.
      if (request.raw.socket instanceof Socket) request.raw.socket.destroy();
      else reply.raw.writeHead(200, { [DROPPED_HEADER]: 'true' }).end();
      return true;
    }

    if (fail) {
      const apiError = faultError(status);
      const rendered = render(request, apiError);
      reply.code(rendered.status).header('Request-Id', request.id).header('X-Mock-Source', 'fault');
      for (const [name, value] of Object.entries(apiError.extra.headers ?? {})) reply.header(name, value);
      reply.send(rendered.body);
      return true;
    }
    return false;
  }
  return faults;
}

/** Commander's argument parser from a parser that throws Error. */
const cliParser =
  <T>(parse: (value: string) => T) =>
  (value: string) => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };

/**
 * The CLI flags for faults; add each with `program.addOption(option)`.
 * @example
 * for (const option of faultOptions()) program.addOption(option);
 */
export function faultOptions(): Option[] {
  return [
    new Option(
      '--latency <spec>',
      'delay every /v1 answer: 200, 200ms, 100-500 (uniform) or normal:300,50 (mean,stddev)',
    ).argParser(cliParser(parseLatency)),
    new Option('--error-rate <rate>', 'answer this share (0..1) of /v1 requests with --error-status').argParser(
      cliParser((v) => parseRate(v, 'error rate')),
    ),
    new Option('--error-status <code>', 'status of injected failures (503 when not given)')
      .choices(['500', '503', '429'])
      .argParser(cliParser((v) => parseFaultStatus(v))),
    new Option(
      '--drop-rate <rate>',
      'close the connection without an answer for this share (0..1) of /v1 requests',
    ).argParser(cliParser((v) => parseRate(v, 'drop rate'))),
  ];
}

/** What `faultOptions()` leaves in `program.opts()`. */
export interface FaultCliOptions {
  latency?: Latency;
  errorRate?: number;
  errorStatus?: FaultStatus;
  dropRate?: number;
}

/**
 * The run's FaultOptions from the parsed CLI flags, or undefined when none was given.
 * @example
 * createMockServer({ ..., faults: faultsFromCli(program.opts()) });
 */
export function faultsFromCli(opts: FaultCliOptions): FaultOptions | undefined {
  const faults: FaultOptions = {};
  if (opts.latency !== undefined) faults.latency = opts.latency;
  if (opts.errorRate !== undefined) faults.errorRate = opts.errorRate;
  if (opts.errorStatus !== undefined) faults.errorStatus = opts.errorStatus;
  if (opts.dropRate !== undefined) faults.dropRate = opts.dropRate;
  return Object.keys(faults).length ? faults : undefined;
}

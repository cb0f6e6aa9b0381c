// Fault injection: the parsers (table-driven), then the hook over HTTP on a tiny Fastify app.
import Fastify, { type FastifyInstance } from 'fastify';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  faultOptions,
  faultsFromCli,
  installFaults,
  parseFaultPreferences,
  parseFaults,
  parseFaultStatus,
  parseLatency,
  parseRate,
  sampleLatency,
  stripFaultPreferences,
  type FaultOptions,
  type Latency,
} from './faults.js';
import { createIdMinter } from '../engine/state/ids.js';
import { renderCasaPayError } from '../apis/casapay/errors.js';

describe('parseLatency', () => {
  it.each<[string | number, Latency]>([
    ['200', { kind: 'fixed', ms: 200 }],
    ['200ms', { kind: 'fixed', ms: 200 }],
    [' 0 ', { kind: 'fixed', ms: 0 }],
    ['12.5', { kind: 'fixed', ms: 12.5 }],
    [150, { kind: 'fixed', ms: 150 }],
    ['100-500', { kind: 'uniform', min: 100, max: 500 }],
    ['100ms-500ms', { kind: 'uniform', min: 100, max: 500 }],
    ['300-300', { kind: 'uniform', min: 300, max: 300 }],
    ['normal:300,50', { kind: 'normal', mean: 300, stddev: 50 }],
    ['normal:300ms, 0', { kind: 'normal', mean: 300, stddev: 0 }],
  ])('%j → %j', (input, want) => {
    expect(parseLatency(input)).toEqual(want);
  });

  it.each([
    ['', /not understood/],
    ['fast', /not understood/],
    ['-5', /not understood|milliseconds/],
    ['1e3', /not understood/],
    ['2s', /not understood/],
    ['500-100', /lower bound must not exceed/],
    ['100-', /not understood/],
    ['a-b', /milliseconds/],
    ['normal:300', /normal:MEAN,STDDEV/],
    ['normal:x,50', /mean latency must be a number/],
    ['normal:300,-5', /stddev must be a number/],
    ['300001', /at most 300000 ms/],
  ])('%j is refused (%s)', (input, message) => {
    expect(() => parseLatency(input)).toThrow(message);
  });

  it.each<[Latency | number, RegExp]>([
    [-1, /from 0 to/],
    [Number.NaN, /from 0 to/],
    [{ kind: 'uniform', min: 5, max: 1 }, /lower bound/],
    [{ kind: 'normal', mean: 10, stddev: -1 }, /from 0 to/],
  ])('a parsed %j is checked too', (input, message) => {
    expect(() => parseLatency(input)).toThrow(message);
  });
});

describe('rates, statuses and run options', () => {
  it.each<[string | number, number]>([
    ['0', 0],
    ['1', 1],
    ['0.25', 0.25],
    [0.5, 0.5],
    ['10%', 0.1],
    [' .3 ', 0.3],
  ])('rate %j → %d', (input, want) => {
    expect(parseRate(input, 'error rate')).toBe(want);
  });

  it.each([['-0.1'], ['1.5'], ['abc'], [''], ['%'], ['150%']])('rate %j is refused', (input) => {
    expect(() => parseRate(input, 'error rate')).toThrow(/error rate must be/);
  });

  it.each([
    ['500', 500],
    ['503', 503],
    [429, 429],
  ])('status %j', (input, want) => {
    expect(parseFaultStatus(input)).toBe(want);
  });

  it.each([['404'], ['5xx'], ['']])('status %j is refused', (input) => {
    expect(() => parseFaultStatus(input)).toThrow('error status must be one of 500, 503, 429');
  });

  it('parseFaults: off by default, 503 unless told otherwise', () => {
    expect(parseFaults()).toEqual({ errorRate: 0, errorStatus: 503, dropRate: 0 });
    expect(parseFaults({ latency: 'normal:300,50', errorRate: 0.1, errorStatus: 429, dropRate: 0.01 })).toEqual({
      latency: { kind: 'normal', mean: 300, stddev: 50 },
      errorRate: 0.1,
      errorStatus: 429,
      dropRate: 0.01,
    });
  });

  it.each<[FaultOptions, RegExp]>([
    [{ errorRate: 2 }, /error rate must be from 0 to 1/],
    [{ dropRate: -1 }, /drop rate must be from 0 to 1/],
    [{ errorStatus: 404 as 500 }, /error status must be one of/],
    [{ latency: 'soon' }, /latency "soon" is not understood/],
  ])('parseFaults(%j) is refused', (options, message) => {
    expect(() => parseFaults(options)).toThrow(message);
  });
});

describe('Prefer', () => {
  it.each<[string | undefined, ReturnType<typeof parseFaultPreferences>]>([
    [undefined, {}],
    ['code=404, example=notFound', {}],
    ['latency=200', { latency: { kind: 'fixed', ms: 200 } }],
    ['latency=100-500; fail=429', { latency: { kind: 'uniform', min: 100, max: 500 }, fail: 429 }],
    ['latency="normal:300,50"', { latency: { kind: 'normal', mean: 300, stddev: 50 } }],
    ['fail-rate=0.5, code=200', { failRate: 0.5 }],
    ['Drop=true', { drop: true }],
    ['drop', { drop: true }],
    ['drop=false', { drop: false }],
  ])('%j → %j', (header, want) => {
    expect(parseFaultPreferences(header)).toEqual(want);
  });

  it.each([
    ['latency=soon', /latency "soon"/],
    ['fail=404', /fail must be one of 500, 503, 429/],
    ['fail-rate=2', /fail-rate must be from 0 to 1/],
    ['drop=maybe', /drop must be true or false/],
  ])('%j is refused', (header, message) => {
    expect(() => parseFaultPreferences(header)).toThrow(message);
  });

  it.each<[string | undefined, string | undefined]>([
    [undefined, undefined],
    ['code=404', 'code=404'],
    ['code=404, latency=200', 'code=404'],
    ['latency=200;code=404;example=notFound', 'code=404, example=notFound'],
    ['fail=503, fail-rate=0.5, drop=false, latency="normal:3,1"', undefined],
    ['dynamic=true, drop', 'dynamic=true'],
  ])('stripFaultPreferences(%j) → %j', (header, want) => {
    expect(stripFaultPreferences(header)).toBe(want);
  });
});

describe('sampleLatency', () => {
  it('draws within the spec, clamping a normal distribution at 0', () => {
    expect(sampleLatency({ kind: 'fixed', ms: 7 }, () => 0.9)).toBe(7);
    expect(sampleLatency({ kind: 'uniform', min: 100, max: 500 }, () => 0.5)).toBe(300);
    expect(sampleLatency({ kind: 'normal', mean: 300, stddev: 0 }, () => 0.5)).toBe(300);
    // u close to 1 → z ≈ 0 → the mean; u tiny → |z| large, cos(0) = 1 → far above the mean.
    const draws = (values: number[]) => () => values.shift()!;
    expect(sampleLatency({ kind: 'normal', mean: 300, stddev: 50 }, draws([0, 0.25]))).toBeCloseTo(300);
    expect(sampleLatency({ kind: 'normal', mean: 300, stddev: 50 }, draws([0.999, 0]))).toBeGreaterThan(450);
    // cos(π) = -1 with a large |z|: far below 0 → clamped.
    expect(sampleLatency({ kind: 'normal', mean: 10, stddev: 50 }, draws([0.999, 0.5]))).toBe(0);
  });
});

describe('CLI options', () => {
  const parse = (args: string[]) => {
    const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
    for (const option of faultOptions()) program.addOption(option);
    program.parse(args, { from: 'user' });
    return program.opts();
  };

  it('turns flags into FaultOptions', () => {
    expect(faultsFromCli(parse([]))).toBeUndefined();
    expect(
      faultsFromCli(
        parse(['--latency', '100-500', '--error-rate', '0.1', '--error-status', '429', '--drop-rate', '0.01']),
      ),
    ).toEqual({
      latency: { kind: 'uniform', min: 100, max: 500 },
      errorRate: 0.1,
      errorStatus: 429,
      dropRate: 0.01,
    });
  });

  it.each([
    [['--latency', 'soon'], /latency "soon" is not understood/],
    [['--error-rate', '3'], /error rate must be from 0 to 1/],
    [['--error-status', '404'], /error status must be one of/],
    [['--drop-rate', 'x'], /drop rate must be a number/],
  ])('%j is refused with a clear message', (args, message) => {
    expect(() => parse(args)).toThrow(message);
  });
});

// ---- over HTTP ---------------------------------------------------------------------------------

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function start(faults: FaultOptions | undefined, random: () => number = () => 0.5): Promise<string> {
  const app = Fastify({ logger: false });
  apps.push(app);
  installFaults(app, { faults, random, prefixes: ['/v1/'], render: (_request, error) => renderCasaPayError(error) });
  app.get('/v1/ping', async () => ({ ok: true }));
  app.get('/__admin/health', async () => ({ ok: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

const get = (url: string, prefer?: string) => fetch(url, prefer ? { headers: { Prefer: prefer } } : {});

async function timed(run: () => Promise<Response>): Promise<[Response, number]> {
  const started = performance.now();
  const response = await run();
  await response.arrayBuffer();
  return [response, performance.now() - started];
}

describe('faults over HTTP', () => {
  it('leaves requests alone and draws nothing when off', async () => {
    const random = vi.fn(() => 0);
    const url = await start(undefined, random);
    const response = await get(`${url}/v1/ping`, 'code=200');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(random).not.toHaveBeenCalled();
  });

  it('delays by a fixed latency (run option and Prefer)', async () => {
    const run = await start({ latency: '150ms' });
    const [slow, elapsed] = await timed(() => get(`${run}/v1/ping`));
    expect(slow.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(140);

    const plain = await start(undefined);
    const [, preferred] = await timed(() => get(`${plain}/v1/ping`, 'latency=150'));
    expect(preferred).toBeGreaterThanOrEqual(140);
    // `latency=0` switches the run's latency off for one request.
    const [, off] = await timed(() => get(`${run}/v1/ping`, 'latency=0'));
    expect(off).toBeLessThan(140);
  });

  it.each([
    [503, 'api_error', 'service_unavailable', null],
    [500, 'api_error', 'internal_error', null],
    [429, 'rate_limit_error', 'rate_limited', '1'],
  ])('Prefer: fail=%d answers the typed error envelope', async (status, type, code, retryAfter) => {
    const url = await start(undefined);
    const response = await get(`${url}/v1/ping`, `fail=${status}`);
    expect(response.status).toBe(status);
    expect(response.headers.get('request-id')).toMatch(/^req-/);
    expect(response.headers.get('x-mock-source')).toBe('fault');
    expect(response.headers.get('retry-after')).toBe(retryAfter);
    const body = await response.json();
    expect(body).toEqual({
      error: {
        type,
        code,
        message: expect.any(String),
        param: null,
        doc_url: `https://api.casapay.com/docs/errors#${code}`,
      },
    });
  });

  it('fail-rate follows the injected random', async () => {
    const draws = [0.1, 0.9, 0.4, 0.6, 0.49, 0.5];
    const url = await start(undefined, () => draws.shift()!);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(`${url}/v1/ping`, 'fail-rate=0.5, fail=429')).status);
    expect(statuses).toEqual([429, 200, 429, 200, 429, 200]);
  });

  it('a seeded run error rate fails the same requests on every run', async () => {
    const expected = (() => {
      const replay = createIdMinter('faults').fraction;
      return Array.from({ length: 20 }, () => (replay() < 0.3 ? 503 : 200));
    })();
    expect(expected).toContain(503);
    expect(expected).toContain(200);
    const url = await start({ errorRate: 0.3 }, createIdMinter('faults').fraction);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await get(`${url}/v1/ping`)).status);
    expect(statuses).toEqual(expected);
  });

  it('Prefer overrides the run: fail-rate=0 and drop=false switch faults off', async () => {
    const url = await start({ errorRate: 1, errorStatus: 500, dropRate: 0 });
    expect((await get(`${url}/v1/ping`)).status).toBe(500);
    expect((await get(`${url}/v1/ping`, 'fail-rate=0')).status).toBe(200);
    const dropping = await start({ dropRate: 1 });
    expect((await get(`${dropping}/v1/ping`, 'drop=false')).status).toBe(200);
  });

  it('drop closes the connection without an answer', async () => {
    const url = await start(undefined);
    await expect(get(`${url}/v1/ping`, 'drop=true')).rejects.toThrow();
    const dropping = await start({ dropRate: 1 });
    await expect(get(`${dropping}/v1/ping`)).rejects.toThrow();
    // The server keeps serving after a drop.
    expect((await get(`${url}/v1/ping`)).status).toBe(200);
  });

  it('a bad Prefer value is a 400 naming Prefer', async () => {
    const url = await start(undefined);
    const response = await get(`${url}/v1/ping`, 'latency=soon');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({
      code: 'parameter_invalid',
      param: 'Prefer',
      message: expect.stringContaining('latency "soon"'),
    });
  });

  it('never touches admin routes', async () => {
    const url = await start({ latency: 2000, errorRate: 1, dropRate: 1 });
    const [response, elapsed] = await timed(() => get(`${url}/__admin/health`, 'fail=503, drop=true, latency=2000'));
    expect(response.status).toBe(200);
    expect(elapsed).toBeLessThan(1000);
  });

  it('close() does not wait for a pending latency', async () => {
    const url = await start(undefined);
    const pending = get(`${url}/v1/ping`, 'latency=60000').then(
      (r) => r.status,
      () => 'closed',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await apps.pop()!.close();
    expect(performance.now() - started).toBeLessThan(2000);
    expect([200, 'closed']).toContain(await pending);
  });
});

#!/usr/bin/env node
// `npm run bench -- --memory 100k` runs this under `node --expose-gc`: the mock's memory per stored
// object, measured on the V8 heap after a full collection (RSS differences are V8's heap growth as much
// as the objects). The mock is built in this process from dist/ (createMockEngine, the same engine as
// the CLI's, journal on) and filled through `app.inject`, so nothing but the mock holds the objects:
//
//   1. warm-up: a few hundred creates on an account of their own (JIT, the journal filled to its
//      bound), then that account reset; gc → heap0.
//   2. `cases` creates on one account (POST /v1/collection_cases, the quickstart body): each stores the
//      case, its events, its timeline and its scheduled tasks (all counted); gc → heap1. bytes per case = (heap1 − heap0) / cases.
//   3. that account reset; gc → heap2. A second account registers a webhook endpoint (`*`) pointing at
//      a loopback receiver run here (answers 200), then `cases` creates, waiting for the deliveries to
//      finish after every thousand; every event is delivered, the dispatcher keeps each delivery's log;
//      once every delivery has finished, gc → heap3.
//      bytes per delivery-log entry = ((heap3 − heap2) − bytes per case × cases) / deliveries.
//
//   node --expose-gc scripts/bench-memory.mjs --cases 100000 [--batch 64] [--json]
//
// Prints a short table, or with --json one JSON object (what scripts/bench.ts reads) on stdout.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i !== -1 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

if (typeof globalThis.gc !== 'function') {
  console.error('bench-memory: run with node --expose-gc');
  process.exit(2);
}

const cases = Number(arg('--cases', '100000'));
const batch = Number(arg('--batch', '64'));
const asJson = process.argv.includes('--json');
if (!Number.isInteger(cases) || cases < 1) {
  console.error(`bench-memory: --cases must be a whole number ≥ 1, got ${arg('--cases', '')}`);
  process.exit(2);
}

const root = new URL('..', import.meta.url);
const { createMockEngine } = await import(new URL('dist/mocks/server.js', root).href);
const { casapayAccount } = await import(new URL('dist/mocks/apis/casapay/state.js', root).href);
const { timelineEntries } = await import(new URL('dist/mocks/apis/casapay/timelines.js', root).href);
const contract = JSON.parse(readFileSync(new URL('generated/casapay.json', root), 'utf8'));
const CREATE_BODY = JSON.stringify(
  contract.paths['/v1/collection_cases'].post.requestBody.content['application/json'].examples.quickstart.value,
);

const progress = (line) => process.stderr.write(`  memory: ${line}\n`);

/** heapUsed after full collections (twice: the first may leave weakly held and finalised objects for the second). */
async function heapAfterGc() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await sleep(20);
  }
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss };
}

// The loopback receiver the webhook endpoint points at: reads each delivery and answers 200.
let received = 0;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received++;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/hook`;

const engine = await createMockEngine({ seed: 'bench', logLevel: 'silent', webhookConcurrency: 16 });
const { app, sandbox } = engine;

async function inject(key, method, url, payload) {
  const res = await app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${key}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
    ...(payload ? { payload } : {}),
  });
  return res;
}

/**
 * `n` creates on the account of `key`, `batch` at a time. With `settleEvery`, waits for every webhook
 * delivery to finish after each `settleEvery` creates (the dispatcher's queue stays short, as with a
 * receiver that keeps up), and returns the time spent waiting as `drainMs`.
 */
async function fill(key, n, settleEvery = 0) {
  const t0 = performance.now();
  let failed = 0;
  let lastProblem = '';
  let drainMs = 0;
  let sinceSettled = 0;
  for (let done = 0; done < n;) {
    const size = Math.min(batch, n - done);
    const answers = await Promise.all(
      Array.from({ length: size }, () => inject(key, 'POST', '/v1/collection_cases', CREATE_BODY)),
    );
    for (const res of answers)
      if (res.statusCode !== 201) {
        failed++;
        lastProblem = `${res.statusCode} ${res.body.slice(0, 200)}`;
      }
    const before = done;
    done += size;
    // A line per tenth at large counts: 100k cases with deliveries take minutes on a shared machine.
    if (n >= 10_000 && Math.floor((done * 10) / n) > Math.floor((before * 10) / n))
      progress(
        `  ${done} of ${n}${settleEvery ? `, deliveries waited for ${(drainMs / 1000).toFixed(0)} s so far` : ''}`,
      );
    sinceSettled += size;
    if (settleEvery && (sinceSettled >= settleEvery || done === n)) {
      const d0 = performance.now();
      await sandbox.dispatcher.idle();
      drainMs += performance.now() - d0;
      sinceSettled = 0;
    }
  }
  if (failed) progress(`${failed} of ${n} creates failed (last: ${lastProblem})`);
  return { ms: performance.now() - t0 - drainMs, failed, drainMs };
}

/** Creates between two waits for the deliveries to finish (see fill). */
const SETTLE_EVERY = 1000;

const reset = (key) => app.inject({ method: 'POST', url: `/__admin/reset?account=${encodeURIComponent(key)}` });

/** Events, timeline entries, scheduled tasks and delivery-log entries the account holds. */
function countsOf(key) {
  const account = casapayAccount(sandbox.account(key));
  let timeline = 0;
  // A timeline is its entries, or the case as created standing for its one entry (mocks/apis/casapay/timelines.ts).
  for (const stored of account.timelines.values()) timeline += timelineEntries(stored).length;
  let deliveries = 0;
  for (const event of account.events.values()) deliveries += sandbox.dispatcher.deliveries(event.id).length;
  return {
    cases: account.cases.size,
    events: account.events.size,
    timelineEntries: timeline,
    scheduledTasks: account.schedule.size,
    deliveries,
  };
}

// 1. Warm-up, then the baseline.
const WARM = 'sk_test_memory_warmup';
await fill(WARM, Math.min(500, Math.max(50, cases)));
await reset(WARM);
const heap0 = await heapAfterGc();

// 2. Cases alone.
const CASES = 'sk_test_memory_cases';
progress(`creating ${cases} cases through app.inject…`);
const plain = await fill(CASES, cases);
const heap1 = await heapAfterGc();
const plainCounts = countsOf(CASES);
const bytesPerCase = (heap1.heapUsed - heap0.heapUsed) / plainCounts.cases;

// 3. The same with a webhook endpoint: every event delivered to the loopback receiver, each delivery logged.
await reset(CASES);
const heap2 = await heapAfterGc();
const HOOKED = 'sk_test_memory_webhooks';
const endpoint = await inject(
  HOOKED,
  'POST',
  '/v1/webhook_endpoints',
  JSON.stringify({ url: receiverUrl, enabled_events: ['*'] }),
);
if (endpoint.statusCode !== 201) {
  console.error(`bench-memory: could not register the webhook endpoint: ${endpoint.statusCode} ${endpoint.body}`);
  process.exit(1);
}
progress(`creating ${cases} cases with a webhook endpoint on ${receiverUrl}…`);
const hooked = await fill(HOOKED, cases, SETTLE_EVERY);
const drainMs = hooked.drainMs;
const heap3 = await heapAfterGc();
const hookedCounts = countsOf(HOOKED);
const hookedBytes = heap3.heapUsed - heap2.heapUsed;
const deliveryBytes = hookedBytes - bytesPerCase * hookedCounts.cases;
const statuses = {};
for (const event of casapayAccount(sandbox.account(HOOKED)).events.values())
  for (const d of sandbox.dispatcher.deliveries(event.id)) statuses[d.status] = (statuses[d.status] ?? 0) + 1;

await engine.close();
receiver.close();

const per = (n, d) => (d ? n / d : null);
const report = {
  node: process.version,
  cases,
  method: 'V8 heapUsed after full GC (node --expose-gc), mock built in-process from dist/, filled through app.inject',
  heapMb: {
    baseline: heap0.heapUsed / 2 ** 20,
    withCases: heap1.heapUsed / 2 ** 20,
    afterReset: heap2.heapUsed / 2 ** 20,
    withCasesAndDeliveries: heap3.heapUsed / 2 ** 20,
  },
  rssMb: { withCases: heap1.rss / 2 ** 20, withCasesAndDeliveries: heap3.rss / 2 ** 20 },
  fill: { casesMs: plain.ms, hookedMs: hooked.ms, drainMs, failed: plain.failed + hooked.failed },
  perCase: {
    events: per(plainCounts.events, plainCounts.cases),
    timelineEntries: per(plainCounts.timelineEntries, plainCounts.cases),
    scheduledTasks: per(plainCounts.scheduledTasks, plainCounts.cases),
    deliveries: per(hookedCounts.deliveries, hookedCounts.cases),
  },
  counts: { plain: plainCounts, hooked: hookedCounts, received, deliveryStatuses: statuses },
  bytesPerCase,
  bytesPerCaseWithDeliveries: per(hookedBytes, hookedCounts.cases),
  bytesPerDelivery: per(deliveryBytes, hookedCounts.deliveries),
  // Off the V8 heap (Buffers): none of the figures above; shown so nothing held there goes unseen.
  externalBytesPerCase: (heap1.external - heap0.external) / plainCounts.cases,
  externalBytesPerCaseWithDeliveries: per(heap3.external - heap2.external, hookedCounts.cases),
};

if (asJson) {
  process.stdout.write(`${JSON.stringify(report)}\n`);
} else {
  const f = (n) => (n === null ? '—' : Math.round(n).toLocaleString('en-US'));
  console.log(
    [
      `Memory at ${f(cases)} cases (${report.method}; node ${process.version})`,
      `  bytes per case (with its ${report.perCase.events} events, ${report.perCase.timelineEntries} timeline entries and ${report.perCase.scheduledTasks} scheduled tasks): ${f(bytesPerCase)}`,
      `  bytes per case with a webhook endpoint (${report.perCase.deliveries} deliveries each): ${f(report.bytesPerCaseWithDeliveries)}`,
      `  bytes per delivery-log entry: ${f(report.bytesPerDelivery)}`,
      `  off the heap (Buffers), per case: ${f(report.externalBytesPerCase)}; with deliveries: ${f(report.externalBytesPerCaseWithDeliveries)}`,
    ].join('\n'),
  );
}
process.exit(0);

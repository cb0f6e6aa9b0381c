// The quick loop for issue 24's memory figures: heap bytes per stored CasaPay case (with its events,
// timeline and scheduled demand letter) and per webhook delivery-log entry, measured in-process.
//
//   node --expose-gc --import tsx scripts/memory-profile.ts [N] [--hooks N] [--read] [--breakdown]
//        [--reads N] [--debitura N] [--types N [--types-hooks]]
//
// The mock is built in-process as the tests build it (createMockEngine, requests through app.inject, no
// socket), with the CLI's defaults (journal on, responses not validated, real clock). N cases (default
// 20,000) are created on one fresh account with the contract's quickstart body; after gc() the growth of
// the heap (and of typed arrays' memory, outside it) divided by N is the bytes per case. Then a second account registers a webhook endpoint for
// every event, pointing at a loopback receiver answering 200, and creates `--hooks` cases (default N):
// each create yields two events, so two deliveries; once the dispatcher is idle the heap growth beyond
// those cases' own bytes, divided by the delivery-log entries the dispatcher keeps, is the bytes per
// delivery. Also printed: CPU µs per create (process.cpuUsage over the creates; inject included).
//
// --read        GET each case once after creating it (a read remembers its JSON text: serialize.ts)
// --breakdown   after measuring, drop the account's structures one at a time (gc() after each) and print
//               what each held per case: events, timeline, references, schedule, remembered texts, cases
// --reads N     then N GET retrieves and N GET list pages of each kind, printing CPU µs per request
// --debitura N  the same for N Debitura cases (a direct creditor's XApiKey on the Customer API)
// --types N     instead, N cases (keep it small: 2,000–5,000) between two heap snapshots, printing the
//               growth of self size per object shape (or, for strings and arrays, what holds them);
//               --types-hooks with a webhook endpoint on the account
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { createMockEngine, type MockEngine } from '../mocks/server.js';
import { loadContract } from '../kit/contract.js';
import { Collection } from '../mocks/engine/state/collection.js';
import { Schedule } from '../mocks/engine/scheduler/scheduler.js';
import { casapayAccount } from '../mocks/apis/casapay/state.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with node --expose-gc --import tsx scripts/memory-profile.ts');
  process.exit(2);
}

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string): number | undefined => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : Number(args[at + 1]);
};
const positional = args.find((arg, i) => /^\d+$/.test(arg) && !args[i - 1]?.startsWith('--'));
const N = Number(positional ?? 20_000);
const HOOKS = option('--hooks') ?? N;
const READ = flag('--read');
const BREAKDOWN = flag('--breakdown');
const DEBITURA = option('--debitura') ?? 0;
const TYPES = option('--types') ?? 0;
const READS = option('--reads') ?? 0;

const contract = loadContract();
const QUICKSTART = JSON.stringify(
  (contract.document as any).paths['/v1/collection_cases'].post.requestBody.content['application/json'].examples
    .quickstart.value,
);

async function settle(): Promise<number> {
  // Twice, with a turn between: weak maps' ephemerons and finalizers need a second pass.
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
  }
  // Typed arrays' memory (collections keep their order in them) is outside the JS heap: counted too.
  return v8.getHeapStatistics().used_heap_size + process.memoryUsage().arrayBuffers;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function inject(engine: MockEngine, method: 'GET' | 'POST', url: string, key: string, payload?: string) {
  const answer = await engine.app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${key}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload }),
  });
  if (answer.statusCode >= 300) throw new Error(`${method} ${url}: ${answer.statusCode} ${answer.body}`);
  return answer;
}

/** Creates `n` quickstart cases on `key`; returns CPU µs per create. */
async function createCases(
  engine: MockEngine,
  key: string,
  n: number,
  between?: (i: number) => Promise<void>,
): Promise<number> {
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const answer = await inject(engine, 'POST', '/v1/collection_cases', key, QUICKSTART);
    if (READ) await inject(engine, 'GET', `/v1/collection_cases/${JSON.parse(answer.body).id}`, key);
    if (between) await between(i);
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / n;
}

/** A loopback receiver answering 200 to every delivery. */
async function startReceiver(): Promise<{ url: string; close(): void }> {
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hooks`, close: () => receiver.close() };
}

const endpointFor = (url: string) => JSON.stringify({ url, enabled_events: ['*'] });

async function warmUp(engine: MockEngine, receiverUrl: string): Promise<void> {
  // Compiles validators, fills the journal (bounded: 200 requests) and V8's inline caches, and runs
  // deliveries (fetch's code is compiled here, not counted per delivery).
  const key = 'sk_test_memprof_warm';
  await inject(engine, 'POST', '/v1/webhook_endpoints', key, endpointFor(receiverUrl));
  for (let i = 0; i < 1000; i++) {
    const answer = await inject(engine, 'POST', '/v1/collection_cases', key, QUICKSTART);
    await inject(engine, 'GET', `/v1/collection_cases/${JSON.parse(answer.body).id}`, key);
    if (i % 200 === 199) await engine.sandbox.dispatcher.idle();
  }
  await inject(engine, 'GET', '/v1/collection_cases?limit=100', key);
  await inject(engine, 'GET', '/v1/events?limit=100', key);
  await engine.sandbox.dispatcher.idle();
}

async function casesRun(engine: MockEngine): Promise<number> {
  const key = 'sk_test_memprof_cases';
  await inject(engine, 'GET', '/v1/collection_cases?limit=1', key); // opens (and seeds) the account
  const before = await settle();
  const cpu = await createCases(engine, key, N);
  const after = await settle();
  const perCase = (after - before) / N;
  console.log(
    `cases: ${fmt(N)} created${READ ? ' (each read once)' : ''}: heap +${fmt((after - before) / 1048576, 1)} MB, ` +
      `${fmt(perCase)} bytes per case, ${fmt(cpu, 1)} µs CPU per create`,
  );
  if (READS) await readsRun(engine, key);
  if (BREAKDOWN) await breakdown(engine, key, N);
  return perCase;
}

/** CPU per GET retrieve (one case, again and again) and per GET list (the newest 10, and a page from the middle). */
async function readsRun(engine: MockEngine, key: string): Promise<void> {
  const newest = JSON.parse((await inject(engine, 'GET', '/v1/collection_cases?limit=1', key)).body).data[0].id;
  const state = casapayAccount(engine.sandbox.store.peek(key)!);
  const middle = state.cases.values()[Math.floor(state.cases.size / 2)]!.id;
  const timed = async (label: string, url: string) => {
    for (let i = 0; i < 500; i++) await inject(engine, 'GET', url, key);
    // A full collection first: process.cpuUsage counts V8's helper threads, which otherwise are still
    // marking what the creates left behind (seconds of it on a large heap).
    await settle();
    const cpu = process.cpuUsage();
    for (let i = 0; i < READS; i++) await inject(engine, 'GET', url, key);
    const used = process.cpuUsage(cpu);
    console.log(`  ${label.padEnd(36)} ${fmt((used.user + used.system) / READS, 1)} µs CPU per request`);
  };
  await timed('GET retrieve', `/v1/collection_cases/${newest}`);
  await timed('GET list ?limit=10', '/v1/collection_cases?limit=10');
  await timed('GET list ?limit=10&starting_after=middle', `/v1/collection_cases?limit=10&starting_after=${middle}`);
  await timed('GET list ?status=active&limit=10', '/v1/collection_cases?status=active&limit=10');
}

/** Drops the account's structures one at a time and prints what each held (shared parts count where last held). */
async function breakdown(engine: MockEngine, key: string, n: number): Promise<void> {
  const account = engine.sandbox.store.peek(key)!;
  const state = casapayAccount(account);
  let last = await settle();
  const rows: Array<[string, number]> = [];
  const step = async (label: string, drop: () => void) => {
    drop();
    const now = await settle();
    rows.push([label, (last - now) / n]);
    last = now;
  };
  await step('delivery logs (dispatcher)', () => {
    engine.sandbox.dispatcher.forgetOwner(key);
  });
  await step('events (wrappers, data, collection entries)', () => {
    (state as { events: unknown }).events = new Collection();
  });
  await step('timelines', () => state.timelines.clear());
  await step('references', () => state.references.clear());
  await step('schedule (demand letters)', () => {
    (account as { schedule: unknown }).schedule = new Schedule();
  });
  await step('remembered JSON texts', () => {
    // A shallow copy is a new object with no remembered text; the old one (and its text) goes.
    for (const c of state.cases.values()) state.cases.restoreReplace({ ...c });
  });
  await step('cases (objects, collection entries, index buckets)', () => {
    (state as { cases: unknown }).cases = new Collection();
  });
  for (const [label, bytes] of rows) console.log(`  ${label.padEnd(52)} ${fmt(bytes).padStart(7)} bytes/case`);
}

async function hooksRun(engine: MockEngine, perCase: number, receiverUrl: string): Promise<void> {
  const key = 'sk_test_memprof_hooks';
  await inject(engine, 'POST', '/v1/webhook_endpoints', key, endpointFor(receiverUrl));
  const { dispatcher } = engine.sandbox;
  await dispatcher.idle();
  const before = await settle();
  // Let the deliveries drain now and then, so the heap holds logs rather than a queue.
  const cpu = await createCases(engine, key, HOOKS, async (i) => {
    if (i % 200 === 199) await dispatcher.idle();
  });
  await dispatcher.idle();
  const after = await settle();
  const state = casapayAccount(engine.sandbox.store.peek(key)!);
  let deliveries = 0;
  let succeeded = 0;
  for (const event of state.events.values())
    for (const delivery of dispatcher.deliveries(event.id)) {
      deliveries++;
      if (delivery.status === 'succeeded') succeeded++;
    }
  const growth = after - before;
  console.log(
    `webhooks: ${fmt(HOOKS)} cases, ${fmt(deliveries)} delivery-log entries (${fmt(succeeded)} succeeded): ` +
      `heap +${fmt(growth / 1048576, 1)} MB, ${fmt(growth / HOOKS)} bytes per case with its deliveries, ` +
      `${fmt((growth - perCase * HOOKS) / deliveries)} bytes per delivery-log entry, ${fmt(cpu, 1)} µs CPU per create`,
  );
  if (BREAKDOWN) {
    const retained = (await settle()) as number;
    dispatcher.forgetOwner(key);
    const withoutLogs = await settle();
    console.log(`  delivery logs alone (forgetOwner): ${fmt((retained - withoutLogs) / deliveries)} bytes per entry`);
  }
}

/** Debitura's create: the Customer API contract's own example of a case that becomes active. */
const DEBITURA_CASE = JSON.stringify(
  JSON.parse(readFileSync(new URL('../generated/debitura-customer.json', import.meta.url), 'utf8')).paths['/cases'].post
    .requestBody.content['application/json'].examples.active.value,
);

async function debituraRun(engine: MockEngine): Promise<void> {
  const create = async (key: string) => {
    const answer = await engine.app.inject({
      method: 'POST',
      url: '/debitura/customer/cases',
      headers: { XApiKey: key, 'content-type': 'application/json' },
      payload: DEBITURA_CASE,
    });
    if (answer.statusCode >= 300) throw new Error(`debitura create: ${answer.statusCode} ${answer.body}`);
  };
  for (let i = 0; i < 200; i++) await create('memprof_debitura_warm');
  await create('memprof_debitura');
  const before = await settle();
  const cpu = process.cpuUsage();
  for (let i = 0; i < DEBITURA; i++) await create('memprof_debitura');
  const used = process.cpuUsage(cpu);
  const after = await settle();
  console.log(
    `debitura: ${fmt(DEBITURA)} cases: ${fmt((after - before) / DEBITURA)} bytes per case, ` +
      `${fmt((used.user + used.system) / DEBITURA, 1)} µs CPU per create`,
  );
}

interface HeapSnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/**
 * Self size summed per label over a heap snapshot. An object is labelled by its own property names (its
 * shape, e.g. `{id,object,reference,…}`); anything else (a string, an array's backing store, a hash table)
 * by its type and the first object that points at it, with the edge's name: `string ← {date,type,title,…}.description`.
 */
function selfSizes(file: string): Map<string, { count: number; bytes: number }> {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshotJson;
  const {
    node_fields: fields,
    node_types: nodeTypes,
    edge_fields: edgeFields,
    edge_types: edgeTypes,
  } = snapshot.snapshot.meta;
  const width = fields.length;
  const edgeWidth = edgeFields.length;
  const [typeAt, nameAt, sizeAt, edgeCountAt] = ['type', 'name', 'self_size', 'edge_count'].map((f) =>
    fields.indexOf(f),
  ) as [number, number, number, number];
  const [edgeTypeAt, edgeNameAt, edgeToAt] = ['type', 'name_or_index', 'to_node'].map((f) => edgeFields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const types = nodeTypes[0];
  const kinds = edgeTypes[0];
  const { nodes, edges, strings } = snapshot;
  const count = nodes.length / width;
  const firstEdge = new Uint32Array(count + 1);
  for (let n = 0, e = 0; n < count; n++) {
    firstEdge[n] = e;
    e += nodes[n * width + edgeCountAt]! * edgeWidth;
  }
  firstEdge[count] = edges.length;
  const shapeOf = (n: number): string | undefined => {
    if (types[nodes[n * width + typeAt]!] !== 'object') return undefined;
    const name = strings[nodes[n * width + nameAt]!]!;
    if (name !== 'Object') return name;
    const props: string[] = [];
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e += edgeWidth)
      if (kinds[edges[e + edgeTypeAt]!] === 'property') props.push(strings[edges[e + edgeNameAt]!]!);
    return `{${props.slice(0, 4).join(',')}${props.length > 4 ? ',…' : ''}}`;
  };
  // The first object retaining each non-object node, and by which edge.
  const retainer = new Int32Array(count).fill(-1);
  const retainerEdge: string[] = new Array(count);
  for (let n = 0; n < count; n++) {
    if (types[nodes[n * width + typeAt]!] !== 'object') continue;
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e += edgeWidth) {
      const to = edges[e + edgeToAt]! / width;
      if (retainer[to] !== -1 || types[nodes[to * width + typeAt]!] === 'object') continue;
      retainer[to] = n;
      const kind = kinds[edges[e + edgeTypeAt]!];
      retainerEdge[to] =
        kind === 'element' || kind === 'hidden' ? `[${kind}]` : String(strings[edges[e + edgeNameAt]!]);
    }
  }
  const out = new Map<string, { count: number; bytes: number }>();
  for (let n = 0; n < count; n++) {
    const type = types[nodes[n * width + typeAt]!]!;
    let label = shapeOf(n);
    if (label === undefined) {
      const by = retainer[n]!;
      label = by === -1 ? type : `${type} ← ${shapeOf(by)}.${retainerEdge[n]}`;
    }
    const entry = out.get(label) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += nodes[n * width + sizeAt]!;
    out.set(label, entry);
  }
  return out;
}

async function typesRun(engine: MockEngine, receiverUrl: string): Promise<void> {
  const key = 'sk_test_memprof_types';
  if (flag('--types-hooks')) await inject(engine, 'POST', '/v1/webhook_endpoints', key, endpointFor(receiverUrl));
  else await inject(engine, 'GET', '/v1/collection_cases?limit=1', key);
  await engine.sandbox.dispatcher.idle();
  // Both snapshots are written before either is read, so reading them does not show in the second.
  const dir = mkdtempSync(join(tmpdir(), 'memory-profile-'));
  await settle();
  const beforeFile = v8.writeHeapSnapshot(join(dir, 'before.heapsnapshot'));
  await createCases(engine, key, TYPES, async (i) => {
    if (i % 200 === 199) await engine.sandbox.dispatcher.idle();
  });
  await engine.sandbox.dispatcher.idle();
  await settle();
  const afterFile = v8.writeHeapSnapshot(join(dir, 'after.heapsnapshot'));
  const before = selfSizes(beforeFile);
  const after = selfSizes(afterFile);
  rmSync(dir, { recursive: true, force: true });
  const rows = [...after]
    .map(([label, { count, bytes }]) => {
      const was = before.get(label) ?? { count: 0, bytes: 0 };
      return { label, count: (count - was.count) / TYPES, bytes: (bytes - was.bytes) / TYPES };
    })
    .filter((row) => Math.abs(row.bytes) >= 3)
    .sort((a, b) => b.bytes - a.bytes);
  console.log(`heap snapshot growth per case over ${fmt(TYPES)} cases (self sizes; node type and constructor):`);
  let total = 0;
  for (const row of rows) {
    total += row.bytes;
    console.log(
      `  ${row.label.slice(0, 90).padEnd(90)} ${fmt(row.count, 2).padStart(7)} nodes ${fmt(row.bytes).padStart(6)} B`,
    );
  }
  console.log(`  ${'total'.padEnd(90)} ${''.padStart(13)} ${fmt(total).padStart(6)} B`);
}

const engine = await createMockEngine({ logLevel: 'silent', seed: 'memory-profile' });
const receiver = await startReceiver();
try {
  await warmUp(engine, receiver.url);
  if (TYPES) await typesRun(engine, receiver.url);
  else {
    const perCase = await casesRun(engine);
    if (HOOKS) await hooksRun(engine, perCase, receiver.url);
    if (DEBITURA) await debituraRun(engine);
  }
  console.log(`node ${process.version}; heap used at the end ${fmt((await settle()) / 1048576, 1)} MB`);
} finally {
  receiver.close();
  await engine.close();
}

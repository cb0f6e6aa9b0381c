// `--record <file.yaml>`: the session written as a scenario in the mock's own format
// (mocks/apis/common/scenario-format.ts, CasaPay's steps in mocks/apis/casapay/scenarios/), so the same
// file seeds a mock account and replays against any implementation (replay.ts). What makes a recording
// replayable rather than a transcript:
// - an id or reference an earlier answer produced becomes a reference to that step (`${collection_case_1.id}`),
//   in the path, the query and the body; the step that produced it gets `as:`;
// - times become offsets: the pause before a step is `after:`, and a Unix time in a body within 30 days of
//   the request becomes `${now+86400}`;
// - noisy fields are normalised: Idempotency-Keys become `${run}-1` (fresh on every replay, equal where
//   they were equal), answers keep their shape with ids, request ids and times replaced by placeholders;
// - credentials never: no Authorization, XApiKey or secret is written (redact.ts scrubs the file too).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { CapturedExchange, CheckedExchange, ProxyApi } from './exchange-check.js';
import type { Redactor } from './redact.js';

/** A recorded step (the scenario format's request step, with the fields a recording adds). */
export interface RecordedStep {
  request: string;
  as?: string;
  after?: number;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  anonymous?: boolean;
  body?: unknown;
  file?: { name: string; content: string };
  expect: number;
  response?: unknown;
}

export interface Recording {
  name: string;
  description: string;
  steps: RecordedStep[];
}

/** Headers a step keeps: what changes the answer and is no credential. */
const KEPT_HEADERS = ['idempotency-key', 'prefer'];
const SECRET_KEY = /secret|token|password|api_?key|authorization/i;
/** An id (`dc_a1b2c3d4`: a prefix, then letters with a digit or a capital — not `needs_details`) or a uuid. */
const ID =
  /^(?:[a-z]{2,12}_(?=[A-Za-z0-9_]*[0-9A-Z])[A-Za-z0-9_]{4,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
/** An id, or the value of a field that names an object (`reference: Q8OAXF3W`, `caseId`, `externalTenantId`). */
const isIdLike = (value: string, key: string): boolean =>
  ID.test(value) || (/^(reference|.*_reference|.*Id|.*_id)$/.test(key) && /^[\w-]{6,}$/.test(value));
const TIME_KEY = /^(created|updated|date|time|timestamp|.*_(at|time|date)|frozen_time|expires?)$/i;
const THIRTY_DAYS = 30 * 86_400;
/** Items of a list kept in a recorded answer: enough for its shape. */
const LIST_ITEMS = 3;

interface Pending {
  exchange: CapturedExchange;
  form?: Promise<{ fields: Record<string, string>; file?: { name: string; content: string } } | undefined>;
}

const parse = (buffer: Buffer | null): unknown => {
  if (!buffer || !buffer.length) return undefined;
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch {
    return undefined;
  }
};

async function readForm(exchange: CapturedExchange) {
  if (!exchange.requestBody) return undefined;
  const form = await new Response(new Uint8Array(exchange.requestBody), {
    headers: { 'content-type': exchange.requestHeaders['content-type']! },
  }).formData();
  const fields: Record<string, string> = {};
  let file: { name: string; content: string } | undefined;
  for (const [name, value] of form) {
    if (typeof value === 'string') fields[name] = value;
    else file = { name: value.name, content: Buffer.from(await value.arrayBuffer()).toString('utf8') };
  }
  return { fields, file };
}

export interface RecorderOptions {
  api: ProxyApi;
  file: string;
  targetUrl: string;
  redactor: Redactor;
  /** Steps kept; later exchanges are counted, not recorded (README: "Bounds"). */
  maxSteps: number;
}

export class SessionRecorder {
  private readonly pending: Pending[] = [];
  dropped = 0;
  skipped = 0;

  constructor(private readonly options: RecorderOptions) {}

  add(exchange: CapturedExchange, checked: CheckedExchange): void {
    if (!checked.operationId || exchange.status === null) {
      this.skipped++;
      return;
    }
    if (this.pending.length >= this.options.maxSteps) {
      this.dropped++;
      return;
    }
    const multipart = /^multipart\/form-data/i.test(exchange.requestHeaders['content-type'] ?? '');
    this.pending.push({ exchange, ...(multipart ? { form: readForm(exchange).catch(() => undefined) } : {}) });
  }

  get steps(): number {
    return this.pending.length;
  }

  /** The recording, in arrival order. */
  async build(): Promise<Recording> {
    const ordered = [...this.pending].sort((a, b) => a.exchange.seq - b.exchange.seq);
    // value → `${step.path}`, from the answers seen so far.
    const refs = new Map<string, string>();
    const used = new Set<number>();
    const names: string[] = [];
    const idemKeys = new Map<string, string>();
    const steps: RecordedStep[] = [];
    let previousMs: number | undefined;
    for (const [index, { exchange, form }] of ordered.entries()) {
      const nowSec = Math.round(exchange.startedMs / 1000);
      const answer = parse(exchange.responseBody);
      const kind =
        answer && typeof answer === 'object' && typeof (answer as { object?: unknown }).object === 'string'
          ? (answer as { object: string }).object.replace(/[^a-z0-9_]/g, '_')
          : 'step';
      names.push(`${/^[a-z_]/.test(kind) ? kind : 'step'}_${index + 1}`);
      const ref = (value: string): string | undefined => {
        const expression = refs.get(value);
        if (expression) used.add(Number(/^(\d+):/.exec(expression)![1]));
        return expression?.replace(/^(\d+):/, (_m, i: string) => `${names[Number(i)]!}.`);
      };
      const rewrite = (value: unknown, key = ''): unknown => {
        if (typeof value === 'string') {
          if (SECRET_KEY.test(key)) return '[redacted]';
          const expression = ref(value);
          return expression ? `\${${expression}}` : value;
        }
        if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value - nowSec) <= THIRTY_DAYS) {
          const offset = value - nowSec;
          return offset === 0 ? '${now}' : `\${now${offset > 0 ? '+' : '-'}${Math.abs(offset)}}`;
        }
        if (Array.isArray(value)) return value.map((v) => rewrite(v, key));
        if (value && typeof value === 'object')
          return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, k)]));
        return value;
      };
      const url = new URL(exchange.url, 'http://recording.invalid');
      const requestPath = url.pathname
        .split('/')
        .map((segment) => {
          const expression = segment ? ref(decodeURIComponent(segment)) : undefined;
          return expression ? `\${${expression}}` : segment;
        })
        .join('/');
      const step: RecordedStep = {
        request: `${exchange.method.toUpperCase()} ${requestPath}`,
        expect: exchange.status!,
      };
      if (previousMs !== undefined) {
        const after = Math.round((exchange.startedMs - previousMs) / 1000);
        if (after > 0) step.after = after;
      }
      previousMs = exchange.startedMs;
      if (url.search) {
        const query: Record<string, string | string[]> = {};
        for (const [name, value] of url.searchParams) {
          const v = rewrite(value, name) as string;
          const existing = query[name];
          query[name] = existing === undefined ? v : [...(Array.isArray(existing) ? existing : [existing]), v];
        }
        step.query = query;
      }
      const headers: Record<string, string> = {};
      for (const name of KEPT_HEADERS) {
        const value = exchange.requestHeaders[name];
        if (value === undefined) continue;
        if (name === 'idempotency-key') {
          if (!idemKeys.has(value)) idemKeys.set(value, `\${run}-${idemKeys.size + 1}`);
          headers['Idempotency-Key'] = idemKeys.get(value)!;
        } else headers[name.replace(/(^|-)[a-z]/g, (c) => c.toUpperCase())] = value;
      }
      if (Object.keys(headers).length) step.headers = headers;
      if (!exchange.requestHeaders.authorization && !exchange.requestHeaders.xapikey) step.anonymous = true;
      if (form) {
        const read = await form;
        if (read) {
          if (Object.keys(read.fields).length) step.body = rewrite(read.fields);
          if (read.file) step.file = read.file;
        }
      } else {
        const body = parse(exchange.requestBody);
        if (body !== undefined) step.body = rewrite(body);
      }
      if (answer !== undefined) step.response = normalise(answer);
      steps.push(step);
      // What this answer produced, for the steps after it (never a credential).
      if (exchange.status! < 300 && answer && typeof answer === 'object') collectRefs(answer, index, refs);
    }
    steps.forEach((step, index) => {
      if (used.has(index)) step.as = names[index]!;
    });
    const origin = new URL(this.options.targetUrl).origin;
    return {
      name:
        path
          .basename(this.options.file)
          .replace(/\.ya?ml$/i, '')
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, '-') || 'recording',
      description: `Recorded by casapay-conformance proxy (--api ${this.options.api}) in front of ${origin}: ${steps.length} exchange(s)${this.dropped ? `, ${this.dropped} more not recorded (--max-recorded-steps)` : ''}.`,
      steps,
    };
  }

  /** Writes the recording (scrubbed of every secret the session saw); resolves with the path. */
  async write(): Promise<string> {
    const recording = await this.build();
    // Step fields in the order a reader expects; `request` first.
    const ordered = {
      name: recording.name,
      description: recording.description,
      steps: recording.steps.map((s) => {
        const { request, as, after, query, headers, anonymous, body, file, expect, response } = s;
        return Object.fromEntries(
          Object.entries({ after, request, as, anonymous, query, headers, body, file, expect, response }).filter(
            ([, v]) => v !== undefined,
          ),
        );
      }),
    };
    const text = this.options.redactor.text(stringify(ordered, { lineWidth: 0 }));
    const file = path.resolve(this.options.file);
    await writeFile(file, `# ${RECORDING_HEADER}\n${text}`);
    return file;
  }
}

export const RECORDING_HEADER =
  'Recorded by `casapay-conformance proxy --record`. Replay: `casapay-conformance proxy --replay <this file> --target <URL> --api-key <key>`.';

/** Ids, references and uuids anywhere in an answer → the expression that reads them from step `index`. */
function collectRefs(answer: unknown, index: number, refs: Map<string, string>): void {
  const visit = (node: unknown, expression: string, key: string, depth: number) => {
    if (depth > 6) return;
    if (typeof node === 'string') {
      if (!SECRET_KEY.test(key) && isIdLike(node, key) && !refs.has(node)) refs.set(node, `${index}:${expression}`);
      return;
    }
    if (Array.isArray(node))
      node.slice(0, 100).forEach((item, i) => visit(item, `${expression}[${i}]`, key, depth + 1));
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node))
        if (/^[A-Za-z_]\w*$/.test(k)) visit(v, expression ? `${expression}.${k}` : k, k, depth + 1);
  };
  // Shallow paths first: `id` before `data[0].id`, so the object's own id names it.
  const top = answer as Record<string, unknown>;
  for (const [k, v] of Object.entries(top)) if (typeof v === 'string') visit(v, k, k, 1);
  visit(answer, '', '', 0);
}

/** An answer as the recording keeps it: its shape, with ids, request ids and times as placeholders. */
export function normalise(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key)) return '[redacted]';
    if (/^req_/.test(value)) return '<request-id>';
    if (isIdLike(value, key)) {
      const prefix = /^([a-z]{2,12})_/.exec(value)?.[1];
      return prefix ? `<id:${prefix}>` : '<id>';
    }
    return value;
  }
  if (typeof value === 'number' && TIME_KEY.test(key)) return 0;
  if (Array.isArray(value)) return value.slice(0, LIST_ITEMS).map((v) => normalise(v, key));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, k)]));
  return value;
}

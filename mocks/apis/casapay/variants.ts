// Benign variants, off by default (`--variant NAME`). Each one changes the mock in a way the contract
// and the webhook guarantees allow — another id format, reworded errors, duplicated or late deliveries,
// only the required fields — so the conformance suite can prove it does not fail a correct
// implementation (a test asserts it PASSes each one). Like the defects, every variant is a named
// transformation at an edge: id minting, the Request-Id generator, Fastify hooks on the way in and
// out, the delivery's send and its signed request, or a handler wrapper. Nothing here is consulted
// on the request path when no variant is on: server.ts installs only the hooks of the variants asked for.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { Contract } from '../../../kit/contract.js';
import type { EventType, Handler } from './handlers/context.js';
import type { IdMinter } from '../../engine/state/ids.js';
import type { DeliveryTarget, OutgoingRequest } from '../../engine/webhooks/dispatcher.js';
import { SIGNATURE_HEADER } from './event-log.js';
import { signatureHeader } from '../../../kit/webhook-signature.js';
import { namesOf } from '../../engine/choices.js';

export const VARIANTS = {
  'duplicate-deliveries': 'every webhook is delivered twice (same event id); receivers deduplicate by id',
  'delayed-deliveries': 'each webhook delivery waits up to 1 s before it is sent',
  'interleaved-deliveries':
    'deliveries about different objects overtake each other (order is promised per object only)',
  'extra-event':
    'each case also gets a real case_chat.created event (listed, signed, delivered) of a type no check triggers',
  'two-signatures': 'X-CasaPay-Signature carries two v1= values, one wrong and one right (as during secret rotation)',
  'reformatted-ids':
    'ids of other lengths with underscores (dc_v_…_…), references of digits first, secrets with . and -',
  'reworded-errors': 'error messages in other words (type, code and param unchanged)',
  'extra-headers': 'extra response headers (Cache-Control, X-Casapay-Trace, Server-Timing)',
  'request-id-format': 'Request-Id as req-<uuid> instead of req_…',
  latency: 'every /v1 request takes 50–150 ms',
  'connection-close': '`Connection: close` on every response',
  'minimal-objects': 'responses and webhook payloads carry only the fields the contract requires',
  'extra-fields': 'responses carry a field the contract does not name (`x_trace`), as a newer API version might',
} as const;

export type VariantName = keyof typeof VARIANTS;
export type Variants = ReadonlySet<VariantName>;

/** Validates variant names from the command line or options. */
export function parseVariants(names: readonly string[] = []): Variants {
  return namesOf(VARIANTS, names, 'variant');
}

/** How a webhook request is sent; the dispatcher's default is `fetch`. */
export type Send = (url: string, init: RequestInit) => Promise<Response>;
/** The last look at a signed CasaPay delivery (see event-log.ts): the target's address and secret, the body, the headers. */
export type Mutate = (
  target: Pick<DeliveryTarget, 'endpointId' | 'url' | 'secret'>,
  body: string,
  headers: Record<string, string>,
  signedAt: number,
) => OutgoingRequest | void;

/** The edges a set of variants bends; each is undefined when no chosen variant touches it. */
export interface VariantHooks {
  ids?: (ids: IdMinter) => IdMinter;
  requestId?: (ids: IdMinter) => () => string;
  /** Fastify hooks (latency on the way in, headers and bodies on the way out). */
  install?: (app: FastifyInstance) => void;
  send?: (send: Send) => Send;
  mutate?: Mutate;
  handlers?: (handlers: Readonly<Record<string, Handler>>) => Readonly<Record<string, Handler>>;
}

export interface VariantDeps {
  contract: Contract;
  /** Seeded randomness (the id minter's), never Math.random. */
  random: () => number;
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Ids in another format that the contract's patterns still allow: `dc_v_Ab3_x9Kq…`, 6 to 30 characters after the prefix. */
function reformattedIds(random: () => number): (ids: IdMinter) => IdMinter {
  const draw = (alphabet: string, length: number) =>
    Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  return (ids) => ({
    ...ids,
    id: (prefix) =>
      `${prefix}_v_${draw(ALNUM, 2 + Math.floor(random() * 10))}_${draw(ALNUM, 4 + Math.floor(random() * 16))}`,
    // Still 8 of [A-Z0-9] (the contract's pattern), but digits first where the mock usually mixes.
    reference: () => `${draw('0123456789', 4)}${draw('ZYXWVUTSRQ', 4)}`,
    secret: (prefix) => `${prefix}_${draw(ALNUM, 20)}.${draw(ALNUM, 6)}-${draw(ALNUM, 4)}`,
  });
}

/** Another wording of each message, keeping what a client may branch on (type, code, param). */
function reword(message: string): string {
  return `[reworded] ${message.split(' ').reverse().join(' ')}`;
}

/** Drops every property the schema does not require, recursively; objects that name their kind use that kind's schema. */
function minimalPruner(contract: Contract): (value: unknown, schema?: unknown) => unknown {
  const doc = contract.document;
  const resolve = (schema: any): any => {
    let s = schema;
    while (s && typeof s.$ref === 'string')
      s = s.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce((n: any, k: string) => n?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    return s;
  };
  const byKind = new Map<string, any>();
  for (const schema of Object.values<any>(doc.components?.schemas ?? {})) {
    const kind = schema?.properties?.object?.const;
    // Deletion receipts (`DeletedWebhookEndpoint`) share the kind; the object itself is the one without `deleted`.
    if (typeof kind === 'string' && !schema.properties.deleted) byKind.set(kind, schema);
  }
  byKind.set('list', {
    required: ['object', 'data', 'has_more', 'url'],
    properties: { data: { type: 'array', items: {} } },
  });
  /** allOf members merged into one required list and one property map (the create-endpoint response). */
  const flatten = (schema: any): any => {
    if (!schema?.allOf) return schema;
    const members = schema.allOf.map((m: any) => flatten(resolve(m)));
    return {
      required: members.flatMap((m: any) => m?.required ?? []),
      properties: Object.assign({}, ...members.map((m: any) => m?.properties ?? {})),
    };
  };
  const prune = (value: unknown, schemaIn: any, top = false): unknown => {
    if (Array.isArray(value)) {
      const items = resolve(schemaIn)?.items;
      return value.map((v) => prune(v, items));
    }
    if (!value || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    let schema = flatten(resolve(schemaIn));
    // Below the top (where the operation's own response schema rules), a kind the contract knows wins
    // (events' data.object, list items); branches of oneOf pick the object one.
    if (!(top && schema) && typeof object.object === 'string' && byKind.has(object.object) && object.deleted !== true)
      schema = byKind.get(object.object);
    else if (schema?.oneOf || schema?.anyOf)
      schema = resolve((schema.oneOf ?? schema.anyOf).find((b: any) => resolve(b)?.type !== 'null'));
    if (!schema?.properties && !schema?.required) return value;
    const out: Record<string, unknown> = {};
    for (const key of schema.required ?? []) if (key in object) out[key] = prune(object[key], schema.properties?.[key]);
    return out;
  };
  return (value, schema) => prune(value, schema, true);
}

/**
 * The hooks for a set of variants.
 * @example variantHooks(parseVariants(['latency']), { contract, random }).install // adds an onRequest delay
 */
export function variantHooks(variants: Variants, deps: VariantDeps): VariantHooks {
  if (variants.size === 0) return {};
  const { random } = deps;
  const on = (name: VariantName) => variants.has(name);
  const hooks: VariantHooks = {};

  if (on('reformatted-ids')) hooks.ids = reformattedIds(random);
  if (on('request-id-format')) {
    hooks.requestId = (ids) => () => {
      const hex = Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(ids.fraction() * 16)]).join('');
      return `req-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    };
  }

  const prune = on('minimal-objects') ? minimalPruner(deps.contract) : undefined;
  if (
    on('latency') ||
    on('extra-headers') ||
    on('connection-close') ||
    on('reworded-errors') ||
    on('extra-fields') ||
    prune
  ) {
    hooks.install = (app) => {
      const isApi = (url: string) => url.startsWith('/v1/');
      if (on('latency')) {
        app.addHook('onRequest', async (request) => {
          if (isApi(request.url)) await sleep(50 + Math.floor(random() * 101), undefined, { ref: false });
        });
      }
      app.addHook('onSend', async (request, reply, payload) => {
        if (on('extra-headers'))
          reply
            .header('Cache-Control', 'no-store')
            .header('X-Casapay-Trace', `trace-${Math.floor(random() * 1e9)}`)
            .header('Server-Timing', 'app;dur=1');
        // Closed after the answer — unless the request's body is still arriving (an answer sent before the
        // body was read): closing then would reset the connection under the client's upload, which a server
        // that closes connections avoids by reading the rest first (RFC 9112 §9.6); Node does, on a kept one.
        if (on('connection-close') && request.raw.complete) reply.header('Connection', 'close');
        if (
          !isApi(request.url) ||
          typeof payload !== 'string' ||
          !/json/.test(String(reply.getHeader('content-type') ?? ''))
        )
          return payload;
        const status = reply.statusCode;
        if (on('reworded-errors') && status >= 400) {
          const body = JSON.parse(payload) as { error?: { message?: string } };
          if (body.error && typeof body.error.message === 'string') body.error.message = reword(body.error.message);
          return JSON.stringify(body);
        }
        if (on('extra-fields') && status < 300) {
          const body = JSON.parse(payload) as Record<string, unknown> & { data?: unknown };
          const mark = (o: unknown) =>
            o && typeof o === 'object' && !Array.isArray(o) && Object.assign(o, { x_trace: 'tr_1' });
          if (body.object === 'list' && Array.isArray(body.data)) body.data.forEach(mark);
          else mark(body);
          return JSON.stringify(body);
        }
        if (prune && status < 300) {
          const operation = deps.contract.match(request.method, request.url.split('?')[0]!);
          const pointer = operation && operation.responses[String(status)];
          const schema = pointer
            ? pointer
                .replace(/^#\//, '')
                .split('/')
                .reduce((n: any, k) => n?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], deps.contract.document)
            : undefined;
          return JSON.stringify(prune(JSON.parse(payload), schema));
        }
        return payload;
      });
    };
  }

  if (on('duplicate-deliveries') || on('delayed-deliveries') || on('interleaved-deliveries')) {
    hooks.send = (send) => async (url, init) => {
      const signal = init.signal ?? undefined;
      if (on('delayed-deliveries')) await sleep(Math.floor(random() * 1000), undefined, { signal, ref: false });
      // Small random waits per delivery let events about other objects overtake; a lane (one object) still waits for its head.
      if (on('interleaved-deliveries')) await sleep(Math.floor(random() * 200), undefined, { signal, ref: false });
      const response = await send(url, init);
      if (on('duplicate-deliveries')) {
        await response.body?.cancel().catch(() => undefined);
        await send(url, init).then(
          (again) => again.body?.cancel(),
          () => undefined,
        );
      }
      return response;
    };
  }

  if (on('two-signatures') || prune) {
    hooks.mutate = (target, body, headers, signedAt) => {
      const outBody = prune ? JSON.stringify(prune(JSON.parse(body))) : body;
      const good = signatureHeader(outBody, target.secret, signedAt);
      if (!on('two-signatures')) return { body: outBody, headers: { ...headers, [SIGNATURE_HEADER]: good } };
      const wrong = signatureHeader(outBody, `${target.secret}_rotated_out`, signedAt).split(',v1=')[1];
      // The stale value first: a receiver must accept any v1 that verifies.
      return {
        body: outBody,
        headers: { ...headers, [SIGNATURE_HEADER]: `t=${signedAt},v1=${wrong},${good.split(',')[1]}` },
      };
    };
  }

  if (on('extra-event')) {
    hooks.handlers = (handlers) => ({
      ...handlers,
      createCollectionCase: async (ctx) => {
        const result = await handlers.createCollectionCase!(ctx);
        const kase = result.body as { id?: string; created?: number };
        if (result.status === 201 && kase.id) {
          // A real event of a type this contract does not list (CasaPay documents it for case chats).
          ctx.emit(
            'case_chat.created' as EventType,
            {
              id: ctx.ids.id('chat'),
              object: 'case_chat',
              case: kase.id,
              message: 'The partner opened a chat about the case.',
              created: ctx.now(),
            } as never,
          );
        }
        return result;
      },
    });
  }
  return hooks;
}

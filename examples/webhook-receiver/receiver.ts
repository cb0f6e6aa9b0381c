// A CasaPay webhook receiver to copy (Fastify). What it gets right, and `casapay-conformance receiver`
// checks: it verifies X-CasaPay-Signature over the raw bytes (never a re-serialized object) with the
// kit's verifySignature (any one v1 during a rotation, t within 300 s: old deliveries and replays are
// refused); it answers 2xx at once and does the work afterwards; it applies each event id once (a
// retried delivery is answered 2xx and not applied again); and it answers 2xx to event types and
// fields it does not know. Run it: CASAPAY_WEBHOOK_SECRET=whsec_… npx tsx examples/webhook-receiver/receiver.ts
import Fastify, { type FastifyInstance } from 'fastify';
import { pathToFileURL } from 'node:url';
import { verifySignature, WebhookSignatureError } from 'casapay-contract-kit/webhooks';

/** The fields every CasaPay event has (see the contract's `Event`); the rest depends on `type`. */
export interface CasaPayEvent {
  id: string;
  type: string;
  created: number;
  data: { object: { id: string; [field: string]: unknown }; [field: string]: unknown };
  [field: string]: unknown;
}

export interface ReceiverOptions {
  /** The endpoint's whsec_… secret (shown once, when the endpoint was created). */
  secret: string;
  /** Your work for one event; runs after the 2xx, once per event id. Ignore types you do not handle. */
  handle(event: CasaPayEvent): Promise<void> | void;
  /**
   * How many event ids are remembered to drop duplicates (default 10 000, oldest forgotten first).
   * In production, make the event id a unique key where you store the work instead.
   */
  rememberIds?: number;
  /** Test only: GET /effects answers {"applied": [event ids]} for `casapay-conformance receiver --effects-url`. */
  exposeEffects?: boolean;
}

/**
 * The receiver as a Fastify app (not listening): POST /webhooks/casapay.
 * @example const app = buildReceiver({ secret, handle: (event) => console.log(event.type) }); await app.listen({ port: 3000 });
 */
export function buildReceiver(options: ReceiverOptions): FastifyInstance {
  const app = Fastify({ bodyLimit: 1024 * 1024 });
  // Keep JSON bodies as raw bytes: the signature covers exactly what was sent.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  const cap = options.rememberIds ?? 10_000;
  const seen = new Set<string>();
  const applied: string[] = [];

  app.post('/webhooks/casapay', async (request, reply) => {
    const raw = request.body as Buffer;
    try {
      verifySignature(raw, request.headers['x-casapay-signature'] as string, options.secret);
    } catch (error) {
      if (error instanceof WebhookSignatureError) return reply.code(400).send({ error: error.reason });
      throw error;
    }
    let event: CasaPayEvent;
    try {
      event = JSON.parse(raw.toString('utf8')) as CasaPayEvent;
    } catch {
      return reply.code(400).send({ error: 'body_invalid_json' });
    }
    // A retry of an event already taken: acknowledge it, do nothing.
    if (seen.has(event.id)) return reply.code(200).send({ received: true, duplicate: true });
    seen.add(event.id);
    if (seen.size > cap) seen.delete(seen.values().next().value!);
    // Answer first; the work runs after the response (use a durable queue in production).
    reply.code(200).send({ received: true });
    setImmediate(() => {
      Promise.resolve(options.handle(event)).then(
        () => options.exposeEffects && applied.push(event.id),
        (error: unknown) => app.log.error({ err: error, event: event.id }, 'webhook work failed'),
      );
    });
    return reply;
  });

  if (options.exposeEffects) {
    // #region readme:effects-fastify
    app.get('/effects', async () => ({ applied })); // one entry per event applied, in order
    // #endregion
  }
  return app;
}

// Started directly: listen on PORT (default 3000) with the secret from CASAPAY_WEBHOOK_SECRET.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.CASAPAY_WEBHOOK_SECRET;
  if (!secret) throw new Error("Set CASAPAY_WEBHOOK_SECRET to the endpoint's whsec_… secret.");
  const app = buildReceiver({
    secret,
    handle: (event) => console.log(`${event.type} ${event.data.object.id}`),
    exposeEffects: process.env.EXPOSE_EFFECTS === '1',
  });
  await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
  console.log(`listening on http://127.0.0.1:${Number(process.env.PORT ?? 3000)}/webhooks/casapay`);
}

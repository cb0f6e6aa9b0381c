// The receiver checks, in the order they run: each sends real, signed deliveries and says what a
// correct receiver answers. The effects checks come last: they read what the receiver applied of
// everything sent before. Every title is named by a rule in conformance/rules.ts (RULES.md).
import { changeOneByte, unusualJson, type EventBody } from './payloads.js';
import { CheckFailed, CheckSkipped, is2xx, type ReceiverSession } from './session.js';
import { realNowSeconds } from '../support/runtime.js';

export const RECEIVER_CAPABILITIES = {
  delivery: 'A valid, signed delivery is answered 2xx within the latency budget (--max-latency-ms).',
  signature:
    'Deliveries without a valid signature over the raw bytes, within the timestamp tolerance, are refused; rotation (two v1) and unusual JSON spacing are accepted.',
  compatibility:
    "Additive changes and the sender's freedoms are answered 2xx: unknown event types and fields, events out of order, concurrent deliveries, a retried delivery.",
  effects:
    'What the receiver applied (--effects-url or --observe-mock): each accepted event once, a duplicate once, nothing it refused.',
} as const;
export type ReceiverCapability = keyof typeof RECEIVER_CAPABILITIES;

export interface ReceiverCheck {
  capability: ReceiverCapability;
  /** The rule id in conformance/rules.ts. */
  rule: string;
  title: string;
  run(session: ReceiverSession): Promise<void>;
}

const fresh = (s: ReceiverSession, type?: string, objectId?: string) =>
  s.events.event(type ?? s.events.lifecycle[0], objectId);

/** A one-byte change that keeps the body valid JSON and the event's and object's ids (so a wrongly applied change is still seen as this event). */
function tampered(s: ReceiverSession, event: EventBody, body: string): string {
  for (let from = Math.floor(body.length / 2); from < body.length;) {
    const { text, at } = changeOneByte(body, from);
    from = at + 1;
    let parsed: EventBody;
    try {
      parsed = JSON.parse(text) as EventBody; // still valid JSON (a 9 turned 0 can make a leading zero)
    } catch {
      continue;
    }
    if (s.events.idOf(parsed) === s.events.idOf(event) && s.events.objectIdOf(parsed) === s.events.objectIdOf(event))
      return text;
  }
  throw new Error('no digit to change outside the ids');
}

export const RECEIVER_CHECKS: ReceiverCheck[] = [
  {
    capability: 'delivery',
    rule: 'receiver.accepts-valid',
    title: 'accepts a valid delivery with a 2xx within the latency budget',
    async run(s) {
      const event = fresh(s);
      const sent = await s.mustAccept(s.signed(event), 'a valid delivery');
      s.expected.push(event);
      s.firstAccepted = event;
      if (sent.latencyMs > s.target.maxLatencyMs) {
        throw new CheckFailed(
          `the 2xx took ${Math.round(sent.latencyMs)} ms, more than the ${s.target.maxLatencyMs} ms allowed (--max-latency-ms): answer first, then do the work (a queue, setImmediate)`,
          sent.exchange,
        );
      }
    },
  },
  {
    capability: 'signature',
    rule: 'receiver.rejects-missing-signature',
    title: 'rejects a delivery without a signature header',
    async run(s) {
      const event = fresh(s);
      const delivery = s.signed(event);
      delete delivery.headers[s.scheme.signatureHeader];
      await s.mustReject(delivery, event, `a delivery without ${s.scheme.signatureHeader}`);
    },
  },
  {
    capability: 'signature',
    rule: 'receiver.rejects-malformed-signature',
    title: 'rejects a signature header that does not parse',
    async run(s) {
      const event = fresh(s);
      const delivery = s.signed(event);
      delivery.headers[s.scheme.signatureHeader] = s.scheme.malformedSignature(realNowSeconds());
      await s.mustReject(delivery, event, `${s.scheme.signatureHeader}: ${delivery.headers[s.scheme.signatureHeader]}`);
    },
  },
  {
    capability: 'signature',
    rule: 'receiver.rejects-changed-body',
    title: 'rejects a body changed by one byte',
    async run(s) {
      const event = fresh(s);
      const body = JSON.stringify(event);
      const signedFor = s.signed(event, { body });
      await s.mustReject(
        { body: tampered(s, event, body), headers: signedFor.headers },
        event,
        'a body with one digit changed after signing',
      );
      // One byte more at the end (a space after the signed JSON): a receiver that trims or normalises
      // the body before verifying accepts it.
      const event2 = fresh(s);
      const body2 = JSON.stringify(event2);
      await s.mustReject(
        { body: `${body2} `, headers: s.signed(event2, { body: body2 }).headers },
        event2,
        'the signed body with a space appended after signing (verify the exact bytes received: no trimming or normalising)',
      );
    },
  },
  {
    capability: 'signature',
    rule: 'receiver.rejects-wrong-secret',
    title: 'rejects a signature made with another secret',
    async run(s) {
      const event = fresh(s);
      await s.mustReject(
        s.signed(event, { secret: s.scheme.randomSecret() }),
        event,
        'a signature made with an unrelated secret',
      );
      const event2 = fresh(s);
      const body = JSON.stringify(event2);
      const delivery = {
        body,
        headers: {
          'Content-Type': 'application/json',
          ...s.scheme.signWithKey(body, realNowSeconds(), s.scheme.wrongFormKey(s.target.secret), s.ref(event2)),
        },
      };
      const form =
        s.scheme.name === 'casapay'
          ? 'the secret without its whsec_ prefix'
          : "the secret's text, not its base64-decoded bytes";
      await s.mustReject(delivery, event2, `a signature made with ${form} (accept the secret in one form only)`);
    },
  },
  {
    capability: 'signature',
    rule: 'receiver.rejects-stale-timestamp',
    title: 'rejects a delivery signed 10 minutes ago',
    async run(s) {
      const event = fresh(s);
      await s.mustReject(
        s.signed(event, { t: realNowSeconds() - 600 }),
        event,
        'a correctly signed delivery whose timestamp is 600 s old (more than the 300 s tolerance)',
      );
    },
  },
  {
    capability: 'signature',
    rule: 'receiver.rejects-replay',
    title: 'rejects a replay of an old delivery',
    async run(s) {
      // The event the receiver accepted first, as a delivery of it captured 10 minutes ago would look.
      // Not `forbidden`: the event itself was rightly applied once.
      const event = s.firstAccepted ?? fresh(s);
      const sent = await s.send(s.signed(event, { t: realNowSeconds() - 600 }));
      if (sent.status === null || is2xx(sent.status)) {
        throw new CheckFailed(
          `a replay of an accepted event, signed 600 s ago, was answered ${sent.status ?? sent.error}: check the timestamp before anything else, deduplication included (a known event id is no reason to skip verification)`,
          sent.exchange,
        );
      }
    },
  },
  {
    capability: 'signature',
    rule: 'receiver.accepts-rotated-signatures',
    title: 'accepts two v1 signatures of which one is valid',
    async run(s) {
      const event = fresh(s);
      const body = JSON.stringify(event);
      const headers = {
        'Content-Type': 'application/json',
        ...s.scheme.signRotated(body, realNowSeconds(), s.target.secret, s.scheme.randomSecret(), s.ref(event)),
      };
      await s.mustAccept(
        { body, headers },
        `two signatures (the first with another secret, as during a rotation), ${s.scheme.signatureHeader}: ${headers[s.scheme.signatureHeader as keyof typeof headers]}; any one matching v1 is enough`,
      );
      s.expected.push(event);
    },
  },
  {
    capability: 'signature',
    rule: 'receiver.verifies-raw-bytes',
    title: 'accepts unusual but valid JSON signed over its raw bytes',
    async run(s) {
      const event = fresh(s);
      const body = unusualJson(event);
      await s.mustAccept(
        s.signed(event, { body }),
        'valid JSON with reversed keys, spaces and \\u escapes, signed over exactly these bytes (verify the raw body before parsing; never re-serialize)',
      );
      s.expected.push(event);
    },
  },
  {
    capability: 'compatibility',
    rule: 'receiver.accepts-unknown-event-type',
    title: 'answers 2xx to an event type it does not know',
    async run(s) {
      const event = fresh(s, s.events.unknownType);
      await s.mustAccept(
        s.signed(event),
        `an event of type ${s.events.unknownType}, which the contract does not list (new types are added without notice: acknowledge and ignore them)`,
      );
    },
  },
  {
    capability: 'compatibility',
    rule: 'receiver.accepts-unknown-fields',
    title: 'answers 2xx to unknown fields in a known event',
    async run(s) {
      const event = s.events.withUnknownFields(fresh(s));
      await s.mustAccept(
        s.signed(event),
        'a known event with fields the contract does not name (new fields are added without notice: do not validate events against a closed schema)',
      );
      s.expected.push(event);
    },
  },
  {
    capability: 'compatibility',
    rule: 'receiver.accepts-out-of-order',
    title: 'answers 2xx to events out of order',
    async run(s) {
      const [created, updated, closed] = s.events.lifecycle;
      const first = fresh(s, closed);
      const objectId = s.events.objectIdOf(first);
      for (const event of [first, fresh(s, updated, objectId), fresh(s, created, objectId)]) {
        await s.mustAccept(
          s.signed(event),
          `${s.events.typeOf(event)} after a later event about the same object (order is promised per object only, and a failed delivery can come back later)`,
        );
        s.expected.push(event);
      }
    },
  },
  {
    capability: 'compatibility',
    rule: 'receiver.accepts-concurrent',
    title: 'answers 2xx to concurrent deliveries',
    async run(s) {
      const events = Array.from({ length: s.target.concurrency }, () => fresh(s));
      const sent = await Promise.all(events.map((event) => s.send(s.signed(event))));
      const refused = sent.filter((r) => !is2xx(r.status));
      // What was answered 2xx must be applied, whatever happened to the others.
      events.forEach((event, i) => is2xx(sent[i]!.status) && s.expected.push(event));
      if (refused.length)
        throw new CheckFailed(
          `${refused.length} of ${events.length} deliveries sent at once were answered ${[...new Set(refused.map((r) => r.status ?? r.error))].join(', ')}: the sender keeps several deliveries open at once`,
          refused[0]!.exchange,
        );
    },
  },
  {
    capability: 'compatibility',
    rule: 'receiver.accepts-duplicate',
    title: 'answers 2xx to a retried delivery of an event it already has',
    async run(s) {
      const event = fresh(s);
      s.duplicate = event;
      await s.mustAccept(s.signed(event), 'the first delivery of the event');
      await s.mustAccept(
        s.signed(event, { t: realNowSeconds() + 1 }),
        'the same event again, re-signed as a retry is (a non-2xx makes the sender retry it again and again)',
      );
    },
  },
  {
    capability: 'effects',
    rule: 'receiver.duplicate-applied-once',
    title: 'applies a duplicate delivery once',
    async run(s) {
      const seen = await s.observation();
      if (!s.duplicate) throw new CheckSkipped('not observable: no duplicate was delivered (its check did not run)');
      const key = seen.keyedBy === 'event' ? s.events.idOf(s.duplicate) : s.events.objectIdOf(s.duplicate);
      const count = seen.counts.get(key) ?? 0;
      if (count !== 1)
        throw new CheckFailed(
          `event ${s.events.idOf(s.duplicate)} was delivered twice (a retry) and applied ${count} times according to ${seen.source}, expected once: deduplicate by the event id`,
        );
    },
  },
  {
    capability: 'effects',
    rule: 'receiver.each-event-applied-once',
    title: 'applies each accepted event exactly once',
    async run(s) {
      const seen = await s.observation();
      const keyOf = (e: EventBody) => (seen.keyedBy === 'event' ? s.events.idOf(e) : s.events.objectIdOf(e));
      const wanted = new Map<string, number>();
      for (const e of s.expected) wanted.set(keyOf(e), (wanted.get(keyOf(e)) ?? 0) + 1);
      const wrong = [...wanted].filter(([key, n]) => (seen.counts.get(key) ?? 0) !== n);
      if (wrong.length) {
        const [key, n] = wrong[0]!;
        const what =
          seen.keyedBy === 'event'
            ? `event ${key}`
            : `object ${key} (${n} accepted event${n === 1 ? '' : 's'} about it)`;
        throw new CheckFailed(
          `${wrong.length} of ${wanted.size} accepted events ${seen.keyedBy === 'event' ? '' : '(by object) '}were not applied exactly once according to ${seen.source}: ${what} was applied ${seen.counts.get(key) ?? 0} times, expected ${n} — a 2xx promises the work will be done, once`,
        );
      }
    },
  },
  {
    capability: 'effects',
    rule: 'receiver.rejected-not-applied',
    title: 'applies nothing it refused',
    async run(s) {
      const seen = await s.observation();
      const keyOf = (e: EventBody) => (seen.keyedBy === 'event' ? s.events.idOf(e) : s.events.objectIdOf(e));
      const applied = s.forbidden.filter((e) => (seen.counts.get(keyOf(e)) ?? 0) > 0);
      if (applied.length)
        throw new CheckFailed(
          `${applied.length} event(s) of deliveries that had to be refused were applied according to ${seen.source} (first: ${s.events.idOf(applied[0]!)}): verify before doing anything with the body`,
        );
    },
  },
];

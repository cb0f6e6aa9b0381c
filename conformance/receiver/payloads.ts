// The events the receiver kit delivers: the contract's own webhook examples (`webhooks:` of
// generated/casapay.json, or of generated/debitura-referral.json for --api debitura) with fresh ids,
// so every delivery is contract-valid and every event and object is new to the receiver. Also the
// deliberately unusual bodies: unknown event types and fields, and valid JSON spelled the way no
// serializer would (keys reversed, spaces, \u escapes) to catch parse-then-reserialize verification.
import { randomUUID } from 'node:crypto';
import { loadBundledContract, type Contract } from '../../kit/contract.js';
import { randomToken, realNowSeconds } from '../support/runtime.js';

export type ReceiverApi = 'casapay' | 'debitura';
export type EventBody = Record<string, any>;

/** What the kit needs to know about an API's events. */
export interface EventFactory {
  api: ReceiverApi;
  contract: Contract;
  /** The event types the kit sends, in lifecycle order (created, updated, closed). */
  lifecycle: readonly [string, string, string];
  /** A type the contract does not list (additive change: the receiver must answer 2xx). */
  unknownType: string;
  /** A new event of `type` about `objectId` (a fresh object when omitted), from the contract's example. */
  event(type: string, objectId?: string): EventBody;
  idOf(event: EventBody): string;
  typeOf(event: EventBody): string;
  /** The object the event is about: CasaPay's data.object.id, Debitura's data.caseId. */
  objectIdOf(event: EventBody): string;
  /** The same event with fields the contract does not name, at the top and inside the object. */
  withUnknownFields(event: EventBody): EventBody;
}

function exampleOf(contract: Contract, type: string): EventBody {
  const content = contract.document.webhooks?.[type]?.post?.requestBody?.content?.['application/json'];
  const example = content?.example ?? Object.values<{ value?: unknown }>(content?.examples ?? {})[0]?.value;
  if (!example || typeof example !== 'object') throw new Error(`the contract has no example for the webhook ${type}`);
  return structuredClone(example) as EventBody;
}

let casapayContract: Contract | undefined;
let debituraContract: Contract | undefined;

function casapayFactory(): EventFactory {
  const contract = (casapayContract ??= loadBundledContract('casapay.json'));
  const fresh = (prefix: string) => `${prefix}_${randomToken(14)}`;
  const event = (type: string, objectId = fresh('dc')): EventBody => {
    const known = contract.document.webhooks?.[type] !== undefined;
    const body = exampleOf(contract, known ? type : 'collection_case.updated');
    body.id = fresh('evt');
    body.type = type;
    body.created = realNowSeconds();
    body.data.object.id = objectId;
    return body;
  };
  return {
    api: 'casapay',
    contract,
    lifecycle: ['collection_case.created', 'collection_case.updated', 'collection_case.closed'],
    unknownType: 'collection_case.reassigned_to_partner',
    event,
    idOf: (e) => e.id,
    typeOf: (e) => e.type,
    objectIdOf: (e) => e.data.object.id,
    withUnknownFields: (e) => ({
      ...e,
      added_in_a_later_version: { note: 'receivers must ignore fields they do not know' },
      data: { ...e.data, object: { ...e.data.object, risk_band: 'b' } },
    }),
  };
}

function debituraFactory(): EventFactory {
  const contract = (debituraContract ??= loadBundledContract('debitura-referral.json'));
  const event = (type: string, objectId: string = randomUUID()): EventBody => {
    const known = contract.document.webhooks?.[type] !== undefined;
    const body = exampleOf(contract, known ? type : 'case.updated');
    body.id = randomUUID();
    body.event = type;
    body.timestamp = new Date(realNowSeconds() * 1000).toISOString().replace('.000Z', 'Z');
    body.data.caseId = objectId;
    return body;
  };
  return {
    api: 'debitura',
    contract,
    lifecycle: ['case.created', 'case.updated', 'case.closed'],
    unknownType: 'case.reassigned',
    event,
    idOf: (e) => e.id,
    typeOf: (e) => e.event,
    objectIdOf: (e) => e.data.caseId,
    withUnknownFields: (e) => ({ ...e, addedInALaterVersion: true, data: { ...e.data, riskBand: 'B' } }),
  };
}

export const eventFactory = (api: ReceiverApi): EventFactory =>
  api === 'debitura' ? debituraFactory() : casapayFactory();

/**
 * Valid JSON no serializer writes: keys in reverse order, spaces around `:` and `,`, line breaks,
 * every non-ASCII character and `/` escaped. Parsing and re-serializing it never gives these bytes.
 * @example unusualJson({ a: 1, b: 'ß' }) // '{ "b" : "\\u00df" ,\n  "a" : 1 }'
 */
export function unusualJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value !== 'string') return JSON.stringify(value);
    return `"${[...value].map((ch) => (ch === '/' ? '\\/' : ch.charCodeAt(0) > 0x7e ? [...ch].map((_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join('') : JSON.stringify(ch).slice(1, -1))).join('')}"`;
  }
  if (Array.isArray(value)) return `[ ${value.map(unusualJson).join(' , ')} ]`;
  const entries = Object.entries(value as Record<string, unknown>).reverse();
  return `{ ${entries.map(([k, v]) => `${unusualJson(k)} : ${unusualJson(v)}`).join(' ,\n  ')} }`;
}

/**
 * The body with one byte changed: the first digit at or after `from` (default the middle), turned
 * into the next digit; `at` is where.
 * @example changeOneByte('{"amount":360000}', 10) // { text: '{"amount":460000}', at: 10 }
 */
export function changeOneByte(body: string, from = Math.floor(body.length / 2)): { text: string; at: number } {
  for (let i = from; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c >= 48 && c <= 57) return { text: `${body.slice(0, i)}${(c - 48 + 1) % 10}${body.slice(i + 1)}`, at: i };
  }
  throw new Error(`no digit to change after byte ${from}`);
}

import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  isValidSignature,
  signatureHeader,
  verifySignature,
  WebhookSignatureError,
  type WebhookSignatureFailure,
} from './webhook-signature.js';

const SECRET = 'whsec_8sKf2LmQ0pR7tV9x';
const T = 1708732800;
const BODY = JSON.stringify({
  id: 'evt_1a2b3c',
  object: 'event',
  data: { object: { id: 'dc_a1b2c3d4', name: 'Friedrichstraße' } },
});
const sign = (payload: string, secret = SECRET, t = T) => signatureHeader(payload, secret, t);
const v1Of = (header: string) => header.split(',v1=')[1]!;

describe('signatureHeader', () => {
  it('is t=<timestamp>,v1=<lowercase hex HMAC-SHA256(secret, "t.payload")>', () => {
    const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`, 'utf8').digest('hex');
    expect(sign(BODY)).toBe(`t=${T},v1=${expected}`);
    expect(sign(BODY)).toMatch(/^t=\d+(,v1=[0-9a-f]{64})+$/); // the contract's header pattern
  });

  it.each([1.5, -1, Number.NaN])('rejects timestamp %s', (t) => {
    expect(() => signatureHeader(BODY, SECRET, t)).toThrow(RangeError);
  });
});

// A signature computed outside the shipped code, so the oracle is not only itself (the test above uses
// node:crypto the same way the code does). Redo it with:
//   printf '%s' '1708732800.{"id":"evt_1","name":"Straße"}' | openssl dgst -sha256 -hmac 'whsec_8sKf2LmQ0pR7tV9x'
// (the body's ß is two UTF-8 bytes, C3 9F, in the HMAC input as on the wire).
describe('a hand-computed test vector', () => {
  const vector = {
    secret: 'whsec_8sKf2LmQ0pR7tV9x',
    t: 1708732800,
    body: '{"id":"evt_1","name":"Straße"}',
    header: 't=1708732800,v1=277473026183e6437d0ebf978bf41d69386b03e30c007241640302d9980ca90c',
  };

  it('is what signatureHeader writes', () => {
    expect(signatureHeader(vector.body, vector.secret, vector.t)).toBe(vector.header);
  });

  it('verifies, as a string and as the raw bytes', () => {
    expect(verifySignature(vector.body, vector.header, vector.secret, 300, vector.t)).toBe(true);
    expect(verifySignature(Buffer.from(vector.body, 'utf8'), vector.header, vector.secret, 300, vector.t)).toBe(true);
    expect(isValidSignature(vector.body.replace('ß', 'ss'), vector.header, vector.secret, 300, vector.t)).toBe(false);
  });
});

interface Case {
  name: string;
  payload: string | Buffer;
  header: string;
  secret?: string;
  tolerance?: number;
  now?: number;
  realClock?: boolean;
  fails?: WebhookSignatureFailure;
  message?: RegExp;
}

const good = sign(BODY);
const cases: Case[] = [
  { name: 'valid', payload: BODY, header: good },
  { name: 'valid, Buffer payload', payload: Buffer.from(BODY, 'utf8'), header: good },
  { name: 'valid, spaces after commas', payload: BODY, header: good.replace(',', ', ') },
  { name: 'valid, v1 before t', payload: BODY, header: `v1=${v1Of(good)},t=${T}` },
  { name: 'valid, unknown v0 scheme ignored', payload: BODY, header: `t=${T},v0=deadbeef,v1=${v1Of(good)}` },
  {
    name: 'two v1 values, the second valid (rotation)',
    payload: BODY,
    header: `t=${T},v1=${v1Of(sign(BODY, 'whsec_old'))},v1=${v1Of(good)}`,
  },
  {
    name: 'two v1 values, the first valid (rotation)',
    payload: BODY,
    header: `t=${T},v1=${v1Of(good)},v1=${v1Of(sign(BODY, 'whsec_old'))}`,
  },
  { name: 'just inside the tolerance (past)', payload: BODY, header: good, now: T + 300 },
  { name: 'just inside the tolerance (future)', payload: BODY, header: good, now: T - 300 },
  { name: 'tolerance 0 disables the time check', payload: BODY, header: good, tolerance: 0, now: T + 10 * 365 * 86400 },
  {
    name: 'tampered body',
    payload: BODY.replace('dc_a1b2c3d4', 'dc_a1b2c3d5'),
    header: good,
    fails: 'no_matching_signature',
    message: /No v1 signature matches/,
  },
  {
    name: 'Buffer payload re-encoded as latin1 (bytes differ)',
    payload: Buffer.from(BODY, 'latin1'),
    header: good,
    fails: 'no_matching_signature',
  },
  { name: 'wrong secret', payload: BODY, header: good, secret: 'whsec_wrong', fails: 'no_matching_signature' },
  {
    name: 'signature of another timestamp',
    payload: BODY,
    header: `t=${T + 1},v1=${v1Of(good)}`,
    fails: 'no_matching_signature',
  },
  {
    name: 'two v1 values, neither valid',
    payload: BODY,
    header: `t=${T},v1=${'0'.repeat(64)},v1=${v1Of(sign(BODY, 'whsec_old'))}`,
    fails: 'no_matching_signature',
    message: /2 checked/,
  },
  {
    name: 'v1 of the wrong length',
    payload: BODY,
    header: `t=${T},v1=${v1Of(good).slice(0, 63)}`,
    fails: 'no_matching_signature',
  },
  {
    name: 'v1 in uppercase hex',
    payload: BODY,
    header: `t=${T},v1=${v1Of(good).toUpperCase()}`,
    fails: 'no_matching_signature',
  },
  { name: 'empty v1', payload: BODY, header: `t=${T},v1=`, fails: 'no_matching_signature' },
  {
    name: 'expired',
    payload: BODY,
    header: good,
    now: T + 301,
    fails: 'timestamp_outside_tolerance',
    message: /301 seconds old, more than the 300 seconds/,
  },
  {
    name: 'future timestamp',
    payload: BODY,
    header: good,
    now: T - 301,
    fails: 'timestamp_outside_tolerance',
    message: /301 seconds in the future/,
  },
  {
    name: 'custom tolerance',
    payload: BODY,
    header: good,
    tolerance: 10,
    now: T + 11,
    fails: 'timestamp_outside_tolerance',
  },
  {
    name: 'expired and tampered: the signature verdict wins',
    payload: `${BODY} `,
    header: good,
    now: T + 9999,
    fails: 'no_matching_signature',
  },
  {
    name: 'default now is the real clock',
    payload: BODY,
    header: good,
    realClock: true,
    fails: 'timestamp_outside_tolerance',
  },
  { name: 'only t', payload: BODY, header: `t=${T}`, fails: 'no_v1_signature', message: /No v1 signature in the/ },
  { name: 'only an unknown scheme', payload: BODY, header: `t=${T},v0=${v1Of(good)}`, fails: 'no_v1_signature' },
  { name: 'empty header', payload: BODY, header: '', fails: 'malformed_header', message: /empty/ },
  {
    name: 'missing header (undefined at runtime)',
    payload: BODY,
    header: undefined as unknown as string,
    fails: 'malformed_header',
    message: /missing/,
  },
  {
    name: 'several headers (array at runtime)',
    payload: BODY,
    header: [good, good] as unknown as string,
    fails: 'malformed_header',
    message: /several headers/,
  },
  { name: 'no t', payload: BODY, header: `v1=${v1Of(good)}`, fails: 'malformed_header', message: /no "t="/ },
  {
    name: 't twice',
    payload: BODY,
    header: `t=${T},t=${T},v1=${v1Of(good)}`,
    fails: 'malformed_header',
    message: /more than once/,
  },
  {
    name: 'non-numeric t',
    payload: BODY,
    header: `t=abc,v1=${v1Of(good)}`,
    fails: 'malformed_header',
    message: /not a Unix timestamp/,
  },
  { name: 'fractional t', payload: BODY, header: `t=${T}.5,v1=${v1Of(good)}`, fails: 'malformed_header' },
  {
    name: 'part without =',
    payload: BODY,
    header: `t=${T},${v1Of(good)}`,
    fails: 'malformed_header',
    message: /not a key=value pair/,
  },
  { name: 'trailing comma', payload: BODY, header: `${good},`, fails: 'malformed_header' },
  { name: 'a bare signature', payload: BODY, header: v1Of(good), fails: 'malformed_header' },
];

describe('verifySignature', () => {
  it.each(cases)(
    '$name',
    ({ payload, header, secret = SECRET, tolerance = 300, now = T, realClock, fails, message }) => {
      const at = realClock ? undefined : now; // undefined exercises the real-clock default
      if (!fails) {
        expect(verifySignature(payload, header, secret, tolerance, at)).toBe(true);
        expect(isValidSignature(payload, header, secret, tolerance, at)).toBe(true);
        return;
      }
      let caught: unknown;
      try {
        verifySignature(payload, header, secret, tolerance, at);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(WebhookSignatureError);
      const error = caught as WebhookSignatureError;
      expect(error.reason).toBe(fails);
      expect(error.name).toBe('WebhookSignatureError');
      if (message) expect(error.message).toMatch(message);
      expect(isValidSignature(payload, header, secret, tolerance, at)).toBe(false);
    },
  );

  it('defaults to the real clock and a 300-second tolerance', () => {
    const t = Math.floor(Date.now() / 1000);
    expect(verifySignature(BODY, sign(BODY, SECRET, t), SECRET)).toBe(true);
    expect(isValidSignature(BODY, sign(BODY, SECRET, t - 3600), SECRET)).toBe(false);
  });

  it.each([
    { name: 'empty secret', run: () => verifySignature(BODY, good, '', 300, T), error: TypeError },
    { name: 'negative tolerance', run: () => verifySignature(BODY, good, SECRET, -1, T), error: RangeError },
    {
      name: 'parsed object as payload',
      run: () => verifySignature(JSON.parse(BODY) as string, good, SECRET, 300, T),
      error: TypeError,
    },
    { name: 'isValidSignature rethrows misuse', run: () => isValidSignature(BODY, good, '', 300, T), error: TypeError },
  ])('throws on misuse: $name', ({ run, error }) => {
    expect(run).toThrow(error);
  });
});

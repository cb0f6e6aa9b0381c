// Standard Webhooks signatures agree with the spec's published test vector and with the reference
// `standardwebhooks` package, both ways (our signature verifies there, theirs verifies here).
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { standardSignature, standardSignatureHeaders, verifyStandardSignature } from './standard-webhook-signature.js';
import { WebhookSignatureError } from './webhook-signature.js';
import { realNowSeconds } from './real-time.js';

// The vector of the standard-webhooks repository's library tests ("sign function works").
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

// A signature computed outside the shipped code (and outside node:crypto): the key is the base64 after
// `whsec_`, decoded; the signature is base64. Redo it with:
//   printf '%s' 'msg_2Ld8vQx.1708732800.{"id":"evt_1","name":"Straße"}' \
//     | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(printf '%s' 'Q2FzYVBheUhhbmRDb21wdXRlZFZlY3Rvcg==' | base64 -d | xxd -p -c 64) -binary | base64
const HAND_COMPUTED = {
  secret: 'whsec_Q2FzYVBheUhhbmRDb21wdXRlZFZlY3Rvcg==', // the key is the bytes of "CasaPayHandComputedVector"
  id: 'msg_2Ld8vQx',
  timestamp: 1708732800,
  payload: '{"id":"evt_1","name":"Straße"}',
  signature: 'v1,FDfJSXULoHMl3/JrUWIGYfiG0Lbn6hxUwFr1jTS8z1c=',
};

describe('Standard Webhooks signatures', () => {
  it('match a hand-computed vector', () => {
    const { secret, id, timestamp, payload, signature } = HAND_COMPUTED;
    expect(standardSignature(id, timestamp, payload, secret)).toBe(signature);
    expect(standardSignatureHeaders(id, payload, secret, timestamp)).toEqual({
      'webhook-id': id,
      'webhook-timestamp': '1708732800',
      'webhook-signature': signature,
    });
    expect(
      verifyStandardSignature(payload, { id, timestamp: String(timestamp), signature }, secret, 300, timestamp),
    ).toBe(true);
    expect(
      verifyStandardSignature(
        Buffer.from(payload, 'utf8'),
        { id, timestamp: String(timestamp), signature },
        secret,
        300,
        timestamp,
      ),
    ).toBe(true);
  });

  it('match the published test vector', () => {
    expect(standardSignature(VECTOR.id, VECTOR.timestamp, VECTOR.payload, VECTOR.secret)).toBe(VECTOR.signature);
    expect(
      verifyStandardSignature(
        VECTOR.payload,
        { id: VECTOR.id, timestamp: String(VECTOR.timestamp), signature: VECTOR.signature },
        VECTOR.secret,
        300,
        VECTOR.timestamp + 10,
      ),
    ).toBe(true);
  });

  it('verify with the standardwebhooks package, and its signatures verify here', () => {
    const secret = 'whsec_CasaPayMockEndpointSecret0123456'; // shaped like the mock's: whsec_ and 32 letters and digits
    const body = JSON.stringify({ id: 'evt_1', type: 'collection_case.created' });
    const now = realNowSeconds();
    const headers = standardSignatureHeaders('evt_1', body, secret, now);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    const theirs = new Webhook(secret).sign('evt_1', new Date(now * 1000), body);
    expect(
      verifyStandardSignature(
        body,
        { id: 'evt_1', timestamp: String(now), signature: `v1,bm90IHRoaXMgb25l ${theirs}` },
        secret,
      ),
    ).toBe(true);
  });

  it('refuses a changed body, a stale timestamp and missing headers', () => {
    const headers = { id: VECTOR.id, timestamp: String(VECTOR.timestamp), signature: VECTOR.signature };
    const reason = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as WebhookSignatureError).reason;
      }
      return 'accepted';
    };
    expect(
      reason(() => verifyStandardSignature('{"test": 2432232315}', headers, VECTOR.secret, 300, VECTOR.timestamp)),
    ).toBe('no_matching_signature');
    expect(
      reason(() => verifyStandardSignature(VECTOR.payload, headers, VECTOR.secret, 300, VECTOR.timestamp + 301)),
    ).toBe('timestamp_outside_tolerance');
    expect(
      reason(() => verifyStandardSignature(VECTOR.payload, { ...headers, signature: undefined }, VECTOR.secret)),
    ).toBe('malformed_header');
  });
});

// Debitura's signature: one vector computed outside the shipped code, so the oracle is not only itself,
// and what sets the scheme apart from CasaPay's (the secret's base64 is decoded; the header is named).
import { describe, expect, it } from 'vitest';
import {
  DEBITURA_SIGNATURE_HEADER,
  signDebitura,
  verifyDebituraSignature,
  WebhookSignatureError,
} from './debitura-webhook-signature.js';
import { signatureHeader } from './webhook-signature.js';

// Redo it with (the key is the base64-decoded secret, the bytes of "DebituraHandComputedVector"):
//   printf '%s' '1708732800.{"event":"case.created","data":{"debtorName":"Müller GmbH"}}' \
//     | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(printf '%s' 'RGViaXR1cmFIYW5kQ29tcHV0ZWRWZWN0b3I=' | base64 -d | xxd -p -c 64)
const VECTOR = {
  secret: 'RGViaXR1cmFIYW5kQ29tcHV0ZWRWZWN0b3I=',
  t: 1708732800,
  body: '{"event":"case.created","data":{"debtorName":"Müller GmbH"}}',
  header: 't=1708732800,v1=545ca91a1495062e34696e864c5483014ae2073f1911a9212da4e3de96a515c9',
};

const reasonOf = (run: () => unknown): string => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return error instanceof WebhookSignatureError ? error.reason : `threw ${(error as Error).name}`;
  }
};

describe('Debitura webhook signatures', () => {
  it('signDebitura writes the hand-computed vector, with the timestamp and event headers', () => {
    expect(signDebitura(VECTOR.body, VECTOR.t, VECTOR.secret, 'case.created')).toEqual({
      'X-Debitura-Signature': VECTOR.header,
      'X-Debitura-Timestamp': '1708732800',
      'X-Debitura-Event': 'case.created',
    });
    expect(DEBITURA_SIGNATURE_HEADER).toBe('X-Debitura-Signature');
  });

  it('verifyDebituraSignature accepts the vector, as a string and as the raw bytes', () => {
    expect(verifyDebituraSignature(VECTOR.body, VECTOR.header, VECTOR.secret, 300, VECTOR.t)).toBe(true);
    expect(verifyDebituraSignature(Buffer.from(VECTOR.body, 'utf8'), VECTOR.header, VECTOR.secret, 300, VECTOR.t)).toBe(
      true,
    );
  });

  it('refuses a signature keyed with the base64 text instead of its decoded bytes', () => {
    const undecoded = signatureHeader(VECTOR.body, VECTOR.secret, VECTOR.t);
    expect(reasonOf(() => verifyDebituraSignature(VECTOR.body, undecoded, VECTOR.secret, 300, VECTOR.t))).toBe(
      'no_matching_signature',
    );
  });

  it('refuses a changed body and a stale timestamp, naming its own header', () => {
    expect(
      reasonOf(() =>
        verifyDebituraSignature(VECTOR.body.replace('Müller', 'Muller'), VECTOR.header, VECTOR.secret, 300, VECTOR.t),
      ),
    ).toBe('no_matching_signature');
    expect(
      reasonOf(() => verifyDebituraSignature(VECTOR.body, VECTOR.header, VECTOR.secret, 300, VECTOR.t + 301)),
    ).toBe('timestamp_outside_tolerance');
    expect(() => verifyDebituraSignature(VECTOR.body, 'v1=abc', VECTOR.secret, 300, VECTOR.t)).toThrow(
      /Malformed X-Debitura-Signature header/,
    );
  });

  it('throws TypeError on an empty secret (misuse, not a bad request)', () => {
    expect(reasonOf(() => verifyDebituraSignature(VECTOR.body, VECTOR.header, '', 300, VECTOR.t))).toBe(
      'threw TypeError',
    );
  });
});

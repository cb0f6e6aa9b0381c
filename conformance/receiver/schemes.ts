// How the receiver kit signs what it sends: CasaPay's `X-CasaPay-Signature`, Debitura's
// `X-Debitura-*` headers (base64 secret) and Standard Webhooks' `webhook-*` headers — each through the
// kit's shipped signing code, never a second implementation. Besides the valid headers, each scheme
// knows how to spell the deliberately wrong ones the checks send (two signatures during a rotation,
// a header that does not parse, the secret in the wrong form).
import { signatureHeader } from '../../kit/webhook-signature.js';
import { signDebitura, DEBITURA_SIGNATURE_HEADER } from '../../kit/debitura-webhook-signature.js';
import {
  standardSignature,
  standardSignatureHeaders,
  STANDARD_SIGNATURE_HEADER,
} from '../../kit/standard-webhook-signature.js';
import { randomToken } from '../support/runtime.js';

export const SIGNING_SCHEMES = ['casapay', 'standard', 'debitura'] as const;
export type SigningSchemeName = (typeof SIGNING_SCHEMES)[number];

export interface SigningScheme {
  name: SigningSchemeName;
  /** The header that carries the signature (removed for the "missing signature" delivery). */
  signatureHeader: string;
  /** Valid headers for `body` signed at `t` with `secret` (event id and type for the schemes that send them). */
  sign(body: string, t: number, secret: string, event: { id: string; type: string }): Record<string, string>;
  /** Headers carrying two signatures: the first made with `otherSecret`, the second valid. */
  signRotated(
    body: string,
    t: number,
    secret: string,
    otherSecret: string,
    event: { id: string; type: string },
  ): Record<string, string>;
  /** The signature header present but unparseable (the rest of the headers as usual). */
  malformedSignature(t: number): string;
  /** A fresh secret of the scheme's format (not the receiver's). */
  randomSecret(): string;
  /** The receiver's secret in the form a careless receiver might also accept (prefix stripped, base64 not decoded). */
  wrongFormKey(secret: string): string | Uint8Array;
  /** Valid headers signed with a raw key instead of a secret (for {@link wrongFormKey}). */
  signWithKey(
    body: string,
    t: number,
    key: string | Uint8Array,
    event: { id: string; type: string },
  ): Record<string, string>;
  /** Checks the secret's format; a message when it is wrong. */
  secretProblem(secret: string): string | undefined;
}

const CASAPAY_HEADER = 'X-CasaPay-Signature';
const base64Secret = /^[A-Za-z0-9+/]+={0,2}$/;

const casapay: SigningScheme = {
  name: 'casapay',
  signatureHeader: CASAPAY_HEADER,
  sign: (body, t, secret) => ({ [CASAPAY_HEADER]: signatureHeader(body, secret, t) }),
  signRotated: (body, t, secret, otherSecret) => ({
    [CASAPAY_HEADER]: `${signatureHeader(body, otherSecret, t)},v1=${signatureHeader(body, secret, t).split(',v1=')[1]}`,
  }),
  malformedSignature: (t) => `t=${t}-soon,v1`,
  randomSecret: () => `whsec_${randomToken(32)}`,
  wrongFormKey: (secret) => secret.replace(/^whsec_/, ''),
  signWithKey: (body, t, key) => ({ [CASAPAY_HEADER]: signatureHeader(body, key, t) }),
  secretProblem: (secret) => (secret.startsWith('whsec_') ? undefined : 'a CasaPay endpoint secret starts with whsec_'),
};

const standard: SigningScheme = {
  name: 'standard',
  signatureHeader: STANDARD_SIGNATURE_HEADER,
  sign: (body, t, secret, event) => standardSignatureHeaders(event.id, body, secret, t),
  signRotated: (body, t, secret, otherSecret, event) => ({
    ...standardSignatureHeaders(event.id, body, secret, t),
    [STANDARD_SIGNATURE_HEADER]: `${standardSignature(event.id, t, body, otherSecret)} ${standardSignature(event.id, t, body, secret)}`,
  }),
  malformedSignature: () => 'v1;not base64!',
  randomSecret: () => `whsec_${randomToken(32)}`,
  wrongFormKey: (secret) => Buffer.from(secret.replace(/^whsec_/, ''), 'utf8'),
  signWithKey: (body, t, key, event) => standardSignatureHeaders(event.id, body, key, t),
  secretProblem: (secret) =>
    base64Secret.test(secret.replace(/^whsec_/, ''))
      ? undefined
      : 'a Standard Webhooks secret is whsec_ followed by base64',
};

const debitura: SigningScheme = {
  name: 'debitura',
  signatureHeader: DEBITURA_SIGNATURE_HEADER,
  sign: (body, t, secret, event) => signDebitura(body, t, secret, event.type),
  signRotated: (body, t, secret, otherSecret, event) => {
    const valid = signDebitura(body, t, secret, event.type);
    const other = signDebitura(body, t, otherSecret, event.type)[DEBITURA_SIGNATURE_HEADER]!;
    return {
      ...valid,
      [DEBITURA_SIGNATURE_HEADER]: `${other},v1=${valid[DEBITURA_SIGNATURE_HEADER]!.split(',v1=')[1]}`,
    };
  },
  malformedSignature: (t) => `t=${t}-soon,v1`,
  randomSecret: () => Buffer.from(randomToken(32)).toString('base64'),
  // The subscription's secret used as text: the mistake Debitura's docs warn about.
  wrongFormKey: (secret) => secret,
  signWithKey: (body, t, key, event) => ({
    ...signDebitura(body, t, 'AA==', event.type),
    [DEBITURA_SIGNATURE_HEADER]: signatureHeader(body, key, t),
  }),
  secretProblem: (secret) =>
    base64Secret.test(secret) ? undefined : "a Debitura subscription secret is base64 (POST /webhooks' secret)",
};

export const SCHEMES: Record<SigningSchemeName, SigningScheme> = { casapay, standard, debitura };

// Id and reference minting. With a seed, every run mints the same sequence (deterministic tests
// and docs); without one, ids come from the OS's randomness. Nothing else in the mock makes ids.
import { createHash, randomBytes } from 'node:crypto';

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const REFERENCE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = '0123456789abcdef';

export interface IdMinter {
  /** `dc_…`, `evt_…`: the prefix, an underscore and 14 letters or digits. */
  id(prefix: string): string;
  /** An 8-character uppercase reference such as `Q8OAXF3W`. */
  reference(): string;
  /** A secret such as `whsec_…` (32 characters). */
  secret(prefix: string): string;
  /** A number in [0, 1), for fault injection rates and latency distributions. */
  fraction(): number;
  /** A version-4 UUID such as `3f6c2a1e-8d4b-4c1a-9e2f-7a6b5c4d3e2f` (Debitura's ids). */
  uuid(): string;
}

/** sfc32, a small fast PRNG with a 128-bit state; seeded from SHA-256 of the seed string. */
function seededSource(seed: string): () => number {
  const h = createHash('sha256').update(seed).digest();
  let a = h.readUInt32LE(0),
    b = h.readUInt32LE(4),
    c = h.readUInt32LE(8),
    d = h.readUInt32LE(12);
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** Real randomness, drawn in blocks so the hot path does not call into the OS per id. */
function randomSource(): () => number {
  let pool = randomBytes(4096);
  let offset = 0;
  return () => {
    if (offset + 4 > pool.length) {
      pool = randomBytes(4096);
      offset = 0;
    }
    const value = pool.readUInt32LE(offset) / 4294967296;
    offset += 4;
    return value;
  };
}

/**
 * @example
 * const ids = createIdMinter('demo');
 * ids.id('dc'); // 'dc_…' — the same value on every run with seed 'demo'
 */
export function createIdMinter(seed?: string): IdMinter {
  const next = seed === undefined ? randomSource() : seededSource(seed);
  // Ids are built as one flat string from character codes: appending a character at a time (and then
  // prefixing) makes V8 keep a chain of rope strings per id, ~100 bytes more for every stored id.
  const codes: number[] = [];
  const draw = (prefix: string, alphabet: string, length: number) => {
    codes.length = 0;
    for (let i = 0; i < prefix.length; i++) codes.push(prefix.charCodeAt(i));
    if (prefix) codes.push(95); // '_'
    for (let i = 0; i < length; i++) codes.push(alphabet.charCodeAt(Math.floor(next() * alphabet.length)));
    return String.fromCharCode.apply(null, codes);
  };
  return {
    id: (prefix) => draw(prefix, ALPHANUMERIC, 14),
    reference: () => draw('', REFERENCE_ALPHABET, 8),
    secret: (prefix) => draw(prefix, ALPHANUMERIC, 32),
    fraction: next,
    uuid: () => {
      let hex = '';
      for (let i = 0; i < 32; i++)
        hex += HEX[i === 12 ? 4 : i === 16 ? 8 + Math.floor(next() * 4) : Math.floor(next() * 16)];
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
}

/**
 * An unguessable secret (32 base64url characters from the system's CSPRNG) — the admin token a shared
 * mock makes when none is given. Never seeded: a secret that repeats across runs is no secret.
 * @example mintSecret('adm') // 'adm_Qm9…'
 */
export function mintSecret(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

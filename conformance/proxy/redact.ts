// Nothing the proxy writes (report.json, report.html, junit.xml, a recording) may hold a secret. Two
// layers: headers that carry credentials are replaced by name, and every text is scrubbed of the
// secrets' shapes (`whsec_…`, `sk_live_…`/`sk_test_…`, `Bearer …`, JWTs, JSON fields named like a
// secret or token) and of every credential value the session actually saw (a Debitura XApiKey or
// a base64 webhook secret has no recognisable shape, so the proxy remembers the values instead).
import { createHash } from 'node:crypto';

/** Headers whose value is a credential or a signature made with one. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'xapikey',
  'x-api-key',
  'cookie',
  'set-cookie',
  'x-casapay-signature',
  'webhook-signature',
  'x-debitura-signature',
]);

/** JSON fields whose string value is a secret (`"secret": "whsec_…"`, `"accessToken": "…"`). */
const SECRET_FIELD =
  /("(?:secret|[a-z_]*secret|access_?token|accessToken|refresh_?token|refreshToken|token|id_token|password|api_?key|apiKey|xApiKey|client_secret|clientSecret)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

const PATTERNS: Array<[RegExp, string]> = [
  [/whsec_[A-Za-z0-9+/=_-]+/g, 'whsec_[redacted]'],
  [/\b(sk|rk|pk)_(test|live)_[A-Za-z0-9_]+/g, '$1_$2_[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{12,}/gi, '$1 [redacted]'],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
];

/** A short, stable tag for a credential, so a report can tell two keys apart without holding either. */
export const fingerprint = (value: string): string =>
  `#${createHash('sha256').update(value).digest('hex').slice(0, 8)}`;

export class Redactor {
  /** Credential values seen in this session, longest first when applied. */
  private readonly known = new Set<string>();
  private static readonly MAX_KNOWN = 1000;

  /** Remembers a credential (a header value, a secret an answer handed out) to scrub wherever it appears. */
  remember(value: string | undefined): void {
    if (!value || value.length < 8 || this.known.size >= Redactor.MAX_KNOWN) return;
    this.known.add(value);
    const bare = /^(?:Bearer|Basic)\s+(.+)$/i.exec(value)?.[1];
    if (bare && bare.length >= 8) this.known.add(bare);
  }

  /** Remembers the credentials of a request's or a response's headers. */
  rememberHeaders(headers: Record<string, string>): void {
    for (const [name, value] of Object.entries(headers))
      if (SECRET_HEADERS.has(name.toLowerCase())) this.remember(value);
  }

  /** Remembers every secret-looking field of a JSON answer (a webhook endpoint's `secret`, an OAuth `accessToken`). */
  rememberBody(text: string): void {
    for (const match of text.matchAll(SECRET_FIELD)) {
      const value = /"((?:[^"\\]|\\.)*)"$/.exec(match[0])?.[1];
      this.remember(value);
    }
  }

  headers(headers: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [
        name,
        SECRET_HEADERS.has(name.toLowerCase()) ? `[redacted ${fingerprint(value)}]` : this.text(value),
      ]),
    );
  }

  text(text: string): string {
    let out = text.replace(SECRET_FIELD, '$1"[redacted]"');
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    for (const value of [...this.known].sort((a, b) => b.length - a.length))
      if (out.includes(value)) out = out.split(value).join('[redacted]');
    return out;
  }
}

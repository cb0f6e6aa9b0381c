// Bearer tokens of the Referral API: minted per client, valid 30 minutes on the mock's (virtual)
// clock, then 401 until a new one is minted. A token names the partner's account and the client, so
// the Customer API knows whom a request acts for and that its cases are the partner's referrals.
import type { IdMinter } from '../../engine/state/ids.js';
import type { DebituraClient } from './state.js';

export const TOKEN_LIFETIME_SECONDS = 1800;
/** Live tokens per account: minting one more revokes the account's oldest (tokens are kept in memory). */
export const MAX_TOKENS_PER_ACCOUNT = 100;
/** The token Debitura's docs show, answered for the docs' partner and client (see scenarios.ts). */
export const DOCS_TOKEN = 'eyJhbGciOiJIUzI1NiIs...';

export interface TokenGrant {
  accountKey: string;
  clientId: string;
  expiresAt: number;
}

export type TokenCheck = { grant: TokenGrant } | { expiredAt: number } | undefined;

export class TokenRegistry {
  private readonly grants = new Map<string, TokenGrant>();
  /** Account key → its tokens, oldest first. */
  private readonly byAccount = new Map<string, string[]>();
  /** Told each (account key, token) minted or dropped (a durable store's change tracking; unset in memory). */
  onChange: ((accountKey: string, token: string) => void) | undefined;

  constructor(
    private readonly ids: IdMinter,
    /** The docs' account and client, whose token is the docs' own string. */
    private readonly docs: { accountKey: string; externalTenantId: string },
    /** A defect hook: the lifetime a minted token really gets (see defects.ts). */
    private readonly lifetime: () => number = () => TOKEN_LIFETIME_SECONDS,
  ) {}

  mint(accountKey: string, client: DebituraClient, now: number) {
    const docs = accountKey === this.docs.accountKey && client.externalTenantId === this.docs.externalTenantId;
    const header = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';
    const claims = Buffer.from(
      JSON.stringify({ sub: client.id, tid: client.externalTenantId, iat: now, exp: now + TOKEN_LIFETIME_SECONDS }),
    ).toString('base64url');
    const accessToken = docs ? DOCS_TOKEN : `${header}.${claims}.${this.ids.secret('').slice(0, 43)}`;
    if (this.grants.size > 10_000) this.prune(now);
    // The docs' token is the same string every time: minting it again renews it.
    if (this.grants.has(accessToken))
      this.grants.set(accessToken, { accountKey, clientId: client.id, expiresAt: now + this.lifetime() });
    else this.restore(accessToken, { accountKey, clientId: client.id, expiresAt: now + this.lifetime() });
    this.onChange?.(accountKey, accessToken);
    const mine = this.byAccount.get(accountKey)!;
    if (mine.length > MAX_TOKENS_PER_ACCOUNT) {
      const oldest = mine.shift()!;
      this.grants.delete(oldest);
      this.onChange?.(accountKey, oldest);
    }
    return { accessToken, tokenType: 'Bearer' as const, expiresIn: TOKEN_LIFETIME_SECONDS };
  }

  /** Puts a kept token back (a restart), telling no one. */
  restore(token: string, grant: TokenGrant): void {
    if (this.grants.has(token)) return;
    this.grants.set(token, grant);
    let mine = this.byAccount.get(grant.accountKey);
    if (!mine) this.byAccount.set(grant.accountKey, (mine = []));
    mine.push(token);
  }

  /** The grant of a token of this account, as a store keeps it. */
  grantOf(accountKey: string, token: string): TokenGrant | undefined {
    const grant = this.grants.get(token);
    return grant?.accountKey === accountKey ? grant : undefined;
  }

  /** The tokens of an account, oldest first. */
  tokensOf(accountKey: string): readonly string[] {
    return this.byAccount.get(accountKey) ?? [];
  }

  /** The grant behind a token, `expiredAt` once it is past its 30 minutes, or undefined for a token never issued. */
  check(token: string, now: number): TokenCheck {
    const grant = this.grants.get(token);
    if (!grant) return undefined;
    return now >= grant.expiresAt ? { expiredAt: grant.expiresAt } : { grant };
  }

  /** Registers the docs' token for the docs' client (an account seeded before any mint). */
  seedDocs(clientId: string, now: number): void {
    if (this.grants.has(DOCS_TOKEN)) return;
    this.restore(DOCS_TOKEN, { accountKey: this.docs.accountKey, clientId, expiresAt: now + this.lifetime() });
    this.onChange?.(this.docs.accountKey, DOCS_TOKEN);
  }

  /** Drops every token of an account (evicted or reset). */
  forget(accountKey: string): void {
    for (const token of this.byAccount.get(accountKey) ?? []) this.grants.delete(token);
    this.byAccount.delete(accountKey);
    // The docs' token is registered again when the docs' account is opened again.
    if (accountKey === this.docs.accountKey) this.grants.delete(DOCS_TOKEN);
  }

  /** How many tokens are kept (for tests). */
  get size(): number {
    return this.grants.size;
  }

  private prune(now: number): void {
    for (const [token, grant] of this.grants) {
      if (now < grant.expiresAt + 86_400) continue;
      this.grants.delete(token);
      this.onChange?.(grant.accountKey, token);
      const mine = this.byAccount.get(grant.accountKey);
      const at = mine ? mine.indexOf(token) : -1;
      if (at >= 0) mine!.splice(at, 1);
      if (mine?.length === 0) this.byAccount.delete(grant.accountKey);
    }
  }
}

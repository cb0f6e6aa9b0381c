// Who may use the console and /__admin. On a loopback address (127.0.0.0/8, ::1, localhost) the mock
// is one developer's tool and everything stays open, as it always was. On any other address it is a
// shared sandbox: the console and /__admin need the admin token (header `X-Admin-Token`, or the
// cookie the console's sign-in sets), and what belongs to one account — its state, its journal, its
// reset, loading a scenario into it — also needs that account's own API key
// (`Authorization: Bearer sk_test_…`), so one team cannot read or wipe another's data.
// Pure functions of the request; nothing here keeps state.
import { sameSecret } from '../engine/same-secret.js';
import type { FastifyRequest } from 'fastify';
import type { ApiModule } from '../engine/api-module.js';
import { ApiError } from '../engine/errors.js';

export const ADMIN_TOKEN_HEADER = 'x-admin-token';
export const ADMIN_COOKIE = 'casapay_admin_token';
export const ADMIN_TOKEN_ENV = 'CASAPAY_MOCK_ADMIN_TOKEN';
/** Accounts kept when shared and no --max-accounts is given: ≈3.6 KB each when empty (measured), so ≈3.6 MB. */
export const DEFAULT_SHARED_MAX_ACCOUNTS = 1000;

export interface AdminAccess {
  /** Listening on a non-loopback address. */
  shared: boolean;
  token?: string;
}

/**
 * @example isLoopbackHost('127.0.0.2') // true
 * @example isLoopbackHost('0.0.0.0')   // false
 */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

/**
 * The access rules for a listen address; throws (with the reason and the fix) when a non-loopback
 * address has no admin token, so the mock never starts open to a network.
 */
export function accessFor(host: string, token: string | undefined): AdminAccess {
  const shared = !isLoopbackHost(host);
  if (token !== undefined && token.length < 8) throw new Error('the admin token must be at least 8 characters.');
  if (shared && !token) {
    throw new Error(
      `refusing to listen on ${host} without an admin token: on a non-loopback address anyone who can reach the port could read and reset every account. ` +
        `Pass --admin-token <token> (or set ${ADMIN_TOKEN_ENV}), or listen on 127.0.0.1.`,
    );
  }
  return { shared, token };
}

function cookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) {
      try {
        return decodeURIComponent(v.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The admin token the request carries (header first, then the console's cookie). */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers[ADMIN_TOKEN_HEADER];
  if (typeof header === 'string' && header) return header;
  return cookie(request, ADMIN_COOKIE);
}

export function hasAdminToken(request: FastifyRequest, access: AdminAccess): boolean {
  if (!access.shared) return true;
  const token = presentedToken(request);
  return token !== undefined && access.token !== undefined && sameSecret(token, access.token);
}

/** 401 unless the request may use admin routes (always on loopback). */
export function requireAdmin(request: FastifyRequest, access: AdminAccess): void {
  if (hasAdminToken(request, access)) return;
  const sent = presentedToken(request) !== undefined;
  throw new ApiError(
    401,
    'authentication_error',
    sent ? 'api_key_invalid' : 'api_key_missing',
    sent
      ? "The admin token is not this mock's admin token."
      : `This mock is shared (it listens on a non-loopback address): /__admin and the console need the admin token in the ${ADMIN_TOKEN_HEADER} header.`,
  );
}

/** 401 unless, when shared, the request carries the credentials of exactly this account (its API says which). */
export function requireAccountKey(
  request: FastifyRequest,
  access: AdminAccess,
  modules: readonly ApiModule[],
  key: string,
): void {
  if (!access.shared) return;
  const owner = modules.find((module) => module.accountKeys.test(key));
  const refusal =
    owner?.proveAccount?.(request, key) ??
    (owner
      ? undefined
      : new ApiError(
          401,
          'authentication_error',
          'api_key_invalid',
          'No API of this mock has an account by that name.',
        ));
  if (refusal) throw refusal;
}

// An API's authentication as an onRequest hook. The module's `authenticate` reads the credentials and
// opens the account they name (sets request.account). In memory or on one instance's store that is
// all. On a shared store (several instances on one PostgreSQL) the accounts it opened are then locked
// and brought up to date (mocks/engine/state/shared-accounts.ts) until the answer is out, and
// `authenticate` runs again when that changed anything: a token minted on another instance, an
// account reset there, an account new to the store (seeded under its lock).
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { ApiError, errors } from './errors.js';
import type { Sandbox } from './sandbox.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Keys of the accounts this request holds on a shared store (committed before its answer, let go after). */
    heldAccounts?: string[];
  }
}

export interface AuthenticationOptions {
  /** Requests that carry no credentials to check (preflights, routes outside the API). */
  skip?(request: FastifyRequest): boolean;
  /** The account row a request's credential is kept in (a bearer token), to find it when another instance minted it. */
  credentialRow?(request: FastifyRequest): { part: string; key: string } | undefined;
}

/**
 * @example app.addHook('onRequest', authenticationHook(sandbox, (request) => { request.account = sandbox.account(keyOf(request)); }));
 */
export function authenticationHook(
  sandbox: Sandbox,
  authenticate: (request: FastifyRequest) => void,
  options: AuthenticationOptions = {},
): onRequestHookHandler {
  const skip = options.skip ?? (() => false);
  const shared = sandbox.shared;
  if (!shared)
    // A callback hook: no promise per request on the default path.
    return (request, _reply, done) => {
      if (skip(request)) return done();
      try {
        authenticate(request);
      } catch (error) {
        return done(error as Error);
      }
      done();
    };
  return async (request, reply) => {
    if (skip(request)) return;
    const { keys, failure } = sandbox.opened(() => authenticate(request));
    if (failure !== undefined && !(failure instanceof ApiError)) throw failure;
    if (failure !== undefined && options.credentialRow) {
      const row = options.credentialRow(request);
      const owner = row && (await shared.accountOfRow(row.part, row.key).catch(() => undefined));
      if (owner !== undefined && !keys.includes(owner)) keys.push(owner);
    }
    if (!keys.length) {
      if (failure !== undefined) throw failure;
      return;
    }
    const held: string[] = (request.heldAccounts = []);
    // Let go once the answer is out, or the client went away (whatever happened meanwhile is committed).
    // A client that went away before this hook ran (during an earlier hook's wait) closed already: no
    // 'close' will come, so it is read off the socket, or the account would stay held for good.
    let closed = reply.raw.destroyed === true || request.raw.socket?.destroyed === true;
    reply.raw.once('close', () => {
      closed = true;
      for (const key of held.splice(0)) void shared.release(key);
    });
    if (closed) throw errors.unavailable();
    let changed = false;
    // In one order on every instance, so two requests holding the same accounts never wait for each other.
    for (const key of keys.sort()) {
      let acquired: { changed: boolean };
      try {
        acquired = await shared.acquire(key);
      } catch {
        throw errors.unavailable();
      }
      if (closed) {
        await shared.release(key);
        throw errors.unavailable();
      }
      held.push(key);
      changed ||= acquired.changed;
    }
    if (failure !== undefined || changed) authenticate(request);
  };
}

/**
 * Lets go of the accounts a request holds on a shared store, committing what is left: as soon as its
 * changes are committed (the answer being written needs no lock), so the next request for the account,
 * here or on another instance, need not wait for the bytes to leave.
 */
export function letGo(sandbox: Sandbox, request: FastifyRequest): void {
  const held = request.heldAccounts;
  if (!sandbox.shared || !held?.length) return;
  for (const key of held.splice(0)) void sandbox.shared.release(key);
}

// The console and /__admin closed to web pages. A page the developer happens to open must not read
// /__admin/accounts (full keys on loopback), dump state, reset accounts or move the clock:
//   - no CORS headers on these routes (the API's `*` is for /v1 and /debitura/*, which browsers call);
//   - a request a browser marks as coming from another site (`Sec-Fetch-Site: cross-site|same-site`,
//     or an `Origin` that is not this server's) is refused — CORS alone would let a "simple" POST
//     through, unread but executed; opening a page in a tab (a GET navigation) stays allowed;
//   - on loopback, a `Host` that is not a loopback name or address (`localhost`, `127.x`, `[::1]`, any
//     port) is refused: that is DNS rebinding (a name of the attacker's that now resolves to 127.0.0.1).
// Off loopback the admin token governs (admin-access.ts) and the Host is whatever the network uses;
// on loopback `--allowed-host` adds names (a port-forwarding proxy's, as Vite's `server.allowedHosts`).
// Programs (curl, tests, testcontainers) send neither `Origin` nor `Sec-Fetch-*` and are not affected.
// `/__admin/health` stays open to all (it says nothing about any account).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isLoopbackHost, type AdminAccess } from './admin-access.js';
import { ApiError, type RenderedError } from '../engine/errors.js';

const HEALTH = '/__admin/health';
const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
];

/**
 * The path of a request as the router reads it: percent-decoded (the router matches `/%5F%5Fadmin/state`
 * as `/__admin/state`), also for an absolute-form request line (`GET http://host/__admin/state`).
 */
function pathOf(url: string): string {
  let path = url.split('?')[0]!;
  if (!path.startsWith('/')) {
    try {
      path = new URL(path).pathname;
    } catch {
      return path;
    }
  }
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * The console's and the admin routes' paths: `/` (the console's page), `/__admin…`, `/__console…`.
 * @example isBrowserClosed('/__admin/accounts') // true
 * @example isBrowserClosed('/%5F%5Fadmin/accounts') // true
 * @example isBrowserClosed('/v1/collection_cases') // false
 */
export function isBrowserClosed(url: string): boolean {
  const path = pathOf(url);
  return (
    path === '/' ||
    path === '/__admin' ||
    path.startsWith('/__admin/') ||
    path === '/__console' ||
    path.startsWith('/__console/')
  );
}

/**
 * True when a Host header names this machine's loopback (any port), or is absent (no browser omits it).
 * `*.localhost` counts (browsers resolve it to loopback themselves, so no attacker's DNS can answer for it).
 * @example loopbackHostHeader('localhost:4010') // true
 * @example loopbackHostHeader('[::1]:4010')     // true
 * @example loopbackHostHeader('rebind.example:4010') // false
 */
export function loopbackHostHeader(host: string | undefined): boolean {
  if (host === undefined || host === '') return true;
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(host);
  if (bracketed) return isLoopbackHost(bracketed[1]!);
  const name = host.replace(/:\d*$/, '');
  return !name.includes(':') && (isLoopbackHost(name) || /^[a-z0-9-]+(\.[a-z0-9-]+)*\.localhost$/i.test(name));
}

/** Scheme-less origin comparison: the Origin's host:port against the Host header's, default ports dropped. */
function sameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const from = new URL(origin);
    return from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    return false; // `Origin: null` (a sandboxed frame, a file:// page) is nobody's origin
  }
}

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return typeof value === 'string' ? value.toLowerCase() : undefined;
};

/** The name of a Host header without its port, lower-cased (`[::1]:4010` → `::1`). */
const hostName = (host: string) => (/^\[([^\]]*)\]/.exec(host)?.[1] ?? host.replace(/:\d*$/, '')).toLowerCase();

export interface BrowserGuardOptions {
  access: AdminAccess;
  /** Other Host names accepted on loopback (a port-forwarding proxy's name, such as a Codespace's); default none. */
  allowedHosts?: readonly string[];
  /** How a refusal is written (the mock's main API's error shape). */
  render(error: ApiError): RenderedError;
}

/** Why a browser-made request may not reach an admin or console route, or undefined when it may. */
export function browserRefusal(
  request: FastifyRequest,
  { access, allowedHosts = [] }: BrowserGuardOptions,
): ApiError | undefined {
  if (pathOf(request.url) === HEALTH || request.routeOptions.url === HEALTH) return undefined;
  const host = request.headers.host;
  if (
    !access.shared &&
    !loopbackHostHeader(host) &&
    !allowedHosts.some((name) => name.toLowerCase() === hostName(host!))
  ) {
    return new ApiError(
      403,
      'invalid_request_error',
      'host_not_allowed',
      'This mock listens on loopback: its console and /__admin answer only requests addressed to localhost, 127.x or [::1] (another Host is how DNS rebinding reaches a local server). Use http://localhost:<port>, or start the mock with --allowed-host <name> for a port-forwarding proxy.',
    );
  }
  const navigation =
    (request.method === 'GET' || request.method === 'HEAD') && header(request, 'sec-fetch-mode') === 'navigate';
  if (navigation) return undefined;
  const site = header(request, 'sec-fetch-site');
  const origin = request.headers.origin;
  if (
    site === 'cross-site' ||
    site === 'same-site' ||
    (origin !== undefined && !sameOrigin(origin, request.headers.host))
  ) {
    return new ApiError(
      403,
      'invalid_request_error',
      'cross_site_request',
      "The console and /__admin answer no other web page: call them from the console's own page, or from a program (curl, tests).",
    );
  }
  return undefined;
}

/**
 * Installs the rules above as global hooks. Call it before registering @fastify/cors and the routes,
 * so its hooks cover the CORS plugin's preflight route and every admin and console route.
 * @example
 * installBrowserGuard(app, { access });
 * await app.register(cors, { origin: '*' });
 */
export function installBrowserGuard(app: FastifyInstance, options: BrowserGuardOptions): void {
  // A matched route says what was reached, whatever spelling of the path reached it (and costs no
  // decoding on the API's hot path); the CORS preflight's `*` route and unmatched requests go by their path.
  // Decided once per route pattern (a set the app fixes at start), not per request.
  const closedRoutes = new Map<string, boolean>();
  const closed = (request: FastifyRequest) => {
    const route = request.routeOptions.url;
    if (route === undefined || route === '*') return isBrowserClosed(request.url);
    let verdict = closedRoutes.get(route);
    if (verdict === undefined) closedRoutes.set(route, (verdict = isBrowserClosed(route)));
    return verdict;
  };
  app.addHook('onRequest', (request, reply, done) => {
    if (!closed(request)) return done();
    const refusal = browserRefusal(request, options);
    if (!refusal) return done();
    const rendered = options.render(refusal);
    void reply
      .code(rendered.status)
      .header('Request-Id', request.id)
      .header('Cache-Control', 'no-store')
      .send(rendered.body);
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (closed(request)) for (const name of CORS_HEADERS) reply.removeHeader(name);
    done(null, payload);
  });
}

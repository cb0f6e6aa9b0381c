// The HTTP layer every API shares: the Fastify app and what it answers before, beside or instead of any
// route — Node's parser refusing the bytes, a bad percent-encoding, a missing Host, CONNECT, a body too
// large, no route at all — each in the shape of the API the path belongs to (moduleFor). Also how the
// mock closes: in-flight requests and webhook attempts get a grace, then everything is cut.
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import qs from 'qs';
import type { Socket } from 'node:net';
import { monotonicMs } from '../../kit/real-time.js';
import { moduleFor, type ApiModule } from './api-module.js';
import { errors, type ApiError, type RenderedError } from './errors.js';
import { parseJsonBody } from './json-body.js';
import { markUnreadMultipart } from './multipart-body.js';
import { sendError, toApiError } from './mount-operations.js';

/** The largest body read (JSON, or anything but multipart, which streams with its own bounds). */
export const JSON_LIMIT = 1024 * 1024;

/**
 * Stripe-style query strings (`created[gte]=…`, `types[]=…`) with qs, imported at start (~30 ms): a
 * module loaded on the first query string could fail to load when file descriptors run out, inside
 * the router, where nothing catches it (the process died of it).
 */
const parseQuery = (query: string): Record<string, unknown> =>
  query === '' ? {} : qs.parse(query, { depth: 2, parameterLimit: 200, arrayLimit: 100 });

function fastifySchemasUnused(): never {
  throw new Error(
    'Routes of the mock are validated by the pipeline against the contract; do not give them Fastify schemas.',
  );
}

/** `%76` → `v`: percent-encoded unreserved characters mean the characters themselves (RFC 3986 §6.2.2.2). */
const decodeUnreserved = (path: string) =>
  path.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9._~-]/.test(ch) ? ch : escape;
  });

/**
 * The request target in the one form the mock decides on: `http://host/api/x?y` → `/api/x?y` (an
 * absolute-form request line, RFC 9112 §3.2.2, names the same resource as the origin form) and
 * `/%61pi/x` → `/api/x`. So routing, authentication, the journal and the error shape all see one path.
 * @example originForm('http://127.0.0.1:4010/%61pi/things?limit=1') // '/api/things?limit=1'
 */
export const originForm = (url: string): string => {
  let target = url;
  if (target.charCodeAt(0) !== 47 /* / */) {
    const match = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i.exec(target);
    if (!match) return target;
    const rest = target.slice(match[0].length);
    target = rest.startsWith('/') ? rest : `/${rest}`;
  }
  const query = target.indexOf('?');
  const path = query === -1 ? target : target.slice(0, query);
  return path.includes('%') ? decodeUnreserved(path) + (query === -1 ? '' : target.slice(query)) : target;
};

/** The request target of the first request line in bytes Node's parser refused, when it can be read. */
const targetOf = (packet: unknown): string => {
  if (!Buffer.isBuffer(packet)) return '';
  const line = /^[!#$%&'*+.^_`|~\w-]+ (\S+)/.exec(packet.subarray(0, 8192).toString('latin1'));
  return line ? originForm(line[1]!) : '';
};

/** A whole HTTP/1.1 error answer for the socket, in the shape of the API the path belongs to (then the connection closes). */
const rawErrorAnswer = (modules: readonly ApiModule[], path: string, error: ApiError, requestId: string): string => {
  const { status, body } = moduleFor(modules, path).renderError(error);
  const json = JSON.stringify(body);
  const reason = status === 404 ? 'Not Found' : 'Bad Request';
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nRequest-Id: ${requestId}\r\nConnection: close\r\n\r\n${json}`;
};

export interface HttpAppOptions {
  /** The APIs served: an answer written before any route runs takes the shape of the one its path belongs to. */
  modules: readonly ApiModule[];
  /** Mints each request's id (Request-Id). */
  nextRequestId(): string;
  /** Fastify's logger (pino), or false. */
  logger: FastifyServerOptions['logger'];
}

/**
 * The Fastify app with the HTTP layer's own answers in the APIs' shapes, its body parsers (JSON ourselves,
 * so bad JSON is a typed 400; multipart left to the upload operations; anything else kept aside for the pipeline's 415).
 * @example const app = await createHttpApp({ modules, nextRequestId: () => ids.id('req'), logger: false });
 */
export async function createHttpApp({ modules, nextRequestId, logger }: HttpAppOptions): Promise<FastifyInstance> {
  const renderFor = (url: string): ((error: ApiError) => RenderedError) => moduleFor(modules, url).renderError;
  const app = Fastify({
    logger,
    bodyLimit: JSON_LIMIT,
    genReqId: nextRequestId,
    // Long path parameters are just ids that do not exist (404), not find-my-way's default 414.
    routerOptions: { maxParamLength: 2048, querystringParser: (query) => parseQuery(query) },
    // Absolute-form request lines are routed, authenticated and answered by their path.
    rewriteUrl: (request) => originForm(request.url ?? '/'),
    // Node answers an HTTP/1.1 request without Host with a bare 400; installFallbackAnswers' hook answers it in the API's shape.
    http: { requireHostHeader: false },
    // On close only idle keep-alive connections are cut at once; requests in flight get the close's
    // grace (close() cuts the rest when it runs out). A request that arrives on an open connection
    // meanwhile is answered as usual rather than with Fastify's own 503 body.
    forceCloseConnections: 'idle',
    return503OnClosing: false,
    // The pipeline validates with the contract's own validators and no route declares a Fastify
    // schema, so Fastify's ajv and fast-json-stringify compilers are never loaded (~17 ms at start).
    schemaController: {
      compilersFactory: { buildValidator: fastifySchemasUnused, buildSerializer: fastifySchemasUnused },
    },
    // Answers Fastify writes itself (before any route or hook runs) still carry the API's error shape.
    frameworkErrors: (error, request, reply) => {
      // A path parameter beyond the router's 2048 characters breaks the contract's maxLength (100) like
      // one of 101 characters does: the same 400 (the route is unknown here, so no param name).
      const apiError =
        (error as { code?: string }).code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? errors.parameterInvalid(null, 'A path parameter is longer than 100 characters.')
          : errors.urlInvalid(request.url.split('?')[0]!.slice(0, 200));
      const { status, body } = renderFor(request.url)(apiError);
      void (reply as unknown as FastifyReply).code(status).header('Request-Id', request.id).send(body);
    },
    // Node's HTTP parser refuses the request before Fastify sees it (oversized head, garbage): write the
    // error on the socket ourselves instead of Fastify's {"error":"Bad Request",…}, in the shape of the
    // API whose prefix the refused bytes' request line names (Node hands over the chunk that failed; when
    // the request line came in an earlier chunk, the path is unknown and the first module's shape is used).
    clientErrorHandler: (error, socket) => {
      const code = (error as { code?: string }).code;
      if (code === 'ECONNRESET' || socket.destroyed) return;
      if (socket.writable) {
        const apiError = code === 'HPE_HEADER_OVERFLOW' ? errors.headersTooLarge() : errors.requestMalformed();
        socket.write(
          rawErrorAnswer(modules, targetOf((error as { rawPacket?: unknown }).rawPacket), apiError, nextRequestId()),
        );
      }
      socket.destroy(error);
    },
  });

  app.removeContentTypeParser(['application/json', 'text/plain']);
  const parseJson = (_request: unknown, text: string | Buffer, done: (error: Error | null, body?: unknown) => void) => {
    let body: unknown;
    try {
      body = parseJsonBody(text as string);
    } catch (error) {
      return done(error as Error, undefined);
    }
    done(null, body);
  };
  // A string parser for the common type (Fastify matches those first), a pattern for `+json` types.
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: JSON_LIMIT }, parseJson);
  app.addContentTypeParser(
    /^(?:application\/[\w.+-]+\+json|text\/json)/,
    { parseAs: 'string', bodyLimit: JSON_LIMIT },
    parseJson,
  );
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: JSON_LIMIT }, (_request, raw, done) =>
    done(null, (raw as Buffer).length ? raw : undefined),
  );
  // A multipart body is left unread here: @fastify/multipart, registered beside the upload operations
  // alone (mountOperations), streams it there; anywhere else the pipeline refuses it (415) unread. The
  // plugin is not registered app-wide because it runs two async hooks on every request, upload or not.
  app.addContentTypeParser('multipart/form-data', (request, _payload, done) => {
    markUnreadMultipart(request);
    done(null);
  });

  // A body on DELETE has no meaning (RFC 9110 §9.3.5): ignored as on GET, so DELETE never answers the undeclared 413 or 415.
  app.addHttpMethod('DELETE', { hasBody: false, overrideExisting: true });

  // CONNECT asks for a tunnel, which no route offers: Node would drop the connection without a word.
  app.server.on('connect', (request: { url?: string }, socket: Socket) => {
    const path = originForm(request.url ?? '');
    socket.end(rawErrorAnswer(modules, path, errors.routeNotFound('CONNECT', path.split('?')[0]!), nextRequestId()));
  });
  return app;
}

/**
 * The answers no route writes: whatever a hook or route threw, no route at all, and HTTP/1.1 without
 * Host (RFC 9112 §3.2) — each in the shape of the API the path belongs to. Installed after the operator
 * routes are registered, so their plugins' own hooks (admin access) run before the Host check.
 */
export function installFallbackAnswers(
  app: FastifyInstance,
  modules: readonly ApiModule[],
  logUnexpected: (request: FastifyRequest, error: unknown) => void,
): void {
  const renderFor = (url: string) => moduleFor(modules, url).renderError;
  app.setErrorHandler((error, request, reply) =>
    sendError(reply, request, toApiError(error, request, logUnexpected), renderFor(request.url)),
  );
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, request, errors.routeNotFound(request.method, request.url.split('?')[0]!), renderFor(request.url)),
  );
  app.addHook('onRequest', (request, _reply, done) =>
    done(
      request.headers.host === undefined && request.raw.httpVersion === '1.1'
        ? (errors.hostMissing() as unknown as FastifyError)
        : undefined,
    ),
  );
}

/**
 * Stops accepting connections, gives requests in flight `graceMs` to be answered (reaping keep-alive
 * connections as they idle), cuts what is left, then hands the rest of the deadline to `after` (the
 * webhook attempts still in flight).
 */
export async function closeGracefully(
  app: FastifyInstance,
  graceMs: number,
  after: (remainingMs: number) => Promise<void>,
): Promise<void> {
  const deadline = monotonicMs() + graceMs;
  // Requests first (they may still emit events to deliver), then the deliveries, one deadline for both.
  const closed = app.close();
  // Node closes the connections idle at close() only: a keep-alive connection whose request is
  // answered during the grace would hold the close until the deadline. Reap those as they idle.
  const reap = setInterval(() => app.server.closeIdleConnections(), 20);
  let cut: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise<void>((resolve) => (cut = setTimeout(resolve, graceMs)))]);
  clearTimeout(cut);
  clearInterval(reap);
  app.server.closeAllConnections();
  await closed;
  await after(Math.max(0, deadline - monotonicMs()));
}

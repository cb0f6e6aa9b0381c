// The console's routes: its page (handed to the front door, which answers GET / for browsers and
// keeps JSON for `Accept: application/json`), its compiled scripts, and the sign-in of a shared mock
// (admin token → an HttpOnly, SameSite=Strict cookie, so the page's own fetches to /__admin carry it
// and no script ever sees it). See README.md in this folder for what the console may import.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN_COOKIE, hasAdminToken, type AdminAccess } from '../admin-access.js';
import type { FrontDoorInfo } from '../front-door.js';
import { ASSETS_ROUTE, renderConsole, renderSignIn, SIGN_IN_ROUTE } from './page.js';

export interface ConsoleDeps {
  access: AdminAccess;
}

const ASSET_NAME = /^[a-z0-9-]+\.js$/;

/**
 * Where the compiled scripts are: next to this file when it runs from dist/, else in dist/ of the
 * package (tests and tsx run the sources; the package's build compiles app/*.ts there).
 */
function assetsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const beside = path.join(here, 'app');
  if (existsSync(path.join(beside, 'main.js'))) return beside;
  return path.join(here, '..', '..', '..', 'dist', 'mocks', 'operator', 'console', 'app');
}

/**
 * Registers the console's scripts and sign-in; returns the page for the front door's HTML answer.
 * @example
 * const page = await registerConsole(app, { access });
 * await registerFrontDoor(app, { contract, scenarios, docsApiKey, page });
 */
export async function registerConsole(app: FastifyInstance, deps: ConsoleDeps) {
  const { access } = deps;
  const dir = assetsDir();

  app.get(`${ASSETS_ROUTE}/:file`, async (request, reply) => {
    const { file } = request.params as { file: string };
    reply.header('Request-Id', request.id).header('Cache-Control', 'no-store');
    if (!hasAdminToken(request, access))
      return reply.code(401).type('text/plain; charset=utf-8').send('Sign in at / with the admin token first.');
    if (!ASSET_NAME.test(file))
      return reply.code(404).type('text/plain; charset=utf-8').send(`No console asset ${file}.`);
    const at = path.join(dir, file);
    if (!existsSync(at)) {
      // Only a checkout that never ran the build gets here.
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send(`The console's ${file} is not built: run npm run build.`);
    }
    return reply.type('text/javascript; charset=utf-8').send(readFileSync(at));
  });

  // A form post (application/x-www-form-urlencoded arrives as a Buffer from the catch-all parser) or JSON {token}.
  app.post(SIGN_IN_ROUTE, async (request, reply) => {
    const body = request.body;
    const token = Buffer.isBuffer(body)
      ? new URLSearchParams(body.toString('utf8')).get('token')
      : body && typeof body === 'object'
        ? (body as { token?: unknown }).token
        : undefined;
    reply.header('Request-Id', request.id).header('Cache-Control', 'no-store');
    const candidate = typeof token === 'string' ? token : '';
    const fake = { headers: { 'x-admin-token': candidate } } as unknown as FastifyRequest;
    if (!access.shared || !candidate || !hasAdminToken(fake, access)) {
      return reply
        .code(access.shared ? 401 : 404)
        .type('text/html; charset=utf-8')
        .send(
          access.shared
            ? signInPage(request, true)
            : 'Nothing to sign in to: this mock listens on loopback and its console is open.',
        );
    }
    reply.header('Set-Cookie', `${ADMIN_COOKIE}=${encodeURIComponent(candidate)}; Path=/; HttpOnly; SameSite=Strict`);
    return reply.code(303).header('Location', '/').send();
  });

  let facts: FrontDoorInfo | undefined;
  // The sign-in form is posted from the page GET / rendered, so the facts are known by then.
  const signInPage = (_request: FastifyRequest, failed: boolean) =>
    facts ? renderSignIn(facts, failed) : 'That is not the admin token.';

  return (request: FastifyRequest, reply: FastifyReply, info: FrontDoorInfo): FastifyReply => {
    facts = info;
    if (!hasAdminToken(request, access))
      return reply.code(401).type('text/html; charset=utf-8').send(renderSignIn(info, false));
    return reply.type('text/html; charset=utf-8').send(renderConsole(info));
  };
}

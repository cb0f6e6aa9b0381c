// GET /: what this server is. A person who opens http://localhost:4010 in a browser gets a short
// page, a program that sends `Accept: application/json` gets the same facts as JSON: the mock and
// its version, the contract and its version, the docs' key, the scenarios, and links to the
// contract (GET /openapi.json, the API reference) and the admin routes. It reads through the same
// objects the rest of the mock uses (the contract, the scenario list) and changes nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Contract } from '../../kit/contract.js';
import type { Scenario } from '../apis/casapay/scenarios/scenarios.js';

export interface FrontDoorDeps {
  contract: Contract;
  /** The scenarios, read on first need. */
  scenarios: () => Map<string, Scenario>;
  /** The API key of CasaPay's documentation, whose account holds the quickstarts' objects. */
  docsApiKey: string;
  /** Renders the HTML answer instead of the plain page (the console, which embeds renderFacts). */
  page?: (request: FastifyRequest, reply: FastifyReply, info: FrontDoorInfo) => FastifyReply;
  /** The other APIs the mock serves under their prefixes (Debitura's), each with its contract. */
  otherApis?: ReadonlyArray<OtherApi>;
}

export interface OtherApi {
  name: string;
  /** The base path a client uses as its base URL, such as `/debitura/customer`. */
  prefix: string;
  auth: string;
  contract: Contract;
  /** A first request, with `{base}` for the base URL. */
  try: string;
}

export const CONTRACT_ROUTE = '/openapi.json';

/** The admin routes, as the front door lists them. */
const ADMIN_ROUTES: ReadonlyArray<readonly [method: string, path: string, does: string]> = [
  ['GET', '/__admin/health', 'is the mock up'],
  ['GET', '/__admin/state?account=sk_test_…', 'everything one account holds: objects, timelines, scheduled tasks'],
  ['GET', '/__admin/journal?account=…&limit=…', 'the recent requests with their responses, newest first'],
  ['DELETE', '/__admin/journal', 'clear the journal'],
  ['GET', '/__admin/clock', "the mock's clock"],
  ['POST', '/__admin/clock', 'freeze or move the clock: {"freeze": true, "at": …, "shift_seconds": …}'],
  ['POST', '/__admin/reset?account=sk_test_…', 'forget one account (or, without account, all of them)'],
  [
    'POST',
    '/__admin/provider-states',
    'Pact provider state: {"state": "an empty account"} → a new account seeded for it, {api_key, case_id, …}',
  ],
  ['GET', '/__admin/accounts', 'the accounts the mock holds (keys masked when shared)'],
  ['GET', '/__admin/lifecycle', 'the allowed moves of cases, guarantees and claims'],
  ['POST', '/__admin/scenarios', 'load a scenario into an account or a new one: {"scenario": …, "account": …}'],
];

/** This package's version, from its package.json (found from mocks/ and from dist/mocks/). */
function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'casapay-contract-kit' && pkg.version) return pkg.version;
    } catch {
      /* not here: look one folder up */
    }
  }
  return 'unknown';
}

export interface FrontDoorInfo {
  object: 'mock';
  name: string;
  version: string;
  contract: { title: string; version: string; url: string };
  docs_api_key: string;
  try: string;
  scenarios: Array<{ name: string; description: string }>;
  admin_routes: Array<{ method: string; path: string; does: string }>;
  /** The other APIs served beside CasaPay's /v1: base URL, authentication, contract URL, a first request. */
  apis: Array<{ name: string; base_url: string; auth: string; contract_url: string; try: string }>;
}

/**
 * The facts the front door shows, for a base URL.
 * @example frontDoorInfo(deps, 'http://127.0.0.1:4010').contract.url // 'http://127.0.0.1:4010/openapi.json'
 */
export function frontDoorInfo(deps: FrontDoorDeps, version: string, baseUrl: string): FrontDoorInfo {
  const info = deps.contract.document.info as { title: string; version: string };
  return {
    object: 'mock',
    name: 'CasaPay mock',
    version,
    contract: { title: info.title, version: info.version, url: `${baseUrl}${CONTRACT_ROUTE}` },
    docs_api_key: deps.docsApiKey,
    try: `curl ${baseUrl}/v1/collection_cases -H "Authorization: Bearer ${deps.docsApiKey}"`,
    scenarios: [...deps.scenarios().values()].map(({ name, description }) => ({ name, description })),
    admin_routes: ADMIN_ROUTES.map(([method, route, does]) => ({ method, path: route, does })),
    apis: (deps.otherApis ?? []).map((api) => ({
      name: api.name,
      base_url: `${baseUrl}${api.prefix}`,
      auth: api.auth,
      contract_url: `${baseUrl}${api.prefix}${CONTRACT_ROUTE}`,
      try: api.try.replaceAll('{base}', `${baseUrl}${api.prefix}`),
    })),
  };
}

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The page's content (no <html> around it), for the plain page and for the console's home. */
export function renderFacts(info: FrontDoorInfo): string {
  const rows = (items: string[][]) =>
    items.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<p class="sub">casapay-contract-kit ${escapeHtml(info.version)} · contract “${escapeHtml(info.contract.title)}” version ${escapeHtml(info.contract.version)}</p>
<p>A stateful mock of the CasaPay API: what you POST you can GET, list and page; cases and claims live out their lifecycles on a virtual clock, announced by signed webhooks.</p>
<h2>Try it</h2>
<p>The documentation's key <code>${escapeHtml(info.docs_api_key)}</code> opens an account that already holds the objects the quickstarts refer to; any other <code>sk_test_…</code> key opens its own, empty account.</p>
<pre>${escapeHtml(info.try)}</pre>
<h2>API reference</h2>
<p>The OpenAPI 3.1 contract this mock validates every request against: <a href="${escapeHtml(info.contract.url)}">${escapeHtml(info.contract.url)}</a> (load it into any OpenAPI viewer; <code>npm run docs</code> renders it as one HTML page).</p>
<h2>Scenarios</h2>
<p>Seed every new account with <code>casapay-mock --scenario NAME</code>, or one account per request with the header <code>X-Mock-Scenario: NAME</code>.</p>
<table>
${rows(info.scenarios.map((s) => [`<code>${escapeHtml(s.name)}</code>`, escapeHtml(s.description)]))}
</table>
${
  info.apis.length
    ? `<h2>Also served</h2>
<table>
${rows(info.apis.map((a) => [escapeHtml(a.name), `<code>${escapeHtml(a.base_url)}</code>`, escapeHtml(a.auth), `<a href="${escapeHtml(a.contract_url)}">contract</a>`]))}
</table>
<pre>${info.apis.map((a) => escapeHtml(a.try)).join('\n')}</pre>`
    : ''
}
<h2>Admin routes</h2>
<table>
${rows(info.admin_routes.map((r) => [`<code>${escapeHtml(r.method)}</code>`, r.method === 'GET' && !r.path.includes('…') ? `<a href="${escapeHtml(r.path)}"><code>${escapeHtml(r.path)}</code></a>` : `<code>${escapeHtml(r.path)}</code>`, escapeHtml(r.does)]))}
</table>
<p class="sub">JSON of this page: <code>curl -H "Accept: application/json" ${escapeHtml(info.contract.url.replace(CONTRACT_ROUTE, '/'))}</code></p>`;
}

function renderHtml(info: FrontDoorInfo): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.name)} ${escapeHtml(info.version)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1d2330; }
h1 { margin-bottom: 0; } .sub { color: #5b6475; margin-top: .25rem; }
code, pre { font: 13px ui-monospace, monospace; background: #f3f4f7; border-radius: 4px; }
code { padding: 1px 4px; } pre { padding: .75rem; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; } td { border-top: 1px solid #e3e6ec; padding: .35rem .5rem; vertical-align: top; }
</style>
</head>
<body>
<h1>${escapeHtml(info.name)}</h1>
${renderFacts(info)}
</body>
</html>
`;
}

/** JSON when the client prefers it over HTML (`Accept: application/json`), HTML otherwise. */
function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  const quality = (type: RegExp) => {
    let best = -1;
    for (const part of accept.split(',')) {
      const [media, ...params] = part.trim().split(';');
      if (!type.test(media!.trim())) continue;
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      best = Math.max(best, q ? Number(q.slice(2)) || 0 : 1);
    }
    return best;
  };
  return quality(/^application\/(json|[\w.+-]+\+json)$/) > quality(/^text\/html$/);
}

/**
 * Registers `GET /` and `GET /openapi.json`. Await it before `listen`.
 * @example
 * await registerFrontDoor(app, { contract, scenarios, docsApiKey: DOCS_API_KEY });
 * (await fetch(url, { headers: { accept: 'application/json' } })).json() // { object: 'mock', … }
 */
export async function registerFrontDoor(app: FastifyInstance, deps: FrontDoorDeps): Promise<void> {
  let version: string | undefined;
  let contractJson: string | undefined;
  app.get('/', async (request, reply) => {
    const info = frontDoorInfo(deps, (version ??= packageVersion()), `${request.protocol}://${request.host}`);
    reply.header('Request-Id', request.id).header('Vary', 'Accept');
    if (wantsJson(request)) return reply.type('application/json; charset=utf-8').send(info);
    if (deps.page) return deps.page(request, reply, info);
    return reply.type('text/html; charset=utf-8').send(renderHtml(info));
  });
  app.get(CONTRACT_ROUTE, async (request, reply) => {
    reply.header('Request-Id', request.id);
    return reply
      .type('application/json; charset=utf-8')
      .send((contractJson ??= JSON.stringify(deps.contract.document)));
  });
  for (const api of deps.otherApis ?? []) {
    let json: string | undefined;
    app.get(`${api.prefix}${CONTRACT_ROUTE}`, async (request, reply) =>
      reply
        .header('Request-Id', request.id)
        .type('application/json; charset=utf-8')
        .send((json ??= JSON.stringify(api.contract.document))),
    );
  }
}

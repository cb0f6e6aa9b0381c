#!/usr/bin/env node
// The `scalar` target of scripts/bench.ts: Scalar's OpenAPI mock server (@scalar/mock-server, a Hono
// app) on our contract, served with @hono/node-server on 127.0.0.1. Its defaults are kept (request
// validation on, as `prism mock` validates); only its start-up log lines are silenced. Needs Node >= 22:
// the bench runs it with the Node 24 that this folder installs (node_modules/.bin/node).
//
//   node scripts/bench-peers/scalar-server.mjs --port 4012 [--host 127.0.0.1] [--document generated/casapay.json]
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { createMockServer } from '@scalar/mock-server';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i !== -1 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const port = Number(arg('--port', '4012'));
const hostname = arg('--host', '127.0.0.1');
const documentPath = arg('--document', new URL('../../generated/casapay.json', import.meta.url).pathname);

const document = JSON.parse(readFileSync(documentPath, 'utf8'));
const app = await createMockServer({ document, logger: false });
const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
  console.log(`bench scalar mock (node ${process.version}) listening on http://${info.address}:${info.port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}

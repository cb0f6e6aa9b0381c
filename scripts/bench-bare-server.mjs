#!/usr/bin/env node
// The "bare" baseline of scripts/bench.ts: a plain node:http server that answers
// the same JSON bodies the mock would, and does nothing else — no auth check,
// validation, storage or logging. Each response is serialised per request with
// JSON.stringify (as any node server would), so the comparison is "our mock"
// against "the cheapest honest node:http answer".
//
//   node scripts/bench-bare-server.mjs --port 4011 [--host 127.0.0.1]
//
// GET  /v1/collection_cases/{id}  → 200, one case with that id
// POST /v1/collection_cases       → 201, a case (after reading the whole body)
// GET  /v1/collection_cases[?…]   → 200, a list of 10 cases
// POST /v1/collection_cases/{id}/files → 201, a case file (after reading the whole multipart body,
//                                  unparsed: the contract's example with a fresh id and that case)
// anything else                   → 404
import http from 'node:http';
import { readFileSync } from 'node:fs';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i !== -1 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const port = Number(arg('--port', '4011'));
const host = arg('--host', '127.0.0.1');

// The contract's example of a case with every field (retrieveCollectionCase → 200), with the id asked for.
const contract = JSON.parse(readFileSync(new URL('../generated/casapay.json', import.meta.url), 'utf8'));
const example =
  contract.paths['/v1/collection_cases/{id}'].get.responses['200'].content['application/json'].examples.case.value;
const makeCase = (id) => ({ ...example, id });
// The contract's example of an uploaded file (uploadCaseFile → 201).
const fileExample =
  contract.paths['/v1/collection_cases/{id}/files'].post.responses['201'].content['application/json'].examples.invoice
    .value;
const makeFile = (id, caseId) => ({
  ...fileExample,
  id,
  case: caseId,
  url: `/v1/collection_cases/${caseId}/files/${id}/contents`,
});

const page = {
  object: 'list',
  data: Array.from({ length: 10 }, (_, i) => makeCase(`dc_${String(i).padStart(8, '0')}`)),
  has_more: true,
  url: '/v1/collection_cases',
};

let next = 0;
const PREFIX = '/v1/collection_cases';
const FILES = '/files';

function send(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (req.method === 'POST' && path === PREFIX) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      Buffer.concat(chunks);
      next++;
      send(res, 201, makeCase(`dc_${next.toString(36).padStart(8, '0')}`));
    });
    return;
  }
  if (
    req.method === 'POST' &&
    path.startsWith(`${PREFIX}/`) &&
    path.endsWith(FILES) &&
    path.indexOf('/', PREFIX.length + 1) === path.length - FILES.length
  ) {
    const caseId = decodeURIComponent(path.slice(PREFIX.length + 1, path.length - FILES.length));
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      Buffer.concat(chunks);
      next++;
      send(res, 201, makeFile(`file_${next.toString(36).padStart(8, '0')}`, caseId));
    });
    return;
  }
  if (req.method === 'GET' && path === PREFIX) return send(res, 200, page);
  if (req.method === 'GET' && path.startsWith(`${PREFIX}/`) && path.indexOf('/', PREFIX.length + 1) === -1) {
    return send(res, 200, makeCase(decodeURIComponent(path.slice(PREFIX.length + 1))));
  }
  req.resume();
  send(res, 404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'Not found.' } });
});

server.keepAliveTimeout = 65_000;
server.listen(port, host, () => {
  console.log(`bench-bare-server listening on http://${host}:${port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}

// Every answer under /v1 is in the error envelope with a status the contract declares — including
// the ones Fastify and node's HTTP parser would otherwise write themselves (a malformed
// percent-encoding, an id longer than the router takes, an oversized request line or header block,
// bytes that are not HTTP). Sent over a real socket, byte for byte, so nothing normalises the request.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeErrors } from '../../../kit/contract.js';
import { contract, startMock, type TestMock } from '../../test-support.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Writes `request` on a fresh connection and reads the whole answer (the mock closes after errors). */
function rawRequest(port: number, request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      let body: unknown = rest.join('\r\n\r\n');
      try {
        body = JSON.parse(String(body));
      } catch {
        // left as text: the assertion below shows it
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
  });
}

const AUTH = 'Authorization: Bearer sk_test_envelope\r\n';
const get = (target: string, extra = '') =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${AUTH}${extra}Connection: close\r\n\r\n`;

describe('answers the mock does not write in a handler still carry the error envelope', () => {
  let mock: TestMock;
  let port: number;
  beforeAll(async () => {
    mock = await startMock();
    port = Number(new URL(mock.url).port);
  });
  afterAll(() => mock.close());

  const cases: [name: string, request: () => string, operationId: string, status: number, code: string][] = [
    [
      'a malformed percent-encoding in the path',
      () => get('/v1/collection_cases/%E0%A4%A'),
      'retrieveCollectionCase',
      400,
      'url_invalid',
    ],
    [
      'a path id longer than the router accepts',
      () => get(`/v1/collection_cases/dc_${'a'.repeat(3000)}`),
      'retrieveCollectionCase',
      400,
      'parameter_invalid',
    ],
    [
      'an oversized header block (HTTP would say 431)',
      () => get('/v1/collection_cases', `X-Padding: ${'a'.repeat(20_000)}\r\n`),
      'listCollectionCases',
      400,
      'headers_too_large',
    ],
    [
      'an oversized request line',
      () => get(`/v1/collection_cases?starting_after=${'a'.repeat(20_000)}`),
      'listCollectionCases',
      400,
      'headers_too_large',
    ],
    ['bytes that are not HTTP', () => 'HELLO\r\n\r\n', 'listCollectionCases', 400, 'request_malformed'],
  ];

  it.each(cases)('%s → %s %s in the envelope', async (_name, request, operationId, status, code) => {
    const answer = await rawRequest(port, request());
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(
      contract.declaredStatus(operationId, answer.status),
      `${operationId} declares ${answer.status}`,
    ).toBeDefined();
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.headers['request-id'], 'a Request-Id like every other answer').toMatch(/^req_/);
    const validate = contract.closed().responseValidator(operationId, answer.status)!;
    expect(validate(answer.body), describeErrors(validate.errors)).toBe(true);
    expect((answer.body as { error: { code: string } }).error.code).toBe(code);
  });

  it('the server keeps serving after refusing an oversized head', async () => {
    await rawRequest(port, get('/v1/collection_cases', `X-Padding: ${'a'.repeat(20_000)}\r\n`));
    const ok = await mock.call('GET', '/v1/collection_cases', { key: 'sk_test_envelope' });
    expect(ok.status).toBe(200);
  });
});

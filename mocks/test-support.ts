import { spawn, type ChildProcess } from 'node:child_process';
// Shared by the mock's own tests: a mock on a free port with a frozen clock, and a client whose every
// response is checked against the contract (status declared, body valid), so tests cannot pass on a
// response the contract does not allow.
import { expect } from 'vitest';
import { createClock } from './engine/clock.js';
import { describeErrors, loadContract } from '../kit/contract.js';
import { createMockServer, type MockServer, type MockServerOptions } from './server.js';
import type { components } from '../generated/casapay.js';

export const contract = loadContract();

/** 2026-11-25T00:00:00Z: the seeds' due date 2024-11-01 is then 24 full months old. */
export const TEST_NOW = 1795564800;

export interface CallOptions {
  body?: unknown;
  key?: string | null;
  headers?: Record<string, string>;
  /** Skip the contract check (for deliberately undeclared outcomes). */
  unchecked?: boolean;
}

export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestMock extends MockServer {
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<CallResult<T>>;
}

/** The contract's own example of the quickstart's create body. */
export const QUICKSTART_CASE: components['schemas']['CollectionCaseCreateParams'] =
  contract.document.paths['/v1/collection_cases'].post.requestBody.content['application/json'].examples.quickstart
    .value;

/** A create body of its own for the n-th case of a test (its reference `${prefix}-${n}`, its debtor numbered). */
export const numberedCase = (prefix: string, n: number, amount = 100_000) => ({
  amount_to_recover: amount + n,
  currency: 'eur',
  due_date: '2024-06-01',
  creditor_reference: `${prefix}-${n}`,
  debtor: {
    type: 'private',
    name: `Debtor ${n}`,
    email: `debtor${n}@example.com`,
    country: 'DE',
    address: { line1: `Str. ${n}`, city: 'Berlin', postal_code: '10115', country: 'DE' },
  },
});

export async function startMock(options: MockServerOptions = {}): Promise<TestMock> {
  const mock = await createMockServer({
    port: 0,
    logLevel: 'silent',
    seed: 'test',
    validateResponses: true,
    clock: createClock({ start: TEST_NOW, frozen: true }),
    webhookRetryDelaysMs: [20, 40],
    ...options,
  });
  const call = async (
    method: string,
    path: string,
    { body, key = 'sk_test_mock_tests', headers = {}, unchecked }: CallOptions = {},
  ) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (key) (init.headers as Record<string, string>).authorization = `Bearer ${key}`;
    if (body !== undefined) {
      if (body instanceof FormData) init.body = body;
      else {
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
      }
    }
    const response = await fetch(`${mock.url}${path}`, init);
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') ? await response.json() : Buffer.from(await response.arrayBuffer());
    if (!unchecked) {
      const operation = contract.match(method, path.split('?')[0]!);
      expect(operation, `${method} ${path} is not a contract operation`).toBeDefined();
      const validate = contract.closed().responseValidator(operation!.operationId, response.status);
      expect(
        validate,
        `${operation!.operationId} does not declare ${response.status}: ${JSON.stringify(parsed)}`,
      ).not.toBeUndefined();
      if (validate)
        expect(
          validate(parsed),
          `${operation!.operationId} ${response.status}: ${describeErrors(validate.errors)}`,
        ).toBe(true);
      expect(response.headers.get('request-id')).toMatch(/^req_/);
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };
  return Object.assign(mock, { call: call as TestMock['call'] });
}

/**
 * Starts the CLI from source as a real process on a free port with `flags`; resolves with its URL once
 * it listens (the process is pushed to `children`, for the caller to stop).
 * @example const { url } = await startCliProcess(['--data-dir', dir], children);
 */
export function startCliProcess(
  flags: string[],
  children: ChildProcess[],
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'mocks/cli.ts', '--port', '0', '--quiet', ...flags], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve({ url: match[1]!, child });
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the mock exited (${code}) before listening:\n${out}`)));
  });
}

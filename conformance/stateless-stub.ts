// A stateless stub of a contract, for the suite's own tests: an HTTP server on loopback that answers
// every request to an operation with the operation's lowest 2xx and a random body valid against its
// schema, generated from the contract with fast-check from a seed and the request's sequence number,
// remembering nothing. It is what an independent stub such as Specmatic's answers: contract-valid, and
// wrong about every promise that needs state. stateless-stub.test.ts runs the whole suite against it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import type { Contract, OperationSpec } from '../kit/contract.js';

/** One contract served under a path prefix (`/referral`), or at the root (`''`). */
export interface StubMount {
  prefix: string;
  contract: Contract;
}

export interface StatelessStub {
  url: string;
  /** Requests answered, by operation id. */
  answered: Map<string, number>;
  close(): Promise<void>;
}

type Schema = Record<string, any>;
type Json = unknown;

/** Formats the contracts use, as values a validator accepts. */
const FORMATS: Record<string, () => fc.Arbitrary<string>> = {
  'date-time': () =>
    fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString()),
  date: () =>
    fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  uuid: () => fc.uuid(),
  // fast-check's own emailAddress and webUrl take seconds to build; these simple forms are valid too.
  email: () => fc.stringMatching(/^[a-z][a-z0-9]{0,10}@[a-z]{1,10}\.(com|org|de)$/),
  uri: () => fc.stringMatching(/^https?:\/\/[a-z]{1,10}\.(com|org|de)(\/[a-z0-9]{1,8}){0,2}$/),
};

/**
 * A fast-check arbitrary of values valid against a schema of `document` (best effort: the stub
 * re-draws what the validator refuses). Arrays and open objects stay small; integers span their whole
 * declared range.
 */
export function arbitraryOf(document: Schema, schema: Schema, depth = 0): fc.Arbitrary<Json> {
  const resolve = (ref: string): Schema =>
    ref
      .replace(/^#\//, '')
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<any>((node, key) => node?.[key], document);
  let s = schema;
  for (let i = 0; s && typeof s.$ref === 'string' && i < 20; i++) s = { ...resolve(s.$ref), ...omit(s, '$ref') };
  if (!s || depth > 8) return fc.constant(null);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum);
  if (Array.isArray(s.oneOf) || Array.isArray(s.anyOf)) {
    const base = omit(s, 'oneOf', 'anyOf');
    return fc.oneof(...(s.oneOf ?? s.anyOf).map((m: Schema) => arbitraryOf(document, { ...base, ...m }, depth + 1)));
  }
  if (Array.isArray(s.allOf)) {
    const members = s.allOf.map((m: Schema) => arbitraryOf(document, m, depth + 1));
    const own = Object.keys(omit(s, 'allOf', 'description', 'title')).length
      ? arbitraryOf(document, omit(s, 'allOf'), depth + 1)
      : fc.constant({});
    return fc
      .tuple(own, ...members)
      .map((parts) =>
        parts.every((p) => p && typeof p === 'object' && !Array.isArray(p)) ? Object.assign({}, ...parts) : parts[1],
      );
  }
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : ['string'];
  return fc.oneof(...types.map((type) => ofType(document, s, type, depth)));
}

/** Arbitraries that are costly to build (web URLs, e-mail addresses, regular expressions), built once. */
const built = new Map<string, fc.Arbitrary<Json>>();
function memo<T>(key: string, make: () => fc.Arbitrary<T>): fc.Arbitrary<T> {
  let arbitrary = built.get(key);
  if (!arbitrary) built.set(key, (arbitrary = make()));
  return arbitrary as fc.Arbitrary<T>;
}

function omit(schema: Schema, ...keys: string[]): Schema {
  const out = { ...schema };
  for (const key of keys) delete out[key];
  return out;
}

function ofType(document: Schema, s: Schema, type: string, depth: number): fc.Arbitrary<Json> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const whole = fc.integer({
        min: Math.max(s.minimum ?? -1_000_000, Number.MIN_SAFE_INTEGER),
        max: Math.min(s.maximum ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
      });
      // A Timestamp (minimum 0, no maximum) is mostly a time of this century, now and then one no
      // date can hold (contract-valid too: the suite must fail a rule for it, not crash).
      if (s.minimum === 0 && s.maximum === undefined)
        return fc.oneof(
          { arbitrary: fc.integer({ min: 1_000_000_000, max: 2_000_000_000 }), weight: 19 },
          { arbitrary: whole, weight: 1 },
        );
      return whole;
    }
    case 'number':
      return fc.double({
        min: s.minimum ?? -1e9,
        max: s.maximum ?? 1e9,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'string': {
      if (typeof s.format === 'string' && FORMATS[s.format]) return memo(`format ${s.format}`, FORMATS[s.format]!);
      if (typeof s.pattern === 'string')
        return memo(`pattern ${s.pattern}`, () => fc.stringMatching(new RegExp(s.pattern)));
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 24, 24) });
    }
    case 'array':
      return fc.array(s.items ? arbitraryOf(document, s.items, depth + 1) : fc.constant(null), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 3, 3),
      });
    default: {
      const properties = Object.entries<Schema>(s.properties ?? {});
      const required = new Set<string>(s.required ?? []);
      const record: Record<string, fc.Arbitrary<Json>> = {};
      for (const [name, child] of properties) record[name] = arbitraryOf(document, child, depth + 1);
      const declared = fc.record(record, { requiredKeys: properties.map(([n]) => n).filter((n) => required.has(n)) });
      if (properties.length || s.additionalProperties === false) return declared;
      // An open map (metadata): a few string values, within maxProperties.
      return fc.dictionary(fc.stringMatching(/^[a-z_]{1,12}$/), fc.string({ maxLength: 20 }), {
        maxKeys: Math.min(s.maxProperties ?? 3, 3),
      });
    }
  }
}

/**
 * Starts the stub on 127.0.0.1 (a free port). Answer n is drawn with seed `seed + n`, so a run that
 * sends its requests in the same order gets the same answers.
 * @example const stub = await startStatelessStub([{ prefix: '', contract: loadContract() }], 7);
 */
export async function startStatelessStub(mounts: StubMount[], seed: number): Promise<StatelessStub> {
  const answered = new Map<string, number>();
  const arbitraries = new Map<string, fc.Arbitrary<Json>>();
  let sequence = 0;

  const answer = (contract: Contract, operation: OperationSpec): { status: number; body?: string } => {
    answered.set(operation.operationId, (answered.get(operation.operationId) ?? 0) + 1);
    const status = Object.keys(operation.responses)
      .filter((k) => /^2\d\d$/.test(k))
      .sort()[0];
    if (!status) return { status: 500 };
    const pointer = operation.responses[status];
    if (!pointer) return { status: Number(status), body: status === '204' ? undefined : 'stub bytes' };
    const key = `${contract.document.info?.title} ${pointer}`;
    let arbitrary = arbitraries.get(key);
    if (!arbitrary) arbitraries.set(key, (arbitrary = arbitraryOf(contract.document, { $ref: pointer })));
    const validate = contract.responseValidator(operation.operationId, Number(status));
    let body: Json = null;
    for (let attempt = 0; attempt < 20; attempt++) {
      [body] = fc.sample(arbitrary, { seed: seed + ++sequence, numRuns: 1 });
      if (!validate || validate(body)) break;
    }
    return { status: Number(status), body: JSON.stringify(body) };
  };

  const server: Server = createServer((request, response) => {
    // The body is drained, never read: a stateless stub answers without looking at what was sent.
    request.resume();
    request.on('end', () => {
      try {
        respond();
      } catch (error) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      }
    });
    const respond = () => {
      const url = new URL(request.url ?? '/', 'http://stub');
      const mount = mounts.find((m) => m.prefix === '' || url.pathname.startsWith(`${m.prefix}/`));
      const operation = mount?.contract.match(
        (request.method ?? 'GET').toLowerCase(),
        url.pathname.slice(mount.prefix.length),
      );
      if (!mount || !operation) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('no such operation');
        return;
      }
      const { status, body } = answer(mount.contract, operation);
      const json = operation.responses[String(status)] !== null;
      response.writeHead(status, {
        'content-type': json ? 'application/json' : 'application/octet-stream',
        // A constant header value, as a stub that fills declared headers from their example would.
        'request-id': 'req_stub',
      });
      response.end(body);
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

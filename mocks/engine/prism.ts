// The only file that imports @stoplight/*: Prism's mocker answers requests that ask for a contract
// example (`Prefer: code=404, example=notFound, dynamic=true`). Prism is loaded on first use, so it
// costs nothing at start-up or on the stateful hot path. Loading can fail (no file descriptor left):
// that request is answered 503 with Retry-After and the next one tries again.
import type { Contract, OperationSpec } from '../../kit/contract.js';
import { ApiError, errors } from './errors.js';

export interface PrismRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: unknown;
}

export interface PrismAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface Preference {
  code?: number;
  example?: string;
  dynamic?: boolean;
}

/** The 400 for a `Prefer` header the mock cannot answer, saying why. */
const preferInvalid = (why: string) => errors.parameterInvalid('Prefer', why);

/**
 * Reads Prism's `Prefer` header: `code=404`, `example=notFound`, `dynamic=true`, comma separated.
 * Other preferences are ignored (RFC 7240); a malformed value of these three is a 400 naming `Prefer`.
 * @example parsePrefer('code=404, example=notFound') // { code: 404, example: 'notFound' }
 */
export function parsePrefer(header: string | undefined): Preference | undefined {
  if (!header) return undefined;
  const preference: Preference = {};
  for (const part of header.split(/[;,]/)) {
    const [key = '', raw = ''] = part.split('=').map((s) => s.trim());
    if (key === 'code') {
      if (!/^[1-5]\d{2}$/.test(raw))
        throw preferInvalid(
          `code=${raw.slice(0, 20)} is not an HTTP status; send code=404 (a status the operation declares).`,
        );
      preference.code = Number(raw);
    }
    if (key === 'example') {
      if (!raw) throw preferInvalid("example= needs the name of one of the operation's examples.");
      preference.example = raw;
    }
    if (key === 'dynamic') {
      if (raw !== 'true' && raw !== 'false') throw preferInvalid(`dynamic=${raw.slice(0, 20)} must be true or false.`);
      preference.dynamic = raw === 'true';
    }
  }
  return Object.keys(preference).length ? preference : undefined;
}

type PrismModule = typeof import('@stoplight/prism-http');
type Loaded = {
  prism: PrismModule;
  core: typeof import('@stoplight/prism-core');
  operations: Awaited<ReturnType<PrismModule['getHttpOperationsFromSpec']>>;
};

export class PrismFallback {
  private loading?: Promise<Loaded>;

  constructor(private readonly contract: Contract) {}

  private load(): Promise<Loaded> {
    this.loading ??= (async () => {
      const document = structuredClone(this.contract.document);
      const [prism, core] = await Promise.all([import('@stoplight/prism-http'), import('@stoplight/prism-core')]);
      const operations = await prism.getHttpOperationsFromSpec(document);
      return { prism, core, operations };
    })();
    return this.loading.catch((error: unknown) => {
      // Not kept: a failed load is retried by the next request that needs Prism.
      this.loading = undefined;
      throw Object.assign(errors.unavailable(), { cause: error });
    });
  }

  /**
   * Answers from the contract's examples (or schemas, with `dynamic`) for the operation. A status the
   * operation does not declare, or anything Prism cannot answer (an unknown example), is a 400 naming
   * `Prefer` with the reason, never Prism's own 404 or 500.
   */
  async answer(operation: OperationSpec, request: PrismRequest, preference: Preference): Promise<PrismAnswer> {
    const declared = Object.keys(operation.responses);
    const code = preference.code;
    // The response Prism will pick: the one for `code`, else the lowest 2xx.
    const key =
      code === undefined
        ? declared.filter((k) => k.startsWith('2')).sort()[0]
        : [String(code), `${String(code)[0]}XX`, 'default'].find((k) => declared.includes(k));
    if (key === undefined)
      throw preferInvalid(`code=${code} is not a status ${operation.operationId} declares (${declared.join(', ')}).`);
    if (preference.example !== undefined) {
      const path = operation.path.replace(/~/g, '~0').replace(/\//g, '~1');
      const examples = Object.keys(
        this.contract.resolve(`#/paths/${path}/${operation.method}/responses/${key}`)?.content?.['application/json']
          ?.examples ?? {},
      );
      if (!examples.includes(preference.example)) {
        throw preferInvalid(
          `example=${preference.example.slice(0, 40)}: the ${key} answer of ${operation.operationId} has ${examples.length ? `the examples ${examples.join(', ')}` : 'no named examples'}.`,
        );
      }
    }
    try {
      return await this.prismAnswer(operation, request, preference);
    } catch (error) {
      // A failed load (503) stays what it is; anything Prism itself refuses is about the preference.
      if (error instanceof ApiError) throw error;
      const problem = error as { detail?: string; message?: string };
      throw preferInvalid(`the contract has no answer for it: ${problem.detail ?? problem.message ?? String(error)}`);
    }
  }

  private async prismAnswer(
    operation: OperationSpec,
    request: PrismRequest,
    preference: Preference,
  ): Promise<PrismAnswer> {
    const { prism, core, operations } = await this.load();
    const instance = prism.createInstance(
      {
        mock: { dynamic: preference.dynamic ?? false, code: preference.code, exampleKey: preference.example },
        validateRequest: false,
        validateResponse: false,
        checkSecurity: false,
        errors: false,
        upstreamProxy: undefined,
        isProxy: false,
      },
      { logger: core.createLogger('prism', { level: 'silent' }) },
    );
    const result = await instance.request(
      {
        method: operation.method,
        url: { path: request.path, query: request.query },
        headers: request.headers,
        body: request.body,
      },
      operations,
    )();
    if (result._tag === 'Left') throw result.left;
    const output = result.right.output;
    return { status: output.statusCode, headers: (output.headers ?? {}) as Record<string, string>, body: output.body };
  }
}

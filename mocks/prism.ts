// The only file that imports @stoplight/*: Prism's mocker answers requests that ask for a contract
// example (`Prefer: code=404, example=notFound, dynamic=true`). Prism is loaded on first use, so it
// costs nothing at start-up or on the stateful hot path. Loading can fail (no file descriptor left):
// that request is answered 503 with Retry-After and the next one tries again.
import type { Contract, OperationSpec } from './contract.js';
import { errors } from './errors.js';

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

/**
 * Reads Prism's `Prefer` header: `code=404`, `example=notFound`, `dynamic=true`, comma separated.
 * @example parsePrefer('code=404, example=notFound') // { code: 404, example: 'notFound' }
 */
export function parsePrefer(header: string | undefined): Preference | undefined {
  if (!header) return undefined;
  const preference: Preference = {};
  for (const part of header.split(/[;,]/)) {
    const [key, raw] = part.split('=').map((s) => s.trim());
    if (!raw) continue;
    if (key === 'code' && /^\d{3}$/.test(raw)) preference.code = Number(raw);
    if (key === 'example') preference.example = raw;
    if (key === 'dynamic') preference.dynamic = raw === 'true';
  }
  return Object.keys(preference).length ? preference : undefined;
}

type PrismModule = typeof import('@stoplight/prism-http');
type Loaded = { prism: PrismModule; core: typeof import('@stoplight/prism-core'); operations: Awaited<ReturnType<PrismModule['getHttpOperationsFromSpec']>> };

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

  /** Answers from the contract's examples (or schemas, with `dynamic`) for the operation. */
  async answer(operation: OperationSpec, request: PrismRequest, preference: Preference): Promise<PrismAnswer> {
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
      { method: operation.method, url: { path: request.path, query: request.query }, headers: request.headers, body: request.body },
      operations,
    )();
    if (result._tag === 'Left') throw result.left;
    const output = result.right.output;
    return { status: output.statusCode, headers: (output.headers ?? {}) as Record<string, string>, body: output.body };
  }
}

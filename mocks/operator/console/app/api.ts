// The console's only way to the mock: the public /v1 API with the chosen account's key, and the
// /__admin routes. Nothing else — so the console shows exactly what a client of the API sees.
// The key is remembered in localStorage; on a shared mock the admin token travels as the HttpOnly
// cookie the sign-in set (the browser adds it; this code never sees it).
import type { components } from '../../../../generated/casapay.js';

export type ApiErrorBody = components['schemas']['Error'];

const KEY_STORAGE = 'casapay.console.api_key';

export const getKey = (): string | null => localStorage.getItem(KEY_STORAGE);
export const setKey = (key: string | null): void =>
  key ? localStorage.setItem(KEY_STORAGE, key) : localStorage.removeItem(KEY_STORAGE);

/** A 4xx/5xx with the API's error envelope (or whatever came). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const error = (body as ApiErrorBody | undefined)?.error;
    super(
      error
        ? `${status} ${error.code}: ${error.message}`
        : `${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`,
    );
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  const key = getKey();
  // /__admin reads of one account need its key when the mock is shared; /v1 always does.
  if (key && (path.startsWith('/v1/') || path.startsWith('/__admin/'))) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  // Every POST gets a fresh key, as a careful client does; a double click is then two requests,
  // which is what the person asked for.
  if (method === 'POST' && path.startsWith('/v1/')) headers['idempotency-key'] = `console-${crypto.randomUUID()}`;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const type = response.headers.get('content-type') ?? '';
  const parsed = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new ApiFailure(response.status, parsed);
  return parsed as T;
}

export const get = <T = any>(path: string) => call<T>('GET', path);
export const post = <T = any>(path: string, body?: unknown) => call<T>('POST', path, body ?? {});
export const del = <T = any>(path: string) => call<T>('DELETE', path);

/** A file's bytes with the key, saved through an object URL (a plain link cannot send Authorization). */
export async function download(path: string, filename: string): Promise<void> {
  const key = getKey();
  const response = await fetch(path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  if (!response.ok) throw new ApiFailure(response.status, await response.json().catch(() => undefined));
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `?a=1&created[gte]=…` from a flat record, dropping empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(
      ([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(String(v))}`,
    );
  return parts.length ? `?${parts.join('&')}` : '';
}

type Contract = {
  paths: Record<string, Record<string, { operationId: string; parameters?: any[] }>>;
  components: { schemas: Record<string, any>; parameters?: Record<string, any> };
};
let contract: Promise<Contract> | undefined;
/** The contract the mock serves (GET /openapi.json), read once: filters and enums come from it. */
export const loadContract = () => (contract ??= get<Contract>('/openapi.json'));

// THE request path of the mock, read top to bottom. Fastify has already parsed the body (JSON with a
// size bound; multipart is read here, streaming, with its own bounds) and the onRequest hook has
// authenticated the caller (see server.ts). For each contract operation:
//   1. route       Fastify matched the contract path; the operation and its validators were compiled at start
//   2. prefer      `Prefer: code=…, example=…` → Prism answers from the contract's examples
//   3. validate    query (coerced) and body against the contract → 400 naming `param`
//   4. idempotency POST with Idempotency-Key: replay, 400 on a different body, 409 while in flight
//   5. dispatch    the stateful handler for the operation
//   6. commit      on a durable store (--data-dir, --database-url), the changes are written first
//   7. respond     status, Request-Id, body (optionally checked against the contract)
//   8. emit        events recorded by the handler go to the webhook dispatcher
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Contract, OperationSpec } from '../../kit/contract.js';
import { paramName } from '../../kit/contract.js';
import { ApiError, errors, type RenderedError } from './errors.js';
import type { Caller, Handler, HandlerResult, RequestContext, UploadedFile } from './handler.js';
import { fingerprint } from './state/idempotency.js';
import { checkObjectLimit } from './state/object-limit.js';
import type { Account } from './state/accounts.js';
import type { Sandbox } from './sandbox.js';
import { parsePrefer, type PrismFallback } from './prism.js';
import { toJson } from './serialize.js';
import { nonFiniteError, nonFiniteParam } from './json-body.js';
import { letGo } from './authentication.js';
import { hasMultipartBody } from './multipart-body.js';

declare module 'fastify' {
  interface FastifyRequest {
    account: Account;
    /** Who the credentials stand for, beyond the account (set by an API's authentication hook). */
    caller?: Caller;
    /** Milliseconds the operation takes once its key is reserved (injected latency, set by a hook before the pipeline). */
    processingDelayMs?: number;
  }
}

export interface CompiledOperation {
  spec: OperationSpec;
  handler: Handler;
  readonly validateQuery: ValidateFunction;
  readonly validateParams?: ValidateFunction;
  readonly validateBody?: ValidateFunction;
  /** Media types the operation accepts for its body. */
  accepts: string[];
  multipart: boolean;
  /** The multipart part that carries the file (`file`, or Debitura's `File`), matched case-insensitively. */
  fileField: string;
  /** The multipart fields the contract declares, to restore their spelling (`description` → `Description`). */
  fieldNames: readonly string[];
}

export type { RenderedError };

export interface PipelineDeps {
  sandbox: Sandbox;
  contract: Contract;
  prism: PrismFallback;
  validateResponses: boolean;
  /** The base path the API is mounted under ('' when the contract's paths carry their own): contract paths are relative to it. */
  prefix: string;
  /** The operation stores new objects: refused once the account holds --max-objects. */
  createsObjects?: boolean;
  /** A sentence added to the 400 of a missing parameter, by parameter (how else the API accepts it). */
  missingHints?: Readonly<Record<string, string>>;
  /** The largest file a multipart upload may carry, in bytes. */
  fileLimitBytes: number;
  /** Whether POSTs honour Idempotency-Key where the contract declares it. */
  idempotency: boolean;
  /** The Prefer header as Prism should see it (without what other hooks read from it); default as sent. */
  preferForPrism?(header: string | undefined): string | undefined;
  /** How this API writes an error (its own shape). */
  renderError(error: ApiError): RenderedError;
  /** The API's edges that bend a response on its way out (deliberate defects, benign variants). */
  responses?(status: number, body: unknown): [number, unknown];
}

/** The Stripe-style message for the first validation error of a request. */
export function validationError(
  errorsFound: ErrorObject[] | null | undefined,
  prefix = '',
  hints: Readonly<Record<string, string>> = {},
): ApiError {
  // An error inside one branch of an anyOf/oneOf is one alternative failing, not the request's fault
  // as such: a definite error (an invalid value) says more, when there is one.
  const found = errorsFound ?? [];
  const error =
    found.find((e) => e.keyword !== 'if' && !/\/(?:anyOf|oneOf)\/\d+\//.test(e.schemaPath)) ??
    found.find((e) => e.keyword !== 'if') ??
    found[0];
  if (!error) return errors.parameterInvalid(null, 'The request is invalid.').bySchema('unknown');
  return refusalFor(error, paramName(error, prefix), hints).bySchema(error.keyword);
}

function refusalFor(error: ErrorObject, param: string | null, hints: Readonly<Record<string, string>>): ApiError {
  switch (error.keyword) {
    case 'required':
      return errors.parameterMissing(param ?? '(body)', (param && hints[param]) ?? '');
    case 'additionalProperties':
      return errors.parameterUnknown(param ?? '(body)');
    case 'enum': {
      // A long list (ISO codes) says what it holds in the contract's words instead of every value.
      const hint = (error.parentSchema as { 'x-enum-message'?: string } | undefined)?.['x-enum-message'];
      return errors.parameterInvalid(
        param,
        `${hint ?? `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`}.`,
      );
    }
    case 'type':
      return param
        ? errors.parameterInvalid(param, `must be ${(error.params as { type: string }).type}.`)
        : errors.parameterInvalid(null, 'The request body must be a JSON object.');
    case 'pattern': {
      // The contract's words for what is allowed, where it has them, rather than the raw regex.
      const hint = (error.parentSchema as { 'x-pattern-message'?: string } | undefined)?.['x-pattern-message'];
      return errors.parameterInvalid(param, `${hint ?? error.message ?? 'is invalid'}.`);
    }
    default:
      return errors.parameterInvalid(param, `${error.message ?? 'is invalid'}.`);
  }
}

/** The URL without its query string. */
const pathOf = (url: string) => {
  const at = url.indexOf('?');
  return at === -1 ? url : url.slice(0, at);
};

/** `application/json`, any `application/…+json` (generated clients send `application/json-patch+json`) and `text/json`. */
export const isJson = (contentType: string) => /^(?:application\/(?:[\w.+-]+\+)?json|text\/json)\b/i.test(contentType);

/** Reads a multipart body: fields as strings, the one `file` part into memory (bounded). */
async function readMultipart(
  request: FastifyRequest,
  fileLimit: number,
  operation: CompiledOperation,
): Promise<{ fields: Record<string, string>; file?: UploadedFile }> {
  const fields: Record<string, string> = {};
  let file: UploadedFile | undefined;
  // Form field names are matched as ASP.NET and most servers do: case-insensitively, kept as declared.
  const declared = (name: string) => operation.fieldNames.find((n) => n.toLowerCase() === name.toLowerCase()) ?? name;
  try {
    for await (const part of request.parts({
      limits: { fileSize: fileLimit, files: 1, fields: 20, fieldSize: 64 * 1024 },
    })) {
      if (part.type === 'file') {
        if (part.fieldname.toLowerCase() !== operation.fileField.toLowerCase()) {
          await part.toBuffer().catch(() => undefined);
          throw errors.parameterUnknown(part.fieldname).bySchema('additionalProperties');
        }
        file = { filename: part.filename, buffer: await part.toBuffer() };
      } else {
        fields[declared(part.fieldname)] = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw errors.fileTooLarge(`${fileLimit / 1024 / 1024} MB`);
    if (code === 'FST_FILES_LIMIT') throw errors.parameterInvalid('file', 'send exactly one file.');
    throw errors
      .parameterInvalid(null, `The multipart body could not be read: ${(error as Error).message}`)
      .cites('request-well-formed');
  }
  return { fields, file };
}

/** A body must come in the media type the operation declares (JSON, or multipart for uploads): otherwise 415. */
function checkContentType(operation: CompiledOperation, request: FastifyRequest): void {
  const contentType = request.headers['content-type'] ?? '';
  const multipart = hasMultipartBody(request);
  const hasBody = request.body !== undefined || multipart;
  if (!hasBody) return;
  if (operation.multipart ? !multipart : !isJson(contentType)) {
    throw errors.contentType(
      contentType.split(';')[0] ?? '',
      operation.accepts.length ? operation.accepts : ['application/json'],
    );
  }
}

export function createPipeline(operation: CompiledOperation, deps: PipelineDeps) {
  const { sandbox, contract, prism } = deps;
  const { spec } = operation;
  // Only operations whose contract declares the header honour it (all of CasaPay's POSTs, Debitura's
  // POST /cases): elsewhere it is an unknown header, ignored, so no undeclared 409/422 can come of it.
  const idempotent =
    deps.idempotency &&
    spec.method === 'post' &&
    spec.parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
  const preferOf = deps.preferForPrism ?? ((header: string | undefined) => header);

  return async function pipeline(request: FastifyRequest, reply: FastifyReply) {
    const account = request.account;
    sandbox.catchUp(account);

    // 2. prefer: an explicit request for a contract example goes to Prism.
    const preference = parsePrefer(preferOf(request.headers.prefer as string | undefined));
    if (preference) {
      const answer = await prism.answer(
        spec,
        {
          method: spec.method,
          path: pathOf(request.url).slice(deps.prefix.length),
          query: (request.query ?? {}) as Record<string, string>,
          headers: request.headers as Record<string, string>,
          body: request.body,
        },
        preference,
      );
      reply.code(answer.status).header('Request-Id', request.id).header('X-Mock-Source', 'prism');
      return reply.send(answer.body);
    }

    // 3. validate: query, then the body (JSON, or multipart read now with its bounds).
    let body: unknown;
    let file: UploadedFile | undefined;
    checkContentType(operation, request);
    const { validateParams } = operation;
    if (validateParams && !validateParams(request.params))
      throw validationError(validateParams.errors, '', deps.missingHints);
    // qs built this object for this request: validation may coerce and default it in place.
    if (!operation.validateQuery(request.query))
      throw validationError(operation.validateQuery.errors, '', deps.missingHints);
    // Coercion turns `1e309` and `Infinity` into a number ajv's `integer` accepts: refuse it by name.
    const nonFinite = nonFiniteParam(request.query) ?? nonFiniteParam(request.params);
    if (nonFinite !== undefined) throw nonFiniteError(nonFinite);
    if (operation.multipart && hasMultipartBody(request)) {
      const parsed = await readMultipart(request, deps.fileLimitBytes, operation);
      file = parsed.file;
      body = parsed.fields;
      const candidate = { ...parsed.fields, ...(file ? { [operation.fileField]: file.filename } : {}) };
      if (operation.validateBody && !operation.validateBody(candidate))
        throw validationError(operation.validateBody.errors, '', deps.missingHints);
    } else if (operation.validateBody) {
      body = request.body ?? {};
      if (!operation.validateBody(body)) throw validationError(operation.validateBody.errors, '', deps.missingHints);
    } else if (request.body && typeof request.body === 'object' && Object.keys(request.body).length) {
      throw errors.parameterUnknown(Object.keys(request.body)[0]!).bySchema('requestBody');
    }

    // 4. idempotency: validated POSTs with a key are executed once per key and body.
    const key = idempotent ? (request.headers['idempotency-key'] as string | undefined) : undefined;
    if (key !== undefined) {
      if (key.length === 0 || key.length > 255)
        throw errors.parameterInvalid('Idempotency-Key', 'must be 1 to 255 characters.');
      const print = fingerprint(spec.method, request.url, file ? { body, file: file.buffer } : body);
      const outcome = sandbox.idempotency.begin(account.key, key, print);
      if (outcome.kind === 'mismatch') throw errors.idempotencyReused();
      if (outcome.kind === 'in_flight') throw errors.idempotencyInUse();
      if (outcome.kind === 'replay') {
        // A replay acknowledges too: not before what the first request changed is written (a create
        // answered 503 while the database was away is replayed once the database has it).
        const committing = commit(account, false);
        if (committing) await committing;
        reply.header('Idempotent-Replayed', 'true').header('Idempotency-Key', key);
        return send(reply, request, outcome.response.status, outcome.response.body);
      }
    }

    // Injected latency is processing time: it runs with the key reserved (a concurrent retry gets 409).
    if (request.processingDelayMs) await sleep(request.processingDelayMs, undefined, { ref: false });

    // 5. dispatch: the stateful handler, with effects that record events until the response is ready.
    const requestInfo = { id: request.id, idempotencyKey: key ?? null };
    const fx = sandbox.effects(account);
    const ctx: RequestContext = Object.assign(fx, {
      params: request.params as Record<string, string>,
      query: request.query as Record<string, unknown>,
      body,
      file,
      caller: request.caller,
      path: pathOf(request.url),
      contract,
      request: requestInfo,
    });
    let result: HandlerResult;
    try {
      // After a replay (an earlier create answers again) and before anything changes; a refusal (400) releases the key.
      if (deps.createsObjects) checkObjectLimit(sandbox.storedObjects(account), sandbox.options.maxObjects);
      result = await operation.handler(ctx);
    } catch (error) {
      // Stripe keeps the outcome of a request that executed (a 404, a 422 refusal); parameters that
      // failed validation (400) and unexpected faults are not kept, so the client can fix and retry.
      if (key !== undefined) {
        if (error instanceof ApiError && error.status < 500 && error.status !== 400)
          sandbox.idempotency.complete(account.key, key, deps.renderError(error));
        else sandbox.idempotency.release(account.key, key);
      }
      throw error;
    }
    if (key !== undefined) {
      sandbox.idempotency.complete(account.key, key, { status: result.status, body: result.body });
      reply.header('Idempotency-Key', key);
    }

    // 6. commit: on a durable store nothing is acknowledged before it is written (one transaction per
    // turn of the event loop); in memory there is nothing to wait for.
    fx.stage();
    const committing = commit(account, spec.method === 'get');
    if (committing) await committing;
    letGo(sandbox, request);

    // 7. respond, then 8. emit.
    if (result.raw) {
      reply
        .code(result.status)
        .header('Request-Id', request.id)
        .header('Content-Type', result.raw.contentType)
        .header('Content-Disposition', `attachment; filename="${result.raw.filename}"`);
      reply.send(result.raw.data);
    } else {
      send(reply, request, result.status, result.body);
    }
    // Once the answer is out: a hook still writing it (a shared store's journal entry) comes first, so a
    // client never hears of an event before it has the answer that made it.
    if (reply.raw.writableEnded) fx.flush();
    else reply.raw.once('close', () => fx.flush());
    return reply;
  };

  /**
   * Waits for the account's changes to be written; a write the store refuses is a 503 (on SQLite it stays
   * in memory and is retried: mocks/engine/state/persistence.ts; on PostgreSQL it stays marked for the
   * account's next commit: state/shared-accounts.ts). A read answers from memory whatever the
   * store does: it waits for the commit only while the store is taking writes (a read may have run what
   * the clock made due), and never turns a refusal into a 503. Undefined when there is nothing to wait
   * for (always, in memory: the default pays one check).
   */
  function commit(account: Account, read: boolean): Promise<void> | undefined {
    const committing = sandbox.persist(account);
    if (!committing) return undefined;
    if (!read) return committing.catch(() => Promise.reject(errors.unavailable()));
    const settled = committing.catch(() => undefined);
    return sandbox.persistence.lastError ? undefined : settled;
  }

  function send(reply: FastifyReply, request: FastifyRequest, status: number, body: unknown) {
    let finalStatus = status;
    let finalBody = body;
    if (deps.responses) [finalStatus, finalBody] = deps.responses(status, body);
    if (deps.validateResponses) {
      // Closed: the mock never sends a field its contract does not name, even though others may.
      const validate = contract.closed().responseValidator(spec.operationId, finalStatus);
      if (validate === undefined || (validate && !validate(finalBody))) {
        const why =
          validate === undefined
            ? `status ${finalStatus} is not declared`
            : JSON.stringify(validate.errors?.slice(0, 3));
        request.log.error({ operation: spec.operationId, why }, 'response does not match the contract');
        const rendered = deps.renderError(
          errors.internal(`The mock's response to ${spec.operationId} does not match the contract: ${why}`),
        );
        return reply.code(rendered.status).header('Request-Id', request.id).send(rendered.body);
      }
    }
    reply.code(finalStatus).header('Request-Id', request.id);
    // Reads reuse the remembered JSON of stored objects; response edges rewrite bodies, so they bypass it.
    if (spec.method === 'get' && finalBody === body)
      return reply.type('application/json; charset=utf-8').send(toJson(finalBody));
    return reply.send(finalBody);
  }
}

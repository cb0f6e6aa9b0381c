// Mounting a contract on Fastify: each operation compiled with its validators and answered by the one
// pipeline (pipeline.ts), and errors — whatever threw them — turned into the one error type and
// written the way the API renders it. Each API module mounts its contracts with it (mocks/apis/*/module.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { anchoredSchema, createContractAjv, type Contract, type OperationSpec } from '../../kit/contract.js';
import { readContractRules, type ContractRules } from '../../kit/contract-rules.js';
import { ApiError, errors, type RenderedError } from './errors.js';
import type { Handler } from './handler.js';
import { createPipeline, type CompiledOperation } from './pipeline.js';
import { PrismFallback } from './prism.js';
import type { Sandbox } from './sandbox.js';

/**
 * The operation with its validators, each compiled once on first use (and warmed up right after the
 * server starts listening), so start-up does not wait for ajv: query (coercing strings), body (strict).
 */
export function compileOperation(
  spec: OperationSpec,
  contract: Contract,
  queryAjv: () => ReturnType<typeof createContractAjv>,
  served: Readonly<Record<string, Handler<any>>>,
): CompiledOperation {
  const handler = served[spec.operationId];
  if (!handler) throw new Error(`No handler for ${spec.operationId}`);
  const queryParams = spec.parameters.filter((p) => p.in === 'query');
  const content = spec.requestBody?.content ?? {};
  const accepts = Object.keys(content);
  const pointer = content['application/json'] ?? content['multipart/form-data'];
  const pathParams = spec.parameters.filter((p) => p.in === 'path');
  const objectSchema = (params: typeof queryParams) => ({
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(params.map((p) => [p.name, anchoredSchema(p.schema)])),
    required: params.filter((p) => p.required).map((p) => p.name),
  });
  // The multipart schema names the file part (the binary property) and the other fields.
  const form = content['multipart/form-data'] ? contract.resolve(content['multipart/form-data']) : undefined;
  const fieldNames = Object.keys(form?.properties ?? {});
  const fileField =
    fieldNames.find((name) => {
      const property = form.properties[name];
      return property.format === 'binary' || 'contentMediaType' in property;
    }) ?? 'file';
  let validateQuery: ValidateFunction | undefined;
  let validateParams: ValidateFunction | undefined;
  let validateBody: ValidateFunction | undefined;
  return {
    spec,
    handler,
    accepts,
    multipart: accepts.includes('multipart/form-data'),
    fileField,
    fieldNames,
    get validateQuery() {
      return (validateQuery ??= queryAjv().compile(objectSchema(queryParams)));
    },
    get validateParams() {
      return pathParams.length ? (validateParams ??= queryAjv().compile(objectSchema(pathParams))) : undefined;
    },
    get validateBody() {
      return pointer ? (validateBody ??= contract.validator(pointer)) : undefined;
    },
  };
}

/**
 * `{id}` → `:id` for Fastify's router; a literal colon (Debitura's `/webhooks/{id}:test`) is doubled,
 * which find-my-way reads as the character itself.
 */
export const routePath = (template: string) =>
  template
    .replace(/:/g, '::')
    // A parameter followed by a literal colon ends at the colon (find-my-way's regex parameter).
    .replace(/\{(\w+)\}(?=::)/g, ':$1(^[^:/]+)')
    .replace(/\{(\w+)\}/g, ':$1');

/** Turns anything a route, a hook or Fastify itself threw into the one error type. */
export function toApiError(
  error: unknown,
  request: FastifyRequest,
  logUnexpected: (request: FastifyRequest, error: unknown) => void,
): ApiError {
  if (error instanceof ApiError) return error;
  // Fastify's errors carry `statusCode`, others (Prism's problem+json errors) `status`.
  const fastifyError = error as { code?: string; statusCode?: number; status?: number; message: string };
  const status = fastifyError.statusCode ?? fastifyError.status;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.bodyTooLarge('1 MB');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.contentType(request.headers['content-type'] ?? '', ['application/json', 'multipart/form-data']);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errors.invalidJson(fastifyError.message);
    default:
      // A client that stopped sending mid-body ('aborted') and the like: nobody hears the answer.
      if (typeof status === 'number' && status >= 400 && status < 500)
        return errors.parameterInvalid(null, fastifyError.message).cites('request-well-formed');
      logUnexpected(request, error);
      return errors.internal();
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The id of the contract rule behind this request's refusal (`schema:<keyword>` or an `x-rules` id); null when none states it. */
    refusalRule?: string | null;
  }
  interface FastifyContextConfig {
    /** On a mounted operation's route, for sendError: which rules its contract states, and how strictly. */
    operationId?: string;
    rules?: ContractRules;
    /** --validate-responses: a refusal the contract does not state is the mock's fault, a 500 saying why. */
    strict?: boolean;
  }
}

/** The journal's view of a refusal's rule (undefined: not an operation's refusal). */
export const refusalRule = (request: FastifyRequest): string | null | undefined => request.refusalRule;

/**
 * Looks up the rule an operation's refusal answers to and remembers it on the request. Under
 * --validate-responses, a refusal no rule states becomes a 500 naming it, as an undeclared response does.
 */
function statedOrInternal(request: FastifyRequest, error: ApiError): ApiError {
  const route = request.routeOptions?.config;
  if (!route?.rules || error.status >= 500) return error;
  const { status, code, param, extra } = error;
  const rule = route.rules.stated(route.operationId!, { status, code, param, statedBy: extra.statedBy }) ?? null;
  request.refusalRule = rule;
  if (rule || !route.strict) return error;
  const why = `${error.status} ${error.code}${error.param ? ` (${error.param})` : ''} is stated neither by its schema nor by an x-rules entry of ${route.operationId}: ${error.message}`;
  request.log.error({ operation: route.operationId, why }, 'refusal the contract does not state');
  return errors.internal(`The mock's refusal does not match the contract: ${why}`);
}

/** Writes an error the way its API renders it, with the headers the error asks for. */
export function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  error: ApiError,
  render: (error: ApiError) => RenderedError,
) {
  const answer = statedOrInternal(request, error);
  const { status, body } = render(answer);
  reply.code(status).header('Request-Id', request.id);
  for (const [name, value] of Object.entries(answer.extra.headers ?? {})) reply.header(name, value);
  if (answer.status !== 413) return reply.send(body);
  reply.header('Connection', 'close');
  // Fastify refuses an announced oversized body before reading it. Closing a socket with unread bytes
  // makes the kernel reset it, so a client still sending would lose the 413 ("fetch failed"): read and
  // drop the rest first — at most DRAIN_BYTES or DRAIN_MS, then answer anyway and let the close cut it.
  if (request.raw.complete || request.raw.destroyed) return reply.send(body);
  drainThen(request.raw, () => reply.send(body));
  return reply;
}

/** How much of a refused body the mock reads and drops before answering 413 (a bound on the work it does). */
const DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_MS = 5_000;

function drainThen(stream: FastifyRequest['raw'], answer: () => void): void {
  let read = 0;
  let answered = false;
  const finish = () => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    stream.off('data', count);
    answer();
  };
  const count = (chunk: Buffer) => {
    read += chunk.length;
    if (read > DRAIN_BYTES) finish();
  };
  const timer = setTimeout(finish, DRAIN_MS);
  stream.on('data', count);
  stream.once('end', finish);
  stream.once('error', finish);
  stream.once('close', finish);
  stream.resume();
}

export interface MountOptions {
  sandbox: Sandbox;
  contract: Contract;
  handlers: Readonly<Record<string, Handler<any>>>;
  renderError(error: ApiError): RenderedError;
  /** The API's edges bending a response of `operationId` on its way out (defects, variants); none by default. */
  responses?(operationId: string, status: number, body: unknown): [number, unknown];
  validateResponses: boolean;
  /** Operation ids that store new objects: refused beyond --max-objects (engine/state/object-limit.ts). */
  creates?: ReadonlySet<string>;
  /** The largest file an upload may carry, in bytes. */
  fileLimitBytes: number;
  /** Whether POSTs honour Idempotency-Key where the contract declares it (default true). */
  idempotency?: boolean;
  /** The Prefer header as Prism should see it. */
  preferForPrism?(header: string | undefined): string | undefined;
  /** A sentence added to the 400 of a missing parameter, by parameter. */
  missingHints?: Readonly<Record<string, string>>;
}

/**
 * Registers every operation of a contract on `scope` (the app, or a prefixed plugin), each answered by
 * the one pipeline with its handler. Returns the compiled operations, for warming up their validators.
 */
export function mountOperations(scope: FastifyInstance, mount: MountOptions): CompiledOperation[] {
  const { contract } = mount;
  let queryAjv: ReturnType<typeof createContractAjv> | undefined;
  // Parameters refer only to component schemas: registering just those halves ajv's walk of the document.
  const getQueryAjv = () =>
    (queryAjv ??= createContractAjv(
      { components: contract.document.components },
      { coerceTypes: 'array', useDefaults: true },
    ));
  const prism = new PrismFallback(contract);
  const rules = readContractRules(contract.document);
  const compiled: CompiledOperation[] = [];
  const route = (on: FastifyInstance, operation: CompiledOperation) => {
    const { spec } = operation;
    on.route({
      method: spec.method.toUpperCase() as 'GET' | 'POST' | 'DELETE',
      url: routePath(spec.path),
      config: {
        operation: true,
        operationId: spec.operationId,
        rules,
        strict: mount.validateResponses,
      },
      handler: createPipeline(operation, {
        sandbox: mount.sandbox,
        contract,
        prism,
        prefix: scope.prefix,
        validateResponses: mount.validateResponses,
        createsObjects: mount.creates?.has(spec.operationId) ?? false,
        fileLimitBytes: mount.fileLimitBytes,
        idempotency: mount.idempotency ?? true,
        preferForPrism: mount.preferForPrism,
        missingHints: mount.missingHints,
        renderError: mount.renderError,
        responses: mount.responses && ((status, body) => mount.responses!(spec.operationId, status, body)),
      }),
    });
  };
  const uploads: CompiledOperation[] = [];
  for (const spec of contract.operations) {
    const operation = compileOperation(spec, contract, getQueryAjv, mount.handlers);
    compiled.push(operation);
    if (operation.multipart) uploads.push(operation);
    else route(scope, operation);
  }
  // Uploads in a scope of their own with @fastify/multipart, whose hooks then run on their requests only
  // (the app's parser, which leaves a multipart body unread, gives way to the plugin's here).
  if (uploads.length)
    void scope.register(async (withMultipart) => {
      withMultipart.removeContentTypeParser('multipart/form-data');
      await withMultipart.register(multipart, { throwFileSizeLimit: true });
      for (const operation of uploads) route(withMultipart, operation);
    });
  return compiled;
}

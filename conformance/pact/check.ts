// `pact check`: every interaction of a pact held to the OpenAPI contract, without running anything
// (the bi-directional check). The direction is the reverse of the vendor suite's:
// - the pact's REQUEST is what a consumer will send, so it is validated with the schema's own rules
//   (`required` kept); an unknown query parameter or request header is only a warning;
// - the pact's RESPONSE is what the consumer relies on, so it may show a subset of the declared
//   fields but never an undeclared field (consumer-view.ts), an undeclared status or an undeclared
//   non-standard header.
// Findings name the interaction, the part, the field and the rule broken.
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import qs from 'qs';
import {
  anchoredSchema,
  createContractAjv,
  type Contract,
  type OperationSpec,
  type ParameterSpec,
} from '../../kit/contract.js';
import { consumerViewDocument } from './consumer-view.js';
import type { PactFile, PactInteraction } from './pact-file.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  interaction: string;
  severity: Severity;
  part: 'request' | 'response';
  /** The field, parameter or header concerned (`$.debtor.country`, `query limit`, `header X-Foo`), or null for the whole part. */
  field: string | null;
  /** A stable name of the rule broken, for machines and for grouping. */
  rule: string;
  message: string;
}

export interface CheckReport {
  consumer: string;
  provider: string;
  interactions: number;
  errors: number;
  warnings: number;
  findings: Finding[];
  /** Interactions that are not synchronous HTTP, not checked. */
  skipped: string[];
}

/** Headers of HTTP itself (RFC 9110 and friends) and of fetch/CORS: never "unknown". */
const STANDARD_REQUEST_HEADERS = new Set([
  'accept',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'authorization',
  'cache-control',
  'connection',
  'content-length',
  'content-type',
  'cookie',
  'host',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'origin',
  'pragma',
  'referer',
  'user-agent',
  'te',
  'traceparent',
  'tracestate',
  'x-forwarded-for',
  'x-forwarded-proto',
]);
const STANDARD_RESPONSE_HEADERS = new Set([
  'age',
  'cache-control',
  'connection',
  'content-encoding',
  'content-language',
  'content-length',
  'content-type',
  'date',
  'etag',
  'expires',
  'keep-alive',
  'last-modified',
  'location',
  'retry-after',
  'server',
  'transfer-encoding',
  'vary',
  'www-authenticate',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-headers',
  'access-control-allow-methods',
  'access-control-expose-headers',
  'access-control-max-age',
]);

/** `/debtor/address/country` (+ the missing or extra property) → `$.debtor.address.country`, arrays as `[0]`. */
function fieldOf(error: ErrorObject): string {
  const parts = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') parts.push(String(params.missingProperty));
  if (error.keyword === 'additionalProperties') parts.push(String(params.additionalProperty));
  if (error.keyword === 'unevaluatedProperties') parts.push(String(params.unevaluatedProperty));
  return `$${parts.map((p) => (/^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_][\w]*$/.test(p) ? `.${p}` : `['${p}']`)).join('')}`;
}

/** The rule a schema error breaks, in words a reader of the report recognises. */
function ruleOf(part: 'request' | 'response', error: ErrorObject): string {
  if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties')
    return `${part}-field-undeclared`;
  if (error.keyword === 'required') return `${part}-field-required`;
  return `${part}-field-${error.keyword}`;
}

/**
 * ajv's errors without the noise of unions: "must match a schema in anyOf" and "must be null" say
 * nothing when an error inside the matching branch says what is wrong.
 */
function meaningful(errors: ErrorObject[]): ErrorObject[] {
  const noise = (e: ErrorObject) =>
    e.keyword === 'anyOf' ||
    e.keyword === 'oneOf' ||
    (e.keyword === 'type' && (e.params as { type?: unknown }).type === 'null');
  return errors.filter(
    (e) => !noise(e) || !errors.some((o) => o !== e && !noise(o) && o.instancePath.startsWith(e.instancePath)),
  );
}

const lower = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

export interface PactChecker {
  check(pact: PactFile): CheckReport;
}

/**
 * Compiles the two views of the contract once: its own rules (requests) and the consumer view
 * (responses), each in its own ajv with every error reported.
 * @example createPactChecker(loadContract()).check(readPactFile('pacts/app-casapay.json')).errors // 0
 */
export function createPactChecker(contract: Contract): PactChecker {
  const requestAjv = createContractAjv(contract.document, { allErrors: true });
  const responseAjv = createContractAjv(consumerViewDocument(contract.document), { allErrors: true });
  const paramAjv = createContractAjv(
    { components: contract.document.components },
    { allErrors: true, coerceTypes: 'array' },
  );
  const cache = new Map<string, ValidateFunction>();
  const compiled = (key: string, make: () => ValidateFunction) => {
    let fn = cache.get(key);
    if (!fn) cache.set(key, (fn = make()));
    return fn;
  };
  const requestValidator = (pointer: string) =>
    compiled(`req ${pointer}`, () => requestAjv.compile(anchoredSchema({ $ref: pointer })));
  const responseValidator = (pointer: string) =>
    compiled(`res ${pointer}`, () => responseAjv.compile(anchoredSchema({ $ref: pointer })));
  // Wrapped in an object so ajv can coerce the string a URL carries ('10') to the declared type.
  const paramCheck = (op: OperationSpec, param: ParameterSpec) => {
    const validate = compiled(`param ${op.operationId} ${param.in} ${param.name}`, () =>
      paramAjv.compile({ type: 'object', properties: { value: anchoredSchema(param.schema) } }),
    );
    return (value: unknown): string | null =>
      validate({ value })
        ? null
        : (validate.errors ?? [])
            .map((e) => `${e.instancePath.replace(/^\/value/, '')} ${e.message ?? e.keyword}`.trim())
            .join('; ');
  };

  /** Response headers the contract declares for an operation's status key. */
  const declaredResponseHeaders = (op: OperationSpec, statusKey: string): Set<string> => {
    let response = contract.document.paths[op.path][op.method].responses[statusKey];
    while (response?.$ref)
      response = response.$ref
        .slice(2)
        .split('/')
        .reduce((n: any, k: string) => n?.[k], contract.document);
    return new Set(Object.keys(response?.headers ?? {}).map((h) => h.toLowerCase()));
  };

  function checkInteraction(interaction: PactInteraction, findings: Finding[]): void {
    const add = (severity: Severity, part: Finding['part'], field: string | null, rule: string, message: string) =>
      findings.push({ interaction: interaction.description, severity, part, field, rule, message });
    const { request, response } = interaction;
    const op = contract.match(request.method, request.path);
    if (!op) {
      add(
        'error',
        'request',
        null,
        'operation-declared',
        `${request.method} ${request.path} is not an operation of the contract`,
      );
      return;
    }
    const schemaErrors = (part: Finding['part'], validate: ValidateFunction, value: unknown, where: string) => {
      if (validate(value)) return;
      for (const e of meaningful(validate.errors ?? [])) {
        const field = fieldOf(e);
        const undeclared = e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties';
        add(
          'error',
          part,
          field,
          ruleOf(part, e),
          undeclared
            ? `${where} has ${field}, which the contract does not declare`
            : `${where} ${field}: ${e.message ?? e.keyword}`,
        );
      }
    };

    // Request: path parameters.
    const templateParts = op.path.split('/');
    const pathParts = request.path.split('/');
    for (const param of op.parameters.filter((p) => p.in === 'path')) {
      const value = decodeURIComponent(pathParts[templateParts.indexOf(`{${param.name}}`)] ?? '');
      const broken = paramCheck(op, param)(value);
      if (broken)
        add(
          'error',
          'request',
          `path ${param.name}`,
          'path-param-schema',
          `path parameter ${param.name} = '${value}' ${broken}`,
        );
    }

    // Request: query, read with the same bracket syntax the API uses (`created[gte]`).
    const search = new URLSearchParams(
      Object.entries(request.query).flatMap(([name, values]) => values.map((v) => [name, v] as [string, string])),
    ).toString();
    const query = search
      ? (qs.parse(search, { depth: 2, parameterLimit: 200, arrayLimit: 100 }) as Record<string, unknown>)
      : {};
    const declaredQuery = op.parameters.filter((p) => p.in === 'query');
    for (const name of Object.keys(query)) {
      if (!declaredQuery.some((p) => p.name === name))
        add(
          'warning',
          'request',
          `query ${name}`,
          'query-param-unknown',
          `query parameter ${name} is not declared for ${op.operationId}`,
        );
    }
    for (const param of declaredQuery) {
      if (!(param.name in query)) {
        if (param.required)
          add(
            'error',
            'request',
            `query ${param.name}`,
            'query-param-required',
            `query parameter ${param.name} is required by ${op.operationId}`,
          );
        continue;
      }
      const broken = paramCheck(op, param)(query[param.name]);
      if (broken)
        add('error', 'request', `query ${param.name}`, 'query-param-schema', `query parameter ${param.name} ${broken}`);
    }

    // Request: headers. Declared header parameters are validated; any other non-standard one is a warning.
    const requestHeaders = lower(request.headers);
    const declaredHeaders = op.parameters.filter((p) => p.in === 'header');
    for (const [name, value] of Object.entries(requestHeaders)) {
      const param = declaredHeaders.find((p) => p.name.toLowerCase() === name);
      if (param) {
        const broken = paramCheck(op, param)(value);
        if (broken)
          add('error', 'request', `header ${param.name}`, 'header-param-schema', `header ${param.name} ${broken}`);
      } else if (!STANDARD_REQUEST_HEADERS.has(name)) {
        add(
          'warning',
          'request',
          `header ${name}`,
          'header-unknown',
          `request header ${name} is not declared for ${op.operationId}`,
        );
      }
    }
    // Security: the contract's bearer key. A pact that sends none can only expect the 401 it gets.
    const security: Array<Record<string, unknown>> =
      contract.document.paths[op.path][op.method].security ?? contract.document.security ?? [];
    const needsKey = security.length > 0 && !security.some((requirement) => Object.keys(requirement).length === 0);
    // An apiKey scheme names its own header (Debitura's XApiKey); bearer and basic use Authorization.
    const schemes: Record<string, { type?: string; in?: string; name?: string }> =
      contract.document.components?.securitySchemes ?? {};
    const credentialHeaders = [
      'authorization',
      ...Object.values(schemes).flatMap((s) =>
        s.type === 'apiKey' && s.in === 'header' && s.name ? [s.name.toLowerCase()] : [],
      ),
    ];
    if (needsKey && !credentialHeaders.some((h) => h in requestHeaders) && response.status !== 401) {
      add(
        'error',
        'request',
        'header Authorization',
        'request-authorization-missing',
        `${op.operationId} needs an API key (Authorization: Bearer sk_test_…); without one the answer is 401, not ${response.status}`,
      );
    }
    for (const param of declaredHeaders) {
      if (param.required && !(param.name.toLowerCase() in requestHeaders))
        add(
          'error',
          'request',
          `header ${param.name}`,
          'header-param-required',
          `header ${param.name} is required by ${op.operationId}`,
        );
    }

    // Request: body.
    const content = op.requestBody?.content ?? {};
    if (request.body === undefined) {
      if (op.requestBody?.required)
        add(
          'error',
          'request',
          null,
          'request-body-required',
          `${op.operationId} requires a body (${Object.keys(content).join(' or ')})`,
        );
    } else if (!op.requestBody) {
      add('error', 'request', null, 'request-body-undeclared', `${op.operationId} takes no request body`);
    } else {
      const mediaType = (request.contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
      const pointer = content[mediaType];
      if (!pointer)
        add(
          'error',
          'request',
          'header Content-Type',
          'request-content-type',
          `Content-Type ${mediaType} is not accepted by ${op.operationId} (accepted: ${Object.keys(content).join(', ')})`,
        );
      else if (mediaType === 'application/json')
        schemaErrors('request', requestValidator(pointer), request.body, 'request body');
    }

    // Response: the status must be declared; then headers and body against the consumer view.
    const statusKey = contract.declaredStatus(op.operationId, response.status);
    if (statusKey === undefined) {
      add(
        'error',
        'response',
        'status',
        'response-status-declared',
        `status ${response.status} is not declared for ${op.operationId} (declared: ${Object.keys(op.responses).join(', ')})`,
      );
      return;
    }
    const allowedHeaders = declaredResponseHeaders(op, statusKey);
    for (const name of Object.keys(lower(response.headers))) {
      if (!allowedHeaders.has(name) && !STANDARD_RESPONSE_HEADERS.has(name))
        add(
          'error',
          'response',
          `header ${name}`,
          'response-header-undeclared',
          `response header ${name} is not declared for ${op.operationId} ${statusKey}`,
        );
    }
    if (response.body === undefined) return;
    const pointer = op.responses[statusKey];
    if (!pointer) {
      add(
        'error',
        'response',
        null,
        'response-body-undeclared',
        `${op.operationId} ${statusKey} declares no JSON body`,
      );
      return;
    }
    if (response.contentType && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(response.contentType)) {
      add(
        'error',
        'response',
        'header Content-Type',
        'response-content-type',
        `Content-Type ${response.contentType} is not the declared application/json`,
      );
      return;
    }
    schemaErrors('response', responseValidator(pointer), response.body, 'response body');
  }

  return {
    check(pact) {
      const findings: Finding[] = [];
      for (const interaction of pact.interactions) checkInteraction(interaction, findings);
      return {
        consumer: pact.consumer,
        provider: pact.provider,
        interactions: pact.interactions.length,
        errors: findings.filter((f) => f.severity === 'error').length,
        warnings: findings.filter((f) => f.severity === 'warning').length,
        findings,
        skipped: pact.skipped,
      };
    },
  };
}

/** The report as terminal lines: one per finding, grouped by interaction, then the verdict. */
export function formatCheckReport(report: CheckReport, file: string): string {
  const lines = [`pact check ${file}: ${report.consumer} → ${report.provider}, ${report.interactions} interaction(s)`];
  const byInteraction = new Map<string, Finding[]>();
  for (const f of report.findings) byInteraction.set(f.interaction, [...(byInteraction.get(f.interaction) ?? []), f]);
  for (const [interaction, findings] of byInteraction) {
    lines.push(`  "${interaction}"`);
    for (const f of findings)
      lines.push(
        `    ${f.severity === 'error' ? '✗ error  ' : '! warning'} ${f.part} ${f.field ?? '(whole)'} [${f.rule}]: ${f.message}`,
      );
  }
  for (const s of report.skipped) lines.push(`  skipped (not HTTP): ${s}`);
  lines.push(
    report.errors
      ? `✗ ${report.errors} error(s), ${report.warnings} warning(s): the pact is not compatible with the contract`
      : `✓ compatible with the contract (${report.warnings} warning(s))`,
  );
  return lines.join('\n');
}

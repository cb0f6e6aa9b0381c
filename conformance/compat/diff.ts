// Compares two bundled OpenAPI 3.0/3.1 documents operation by operation and webhook by webhook, and
// returns every difference as a Finding under a rule of conformance/compat/rules.ts. Paths are matched
// by their template with parameter names erased (renaming `{id}` breaks nobody); requests are judged
// as inputs and responses as outputs; webhooks the other way round (the provider sends the request,
// the receiver is the client). Schemas are compared by schema-diff.ts.
import { rule } from './rules.js';
import { SchemaComparer, deref } from './schema-diff.js';
import type { Emit, Finding, JsonObject, Side } from './types.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const PATH_ITEM_DOCS = new Set(['summary', 'description']);
const OPERATION_DOCS = new Set(['summary', 'description', 'tags', 'externalDocs']);
const OPERATION_HANDLED = new Set(['parameters', 'requestBody', 'responses', 'security', 'deprecated']);

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
export const toPointer = (segments: string[]) => `#/${segments.map(escape).join('/')}`;

/** A resolver of `#/…` references inside one bundled document. */
export function side(doc: JsonObject): Side {
  return {
    doc,
    resolve(ref: string) {
      if (!ref.startsWith('#')) return undefined;
      let node: unknown = doc;
      for (const raw of ref.slice(1).split('/').filter(Boolean)) {
        const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
        node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
      }
      return node;
    },
  };
}

/** `/v1/cases/{id}` and `/v1/cases/{case}` are the same path. */
const pathShape = (path: string) => path.replace(/\{[^}]*\}/g, '{}');

/** A parameter as written (maybe a `$ref`) and where it sits. */
interface Param {
  raw: unknown;
  pointer: string[];
}

interface OperationContext {
  /** `POST /v1/cases` or `webhook claim.submitted`. */
  label: string;
  pointer: string[];
  webhook: boolean;
}

export function compareContracts(baseDoc: JsonObject, headDoc: JsonObject): Finding[] {
  const base = side(baseDoc);
  const head = side(headDoc);
  const findings: Finding[] = [];
  let operation = 'contract';
  const emit: Emit = (id, pointer, message, scope) => {
    const r = rule(id);
    findings.push({
      id,
      clients: r.clients,
      implementations: r.implementations,
      operation: scope ?? operation,
      path: toPointer(pointer),
      message,
    });
  };
  const schemas = new SchemaComparer(base, head, emit);

  const comparePathItems = (collection: 'paths' | 'webhooks') => {
    const webhook = collection === 'webhooks';
    const bItems = isObject(baseDoc[collection]) ? (baseDoc[collection] as JsonObject) : {};
    const hItems = isObject(headDoc[collection]) ? (headDoc[collection] as JsonObject) : {};
    const hByShape = new Map(Object.keys(hItems).map((k) => [webhook ? k : pathShape(k), k]));
    const bShapes = new Set(Object.keys(bItems).map((k) => (webhook ? k : pathShape(k))));
    for (const [bKey, bRaw] of Object.entries(bItems)) {
      const hKey = hByShape.get(webhook ? bKey : pathShape(bKey));
      const bItem = deref(base, bRaw).schema;
      const bOps = METHODS.filter((m) => isObject(bItem[m]));
      if (hKey === undefined) {
        operation = webhook ? `webhook ${bKey}` : bKey;
        const pointer = [collection, bKey];
        if (webhook)
          emit('webhook-removed', pointer, `the webhook \`${bKey}\` was removed: receivers no longer get this event`);
        else {
          const deprecated = bOps.length > 0 && bOps.every((m) => (bItem[m] as JsonObject).deprecated === true);
          emit(
            deprecated ? 'api-path-removed-with-deprecation' : 'api-path-removed-without-deprecation',
            pointer,
            `the path \`${bKey}\` (${bOps.map((m) => m.toUpperCase()).join(', ')}) was removed${deprecated ? ' after being deprecated' : ''}`,
          );
        }
        continue;
      }
      const hItem = deref(head, hItems[hKey]).schema;
      const itemPointer = [collection, hKey];
      operation = webhook ? `webhook ${hKey}` : hKey;
      for (const k of new Set([...Object.keys(bItem), ...Object.keys(hItem)])) {
        if (
          (METHODS as readonly string[]).includes(k) ||
          k === 'parameters' ||
          k.startsWith('x-') ||
          same(bItem[k], hItem[k])
        )
          continue;
        if (PATH_ITEM_DOCS.has(k)) emit('documentation-changed', [...itemPointer, k], `${k} changed`);
        else
          emit(
            'unjudged-change',
            [...itemPointer, k],
            `\`${k}\` of the path changed; the tool cannot judge it: review by hand`,
          );
      }
      for (const m of METHODS) {
        const bOp = bItem[m];
        const hOp = hItem[m];
        const label = webhook
          ? `webhook ${hKey}${m === 'post' ? '' : ` (${m.toUpperCase()})`}`
          : `${m.toUpperCase()} ${hKey}`;
        operation = label;
        if (isObject(bOp) && !isObject(hOp)) {
          if (webhook)
            emit(
              'webhook-removed',
              [collection, bKey, m],
              `the webhook \`${bKey}\` no longer sends ${m.toUpperCase()}`,
            );
          else
            emit(
              bOp.deprecated === true ? 'api-removed-with-deprecation' : 'api-removed-without-deprecation',
              [collection, bKey, m],
              `${m.toUpperCase()} ${bKey} was removed${bOp.deprecated === true ? ' after being deprecated' : ''}`,
            );
        } else if (!isObject(bOp) && isObject(hOp)) {
          emit(
            webhook ? 'webhook-added' : 'endpoint-added',
            [...itemPointer, m],
            webhook ? `the webhook \`${hKey}\` was added` : `${m.toUpperCase()} ${hKey} was added`,
          );
        } else if (isObject(bOp) && isObject(hOp)) {
          // Path-level parameters first, so the operation's own override them; each keeps its own pointer.
          const params = (item: JsonObject, op: JsonObject, key: string): Param[] => [
            ...arr(item.parameters).map((raw, i) => ({ raw, pointer: [collection, key, 'parameters', String(i)] })),
            ...arr(op.parameters).map((raw, i) => ({ raw, pointer: [collection, key, m, 'parameters', String(i)] })),
          ];
          compareOperation(
            { label, pointer: [...itemPointer, m], webhook },
            { op: bOp, params: params(bItem, bOp, bKey), path: bKey },
            { op: hOp, params: params(hItem, hOp, hKey), path: hKey },
          );
        }
      }
    }
    for (const [hKey, hRaw] of Object.entries(hItems)) {
      if (bShapes.has(webhook ? hKey : pathShape(hKey))) continue;
      const hItem = deref(head, hRaw).schema;
      for (const m of METHODS.filter((m) => isObject(hItem[m]))) {
        operation = webhook ? `webhook ${hKey}` : `${m.toUpperCase()} ${hKey}`;
        emit(
          webhook ? 'webhook-added' : 'endpoint-added',
          [collection, hKey, m],
          webhook ? `the webhook \`${hKey}\` was added` : `${m.toUpperCase()} ${hKey} was added`,
        );
      }
    }
  };

  const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

  function compareOperation(
    ctx: OperationContext,
    b: { op: JsonObject; params: Param[]; path: string },
    h: { op: JsonObject; params: Param[]; path: string },
  ) {
    if (b.op.deprecated !== true && h.op.deprecated === true && !ctx.webhook)
      emit('endpoint-deprecated', [...ctx.pointer, 'deprecated'], `${ctx.label} was deprecated`);
    compareParameters(ctx, b, h);
    compareRequestBody(ctx, b.op.requestBody, h.op.requestBody);
    if (!ctx.webhook) compareSecurity(ctx, b.op, h.op);
    compareResponses(ctx, b.op.responses, h.op.responses);
    for (const k of new Set([...Object.keys(b.op), ...Object.keys(h.op)])) {
      if (OPERATION_HANDLED.has(k) || k.startsWith('x-') || same(b.op[k], h.op[k])) continue;
      if (OPERATION_DOCS.has(k)) emit('documentation-changed', [...ctx.pointer, k], `${k} changed`);
      else
        emit(
          'unjudged-change',
          [...ctx.pointer, k],
          `\`${k}\` changed${k === 'operationId' ? ` (${JSON.stringify(b.op[k])} → ${JSON.stringify(h.op[k])}: generated clients rename the method)` : ''}; the tool cannot judge it: review by hand`,
        );
    }
  }

  /** Parameters keyed by location and name (header names are case-insensitive); path parameters by position. */
  function parameterMap(sideOf: Side, params: Param[], path: string) {
    const byKey = new Map<string, { p: JsonObject; pointer: string[] }>();
    const pathNames = [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
    for (const { raw, pointer } of params) {
      const p = deref(sideOf, raw).schema;
      const where = String(p.in);
      const name = String(p.name);
      const key =
        where === 'path'
          ? `path:#${pathNames.indexOf(name)}`
          : `${where}:${where === 'header' ? name.toLowerCase() : name}`;
      byKey.set(key, { p, pointer }); // an operation's own parameter overrides the path item's
    }
    return byKey;
  }

  const paramSchema = (p: JsonObject) =>
    p.schema !== undefined
      ? p.schema
      : isObject(p.content)
        ? (Object.values(p.content)[0] as JsonObject | undefined)?.schema
        : undefined;

  function compareParameters(
    ctx: OperationContext,
    b: { op: JsonObject; params: Param[]; path: string },
    h: { op: JsonObject; params: Param[]; path: string },
  ) {
    const bm = parameterMap(base, b.params, b.path);
    const hm = parameterMap(head, h.params, h.path);
    const describe = (p: JsonObject) => `${String(p.in)} parameter \`${String(p.name)}\``;
    const removed = [...bm].filter(([k]) => !hm.has(k));
    const added = [...hm].filter(([k]) => !bm.has(k));
    const paired = new Set<string>();
    if (!ctx.webhook) {
      for (const [bk, { p: bp }] of removed) {
        // Moved: the same name in another location. Renamed: the only change in this location, same schema.
        const moved = added.find(
          ([hk, { p: hp }]) =>
            !paired.has(hk) && String(hp.name).toLowerCase() === String(bp.name).toLowerCase() && hp.in !== bp.in,
        );
        const sameIn = added.filter(([hk, { p: hp }]) => !paired.has(hk) && hp.in === bp.in);
        const renamed =
          !moved &&
          sameIn.length === 1 &&
          removed.filter(([, { p }]) => p.in === bp.in).length === 1 &&
          same(deref(base, paramSchema(bp)).schema, deref(head, paramSchema(sameIn[0]![1].p)).schema)
            ? sameIn[0]
            : undefined;
        const match = moved ?? renamed;
        if (!match) continue;
        paired.add(bk).add(match[0]);
        const hp = match[1].p;
        emit(
          moved ? 'request-parameter-moved' : 'request-parameter-renamed',
          match[1].pointer,
          `${describe(bp)} ${moved ? `moved to the ${String(hp.in)}` : `was renamed \`${String(hp.name)}\``}`,
        );
      }
    }
    for (const [k, { p, pointer }] of removed) {
      if (paired.has(k)) continue;
      if (ctx.webhook)
        emit(
          p.required === true ? 'required-response-header-removed' : 'optional-response-header-removed',
          pointer,
          `the webhook request no longer carries the ${describe(p)}`,
        );
      else emit('request-parameter-removed', pointer, `${describe(p)} was removed`);
    }
    for (const [k, { p, pointer }] of added) {
      if (paired.has(k)) continue;
      if (ctx.webhook) emit('response-header-added', pointer, `the webhook request now carries the ${describe(p)}`);
      else
        emit(
          p.required === true ? 'new-required-request-parameter' : 'new-optional-request-parameter',
          pointer,
          `${p.required === true ? 'required' : 'optional'} ${describe(p)} was added`,
        );
    }
    for (const [k, { p: bp }] of bm) {
      const hit = hm.get(k);
      if (!hit) continue;
      const { p: hp, pointer } = hit;
      if (ctx.webhook) {
        if (bp.required === true && hp.required !== true)
          emit('response-header-became-optional', pointer, `the webhook's ${describe(hp)} became optional`);
        schemas.compare(
          { place: 'response-header', field: String(hp.name), pointer: [...pointer, 'schema'] },
          paramSchema(bp),
          paramSchema(hp),
        );
        continue;
      }
      if ((bp.required === true) !== (hp.required === true))
        emit(
          hp.required === true ? 'request-parameter-became-required' : 'request-parameter-became-optional',
          pointer,
          `${describe(hp)} became ${hp.required === true ? 'required' : 'optional'}`,
        );
      for (const key of ['style', 'explode', 'allowEmptyValue', 'allowReserved']) {
        if (!same(bp[key], hp[key]))
          emit(
            'unjudged-change',
            [...pointer, key],
            `${describe(hp)}: \`${key}\` ${JSON.stringify(bp[key])} → ${JSON.stringify(hp[key])}; the tool cannot judge serialisation changes: review by hand`,
          );
      }
      schemas.compare(
        { place: 'request-parameter', field: String(hp.name), pointer: [...pointer, 'schema'] },
        paramSchema(bp),
        paramSchema(hp),
      );
    }
  }

  function compareRequestBody(ctx: OperationContext, bRaw: unknown, hRaw: unknown) {
    if (bRaw === undefined && hRaw === undefined) return;
    const pointer = [...ctx.pointer, 'requestBody'];
    if (ctx.webhook && (bRaw === undefined || hRaw === undefined)) {
      emit(
        'unjudged-change',
        pointer,
        `the webhook's payload was ${bRaw === undefined ? 'added' : 'removed'}; the tool cannot judge it: review by hand`,
      );
      return;
    }
    if (bRaw === undefined) {
      const hb = deref(head, hRaw).schema;
      emit(
        hb.required === true ? 'request-body-added-required' : 'request-body-added-optional',
        pointer,
        `${hb.required === true ? 'a required' : 'an optional'} request body was added`,
      );
      return;
    }
    if (hRaw === undefined) {
      emit('request-body-removed', pointer, 'the request body was removed');
      return;
    }
    const bb = deref(base, bRaw).schema;
    const hb = deref(head, hRaw).schema;
    if (!ctx.webhook && (bb.required === true) !== (hb.required === true))
      emit(
        hb.required === true ? 'request-body-became-required' : 'request-body-became-optional',
        [...pointer, 'required'],
        `the request body became ${hb.required === true ? 'required' : 'optional'}`,
      );
    compareContent(ctx, bb.content, hb.content, [...pointer, 'content'], ctx.webhook ? 'payload' : 'request');
  }

  /** Media types removed, added, and the schemas of those both have; `role` decides the direction. */
  function compareContent(
    ctx: OperationContext,
    bRaw: unknown,
    hRaw: unknown,
    pointer: string[],
    role: 'request' | 'response' | 'payload' | 'receiver-response',
    status?: string,
  ) {
    const bc = isObject(bRaw) ? bRaw : {};
    const hc = isObject(hRaw) ? hRaw : {};
    const output = role === 'response' || role === 'payload';
    const where =
      role === 'request'
        ? 'request body'
        : role === 'payload'
          ? 'webhook payload'
          : role === 'receiver-response'
            ? `receiver's ${status} answer`
            : `${status} response`;
    for (const media of Object.keys(bc)) {
      if (media in hc) continue;
      if (role === 'request')
        emit('request-body-media-type-removed', [...pointer, media], `the request body no longer accepts \`${media}\``);
      else if (role === 'response')
        emit('response-media-type-removed', [...pointer, media], `the ${where} no longer comes as \`${media}\``);
      else
        emit(
          'unjudged-change',
          [...pointer, media],
          `the ${where} no longer lists \`${media}\`; the tool cannot judge it: review by hand`,
        );
    }
    for (const media of Object.keys(hc)) {
      if (media in bc) continue;
      if (role === 'request')
        emit('request-body-media-type-added', [...pointer, media], `the request body also accepts \`${media}\``);
      else if (role === 'response')
        emit('response-media-type-added', [...pointer, media], `the ${where} may also come as \`${media}\``);
      else
        emit(
          'unjudged-change',
          [...pointer, media],
          `the ${where} now lists \`${media}\`; the tool cannot judge it: review by hand`,
        );
    }
    for (const media of Object.keys(bc).filter((m) => m in hc)) {
      const bm = isObject(bc[media]) ? (bc[media] as JsonObject) : {};
      const hm = isObject(hc[media]) ? (hc[media] as JsonObject) : {};
      schemas.compare(
        { place: output ? 'response-property' : 'request-property', field: '', pointer: [...pointer, media, 'schema'] },
        bm.schema,
        hm.schema,
      );
      if (!same(bm.encoding, hm.encoding))
        emit(
          'unjudged-change',
          [...pointer, media, 'encoding'],
          `the ${where}'s \`${media}\` encoding changed; the tool cannot judge it: review by hand`,
        );
      if (!same(bm.examples, hm.examples) || !same(bm.example, hm.example))
        emit('documentation-changed', [...pointer, media], `the ${where}'s \`${media}\` examples changed`);
    }
  }

  /** A security requirement is a set of alternatives; each alternative a set of schemes (scopes included). */
  function compareSecurity(ctx: OperationContext, bOp: JsonObject, hOp: JsonObject) {
    // A scheme is what goes on the wire (type, scheme, header name), not its name in the contract: renaming `apiKey` to `ApiKey` breaks nobody.
    const wire = (doc: JsonObject, name: string) => {
      const schemes =
        isObject(doc.components) && isObject((doc.components as JsonObject).securitySchemes)
          ? ((doc.components as JsonObject).securitySchemes as JsonObject)
          : {};
      const def = isObject(schemes[name]) ? (schemes[name] as JsonObject) : undefined;
      if (!def) return name;
      const scheme = typeof def.scheme === 'string' ? def.scheme.toLowerCase() : '';
      return `${String(def.type)}${scheme ? ` ${scheme}` : ''}${def.in ? ` in ${String(def.in)} ${String(def.name).toLowerCase()}` : ''}`;
    };
    const alternatives = (op: JsonObject, doc: JsonObject) => {
      const req = Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : [];
      return (req as JsonObject[]).map((alt) =>
        Object.entries(alt)
          .map(
            ([name, scopes]) =>
              `${wire(doc, name)}${Array.isArray(scopes) && scopes.length ? `[${[...(scopes as string[])].sort().join(' ')}]` : ''}`,
          )
          .sort(),
      );
    };
    const bAlt = alternatives(bOp, baseDoc);
    const hAlt = alternatives(hOp, headDoc);
    if (same(bAlt.map((a) => a.join('+')).sort(), hAlt.map((a) => a.join('+')).sort())) return;
    const show = (alts: string[][]) =>
      alts.length ? alts.map((a) => (a.length ? a.join(' + ') : 'none')).join(' or ') : 'none';
    // A client holding the credentials of one base alternative still gets in if some head alternative needs no more.
    const satisfied = (need: string[], has: string[]) => need.every((s) => has.includes(s));
    const stranded =
      bAlt.length === 0
        ? hAlt.length > 0 && !hAlt.some((h) => h.length === 0)
        : bAlt.some((b) => !hAlt.some((h) => satisfied(h, b)));
    if (hAlt.length === 0 && bAlt.length > 0) {
      emit(
        'api-security-removed',
        [...ctx.pointer, 'security'],
        `${ctx.label} no longer needs credentials (was ${show(bAlt)})`,
      );
      return;
    }
    emit(
      stranded ? 'api-security-added' : 'api-security-removed',
      [...ctx.pointer, 'security'],
      `security ${show(bAlt)} → ${show(hAlt)}${stranded ? ': a client with the old credentials is refused' : ''}`,
    );
  }

  function compareResponses(ctx: OperationContext, bRaw: unknown, hRaw: unknown) {
    const br = isObject(bRaw) ? bRaw : {};
    const hr = isObject(hRaw) ? hRaw : {};
    const pointer = [...ctx.pointer, 'responses'];
    const success = (s: string) => /^2/.test(s);
    for (const status of Object.keys(br)) {
      if (status in hr) continue;
      if (ctx.webhook)
        emit(
          'unjudged-change',
          [...pointer, status],
          `the receiver's ${status} answer was removed; the tool cannot judge it: review by hand`,
        );
      else if (success(status))
        emit(
          'response-success-status-removed',
          [...pointer, status],
          `the success status ${status} was removed${Object.keys(hr).some(success) ? ` (now ${Object.keys(hr).filter(success).join(', ')})` : ''}`,
        );
      else emit('response-non-success-status-removed', [...pointer, status], `the status ${status} was removed`);
    }
    for (const status of Object.keys(hr)) {
      if (status in br) continue;
      if (ctx.webhook)
        emit(
          'unjudged-change',
          [...pointer, status],
          `the receiver's ${status} answer was added; the tool cannot judge it: review by hand`,
        );
      else
        emit(
          success(status) ? 'response-success-status-added' : 'response-non-success-status-added',
          [...pointer, status],
          `the status ${status} was added`,
        );
    }
    for (const status of Object.keys(br).filter((s) => s in hr)) {
      const b = deref(base, br[status]).schema;
      const h = deref(head, hr[status]).schema;
      if (!ctx.webhook) compareHeaders(b.headers, h.headers, [...pointer, status, 'headers'], status);
      compareContent(
        ctx,
        b.content,
        h.content,
        [...pointer, status, 'content'],
        ctx.webhook ? 'receiver-response' : 'response',
        status,
      );
      if (!same(b.description, h.description))
        emit(
          'documentation-changed',
          [...pointer, status, 'description'],
          `the ${status} response's description changed`,
        );
      if (!same(b.links, h.links))
        emit(
          'unjudged-change',
          [...pointer, status, 'links'],
          `the ${status} response's links changed; the tool cannot judge them: review by hand`,
        );
    }
  }

  function compareHeaders(bRaw: unknown, hRaw: unknown, pointer: string[], status: string) {
    const norm = (v: unknown, s: Side) =>
      new Map(
        Object.entries(isObject(v) ? v : {}).map(([k, x]) => [k.toLowerCase(), { name: k, h: deref(s, x).schema }]),
      );
    const bh = norm(bRaw, base);
    const hh = norm(hRaw, head);
    for (const [k, { name, h: b }] of bh) {
      const hit = hh.get(k);
      if (!hit) {
        emit(
          b.required === true ? 'required-response-header-removed' : 'optional-response-header-removed',
          [...pointer, name],
          `the ${status} response no longer carries the ${b.required === true ? 'required' : 'optional'} header \`${name}\``,
        );
        continue;
      }
      if (b.required === true && hit.h.required !== true)
        emit(
          'response-header-became-optional',
          [...pointer, hit.name],
          `the ${status} response's header \`${hit.name}\` became optional`,
        );
      schemas.compare(
        { place: 'response-header', field: hit.name, pointer: [...pointer, hit.name, 'schema'] },
        b.schema,
        hit.h.schema,
      );
    }
    for (const [k, { name }] of hh)
      if (!bh.has(k))
        emit('response-header-added', [...pointer, name], `the ${status} response now carries the header \`${name}\``);
  }

  comparePathItems('paths');
  comparePathItems('webhooks');
  operation = 'contract';
  // Document-wide security is judged per operation above; servers are not judged.
  if (!same(baseDoc.servers, headDoc.servers))
    emit('unjudged-change', ['servers'], 'the servers changed; the tool cannot judge them: review by hand');
  const bSchemes = isObject(baseDoc.components) ? (baseDoc.components as JsonObject).securitySchemes : undefined;
  const hSchemes = isObject(headDoc.components) ? (headDoc.components as JsonObject).securitySchemes : undefined;
  // Security schemes are judged where operations use them (by what goes on the wire); a change of their text is documentation.
  const withoutText = (v: unknown) => JSON.stringify(v, (k, x: unknown) => (k === 'description' ? undefined : x));
  if (!same(bSchemes, hSchemes))
    emit(
      withoutText(bSchemes) === withoutText(hSchemes) ? 'documentation-changed' : 'unjudged-change',
      ['components', 'securitySchemes'],
      withoutText(bSchemes) === withoutText(hSchemes)
        ? "the security schemes' descriptions changed"
        : 'the security schemes changed; the tool judges them only where operations use them (api-security-*): review the rest by hand',
    );
  for (const key of ['info', 'tags', 'externalDocs', 'openapi']) {
    if (!same(baseDoc[key], headDoc[key])) emit('documentation-changed', [key], `\`${key}\` changed`);
  }
  // Components are judged where they are used; extensions (x-*) are the vendor's notes. Anything else at the top is not judged.
  const judged = new Set([
    'paths',
    'webhooks',
    'components',
    'servers',
    'security',
    'info',
    'tags',
    'externalDocs',
    'openapi',
  ]);
  for (const key of new Set([...Object.keys(baseDoc), ...Object.keys(headDoc)])) {
    if (judged.has(key) || key.startsWith('x-') || same(baseDoc[key], headDoc[key])) continue;
    emit('unjudged-change', [key], `\`${key}\` changed; the tool cannot judge it: review by hand`);
  }
  return findings;
}

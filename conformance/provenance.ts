// The provenance table's rows: every field a response of the bundled contracts can carry (every
// operation's every declared response, and every webhook payload), named `<api> <Schema>.<path>` after
// the component that declares it. Each rule of conformance/rules.ts says which of these fields its
// checks hold and against what (`holds`); conformance/PROVENANCE.md is the field × rule table rendered
// from both, and provenance.test.ts fails when a field has no hold.
import { readFileSync } from 'node:fs';
import { bundledContractPath } from '../kit/contract.js';
import { PROVENANCE_PENDING } from './provenance-pending.js';
import { RULES, ruleAnchor, type FieldHold, type Rule } from './rules.js';

export type ProvenanceApi = 'casapay' | 'debitura-customer' | 'debitura-referral';

export const PROVENANCE_APIS: Record<ProvenanceApi, string> = {
  casapay: 'casapay.json',
  'debitura-customer': 'debitura-customer.json',
  'debitura-referral': 'debitura-referral.json',
};

export interface ContractField {
  /** `<api> <Schema>.<path>`, as a FieldHold names it. */
  field: string;
  api: ProvenanceApi;
  /**
   * The component that declares the field; an inline schema is named after where it sits:
   * `webhook[collection_case.updated]` (a webhook payload's own overlay), `createWebhookEndpoint[201]`.
   */
  schema: string;
  /** Dotted, arrays as `[]`: `payments[].amount`. */
  path: string;
  /** Where a response can carry it: `operationId status` or `webhook <event>` (sorted). */
  seenIn: string[];
}

type Node = Record<string, any>;
interface Reached {
  fields: string[];
  components: string[];
}

const refName = (ref: string) => ref.split('/').pop()!.replace(/~1/g, '/').replace(/~0/g, '~');

function resolve(document: Node, ref: string): Node | undefined {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<any>((node, key) => node?.[key], document);
}

/** The fields of one contract document (exported for the tests; `contractFields` reads the bundled ones). */
export function fieldsOfDocument(api: ProvenanceApi, document: Node): ContractField[] {
  const fields = new Map<string, ContractField>();
  /** Components already walked from some place, and every place each was reached from. */
  const componentPlaces = new Map<string, Set<string>>();
  /** The fields a component declares and the components its fields refer to. */
  const componentReach = new Map<string, Reached>();

  const deref = (node: Node | undefined): Node | undefined => {
    let current = node;
    for (let i = 0; current && typeof current.$ref === 'string' && i < 20; i++)
      current = resolve(document, current.$ref);
    return current;
  };

  /** An object with declared properties (or a combination or array of such): its fields are listed, not itself. */
  const isContainer = (node: Node | undefined, depth = 0): boolean => {
    const n = deref(node);
    if (!n || depth > 10) return false;
    if (n.properties && Object.keys(n.properties).length) return true;
    for (const key of ['allOf', 'anyOf', 'oneOf'])
      if (Array.isArray(n[key]) && n[key].some((m: Node) => isContainer(m, depth + 1))) return true;
    if (n.items && isContainer(n.items, depth + 1)) return true;
    return false;
  };

  const addField = (schema: string, path: string, place: string) => {
    const id = `${api} ${schema}.${path}`;
    let f = fields.get(id);
    if (!f) fields.set(id, (f = { field: id, api, schema, path, seenIn: [] }));
    if (!f.seenIn.includes(place)) f.seenIn.push(place);
    return id;
  };

  /** Walks a schema node: its fields belong to `owner` at `prefix` until a $ref hands them to a component. */
  const walk = (node: Node | undefined, owner: string, prefix: string, place: string, into: Reached): void => {
    if (!node) return;
    if (typeof node.$ref === 'string') {
      if (!isContainer(deref(node))) {
        if (prefix) into.fields.push(addField(owner, prefix, place));
        return;
      }
      into.components.push(refName(node.$ref));
      component(refName(node.$ref), place);
      return;
    }
    if (!isContainer(node)) {
      if (prefix) into.fields.push(addField(owner, prefix, place));
      return;
    }
    // A nullable object (`oneOf: [{$ref: X}, {type: null}]`) is its fields; the null member adds none.
    for (const key of ['allOf', 'anyOf', 'oneOf'])
      if (Array.isArray(node[key]))
        for (const member of node[key]) if (member?.type !== 'null') walk(member, owner, prefix, place, into);
    if (node.items) walk(node.items, owner, `${prefix}[]`, place, into);
    for (const [name, child] of Object.entries<Node>(node.properties ?? {}))
      walk(child, owner, prefix ? `${prefix}.${name}` : name, place, into);
  };

  const component = (name: string, place: string): void => {
    const places = componentPlaces.get(name);
    if (places) {
      // Already walked: the new place reaches the same fields (and the components under them).
      if (places.has(place)) return;
      places.add(place);
      const reached = componentReach.get(name)!;
      for (const id of reached.fields) {
        const f = fields.get(id)!;
        if (!f.seenIn.includes(place)) f.seenIn.push(place);
      }
      for (const child of reached.components) component(child, place);
      return;
    }
    componentPlaces.set(name, new Set([place]));
    const reached: Reached = { fields: [], components: [] };
    componentReach.set(name, reached);
    walk(document.components?.schemas?.[name], name, '', place, reached);
  };

  for (const [template, item] of Object.entries<Node>(document.paths ?? {})) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete']) {
      const op = item[method];
      if (!op) continue;
      for (const [status, declared] of Object.entries<Node>(op.responses ?? {})) {
        const response = deref(declared);
        for (const [mediaType, media] of Object.entries<Node>(response?.content ?? {})) {
          if (!/json/i.test(mediaType) || !media?.schema) continue;
          const place = `${op.operationId ?? `${method} ${template}`} ${status}`;
          walk(media.schema, `${op.operationId}[${status}]`, '', place, { fields: [], components: [] });
        }
      }
    }
  }
  for (const [event, item] of Object.entries<Node>(document.webhooks ?? {})) {
    const body = deref(item.post?.requestBody);
    const schema = body?.content?.['application/json']?.schema;
    if (schema) walk(schema, `webhook[${event}]`, '', `webhook ${event}`, { fields: [], components: [] });
  }
  for (const f of fields.values()) f.seenIn.sort();
  return [...fields.values()].sort((a, b) => a.field.localeCompare(b.field));
}

const cache = new Map<ProvenanceApi, ContractField[]>();

/** Every response field of the bundled contracts (all three APIs unless one is named). */
export function contractFields(api?: ProvenanceApi): ContractField[] {
  const apis = api ? [api] : (Object.keys(PROVENANCE_APIS) as ProvenanceApi[]);
  return apis.flatMap((a) => {
    let fields = cache.get(a);
    if (!fields) {
      const document = JSON.parse(readFileSync(bundledContractPath(PROVENANCE_APIS[a]), 'utf8')) as Node;
      cache.set(a, (fields = fieldsOfDocument(a, document)));
    }
    return fields;
  });
}

/** Whether a hold's field (which may use `*` for any run of characters) names a contract field. */
export function holdMatches(pattern: string, field: string): boolean {
  if (!pattern.includes('*')) return pattern === field;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(field);
}

export interface FieldProvenance {
  field: ContractField;
  /** Every hold on the field: the rule and what the rule holds it against. */
  holds: { rule: string; from: FieldHold['from']; reason?: string }[];
  /** The strongest `from` (request, response, rule before shape), or null when nothing holds the field. */
  strongest: FieldHold['from'] | null;
  /** Listed in PROVENANCE_PENDING: no hold yet, on purpose, until the work named there lands. */
  pending: boolean;
}

const STRENGTH: FieldHold['from'][] = ['request', 'response', 'rule', 'shape'];

/** Every contract field with the rules that hold it (the rows of PROVENANCE.md). */
export function provenance(rules: readonly Rule[] = RULES, fields = contractFields()): FieldProvenance[] {
  return fields.map((field) => {
    const holds = rules.flatMap((r) =>
      (r.holds ?? [])
        .filter((h) => holdMatches(h.field, field.field))
        .map((h) => ({ rule: r.id, from: h.from, ...(h.reason ? { reason: h.reason } : {}) })),
    );
    const strongest = STRENGTH.find((s) => holds.some((h) => h.from === s)) ?? null;
    return { field, holds, strongest, pending: PROVENANCE_PENDING.has(field.field) };
  });
}

const API_TITLES: Record<ProvenanceApi, string> = {
  casapay: 'CasaPay (`generated/casapay.json`)',
  'debitura-customer': 'Debitura Customer API (`generated/debitura-customer.json`)',
  'debitura-referral': 'Debitura Referral Partner API (`generated/debitura-referral.json`)',
};

/** Counts per API: fields, held against a source (request/response/rule), shape only, none. */
export function provenanceCounts(rows = provenance()) {
  return (Object.keys(PROVENANCE_APIS) as ProvenanceApi[]).map((api) => {
    const mine = rows.filter((r) => r.field.api === api);
    return {
      api,
      fields: mine.length,
      sourced: mine.filter((r) => r.strongest && r.strongest !== 'shape').length,
      shapeOnly: mine.filter((r) => r.strongest === 'shape').length,
      none: mine.filter((r) => r.strongest === null).length,
    };
  });
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** conformance/PROVENANCE.md, rendered from the contracts and RULES' holds. */
export function renderProvenanceMarkdown(rows = provenance()): string {
  const lines = [
    '# Provenance of every response field',
    '',
    "Every field a response of the bundled contracts can carry (each operation's declared responses and each",
    'webhook payload), named `<api> <Schema>.<path>` after the component that declares it, and the rules whose',
    'checks hold it — against what: **request** (equals or derives from what the request sent), **response**',
    '(equals an earlier answer), **rule** (a documented rule: arithmetic, transition, order, time) or **shape**',
    '(only its declared shape; the reason says why nothing stronger). Rendered from the contracts',
    '(`conformance/provenance.ts` walks them) and the `holds` of `conformance/rules.ts` by `npm run rules`;',
    '`conformance/provenance.test.ts` fails when this file is stale, when a field has no hold, when a `shape`',
    'hold has no reason, or when a hold names a field the contracts do not have. Rule ids link to',
    '[RULES.md](RULES.md).',
    '',
    '| API | fields | held against a source | shape only (with a reason) | no hold |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...provenanceCounts(rows).map((c) => `| ${c.api} | ${c.fields} | ${c.sourced} | ${c.shapeOnly} | ${c.none} |`),
    '',
  ];
  for (const api of Object.keys(PROVENANCE_APIS) as ProvenanceApi[]) {
    lines.push(`## ${API_TITLES[api]}`, '', '| field | held by (rule: from) | answered by |', '| --- | --- | --- |');
    for (const row of rows.filter((r) => r.field.api === api)) {
      const held = row.holds.length
        ? row.holds
            .map(
              (h) =>
                `[\`${h.rule}\`](RULES.md#${ruleAnchor(h.rule)}): ${h.from === row.strongest ? `**${h.from}**` : h.from}${h.reason ? ` (${h.reason})` : ''}`,
            )
            .join('; ')
        : row.pending
          ? `**no hold yet** (${PROVENANCE_PENDING.get(row.field.field)})`
          : '**no hold**';
      const seen =
        row.field.seenIn.length > 4
          ? `${row.field.seenIn.slice(0, 4).join(', ')} … (${row.field.seenIn.length})`
          : row.field.seenIn.join(', ');
      lines.push(`| \`${row.field.schema}.${row.field.path}\` | ${cell(held)} | ${cell(seen)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

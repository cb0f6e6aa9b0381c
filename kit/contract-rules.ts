// The rules a contract states outside JSON Schema: its `x-rules` catalogue (root of the document) and
// the ids each operation lists under its own `x-rules`. A rule says in words what it refuses and which
// answers it gives (status, code, and the param when the refusal names one), so a refusal the mock
// makes can be traced to the sentence of the contract that allows it — the mock cites the id in its
// journal, the conformance suite and the docs cite the same ids (docs/contract.md#rules).

/**
 * One refusal a rule gives: its status and error code, and the param it names — absent when it names
 * none, a glob where `*` stands for any characters (`cases[*]` names every case of a batch).
 */
export interface RuleRefusal {
  status: number;
  code: string;
  param?: string;
  /** Where the wire names the refusal only by business error (Debitura's 422s): the `businessErrors[].type`s. */
  businessErrors?: string[];
}

export interface ContractRule {
  id: string;
  /** The rule in words, as the docs render it. */
  rule: string;
  refusals: RuleRefusal[];
  /** `every-operation`: the rule holds wherever it can (the HTTP layer's and the engine's own rules). */
  scope?: 'every-operation';
}

/** What a refusal looks like to the classifier (an ApiError is one). */
export interface Refusal {
  status: number;
  code: string;
  param: string | null;
  /** Set where the refusal came from the schema itself (`schema:<keyword>`) or its thrower cites a rule by id. */
  statedBy?: string;
}

export interface ContractRules {
  catalogue: ReadonlyMap<string, ContractRule>;
  /** The rules an operation lists, and those that hold for every operation. */
  forOperation(operationId: string): ContractRule[];
  /**
   * The id that states `refusal` for `operationId`: `schema:<keyword>` when the schema refused it,
   * else the first rule of the operation whose refusals match; undefined when the contract states none.
   */
  stated(operationId: string, refusal: Refusal): string | undefined;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * Reads a bundled contract's rules. Throws when an operation lists an id the catalogue lacks, or a rule
 * is malformed: a contract that names a rule it does not state is a broken contract.
 * @example readContractRules(document).stated('ListEvents', { status: 400, code: 'parameters_exclusive', param: 'types' }) // 'events-type-or-types'
 */
export function readContractRules(document: Record<string, any>): ContractRules {
  const catalogue = new Map<string, ContractRule>();
  for (const [id, raw] of Object.entries<any>(document['x-rules'] ?? {})) {
    if (typeof raw?.rule !== 'string' || !Array.isArray(raw.refusals) || raw.refusals.length === 0)
      throw new Error(`x-rules.${id}: needs a \`rule\` sentence and at least one refusal`);
    for (const r of raw.refusals)
      if (typeof r?.status !== 'number' || typeof r.code !== 'string')
        throw new Error(`x-rules.${id}: each refusal needs a numeric status and a code`);
    catalogue.set(id, { id, rule: raw.rule, refusals: raw.refusals, scope: raw.scope });
  }
  const everywhere = [...catalogue.values()].filter((r) => r.scope === 'every-operation');
  const byOperation = new Map<string, ContractRule[]>();
  for (const [path, item] of Object.entries<any>(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (!operation?.operationId) continue;
      const own = (operation['x-rules'] ?? []).map((id: string) => {
        const rule = catalogue.get(id);
        if (!rule)
          throw new Error(`${method.toUpperCase()} ${path} lists x-rule '${id}', which x-rules does not state`);
        return rule;
      });
      byOperation.set(operation.operationId, [...own, ...everywhere]);
    }
  }
  const globs = new Map<string, RegExp>();
  const paramMatches = (pattern: string | undefined, param: string | null) => {
    if (pattern === undefined) return param === null;
    if (param === null) return false;
    if (!pattern.includes('*')) return pattern === param;
    let glob = globs.get(pattern);
    if (!glob) {
      glob = new RegExp(
        `^${pattern
          .split('*')
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      );
      globs.set(pattern, glob);
    }
    return glob.test(param);
  };
  const matches = (refusal: Refusal, r: RuleRefusal) =>
    r.status === refusal.status && r.code === refusal.code && paramMatches(r.param, refusal.param);
  const forOperation = (operationId: string) => byOperation.get(operationId) ?? everywhere;
  return {
    catalogue,
    forOperation,
    stated(operationId, refusal) {
      const rules = forOperation(operationId);
      if (refusal.statedBy?.startsWith('schema:')) return refusal.statedBy;
      // A thrower that cites its rule is believed only where the operation states that rule.
      if (refusal.statedBy) return rules.some((rule) => rule.id === refusal.statedBy) ? refusal.statedBy : undefined;
      return rules.find((rule) => rule.refusals.some((r) => matches(refusal, r)))?.id;
    },
  };
}

/** How a refusal reads in the docs: `400 parameter_invalid (due_date)`. */
const describeRefusal = (r: RuleRefusal) =>
  `${r.status} \`${r.code}\`${r.param ? ` (\`${r.param}\`)` : ''}${r.businessErrors ? ` — ${r.businessErrors.map((t) => `\`${t}\``).join(', ')}` : ''}`;

/**
 * docs/contract-rules.md: each contract's rules, with the operations that state them (written by
 * `npm run rules`; spec/contract-rules.test.ts fails when it is stale).
 */
export function renderContractRulesMarkdown(contracts: ReadonlyArray<[title: string, document: Record<string, any>]>) {
  const lines = [
    '# Rules the contracts state outside JSON Schema',
    '',
    "Each contract's `x-rules` (root: the catalogue; each operation: the ids that hold for it), written from",
    "`spec/rules/` by `npm run generate`. A refusal the mock makes is either its schema's own (a missing,",
    'mistyped or unknown parameter, a value outside an enum, pattern or range, a media type the operation does',
    'not take) or one of these rules: the journal (`GET /__admin/journal`) shows which under `rule`',
    '(`schema:<keyword>` or the rule id), and under `--validate-responses` a refusal the contract states',
    'neither way is a 500 naming it. Rendered by `npm run rules`; do not edit.',
  ];
  for (const [title, document] of contracts) {
    const rules = readContractRules(document);
    const operationsOf = new Map<string, string[]>();
    for (const item of Object.values<any>(document.paths ?? {}))
      for (const operation of Object.values<any>(item))
        for (const id of operation?.['x-rules'] ?? [])
          operationsOf.set(id, [...(operationsOf.get(id) ?? []), operation.operationId]);
    lines.push('', `## ${title}`, '', '| id | rule | refusals | operations |', '| --- | --- | --- | --- |');
    for (const rule of rules.catalogue.values()) {
      const where = rule.scope === 'every-operation' ? 'every operation' : (operationsOf.get(rule.id) ?? []).join(', ');
      lines.push(
        `| <a id="${title.toLowerCase().replace(/\W+/g, '-')}-${rule.id}"></a>\`${rule.id}\` | ${rule.rule.replace(/\|/g, '\\|')} | ${rule.refusals.map(describeRefusal).join('<br>')} | ${where} |`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

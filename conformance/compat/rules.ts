// The catalogue of compatibility rules: every finding `compat` reports names one of these ids, with a
// verdict for clients (who call the API and read its answers and webhooks) and one for
// implementations (who serve the API and send its webhooks). Ids follow oasdiff's
// (checker/localizations_src/en/messages.yaml) where oasdiff has the rule; RULES.md marks which do.
// Schema rules exist once per place a schema sits (request parameter, request property, response
// property, response header) and are generated from one table of kinds, judged in opposite
// directions: a request may accept more, a response may promise more.

export type Level = 'breaking' | 'warning' | 'compatible';
export type Place = 'request-parameter' | 'request-property' | 'response-property' | 'response-header';
export type Direction = 'request' | 'response';

export interface Rule {
  id: string;
  /** The verdict for clients of the API (what `compat` fails on by default). */
  clients: Level;
  /** The verdict for implementations built on the old contract. */
  implementations: Level;
  summary: string;
}

/** A schema change judged by direction; the verdicts for the request side and the response side. */
interface SchemaKind {
  kind: string;
  request: Level;
  response: Level;
  summary: string;
}

const B = 'breaking';
const W = 'warning';
const C = 'compatible';

export const SCHEMA_KINDS: readonly SchemaKind[] = [
  {
    kind: 'type-changed',
    request: B,
    response: B,
    summary: 'its type changed to one that neither contains nor is contained in the old',
  },
  {
    kind: 'list-of-types-widened',
    request: C,
    response: B,
    summary: 'it accepts or may hold more types (a type added, or integer became number)',
  },
  { kind: 'list-of-types-narrowed', request: B, response: C, summary: 'it accepts or may hold fewer types' },
  { kind: 'became-nullable', request: C, response: B, summary: 'null became allowed' },
  { kind: 'became-not-nullable', request: B, response: C, summary: 'null is no longer allowed' },
  {
    kind: 'format-changed',
    request: B,
    response: W,
    summary: 'its format changed (a response string format is opaque under Stripe’s policy: a warning)',
  },
  { kind: 'format-added', request: B, response: C, summary: 'a format was added' },
  { kind: 'format-removed', request: C, response: W, summary: 'its format was removed' },
  {
    kind: 'enum-value-added',
    request: C,
    response: W,
    summary: 'an enum value was added (a warning in responses under the additive policy)',
  },
  { kind: 'enum-value-removed', request: B, response: C, summary: 'an enum value was removed' },
  { kind: 'became-enum', request: B, response: C, summary: 'it became an enum' },
  { kind: 'enum-removed', request: C, response: W, summary: 'it is no longer an enum' },
  { kind: 'max-length-decreased', request: B, response: C, summary: 'maxLength lowered or set' },
  { kind: 'max-length-increased', request: C, response: B, summary: 'maxLength raised or removed' },
  { kind: 'min-length-increased', request: B, response: C, summary: 'minLength raised or set' },
  { kind: 'min-length-decreased', request: C, response: B, summary: 'minLength lowered or removed' },
  { kind: 'max-decreased', request: B, response: C, summary: 'maximum (or exclusiveMaximum) lowered or set' },
  { kind: 'max-increased', request: C, response: B, summary: 'maximum (or exclusiveMaximum) raised or removed' },
  { kind: 'min-increased', request: B, response: C, summary: 'minimum (or exclusiveMinimum) raised or set' },
  { kind: 'min-decreased', request: C, response: B, summary: 'minimum (or exclusiveMinimum) lowered or removed' },
  { kind: 'max-items-decreased', request: B, response: C, summary: 'maxItems lowered or set' },
  { kind: 'max-items-increased', request: C, response: B, summary: 'maxItems raised or removed' },
  { kind: 'min-items-increased', request: B, response: C, summary: 'minItems raised or set' },
  { kind: 'min-items-decreased', request: C, response: B, summary: 'minItems lowered or removed' },
  { kind: 'pattern-added', request: B, response: C, summary: 'a pattern was added' },
  // As oasdiff: whether the new pattern accepts every value the old one did is not decided, so a human reads it.
  {
    kind: 'pattern-changed',
    request: W,
    response: W,
    summary:
      'its pattern changed (the tool does not decide whether the new one accepts all the old one did: review it)',
  },
  { kind: 'pattern-removed', request: C, response: W, summary: 'its pattern was removed' },
  { kind: 'default-value-changed', request: W, response: C, summary: 'its default changed, added or removed' },
  { kind: 'one-of-added', request: C, response: W, summary: 'a oneOf branch was added' },
  { kind: 'one-of-removed', request: B, response: C, summary: 'a oneOf branch was removed' },
  { kind: 'any-of-added', request: C, response: W, summary: 'an anyOf branch was added' },
  { kind: 'any-of-removed', request: B, response: C, summary: 'an anyOf branch was removed' },
  { kind: 'all-of-added', request: B, response: C, summary: 'an allOf branch was added (one more constraint)' },
  { kind: 'all-of-removed', request: C, response: B, summary: 'an allOf branch was removed (one constraint fewer)' },
  { kind: 'discriminator-added', request: C, response: C, summary: 'a discriminator was added' },
  { kind: 'discriminator-removed', request: B, response: B, summary: 'its discriminator was removed' },
  {
    kind: 'discriminator-property-name-changed',
    request: B,
    response: B,
    summary: 'its discriminator names another property',
  },
  { kind: 'discriminator-mapping-deleted', request: B, response: C, summary: 'a discriminator mapping was deleted' },
  { kind: 'discriminator-mapping-added', request: C, response: W, summary: 'a discriminator mapping was added' },
  {
    kind: 'additional-properties-narrowed',
    request: B,
    response: C,
    summary: 'it accepts fewer unnamed properties (additionalProperties false or narrowed)',
  },
  {
    kind: 'additional-properties-widened',
    request: C,
    response: W,
    summary: 'it allows unnamed properties it did not',
  },
  {
    kind: 'unjudged-keyword-changed',
    request: W,
    response: W,
    summary: 'a keyword the tool cannot judge changed (reported, never passed silently)',
  },
];

/**
 * Properties added, removed or made required/optional: the id per direction (request properties as
 * oasdiff names them; a response property's id says whether it was required), the verdict for clients,
 * and the one for implementations written out (request bodies are closed: an old implementation refuses
 * a property it does not know).
 */
export const PROPERTY_KINDS = {
  'added-required': {
    request: { id: 'new-required-request-property', level: B, impl: B },
    response: { id: 'response-required-property-added', level: C, impl: B },
  },
  'added-optional': {
    request: { id: 'new-optional-request-property', level: C, impl: B },
    response: { id: 'response-optional-property-added', level: C, impl: C },
  },
  'removed-required': {
    request: { id: 'request-property-removed', level: B, impl: W },
    response: { id: 'response-required-property-removed', level: B, impl: C },
  },
  'removed-optional': {
    request: { id: 'request-property-removed', level: B, impl: W },
    response: { id: 'response-optional-property-removed', level: W, impl: C },
  },
  'became-required': {
    request: { id: 'request-property-became-required', level: B, impl: C },
    response: { id: 'response-property-became-required', level: C, impl: B },
  },
  'became-optional': {
    request: { id: 'request-property-became-optional', level: C, impl: B },
    response: { id: 'response-property-became-optional', level: B, impl: C },
  },
} as const satisfies Record<string, Record<Direction, { id: string; level: Level; impl: Level }>>;
export type PropertyKind = keyof typeof PROPERTY_KINDS;

const PROPERTY_SUMMARIES: Record<string, string> = {
  'new-required-request-property': 'a required request property was added',
  'new-optional-request-property': 'an optional request property was added',
  'request-property-removed': 'a request property was removed (request bodies are closed: the server now refuses it)',
  'response-required-property-added': 'a required response property was added',
  'response-optional-property-added': 'an optional response property was added',
  'response-required-property-removed': 'a required response property was removed',
  'response-optional-property-removed': 'an optional response property was removed',
  'request-property-became-required': 'a request property became required',
  'response-property-became-required': 'a response property became required',
  'request-property-became-optional': 'a request property became optional',
  'response-property-became-optional': 'a response property became optional (clients may meet it absent)',
};

export const PLACES: Record<Place, Direction> = {
  'request-parameter': 'request',
  'request-property': 'request',
  'response-property': 'response',
  'response-header': 'response',
};

const opposite = (d: Direction): Direction => (d === 'request' ? 'response' : 'request');

export function schemaRuleId(place: Place, kind: string): string {
  return `${place}-${kind}`;
}

const STRUCTURAL: Rule[] = [
  {
    id: 'api-path-removed-without-deprecation',
    clients: B,
    implementations: C,
    summary: 'a path was removed (or renamed) without being deprecated first',
  },
  { id: 'api-path-removed-with-deprecation', clients: W, implementations: C, summary: 'a deprecated path was removed' },
  {
    id: 'api-removed-without-deprecation',
    clients: B,
    implementations: C,
    summary: 'an operation (a method of a path that remains) was removed without being deprecated first',
  },
  { id: 'api-removed-with-deprecation', clients: W, implementations: C, summary: 'a deprecated operation was removed' },
  { id: 'endpoint-added', clients: C, implementations: B, summary: 'an operation was added' },
  { id: 'endpoint-deprecated', clients: W, implementations: C, summary: 'an operation was deprecated' },
  {
    id: 'webhook-removed',
    clients: B,
    implementations: C,
    summary: 'a webhook (an event type) was removed: receivers no longer get it',
  },
  { id: 'webhook-added', clients: C, implementations: W, summary: 'a webhook (an event type) was added' },
  {
    id: 'api-security-added',
    clients: B,
    implementations: C,
    summary:
      'an operation needs a credential it did not (a security requirement added, or the one a client used removed)',
  },
  {
    id: 'api-security-removed',
    clients: C,
    implementations: B,
    summary: 'an operation accepts credentials it did not (a requirement loosened)',
  },
  { id: 'new-required-request-parameter', clients: B, implementations: W, summary: 'a required parameter was added' },
  { id: 'new-optional-request-parameter', clients: C, implementations: W, summary: 'an optional parameter was added' },
  { id: 'request-parameter-removed', clients: B, implementations: C, summary: 'a parameter was removed' },
  {
    id: 'request-parameter-renamed',
    clients: B,
    implementations: B,
    summary: 'a parameter was renamed (one removed and one added in the same place with the same schema)',
  },
  {
    id: 'request-parameter-moved',
    clients: B,
    implementations: B,
    summary: 'a parameter moved to another location (query, header, cookie)',
  },
  { id: 'request-parameter-became-required', clients: B, implementations: C, summary: 'a parameter became required' },
  { id: 'request-parameter-became-optional', clients: C, implementations: B, summary: 'a parameter became optional' },
  { id: 'request-body-added-required', clients: B, implementations: W, summary: 'a required request body was added' },
  { id: 'request-body-added-optional', clients: C, implementations: W, summary: 'an optional request body was added' },
  { id: 'request-body-removed', clients: B, implementations: C, summary: 'the request body was removed' },
  { id: 'request-body-became-required', clients: B, implementations: C, summary: 'the request body became required' },
  { id: 'request-body-became-optional', clients: C, implementations: B, summary: 'the request body became optional' },
  {
    id: 'request-body-media-type-removed',
    clients: B,
    implementations: C,
    summary: 'a request media type was removed',
  },
  { id: 'request-body-media-type-added', clients: C, implementations: B, summary: 'a request media type was added' },
  {
    id: 'response-success-status-removed',
    clients: B,
    implementations: C,
    summary: 'a success status was removed (or changed)',
  },
  { id: 'response-success-status-added', clients: W, implementations: C, summary: 'a success status was added' },
  { id: 'response-non-success-status-removed', clients: C, implementations: C, summary: 'an error status was removed' },
  { id: 'response-non-success-status-added', clients: C, implementations: W, summary: 'an error status was added' },
  { id: 'response-media-type-removed', clients: B, implementations: C, summary: 'a response media type was removed' },
  { id: 'response-media-type-added', clients: C, implementations: B, summary: 'a response media type was added' },
  {
    id: 'required-response-header-removed',
    clients: B,
    implementations: C,
    summary: 'a required response header was removed',
  },
  {
    id: 'optional-response-header-removed',
    clients: W,
    implementations: C,
    summary: 'an optional response header was removed',
  },
  {
    id: 'response-header-became-optional',
    clients: B,
    implementations: C,
    summary: 'a response header became optional',
  },
  { id: 'response-header-added', clients: C, implementations: W, summary: 'a response header was added' },
  {
    id: 'documentation-changed',
    clients: C,
    implementations: C,
    summary: 'descriptions, summaries, examples or titles changed',
  },
  {
    id: 'unjudged-change',
    clients: W,
    implementations: W,
    summary:
      'a part of the contract the tool cannot judge changed (callbacks, links, servers…): reported, never passed silently',
  },
];

function buildCatalogue(): Map<string, Rule> {
  const rules = new Map<string, Rule>();
  const add = (rule: Rule) => {
    const known = rules.get(rule.id);
    if (known && (known.clients !== rule.clients || known.implementations !== rule.implementations))
      throw new Error(`rule ${rule.id} defined twice with different verdicts`);
    rules.set(rule.id, rule);
  };
  STRUCTURAL.forEach(add);
  for (const [place, direction] of Object.entries(PLACES) as [Place, Direction][]) {
    for (const k of SCHEMA_KINDS) {
      // An implementation meets a schema change from the other side of the wire: it reads requests and writes responses.
      add({
        id: schemaRuleId(place, k.kind),
        clients: k[direction],
        implementations: k[opposite(direction)],
        summary: `${place.replace('-', ' ')}: ${k.summary}`,
      });
    }
  }
  for (const byDirection of Object.values(PROPERTY_KINDS)) {
    for (const direction of ['request', 'response'] as const) {
      const { id, level, impl } = byDirection[direction];
      add({ id, clients: level, implementations: impl, summary: PROPERTY_SUMMARIES[id]! });
    }
  }
  return rules;
}

export const RULES: ReadonlyMap<string, Rule> = buildCatalogue();

export function rule(id: string): Rule {
  const found = RULES.get(id);
  if (!found) throw new Error(`compat: no rule ${id} in the catalogue`);
  return found;
}

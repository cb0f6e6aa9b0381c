// The rules inventory: every promise the contract and the READMEs make, and the check that fails when
// an implementation breaks it — or "not checked" and why. conformance/RULES.md is rendered from this
// list (`npm run rules`; a test fails when it is stale), the HTML report links each failure to its
// rule, and rules.test.ts fails when a check exists that no rule names (or a rule names no check).

export interface Rule {
  id: string;
  area: string;
  /** The promise, in one sentence. */
  rule: string;
  /** Words of the check title(s) that fail when it is broken; `*` = every response the suite receives. */
  checks: string[];
  /** Why no check can fail for it (empty when checked). */
  notChecked?: string;
  /** Reported as a warning by default, a failure under --strict. */
  warning?: boolean;
  /** The response fields this rule's checks hold, and against what (the provenance table, PROVENANCE.md). */
  holds?: FieldHold[];
  /** The contracts' `x-rules` ids this rule checks (docs/contract-rules.md): the suite cites the contract's own ids. */
  contractRules?: string[];
}

export interface FieldHold {
  /** `<api> <Schema>.<path>`: api ∈ casapay | debitura-customer | debitura-referral; Schema the named
   *  component that declares the field; path dotted, arrays as `[]` (e.g. `debitura-customer Case.remainder`,
   *  `debitura-customer Case.payments[].amount`, `casapay CollectionCase.debtor.country`). Webhook payload
   *  schemas are named the same way. */
  field: string;
  /** request: equals/derives from what the request sent; response: equals an earlier answer; rule: a
   *  documented rule (arithmetic, transition, order, time); shape: only its declared shape (give `reason`). */
  from: 'request' | 'response' | 'rule' | 'shape';
  reason?: string;
}

const EVERY = '*';

/** Holds on several fields of one API at once (fields without the API prefix; `*` matches any run of characters). */
const held = (
  api: 'casapay' | 'debitura-customer' | 'debitura-referral',
  from: FieldHold['from'],
  fields: string[],
  reason?: string,
): FieldHold[] => fields.map((field) => ({ field: `${api} ${field}`, from, ...(reason ? { reason } : {}) }));
/** A hold on a field of the Referral-Partner contract (`debitura-referral <Schema>.<path>`). */
const referral = (field: string, from: FieldHold['from'], reason?: string): FieldHold => ({
  field: `debitura-referral ${field}`,
  from,
  ...(reason ? { reason } : {}),
});
/** A hold on a field of the Customer contract. */
const customer = (field: string, from: FieldHold['from'], reason?: string): FieldHold => ({
  field: `debitura-customer ${field}`,
  from,
  ...(reason ? { reason } : {}),
});

export const RULES: Rule[] = [
  // Every response (the client middleware, conformance/support/client.ts)
  {
    id: 'status-declared',
    area: 'every response',
    rule: 'The status code is one the contract declares for the operation.',
    checks: [EVERY],
  },
  {
    id: 'content-type-json',
    area: 'every response',
    rule: 'A JSON body comes with Content-Type application/json.',
    checks: [EVERY],
  },
  {
    id: 'body-schema',
    area: 'every response',
    rule: "A 2xx body matches the operation's schema: every required field, every type, format, pattern and enum.",
    checks: [EVERY],
    holds: [
      ...held(
        'casapay',
        'shape',
        [
          'CaseFile.object',
          'Claim.object',
          'CollectionCase.object',
          'DebtPayment.object',
          'DeletedTestClock.object',
          'DeletedWebhookEndpoint.object',
          'Event.object',
          'Guarantee.object',
          'GuaranteePolicy.object',
          'TestClock.object',
          'Timeline.object',
          'WebhookDelivery.object',
          'WebhookEndpoint.object',
          'CaseFileList.object',
          'ClaimList.object',
          'CollectionCaseList.object',
          'DebtPaymentList.object',
          'EventList.object',
          'GuaranteeList.object',
          'GuaranteePolicyList.object',
          'TestClockList.object',
          'WebhookDeliveryList.object',
          'WebhookEndpointList.object',
          'DeletedTestClock.deleted',
          'DeletedWebhookEndpoint.deleted',
        ],
        'a constant: the schema pins its one value, so the shape is the whole promise',
      ),
      ...held(
        'casapay',
        'shape',
        ['webhook[*].type'],
        "the payload's constant type: a delivery is validated against the schema its own type selects",
      ),
      ...held(
        'casapay',
        'shape',
        ['RequiredAction.*'],
        "no documented input of the suite's makes the target require an action, and the actions are the partner's business, not a contract rule",
      ),
      ...held(
        'casapay',
        'shape',
        ['PartnerAssignment.partner_id'],
        'an opaque id of the partner; only its name is shown on the case (compared by case.preview-agrees)',
      ),
      ...held(
        'casapay',
        'shape',
        ['Event.pending_webhooks'],
        "changes while deliveries succeed; its count depends on the target's retry schedule (hook.retries, not checked)",
      ),
      ...held(
        'casapay',
        'shape',
        ['Event.data.previous_attributes'],
        'a free-form map on every event; its values are held per type where the suite causes the update (webhook[collection_case.updated].data.previous_attributes)',
      ),
      ...held(
        'casapay',
        'shape',
        [
          'webhook[guarantee_policy.updated].data.previous_attributes',
          'webhook[guarantee.updated].data.previous_attributes',
        ],
        'no flow of the webhooks capability updates a policy or a guarantee while its receiver listens',
      ),
      ...held(
        'casapay',
        'shape',
        ['WebhookDelivery.*'],
        "the suite lists an event's deliveries only on an account without endpoints (an empty list) and never resends one, so no delivery record is read back",
      ),
      ...held(
        'casapay',
        'shape',
        ['TestClock.deletes_after'],
        "the clock's expiry is a retention policy of the target, not observable in a run",
      ),
      ...held(
        'casapay',
        'shape',
        ['PartnerAssignment.partner_country'],
        "the partner's own country; the contract does not tie it to the debtor's (a partner may cover other countries)",
      ),
      ...held(
        'casapay',
        'shape',
        ['Timeline.has_more'],
        'the timeline takes no limit, so no page size is promised against which has_more could be judged',
      ),
      ...held(
        'casapay',
        'shape',
        ['TimelineEntry.title', 'TimelineEntry.description'],
        "the entry's words for a person; the contract promises no wording (its type is checked)",
      ),
    ],
  },
  {
    id: 'error-envelope',
    area: 'every response',
    rule: 'A 4xx/5xx body is {"error":{"type","code","message","param"}} with type and code from their enums.',
    checks: [EVERY],
    holds: [
      ...held(
        'casapay',
        'shape',
        ['Error.error.message'],
        'a sentence for a developer; the contract promises no wording',
      ),
      ...held(
        'casapay',
        'shape',
        ['Error.error.doc_url', 'Error.error.solution_url'],
        'links into documentation, not state the API keeps',
      ),
    ],
  },
  {
    id: 'request-id-header',
    area: 'every response',
    rule: 'Every response carries a Request-Id header.',
    checks: [EVERY],
  },
  {
    id: 'event-payload',
    area: 'every response',
    rule: 'Each event listed or retrieved matches the webhooks payload schema of its type.',
    checks: [EVERY],
  },
  {
    id: 'unknown-field',
    area: 'every response',
    rule: 'A response field the contract does not name is allowed (additive change) but reported.',
    checks: [EVERY],
    warning: true,
  },
  {
    id: 'unknown-event-type',
    area: 'every response',
    rule: 'An event type the contract does not list is allowed (receivers ignore it) but reported.',
    checks: [EVERY, 'every delivery is a POST of JSON'],
    warning: true,
  },
  {
    id: 'recommended-field',
    area: 'every response',
    rule: "A field the docs show but the contract does not require (x-recommended: an event's livemode, api_version, request, pending_webhooks; an endpoint's enabled_events …; previous_attributes on *.updated) is reported when absent.",
    checks: [EVERY],
    warning: true,
  },
  {
    id: 'answers-in-time',
    area: 'every response',
    rule: 'Every request is answered within --timeout (default 10 s); a request that is not fails its check naming this rule.',
    checks: [EVERY],
  },
  {
    id: 'created-time',
    area: 'every response',
    rule: "An object's created is the Unix time it was made, one a date can hold (before the year 275760): the suite reads the target's clock from a new policy's created in the setup of every check group, and a time it cannot use fails naming this rule.",
    checks: [EVERY],
    holds: [...held('casapay', 'rule', ['GuaranteePolicy.created'])],
  },
  {
    id: 'envelope-framework',
    area: 'every response',
    rule: "Answers the framework writes itself (malformed percent-encoding, an id beyond the router's limit, an oversized request line or header block) carry the envelope and a declared status. (Bytes that are not HTTP cannot be sent with fetch; the mock proves those over raw sockets in mocks/apis/casapay/envelope.test.ts.)",
    checks: ['answers the HTTP layer writes'],
  },

  // Authentication and accounts
  {
    id: 'auth.required',
    contractRules: ['authenticated'],
    area: 'authentication',
    rule: 'Every operation answers 401 authentication_error without a valid key, before anything else.',
    checks: ['answers 401 without a key', '→ 401 authentication_error on list, retrieve and create'],
    holds: [...held('casapay', 'rule', ['Error.error.type'])],
  },
  {
    id: 'auth.codes',
    contractRules: ['authenticated'],
    area: 'authentication',
    rule: 'No key is api_key_missing; a malformed or unknown key is api_key_invalid.',
    checks: ['no key says api_key_missing'],
    holds: [...held('casapay', 'rule', ['Error.error.code'])],
  },
  {
    id: 'auth.isolation',
    area: 'authentication',
    rule: "Objects of one key are 404 for another key and absent from its lists and events (while the owner's lists hold them).",
    checks: ['a case of key A is 404 for key B', 'key A', 'key B cannot use key A'],
    holds: [...held('casapay', 'response', ['CollectionCase.id', 'GuaranteePolicy.id'])],
  },

  // Collection cases and previews
  {
    id: 'case.create',
    area: 'collection cases',
    rule: 'Create answers 201 with amount_to_recover as sent, remainder = amount_to_recover, currency lowercase, no close_code, not closed.',
    checks: ['creates a case (201) from a valid body'],
    holds: [
      ...held('casapay', 'request', ['CollectionCase.amount_to_recover', 'CollectionCase.currency']),
      ...held('casapay', 'rule', ['CollectionCase.remainder', 'CollectionCase.close_code', 'CollectionCase.status']),
    ],
  },
  {
    id: 'case.retrieve',
    area: 'collection cases',
    rule: 'Retrieve shows every field create showed, with the same value; optional fields, when shown, are what was sent (debtor, creditor_reference, metadata, due_date as midnight UTC).',
    checks: ['retrieve returns the created case'],
    holds: [
      ...held('casapay', 'response', ['CollectionCase.*', 'Debtor.*', 'Address.*', 'CollectionPartner.*']),
      ...held('casapay', 'request', [
        'Debtor.name',
        'Debtor.country',
        'CollectionCase.creditor_reference',
        'CollectionCase.metadata',
        'CollectionCase.due_date',
      ]),
    ],
  },
  {
    id: 'case.reference',
    area: 'collection cases',
    rule: 'Retrieve by reference equals retrieve by id.',
    checks: ['retrieve by reference equals retrieve by id'],
    holds: [...held('casapay', 'response', ['CollectionCase.*', 'Debtor.*', 'Address.*', 'CollectionPartner.*'])],
  },
  {
    id: 'case.unique',
    area: 'collection cases',
    rule: 'Each create mints a new id and a new reference; each request gets its own Request-Id.',
    checks: ['ids, references and Request-Ids differ between requests'],
    holds: [...held('casapay', 'rule', ['CollectionCase.id', 'CollectionCase.reference'])],
  },
  {
    id: 'case.preview-agrees',
    area: 'collection cases',
    rule: 'The preview of the same input names the partner the case gets and its total fee (total = base + age surcharge).',
    checks: ['the preview of the same input agrees with the case'],
    holds: [
      ...held('casapay', 'response', [
        'CasePreview.is_eligible',
        'PartnerAssignment.partner_name',
        'CollectionPartner.name',
        'CollectionCase.success_fee_pct',
      ]),
      ...held('casapay', 'rule', [
        'PricingPreview.total_success_fee_pct',
        'PricingPreview.base_success_fee_pct',
        'PricingPreview.age_surcharge_pct',
      ]),
    ],
  },
  {
    id: 'case.listed',
    area: 'collection cases',
    rule: 'A created case is listed, once.',
    checks: ['the case appears in the list, once'],
    holds: [...held('casapay', 'response', ['CollectionCase.*', 'Debtor.*', 'Address.*', 'CollectionPartner.*'])],
  },
  {
    id: 'case.timeline',
    area: 'collection cases',
    rule: 'The timeline starts with case_created and is oldest first, its url is its own path; it grows with the case.',
    checks: ['the timeline starts with case_created'],
    holds: [...held('casapay', 'rule', ['TimelineEntry.type', 'TimelineEntry.date', 'Timeline.url'])],
  },
  {
    id: 'case.ineligible',
    contractRules: ['case-eligibility'],
    area: 'collection cases',
    rule: 'A country without a partner previews as ineligible and is refused with 422 validation_error on create.',
    checks: ['a country without a partner is ineligible'],
    holds: [
      ...held('casapay', 'rule', ['CasePreview.is_eligible']),
      ...held(
        'casapay',
        'shape',
        ['CasePreview.ineligibility_reason'],
        'free text; only that an ineligible preview says something (non-empty) is checked',
      ),
    ],
  },
  {
    id: 'case.pricing-table',
    area: 'collection cases',
    rule: 'Fees follow the bracket table and the age surcharge (+2 points over 12 months, +4 over 24).',
    checks: [],
    notChecked:
      "pricing is CasaPay's business table, not a contract rule; the suite only checks the preview and the case agree (case.preview-agrees). The mock's table is unit-tested (mocks/apis/casapay/rules.test.ts).",
  },

  // Pagination and filters
  {
    id: 'list.envelope',
    area: 'lists',
    rule: 'Every list operation answers {object:"list", data, has_more, url} with its own path as url, at most limit items, and has_more true exactly when more objects follow.',
    checks: ['each returns the list envelope with its own path as url'],
    holds: [
      ...held('casapay', 'rule', [
        'CaseFileList.url',
        'ClaimList.url',
        'CollectionCaseList.url',
        'DebtPaymentList.url',
        'EventList.url',
        'GuaranteeList.url',
        'GuaranteePolicyList.url',
        'TestClockList.url',
        'WebhookEndpointList.url',
        'CaseFileList.has_more',
        'ClaimList.has_more',
        'CollectionCaseList.has_more',
        'DebtPaymentList.has_more',
        'EventList.has_more',
        'GuaranteeList.has_more',
        'GuaranteePolicyList.has_more',
        'TestClockList.has_more',
        'WebhookEndpointList.has_more',
      ]),
    ],
  },
  {
    id: 'list.limit-bounds',
    area: 'lists',
    rule: 'limit is 1–100 (default 10); 0, 101 and non-numbers are 400 param limit.',
    checks: ['each refuses limit 0 and 101', 'limit 0, 101 and non-numbers are refused', 'the default limit is 10'],
  },
  {
    id: 'list.cursors-exclusive',
    contractRules: ['list-cursor'],
    area: 'lists',
    rule: 'starting_after with ending_before is 400 parameters_exclusive; a non-integer created bound is 400 param created[gte].',
    checks: ['each refuses starting_after with ending_before', 'starting_after together with ending_before is refused'],
  },
  {
    id: 'list.order-forwards',
    area: 'lists',
    rule: 'Walking forwards with starting_after returns each object once, newest first, with has_more exact on every page.',
    checks: ['walks forwards with starting_after'],
    holds: [...held('casapay', 'rule', ['CollectionCaseList.has_more'])],
  },
  {
    id: 'list.order-backwards',
    area: 'lists',
    rule: 'Walking backwards with ending_before returns the objects just newer than the cursor, newest first, has_more exact.',
    checks: ['walks backwards with ending_before'],
  },
  {
    id: 'list.boundaries',
    area: 'lists',
    rule: 'A page exactly full has has_more false, one short has it true; starting_after the oldest and ending_before the newest are empty pages.',
    checks: ['boundaries: a page exactly full'],
    holds: [...held('casapay', 'rule', ['CollectionCaseList.has_more'])],
  },
  {
    id: 'list.filters',
    area: 'lists',
    rule: 'status, debtor_country, debtor_type return only and all matching cases; filters combine with AND.',
    checks: ['each filter (status, debtor_country, debtor_type)', 'created[gte|gt|lte|lt]'],
    holds: [...held('casapay', 'rule', ['CollectionCase.status', 'Debtor.country', 'Debtor.type'])],
  },
  {
    id: 'list.created-window',
    area: 'lists',
    rule: 'created[gte|gt|lte|lt] return only and all objects in the window.',
    checks: ['created[gte|gt|lte|lt]'],
    holds: [...held('casapay', 'rule', ['CollectionCase.created'])],
  },

  // Idempotency
  {
    id: 'idem.replay',
    area: 'idempotency',
    rule: 'The same Idempotency-Key and body replays the first status and body with Idempotent-Replayed: true and creates one object.',
    checks: ['a retry with the same key and body replays', 'keys apply to other creates too'],
    holds: [
      ...held('casapay', 'response', [
        'CollectionCase.*',
        'Debtor.*',
        'Address.*',
        'CollectionPartner.*',
        'GuaranteePolicy.*',
      ]),
    ],
  },
  {
    id: 'idem.mismatch',
    contractRules: ['idempotency-key'],
    area: 'idempotency',
    rule: 'The same key with another body is 400 idempotency_error.',
    checks: ['the same key with a different body is refused'],
  },
  {
    id: 'idem.validation-not-stored',
    area: 'idempotency',
    rule: 'A request that failed validation is not remembered: the key can be used again.',
    checks: ['a request that failed validation is not remembered'],
  },
  {
    id: 'idem.distinct',
    area: 'idempotency',
    rule: 'Different keys create different objects, each stored (retrievable by its id).',
    checks: ['different keys create different objects'],
    holds: [...held('casapay', 'rule', ['CollectionCase.id'])],
  },
  {
    id: 'idem.in-flight',
    contractRules: ['idempotency-key'],
    area: 'idempotency',
    rule: 'The same key while the first request still runs is 409 idempotency_key_in_use.',
    checks: [],
    notChecked:
      'needs a request that is reliably still running when the retry arrives; against an unknown target that is a race (the mock tests it with Prefer: latency in mocks/apis/casapay/api.test.ts)',
  },
  {
    id: 'idem.retention',
    area: 'idempotency',
    rule: 'Keys are kept for 24 hours.',
    checks: [],
    notChecked: 'a 24-hour wait; not observable in a run',
  },

  // Files
  {
    id: 'file.upload',
    area: 'files',
    rule: 'A multipart upload is 201 with size and (when shown) sha256 of the bytes sent, case, document_type and filename.',
    checks: ['uploads a small PDF (201)'],
    holds: [
      ...held('casapay', 'request', [
        'CaseFile.case',
        'CaseFile.document_type',
        'CaseFile.description',
        'CaseFile.filename',
        'CaseFile.size',
        'CaseFile.sha256',
      ]),
    ],
  },
  {
    id: 'file.download',
    area: 'files',
    rule: "The file's url downloads the same bytes.",
    checks: ['downloading the file url returns the same bytes'],
    holds: [...held('casapay', 'request', ['CaseFile.url'])],
  },
  {
    id: 'file.listed',
    area: 'files',
    rule: 'An uploaded file is retrievable and listed.',
    checks: ['the file is retrievable and listed'],
    holds: [...held('casapay', 'response', ['CaseFile.*'])],
  },
  {
    id: 'file.limits',
    contractRules: ['upload-file', 'body-size'],
    area: 'files',
    rule: 'Disallowed extensions are 415 file_type_unsupported, over 25 MB is 413 file_too_large, a bad document_type or no file is 400 naming the param; nothing refused is stored.',
    checks: [
      'an .exe is refused with 415',
      'a file of 25 MB + 1 byte is refused',
      'an invalid document_type is 400',
      'a missing file is 400',
      'none of the refused uploads was stored',
      'uploading to an unknown case is 404',
    ],
  },
  {
    id: 'file.url-expiry',
    area: 'files',
    rule: 'A file url is signed and expires after about an hour.',
    checks: [],
    notChecked: "an hour's wait; not observable in a run",
  },

  // Guarantees and claims
  {
    id: 'policy.defaults',
    area: 'guarantees',
    rule: 'A policy created without the optional terms gets the documented defaults.',
    checks: ['creates a policy (201) with the defaults'],
    holds: [
      ...held('casapay', 'request', [
        'GuaranteePolicy.name',
        'GuaranteePolicy.coverage_percentage',
        'GuaranteePolicy.max_coverage_months',
        'GuaranteePolicy.waiting_period_days',
        'GuaranteePolicy.deductible_amount',
      ]),
      ...held('casapay', 'rule', ['GuaranteePolicy.active', 'GuaranteePolicy.eligible_score_minimum']),
    ],
  },
  {
    id: 'policy.update',
    area: 'guarantees',
    rule: 'An update changes only the fields sent.',
    checks: ['retrieves, updates and lists the policy'],
    holds: [
      ...held('casapay', 'response', ['GuaranteePolicy.*']),
      ...held('casapay', 'request', ['GuaranteePolicy.name', 'GuaranteePolicy.metadata']),
    ],
  },
  {
    id: 'guarantee.coverage',
    area: 'guarantees',
    rule: 'total_coverage = coverage_amount × max_coverage_months; a guarantee that started is active, one starting later is pending (retrieved too) until an action moves it (a cancel makes it cancelled).',
    checks: ['creates an active guarantee', 'a guarantee starting in the future is pending'],
    holds: [
      ...held('casapay', 'request', [
        'Guarantee.policy',
        'Guarantee.tenant',
        'Guarantee.coverage_amount',
        'Guarantee.currency',
        'Guarantee.start_date',
        'Guarantee.end_date',
      ]),
      ...held('casapay', 'rule', ['Guarantee.status', 'Guarantee.total_coverage', 'Guarantee.remaining_coverage']),
    ],
  },
  {
    id: 'guarantee.update',
    contractRules: ['guarantee-dates', 'guarantee-lifecycle'],
    area: 'guarantees',
    rule: 'A guarantee update changes metadata and end_date and keeps total_coverage.',
    checks: ['updates a guarantee (metadata and end_date)'],
    holds: [
      ...held('casapay', 'request', ['Guarantee.end_date', 'Guarantee.metadata']),
      ...held('casapay', 'response', ['Guarantee.total_coverage']),
      ...held('casapay', 'rule', ['Guarantee.policy']),
    ],
  },
  {
    id: 'claim.reserve',
    area: 'guarantees',
    rule: 'A claim is 201 under_review and reserves coverage (remaining = total − claimed, claims_filed counts it).',
    checks: ['files a claim (201, under_review)'],
    holds: [
      ...held('casapay', 'request', ['Claim.guarantee', 'Claim.amount', 'Claim.currency', 'Claim.reason']),
      ...held('casapay', 'rule', [
        'Claim.status',
        'Guarantee.amount_claimed',
        'Guarantee.remaining_coverage',
        'Guarantee.claims_filed',
      ]),
      ...held('casapay', 'response', ['Claim.*', 'ClaimEvidence.*']),
    ],
  },
  {
    id: 'claim.guards',
    contractRules: ['claim-coverage'],
    area: 'guarantees',
    rule: 'A claim in another currency or above the coverage less the deductible is 422.',
    checks: ['refuses a claim in another currency'],
    holds: [...held('casapay', 'rule', ['Error.error.code'])],
  },
  {
    id: 'guarantee.cancel',
    contractRules: ['guarantee-lifecycle'],
    area: 'guarantees',
    rule: 'Cancel is 200 cancelled with canceled_at; a cancelled guarantee takes no claims, cannot be cancelled again or extended (422); an inactive policy takes no guarantees.',
    checks: ['cancels a guarantee (200, cancelled', 'a cancelled guarantee cannot be cancelled again'],
    holds: [
      ...held('casapay', 'rule', ['Guarantee.status', 'Guarantee.canceled_at', 'Error.error.code']),
      ...held('casapay', 'request', ['Guarantee.cancellation_reason']),
      ...held('casapay', 'response', ['Guarantee.*']),
    ],
  },
  {
    id: 'not-found',
    contractRules: ['object-exists'],
    area: 'every operation',
    rule: 'Every operation with an id in its path answers 404 resource_not_found for an unknown id.',
    checks: [
      'every operation with an id in its path answers 404',
      'unknown policy, guarantee and claim ids are 404',
      'an unknown id, reference or timeline is 404',
      'debt payments list by case',
    ],
    holds: [...held('casapay', 'rule', ['Error.error.code'])],
  },

  // Events and webhook endpoints
  {
    id: 'endpoint.secret',
    area: 'webhook endpoints',
    rule: 'The whsec_ secret is in the create response only, never in retrieve, list or update.',
    checks: ['creates an endpoint (201) whose secret'],
    holds: [
      ...held('casapay', 'rule', ['WebhookEndpoint.secret', 'WebhookEndpoint.status']),
      ...held('casapay', 'request', [
        'WebhookEndpoint.url',
        'WebhookEndpoint.enabled_events',
        'WebhookEndpoint.description',
      ]),
      ...held('casapay', 'response', ['WebhookEndpoint.*']),
    ],
  },
  {
    id: 'endpoint.unique',
    area: 'webhook endpoints',
    rule: 'Two endpoints get different ids and different secrets, each stored (retrievable by its id).',
    checks: ['two endpoints get two different ids and secrets'],
    holds: [...held('casapay', 'rule', ['WebhookEndpoint.id', 'WebhookEndpoint.secret'])],
  },
  {
    id: 'endpoint.lifecycle',
    area: 'webhook endpoints',
    rule: 'An endpoint can be disabled and deleted; a deleted endpoint is 404 and not listed.',
    checks: ['updates (disable) and deletes the endpoint'],
    holds: [
      ...held('casapay', 'rule', ['WebhookEndpoint.status']),
      ...held('casapay', 'request', ['WebhookEndpoint.description', 'DeletedWebhookEndpoint.id']),
    ],
  },
  {
    id: 'event.recorded',
    area: 'events',
    rule: "Creating a case records collection_case.created, listed (filter by type) and retrievable; the event's delivery list is its own (url, and empty on an account without endpoints).",
    checks: ['creating a case records a collection_case.created event'],
    holds: [
      ...held('casapay', 'rule', ['Event.type']),
      ...held('casapay', 'rule', ['Event.data.object.object']),
      ...held('casapay', 'rule', ['WebhookDeliveryList.url', 'WebhookDeliveryList.has_more']),
      ...held('casapay', 'response', [
        'Event.id',
        'Event.created',
        'Event.api_version',
        'Event.livemode',
        'Event.request.*',
      ]),
    ],
  },
  {
    id: 'event.request-link',
    area: 'events',
    rule: "An event's request.id is the Request-Id of the request that caused it, and request.idempotency_key its key.",
    checks: ["an event's request names the request"],
    holds: [
      ...held('casapay', 'response', ['Event.request.id']),
      ...held('casapay', 'request', ['Event.request.idempotency_key']),
    ],
  },

  // Webhook deliveries
  {
    id: 'hook.flows',
    area: 'webhooks',
    rule: 'Each flow delivers its events: case created, file uploaded, policy/guarantee/claim created, claim decisions, fired test events.',
    checks: [
      'deliveries reach the local receiver',
      'creating a case delivers collection_case.created',
      'uploading a file delivers case_file.uploaded',
      'policies, guarantees and claims deliver',
      'a fired test event is delivered',
    ],
    holds: [
      ...held('casapay', 'rule', [
        'webhook[collection_case.created].type',
        'webhook[case_file.uploaded].type',
        'webhook[guarantee_policy.created].type',
        'webhook[guarantee.created].type',
        'webhook[claim.submitted].type',
        'webhook[claim.approved].type',
        'webhook[claim.paid].type',
        'webhook[claim.denied].type',
      ]),
    ],
  },
  {
    id: 'hook.order',
    area: 'webhooks',
    rule: 'A paid close lists debt_payment.created → collection_case.updated → collection_case.closed; per object, deliveries arrive in the order the events happened (not across objects).',
    checks: ['a payment that clears the remainder delivers'],
    holds: [
      ...held('casapay', 'rule', [
        'webhook[debt_payment.created].type',
        'webhook[collection_case.updated].type',
        'webhook[collection_case.closed].type',
      ]),
      ...held('casapay', 'response', ['webhook[collection_case.updated].data.previous_attributes']),
    ],
  },
  {
    id: 'hook.signature',
    area: 'webhooks',
    rule: 'Every delivery carries X-CasaPay-Signature t=…,v1=HMAC-SHA256(secret, "t.body") that verifies with the endpoint secret, t within 300 s; any one valid v1 suffices.',
    checks: ['every delivery carries a valid X-CasaPay-Signature'],
  },
  {
    id: 'hook.payload',
    area: 'webhooks',
    rule: 'Every delivery is a JSON POST valid against the webhooks schema of its type.',
    checks: ['every delivery is a POST of JSON'],
  },
  {
    id: 'hook.same-event',
    area: 'webhooks',
    rule: 'A delivered event is the event GET /v1/events lists (same fields the contract names).',
    checks: ['each delivered event is the event the API lists'],
    holds: [
      ...held('casapay', 'response', [
        'Event.id',
        'Event.type',
        'Event.created',
        'Event.api_version',
        'Event.livemode',
        'Event.request.*',
        'Event.data.object.object',
      ]),
    ],
  },
  {
    id: 'hook.complete',
    area: 'webhooks',
    rule: 'Every event listed after an endpoint subscribed to "*" is delivered to it.',
    checks: ['completeness: every event the API lists'],
  },
  {
    id: 'hook.retries',
    area: 'webhooks',
    rule: 'A non-2xx or slow answer is retried (0.5, 1, 2, 4, 8 s) and then marked failed; pending_webhooks counts what is undelivered.',
    checks: [],
    notChecked:
      "the suite's receiver answers 200 at once so the target never retries; making it fail on purpose would need the target's retry schedule, which is not part of the contract",
  },
  {
    id: 'hook.at-least-once',
    area: 'webhooks',
    rule: 'Delivery is at least once: a receiver may get an event twice and deduplicates by id.',
    checks: [],
    notChecked:
      'a permission for the target, not a duty: the suite accepts duplicates (proved by --variant duplicate-deliveries)',
  },

  // Lifecycle (test helpers)
  {
    id: 'life.payments',
    contractRules: ['payment-on-open-case'],
    area: 'lifecycle',
    rule: 'A payment lowers the remainder by its amount, fee_amount = round(amount × success_fee_pct / 100), net_amount = amount − fee_amount; payments list by case, newest first; a payment above the remainder is 422.',
    checks: ['payments lower the remainder', 'a payment above the remainder is 422'],
    holds: [
      ...held('casapay', 'request', ['DebtPayment.case', 'DebtPayment.amount']),
      ...held('casapay', 'response', ['DebtPayment.*']),
      ...held('casapay', 'rule', [
        'DebtPayment.fee_amount',
        'DebtPayment.net_amount',
        'DebtPayment.type',
        'CollectionCase.remainder',
      ]),
    ],
  },
  {
    id: 'life.close-guards',
    contractRules: ['case-lifecycle'],
    area: 'lifecycle',
    rule: 'paid needs full payment (422 state_invalid before), partially_paid some but not all; a payment that clears the remainder closes the case as paid.',
    checks: [
      'closing as paid needs full payment',
      'a payment that clears the remainder closes the case',
      'partially_paid needs some payment',
    ],
    holds: [
      ...held('casapay', 'rule', [
        'CollectionCase.status',
        'CollectionCase.close_code',
        'CollectionCase.remainder',
        'DebtPayment.type',
      ]),
    ],
  },
  {
    id: 'life.transitions',
    contractRules: ['case-lifecycle'],
    area: 'lifecycle',
    rule: 'Moves follow the transition table; illegal moves are 422 state_invalid and change nothing; closed is terminal; a move to the current status changes nothing.',
    checks: ['moves follow the transition table', 'moving to the current status changes nothing'],
    holds: [
      ...held('casapay', 'rule', ['CollectionCase.status']),
      ...held('casapay', 'request', ['CollectionCase.close_code']),
      ...held('casapay', 'response', ['CollectionCase.*', 'Debtor.*', 'Address.*', 'CollectionPartner.*']),
    ],
  },
  {
    id: 'life.claims',
    contractRules: ['claim-lifecycle'],
    area: 'lifecycle',
    rule: 'approve then pay sets reviewed_at and payout and marks the guarantee claimed with its counters; deny releases the amount; a denied claim cannot be approved or paid, a paid one not denied.',
    checks: [
      'approve then pay',
      'deny releases the claimed amount',
      'a paid claim cannot be denied',
      'unknown claims are 404 for the helpers',
    ],
    holds: [
      ...held('casapay', 'rule', [
        'Claim.status',
        'Claim.payout',
        'Claim.reviewed_at',
        'Guarantee.status',
        'Guarantee.claims_paid',
        'Guarantee.amount_paid',
        'Guarantee.remaining_coverage',
      ]),
      ...held('casapay', 'request', ['Claim.denial_reason']),
      ...held('casapay', 'response', ['Claim.*']),
    ],
  },
  {
    id: 'life.test-clocks',
    contractRules: ['test-clock-forward'],
    area: 'lifecycle',
    rule: 'Test clocks are created, listed and retrieved; they only go forwards (400 param frozen_time); advancing starts guarantees due on them; a deleted clock is 404.',
    checks: ['creates, retrieves and lists a clock', 'a guarantee on the clock starts', 'a clock cannot go back'],
    holds: [
      ...held('casapay', 'request', [
        'TestClock.frozen_time',
        'TestClock.name',
        'DeletedTestClock.id',
        'Guarantee.test_clock',
      ]),
      ...held('casapay', 'rule', ['TestClock.status', 'Guarantee.status']),
      ...held('casapay', 'response', ['TestClock.*']),
    ],
  },
  {
    id: 'life.helpers-validated',
    area: 'lifecycle',
    rule: 'Test helpers answer 404 for unknown objects and validate their bodies like any other operation.',
    checks: ['every test helper answers 404', 'test helper bodies are validated'],
  },

  // Invalid input
  {
    id: 'neg.generated',
    area: 'invalid input',
    rule: 'Any body breaking the request schema (missing, wrong type, out of range, off enum, too long, off pattern, unknown field) is 400 invalid_request_error naming the field in bracket notation, never a 5xx, and changes nothing.',
    checks: ['generated invalid bodies get 400 naming the param'],
    holds: [...held('casapay', 'request', ['Error.error.param']), ...held('casapay', 'rule', ['Error.error.type'])],
  },
  {
    id: 'neg.malformed',
    contractRules: ['body-json'],
    area: 'invalid input',
    rule: 'Malformed JSON is 400 body_invalid_json, a non-object body 400, a wrong content type 415, a missing body 400, an over-long path id 400, unknown query parameters 400 naming the param.',
    checks: [
      'malformed JSON is 400',
      'a body that is not a JSON object is 400',
      'a wrong content type is 415',
      'a missing body on a create is 400',
      'a path id longer than the contract allows',
      'unknown query parameters and bad filter values',
    ],
  },

  // Debitura's two APIs (`--api debitura`; checks/debitura-*/)
  {
    id: 'debitura.responses',
    area: 'debitura: every response',
    rule: 'Every response of the Referral and Customer APIs has a status the contract declares, JSON valid against its schema; a 4xx body is the declared error: ErrorResponse {error, message, businessErrors} (BusinessErrorResponse on a refused submission, ClientConflict on POST /clients 409). Debitura promises no Request-Id header. Unknown fields are warnings.',
    checks: [EVERY],
    holds: [
      ...held(
        'debitura-referral',
        'shape',
        ['webhook[*].event'],
        "the payload's constant event: a delivery is validated against the schema its own event selects",
      ),
      ...held(
        'debitura-customer',
        'shape',
        ['webhook[*].event'],
        "the payload's constant event: a delivery is validated against the schema its own event selects",
      ),
    ],
  },
  {
    id: 'debitura.refusal-says-why',
    area: 'debitura: every response',
    rule: 'A refusal names its problem: error, message or a businessErrors message is a non-empty string.',
    checks: [
      'the Customer API without credentials is 401',
      'a token for an unknown externalTenantId is 404',
      'an .exe is refused with 415',
    ],
    holds: [
      ...held(
        'debitura-customer',
        'shape',
        ['ErrorResponse.error', 'ErrorResponse.message', 'BusinessError.message'],
        'free text for a developer; that one of them says something (non-empty) is all the docs promise',
      ),
      ...held(
        'debitura-referral',
        'shape',
        ['ErrorResponse.error', 'ErrorResponse.message', 'BusinessError.message'],
        'free text for a developer; that one of them says something (non-empty) is all the docs promise',
      ),
    ],
  },
  {
    id: 'debitura.client',
    area: 'debitura: flow',
    rule: 'POST /clients answers 201 (onboardingStatus Completed) or 202 (Pending, with onboardingLinks.url), a uuid clientId, caseResults null without cases; the same call again answers the same client.',
    checks: [
      'creates a client with POST /clients (201 ready or 202 pending',
      'the same POST /clients again answers the same client',
    ],
    holds: [
      ...held('debitura-referral', 'request', ['ClientResult.externalTenantId']),
      ...held('debitura-referral', 'rule', ['ClientResult.onboardingStatus', 'OnboardingLinks.url']),
      ...held('debitura-referral', 'response', ['ClientResult.clientId']),
    ],
  },
  {
    id: 'debitura.token',
    area: 'debitura: flow',
    rule: 'POST /oauth/token with the partner key mints {accessToken, tokenType: Bearer, expiresIn: 1800} for a linked client; an unknown externalTenantId is 404.',
    checks: ['mints a token with the partner key', 'a token for an unknown externalTenantId is 404'],
    holds: [
      ...held('debitura-referral', 'rule', [
        'AccessToken.tokenType',
        'AccessToken.expiresIn',
        'AccessToken.accessToken',
      ]),
    ],
  },
  {
    id: 'debitura.submit',
    area: 'debitura: flow',
    rule: "POST /cases with the token answers 200; an unsigned client's case with allowPendingContracts waits in PendingContractSigning with signingHandoff.combinedSigningUrl, without it is 422 with PendingContractSigning among businessErrors.",
    checks: ['submits a case with the token', "without allowPendingContracts an unsigned client's case is 422"],
    holds: [
      ...held('debitura-customer', 'request', ['Case.grossAmount', 'Case.creditorReference']),
      ...held('debitura-customer', 'rule', [
        'Case.lifecycle',
        'SigningHandoff.combinedSigningUrl',
        'BusinessError.type',
      ]),
    ],
  },
  {
    id: 'debitura.attributed',
    area: 'debitura: flow',
    rule: "The partner's GET /cases lists every case of its clients; one submitted with its token is attributedToPartner: true, with the client's externalTenantId and clientId; the Customer API's GET /cases/{id} returns it.",
    checks: [
      "the partner's GET /cases lists the case, attributedToPartner",
      'GET /cases/{id} on the Customer API returns the submitted case',
    ],
    holds: [
      ...held('debitura-referral', 'rule', ['PartnerCase.attributedToPartner']),
      ...held('debitura-referral', 'request', ['PartnerCase.externalTenantId']),
      ...held('debitura-referral', 'response', ['PartnerCase.clientId', 'Case.id']),
      ...held('debitura-customer', 'response', [
        'Case.id',
        'Case.reference',
        'Case.grossAmount',
        'Case.currency',
        'Case.creditorReference',
      ]),
    ],
  },
  {
    id: 'debitura.customer-auth',
    contractRules: ['authenticated'],
    area: 'debitura: flow',
    rule: 'The Customer API answers 401 without credentials and with a token it did not issue.',
    checks: ['the Customer API without credentials is 401', 'the Customer API with a bogus bearer token is 401'],
  },
  {
    id: 'debitura.token-expiry',
    contractRules: ['authenticated'],
    area: 'debitura: flow',
    rule: "A token is refused (401) 30 minutes after it was minted; a newly minted one works. Needs the target's clock (--admin-url; the bundled mock's by default), else skipped with the reason.",
    checks: ['a token is refused 30 minutes after it was minted'],
  },
  {
    id: 'debitura.gates',
    contractRules: ['case-submittable'],
    area: 'debitura: flow',
    rule: 'A GB debtor (a partner that needs KYC) is 422 MissingKycVerification until POST /clients/{externalTenantId}/kyc-verification (201); a country no partner covers is 422 NoPartnerAvailable.',
    checks: ['a GB debtor needs KYC', 'a country no partner covers (JP) is 422 NoPartnerAvailable'],
    holds: [...held('debitura-customer', 'rule', ['BusinessError.type'])],
  },
  {
    id: 'debitura.dates',
    contractRules: ['case-dates'],
    area: 'debitura: validation',
    rule: 'date must not be in the future; dueDate must not be in the future nor before date: 400, nothing created (the message is a sentence for a developer: the property need not be named verbatim).',
    checks: [
      'a date in the future is refused',
      'a dueDate in the future is refused',
      'a dueDate before date is refused',
    ],
  },
  {
    id: 'debitura.us-state',
    contractRules: ['iso-codes'],
    area: 'debitura: validation',
    rule: 'A US debtor needs stateAlpha2 (400, nothing created); with it the case is accepted.',
    checks: ['a US debtor without stateAlpha2 is refused'],
    holds: [...held('debitura-customer', 'request', ['Debtor.stateAlpha2'])],
  },
  {
    id: 'debitura.is-test',
    area: 'debitura: validation',
    rule: 'isTest: true is returned as isTestCase: true.',
    checks: ['isTest: true is returned as isTestCase'],
    holds: [...held('debitura-customer', 'request', ['Case.isTestCase'])],
  },
  {
    id: 'debitura.return-url',
    area: 'debitura: validation',
    rule: 'A returnUrl that is not an absolute http(s) URL is dropped without an error and never reaches the signing URL.',
    checks: ['an invalid returnUrl is silently dropped'],
    holds: [...held('debitura-customer', 'rule', ['SigningHandoff.combinedSigningUrl'])],
  },
  {
    id: 'debitura.generated-clients',
    area: 'debitura: validation',
    rule: 'What clients generated from the published contract send is accepted: bodies as application/json-patch+json, dates as date-times (read as their dates), null for nullable optional fields.',
    checks: [
      'a body sent as application/json-patch+json',
      'date and dueDate as date-times',
      'null for every optional field the contract makes nullable',
    ],
    holds: [...held('debitura-customer', 'request', ['Case.date', 'Case.dueDate'])],
  },
  {
    id: 'debitura.lists',
    area: 'debitura: validation',
    rule: "Lists take PascalCase Page (from 1) and PageSize with exact page data; Statuses filters as the repeated parameter the contracts declare, on both APIs (the comma-separated form is the mock's leniency, never required).",
    checks: ['PascalCase list parameters: Page and PageSize', 'Statuses filters repeated'],
    holds: [
      ...held('debitura-referral', 'rule', [
        'PageData.totalResults',
        'PageData.pageSize',
        'PageData.currentPage',
        'PageData.totalPages',
      ]),
      ...held('debitura-customer', 'rule', ['PageData.totalResults', 'PageData.pageSize', 'PageData.currentPage']),
      ...held('debitura-referral', 'response', ['Case.id']),
    ],
  },
  {
    id: 'debitura.generated-invalid',
    area: 'debitura: validation',
    rule: 'Any body breaking the request schema (generated from the contract, --seed, --negative-runs) is a 400 ErrorResponse, never a 5xx, and creates nothing.',
    checks: [
      'generated invalid bodies for POST /cases (Customer)',
      'generated invalid bodies for POST /clients (Referral)',
    ],
  },
  {
    id: 'debitura.files',
    area: 'debitura: files',
    rule: 'Referral POST /cases/{caseId}/files answers 200 {id, fileName, dateCreated}; .exe is 415, above 25 MB 413, a case of no linked client 404; refused uploads leave no trace.',
    checks: [
      'uploads a small PDF: 200 {id, fileName, dateCreated}',
      'an .exe is refused with 415',
      'a file of 25 MB + 1 byte is refused with 413',
      'uploading to a case of no linked client is 404',
      'no refused upload left a chat message',
    ],
    holds: [
      ...held('debitura-referral', 'request', ['PartnerCaseFile.fileName']),
      ...held(
        'debitura-referral',
        'shape',
        ['PartnerCaseFile.id', 'PartnerCaseFile.dateCreated'],
        "a new id and the server's time: the check holds their form (uuid, a date-time) only",
      ),
    ],
  },
  {
    id: 'debitura.file-chat',
    area: 'debitura: files',
    rule: 'sendChatNotification (default true) posts "System message: New file uploaded under \'Files\': <filename>" on the case; false uploads silently.',
    checks: [
      'sendChatNotification (default true) posts the system chat message',
      'sendChatNotification=false uploads without a chat message',
    ],
    holds: [...held('debitura-referral', 'rule', ['CaseChat.isSystemMessage', 'CaseChat.message'])],
  },
  {
    id: 'debitura.hook-subscribe',
    area: 'debitura: webhooks',
    rule: "The partner's POST /webhooks answers 201 with a base64 secret, shown once.",
    checks: ["subscribes the local receiver with the partner's POST /webhooks"],
    holds: [
      ...held('debitura-referral', 'request', ['WebhookSubscription.events']),
      ...held('debitura-referral', 'rule', ['WebhookSubscription.secret']),
    ],
  },
  {
    id: 'debitura.hook-flow',
    area: 'debitura: webhooks',
    rule: 'A submitted case delivers case.created; its moves case.updated (old and new lifecycle) and case.closed, in order for the case; only subscribed types arrive.',
    checks: [
      'a submitted case delivers case.created',
      'advancing the test case to Active and then Closed:Paid delivers',
    ],
    holds: [
      ...held('debitura-referral', 'response', ['WebhookEvent.data.caseId', 'WebhookEvent.data.reference']),
      ...held('debitura-referral', 'request', ['WebhookEvent.data.externalTenantId']),
      ...held('debitura-referral', 'rule', [
        'WebhookEvent.data.newLifecycle',
        'WebhookEvent.data.status',
        'WebhookEvent.event',
      ]),
    ],
  },
  {
    id: 'debitura.hook-signature',
    area: 'debitura: webhooks',
    rule: 'Every delivery carries X-Debitura-Signature t=…,v1=HMAC-SHA256(base64-decoded secret, "t.body") verifying within 300 s, X-Debitura-Timestamp = t and X-Debitura-Event = the payload\'s event.',
    checks: ['every delivery carries a valid X-Debitura-Signature'],
    holds: [...held('debitura-referral', 'rule', ['WebhookEvent.event'])],
  },
  {
    id: 'debitura.hook-payload',
    area: 'debitura: webhooks',
    rule: "Every delivery is a JSON POST valid against the Referral contract's webhooks schema for its event (unknown fields and event types are warnings).",
    checks: ["every delivery is a POST of JSON valid against the contract's webhooks schema"],
  },
  {
    id: 'debitura.onboarding-cases',
    contractRules: ['client-onboarding'],
    area: 'debitura: onboarding',
    rule: "POST /clients with cases creates the client whatever the cases' coverage: covered cases in createdCases (and the partner's GET /cases, attributed), uncovered ones in failedCases with a reason.",
    checks: [
      'POST /clients with a covered (DE) and an uncovered (JP) case',
      "the client exists and the partner's GET /cases holds only the covered case",
    ],
    holds: [
      ...held('debitura-referral', 'request', [
        'CreatedCase.creditorReference',
        'FailedCase.creditorReference',
        'Case.creditorReference',
      ]),
      ...held('debitura-referral', 'response', ['CreatedCase.caseId']),
      ...held('debitura-referral', 'rule', ['PartnerCase.attributedToPartner']),
      ...held(
        'debitura-referral',
        'shape',
        ['FailedCase.reason'],
        'free text; only that a failed case says why (non-empty) is checked',
      ),
    ],
  },
  {
    id: 'debitura.onboarding-atomic',
    area: 'debitura: onboarding',
    rule: 'A creditorReference repeated within POST /clients is 400 and creates nothing (no client, no case).',
    checks: ['a creditorReference repeated within the request is 400'],
  },
  {
    id: 'debitura.client-conflict',
    area: 'debitura: onboarding',
    rule: 'A company that already has a Debitura account, is linked to another partner or is no creditor is 409 ClientConflict.',
    checks: [],
    notChecked:
      "needs a company the target already knows; the mock's magic e-mail domains are its own, not part of the contract",
  },

  // The Referral-Partner API read back (checks/debitura-onboarding/clients.check.ts, partner-cases.check.ts,
  // debitura-files/chats.check.ts, debitura-webhooks/subscriptions.check.ts); `holds` name every field compared.
  {
    id: 'debitura.referral-auth',
    contractRules: ['authenticated'],
    area: 'debitura: referral',
    rule: 'Every Referral operation answers 401 without XApiKey and with a malformed one, an ErrorResponse that says why, and creates nothing.',
    checks: ['the Referral API without XApiKey, and with a malformed one'],
    holds: [
      referral(
        'ErrorResponse.error',
        'rule',
        'a refusal names its problem: error, message or a businessErrors message',
      ),
      referral(
        'ErrorResponse.message',
        'rule',
        'a refusal names its problem: error, message or a businessErrors message',
      ),
    ],
  },
  {
    id: 'debitura.customer-errors',
    area: 'debitura: customer',
    rule: 'Every Customer operation answers the refusals it declares, as an ErrorResponse, creating nothing: 401 without a bearer token, 400 for an id that is not a uuid, a list parameter out of range or a body missing what it needs, 404 for a uuid nobody issued, 413 for a JSON body over 1 MB, 415 for a text/plain body, 422 for a test event with nothing to fire.',
    checks: [
      'without a bearer token every Customer operation is 401',
      'an id that is not a uuid is 400, a uuid nobody issued 404',
      'a body the contract does not take is refused',
    ],
  },
  {
    id: 'debitura.referral-errors',
    area: 'debitura: referral',
    rule: 'Every Referral operation answers the 400, 413 and 415 it declares, as an ErrorResponse, creating nothing: externalTenantId of 101 characters (100 is looked up: 404), an empty one, ids that are not uuids, an upload without a file, a JSON body over 1 MB, a text/plain body.',
    checks: ['every Referral operation answers its declared 400, 413 and 415'],
  },
  {
    id: 'debitura.client-read',
    area: 'debitura: referral',
    rule: "GET /clients holds every client the partner created (pending ones too) exactly as GET /clients/{externalTenantId} shows it: the POST /clients answer's clientId and onboardingStatus, the request's externalTenantId and name, link Active, created about now; a Completed client has signed its SDCA and has no pending power of attorney.",
    checks: ['GET /clients and GET /clients/{externalTenantId} hold each created client'],
    holds: [
      referral('ClientLink.clientId', 'response'),
      referral('ClientLink.externalTenantId', 'request'),
      referral('ClientLink.name', 'request'),
      referral('ClientLink.linkStatus', 'rule'),
      referral('ClientLink.onboardingStatus', 'response'),
      referral('ClientLink.dateCreated', 'rule'),
      referral('ClientContracts.debtCollectionAgreement', 'rule'),
      referral('ClientContracts.powerOfAttorney', 'rule'),
      referral('ClientResult.clientId', 'response'),
    ],
  },
  {
    id: 'debitura.client-country',
    contractRules: ['client-onboarding'],
    area: 'debitura: referral',
    rule: "A client's country is the alpha-2 code of what POST /clients sent, an English name (Germany) included.",
    checks: ['GET /clients and GET /clients/{externalTenantId} hold each created client'],
    holds: [referral('ClientLink.country', 'request')],
  },
  {
    id: 'debitura.client-ready',
    area: 'debitura: referral',
    rule: 'POST /clients answers 201 Completed with onboardingLinks null, or 202 Pending with onboardingLinks.url.',
    checks: ['a client onboarded as Completed (201) has onboardingLinks null'],
    holds: [referral('OnboardingLinks.url', 'rule'), referral('ClientResult.onboardingStatus', 'rule')],
  },
  {
    id: 'debitura.return-url-valid',
    area: 'debitura: referral',
    rule: "A pending client's case with an absolute https returnUrl of 2048 characters is accepted (200, PendingContractSigning, a signing URL); one of 2049 characters is dropped, not refused, and does not reach the signing URL.",
    checks: ['a valid returnUrl (https, 2048 characters) is accepted'],
    holds: [customer('SigningHandoff.combinedSigningUrl', 'rule'), customer('Case.lifecycle', 'rule')],
  },
  {
    id: 'debitura.kyc-state',
    area: 'debitura: referral',
    rule: 'contracts.kyc is NotRequired for a client no KYC partner serves (DE), Missing for one that needs it (GB) until its KYC is submitted, then OnFile — read back by GET /clients/{externalTenantId} and GET /clients; sendChatNotification=false stores it all the same.',
    checks: [
      'contracts.kyc: NotRequired for a DE client, Missing for a GB client',
      'sendChatNotification=false stores the KYC record without a chat message',
    ],
    holds: [referral('ClientContracts.kyc', 'rule')],
  },
  {
    id: 'debitura.kyc-record',
    area: 'debitura: referral',
    rule: "POST /clients/{externalTenantId}/kyc-verification answers 201 with the request's fullName, homeAddress and dateOfBirth, the path's externalTenantId, the client's clientId, a new uuid and dateCreated about now.",
    checks: ['the KYC record is the request'],
    holds: [
      referral('KycRecord.id', 'shape', 'a new uuid: no earlier answer or request names it'),
      referral('KycRecord.externalTenantId', 'request'),
      referral('KycRecord.clientId', 'response'),
      referral('KycRecord.fullName', 'request'),
      referral('KycRecord.homeAddress', 'request'),
      referral('KycRecord.dateOfBirth', 'request'),
      referral('KycRecord.dateCreated', 'rule'),
    ],
  },
  {
    id: 'debitura.kyc-notify',
    area: 'debitura: referral',
    rule: "A KYC submission notifies exactly the client's open cases (Active, Paused, NeedsAdditionalDetails) with a partner that needs KYC: their ids in notifiedCaseIds, one KYC system message on each, none on the others; with sendChatNotification=false none and notifiedCaseIds empty.",
    checks: [
      'notifiedCaseIds names exactly its open cases',
      'sendChatNotification=false stores the KYC record without',
    ],
    holds: [
      referral('KycRecord.notifiedCaseIds', 'rule'),
      referral('CaseChat.message', 'rule'),
      referral('CaseChat.isSystemMessage', 'rule'),
    ],
  },
  {
    id: 'debitura.kyc-unlinked',
    contractRules: ['client-linked'],
    area: 'debitura: referral',
    rule: 'KYC for a tenant never onboarded is 404 and creates nothing; an invalid dateOfBirth is 400 and leaves contracts.kyc Missing.',
    checks: ['KYC for a tenant never onboarded is 404'],
  },
  {
    id: 'debitura.link-states',
    area: 'debitura: referral',
    rule: "The link states the docs name: an Active link mints a token (200); Archived and Withdrawn links are listed and retrieved as such and get 404 from POST /oauth/token. Needs a target that seeds them (the mock's X-Mock-Scenario: debitura-client-not-linked), else skipped with the reason.",
    checks: ['the link states the docs name'],
    holds: [referral('ClientLink.linkStatus', 'rule')],
  },
  {
    id: 'debitura.token-scope',
    area: 'debitura: referral',
    rule: "A token acts for the client it was minted for: its cases are that client's (the partner's GET /cases files them under its externalTenantId and clientId), listed with its token and not with another client's.",
    checks: ['a token acts for the client it was minted for'],
    holds: [
      referral('AccessToken.accessToken', 'rule'),
      referral('PartnerCase.externalTenantId', 'request'),
      referral('PartnerCase.clientId', 'response'),
    ],
  },
  {
    id: 'debitura.token-lifetime',
    area: 'debitura: referral',
    rule: "A token lives the expiresIn it was minted with (1800 s): it works 10 s before, and is refused (401) at, 30 minutes on the target's clock.",
    checks: ['works until then (10 s before)'],
    holds: [referral('AccessToken.expiresIn', 'rule')],
  },
  {
    id: 'debitura.onboarding-results',
    area: 'debitura: referral',
    rule: "POST /clients with cases answers the request's externalTenantId and caseResults that are the cases: createdCases[] carry the request's creditorReference and the partner list's caseId, reference and lifecycle; failedCases[] the uncovered case's creditorReference, a reason and NoPartnerAvailable among businessErrors.",
    checks: ["onboarding's caseResults are the cases"],
    holds: [
      referral('ClientResult.externalTenantId', 'request'),
      referral('CreatedCase.creditorReference', 'request'),
      referral('CreatedCase.caseId', 'response'),
      referral('CreatedCase.reference', 'response'),
      referral('CreatedCase.lifecycle', 'response'),
      referral('FailedCase.creditorReference', 'request'),
      referral('FailedCase.reason', 'rule'),
      referral('BusinessError.type', 'rule'),
      referral('BusinessError.message', 'shape', 'a sentence for a developer: any wording is allowed'),
      referral(
        'BusinessError.solutionUrl',
        'shape',
        'Debitura may give a help link or null; nothing to compare it with',
      ),
    ],
  },
  {
    id: 'debitura.partner-case-order',
    area: 'debitura: referral',
    rule: "The partner's GET /cases lists newest first: three cases created a second apart come latest first.",
    checks: ['lists newest first'],
    holds: [referral('Case.dateCreated', 'rule')],
  },
  {
    id: 'debitura.partner-page',
    area: 'debitura: referral',
    rule: "The partner's page data is the data's: totalResults, pageSize, currentPage, responseCount and totalPages of a full, a short last and a past-the-end page, PageSize 10 by default; PageSize 100 is taken, 101 and 0 and Page 0 are 400.",
    checks: ['page data is computed from the data', 'PageSize 100 is taken'],
    holds: [
      referral('PageData.totalResults', 'rule'),
      referral('PageData.pageSize', 'request'),
      referral('PageData.currentPage', 'request'),
      referral('PageData.responseCount', 'rule'),
      referral('PageData.totalPages', 'rule'),
    ],
  },
  {
    id: 'debitura.partner-case-filter',
    contractRules: ['case-statuses'],
    area: 'debitura: referral',
    rule: "ExternalTenantId selects exactly that client's cases (none for a tenant never onboarded; all without it); Statuses=Closed exactly the closed one.",
    checks: ['ExternalTenantId selects exactly', "each listed case equals the Customer API's GET /cases/{id}"],
    holds: [referral('PartnerCase.externalTenantId', 'request')],
  },
  {
    id: 'debitura.partner-isolation',
    area: 'debitura: referral',
    rule: "Another partner's GET /cases holds none of a partner's cases while the owner's holds them all; their chats are 404 for it and 200 for the owner.",
    checks: ["another partner's GET /cases holds none of these cases"],
  },
  {
    id: 'debitura.partner-case-fields',
    area: 'debitura: referral',
    rule: "Each case of the partner's GET /cases equals the Customer API's GET /cases/{id} field by field (date-times as instants, null and absent alike), with the client's externalTenantId and clientId and attributedToPartner true when submitted with its token; after a paid close it reads Closed with remainder 0.",
    checks: ["each listed case equals the Customer API's GET /cases/{id}"],
    holds: [
      ...[
        'id',
        'dateCreated',
        'dateUpdated',
        'reference',
        'creditorReference',
        'creditorComments',
        'claimDescription',
        'grossAmount',
        'interestFees',
        'reminderFees',
        'collectionFees',
        'totalAddedFees',
        'currency',
        'isTestCase',
        'dueDate',
        'date',
        'dateFinished',
        'dateCollectionStarted',
        'closeCode',
        'preLegalSuccessFee',
        'solutionUrl',
      ].map((f) => referral(`Case.${f}`, 'response')),
      referral('Case.lifecycle', 'rule'),
      referral('Case.remainder', 'rule'),
      ...[
        'address',
        'city',
        'companyRegistrationNumber',
        'contactPerson',
        'country',
        'countryAlpha2',
        'email',
        'name',
        'phone',
        'state',
        'stateAlpha2',
        'type',
        'zipCode',
      ].map((f) => referral(`Debtor.${f}`, 'response')),
      ...['name', 'officeEmail', 'officePhone', 'publicSite'].map((f) =>
        referral(`CollectionPartner.${f}`, 'response'),
      ),
      ...[
        'address',
        'city',
        'companyName',
        'companyRegistrationNumber',
        'country',
        'id',
        'officeEmail',
        'officePhone',
        'state',
        'zipCode',
      ].map((f) => referral(`Creditor.${f}`, 'response')),
      referral('SigningHandoff.combinedSigningUrl', 'response'),
      referral('PartnerCase.attributedToPartner', 'rule'),
      referral('PartnerCase.clientId', 'response'),
    ],
  },
  {
    id: 'debitura.file-types',
    contractRules: ['upload-file'],
    area: 'debitura: referral',
    rule: 'Referral uploads take the extensions the docs list (.docx, .csv among them), answering the file name as sent and a new id each; one they do not list (.gif) is 415.',
    checks: ['the extensions the docs list are taken', 'a file of exactly 25 MB is taken'],
    holds: [
      referral('PartnerCaseFile.fileName', 'request'),
      referral('PartnerCaseFile.id', 'shape', 'a new uuid per upload (held distinct); nothing earlier names it'),
    ],
  },
  {
    id: 'debitura.chat-order',
    area: 'debitura: referral',
    rule: "A case's chat lists oldest first: each upload's system message in upload order, in the docs' wording with its file name, with the case's caseId, a distinct id and a dateCreated at the upload's (or up to 5 s later); an unknown case is 404.",
    checks: ['chats are listed oldest first', "an unknown case's chat is 404"],
    holds: [
      referral('CaseChat.caseId', 'request'),
      referral('CaseChat.id', 'shape', 'a new uuid per message (held distinct); nothing earlier names it'),
      referral('CaseChat.dateCreated', 'rule'),
      referral('CaseChat.message', 'rule'),
      referral('PartnerCaseFile.dateCreated', 'rule'),
    ],
  },
  {
    id: 'debitura.hook-subscriptions',
    area: 'debitura: referral',
    rule: "The partner's POST /webhooks answers the request's url, events and isTestMode, active, without disabledReason, with a base64 secret; GET /webhooks holds it with the same fields and no secret; DELETE answers 204, then it is gone and a second DELETE is 404; a customer event is 400 and creates nothing.",
    checks: [
      "POST /webhooks answers the request's url",
      'a customer event (payment.created) is not a partner event',
      'DELETE /webhooks/{id} answers 204',
    ],
    holds: [
      referral('WebhookSubscription.id', 'response'),
      referral('WebhookSubscription.url', 'request'),
      referral('WebhookSubscription.events', 'request'),
      referral('WebhookSubscription.isTestMode', 'request'),
      referral('WebhookSubscription.isActive', 'rule'),
      referral('WebhookSubscription.createdUtc', 'rule'),
      referral('WebhookSubscription.updatedUtc', 'rule'),
      referral('WebhookSubscription.disabledReason', 'rule'),
      referral('WebhookSubscription.secret', 'rule'),
    ],
  },

  // Issue 20: the Customer API and webhook payloads, field by field (checks/debitura-customer/, debitura-webhooks/)
  {
    id: 'debitura.case-fields',
    area: 'debitura: customer API',
    rule: "POST /cases answers the case as submitted: currency is the request's currencyCode, grossAmount its amountToRecover, claimDescription, creditorComments (comments), creditorReference and every debtor field as sent, isTestCase its isTest, date and dueDate midnight UTC of the submitted days (compared as instants), no closeCode, dateFinished or signingHandoff while open and signed, no dateCollectionStarted before collection, dateUpdated not before dateCreated; creditor.id and companyName are the linked client's (POST /clients).",
    checks: ['POST /cases answers the case as submitted'],
    holds: [
      { field: 'debitura-customer Case.currency', from: 'request' },
      { field: 'debitura-customer Case.grossAmount', from: 'request' },
      { field: 'debitura-customer Case.claimDescription', from: 'request' },
      { field: 'debitura-customer Case.creditorComments', from: 'request' },
      { field: 'debitura-customer Case.creditorReference', from: 'request' },
      { field: 'debitura-customer Case.isTestCase', from: 'request' },
      { field: 'debitura-customer Case.date', from: 'request' },
      { field: 'debitura-customer Case.dueDate', from: 'request' },
      { field: 'debitura-customer Case.closeCode', from: 'rule' },
      { field: 'debitura-customer Case.dateFinished', from: 'rule' },
      { field: 'debitura-customer Case.lifecycle', from: 'rule' },
      { field: 'debitura-customer Case.dateUpdated', from: 'rule' },
      { field: 'debitura-customer Case.dateCollectionStarted', from: 'rule' },
      { field: 'debitura-customer Case.solutionUrl', from: 'rule' },
      { field: 'debitura-customer Debtor.type', from: 'request' },
      { field: 'debitura-customer Debtor.name', from: 'request' },
      { field: 'debitura-customer Debtor.contactPerson', from: 'request' },
      { field: 'debitura-customer Debtor.address', from: 'request' },
      { field: 'debitura-customer Debtor.city', from: 'request' },
      { field: 'debitura-customer Debtor.zipCode', from: 'request' },
      { field: 'debitura-customer Debtor.countryAlpha2', from: 'request' },
      { field: 'debitura-customer Debtor.email', from: 'request' },
      { field: 'debitura-customer Debtor.phone', from: 'request' },
      { field: 'debitura-customer Debtor.companyRegistrationNumber', from: 'request' },
      {
        field: 'debitura-customer Debtor.country',
        from: 'shape',
        reason: "the country's name Debitura derives from countryAlpha2 (held); its wording is not promised",
      },
      {
        field: 'debitura-customer Debtor.state',
        from: 'shape',
        reason:
          "the state's name Debitura derives from stateAlpha2 (held by debitura.us-state); its wording is not promised",
      },
      { field: 'debitura-customer Creditor.id', from: 'response' },
      { field: 'debitura-customer Creditor.companyName', from: 'request' },
      { field: 'debitura-customer Creditor.address', from: 'request' },
      { field: 'debitura-customer Creditor.city', from: 'request' },
      { field: 'debitura-customer Creditor.zipCode', from: 'request' },
      {
        field: 'debitura-customer Creditor.country',
        from: 'shape',
        reason: 'a name or a code: the contract does not say which, so it cannot be compared with POST /clients',
      },
      { field: 'debitura-customer Creditor.state', from: 'shape', reason: 'POST /clients sends no state for a client' },
      {
        field: 'debitura-customer Creditor.companyRegistrationNumber',
        from: 'shape',
        reason: 'POST /clients sends no registration number',
      },
      {
        field: 'debitura-customer Creditor.officeEmail',
        from: 'shape',
        reason: "the creditor's office contact is Debitura's record, not sent by any request",
      },
      {
        field: 'debitura-customer Creditor.officePhone',
        from: 'shape',
        reason: "the creditor's office contact is Debitura's record, not sent by any request",
      },
    ],
  },
  {
    id: 'debitura.case-arithmetic',
    area: 'debitura: customer API',
    rule: 'totalAddedFees is interestFees + reminderFees + collectionFees; remainder (what the debtor still owes) is grossAmount + totalAddedFees − what was paid, never above grossAmount + totalAddedFees: on create, retrieve and after a payment.',
    checks: [
      'POST /cases answers the case as submitted',
      'GET /cases/{id} returns every field as POST /cases answered it',
      'a test case advanced to Closed:Paid',
    ],
    holds: [
      { field: 'debitura-customer Case.remainder', from: 'rule' },
      { field: 'debitura-customer Case.totalAddedFees', from: 'rule' },
      { field: 'debitura-customer Case.interestFees', from: 'rule' },
      { field: 'debitura-customer Case.reminderFees', from: 'rule' },
      { field: 'debitura-customer Case.collectionFees', from: 'rule' },
    ],
  },
  {
    id: 'debitura.case-retrieve',
    area: 'debitura: customer API',
    rule: 'GET /cases/{id} shows every field POST /cases answered with the same value (dates the same instants).',
    checks: ['GET /cases/{id} returns every field as POST /cases answered it'],
    holds: [
      { field: 'debitura-customer Case.id', from: 'response' },
      { field: 'debitura-customer Case.reference', from: 'response' },
      { field: 'debitura-customer Case.dateCreated', from: 'response' },
      { field: 'debitura-customer Case.grossAmount', from: 'response' },
      { field: 'debitura-customer Case.currency', from: 'response' },
      { field: 'debitura-customer Case.isTestCase', from: 'response' },
      { field: 'debitura-customer Case.claimDescription', from: 'response' },
      { field: 'debitura-customer Case.creditorComments', from: 'response' },
      { field: 'debitura-customer Case.creditorReference', from: 'response' },
      { field: 'debitura-customer Case.date', from: 'response' },
      { field: 'debitura-customer Case.dueDate', from: 'response' },
      { field: 'debitura-customer Case.interestFees', from: 'response' },
      { field: 'debitura-customer Case.totalAddedFees', from: 'response' },
      { field: 'debitura-customer Debtor.name', from: 'response' },
      { field: 'debitura-customer Debtor.countryAlpha2', from: 'response' },
    ],
  },
  {
    id: 'debitura.case-list',
    area: 'debitura: customer API',
    rule: "GET /cases holds each of the client's cases once, newest first by default (dateCreated non-increasing), in the order Sort asks for (GrossAmount:asc/desc), exactly the cases of repeated Ids, Statuses case-insensitively; each listed case shows the fields it was created with (isTestCase included); every page field is exact (totalResults, pageSize, currentPage, responseCount, totalPages), a page past the end empty.",
    checks: [
      'GET /cases holds every case once, newest first',
      'Sort=GrossAmount:asc and GrossAmount:desc order by amount',
    ],
    holds: [
      { field: 'debitura-customer PageData.totalResults', from: 'rule' },
      { field: 'debitura-customer PageData.pageSize', from: 'request' },
      { field: 'debitura-customer PageData.currentPage', from: 'request' },
      { field: 'debitura-customer PageData.responseCount', from: 'rule' },
      { field: 'debitura-customer PageData.totalPages', from: 'rule' },
      { field: 'debitura-customer Case.isTestCase', from: 'response' },
      { field: 'debitura-customer Case.grossAmount', from: 'response' },
      { field: 'debitura-customer Case.currency', from: 'response' },
      { field: 'debitura-customer Case.dateCreated', from: 'rule' },
    ],
  },
  {
    id: 'debitura.case-isolation',
    area: 'debitura: customer API',
    rule: "A token acts for one client: another client's case (even of the same partner) is 404 on GET /cases/{id} and GET /cases/{id}/files and absent from its GET /cases, its payment 404 on GET /Payments/{id}; the owner's retrieve and list hold it (positive control).",
    checks: ["another client's case is 404 through the Customer API", 'a test case advanced to Closed:Paid'],
    holds: [
      { field: 'debitura-customer Case.id', from: 'response' },
      { field: 'debitura-customer Payment.id', from: 'response' },
    ],
  },
  {
    id: 'debitura.creditor-reference',
    contractRules: ['creditor-reference-unique'],
    area: 'debitura: customer API',
    rule: "A creditorReference the client already used is 400 and creates nothing; another client may use the same reference (unique among one creditor's cases).",
    checks: ['a creditorReference the client already used is 400'],
    holds: [{ field: 'debitura-customer Case.creditorReference', from: 'request' }],
  },
  {
    id: 'debitura.amounts',
    contractRules: ['case-amounts'],
    area: 'debitura: customer API',
    rule: "amountToRecover must be above 0 (the contract's exclusiveMinimum): 0 and a negative amount are 400 and create nothing; an amount in cents is kept to the cent as grossAmount and remainder.",
    checks: ['amountToRecover must be above 0'],
    holds: [
      { field: 'debitura-customer Case.grossAmount', from: 'request' },
      { field: 'debitura-customer Case.remainder', from: 'rule' },
    ],
  },
  {
    id: 'debitura.dates-today',
    contractRules: ['case-dates'],
    area: 'debitura: customer API',
    rule: '"Today is allowed": date and dueDate of today are accepted (midnight UTC of today), tomorrow is refused (400, nothing created).',
    checks: ['date and dueDate of today are accepted'],
    holds: [
      { field: 'debitura-customer Case.date', from: 'request' },
      { field: 'debitura-customer Case.dueDate', from: 'request' },
    ],
  },
  {
    id: 'debitura.customer-files',
    area: 'debitura: customer API',
    rule: 'Customer POST /cases/{id}/files answers 200 with caseId (and entityId) the case, fileName, description and documentType as sent; .gif is accepted, .exe 415, 25 MB + 1 byte 413; GET /cases/{id}/files lists the uploads (in no promised order) with the same fields, not the refused ones.',
    checks: ['POST /cases/{id}/files: 200 with the case', 'a Customer-API upload of .exe is 415'],
    holds: [
      { field: 'debitura-customer CaseFile.id', from: 'response' },
      { field: 'debitura-customer CaseFile.caseId', from: 'request' },
      { field: 'debitura-customer CaseFile.entityId', from: 'request' },
      { field: 'debitura-customer CaseFile.fileName', from: 'request' },
      { field: 'debitura-customer CaseFile.description', from: 'request' },
      { field: 'debitura-customer CaseFile.documentType', from: 'request' },
      { field: 'debitura-customer CaseFile.dateCreated', from: 'response' },
      { field: 'debitura-customer CaseFile.dateUpdated', from: 'rule' },
      {
        field: 'debitura-customer CaseFile.entityType',
        from: 'shape',
        reason:
          "Debitura's label for what the file is attached to (the docs' example says Invoice): no request sets it",
      },
      {
        field: 'debitura-customer CaseFile.url',
        from: 'shape',
        reason: 'an authenticated download link of the target; the contract names no download operation to follow it',
      },
    ],
  },
  {
    id: 'debitura.payments',
    area: 'debitura: customer API',
    rule: "A test case advanced to Closed:Paid with an amount is Closed with closeCode Paid and dateFinished set, and GET /Payments holds one payment of that amount in the case's currency naming the case (invoice.invoiceId, invoice.reference), with exact page data; GET /Payments/{id} shows the same payment.",
    checks: ['a test case advanced to Closed:Paid'],
    holds: [
      { field: 'debitura-customer Payment.grossAmount', from: 'request' },
      { field: 'debitura-customer Payment.currency', from: 'response' },
      { field: 'debitura-customer PaymentInvoice.invoiceId', from: 'response' },
      { field: 'debitura-customer PaymentInvoice.reference', from: 'response' },
      { field: 'debitura-customer Payment.date', from: 'rule' },
      { field: 'debitura-customer Payment.dateCreated', from: 'rule' },
      { field: 'debitura-customer Payment.dateUpdated', from: 'rule' },
      { field: 'debitura-customer Payment.id', from: 'response' },
      {
        field: 'debitura-customer Payment.recipient',
        from: 'shape',
        reason:
          'who received the money is an inference of the contract (CollectionPartner or Creditor); the test helper does not say',
      },
      {
        field: 'debitura-customer Payment.method',
        from: 'shape',
        reason: 'how it was paid is an inference of the contract; the test helper does not say',
      },
      {
        field: 'debitura-customer PaymentInvoice.status',
        from: 'shape',
        reason: "the case's lifecycle when it was paid, not observable afterwards",
      },
      { field: 'debitura-customer PageData.totalResults', from: 'rule' },
      { field: 'debitura-customer PageData.responseCount', from: 'rule' },
      { field: 'debitura-customer Case.closeCode', from: 'rule' },
      { field: 'debitura-customer Case.dateFinished', from: 'rule' },
      { field: 'debitura-customer Case.dateUpdated', from: 'rule' },
      { field: 'debitura-customer Case.dateCollectionStarted', from: 'rule' },
    ],
  },
  {
    id: 'debitura.test-advance',
    contractRules: ['test-case-advance'],
    area: 'debitura: customer API',
    rule: 'POST /test/cases/{id}/advance answers {advanced: true, state} for a move and {advanced: false} for the same move again.',
    checks: ['a test case advanced to Closed:Paid'],
    holds: [
      { field: 'debitura-customer AdvanceTestCaseResult.advanced', from: 'rule' },
      { field: 'debitura-customer AdvanceTestCaseResult.state', from: 'request' },
    ],
  },
  {
    id: 'debitura.test-fire',
    contractRules: ['test-webhook-fire'],
    area: 'debitura: customer API',
    rule: "POST /test/webhooks/fire answers the eventType and caseId it was asked for; fired at one subscription, enqueuedCount is 1 and the event arrives with the case's closeCode, or the case's paymentId and the amount paid.",
    checks: [
      'POST /test/webhooks/fire answers the event and the case',
      "webhook subscriptions: 201 with the request's url",
    ],
    holds: [
      { field: 'debitura-customer WebhookEvent.event', from: 'request' },
      { field: 'debitura-customer WebhookEvent.timestamp', from: 'rule' },
      { field: 'debitura-customer WebhookEvent.data.caseId', from: 'request' },
      { field: 'debitura-customer WebhookEvent.data.reference', from: 'response' },
      { field: 'debitura-customer WebhookEvent.data.creditorReference', from: 'response' },
      { field: 'debitura-customer WebhookEvent.data.amount', from: 'response' },
      { field: 'debitura-customer WebhookEvent.data.currency', from: 'response' },
      { field: 'debitura-customer WebhookEvent.data.debtorName', from: 'response' },
      { field: 'debitura-customer WebhookEvent.data.status', from: 'response' },
      { field: 'debitura-customer WebhookEvent.data.externalTenantId', from: 'request' },
      { field: 'debitura-customer FireTestWebhookResult.eventType', from: 'request' },
      { field: 'debitura-customer FireTestWebhookResult.caseId', from: 'request' },
      { field: 'debitura-customer FireTestWebhookResult.enqueuedCount', from: 'rule' },
      { field: 'debitura-customer WebhookEvent.data.paymentId', from: 'response' },
      { field: 'debitura-customer WebhookEvent.data.paymentAmount', from: 'request' },
      { field: 'debitura-customer WebhookEvent.data.closeCode', from: 'response' },
    ],
  },
  {
    id: 'debitura.customer-webhooks',
    area: 'debitura: customer API',
    rule: "Customer POST /webhooks answers 201 with url, events and isTestMode as sent, isActive and a base64 secret; GET /webhooks/{id} and GET /webhooks show the same subscription without the secret; both test routes answer 200 and, with a reachable receiver, a real case.updated reaches it with the lifecycle before and after, and the test routes report its 200 (success, httpStatusCode, no error) and the event it got (testPayload), signed with the subscription's secret; DELETE answers 204, then it is 404 and unlisted.",
    checks: ['webhook subscriptions: 201 with the request'],
    holds: [
      { field: 'debitura-customer WebhookEvent.data.oldLifecycle', from: 'response' },
      { field: 'debitura-customer WebhookEvent.data.newLifecycle', from: 'request' },
      {
        field: 'debitura-customer WebhookEvent.id',
        from: 'shape',
        reason:
          'opaque (a uuid or evt_…); its identity across retries is held on partner deliveries (debitura.hook-retry-identity)',
      },
      { field: 'debitura-customer WebhookSubscription.url', from: 'request' },
      { field: 'debitura-customer WebhookSubscription.events', from: 'request' },
      { field: 'debitura-customer WebhookSubscription.isTestMode', from: 'request' },
      { field: 'debitura-customer WebhookSubscription.isActive', from: 'rule' },
      { field: 'debitura-customer WebhookSubscription.secret', from: 'rule' },
      { field: 'debitura-customer WebhookSubscription.createdUtc', from: 'response' },
      { field: 'debitura-customer WebhookSubscription.id', from: 'response' },
      { field: 'debitura-customer WebhookSubscription.updatedUtc', from: 'rule' },
      { field: 'debitura-customer WebhookSubscription.disabledReason', from: 'rule' },
      { field: 'debitura-customer WebhookTestResult.success', from: 'rule' },
      { field: 'debitura-customer WebhookTestResult.httpStatusCode', from: 'rule' },
      { field: 'debitura-customer WebhookTestResult.errorMessage', from: 'rule' },
      { field: 'debitura-customer WebhookTestResult.errorCategory', from: 'rule' },
      { field: 'debitura-customer WebhookTestResult.durationMs', from: 'rule' },
      { field: 'debitura-customer WebhookTestResult.testPayload', from: 'response' },
    ],
  },
  {
    id: 'debitura.preview',
    area: 'debitura: customer API',
    rule: 'POST /cases/preview creates nothing; a covered debtor is eligible with no ineligibilityReason, jurisdiction.countryAlpha2 and pricingPreview.currencyCode from the request and totalSuccessFeePercentage = base + age surcharge; a signed client has no requiredActions and no signingHandoff; the case submitted with the previewed collectionPartnerId is accepted at the previewed fee with that partner; an uncovered one (JP) is ineligible with a reason and no partner.',
    checks: ['POST /cases/preview prices without creating'],
    holds: [
      {
        field: 'debitura-customer BusinessError.solutionUrl',
        from: 'shape',
        reason:
          "Debitura's own link to resolve a business error (or null), like the preview's RequiredAction.solutionUrl: no request sets it",
      },
      { field: 'debitura-customer CasePreviewResult.isEligible', from: 'rule' },
      { field: 'debitura-customer CasePreviewResult.ineligibilityReason', from: 'rule' },
      { field: 'debitura-customer CasePreviewResult.requiresKycVerification', from: 'rule' },
      { field: 'debitura-customer CasePreviewResult.hasKycOnFile', from: 'rule' },
      { field: 'debitura-customer Jurisdiction.countryAlpha2', from: 'request' },
      { field: 'debitura-customer Jurisdiction.stateAlpha2', from: 'rule' },
      {
        field: 'debitura-customer Jurisdiction.id',
        from: 'shape',
        reason: "Debitura's own jurisdiction ids: no request or other answer names them",
      },
      {
        field: 'debitura-customer Jurisdiction.name',
        from: 'shape',
        reason: "Debitura's wording of the jurisdiction (its country, or country and state)",
      },
      { field: 'debitura-customer PricingPreview.currencyCode', from: 'request' },
      { field: 'debitura-customer PricingPreview.totalSuccessFeePercentage', from: 'rule' },
      { field: 'debitura-customer PricingPreview.baseSuccessFeePercentage', from: 'rule' },
      { field: 'debitura-customer PricingPreview.ageSurchargePercentage', from: 'rule' },
      {
        field: 'debitura-customer PricingPreview.pricingSource',
        from: 'shape',
        reason: "which price list applies is Debitura's (Standard or a partner agreement)",
      },
      {
        field: 'debitura-customer PricingPreview.pricingSourceDescription',
        from: 'shape',
        reason: 'a sentence for a person',
      },
      { field: 'debitura-customer PartnerAssignment.collectionPartnerId', from: 'response' },
      { field: 'debitura-customer PartnerAssignment.partnerName', from: 'response' },
      {
        field: 'debitura-customer PartnerAssignment.partnerCountry',
        from: 'shape',
        reason: "a partner may sit outside the debtor's country: no rule ties them",
      },
      { field: 'debitura-customer RequiredAction.type', from: 'rule' },
      { field: 'debitura-customer RequiredAction.isBlocking', from: 'rule' },
      { field: 'debitura-customer RequiredAction.message', from: 'shape', reason: 'a sentence for a person' },
      {
        field: 'debitura-customer RequiredAction.solutionUrl',
        from: 'shape',
        reason: 'where Debitura sends the user to resolve it: its own link',
      },
      { field: 'debitura-customer Case.preLegalSuccessFee', from: 'response' },
      { field: 'debitura-customer CollectionPartner.name', from: 'response' },
      {
        field: 'debitura-customer CollectionPartner.officeEmail',
        from: 'shape',
        reason: "the partner's contact details are Debitura's record",
      },
      {
        field: 'debitura-customer CollectionPartner.officePhone',
        from: 'shape',
        reason: "the partner's contact details are Debitura's record",
      },
      {
        field: 'debitura-customer CollectionPartner.publicSite',
        from: 'shape',
        reason: "the partner's contact details are Debitura's record",
      },
    ],
  },
  {
    id: 'debitura.accept-header',
    area: 'debitura: customer API',
    rule: 'The Accept header clients generated from the published contract send (text/plain, application/json, text/json) gets the JSON answer on retrieve, list and create.',
    checks: ['the Accept header generated clients send'],
    holds: [{ field: 'debitura-customer Case.id', from: 'response' }],
  },
  {
    id: 'debitura.hook-created-fields',
    area: 'debitura: webhooks',
    rule: "case.created carries the case as submitted: data.caseId, reference (the create answer's), creditorReference, amount (amountToRecover, major units), currency (currencyCode), debtorName, status (the case's lifecycle), externalTenantId (the client), an id, and a timestamp within a minute of dateCreated.",
    checks: ['a submitted case delivers case.created'],
    holds: [
      {
        field: 'debitura-referral WebhookEvent.data.paymentId',
        from: 'shape',
        reason:
          "a partner's subscription receives case events only (case.created, case.updated, case.closed); the payment fields are payment.created's",
      },
      {
        field: 'debitura-referral WebhookEvent.data.paymentAmount',
        from: 'shape',
        reason:
          "a partner's subscription receives case events only (case.created, case.updated, case.closed); the payment fields are payment.created's",
      },
      {
        field: 'debitura-referral WebhookEvent.id',
        from: 'shape',
        reason: 'opaque; its identity across retries is debitura.hook-retry-identity',
      },
      { field: 'debitura-referral WebhookEvent.event', from: 'rule' },
      { field: 'debitura-referral WebhookEvent.timestamp', from: 'response' },
      { field: 'debitura-referral WebhookEvent.data.caseId', from: 'response' },
      { field: 'debitura-referral WebhookEvent.data.reference', from: 'response' },
      { field: 'debitura-referral WebhookEvent.data.creditorReference', from: 'request' },
      { field: 'debitura-referral WebhookEvent.data.amount', from: 'request' },
      { field: 'debitura-referral WebhookEvent.data.currency', from: 'request' },
      { field: 'debitura-referral WebhookEvent.data.debtorName', from: 'request' },
      { field: 'debitura-referral WebhookEvent.data.status', from: 'response' },
      { field: 'debitura-referral WebhookEvent.data.externalTenantId', from: 'request' },
    ],
  },
  {
    id: 'debitura.hook-updated-fields',
    area: 'debitura: webhooks',
    rule: 'case.updated says what changed: oldLifecycle the lifecycle retrieved before the move, newLifecycle and status the lifecycle after it, amount unchanged.',
    checks: ['advancing the test case to Active and then Closed:Paid delivers'],
    holds: [
      { field: 'debitura-referral WebhookEvent.data.oldLifecycle', from: 'response' },
      { field: 'debitura-referral WebhookEvent.data.newLifecycle', from: 'request' },
      { field: 'debitura-referral WebhookEvent.data.status', from: 'rule' },
    ],
  },
  {
    id: 'debitura.hook-closed-fields',
    area: 'debitura: webhooks',
    rule: "case.closed says why: status Closed and closeCode the retrieved case's (Paid after Closed:Paid).",
    checks: ['advancing the test case to Active and then Closed:Paid delivers'],
    holds: [{ field: 'debitura-referral WebhookEvent.data.closeCode', from: 'response' }],
  },
  {
    id: 'debitura.hook-retry-identity',
    area: 'debitura: webhooks',
    rule: 'A delivery the receiver refused is retried with the same event id and the same payload (receivers de-duplicate by id).',
    checks: ['a delivery the receiver refused (503) is retried'],
    holds: [{ field: 'debitura-referral WebhookEvent.id', from: 'rule' }],
  },

  // Webhook receivers (`casapay-conformance receiver`; conformance/receiver/checks.ts)
  {
    id: 'receiver.accepts-valid',
    area: 'receiver: delivery',
    rule: 'A valid, signed, contract-valid delivery is answered 2xx within --max-latency-ms (default 5000): answer first, work after.',
    checks: ['accepts a valid delivery with a 2xx within the latency budget'],
  },
  {
    id: 'receiver.rejects-missing-signature',
    area: 'receiver: signature',
    rule: 'A delivery without the signature header (X-CasaPay-Signature, X-Debitura-Signature, webhook-signature) is refused with a non-2xx.',
    checks: ['rejects a delivery without a signature header'],
  },
  {
    id: 'receiver.rejects-malformed-signature',
    area: 'receiver: signature',
    rule: 'A signature header that does not parse is refused, never let through.',
    checks: ['rejects a signature header that does not parse'],
  },
  {
    id: 'receiver.rejects-changed-body',
    area: 'receiver: signature',
    rule: 'The signature covers the exact bytes: a digit changed or a space appended after signing is refused.',
    checks: ['rejects a body changed by one byte'],
  },
  {
    id: 'receiver.rejects-wrong-secret',
    area: 'receiver: signature',
    rule: 'A signature made with another secret, or with the secret in another form (without whsec_, or base64 text not decoded), is refused.',
    checks: ['rejects a signature made with another secret'],
  },
  {
    id: 'receiver.rejects-stale-timestamp',
    area: 'receiver: signature',
    rule: 'A correctly signed delivery whose timestamp is 600 s old is refused (tolerance 300 s).',
    checks: ['rejects a delivery signed 10 minutes ago'],
  },
  {
    id: 'receiver.rejects-replay',
    area: 'receiver: signature',
    rule: 'A replay of an accepted event, signed 600 s ago, is refused: the timestamp is checked before anything else, deduplication included.',
    checks: ['rejects a replay of an old delivery'],
  },
  {
    id: 'receiver.accepts-rotated-signatures',
    area: 'receiver: signature',
    rule: 'A header with two v1 signatures (the first with another secret, as during a rotation) is accepted when one matches.',
    checks: ['accepts two v1 signatures of which one is valid'],
  },
  {
    id: 'receiver.verifies-raw-bytes',
    area: 'receiver: signature',
    rule: 'Valid JSON with unusual key order, spacing and \\u escapes, signed over its raw bytes, is accepted (no parse-then-reserialize verification).',
    checks: ['accepts unusual but valid JSON signed over its raw bytes'],
  },
  {
    id: 'receiver.accepts-unknown-event-type',
    area: 'receiver: compatibility',
    rule: 'An event type the contract does not list is answered 2xx (and ignored).',
    checks: ['answers 2xx to an event type it does not know'],
  },
  {
    id: 'receiver.accepts-unknown-fields',
    area: 'receiver: compatibility',
    rule: 'A known event with fields the contract does not name is answered 2xx.',
    checks: ['answers 2xx to unknown fields in a known event'],
  },
  {
    id: 'receiver.accepts-out-of-order',
    area: 'receiver: compatibility',
    rule: 'Events about one object arriving in reverse order (closed, updated, created) are each answered 2xx.',
    checks: ['answers 2xx to events out of order'],
  },
  {
    id: 'receiver.accepts-concurrent',
    area: 'receiver: compatibility',
    rule: 'Deliveries sent at once (--concurrency, default 8) are each answered 2xx.',
    checks: ['answers 2xx to concurrent deliveries'],
  },
  {
    id: 'receiver.accepts-duplicate',
    area: 'receiver: compatibility',
    rule: 'A retried delivery of an event the receiver already has is answered 2xx (a non-2xx makes the sender retry it again).',
    checks: ['answers 2xx to a retried delivery of an event it already has'],
  },
  {
    id: 'receiver.duplicate-applied-once',
    area: 'receiver: effects',
    rule: 'An event delivered twice is applied once (seen through --effects-url or --observe-mock; skipped as not observable without either).',
    checks: ['applies a duplicate delivery once'],
  },
  {
    id: 'receiver.each-event-applied-once',
    area: 'receiver: effects',
    rule: 'Every event answered 2xx whose type the contract knows is applied exactly once (with --observe-mock: as many calls about each object as events about it).',
    checks: ['applies each accepted event exactly once'],
  },
  {
    id: 'receiver.rejected-not-applied',
    area: 'receiver: effects',
    rule: 'Nothing of a refused delivery is applied: verify before doing anything with the body.',
    checks: ['applies nothing it refused'],
  },
  {
    id: 'receiver.retries',
    area: 'receiver: delivery',
    rule: 'A receiver that answers non-2xx or slowly gets the delivery again later.',
    checks: [],
    notChecked:
      "the sender's promise, not the receiver's; the sender side is checked by the webhooks capability and the dispatcher tests",
  },
];

/** The rule ids a failure belongs to: its contract rule, or the rules whose checks name its check. */
export function rulesFor(failure: { check: string; rule: string }): Rule[] {
  const byId = RULES.filter((r) => r.id === failure.rule);
  if (byId.length) return byId;
  return RULES.filter((r) => r.checks.some((c) => c !== EVERY && failure.check.includes(c)));
}

export const ruleAnchor = (id: string): string => `rule-${id.replace(/[^a-z0-9-]/gi, '-')}`;

/** conformance/RULES.md, rendered from RULES. */
export function renderRulesMarkdown(): string {
  const lines = [
    '# Rules inventory',
    '',
    'Every rule the contract (`generated/casapay.json`; for `--api debitura` the Debitura contracts',
    '`generated/debitura-referral.json` and `generated/debitura-customer.json`, the `debitura:` sections) and',
    'the READMEs promise, and the conformance check that fails when an implementation breaks it. Rendered from `conformance/rules.ts` by `npm run rules`;',
    '`conformance/rules.test.ts` fails when this file is stale, when a check exists that no rule names, or',
    'when a rule names a check that does not exist. `*` means every response the suite receives (the',
    'client middleware in `support/client.ts`). The HTML report links each failure here by its id.',
    '',
  ];
  let area = '';
  for (const r of RULES) {
    if (r.area !== area) {
      area = r.area;
      lines.push(`## ${area}`, '', '| id | rule | checked by |', '| --- | --- | --- |');
    }
    const by = r.notChecked
      ? `**not checked:** ${r.notChecked}`
      : r.checks.map((c) => (c === EVERY ? '`*` (every response)' : `“${c}…”`)).join('; ');
    const cites = r.contractRules?.length ? ` (x-rules: ${r.contractRules.map((id) => `\`${id}\``).join(', ')})` : '';
    lines.push(
      `| <a id="${ruleAnchor(r.id)}"></a>\`${r.id}\`${r.warning ? ' (warning)' : ''} | ${r.rule.replace(/\|/g, '\\|')}${cites} | ${by.replace(/\|/g, '\\|')} |`,
    );
    const next = RULES[RULES.indexOf(r) + 1];
    if (!next || next.area !== area) lines.push('');
  }
  return `${lines.join('\n')}`;
}

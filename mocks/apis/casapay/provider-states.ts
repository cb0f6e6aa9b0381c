// Pact provider states for the mock: `POST /__admin/provider-states {state, params, action, consumer}`
// gives each state a new account seeded from a scenario of scenarios/ (or left empty) and answers
// the values a pact's `fromProviderState` expressions use (`api_key`, `case_id`, …). It owns the
// table of state names and the keys it minted; it may import the sandbox, the scenario runner, the
// store's types and the error catalogue — not Fastify (admin.ts registers the route) and nothing of
// conformance/. A vendor maps the same state names on their side; the table is in the README.
import { errors } from './errors.js';
import type { Sandbox } from '../../engine/sandbox.js';
import type { Scenario } from './scenarios/scenarios.js';
import { casapayAccount, type AccountState } from './state.js';

export interface ProviderStateDefinition {
  /** The scenario the new account is seeded with; null leaves it empty. */
  scenario: string | null;
  description: string;
}

/** The states consumers may name, with the scenario behind each. `scenario:<name>` names any other scenario. */
export const PROVIDER_STATES: Record<string, ProviderStateDefinition> = {
  'an empty account': { scenario: null, description: 'a new account that holds nothing' },
  "the docs' quickstart case exists": {
    scenario: 'quickstart',
    description:
      "a new account holding the objects of CasaPay's quickstarts (case dc_a1b2c3d4 / Q8OAXF3W, policy gpol_abc123, guarantee grt_def456)",
  },
};

const SCENARIO_STATE = /^scenario:([a-z0-9-]+)$/;

/** What the verifier injects into the pact's requests: the account's key and the first object of each kind. */
export type ProviderStateValues = Record<string, string>;

export interface ProviderStateDeps {
  sandbox: Sandbox;
  scenarios: () => Map<string, Scenario>;
  apply: (account: AccountState, scenario: Scenario) => void;
}

export interface ProviderStates {
  /** Seeds an account this module minted (true), or leaves it to the server's own seeding (false). */
  seed(account: AccountState): boolean;
  /** Handles one state change request body; throws ApiError (4xx) on bad input, changing nothing. */
  change(body: unknown): Promise<ProviderStateValues>;
}

const FIELDS = ['state', 'params', 'action', 'consumer'];

/** The first object of each collection, by the names consumers' expressions use. */
function valuesOf(account: AccountState): ProviderStateValues {
  const values: ProviderStateValues = { api_key: account.key, authorization: `Bearer ${account.key}` };
  // Oldest first: the scenario's first object of a kind is the one its description names.
  const first = <T extends { id: string; created: number }>(objects: T[]): T | undefined =>
    objects.reduce<T | undefined>(
      (oldest, o) => (oldest === undefined || o.created < oldest.created ? o : oldest),
      undefined,
    );
  const firstCase = first(account.cases.values());
  if (firstCase) Object.assign(values, { case_id: firstCase.id, case_reference: firstCase.reference });
  const named: Array<[string, Array<{ id: string; created: number }>]> = [
    ['policy_id', account.policies.values()],
    ['guarantee_id', account.guarantees.values()],
    ['claim_id', account.claims.values()],
    ['payment_id', account.payments.values()],
  ];
  for (const [name, objects] of named) {
    const object = first(objects);
    if (object) values[name] = object.id;
  }
  return values;
}

/**
 * @example
 * const states = createProviderStates({ sandbox, scenarios, apply });
 * await states.change({ state: 'an empty account' }); // { api_key: 'sk_test_pact_…', authorization: 'Bearer sk_test_pact_…' }
 */
export function createProviderStates(deps: ProviderStateDeps): ProviderStates {
  // Keys this module minted → the scenario to seed them with (null: none). Every state gets its own
  // account, so interactions never see each other's objects and the run's --scenario never leaks in.
  const pinned = new Map<string, string | null>();
  return {
    seed(account) {
      if (!pinned.has(account.key)) return false;
      const name = pinned.get(account.key)!;
      pinned.delete(account.key);
      if (name) deps.apply(account, deps.scenarios().get(name)!);
      return true;
    },
    async change(body) {
      if (
        body === undefined ||
        body === null ||
        typeof body !== 'object' ||
        Array.isArray(body) ||
        Buffer.isBuffer(body)
      ) {
        throw errors.parameterMissing('state', 'Send {"state": "an empty account", "params": {}} as JSON.');
      }
      const fields = body as Record<string, unknown>;
      const unknown = Object.keys(fields).find((key) => !FIELDS.includes(key));
      if (unknown !== undefined) throw errors.parameterUnknown(unknown);
      const { state, params, action, consumer } = fields;
      if (state === undefined || state === '') throw errors.parameterMissing('state');
      if (typeof state !== 'string') throw errors.parameterInvalid('state', 'must be a string.');
      if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params)))
        throw errors.parameterInvalid('params', 'must be an object.');
      if (action !== undefined && action !== 'setup' && action !== 'teardown')
        throw errors.parameterInvalid('action', "must be 'setup' or 'teardown'.");
      if (consumer !== undefined && typeof consumer !== 'string')
        throw errors.parameterInvalid('consumer', 'must be a string.');

      const scenarioName = SCENARIO_STATE.exec(state)?.[1];
      const definition =
        PROVIDER_STATES[state] ?? (scenarioName ? { scenario: scenarioName, description: '' } : undefined);
      if (!definition) {
        throw errors.parameterInvalid(
          'state',
          `no provider state named '${state}'. Known: ${Object.keys(PROVIDER_STATES)
            .map((s) => `'${s}'`)
            .join(', ')}, or 'scenario:<name>'.`,
        );
      }
      if (definition.scenario && !deps.scenarios().has(definition.scenario)) {
        throw errors.parameterInvalid(
          'state',
          `no scenario named '${definition.scenario}'. Known: ${[...deps.scenarios().keys()].join(', ')}.`,
        );
      }
      // Each account lives until reset; teardown has nothing to undo.
      if (action === 'teardown') return {};
      const key = `sk_test_pact_${deps.sandbox.ids.id('x').slice(2)}`;
      pinned.set(key, definition.scenario);
      return deps.sandbox.using(key, (account) => valuesOf(casapayAccount(account)));
    },
  };
}

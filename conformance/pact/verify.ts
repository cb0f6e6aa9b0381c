// `pact verify`: replays a pact against an implementation with pact-js's Verifier (the Rust
// verifier behind it) and says which interactions failed and why. Provider states are set up
// through a state-change URL — the bundled mock's `POST /__admin/provider-states` by default, or the
// vendor's own — whose JSON answer fills the pact's fromProviderState expressions (api_key, case_id).
// Without a base URL the bundled mock is started in-process on 127.0.0.1 and stopped at the end.
import path from 'node:path';
import { Verifier, type VerifierOptions } from '@pact-foundation/pact';
import { readPactFile } from './pact-file.js';

export interface VerifyOptions {
  pactFile: string;
  /** The implementation; default: start the bundled mock on a free port. */
  baseUrl?: string;
  /** Where provider states are set up (POST {state, params, action, consumer}); default `<base-url>/__admin/provider-states`. */
  providerStatesSetupUrl?: string;
  /** Deliberate defects of the bundled mock (mocks/apis/casapay/defects.ts), to prove a verification can fail. */
  defects?: string[];
  /** Per-request timeout of the verifier, ms. */
  timeoutMs?: number;
  write?: (line: string) => void;
}

export interface InteractionFailure {
  interaction: string;
  /** What did not match, one line each (status, header, body path). */
  mismatches: string[];
}

export interface VerifyResult {
  ok: boolean;
  baseUrl: string;
  startedMock: boolean;
  interactions: number;
  failures: InteractionFailure[];
}

/** One mismatch of the Rust verifier's JSON results as a line. */
function describeMismatch(m: any): string {
  if (!m || typeof m !== 'object') return String(m);
  const where = m.path ? ` at ${m.path}` : m.key ? ` (${m.key})` : '';
  const detail = m.mismatch ?? m.description ?? JSON.stringify(m);
  return `${m.type ?? 'mismatch'}${where}: ${detail}`;
}

/** The verifier's results (pactffi_verifier_json, handed back by pact-core) as failures per interaction. */
export function failuresFromResults(results: unknown): InteractionFailure[] {
  let parsed: any = results;
  if (typeof results === 'string') {
    try {
      parsed = JSON.parse(results);
    } catch {
      return [{ interaction: '(the verifier)', mismatches: [results] }];
    }
  }
  const out = new Map<string, string[]>();
  for (const error of parsed?.errors ?? []) {
    const name = String(error.interaction ?? '(unnamed interaction)');
    const mismatch = error.mismatch ?? {};
    const lines =
      Array.isArray(mismatch.mismatches) && mismatch.mismatches.length
        ? mismatch.mismatches.map(describeMismatch)
        : [mismatch.message ?? mismatch.error ?? (typeof mismatch === 'string' ? mismatch : JSON.stringify(mismatch))];
    out.set(name, [...(out.get(name) ?? []), ...lines]);
  }
  return [...out].map(([interaction, mismatches]) => ({ interaction, mismatches }));
}

/**
 * Verifies one pact file; never throws for a failed verification (it is in the result).
 * @example
 * const { ok, failures } = await verifyPact({ pactFile: 'examples/frontend-consumer/pacts/frontend-app-casapay-api.json' });
 */
export async function verifyPact(options: VerifyOptions): Promise<VerifyResult> {
  const pact = readPactFile(options.pactFile); // fails early, with a readable message, on a file that is not a pact
  const mock = options.baseUrl
    ? undefined
    : await (
        await import('../../mocks/server.js')
      ).createMockServer({ host: '127.0.0.1', port: 0, logLevel: 'silent', defects: options.defects });
  const baseUrl = (options.baseUrl ?? mock!.url).replace(/\/+$/, '');
  const setupUrl = options.providerStatesSetupUrl ?? `${baseUrl}/__admin/provider-states`;
  // One handler per state the pact names, each forwarding to the state-change URL; its JSON answer
  // is what pact-js hands the verifier for fromProviderState.
  const stateNames = [...new Set(pact.interactions.flatMap((i) => i.providerStates.map((s) => s.name)))];
  // pact-js logs a failing state handler and answers the verifier 200 anyway, so the interaction
  // would run against whatever the provider holds; remember each failure and fail the run with it.
  const stateFailures = new Map<string, string>();
  const change = (state: string, action: 'setup' | 'teardown') => async (params?: unknown) => {
    try {
      const res = await fetch(setupUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ state, params: params ?? {}, action, consumer: pact.consumer }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${res.status} ${text.slice(0, 300)}`);
      const values = text ? (JSON.parse(text) as unknown) : undefined;
      if (values !== undefined && (values === null || typeof values !== 'object' || Array.isArray(values)))
        throw new Error(`the answer is not a JSON object: ${text.slice(0, 300)}`);
      return values as Record<string, string> | undefined;
    } catch (error) {
      stateFailures.set(
        `provider state '${state}' (${action})`,
        `POST ${setupUrl} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
  };
  const stateHandlers = Object.fromEntries(
    stateNames.map((name) => [name, { setup: change(name, 'setup'), teardown: change(name, 'teardown') }]),
  ) as VerifierOptions['stateHandlers'];
  let failures: InteractionFailure[] = [];
  try {
    const verifier = new Verifier({
      provider: pact.provider,
      providerBaseUrl: baseUrl,
      pactUrls: [path.resolve(options.pactFile)],
      stateHandlers,
      logLevel: 'error',
      timeout: options.timeoutMs ?? 10_000,
    });
    await verifier.verifyProvider();
  } catch (error) {
    // The verifier names an interaction "Verifying a pact between A and B Given S - description"; report the description.
    const descriptions = pact.interactions.map((i) => i.description).sort((a, b) => b.length - a.length);
    failures = failuresFromResults(error instanceof Error ? error.message : error).map((f) => ({
      ...f,
      interaction:
        descriptions.find(
          (d) => f.interaction === d || f.interaction.endsWith(` - ${d}`) || f.interaction.endsWith(` ${d}`),
        ) ?? f.interaction,
    }));
    if (!failures.length)
      failures = [
        { interaction: '(the verifier)', mismatches: [error instanceof Error ? error.message : String(error)] },
      ];
  } finally {
    await mock?.close();
  }
  failures = [
    ...[...stateFailures].map(([interaction, message]) => ({ interaction, mismatches: [message] })),
    ...failures,
  ];
  return {
    ok: failures.length === 0,
    baseUrl,
    startedMock: mock !== undefined,
    interactions: pact.interactions.length,
    failures,
  };
}

/** The result as terminal lines. */
export function formatVerifyResult(result: VerifyResult, file: string): string {
  const target = result.startedMock ? 'the bundled mock' : result.baseUrl;
  if (result.ok) return `✓ ${file}: all ${result.interactions} interaction(s) verified against ${target}`;
  const interactions = result.failures.filter((f) => !f.interaction.startsWith('provider state ')).length;
  const states = result.failures.length - interactions;
  const lines = [
    `✗ ${file}: ${interactions} of ${result.interactions} interaction(s) failed against ${target}${states ? `; ${states} provider state set-up(s) failed` : ''}`,
  ];
  for (const f of result.failures) {
    lines.push(`  ✗ "${f.interaction}"`);
    for (const m of f.mismatches) lines.push(`      ${m}`);
  }
  return lines.join('\n');
}

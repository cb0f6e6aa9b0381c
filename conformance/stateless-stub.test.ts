// The suite's power against an implementation that keeps nothing: the whole suite (runConformance,
// both APIs) against a stateless stub of each contract that answers every request with random,
// contract-valid data (conformance/stateless-stub.ts). No check whose promise needs state may pass it —
// a check that does has no positive control — and every failure names the rule it broke: a rule id of
// the inventory, never a bare assertion diff or a JSON SyntaxError.
import { afterAll, describe, expect, it } from 'vitest';
import { loadBundledContract, loadContract } from '../kit/contract.js';
import { ALL_CAPABILITIES, DEBITURA_CAPABILITIES } from './capabilities.js';
import { DEFAULT_OPTIONS, type RunOptions } from './options.js';
import type { RunResult } from './report/model.js';
import { RULES } from './rules.js';
import { runConformance } from './run.js';
import { startStatelessStub, type StatelessStub } from './stateless-stub.js';

/**
 * Checks a stateless stub may pass, and why: their promise needs no memory. A check missing here
 * that passes has found a hole (give it a positive control); an entry here that fails is fine.
 */
const STATELESS_PROMISES: Record<string, string> = {
  '[debitura-validation] case submission rules and generated invalid bodies > a body sent as application/json-patch+json (as generated clients send it) is accepted':
    'accepting a media type the contract declares needs no state',
  '[debitura-validation] case submission rules and generated invalid bodies > null for every optional field the contract makes nullable is accepted':
    'accepting a valid body needs no state',
  // Issue 20: 20-b gives this Referral check its positive control (the accepted upload's message is listed).
  '[debitura-files] case files (Referral API) > no refused upload left a chat message':
    'asserts only an absence (no positive control yet)',
};

const OPTIONS = {
  ...DEFAULT_OPTIONS,
  reportDir: null,
  seed: 20,
  negativeRuns: 3,
  // The stub delivers nothing: wait briefly for each delivery the webhook checks expect.
  webhookWaitMs: 100,
  timeoutMs: 5_000,
  write: () => undefined,
} satisfies Omit<RunOptions, 'capabilities'>;

/** A failure's first line without the `[rule] ` its check put in front. */
const headline = (message: string) => (message.split('\n')[0] ?? '').replace(/^\[[^\]]+\] /, '');

function expectNamedFailures(result: RunResult): void {
  const ids = new Set(RULES.map((r) => r.id));
  const unnamed = result.failures.filter((f) => !ids.has(f.rule)).map((f) => `${f.check}: ${f.rule}`);
  expect(unnamed, 'failures whose rule is not an id of conformance/rules.ts').toEqual([]);
  const raw = result.failures
    .filter((f) => /^expected [{[]|SyntaxError|is not valid JSON/.test(headline(f.message)))
    .map((f) => `${f.check}: ${headline(f.message).slice(0, 160)}`);
  expect(raw, 'failures whose headline is a bare object diff or a JSON parse error').toEqual([]);
}

const passedStateful = (result: RunResult) =>
  result.checks.filter((c) => c.state === 'passed' && !(c.fullName in STATELESS_PROMISES)).map((c) => c.fullName);

describe('the suite against a stateless stub of each contract', () => {
  const stubs: StatelessStub[] = [];
  afterAll(async () => {
    await Promise.all(stubs.map((s) => s.close()));
  });

  it('CasaPay: no stateful check passes, every failure names its rule', async () => {
    const stub = await startStatelessStub([{ prefix: '', contract: loadContract() }], 20);
    stubs.push(stub);
    const { result } = await runConformance({
      ...OPTIONS,
      baseUrl: stub.url,
      capabilities: [...ALL_CAPABILITIES],
    });
    expect(stub.answered.size, 'operations the suite called on the stub').toBeGreaterThan(30);
    expect(result.failures.length, 'the stub fails the suite').toBeGreaterThan(50);
    expect(passedStateful(result), 'checks a stateless stub passed').toEqual([]);
    expectNamedFailures(result);
  }, 90_000);

  it('Debitura: no stateful check passes, every failure names its rule', async () => {
    const stub = await startStatelessStub(
      [
        { prefix: '/referral', contract: loadBundledContract('debitura-referral.json') },
        { prefix: '/customer', contract: loadBundledContract('debitura-customer.json') },
      ],
      20,
    );
    stubs.push(stub);
    const { result } = await runConformance({
      ...OPTIONS,
      api: 'debitura',
      referralUrl: `${stub.url}/referral`,
      customerUrl: `${stub.url}/customer`,
      capabilities: [...DEBITURA_CAPABILITIES],
    });
    expect(stub.answered.size, 'operations the suite called on the stub').toBeGreaterThan(10);
    expect(result.failures.length, 'the stub fails the suite').toBeGreaterThan(20);
    expect(passedStateful(result), 'checks a stateless stub passed').toEqual([]);
    expectNamedFailures(result);
  }, 90_000);
});

// What the checks run against. The CLI hands it over with vitest's `provide`; when the checks are
// run by hand (`npx vitest run -c conformance/vitest.checks.config.ts`) it comes from CASAPAY_* env vars.
import { inject } from 'vitest';

export interface Target {
  /** Which API the run checks (`--api`); CasaPay's when absent. */
  api?: 'casapay' | 'debitura';
  /** Base URL of the implementation under test, without a trailing slash. */
  baseUrl: string;
  /** `--api debitura`: the Referral-Partner API's base URL. */
  referralUrl?: string;
  /** `--api debitura`: the Customer API's base URL. */
  customerUrl?: string;
  /** `--api debitura`: the target's admin routes (`POST <adminUrl>/clock`); absent when it exposes no clock. */
  adminUrl?: string;
  /** The primary account's key. */
  apiKey: string;
  /** A second account's key, for the cross-account checks. */
  secondApiKey: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  /** Where the local webhook receiver listens (port 0: any free port). */
  webhookHost: string;
  webhookPort: number;
  /** How long to wait for an expected webhook delivery, in milliseconds. */
  webhookWaitMs: number;
  /** fast-check seed for the generated negative inputs. */
  seed: number;
  /** Generated invalid inputs per operation. */
  negativeRuns: number;
  /** Selected capabilities; checks of the others are skipped. */
  capabilities: string[];
  /** Warnings (unknown fields and event types, recommended fields left out) fail the check. */
  strict?: boolean;
}

declare module 'vitest' {
  interface ProvidedContext {
    casapayTarget: Target;
  }
}

export const TARGET_ENV = {
  api: 'CASAPAY_API',
  baseUrl: 'CASAPAY_BASE_URL',
  referralUrl: 'CASAPAY_REFERRAL_URL',
  customerUrl: 'CASAPAY_CUSTOMER_URL',
  adminUrl: 'CASAPAY_ADMIN_URL',
  apiKey: 'CASAPAY_API_KEY',
  secondApiKey: 'CASAPAY_SECOND_API_KEY',
  timeoutMs: 'CASAPAY_TIMEOUT_MS',
  webhookHost: 'CASAPAY_WEBHOOK_HOST',
  webhookPort: 'CASAPAY_WEBHOOK_PORT',
  webhookWaitMs: 'CASAPAY_WEBHOOK_WAIT_MS',
  seed: 'CASAPAY_SEED',
  negativeRuns: 'CASAPAY_NEGATIVE_RUNS',
  capabilities: 'CASAPAY_CAPABILITIES',
  strict: 'CASAPAY_STRICT',
} as const;

/** Reads a target from environment variables (the fallback when the CLI did not provide one). */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): Target {
  const baseUrl = env[TARGET_ENV.baseUrl] ?? env[TARGET_ENV.referralUrl];
  if (!baseUrl) throw new Error(`No target: run the checks through casapay-conformance, or set ${TARGET_ENV.baseUrl}.`);
  const num = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
  const trimmed = (name: string) => env[name]?.replace(/\/+$/, '') || undefined;
  return {
    api: env[TARGET_ENV.api] === 'debitura' ? 'debitura' : 'casapay',
    baseUrl: baseUrl.replace(/\/+$/, ''),
    referralUrl: trimmed(TARGET_ENV.referralUrl),
    customerUrl: trimmed(TARGET_ENV.customerUrl),
    adminUrl: trimmed(TARGET_ENV.adminUrl),
    apiKey: env[TARGET_ENV.apiKey] ?? 'sk_test_conformance_a',
    secondApiKey: env[TARGET_ENV.secondApiKey] ?? 'sk_test_conformance_b',
    timeoutMs: num(TARGET_ENV.timeoutMs, 10_000),
    webhookHost: env[TARGET_ENV.webhookHost] ?? '127.0.0.1',
    webhookPort: num(TARGET_ENV.webhookPort, 0),
    webhookWaitMs: num(TARGET_ENV.webhookWaitMs, 5000),
    seed: num(TARGET_ENV.seed, 20241101),
    negativeRuns: num(TARGET_ENV.negativeRuns, 40),
    capabilities: (env[TARGET_ENV.capabilities] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    strict: env[TARGET_ENV.strict] === '1' || env[TARGET_ENV.strict] === 'true',
  };
}

let cached: Target | undefined;

/** The target of this run. */
export function target(): Target {
  if (!cached) cached = inject('casapayTarget') ?? targetFromEnv();
  return cached;
}

// What one run needs to know: the target, the selection and where the reports go.
import { ALL_CAPABILITIES, type ApiName, type Capability } from './capabilities.js';

export interface RunOptions {
  /** Which API to check: CasaPay's (default) or Debitura's Referral-Partner and Customer APIs. */
  api?: ApiName;
  /** The implementation to check; without it the bundled mock is started on a free port. */
  baseUrl?: string;
  /** `--api debitura`: the Referral-Partner API's base URL (default: the bundled mock's `/debitura/referral`). */
  referralUrl?: string;
  /** `--api debitura`: the Customer API's base URL (default: the bundled mock's `/debitura/customer`). */
  customerUrl?: string;
  /**
   * `--api debitura`: where the target's admin routes are (`POST <adminUrl>/clock` moves its clock, as
   * the mock's /__admin does); default the bundled mock's, none for another target. Without one the
   * checks that need the clock are skipped with the reason.
   */
  adminUrl?: string;
  apiKey: string;
  secondApiKey: string;
  capabilities: Capability[];
  webhookHost: string;
  webhookPort: number;
  /** How long to wait for each expected webhook delivery. */
  webhookWaitMs: number;
  /** Where to write junit.xml, report.json and report.html; null writes nothing. */
  reportDir: string | null;
  timeoutMs: number;
  bail: boolean;
  /** Warnings fail their check (default: reported, not failed). */
  strict?: boolean;
  seed: number;
  negativeRuns: number;
  /** Options for the bundled mock when it is started (defects, for the suite's own tests). */
  mock?: { defects?: string[]; variants?: string[] };
  /** Where progress lines go (default: stdout). */
  write?: (line: string) => void;
  color?: boolean;
}

export const DEFAULT_OPTIONS: Omit<RunOptions, 'baseUrl'> = {
  apiKey: 'sk_test_conformance_a',
  secondApiKey: 'sk_test_conformance_b',
  capabilities: [...ALL_CAPABILITIES],
  webhookHost: '127.0.0.1',
  webhookPort: 0,
  webhookWaitMs: 5000,
  reportDir: 'reports/conformance',
  timeoutMs: 10_000,
  bail: false,
  seed: 20241101,
  negativeRuns: 40,
};

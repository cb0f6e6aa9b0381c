// The command line of `casapay-conformance`, parsed into run options. Kept apart from cli.ts so
// the parsing is unit-tested without starting anything.
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  ALL_CAPABILITIES,
  API_NAMES,
  CAPABILITY_TEXT,
  DEBITURA_CAPABILITIES,
  selectCapabilities,
  type ApiName,
} from './capabilities.js';
import { DEFAULT_OPTIONS, type RunOptions } from './options.js';
import { packageVersion } from '../kit/package-version.js';

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const integer =
  (name: string, min: number, max: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}.`);
    return n;
  };

/**
 * A whole number in [min, max] (a commander argument parser for the subcommands' numeric options).
 * @example wholeNumber(1, 600_000)('30000') // 30000
 */
export const wholeNumber =
  (min: number, max: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}.`);
    return n;
  };

/** An absolute http(s) base URL, without its trailing slash (a commander argument parser). */
export const url = (value: string): string => {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected an absolute http(s) URL such as http://127.0.0.1:4010.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new InvalidArgumentError('expected an http or https URL.');
  return value.replace(/\/+$/, '');
};

/** The commander program (without an action), exported for the help text and the tests. */
export function buildProgram(): Command {
  return new Command('casapay-conformance')
    .version(packageVersion(), '-v, --version', 'print the version and exit')
    .description(
      "Checks an implementation of the CasaPay API (or, with --api debitura, of Debitura's Referral-Partner and Customer APIs) against its contract. Without --base-url (--referral-url/--customer-url) it checks the bundled mock.",
    )
    .addOption(new Option('--api <name>', 'the API to check').choices([...API_NAMES]).default('casapay'))
    .option(
      '--base-url <url>',
      'base URL of the implementation to check (default: start the bundled mock on a free port)',
      url,
    )
    .option(
      '--referral-url <url>',
      "--api debitura: base URL of the Referral-Partner API (default: the bundled mock's /debitura/referral)",
      url,
    )
    .option(
      '--customer-url <url>',
      "--api debitura: base URL of the Customer API (default: the bundled mock's /debitura/customer)",
      url,
    )
    .option(
      '--admin-url <url>',
      "--api debitura: the target's admin routes, whose POST /clock {shift_seconds} moves its clock (default: the bundled mock's /__admin; without it the clock checks are skipped)",
      url,
    )
    .option('--api-key <key>', 'API key of the account the checks use', DEFAULT_OPTIONS.apiKey)
    .option(
      '--second-api-key <key>',
      'API key of a second account, for the cross-account checks',
      DEFAULT_OPTIONS.secondApiKey,
    )
    .addOption(
      new Option(
        '--capabilities <list>',
        `comma-separated capabilities to run (${ALL_CAPABILITIES.join(', ')}; with --api debitura: ${DEBITURA_CAPABILITIES.join(', ')})`,
      ).argParser(list),
    )
    .addOption(new Option('--skip <list>', 'comma-separated capabilities to leave out').argParser(list))
    .option(
      '--webhook-host <host>',
      'address the local webhook receiver listens on (the target must reach it)',
      DEFAULT_OPTIONS.webhookHost,
    )
    .option(
      '--webhook-port <port>',
      'port of the local webhook receiver (0: any free port)',
      integer('--webhook-port', 0, 65_535),
      DEFAULT_OPTIONS.webhookPort,
    )
    .option(
      '--webhook-wait <ms>',
      'how long to wait for each expected webhook delivery',
      integer('--webhook-wait', 1, 600_000),
      DEFAULT_OPTIONS.webhookWaitMs,
    )
    .option('--report-dir <dir>', 'where to write junit.xml, report.json and report.html', DEFAULT_OPTIONS.reportDir!)
    .option('--no-report', 'write no report files')
    .option(
      '--timeout <ms>',
      'per-request timeout in milliseconds',
      integer('--timeout', 1, 600_000),
      DEFAULT_OPTIONS.timeoutMs,
    )
    .option(
      '--seed <n>',
      'seed of the generated invalid inputs (printed on every run; pass it to reproduce one)',
      integer('--seed', 0, 2 ** 31 - 1),
      DEFAULT_OPTIONS.seed,
    )
    .option(
      '--negative-runs <n>',
      'generated invalid inputs per operation',
      integer('--negative-runs', 1, 1000),
      DEFAULT_OPTIONS.negativeRuns,
    )
    .option('--bail', 'stop at the first failing check', false)
    .option(
      '--strict',
      'fail on warnings too (unknown response fields and event types, recommended fields left out)',
      false,
    )
    .option('--no-color', 'plain output')
    .addHelpText(
      'after',
      '\nContract changes (see `casapay-conformance compat --help`):\n  compat BASE HEAD   classify every difference between two contracts (files or REF:path): breaking, warning or compatible\n',
    )
    .addHelpText(
      'after',
      '\nPact (see `casapay-conformance pact --help`):\n  pact verify --pact FILE [--base-url URL]   replay a pact against an implementation (default: the bundled mock)\n  pact check --pact FILE                     check a pact against the contract, without running anything\n',
    )
    .addHelpText(
      'after',
      '\nWebhook receivers (see `casapay-conformance receiver --help`):\n  receiver --url URL --secret SECRET [--effects-url URL]   grade a webhook endpoint: signatures, replays, additive changes, duplicates\n',
    )
    .addHelpText(
      'after',
      `\nCapabilities:\n${Object.entries(CAPABILITY_TEXT)
        .map(([name, text]) => `  ${name.padEnd(20)} ${text}`)
        .join('\n')}\n`,
    );
}

export interface CliOptions extends RunOptions {
  color: boolean;
}

/**
 * Parses argv (without `node` and the script) into run options; throws commander's errors.
 * @example parseCliOptions(['--base-url', 'http://127.0.0.1:4010', '--capabilities', 'core,auth'])
 */
export function parseCliOptions(
  argv: readonly string[],
  configure: (program: Command) => Command = (p) => p,
): CliOptions {
  const program = configure(buildProgram());
  program.parse([...argv], { from: 'user' });
  const o = program.opts<{
    api: ApiName;
    baseUrl?: string;
    referralUrl?: string;
    customerUrl?: string;
    adminUrl?: string;
    apiKey: string;
    secondApiKey: string;
    capabilities?: string[];
    skip?: string[];
    webhookHost: string;
    webhookPort: number;
    webhookWait: number;
    reportDir: string;
    report: boolean;
    timeout: number;
    seed: number;
    negativeRuns: number;
    bail: boolean;
    strict: boolean;
    color: boolean;
  }>();
  let capabilities;
  try {
    capabilities = selectCapabilities(o.capabilities, o.skip ?? [], o.api);
  } catch (err) {
    program.error(`error: ${(err as Error).message}`, { code: 'conformance.capability', exitCode: 2 });
  }
  const debituraOnly = (['referralUrl', 'customerUrl', 'adminUrl'] as const).filter((k) => o[k] !== undefined);
  if (o.api !== 'debitura' && debituraOnly.length) {
    program.error(
      `error: ${debituraOnly.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} only apply with --api debitura.`,
      { code: 'conformance.api', exitCode: 2 },
    );
  }
  if (o.api === 'debitura' && o.baseUrl !== undefined) {
    program.error(
      'error: --api debitura checks two APIs: pass --referral-url and --customer-url instead of --base-url.',
      { code: 'conformance.api', exitCode: 2 },
    );
  }
  if (o.api === 'debitura' && (o.referralUrl === undefined) !== (o.customerUrl === undefined)) {
    program.error(
      'error: --api debitura needs both --referral-url and --customer-url (or neither, to check the bundled mock).',
      { code: 'conformance.api', exitCode: 2 },
    );
  }
  return {
    api: o.api,
    baseUrl: o.baseUrl,
    ...(o.api === 'debitura' ? { referralUrl: o.referralUrl, customerUrl: o.customerUrl, adminUrl: o.adminUrl } : {}),
    apiKey: o.apiKey,
    secondApiKey: o.secondApiKey,
    capabilities: capabilities!,
    webhookHost: o.webhookHost,
    webhookPort: o.webhookPort,
    webhookWaitMs: o.webhookWait,
    reportDir: o.report ? o.reportDir : null,
    timeoutMs: o.timeout,
    bail: o.bail,
    strict: o.strict,
    seed: o.seed,
    negativeRuns: o.negativeRuns,
    color: o.color,
  };
}

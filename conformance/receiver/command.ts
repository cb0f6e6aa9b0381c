// `casapay-conformance receiver --url <endpoint> --secret <secret>`: the command line of the receiver
// kit, its output and exit codes (0 nothing failed, 1 a check failed, 2 bad arguments or a crash).
// cli.ts hands every argv starting with `receiver` here.
import { Command, CommanderError, Option } from 'commander';
import { url } from '../cli-options.js';
import { formatSummary } from '../report/summary.js';
import { RECEIVER_CAPABILITIES } from './checks.js';
import { RECEIVER_DEFAULTS, runReceiver, type ReceiverRunOptions } from './run.js';
import type { SigningSchemeName } from './schemes.js';
import { wholeNumber } from '../cli-options.js';

export interface ReceiverCommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  color?: boolean;
}

const defaultIo: ReceiverCommandIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  color: process.stdout.isTTY === true,
};

interface Parsed {
  url: string;
  secret: string;
  api: 'casapay' | 'debitura';
  signing?: 'casapay' | 'standard';
  maxLatencyMs: number;
  timeout: number;
  effectsUrl?: string;
  observeMock?: string;
  effectsWait: number;
  concurrency: number;
  reportDir: string;
  report: boolean;
  color: boolean;
}

/** The options of a run from argv (without `casapay-conformance`); throws commander's errors. */
export function parseReceiverOptions(
  argv: readonly string[],
  io: ReceiverCommandIo = defaultIo,
): Omit<ReceiverRunOptions, 'write'> {
  let parsed: Parsed | undefined;
  const program = new Command('casapay-conformance')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  program
    .command('receiver')
    .description(
      'Grade a webhook receiver: send it real, signed, contract-valid deliveries (and deliberately bad ones) and check what it answers and what it applies.',
    )
    .requiredOption('--url <url>', 'the webhook endpoint under test', url)
    .requiredOption(
      '--secret <secret>',
      'the secret it verifies with: whsec_… (CasaPay, Standard Webhooks) or the base64 secret of a Debitura subscription',
    )
    .addOption(
      new Option('--api <name>', 'whose deliveries to send').choices(['casapay', 'debitura']).default('casapay'),
    )
    .addOption(
      new Option(
        '--signing <scheme>',
        "--api casapay: CasaPay's X-CasaPay-Signature or Standard Webhooks' webhook-* headers",
      ).choices(['casapay', 'standard']),
    )
    .option(
      '--max-latency-ms <ms>',
      'a valid delivery must be answered 2xx within this',
      wholeNumber(1, 600_000),
      RECEIVER_DEFAULTS.maxLatencyMs,
    )
    .option('--timeout <ms>', 'per-delivery timeout', wholeNumber(1, 600_000), RECEIVER_DEFAULTS.timeoutMs)
    .option(
      '--effects-url <url>',
      'GET → {"applied": ["<event id>", …]}: the events the receiver applied, one entry per application',
      url,
    )
    .option(
      '--observe-mock <url>',
      'the CasaPay mock the receiver calls back about each event it applies; counted from its /__admin/journal',
      url,
    )
    .option(
      '--effects-wait <ms>',
      "how long to wait for the receiver's work after the last delivery",
      wholeNumber(0, 600_000),
      RECEIVER_DEFAULTS.effectsWaitMs,
    )
    .option(
      '--concurrency <n>',
      'deliveries sent at once by the concurrency check',
      wholeNumber(2, 64),
      RECEIVER_DEFAULTS.concurrency,
    )
    .option('--report-dir <dir>', 'where to write junit.xml, report.json and report.html', RECEIVER_DEFAULTS.reportDir)
    .option('--no-report', 'write no report files')
    .option('--no-color', 'plain output')
    .addHelpText(
      'after',
      `\nChecks, by group:\n${Object.entries(RECEIVER_CAPABILITIES)
        .map(([name, text]) => `  ${name.padEnd(14)} ${text}`)
        .join('\n')}\n`,
    )
    .action((o: Parsed) => {
      parsed = o;
    });
  program.parse([...argv], { from: 'user' });
  if (!parsed) throw new CommanderError(2, 'conformance.receiver', 'no options');
  const o = parsed;
  if (o.api === 'debitura' && o.signing !== undefined)
    program.error(
      'error: --signing applies to --api casapay; Debitura deliveries are signed with X-Debitura-Signature.',
      { exitCode: 2, code: 'conformance.receiver' },
    );
  if (o.effectsUrl && o.observeMock)
    program.error('error: pass --effects-url or --observe-mock, not both.', {
      exitCode: 2,
      code: 'conformance.receiver',
    });
  const signing: SigningSchemeName = o.api === 'debitura' ? 'debitura' : (o.signing ?? 'casapay');
  return {
    url: o.url,
    secret: o.secret,
    api: o.api,
    signing,
    maxLatencyMs: o.maxLatencyMs,
    timeoutMs: o.timeout,
    effectsUrl: o.effectsUrl,
    observeMock: o.observeMock,
    effectsWaitMs: o.effectsWait,
    concurrency: o.concurrency,
    reportDir: o.report ? o.reportDir : null,
    color: o.color && io.color === true,
  };
}

/**
 * Runs `receiver …` and resolves with the exit code.
 * @example await runReceiverCommand(['receiver', '--url', 'http://127.0.0.1:3000/webhooks', '--secret', 'whsec_…']) // 0 when every check passed or was skipped
 */
export async function runReceiverCommand(argv: readonly string[], io: ReceiverCommandIo = defaultIo): Promise<number> {
  let options;
  try {
    options = parseReceiverOptions(argv, io);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  io.out(
    `casapay-conformance receiver → ${options.url} (${options.api}, signed ${options.signing}; effects: ${options.effectsUrl ?? (options.observeMock ? `the journal of ${options.observeMock}` : 'not observable')})`,
  );
  io.out('');
  let outcome;
  try {
    outcome = await runReceiver({ ...options, write: io.out });
  } catch (error) {
    io.err(`casapay-conformance receiver: ${(error as Error).message}`);
    return 2;
  }
  io.out(formatSummary(outcome.result, options.color ?? false));
  if (outcome.reports.length) io.out(`Reports: ${outcome.reports.join(', ')}`);
  return outcome.result.verdict === 'pass' ? 0 : 1;
}

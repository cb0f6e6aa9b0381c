// `casapay-conformance proxy --target <URL>`: the command line of the traffic proxy, its console and
// exit codes (0 clean, 1 a rule at or above --fail-on was broken, 2 bad arguments or a crash). Runs until
// SIGINT/SIGTERM (or stdin closing with --until-stdin-closes), then writes the reports and exits.
// `--replay <file> --target <URL>` sends a recording instead. cli.ts hands every argv starting with `proxy` here.
import { Command, CommanderError, Option } from 'commander';
import { url } from '../cli-options.js';
import { replayRecording } from './replay.js';
import { PROXY_DEFAULTS, formatProxySummary, startProxy, type ProxyRunOptions } from './run.js';
import { SESSION_LIMITS } from './session.js';
import { wholeNumber } from '../cli-options.js';

export interface ProxyCommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  color?: boolean;
  /** Resolves when the session should end (default: SIGINT or SIGTERM). */
  until?: () => Promise<void>;
  /** Told the proxy's URL once it listens (tests). */
  onListening?: (url: string) => void;
}

const defaultIo: ProxyCommandIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  color: process.stdout.isTTY === true,
};

interface Parsed {
  target: string;
  port: number;
  api: 'casapay' | 'debitura';
  strict?: boolean;
  failOn: 'error' | 'warning';
  reportDir: string;
  report: boolean;
  record?: string;
  replay?: string;
  apiKey?: string;
  webhookListen?: number;
  forwardTo?: string;
  webhookSecret?: string;
  maxBodyBytes: number;
  maxConcurrent: number;
  maxGroups: number;
  maxRecordedSteps: number;
  timeout: number;
  summaryEvery: number;
  color: boolean;
}

export type ParsedProxyCommand =
  | { mode: 'proxy'; options: ProxyRunOptions; summaryEverySeconds: number }
  | { mode: 'replay'; file: string; targetUrl: string; apiKey: string; api: 'casapay' | 'debitura'; timeoutMs: number };

/** The options of a run from argv (without `casapay-conformance`); throws commander's errors. */
export function parseProxyOptions(argv: readonly string[], io: ProxyCommandIo = defaultIo): ParsedProxyCommand {
  let parsed: Parsed | undefined;
  const program = new Command('casapay-conformance')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  program
    .command('proxy')
    .description(
      "Check real traffic: a pass-through proxy on 127.0.0.1 that holds every exchange to the contract with the suite's own rules, groups what it finds by operation and rule, and writes the suite's reports on exit (or POST /__proxy/report).",
    )
    .requiredOption('--target <url>', 'the implementation the traffic goes to (a base path is kept)', url)
    .option(
      '--port <port>',
      'where the proxy listens, on 127.0.0.1 (0: any free port)',
      wholeNumber(0, 65_535),
      PROXY_DEFAULTS.port,
    )
    .addOption(new Option('--api <name>', 'whose contract').choices(['casapay', 'debitura']).default('casapay'))
    .option('--strict', 'warnings (unknown fields, recommended fields left out) are errors')
    .addOption(
      new Option('--fail-on <level>', 'the exit code is 1 when a rule at this level was broken')
        .choices(['error', 'warning'])
        .default('error'),
    )
    .option('--report-dir <dir>', 'where report.json, report.html and junit.xml go', PROXY_DEFAULTS.reportDir)
    .option('--no-report', 'write no report files')
    .option(
      '--webhook-listen <port>',
      'relay webhook deliveries: register http://127.0.0.1:<port>/… as the endpoint URL (0: any free port)',
      wholeNumber(0, 65_535),
    )
    .option('--forward-to <url>', '--webhook-listen: the receiver each checked delivery is forwarded to', url)
    .option(
      '--webhook-secret <secret>',
      "--webhook-listen: the endpoint's secret (whsec_…; Debitura: base64), to check signatures (or CASAPAY_WEBHOOK_SECRET)",
    )
    .option('--record <file.yaml>', 'write the session as a scenario the mock replays')
    .option('--replay <file.yaml>', 'send a recording to --target and compare statuses and shapes (no proxy)')
    .option(
      '--api-key <key>',
      '--replay: the credential every step is sent with (Bearer for casapay, XApiKey for debitura)',
    )
    .option(
      '--max-body-bytes <n>',
      'bodies larger than this pass through unchecked',
      wholeNumber(1024, 100 * 1024 * 1024),
      PROXY_DEFAULTS.maxBodyBytes,
    )
    .option(
      '--max-concurrent <n>',
      'exchanges in flight at once; one more is answered 429 by the proxy',
      wholeNumber(1, 10_000),
      PROXY_DEFAULTS.maxConcurrent,
    )
    .option(
      '--max-groups <n>',
      '(operation, rule) groups the report keeps',
      wholeNumber(1, 100_000),
      SESSION_LIMITS.maxGroups,
    )
    .option(
      '--max-recorded-steps <n>',
      'exchanges a --record file keeps',
      wholeNumber(1, 100_000),
      PROXY_DEFAULTS.maxRecordedSteps,
    )
    .option(
      '--timeout <ms>',
      'per-exchange timeout towards the target',
      wholeNumber(1, 600_000),
      PROXY_DEFAULTS.timeoutMs,
    )
    .option(
      '--summary-every <s>',
      'a tally line (exchanges, error and warning groups) this often while traffic flows; 0: none',
      wholeNumber(0, 3600),
      10,
    )
    .option('--no-color', 'plain output')
    .action((o: Parsed) => {
      parsed = o;
    });
  program.parse([...argv], { from: 'user' });
  if (!parsed) throw new CommanderError(2, 'conformance.proxy', 'no options');
  const o = parsed;
  if ((o.webhookListen === undefined) !== (o.forwardTo === undefined))
    program.error('error: --webhook-listen and --forward-to go together (deliveries are checked, then forwarded).', {
      exitCode: 2,
      code: 'conformance.proxy',
    });
  if (o.replay) {
    if (o.record)
      program.error('error: --replay sends a recording; it records nothing (drop --record).', {
        exitCode: 2,
        code: 'conformance.proxy',
      });
    const apiKey = o.apiKey ?? process.env.CASAPAY_API_KEY;
    if (!apiKey)
      program.error('error: --replay needs --api-key (or CASAPAY_API_KEY): recordings hold no credentials.', {
        exitCode: 2,
        code: 'conformance.proxy',
      });
    return { mode: 'replay', file: o.replay, targetUrl: o.target, apiKey: apiKey!, api: o.api, timeoutMs: o.timeout };
  }
  return {
    mode: 'proxy',
    summaryEverySeconds: o.summaryEvery,
    options: {
      targetUrl: o.target,
      port: o.port,
      api: o.api,
      strict: o.strict === true,
      failOn: o.failOn,
      reportDir: o.report ? o.reportDir : null,
      record: o.record,
      maxBodyBytes: o.maxBodyBytes,
      maxConcurrent: o.maxConcurrent,
      maxRecordedSteps: o.maxRecordedSteps,
      timeoutMs: o.timeout,
      limits: { maxGroups: o.maxGroups },
      webhookListen: o.webhookListen,
      forwardTo: o.forwardTo,
      webhookSecret: o.webhookSecret ?? process.env.CASAPAY_WEBHOOK_SECRET,
      color: o.color && io.color === true,
    },
  };
}

const signals = (): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });

/**
 * Runs `proxy …` and resolves with the exit code.
 * @example await runProxyCommand(['proxy', '--target', 'http://127.0.0.1:4010']) // 0 when nothing broke a rule, after Ctrl-C
 */
export async function runProxyCommand(argv: readonly string[], io: ProxyCommandIo = defaultIo): Promise<number> {
  let command: ParsedProxyCommand;
  try {
    command = parseProxyOptions(argv, io);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  if (command.mode === 'replay') {
    io.out(`casapay-conformance proxy --replay ${command.file} → ${command.targetUrl}`);
    try {
      const result = await replayRecording({ ...command, write: io.out });
      return result.failed ? 1 : 0;
    } catch (error) {
      io.err(`casapay-conformance proxy: ${(error as Error).message}`);
      return 2;
    }
  }
  const options = command.options;
  let handle;
  try {
    handle = await startProxy({ ...options, write: io.out });
  } catch (error) {
    io.err(`casapay-conformance proxy: ${(error as Error).message}`);
    return 2;
  }
  io.out(
    `casapay-conformance proxy ${handle.url} → ${options.targetUrl} (--api ${options.api}${options.strict ? ', --strict' : ''}; fail on ${options.failOn}${options.record ? `; recording to ${options.record}` : ''})`,
  );
  if (handle.webhookUrl)
    io.out(
      `Webhooks: register ${handle.webhookUrl}/… as the endpoint; deliveries are checked and forwarded to ${options.forwardTo}${options.webhookSecret ? '' : ' (no --webhook-secret: signatures not checked)'}.`,
    );
  io.out('Point your client at the proxy; Ctrl-C (or POST /__proxy/report) writes the reports.');
  io.onListening?.(handle.url);
  // The live tally: one line when the traffic moved since the last one.
  let lastCount = 0;
  const session = handle.session;
  const ticker =
    command.summaryEverySeconds > 0
      ? setInterval(() => {
          const section = session.section();
          if (section.exchanges === lastCount) return;
          lastCount = section.exchanges;
          const count = (severity: string) => section.groups.filter((g) => g.severity === severity).length;
          io.out(
            `… ${section.exchanges} exchange(s) over ${section.operations.length} operation(s): ${count('error')} error group(s), ${count('warning')} warning group(s)`,
          );
        }, command.summaryEverySeconds * 1000)
      : undefined;
  ticker?.unref();
  await (io.until ?? signals)();
  if (ticker) clearInterval(ticker);
  const reports = await handle.stop();
  io.out(formatProxySummary(handle.session, options.color ?? false));
  if (reports.files.length) io.out(`Reports: ${reports.files.join(', ')}`);
  if (reports.recording) io.out(`Recording: ${reports.recording}`);
  io.out(reports.verdict === 'pass' ? '✓ no rule broken' : `✗ rules broken (--fail-on ${options.failOn})`);
  return reports.exitCode;
}

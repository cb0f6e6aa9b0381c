// `casapay-conformance pact verify|check`: the commander subcommands, their output and exit codes
// (0 compatible / verified, 1 not, 2 bad arguments or a file that is not a pact). cli.ts hands every
// argv starting with `pact` here, so the suite's own command line stays as it was.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { loadContract } from '../../kit/contract.js';
import { url } from '../cli-options.js';
import { createPactChecker, formatCheckReport } from './check.js';
import { PactFileError, readPactFile } from './pact-file.js';
import { formatVerifyResult, verifyPact } from './verify.js';

const milliseconds = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 600_000)
    throw new InvalidArgumentError('must be a whole number of milliseconds from 1 to 600000.');
  return n;
};

export interface PactCommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIo: PactCommandIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

/**
 * Runs `pact …` (argv without `casapay-conformance`) and resolves with the exit code.
 * @example await runPactCommand(['pact', 'check', '--pact', 'pacts/app-casapay.json']) // 0 when compatible
 */
export async function runPactCommand(argv: readonly string[], io: PactCommandIo = defaultIo): Promise<number> {
  let code = 0;
  const program = new Command('casapay-conformance')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  const pact = program
    .command('pact')
    .description('Pact files: verify one against an implementation, or check it against the contract.');
  pact
    .command('verify')
    .description(
      "Replay a pact against an implementation (default: the bundled mock, started on a free port) with pact-js's Verifier.",
    )
    .requiredOption('--pact <file>', 'the pact file (specification v2, v3 or v4)')
    .option('--base-url <url>', 'the implementation to verify (default: start the bundled mock)', url)
    .option(
      '--provider-states-setup-url <url>',
      'where provider states are set up: POST {state, params, action, consumer} → JSON values (default: <base-url>/__admin/provider-states)',
      url,
    )
    .option('--timeout <ms>', 'per-request timeout', milliseconds, 10_000)
    .action(async (o: { pact: string; baseUrl?: string; providerStatesSetupUrl?: string; timeout: number }) => {
      io.out(`pact verify ${o.pact} → ${o.baseUrl ?? 'the bundled mock (started on a free port)'}`);
      const result = await verifyPact({
        pactFile: o.pact,
        baseUrl: o.baseUrl,
        providerStatesSetupUrl: o.providerStatesSetupUrl,
        timeoutMs: o.timeout,
      });
      io.out(formatVerifyResult(result, o.pact));
      code = result.ok ? 0 : 1;
    });
  pact
    .command('check')
    .description(
      'Check every interaction of a pact against the OpenAPI contract (requests by its rules; responses may use a subset, never an undeclared field, status or header).',
    )
    .requiredOption('--pact <file>', 'the pact file (specification v2, v3 or v4)')
    .option('--json', 'print the report as JSON instead of text')
    .action((o: { pact: string; json?: boolean }) => {
      const report = createPactChecker(loadContract()).check(readPactFile(o.pact));
      io.out(o.json ? JSON.stringify({ pact: o.pact, ...report }, null, 2) : formatCheckReport(report, o.pact));
      code = report.errors ? 1 : 0;
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // --help is 0; `pact` without a subcommand (help shown as an error) and bad options are 2.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof PactFileError) {
      io.err(`casapay-conformance: ${error.message}`);
      return 2;
    }
    throw error;
  }
  return code;
}

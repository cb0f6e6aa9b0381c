#!/usr/bin/env node
// `casapay-conformance`: checks an implementation of the CasaPay API against the contract, in one
// command. Prints one line per check, a summary per capability and the total time; writes JUnit,
// JSON and HTML reports; exits 1 on any failure (2 on bad arguments). `casapay-conformance pact …`
// verifies or checks Pact files instead (conformance/pact/command.ts); `casapay-conformance receiver …`
// grades a webhook receiver (conformance/receiver/command.ts); `casapay-conformance compat …` compares
// two versions of a contract (conformance/compat/).
import { CommanderError } from 'commander';
import { parseCliOptions } from './cli-options.js';
import { runConformance } from './run.js';
import { formatSummary } from './report/summary.js';

async function main(): Promise<number> {
  // `pact verify` / `pact check` have their own command line (conformance/pact/); loaded only when asked for.
  if (process.argv[2] === 'pact') return (await import('./pact/command.js')).runPactCommand(process.argv.slice(2));
  // `receiver`: grade a webhook receiver (conformance/receiver/).
  if (process.argv[2] === 'receiver')
    return (await import('./receiver/command.js')).runReceiverCommand(process.argv.slice(2));
  // `proxy`: check real traffic between a client and an implementation (conformance/proxy/).
  if (process.argv[2] === 'proxy') return (await import('./proxy/command.js')).runProxyCommand(process.argv.slice(2));
  // `compat`: compare two versions of a contract (conformance/compat/).
  if (process.argv[2] === 'compat')
    return (await import('./compat/command.js')).runCompatCommand(process.argv.slice(2));
  let options;
  try {
    options = parseCliOptions(process.argv.slice(2), (program) => program.exitOverride());
  } catch (err) {
    if (err instanceof CommanderError)
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    throw err;
  }
  const color = options.color && process.stdout.isTTY === true;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(
    options.api === 'debitura'
      ? `casapay-conformance --api debitura → ${options.referralUrl ? `${options.referralUrl} (Referral) + ${options.customerUrl} (Customer)${options.adminUrl ? `, clock at ${options.adminUrl}` : ', no clock'}` : "the bundled mock's /debitura/referral and /debitura/customer (started on a free port)"}`
      : `casapay-conformance → ${options.baseUrl ?? 'the bundled mock (started on a free port)'}`,
  );
  say(
    `capabilities: ${options.capabilities.join(', ') || '(none)'} · seed ${options.seed} (reproduce with --seed ${options.seed}) · timeout ${options.timeoutMs} ms`,
  );
  say('');
  const { result, reports } = await runConformance({ ...options, color, write: say });
  say(formatSummary(result, color));
  if (reports.length) say(`Reports: ${reports.join(', ')}`);
  return result.verdict === 'pass' ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`casapay-conformance: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);

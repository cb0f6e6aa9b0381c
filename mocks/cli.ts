#!/usr/bin/env node
// `casapay-mock`: flags → createMockServer(). `npm start` runs it on 127.0.0.1:4010.
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createMockServer, type LogLevel } from './server.js';
import { loadContract } from './contract.js';
import { DEFECTS } from './defects.js';
import { DEFAULT_WEBHOOK_SECRET } from './sandbox.js';
import { loadScenarios } from './scenarios/scenarios.js';
import { faultOptions, faultsFromCli } from './faults.js';
import { ADMIN_TOKEN_ENV, DEFAULT_SHARED_MAX_ACCOUNTS, isLoopbackHost } from './admin-access.js';

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
  return n;
};

const program = new Command()
  .name('casapay-mock')
  .description('A stateful mock of the CasaPay API, validated by its OpenAPI contract.')
  .option('-p, --port <port>', 'port to listen on (0 = any free port)', port, 4010)
  .option('-h, --host <host>', 'address to listen on', '127.0.0.1')
  .option('--spec <path>', 'a bundled contract (JSON or YAML) instead of generated/casapay.json')
  .option('--seed <seed>', 'deterministic ids and references for repeatable runs')
  .option('--scenario <name>', 'seed state from a scenario in mocks/scenarios')
  .addOption(new Option('--log-level <level>', 'how much to log').choices(['silent', 'error', 'info', 'debug']).default('info'))
  .option('-q, --quiet', 'log nothing but the start-up line (same as --log-level error)')
  .option('--log-json', 'log JSON lines instead of readable text')
  .option('--validate-responses', 'check every response against the contract (a mismatch becomes a 500 saying why)')
  .option('--cors-origin <origin...>', 'allowed browser origins (default: any)')
  .option('--webhook-url <url>', 'also deliver every event here, signed with --webhook-secret')
  .option('--webhook-secret <secret>', 'signing secret for --webhook-url', DEFAULT_WEBHOOK_SECRET)
  .addOption(new Option('--defect <name...>', 'break the mock on purpose, to test a conformance suite').choices(Object.keys(DEFECTS)))
  .helpOption('--help', 'show this help')
  .addHelpText('after', `\nDefects (for testing conformance suites only):\n${Object.entries(DEFECTS).map(([k, v]) => `  ${k.padEnd(24)} ${v}`).join('\n')}`);

for (const option of faultOptions()) program.addOption(option);
program.option('--journal-size <n>', 'requests kept for GET /__admin/journal (0 = off)', (v) => Number(v), 200);
program.option('--admin-token <token>', `needed by the console and /__admin when --host is not loopback (default: $${ADMIN_TOKEN_ENV})`);
program.option('--max-accounts <n>', `accounts kept, least recently used evicted first (default: unbounded on loopback, ${DEFAULT_SHARED_MAX_ACCOUNTS} otherwise)`, (v) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of at least 1.');
  return n;
});

program
  .command('scenarios')
  .description('list the scenarios --scenario and X-Mock-Scenario accept')
  .action(() => {
    const scenarios = [...loadScenarios().values()];
    const width = Math.max(...scenarios.map((s) => s.name.length));
    for (const scenario of scenarios) console.log(`${scenario.name.padEnd(width)}  ${scenario.description}`);
  });

program.action(start);
await program.parseAsync();

async function start() {
  const opts = program.opts<{
    port: number; host: string; spec?: string; seed?: string; scenario?: string; logLevel: LogLevel; quiet?: boolean; logJson?: boolean;
    validateResponses?: boolean; corsOrigin?: string[]; webhookUrl?: string; webhookSecret: string; defect?: string[];
  }>();

  const contract = opts.spec ? loadContract((await import('yaml')).parse(readFileSync(path.resolve(opts.spec), 'utf8'))) : undefined;
  const logLevel: LogLevel = opts.quiet ? 'error' : opts.logLevel;
  const mock = await createMockServer({
    port: opts.port,
    host: opts.host,
    seed: opts.seed,
    scenario: opts.scenario,
    logLevel,
    logJson: opts.logJson,
    validateResponses: opts.validateResponses,
    corsOrigin: opts.corsOrigin,
    webhookUrl: opts.webhookUrl,
    webhookSecret: opts.webhookSecret,
    defects: opts.defect,
    faults: faultsFromCli(program.opts()),
    journalLimit: program.opts<{ journalSize: number }>().journalSize,
    adminToken: program.opts<{ adminToken?: string }>().adminToken ?? (process.env[ADMIN_TOKEN_ENV] || undefined),
    maxAccounts: program.opts<{ maxAccounts?: number }>().maxAccounts,
    contract,
  }).catch((error: Error & { code?: string }) => {
    console.error(error.code === 'EADDRINUSE' ? `casapay-mock: port ${opts.port} is already in use on ${opts.host}; pick another with --port.` : `casapay-mock: ${error.message}`);
    process.exit(1);
  });

  const shared = !isLoopbackHost(opts.host);
  const extras = [
    opts.seed && `seed ${opts.seed}`,
    opts.scenario && `scenario ${opts.scenario}`,
    opts.defect?.length && `DEFECTS ${opts.defect.join(',')}`,
    shared && `shared on ${opts.host}: the console and /__admin need the admin token`,
    mock.sandbox.store.maxAccounts !== undefined && `at most ${mock.sandbox.store.maxAccounts} accounts, least recently used evicted`,
  ].filter(Boolean);
  console.log(`CasaPay mock listening on ${mock.url}${extras.length ? ` (${extras.join(', ')})` : ''} — try: curl ${mock.url}/v1/collection_cases -H "Authorization: Bearer sk_test_123"`);

  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) process.exit(1);
      closing = true;
      if (logLevel !== 'silent') console.log(`casapay-mock: ${signal}, shutting down`);
      mock.close().then(() => process.exit(0), () => process.exit(1));
    });
  }
}

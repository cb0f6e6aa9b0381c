#!/usr/bin/env node
// `casapay-mock`: flags → createMockServer(). `npm start` runs it on 127.0.0.1:4010.
// First, before any other module allocates: the V8 settings the mock runs with.
import './v8-tuning.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createMockServer, SHUTDOWN_GRACE_MS, type LogLevel } from './server.js';
import { loadContract } from '../kit/contract.js';
import { DEFECTS } from './apis/casapay/defects.js';
import { DEBITURA_DEFECTS } from './apis/debitura/defects.js';
import { DEBITURA_VARIANTS } from './apis/debitura/variants.js';
import { VARIANTS } from './apis/casapay/variants.js';
import { DEFAULT_SHARED_MAX_EVENTS, type SandboxOptions } from './engine/sandbox.js';
import { DEFAULT_WEBHOOK_SECRET } from './apis/casapay/event-log.js';
import { loadScenarios } from './apis/casapay/scenarios/scenarios.js';
import { loadDebituraScenarios } from './apis/debitura/scenarios.js';
import { faultOptions, faultsFromCli } from './operator/faults.js';
import { choosePort, envName } from './cli-env.js';
import { DEFAULT_SHARED_MAX_ACCOUNTS, isLoopbackHost } from './operator/admin-access.js';
import { DEFAULT_SHARED_MAX_OBJECTS } from './engine/state/object-limit.js';
import { DEFAULT_SHARED_MAX_IDEMPOTENCY_KEYS } from './engine/state/idempotency.js';
import { mintSecret } from './engine/state/ids.js';
import { DEFAULT_JOURNAL_MAX_BYTES } from './operator/journal.js';
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_OPEN } from './engine/webhooks/dispatcher.js';
import { packageVersion } from '../kit/package-version.js';

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
  return n;
};

// Every flag can also come from the environment (a container's usual way in), named by envName();
// a flag on the command line wins.
const withEnv = (option: Option) => option.env(envName(option.long!));
const positiveInteger = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of at least 1.');
  return n;
};

const program = new Command()
  .name('casapay-mock')
  .description('A stateful mock of the CasaPay API, validated by its OpenAPI contract.')
  .version(packageVersion(), '-v, --version', 'print the version and exit')
  .helpOption('-h, --help', 'show this help')
  .addHelpText(
    'after',
    `\nDefects (for testing conformance suites only):\n${Object.entries({ ...DEFECTS, ...DEBITURA_DEFECTS })
      .map(([k, v]) => `  ${k.padEnd(30)} ${v}`)
      .join('\n')}\n\nVariants (allowed by the contract; a conformance suite must pass them):\n${Object.entries({
      ...VARIANTS,
      ...DEBITURA_VARIANTS,
    })
      .map(([k, v]) => `  ${k.padEnd(30)} ${v}`)
      .join('\n')}`,
  );

const options: Option[] = [
  new Option('-p, --port <port>', 'port to listen on (0 = any free port)').argParser(port).default(4010),
  new Option('--host <host>', 'address to listen on').default('127.0.0.1'),
  new Option('--spec <path>', 'a bundled contract (JSON or YAML) instead of generated/casapay.json'),
  new Option('--seed <seed>', 'deterministic ids and references for repeatable runs'),
  new Option('--scenario <name>', 'seed state from a scenario in mocks/apis/casapay/scenarios'),
  new Option('--log-level <level>', 'how much to log').choices(['silent', 'error', 'info', 'debug']).default('info'),
  new Option('-q, --quiet', 'log nothing but the start-up line (same as --log-level error)'),
  new Option('--log-json', 'log JSON lines instead of readable text'),
  new Option('--validate-responses', 'check every response against the contract (a mismatch becomes a 500 saying why)'),
  new Option('--cors-origin <origin...>', 'allowed browser origins (default: any)'),
  new Option(
    '--allowed-host <name...>',
    'on loopback, Host names besides localhost/127.x/[::1] the console and /__admin answer (a port-forwarding proxy)',
  ),
  new Option('--webhook-url <url>', 'also deliver every event here, signed with --webhook-secret'),
  new Option('--webhook-secret <secret>', 'signing secret for --webhook-url').default(DEFAULT_WEBHOOK_SECRET),
  new Option(
    '--webhook-signing <scheme>',
    "how deliveries are signed unless an endpoint chose (signature_scheme): X-CasaPay-Signature, Standard Webhooks' webhook-* headers, or both",
  )
    .choices(['casapay', 'standard', 'both'])
    .default('casapay'),
  new Option(
    '--defect <name...>',
    "break the mock on purpose, to test a conformance suite (CasaPay's and Debitura's)",
  ).choices([...Object.keys(DEFECTS), ...Object.keys(DEBITURA_DEFECTS)]),
  new Option(
    '--variant <name...>',
    'behave differently in ways the contract allows, to test a conformance suite',
  ).choices([...Object.keys(VARIANTS), ...Object.keys(DEBITURA_VARIANTS)]),
  ...faultOptions(),
  new Option('--journal-size <n>', 'requests kept for GET /__admin/journal (0 = off)')
    .argParser((v) => Number(v))
    .default(200),
  new Option(
    '--journal-max-bytes <n>',
    'bytes the journal may hold in all (bodies are cut to 64 KB each); oldest dropped first',
  )
    .argParser(positiveInteger)
    .default(DEFAULT_JOURNAL_MAX_BYTES),
  new Option(
    '--webhook-concurrency <n>',
    'webhook attempts open at once per receiver (scheme, host and port); the rest queue',
  )
    .argParser(positiveInteger)
    .default(DEFAULT_MAX_IN_FLIGHT),
  new Option('--webhook-max-open <n>', 'webhook attempts open at once in total, across every receiver; the rest queue')
    .argParser(positiveInteger)
    .default(DEFAULT_MAX_OPEN),
  new Option('--admin-token <token>', 'needed by the console and /__admin when --host is not loopback'),
  new Option(
    '--generate-admin-token',
    'off loopback without --admin-token, make one and print it (the Docker image does)',
  ),
  new Option(
    '--max-accounts <n>',
    `accounts kept, least recently used evicted first (default: unbounded on loopback, ${DEFAULT_SHARED_MAX_ACCOUNTS} otherwise)`,
  ).argParser(positiveInteger),
  new Option(
    '--max-objects <n>',
    `stored objects per account, both APIs together (events not counted); creates beyond it answer 400 (default: unbounded on loopback, ${DEFAULT_SHARED_MAX_OBJECTS} off loopback or with --admin-token)`,
  ).argParser(positiveInteger),
  new Option(
    '--max-events <n>',
    `events kept per account, the oldest dropped first with its deliveries (default: unbounded on loopback, ${DEFAULT_SHARED_MAX_EVENTS} off loopback or with --admin-token)`,
  ).argParser(positiveInteger),
  new Option(
    '--max-idempotency-keys <n>',
    `idempotency keys kept per account, the oldest completed forgotten first (default: unbounded on loopback, ${DEFAULT_SHARED_MAX_IDEMPOTENCY_KEYS} off loopback or with --admin-token)`,
  ).argParser(positiveInteger),
  new Option(
    '--block-private-webhooks',
    'refuse webhook URLs into loopback, private, link-local and metadata addresses (default: on off loopback or with --admin-token)',
  ).conflicts('allowPrivateWebhooks'),
  new Option(
    '--data-dir <dir>',
    'keep the sandbox in an embedded SQLite file in this folder, across restarts (default: in memory, nothing kept)',
  ).conflicts('databaseUrl'),
  new Option(
    '--database-url <url>',
    'keep the sandbox in PostgreSQL (postgres://user:pass@host:5432/db); several mocks on one database are one sandbox',
  ),
  new Option(
    '--durability <mode>',
    "with --data-dir: 'full' syncs every commit (survives power loss), 'normal' survives the mock being killed",
  ).choices(['normal', 'full']),
  new Option(
    '--allow-private-webhooks',
    'deliver webhooks to any address even when shared (a mock only you can reach, such as a test container)',
  ),
];
for (const option of options) program.addOption(withEnv(option));

/** `at most 100000 objects, 10000 events, 10000 idempotency keys per account`, or '' when unbounded. */
function perAccountLimits({ maxObjects, maxEvents, maxIdempotencyKeys }: SandboxOptions): string {
  const parts = [
    maxObjects && `${maxObjects} objects`,
    maxEvents && `${maxEvents} events`,
    maxIdempotencyKeys && `${maxIdempotencyKeys} idempotency keys`,
  ].filter(Boolean);
  return parts.length ? `at most ${parts.join(', ')} per account` : '';
}

program
  .command('scenarios')
  .description('list the scenarios --scenario and X-Mock-Scenario accept')
  .action(() => {
    // CasaPay's (mocks/apis/casapay/scenarios/), then Debitura's (mocks/apis/debitura/scenarios/, names `debitura-…`).
    const scenarios = [...loadScenarios().values(), ...loadDebituraScenarios().values()];
    const width = Math.max(...scenarios.map((s) => s.name.length));
    for (const scenario of scenarios) console.log(`${scenario.name.padEnd(width)}  ${scenario.description}`);
  });

program.action(start);
refuseOldHostShorthand(process.argv.slice(2));
await program.parseAsync();

/** --block-private-webhooks → true, --allow-private-webhooks → false, neither → the default (see MockServerOptions). */
function privateWebhooks(opts: {
  blockPrivateWebhooks?: boolean;
  allowPrivateWebhooks?: boolean;
}): boolean | undefined {
  if (opts.allowPrivateWebhooks) return false;
  return opts.blockPrivateWebhooks ? true : undefined;
}

/** `-h` meant `--host` up to 0.3: say so, instead of printing help and exiting 0 for `-h 0.0.0.0`. */
function refuseOldHostShorthand(args: readonly string[]): void {
  const at = args.indexOf('-h');
  const next = at === -1 ? undefined : args[at + 1];
  if (next === undefined || next.startsWith('-') || next === 'scenarios') return;
  console.error(`casapay-mock: -h is --help now; for the address write --host ${next}.`);
  process.exit(2);
}

async function start() {
  // A log reader that went away (EPIPE) or a full disk (/dev/full: ENOSPC) must not take the mock
  // down: console.log's stream reports such failures as 'error' events, fatal without a listener.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const opts = program.opts<{
    host: string;
    spec?: string;
    seed?: string;
    scenario?: string;
    logLevel: LogLevel;
    quiet?: boolean;
    logJson?: boolean;
    validateResponses?: boolean;
    corsOrigin?: string[];
    webhookUrl?: string;
    webhookSecret: string;
    defect?: string[];
    variant?: string[];
  }>();

  let port: { port: number; from: string };
  try {
    port = choosePort(
      { value: program.opts<{ port: number }>().port, source: program.getOptionValueSource('port') },
      process.env,
    );
  } catch (error) {
    console.error(`casapay-mock: ${(error as Error).message}`);
    process.exit(2);
  }
  const contract = opts.spec
    ? loadContract((await import('yaml')).parse(readFileSync(path.resolve(opts.spec), 'utf8')))
    : undefined;
  const logLevel: LogLevel = opts.quiet ? 'error' : opts.logLevel;
  // From --admin-token or CASAPAY_MOCK_ADMIN_TOKEN (withEnv); an empty variable counts as none.
  let adminToken = program.opts<{ adminToken?: string }>().adminToken || undefined;
  const generated =
    !adminToken &&
    !isLoopbackHost(opts.host) &&
    program.opts<{ generateAdminToken?: boolean }>().generateAdminToken === true;
  if (generated) adminToken = mintSecret('adm');
  const mock = await createMockServer({
    port: port.port,
    host: opts.host,
    seed: opts.seed,
    scenario: opts.scenario,
    logLevel,
    logJson: opts.logJson,
    validateResponses: opts.validateResponses,
    corsOrigin: opts.corsOrigin,
    allowedHosts: program.opts<{ allowedHost?: string[] }>().allowedHost,
    webhookUrl: opts.webhookUrl,
    webhookSecret: opts.webhookSecret,
    webhookSigning: program.opts<{ webhookSigning: 'casapay' | 'standard' | 'both' }>().webhookSigning,
    defects: opts.defect,
    variants: opts.variant,
    faults: faultsFromCli(program.opts()),
    journalLimit: program.opts<{ journalSize: number }>().journalSize,
    journalMaxBytes: program.opts<{ journalMaxBytes: number }>().journalMaxBytes,
    webhookConcurrency: program.opts<{ webhookConcurrency: number }>().webhookConcurrency,
    webhookMaxOpen: program.opts<{ webhookMaxOpen: number }>().webhookMaxOpen,
    adminToken,
    maxAccounts: program.opts<{ maxAccounts?: number }>().maxAccounts,
    maxObjects: program.opts<{ maxObjects?: number }>().maxObjects,
    maxEvents: program.opts<{ maxEvents?: number }>().maxEvents,
    maxIdempotencyKeys: program.opts<{ maxIdempotencyKeys?: number }>().maxIdempotencyKeys,
    blockPrivateWebhooks: privateWebhooks(
      program.opts<{ blockPrivateWebhooks?: boolean; allowPrivateWebhooks?: boolean }>(),
    ),
    contract,
    dataDir: program.opts<{ dataDir?: string }>().dataDir || undefined,
    databaseUrl: program.opts<{ databaseUrl?: string }>().databaseUrl || undefined,
    durability: program.opts<{ durability?: 'normal' | 'full' }>().durability,
  }).catch((error: Error & { code?: string }) => {
    console.error(
      error.code === 'EADDRINUSE'
        ? `casapay-mock: port ${port.port}${port.from === 'PORT' || port.from === 'CASAPAY_MOCK_PORT' ? ` (from ${port.from})` : ''} is already in use on ${opts.host}; pick another with --port.`
        : `casapay-mock: ${error.message}`,
    );
    process.exit(1);
  });

  const shared = !isLoopbackHost(opts.host);
  const extras = [
    port.from === 'PORT' && 'port from PORT',
    opts.seed && `seed ${opts.seed}`,
    opts.scenario && `scenario ${opts.scenario}`,
    opts.defect?.length && `DEFECTS ${opts.defect.join(',')}`,
    opts.variant?.length && `variants ${opts.variant.join(',')}`,
    shared &&
      `shared on ${opts.host}: the console and /__admin need the admin token${generated ? ` ${adminToken}` : ''}`,
    mock.sandbox.store.maxAccounts !== undefined &&
      `at most ${mock.sandbox.store.maxAccounts} accounts, least recently used evicted`,
    perAccountLimits(mock.sandbox.options),
    mock.sandbox.persistence.durable && `state kept in ${mock.sandbox.persistence.store.kind}`,
    mock.sandbox.webhookGuard.blocking
      ? 'webhooks only to public addresses'
      : shared && 'webhooks to ANY address (--allow-private-webhooks)',
  ].filter(Boolean);
  console.log(
    `CasaPay mock listening on ${mock.url}${extras.length ? ` (${extras.join(', ')})` : ''} — try: curl ${mock.url}/v1/collection_cases -H "Authorization: Bearer sk_test_123"`,
  );
  console.log(
    `Debitura's Referral-Partner API on ${mock.url}/debitura/referral (XApiKey), Customer API on ${mock.url}/debitura/customer (Bearer token from /oauth/token)`,
  );

  // Last resort, once listening: an error nothing caught (a bug) is reported and the mock keeps
  // serving, rather than one request taking a shared sandbox down. Handlers validate before they
  // change state, so what such an error interrupts has changed nothing. See DECISIONS.md.
  process.on('uncaughtException', (error) => reportUnexpected('uncaught exception', error));
  process.on('unhandledRejection', (error) => reportUnexpected('unhandled rejection', error));

  // SIGTERM/SIGINT: stop accepting, let requests and webhook attempts in flight finish (up to 5 s),
  // then exit 0 — also when stdout is gone (its errors are ignored above). A second signal exits at once.
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) process.exit(1);
      closing = true;
      if (logLevel !== 'silent')
        console.log(
          `casapay-mock: ${signal}, finishing requests in flight (up to ${SHUTDOWN_GRACE_MS / 1000} s), then shutting down`,
        );
      mock.close({ graceMs: SHUTDOWN_GRACE_MS }).then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(
            `casapay-mock: shutting down failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          process.exit(1);
        },
      );
    });
  }
}

function reportUnexpected(kind: string, error: unknown): void {
  try {
    console.error(`casapay-mock: ${kind} (a bug; please report it), still serving:`, error);
  } catch {
    // stderr is gone too: nothing left to tell.
  }
}

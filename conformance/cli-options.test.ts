import { describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, DEBITURA_CAPABILITIES, capabilityOfTitle, selectCapabilities } from './capabilities.js';
import { parseCliOptions } from './cli-options.js';
import { DEFAULT_OPTIONS } from './options.js';

const quiet = (p: import('commander').Command) =>
  p.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });

describe('parseCliOptions', () => {
  const cases: [string, string[], Partial<ReturnType<typeof parseCliOptions>>][] = [
    [
      'defaults: the bundled mock, every capability',
      [],
      {
        api: 'casapay',
        baseUrl: undefined,
        apiKey: DEFAULT_OPTIONS.apiKey,
        secondApiKey: DEFAULT_OPTIONS.secondApiKey,
        capabilities: ALL_CAPABILITIES,
        webhookHost: '127.0.0.1',
        webhookPort: 0,
        webhookWaitMs: 5000,
        reportDir: 'reports/conformance',
        timeoutMs: 10_000,
        bail: false,
        seed: DEFAULT_OPTIONS.seed,
        negativeRuns: 40,
      },
    ],
    [
      'a base URL loses its trailing slash',
      ['--base-url', 'http://127.0.0.1:4010/'],
      { baseUrl: 'http://127.0.0.1:4010' },
    ],
    [
      'keys',
      ['--api-key', 'sk_test_x', '--second-api-key', 'sk_test_y'],
      { apiKey: 'sk_test_x', secondApiKey: 'sk_test_y' },
    ],
    [
      '--capabilities keeps the canonical order',
      ['--capabilities', 'webhooks, core'],
      { capabilities: ['core', 'webhooks'] },
    ],
    [
      '--skip removes from all',
      ['--skip', 'files,negative'],
      { capabilities: ALL_CAPABILITIES.filter((c) => c !== 'files' && c !== 'negative') },
    ],
    [
      '--capabilities and --skip combine',
      ['--capabilities', 'core,auth', '--skip', 'auth'],
      { capabilities: ['core'] },
    ],
    [
      'webhook receiver',
      ['--webhook-host', '0.0.0.0', '--webhook-port', '8123', '--webhook-wait', '900'],
      { webhookHost: '0.0.0.0', webhookPort: 8123, webhookWaitMs: 900 },
    ],
    [
      'report dir, timeout, bail, seed',
      ['--report-dir', 'out', '--timeout', '2500', '--bail', '--seed', '7', '--negative-runs', '5'],
      { reportDir: 'out', timeoutMs: 2500, bail: true, seed: 7, negativeRuns: 5 },
    ],
    ['--no-report', ['--no-report'], { reportDir: null }],
    [
      '--api debitura alone: the bundled mock, every debitura capability',
      ['--api', 'debitura'],
      {
        api: 'debitura',
        baseUrl: undefined,
        referralUrl: undefined,
        customerUrl: undefined,
        adminUrl: undefined,
        capabilities: DEBITURA_CAPABILITIES,
      },
    ],
    [
      '--api debitura with the two URLs and a clock (trailing slashes dropped)',
      [
        '--api',
        'debitura',
        '--referral-url',
        'https://referral.example.com/',
        '--customer-url',
        'https://customer.example.com',
        '--admin-url',
        'https://referral.example.com/__admin/',
        '--api-key',
        'partner-key',
      ],
      {
        api: 'debitura',
        referralUrl: 'https://referral.example.com',
        customerUrl: 'https://customer.example.com',
        adminUrl: 'https://referral.example.com/__admin',
        apiKey: 'partner-key',
      },
    ],
    [
      '--api debitura selects and skips its own capabilities',
      ['--api', 'debitura', '--capabilities', 'debitura-webhooks,debitura-flow', '--skip', 'debitura-webhooks'],
      { capabilities: ['debitura-flow'] },
    ],
  ];
  it.each(cases)('%s', (_name, argv, want) => {
    expect(parseCliOptions(argv, quiet)).toMatchObject(want);
  });

  it('--version and -v print the package version', async () => {
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
    for (const flag of ['--version', '-v']) {
      let out = '';
      expect(() =>
        parseCliOptions([flag], (p) => p.exitOverride().configureOutput({ writeOut: (text) => void (out += text) })),
      ).toThrow(expect.objectContaining({ code: 'commander.version' }));
      expect(out.trim()).toBe(version);
    }
  });

  const bad: [string, string[]][] = [
    ['an unknown capability', ['--capabilities', 'core,teleport']],
    ['a relative base URL', ['--base-url', 'localhost:4010']],
    ['a non-http base URL', ['--base-url', 'ftp://example.com']],
    ['a port out of range', ['--webhook-port', '70000']],
    ['a non-numeric timeout', ['--timeout', 'soon']],
    ['an unknown option', ['--colour']],
    ['an unknown --api', ['--api', 'soap']],
    ['a debitura capability without --api debitura', ['--capabilities', 'debitura-flow']],
    ['a CasaPay capability with --api debitura', ['--api', 'debitura', '--capabilities', 'core']],
    ['--referral-url without --api debitura', ['--referral-url', 'http://127.0.0.1:4010/debitura/referral']],
    [
      'only one of the two Debitura URLs',
      ['--api', 'debitura', '--referral-url', 'http://127.0.0.1:4010/debitura/referral'],
    ],
    ['--base-url with --api debitura', ['--api', 'debitura', '--base-url', 'http://127.0.0.1:4010']],
  ];
  it.each(bad)('refuses %s', (_name, argv) => {
    expect(() => parseCliOptions(argv, quiet)).toThrow();
  });
});

describe('capabilities', () => {
  it.each([
    ['[core] collection cases', 'core'],
    ['[webhooks] deliveries', 'webhooks'],
    ['[debitura-flow] the two-API flow', 'debitura-flow'],
    ['[nope] x', undefined],
    ['core without brackets', undefined],
  ])('capabilityOfTitle(%s) = %s', (title, want) => {
    expect(capabilityOfTitle(title)).toBe(want);
  });

  it('selects all by default and refuses unknown names', () => {
    expect(selectCapabilities(undefined)).toEqual(ALL_CAPABILITIES);
    expect(() => selectCapabilities(undefined, ['bogus'])).toThrow(/Unknown capability: bogus/);
    expect(selectCapabilities(undefined, [], 'debitura')).toEqual(DEBITURA_CAPABILITIES);
    expect(() => selectCapabilities(['webhooks'], [], 'debitura')).toThrow(
      /Unknown capability for --api debitura: webhooks/,
    );
  });
});

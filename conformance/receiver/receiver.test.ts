// The receiver kit proved both ways: correct receivers pass (on node:crypto alone, for each signing
// scheme; on the standardwebhooks package; in Python's standard library when python3 is here), and a
// receiver with one deliberate defect fails exactly the check meant for it — nothing else.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledContract } from '../../kit/contract.js';
import { createMockServer, type MockServer } from '../../mocks/server.js';
import { RECEIVER_CHECKS } from './checks.js';
import {
  RECEIVER_DEFECTS,
  startReferenceReceiver,
  type ReceiverDefect,
  type ReferenceReceiverOptions,
} from './fixtures/reference-receiver.js';
import { runReceiver, type ReceiverRunOptions } from './run.js';
import { SCHEMES } from './schemes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const casapayTypes = Object.keys(loadBundledContract('casapay.json').document.webhooks);
const debituraTypes = Object.keys(loadBundledContract('debitura-referral.json').document.webhooks);
const CASAPAY_FIELDS = [
  'id',
  'object',
  'type',
  'api_version',
  'created',
  'livemode',
  'data',
  'request',
  'pending_webhooks',
];
const DEBITURA_FIELDS = ['id', 'event', 'timestamp', 'data'];

const receiverFor = (
  scheme: ReferenceReceiverOptions['scheme'],
  secret: string,
  extra: Partial<ReferenceReceiverOptions> = {},
) =>
  startReferenceReceiver({
    scheme,
    secret,
    knownTypes: scheme === 'debitura' ? debituraTypes : casapayTypes,
    knownFields: scheme === 'debitura' ? DEBITURA_FIELDS : CASAPAY_FIELDS,
    ...extra,
  });

/** Kit options sized for tests: the latency budget generous, the effects wait short. */
const grade = (url: string, secret: string, extra: Partial<ReceiverRunOptions> = {}) =>
  runReceiver({
    url,
    secret,
    api: 'casapay',
    signing: 'casapay',
    maxLatencyMs: 3000,
    timeoutMs: 5000,
    effectsWaitMs: 600,
    concurrency: 6,
    reportDir: null,
    write: () => undefined,
    ...extra,
  });

const failedRules = (result: Awaited<ReturnType<typeof runReceiver>>['result']) =>
  result.failures.map((f) => f.rule).sort();
const states = (result: Awaited<ReturnType<typeof runReceiver>>['result']) =>
  Object.fromEntries(result.checks.map((c) => [c.name, c.state]));

describe('correct receivers pass', () => {
  it.each([
    ['casapay', SCHEMES.casapay.randomSecret()],
    ['standard', SCHEMES.standard.randomSecret()],
    ['debitura', SCHEMES.debitura.randomSecret()],
  ] as const)(
    'a node:crypto receiver verifying %s signatures passes every check, effects included',
    async (scheme, secret) => {
      const receiver = await receiverFor(scheme, secret);
      try {
        const { result } = await grade(receiver.url, secret, {
          api: scheme === 'debitura' ? 'debitura' : 'casapay',
          signing: scheme,
          effectsUrl: receiver.effectsUrl,
        });
        expect(result.failures).toEqual([]);
        expect(result.checks.map((c) => c.state)).toEqual(RECEIVER_CHECKS.map(() => 'passed'));
      } finally {
        await receiver.close();
      }
    },
  );

  it('without a way to observe effects, the effects checks are skipped with the reason, never passed', async () => {
    const secret = SCHEMES.casapay.randomSecret();
    const receiver = await receiverFor('casapay', secret);
    try {
      const { result } = await grade(receiver.url, secret);
      expect(result.verdict).toBe('pass');
      const effects = result.checks.filter((c) => c.capability === 'effects');
      expect(effects.map((c) => c.state)).toEqual(['skipped', 'skipped', 'skipped']);
      expect(effects[0]!.skipReason).toMatch(/^not observable: pass --effects-url/);
      expect(result.capabilities.effects).toMatchObject({ passed: 0, skipped: 3 });
    } finally {
      await receiver.close();
    }
  });

  it('a receiver on the standardwebhooks package passes with --signing standard', async () => {
    const secret = SCHEMES.standard.randomSecret();
    const wh = new Webhook(secret);
    const applied: string[] = [];
    const seen = new Set<string>();
    const server = http.createServer((req, res) => {
      if (req.method === 'GET')
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ applied }));
      const chunks: Buffer[] = [];
      req
        .on('data', (c: Buffer) => chunks.push(c))
        .on('end', () => {
          let event: { id: string; type: string };
          try {
            event = wh.verify(
              Buffer.concat(chunks).toString('utf8'),
              req.headers as Record<string, string>,
            ) as typeof event;
          } catch {
            return void res.writeHead(400).end();
          }
          res.writeHead(204).end();
          if (casapayTypes.includes(event.type) && !seen.has(event.id)) {
            seen.add(event.id);
            applied.push(event.id);
          }
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { result } = await grade(`${base}/hooks`, secret, { signing: 'standard', effectsUrl: `${base}/effects` });
      expect(result.failures).toEqual([]);
      expect(result.checks.every((c) => c.state === 'passed')).toBe(true);
    } finally {
      server.close();
    }
  });

  describe("--observe-mock: effects counted from the mock's journal", () => {
    let mock: MockServer;
    beforeAll(async () => {
      mock = await createMockServer({ port: 0, logLevel: 'silent' });
    });
    afterAll(() => mock.close());

    it("a receiver that retrieves each event's case from the mock passes; one that applies retries again fails the duplicate check", async () => {
      const secret = SCHEMES.casapay.randomSecret();
      for (const [defect, expected] of [
        [undefined, []],
        ['no-dedupe', ['receiver.duplicate-applied-once']],
      ] as const) {
        const receiver = await receiverFor('casapay', secret, {
          defect,
          callback: { mockUrl: mock.url, apiKey: 'sk_test_receiver_callbacks' },
        });
        try {
          const { result } = await grade(receiver.url, secret, { observeMock: mock.url });
          expect(failedRules(result), defect ?? 'correct').toEqual(expected);
          expect(result.checks.filter((c) => c.capability === 'effects' && c.state === 'skipped')).toEqual([]);
        } finally {
          await receiver.close();
        }
      }
    });

    it("works for Debitura receivers too: each case retrieved from the mock's Referral API once per event", async () => {
      const secret = SCHEMES.debitura.randomSecret();
      const receiver = await receiverFor('debitura', secret, {
        callback: { mockUrl: mock.url, apiKey: 'receiver-callbacks-partner' },
      });
      try {
        const { result } = await grade(receiver.url, secret, {
          api: 'debitura',
          signing: 'debitura',
          observeMock: mock.url,
        });
        expect(result.failures).toEqual([]);
        expect(result.capabilities.effects).toMatchObject({ passed: 3, skipped: 0 });
      } finally {
        await receiver.close();
      }
    });

    it('a receiver that never calls the mock leaves the effects checks skipped, not passed', async () => {
      const secret = SCHEMES.casapay.randomSecret();
      const receiver = await receiverFor('casapay', secret);
      try {
        const { result } = await grade(receiver.url, secret, { observeMock: mock.url });
        expect(result.checks.filter((c) => c.capability === 'effects').map((c) => c.state)).toEqual([
          'skipped',
          'skipped',
          'skipped',
        ]);
        expect(result.capabilities.effects!.skipReasons[0]).toMatch(/holds no request naming any delivered object/);
      } finally {
        await receiver.close();
      }
    });
  });

  const python = spawnSync('python3', ['--version']).status === 0;
  it.skipIf(!python)("a receiver in Python's standard library passes (skipped when python3 is absent)", async () => {
    const secret = SCHEMES.casapay.randomSecret();
    const child: ChildProcess = spawn('python3', [path.join(here, 'fixtures', 'receiver.py'), secret], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout!.once('data', (chunk: Buffer) => resolve(Number(/port (\d+)/.exec(chunk.toString())?.[1])));
        child.once('exit', (code) => reject(new Error(`receiver.py exited with ${code}`)));
      });
      const { result } = await grade(`http://127.0.0.1:${port}/webhooks`, secret, {
        effectsUrl: `http://127.0.0.1:${port}/effects`,
      });
      expect(result.failures).toEqual([]);
      expect(result.checks.every((c) => c.state === 'passed')).toBe(true);
    } finally {
      child.kill();
    }
  });
});

/** Each defect and the rules it must fail — exactly these, every other check passing. */
const DEFECT_TABLE: Array<[ReceiverDefect, string[]]> = [
  ['slow', ['receiver.accepts-valid']],
  ['accepts-missing-signature', ['receiver.rejects-missing-signature']],
  ['fail-open-on-malformed', ['receiver.rejects-malformed-signature']],
  ['trims-body', ['receiver.rejects-changed-body']],
  ['accepts-secret-in-either-form', ['receiver.rejects-wrong-secret']],
  // Without a tolerance an old delivery of a known event is accepted too: the replay check fails with it.
  ['no-tolerance', ['receiver.rejects-replay', 'receiver.rejects-stale-timestamp']],
  ['dedupes-before-verifying', ['receiver.rejects-replay']],
  ['checks-first-signature-only', ['receiver.accepts-rotated-signatures']],
  // Re-serializing normalises too: the signed JSON with a space appended verifies after parsing.
  ['reserializes-json', ['receiver.rejects-changed-body', 'receiver.verifies-raw-bytes']],
  ['refuses-unknown-types', ['receiver.accepts-unknown-event-type']],
  ['refuses-unknown-fields', ['receiver.accepts-unknown-fields']],
  ['refuses-out-of-order', ['receiver.accepts-out-of-order']],
  ['one-at-a-time', ['receiver.accepts-concurrent']],
  ['refuses-duplicates', ['receiver.accepts-duplicate']],
  ['no-dedupe', ['receiver.duplicate-applied-once']],
  ['drops-updates', ['receiver.each-event-applied-once']],
  ['applies-before-verifying', ['receiver.rejected-not-applied']],
];

describe('a defective receiver fails exactly the check named for it', () => {
  it('the table covers every defect and every check', () => {
    expect(DEFECT_TABLE.map(([d]) => d).sort()).toEqual([...RECEIVER_DEFECTS].sort());
    expect([...new Set(DEFECT_TABLE.flatMap(([, rules]) => rules))].sort()).toEqual(
      RECEIVER_CHECKS.map((c) => c.rule).sort(),
    );
  });

  it.each(DEFECT_TABLE)('%s → %j', async (defect, rules) => {
    const secret = SCHEMES.casapay.randomSecret();
    const slow = defect === 'slow';
    // `slow` always takes longer than the budget; `one-at-a-time` stays busy long enough for deliveries sent together to overlap.
    const receiver = await receiverFor('casapay', secret, { defect, workMs: slow ? 120 : 100 });
    try {
      const { result } = await grade(receiver.url, secret, {
        effectsUrl: receiver.effectsUrl,
        ...(slow ? { maxLatencyMs: 60 } : {}),
      });
      expect(failedRules(result)).toEqual(rules);
      expect(result.verdict).toBe('fail');
      expect(Object.values(states(result)).filter((s) => s === 'skipped')).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it.each(['standard', 'debitura'] as const)(
    'the signature defects are caught under %s signing too',
    async (scheme) => {
      for (const [defect, rules] of DEFECT_TABLE.filter(([, r]) =>
        r.some((rule) => /rejects-(changed-body|wrong-secret|malformed|missing)|rotated|raw-bytes/.test(rule)),
      )) {
        const secret = SCHEMES[scheme].randomSecret();
        const receiver = await receiverFor(scheme, secret, { defect });
        try {
          const { result } = await grade(receiver.url, secret, {
            api: scheme === 'debitura' ? 'debitura' : 'casapay',
            signing: scheme,
            effectsUrl: receiver.effectsUrl,
          });
          expect(failedRules(result), defect).toEqual(rules);
        } finally {
          await receiver.close();
        }
      }
    },
  );
});

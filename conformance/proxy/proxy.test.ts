// The proxy in front of the bundled mock: the README's flows and the docs' quickstarts give a clean
// report; the mock started with each defect that changes the wire gives a report naming the broken rule
// for the right operation; a recording of the session replays against a fresh mock with the same
// statuses and shapes; nothing written holds a secret.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CASAPAY_DEFECTS,
  createMockServer,
  loadCasaPayScenarios,
  type CasaPayDefectName,
  type MockServer,
} from '../../mocks/server.js';
import { proxyOptions, sendEverydayFlow, sendQuickstarts } from './fixtures/flows.js';
import { replayRecording } from './replay.js';
import { startProxy } from './run.js';

const DOCS_KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';
const FLOW_KEY = 'sk_test_proxy_flow_key_0001';

const countCases = async (url: string, key: string): Promise<number> => {
  let count = 0;
  let after: string | undefined;
  for (;;) {
    const page = (await (
      await fetch(`${url}/v1/collection_cases?limit=100${after ? `&starting_after=${after}` : ''}`, {
        headers: { authorization: `Bearer ${key}` },
      })
    ).json()) as { data: Array<{ id: string }>; has_more: boolean };
    count += page.data.length;
    if (!page.has_more) return count;
    after = page.data.at(-1)!.id;
  }
};
const tmp = () => mkdtempSync(path.join(tmpdir(), 'casapay-proxy-'));
const mockWith = (defects: CasaPayDefectName[] = [], variants: string[] = []) =>
  createMockServer({ port: 0, logLevel: 'silent', seed: 'proxy', defects, variants } as Parameters<
    typeof createMockServer
  >[0]);

describe('the README flows and the docs quickstarts through the proxy, in front of the mock', () => {
  let mock: MockServer;
  let replayTarget: MockServer;
  const dir = tmp();
  const recording = path.join(dir, 'quickstarts.yaml');
  let outcome: Awaited<ReturnType<Awaited<ReturnType<typeof startProxy>>['stop']>>;
  let lines: string[];
  let sessionResult: ReturnType<Awaited<ReturnType<typeof startProxy>>['session']['result']>;

  beforeAll(async () => {
    mock = await mockWith();
    replayTarget = await mockWith();
    lines = [];
    const proxy = await startProxy(
      proxyOptions(mock.url, { reportDir: dir, record: recording, write: (l) => lines.push(l) }),
    );
    const quick = await sendQuickstarts(proxy.url);
    const everyday = await sendEverydayFlow(proxy.url, FLOW_KEY);
    expect(quick.every((r) => r.status < 300)).toBe(true);
    expect(everyday.map((r) => r.status)).toContain(404);
    outcome = await proxy.stop();
    sessionResult = proxy.session.result(0);
  });
  afterAll(async () => {
    await mock.close();
    await replayTarget.close();
  });

  it('reports clean: verdict pass, no error group, exit code 0, no live error line', () => {
    expect(sessionResult.proxy.groups.filter((g) => g.severity === 'error')).toEqual([]);
    expect(outcome.verdict).toBe('pass');
    expect(outcome.exitCode).toBe(0);
    expect(lines.filter((l) => l.includes('✗'))).toEqual([]);
  });

  it("writes the suite's three reports, grouped by operation, with the coverage the traffic exercised", () => {
    const json = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(json.schemaVersion).toBe(1);
    expect(json.verdict).toBe('pass');
    expect(Object.keys(json.capabilities)).toEqual(expect.arrayContaining(['createCollectionCase', 'uploadCaseFile']));
    expect(json.proxy.exchanges).toBeGreaterThan(20);
    const create = json.coverage.find((row: { operationId: string }) => row.operationId === 'createCollectionCase');
    expect(create.statuses.find((s: { status: string }) => s.status === '201').hits).toBeGreaterThanOrEqual(3);
    expect(readFileSync(path.join(dir, 'junit.xml'), 'utf8')).toContain('<testsuite name="createCollectionCase"');
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain('createCollectionCase');
  });

  it('writes no secret: no key, no whsec_ secret in the reports or the recording', () => {
    for (const file of ['report.json', 'report.html', 'junit.xml', 'quickstarts.yaml']) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      expect(text, file).not.toContain(DOCS_KEY);
      expect(text, file).not.toContain(FLOW_KEY);
      expect(text, file).not.toMatch(/whsec_(?!\[redacted\])/);
      expect(text, file).not.toMatch(/Bearer sk_(test|live)_[A-Za-z0-9]/);
    }
  });

  it('records a scenario whose later steps refer to earlier answers, and replays it on a fresh mock with the same statuses and shapes', async () => {
    const text = readFileSync(recording, 'utf8');
    // It is a scenario in the mock's own format: the mock's loader accepts it as it accepts its own files.
    const folder = tmp();
    copyFileSync(recording, path.join(folder, 'quickstarts.yaml'));
    expect(loadCasaPayScenarios(folder).get('quickstarts')?.steps.length).toBeGreaterThan(20);
    expect(text).toMatch(/request: GET \/v1\/collection_cases\/\$\{collection_case_\d+\.id\}/);
    expect(text).toContain('Idempotency-Key: ${run}-1');
    const printed: string[] = [];
    const replay = await replayRecording({
      file: recording,
      targetUrl: replayTarget.url,
      apiKey: DOCS_KEY,
      api: 'casapay',
      timeoutMs: 10_000,
      write: (l) => printed.push(l),
    });
    expect(replay.failed, printed.join('\n')).toBe(0);
    expect(replay.steps.length).toBeGreaterThan(20);
    expect(printed.at(-1)).toMatch(/the same statuses and shapes/);
  });

  it("the mock's own scenario runner applies the recording to an account (its pauses run at once here)", async () => {
    const folder = tmp();
    copyFileSync(recording, path.join(folder, 'quickstarts.yaml'));
    const scenario = loadCasaPayScenarios(folder).get('quickstarts')!;
    for (const step of scenario.steps) delete step.after;
    const before = await countCases(replayTarget.url, DOCS_KEY);
    replayTarget.apis.casapay.applyScenario(replayTarget.sandbox.account(DOCS_KEY), scenario);
    // The quickstart's and the everyday flow's creates (four, the idempotent retry included: the runner has no HTTP layer).
    expect((await countCases(replayTarget.url, DOCS_KEY)) - before).toBe(4);
  });
});

/**
 * Every CasaPay defect: the rule the proxy names and the operation it names it for, or why the wire of
 * single exchanges cannot show it (a behaviour across requests, or an upload the flows do not send).
 */
const DEFECT_TABLE: Record<CasaPayDefectName, { operation: string; rule: string } | { invisible: string }> = {
  'missing-required-field': { operation: 'createCollectionCase', rule: 'body-schema' },
  'wrong-type': { operation: 'createCollectionCase', rule: 'body-schema' },
  'wrong-status-code': { operation: 'createCollectionCase', rule: 'status-declared' },
  'idempotency-ignored': { operation: 'createCollectionCase', rule: 'idempotent-replay' },
  'flat-error-body': { operation: 'retrieveCollectionCase', rule: 'error-envelope' },
  'auth-ignored': { operation: 'listCollectionCases', rule: 'request-authorization-missing' },
  'has-more-wrong': { invisible: 'a wrong has_more is a valid boolean; only walking the pages shows it' },
  'filter-ignored': { invisible: 'a list that ignores a filter is still a valid list' },
  'cursor-ignored': { invisible: 'a page that ignores a cursor is still a valid page' },
  '500-on-bad-input': { invisible: 'the flows send no bad input (the request is then reported as the client’s)' },
  'unsigned-webhook': { invisible: 'deliveries do not cross the API proxy' },
  'mis-signed-webhook': { invisible: 'deliveries do not cross the API proxy' },
  'stale-webhook-timestamp': { invisible: 'deliveries do not cross the API proxy' },
  'missing-event': { invisible: 'a missing event is an absence across requests' },
  'remainder-not-updated': { invisible: 'a stale remainder is a valid number' },
  'cross-account-leak': { invisible: 'another account’s object is a valid object' },
  'file-limit-ignored': { invisible: 'the flows upload no 25 MB file' },
};

describe('the mock started with each defect that changes the wire: the report names the rule for the operation', () => {
  it('has a row for every defect of the mock', () => {
    expect(Object.keys(DEFECT_TABLE).sort()).toEqual(Object.keys(CASAPAY_DEFECTS).sort());
  });

  const visible = Object.entries(DEFECT_TABLE).flatMap(([defect, row]) =>
    'rule' in row ? [[defect as CasaPayDefectName, row] as const] : [],
  );
  it.each(visible)('--defect %s → %o', async (defect, { operation, rule }) => {
    const mock = await mockWith([defect]);
    try {
      const proxy = await startProxy(proxyOptions(mock.url));
      await sendEverydayFlow(proxy.url, `sk_test_proxy_${defect.replace(/-/g, '_')}`).catch(() => undefined);
      const outcome = await proxy.stop();
      const errors = proxy.session.findingGroups().filter((g) => g.severity === 'error');
      expect(
        errors.map((g) => `${g.operationId} ${g.rule}`),
        JSON.stringify(errors.map((g) => g.messages)),
      ).toContain(`${operation} ${rule}`);
      expect(outcome.exitCode).toBe(1);
    } finally {
      await mock.close();
    }
  });
});

describe('--api debitura: both APIs behind one proxy (the mock under /debitura)', () => {
  it('the docs’ flow (token, case, partner list) is clean; an undeclared route is named', async () => {
    const mock = await mockWith();
    try {
      const proxy = await startProxy(proxyOptions(`${mock.url}/debitura`, { api: 'debitura' }));
      const key = { XApiKey: 'YOUR_API_KEY', 'content-type': 'application/json' };
      const token = (await (
        await fetch(`${proxy.url}/referral/oauth/token`, {
          method: 'POST',
          headers: key,
          body: JSON.stringify({ externalTenantId: 'your-client-id' }),
        })
      ).json()) as { accessToken: string };
      const created = await fetch(`${proxy.url}/customer/cases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          currencyCode: 'EUR',
          amountToRecover: 5000,
          date: '2025-06-01',
          dueDate: '2025-07-01',
          claimDescription: 'Invoice INV-2025-001',
          debtor: {
            type: 'Company',
            name: 'Debtor GmbH',
            address: 'Hauptstrasse 10',
            city: 'Munich',
            zipCode: '80331',
            countryAlpha2: 'DE',
          },
        }),
      });
      expect(created.status).toBe(200);
      await (await fetch(`${proxy.url}/referral/cases?Page=1&PageSize=20`, { headers: key })).text();
      await (await fetch(`${proxy.url}/referral/nowhere`, { headers: key })).text();
      await proxy.stop();
      const groups = proxy.session.findingGroups().filter((g) => g.severity === 'error');
      expect(groups.map((g) => `${g.operationId} ${g.rule}`)).toEqual(['null operation-declared']);
      expect(proxy.session.section().operations.map((o) => o.operationId)).toEqual(
        expect.arrayContaining(['mintToken', 'createCase', 'listPartnerCases']),
      );
    } finally {
      await mock.close();
    }
  });
});

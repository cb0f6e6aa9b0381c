// Each Debitura scenario, driven through HTTP: its `send` requests sent verbatim (tokens minted for
// their `client`), the mock's clock moved with POST /__admin/clock, and the exact sequence of case
// webhooks a real local receiver got on the partner's subscription — every delivery's signature
// verified with verifyDebituraSignature, every payload valid against the contract's `webhooks` schema.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeErrors, loadBundledContract } from '../../../kit/contract.js';
import { startMock, type TestMock } from '../../test-support.js';
import { createMockEngine } from '../../server.js';
import { loadDebituraScenarios, type DebituraScenario, type DebituraScenarioRequest } from './scenarios.js';
import { verifyDebituraSignature } from '../../../kit/debitura-webhook-signature.js';

const referral = loadBundledContract('debitura-referral.json');
const scenarios = loadDebituraScenarios();
const KEY = 'partner_scenario_tests';
const DAY = 86_400;

interface Delivery {
  raw: string;
  signature: string;
  event: {
    id: string;
    event: string;
    data: { caseId: string; status: string; externalTenantId?: string; oldLifecycle?: string; newLifecycle?: string };
  };
}

let mock: TestMock;
let receiver: http.Server;
let receiverUrl: string;
/** Deliveries by the path they were sent to (one path per test's subscription). */
const received = new Map<string, Delivery[]>();

beforeAll(async () => {
  mock = await startMock();
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const list = received.get(req.url!) ?? [];
      list.push({ raw, signature: String(req.headers['x-debitura-signature']), event: JSON.parse(raw) });
      received.set(req.url!, list);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await mock.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

/** One session of a scenario: its own account, a partner subscription to every case event, and a way to send its requests. */
async function session(name: string, id: string) {
  const scenario = scenarios.get(name)!;
  const header = `${name}:${id}`;
  const path = `/hooks/${name}/${id}`;
  const send = async (
    method: string,
    url: string,
    { body, client, headers = {} }: { body?: unknown; client?: string; headers?: Record<string, string> } = {},
  ) => {
    const auth: Record<string, string> = client
      ? { authorization: `Bearer ${await token(client)}` }
      : { xapikey: KEY, 'x-mock-scenario': header };
    const response = await fetch(`${mock.url}${url}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
  };
  const token = async (externalTenantId: string) => {
    const minted = await send('POST', '/debitura/referral/oauth/token', { body: { externalTenantId } });
    expect(minted.status, JSON.stringify(minted.body)).toBe(200);
    return minted.body.accessToken as string;
  };
  // The first request opens (and seeds) the account: the partner subscribes to every case event.
  const subscription = await send('POST', '/debitura/referral/webhooks', {
    body: { url: `${receiverUrl}${path}`, events: ['case.created', 'case.updated', 'case.closed'] },
  });
  expect(subscription.status).toBe(201);
  const secret = subscription.body.secret as string;

  return {
    scenario,
    send,
    /** Sends the scenario's `send` requests as written, each answering its `expect`; returns the answers. */
    async sendAll(requests: DebituraScenarioRequest[] = scenario.send ?? []) {
      const answers = [];
      for (const r of requests) {
        const [method, url] = r.request.split(' ') as [string, string];
        const answer = await send(method, url, { body: r.body, client: r.client });
        expect(answer.status, `${r.request}: ${JSON.stringify(answer.body)}`).toBe(r.expect);
        answers.push(answer.body);
      }
      return answers;
    },
    /** Waits for `labels.length` deliveries (and a moment for any extra), checks each, and returns `event:status` labels. */
    async webhooks(count: number): Promise<string[]> {
      const deadline = Date.now() + 5000;
      while ((received.get(path)?.length ?? 0) < count && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 150));
      const deliveries = received.get(path) ?? [];
      for (const d of deliveries) {
        expect(verifyDebituraSignature(d.raw, d.signature, secret)).toBe(true);
        const validate = referral.webhookValidator(d.event.event)!;
        expect(validate, `no webhooks schema for ${d.event.event}`).toBeDefined();
        expect(validate(d.event), `${d.event.event}: ${describeErrors(validate.errors)}`).toBe(true);
      }
      return deliveries.map((d) => `${d.event.event}:${d.event.data.status}`);
    },
  };
}

const advance = async (seconds: number) => {
  const response = await fetch(`${mock.url}/__admin/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ shift_seconds: seconds }),
  });
  expect(response.status).toBe(200);
};

describe('Debitura scenario files', () => {
  it('are the four documented ones, each with what to send', () => {
    expect([...scenarios.keys()]).toEqual([
      'debitura-client-not-linked',
      'debitura-missing-kyc',
      'debitura-onboarding-uncovered',
      'debitura-unsigned-contract',
    ]);
    for (const s of scenarios.values()) expect(s.send?.length, s.name).toBeGreaterThan(0);
  });

  it("an unknown X-Mock-Scenario on a Debitura request is a 400 in Debitura's error shape", async () => {
    const response = await fetch(`${mock.url}/debitura/referral/clients`, {
      headers: { xapikey: KEY, 'x-mock-scenario': 'paid-in-full' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'parameter_invalid',
      message: expect.stringContaining("no Debitura scenario named 'paid-in-full'"),
    });
  });
});

describe('debitura-unsigned-contract', () => {
  it('422 without allowPendingContracts, PendingContractSigning with it; signed after 15 minutes, Active a business day later', async () => {
    const s = await session('debitura-unsigned-contract', 'a');
    const [refused, created] = await s.sendAll();
    expect(refused.businessErrors.map((e: { type: string }) => e.type)).toEqual([
      'PendingContractSigning',
      'MissingDebtCollectionContract',
      'MissingPowerOfAttorney',
    ]);
    expect(created).toMatchObject({
      lifecycle: 'PendingContractSigning',
      signingHandoff: {
        combinedSigningUrl:
          'https://app.debitura.com/Signing/PendingContracts?returnUrl=https%3A%2F%2Fapp.example.com%2Fdebitura%2Fdone',
      },
    });
    expect(await s.webhooks(1)).toEqual(['case.created:PendingContractSigning']);

    await advance(14 * 60);
    expect(
      (await s.send('GET', `/debitura/customer/cases/${created.id}`, { client: 'unsigned-client' })).body.lifecycle,
    ).toBe('PendingContractSigning');
    await advance(60);
    const signed = (await s.send('GET', '/debitura/referral/clients/unsigned-client')).body;
    expect(signed).toMatchObject({
      onboardingStatus: 'Completed',
      contracts: { debtCollectionAgreement: 'Signed', powerOfAttorney: 'Signed' },
    });
    expect(
      (await s.send('GET', `/debitura/customer/cases/${created.id}`, { client: 'unsigned-client' })).body,
    ).toMatchObject({ lifecycle: 'PendingVerification', signingHandoff: null });
    expect(await s.webhooks(2)).toEqual(['case.created:PendingContractSigning', 'case.updated:PendingVerification']);

    await advance(4 * DAY);
    expect(
      (await s.send('GET', `/debitura/customer/cases/${created.id}`, { client: 'unsigned-client' })).body.lifecycle,
    ).toBe('Active');
    const deliveries = await s.webhooks(3);
    expect(deliveries).toEqual([
      'case.created:PendingContractSigning',
      'case.updated:PendingVerification',
      'case.updated:Active',
    ]);
    // Now signed, the first submission's body goes straight to verification.
    expect(
      (
        await s.send('POST', '/debitura/customer/cases', {
          client: 'unsigned-client',
          body: { ...(s.scenario.send![0]!.body as object), creditorReference: 'INV-2025-102' },
        })
      ).body.lifecycle,
    ).toBe('PendingVerification');
  });
});

describe('debitura-missing-kyc', () => {
  it('422 MissingKycVerification until the KYC is submitted; the open UK case gets the system notice; then the same submission succeeds', async () => {
    const s = await session('debitura-missing-kyc', 'a');
    const before = (await s.send('GET', '/debitura/referral/cases')).body.cases;
    expect(before).toMatchObject([
      {
        creditorReference: 'KYC-OPEN-1',
        lifecycle: 'Active',
        externalTenantId: 'kyc-client',
        attributedToPartner: true,
      },
    ]);
    expect((await s.send('GET', '/debitura/referral/clients/kyc-client')).body.contracts.kyc).toBe('Missing');

    const [refused, kyc, created] = await s.sendAll();
    expect(refused.businessErrors.map((e: { type: string }) => e.type)).toEqual(['MissingKycVerification']);
    expect(kyc.notifiedCaseIds).toEqual([before[0].id]);
    const chats = (await s.send('GET', `/debitura/referral/cases/${before[0].id}/chats`)).body;
    expect(chats).toMatchObject([
      {
        isSystemMessage: true,
        message: "System message: KYC/AML information provided — find it under the 'KYC Status' section",
      },
    ]);
    expect((await s.send('GET', '/debitura/referral/clients/kyc-client')).body.contracts.kyc).toBe('OnFile');
    expect(created).toMatchObject({
      lifecycle: 'PendingVerification',
      creditorReference: 'KYC-NEW-1',
      collectionPartner: { name: 'Sterling Recoveries Ltd' },
    });
    expect(await s.webhooks(1)).toEqual(['case.created:PendingVerification']);

    await advance(4 * DAY);
    expect(
      (await s.send('GET', '/debitura/referral/cases?Statuses=Active')).body.cases
        .map((c: { creditorReference: string }) => c.creditorReference)
        .sort(),
    ).toEqual(['KYC-NEW-1', 'KYC-OPEN-1']);
    expect(await s.webhooks(2)).toEqual(['case.created:PendingVerification', 'case.updated:Active']);
  });
});

describe('debitura-client-not-linked', () => {
  it('archived, withdrawn and unknown tenants get 404 from POST /oauth/token; the linked one a token', async () => {
    const s = await session('debitura-client-not-linked', 'a');
    const [minted, archived, withdrawn, unknown] = await s.sendAll();
    expect(minted).toMatchObject({ tokenType: 'Bearer', expiresIn: 1800 });
    for (const [answer, tenant] of [
      [archived, 'archived-client'],
      [withdrawn, 'withdrawn-client'],
      [unknown, 'never-onboarded'],
    ] as const) {
      expect(answer).toMatchObject({ error: 'client_not_linked', message: expect.stringContaining(`'${tenant}'`) });
    }
    const links = (await s.send('GET', '/debitura/referral/clients')).body;
    expect(
      links.map((l: { externalTenantId: string; linkStatus: string }) => `${l.externalTenantId}:${l.linkStatus}`),
    ).toEqual(['linked-client:Active', 'archived-client:Archived', 'withdrawn-client:Withdrawn']);
    expect(await s.webhooks(0)).toEqual([]);
  });
});

describe('debitura-onboarding-uncovered', () => {
  it('202 with the JP case in caseResults.failedCases; the DE case waits, then moves on when the client signs an hour later', async () => {
    const s = await session('debitura-onboarding-uncovered', 'a');
    const [onboarding] = await s.sendAll();
    expect(onboarding).toMatchObject({
      externalTenantId: 'uncovered-client',
      onboardingStatus: 'Pending',
      onboardingLinks: { url: expect.stringContaining('/onboarding/companydetails/') },
    });
    expect(onboarding.caseResults.createdCases).toMatchObject([
      { creditorReference: 'UNC-DE-1', lifecycle: 'PendingContractSigning' },
    ]);
    expect(onboarding.caseResults.failedCases).toEqual([
      {
        creditorReference: 'UNC-JP-1',
        reason: "We don't have an exclusive pre-legal partner in the provided jurisdiction.",
        businessErrors: [
          {
            type: 'NoPartnerAvailable',
            message: "We don't have an exclusive pre-legal partner in the provided jurisdiction.",
            solutionUrl: null,
          },
        ],
      },
    ]);
    expect(
      (await s.send('GET', '/debitura/referral/cases')).body.cases.map(
        (c: { creditorReference: string }) => c.creditorReference,
      ),
    ).toEqual(['UNC-DE-1']);
    expect(await s.webhooks(1)).toEqual(['case.created:PendingContractSigning']);

    await advance(3600);
    expect((await s.send('GET', '/debitura/referral/clients/uncovered-client')).body.onboardingStatus).toBe(
      'Completed',
    );
    await advance(4 * DAY);
    expect((await s.send('GET', '/debitura/referral/cases')).body.cases[0].lifecycle).toBe('Active');
    expect(await s.webhooks(3)).toEqual([
      'case.created:PendingContractSigning',
      'case.updated:PendingVerification',
      'case.updated:Active',
    ]);
  });
});

describe('--scenario with a Debitura scenario', () => {
  it('seeds every new partner account, the docs partner too, and leaves CasaPay accounts alone', async () => {
    const engine = await createMockEngine({ logLevel: 'silent', scenario: 'debitura-client-not-linked' });
    try {
      const clients = async (key: string) =>
        (await engine.app.inject({ url: '/debitura/referral/clients', headers: { xapikey: key } }))
          .json()
          .map((c: { externalTenantId: string }) => c.externalTenantId);
      expect(await clients('any_partner')).toEqual(['linked-client', 'archived-client', 'withdrawn-client']);
      expect(await clients('YOUR_API_KEY')).toEqual([
        'your-client-id',
        'tenant-4711', // the contract examples' client (docs-seed.ts)
        'linked-client',
        'archived-client',
        'withdrawn-client',
      ]);
      const casapay = await engine.app.inject({
        url: '/v1/collection_cases',
        headers: { authorization: 'Bearer sk_test_scenario_run' },
      });
      expect(casapay.statusCode).toBe(200);
      expect(casapay.json().data).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it.each([...scenarios.values()].map((s): [string, DebituraScenario] => [s.name, s]))(
    '%s is accepted by --scenario',
    async (name) => {
      const engine = await createMockEngine({ logLevel: 'silent', scenario: name });
      await engine.close();
    },
  );
});

// The console end to end in a real browser: Debian's Chromium driven by playwright-core against a
// mock on 127.0.0.1 started in this process. Each test does what a person would — reads a list,
// opens a case, records a payment, breaks and fixes a webhook receiver, advances a test clock — and
// checks what the page shows. Waiting is for the page to show something (Playwright's locators),
// never for a length of time. One screenshot per page goes to reports/console/ (the README's
// docs/console-case.png is a copy of case.png). Without a Chromium the suite is skipped, saying why.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { contract, QUICKSTART_CASE, startMock, TEST_NOW, type TestMock } from '../../test-support.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const shots = path.join(root, 'reports', 'console');
const CHROMIUM =
  process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** Headless Debian Chromium in a new, empty profile, with the flags this closed network needs. */
async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'casapay-console-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { profile, context };
}
if (!CHROMIUM)
  console.warn(
    'console-browser.test.ts: skipped — no Chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH).',
  );

const KEY = 'sk_test_console_e2e';
const DAY = 86_400;

describe.skipIf(!CHROMIUM)('the console in Chromium', () => {
  let mock: TestMock;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let receiver: http.Server;
  let receiverUrl: string;
  let answer = 200;

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  // The page's localStorage, by expression (this file is type-checked without the DOM's types).
  const storedKey = () => page.evaluate<string | null>(`localStorage.getItem('casapay.console.api_key')`);
  const storeKey = (key: string) =>
    page.evaluate(`localStorage.setItem('casapay.console.api_key', ${JSON.stringify(key)})`);
  // A full load every time: going to the same hash again would not even fire hashchange.
  const open = async (hash: string) => {
    await page.goto('about:blank');
    await page.goto(`${mock.url}/${hash}`);
  };

  beforeAll(async () => {
    // The console's scripts as this checkout's build makes them (the sources may be newer than dist/).
    execFileSync(
      process.execPath,
      [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'mocks/operator/console/app/tsconfig.json'],
      { cwd: root, stdio: 'inherit' },
    );
    mkdirSync(shots, { recursive: true });
    mock = await startMock();
    receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(answer).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    ({ profile, context } = await launchChromium());
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await mock?.close();
    await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('shows the front door and takes an API key, remembered in the browser', async () => {
    await mock.call('GET', '/v1/collection_cases', { key: KEY });
    await open('');
    await page.locator('#key-form').waitFor();
    // The account the mock has seen is offered, with its key masked in the list.
    await page.locator('#accounts button[data-key]').first().waitFor();
    await page.fill('#key-form input[name=key]', KEY);
    await page.click('#key-form button[type=submit]');
    await page.waitForURL(/#\/cases$/);
    expect(await storedKey()).toBe(KEY);
    await open('#/');
    await page.locator('#accounts').waitFor();
    await shot('home');
  });

  it("lists a case created through the API, with the API's filters", async () => {
    const c = (await mock.call('POST', '/v1/collection_cases', { key: KEY, body: QUICKSTART_CASE })).body;
    await open('#/cases');
    await page.locator(`tr[data-id="${c.id}"]`).waitFor();
    // Filters come from the contract: status is a select of the contract's enum.
    const options = await page.locator('form[data-filters=cases] select[name=status] option').allTextContents();
    expect(options).toEqual(['any', ...contract.document.components.schemas.CollectionCaseStatus.enum]);
    await shot('cases');
    await page.selectOption('form[data-filters=cases] select[name=status]', 'closed');
    await page.click('form[data-filters=cases] button[type=submit]');
    await page.waitForURL(/status=closed/);
    await page.getByText('Nothing here yet for this account and filter.').waitFor();
  });

  it('pages with cursors', async () => {
    const k = 'sk_test_console_paging';
    for (let i = 0; i < 12; i++)
      await mock.call('POST', '/v1/collection_cases', {
        key: k,
        body: { ...QUICKSTART_CASE, creditor_reference: `P-${i}` },
      });
    const all = (await mock.call('GET', '/v1/collection_cases?limit=100', { key: k })).body.data.map((c: any) => c.id);
    await storeKey(k);
    await open('#/cases');
    await page.locator(`tr[data-id="${all[0]}"]`).waitFor();
    expect(await page.locator('table[data-list=cases] tbody tr').count()).toBe(10);
    await page.click('button[data-next]');
    await page.locator(`tr[data-id="${all[10]}"]`).waitFor();
    expect(
      await page
        .locator('table[data-list=cases] tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id'))),
    ).toEqual(all.slice(10));
    await storeKey(KEY);
  });

  it('opens a case, records a payment and shows the new remainder and timeline; an illegal move shows the 422', async () => {
    const c = (
      await mock.call('POST', '/v1/collection_cases', {
        key: KEY,
        body: { ...QUICKSTART_CASE, creditor_reference: 'PAY-1' },
      })
    ).body;
    await open('#/cases');
    await page.click(`tr[data-id="${c.id}"]`);
    await page.waitForURL(new RegExp(`#/cases/${c.id}$`));
    expect(await page.textContent('#case-remainder')).toBe('3,600.00 EUR');
    // The allowed moves are the lifecycle's, read from the mock.
    expect(await page.locator('#move-form select[name=status] option').allTextContents()).toEqual([
      'paused',
      'needs_details',
      'closed',
    ]);
    const entries = await page.locator('#case-timeline li').count();

    await page.fill('#payment-form input[name=amount]', '120000');
    await page.click('#payment-form button[type=submit]');
    await page.locator('#case-remainder', { hasText: '2,400.00 EUR' }).waitFor();
    await page.locator('#case-timeline li[data-type=payment_received]').waitFor();
    expect(await page.locator('#case-timeline li').count()).toBe(entries + 1);
    await page.locator('#case-payments').getByText('1,200.00 EUR').waitFor();

    await page.selectOption('#move-form select[name=status]', 'closed');
    await page.selectOption('#move-form select[name=close_code]', 'paid');
    await page.click('#move-form button[type=submit]');
    const alert = page.locator('#case-feedback [role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      '422 state_invalid: close_code paid needs payments covering the amount; 240000 is still outstanding.',
    );
    expect((await mock.call('GET', `/v1/collection_cases/${c.id}`, { key: KEY })).body.status).toBe('active');
    await page.fill('#move-form input[name=comment]', 'console test');
    await page.selectOption('#move-form select[name=status]', 'paused');
    await page.selectOption('#move-form select[name=close_code]', '');
    await page.click('#move-form button[type=submit]');
    await page.locator('h2 .pill[data-status=paused]').waitFor();
    await page.fill('#payment-form input[name=amount]', '');
    await shot('case');
  });

  it('downloads a case file with the key', async () => {
    const c = (
      await mock.call('POST', '/v1/collection_cases', {
        key: KEY,
        body: { ...QUICKSTART_CASE, creditor_reference: 'FILE-1' },
      })
    ).body;
    const bytes = '%PDF-1.7 the invoice, byte for byte';
    const form = new FormData();
    form.set('file', new Blob([bytes]), 'invoice.pdf');
    form.set('document_type', 'original_invoice');
    expect((await mock.call('POST', `/v1/collection_cases/${c.id}/files`, { key: KEY, body: form })).status).toBe(201);
    await open(`#/cases/${c.id}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Download")')]);
    expect(download.suggestedFilename()).toBe('invoice.pdf');
    const saved = path.join(profile, 'downloaded.pdf');
    await download.saveAs(saved);
    expect(readFileSync(saved, 'utf8')).toBe(bytes);
  });

  it("approves and pays a claim; a refused decision shows the API's message", async () => {
    const policy = (
      await mock.call('POST', '/v1/guarantee_policies', {
        key: KEY,
        body: { name: 'Console policy', coverage_percentage: 100, max_coverage_months: 12 },
      })
    ).body;
    const g = (
      await mock.call('POST', '/v1/guarantees', {
        key: KEY,
        body: {
          policy: policy.id,
          tenant: 'Console tenant',
          coverage_amount: 100000,
          currency: 'eur',
          start_date: TEST_NOW - 90 * DAY,
          end_date: TEST_NOW + 300 * DAY,
        },
      })
    ).body;
    const claim = (
      await mock.call('POST', '/v1/claims', {
        key: KEY,
        body: {
          guarantee: g.id,
          amount: 50000,
          currency: 'eur',
          reason: 'missed_payment',
          evidence: { due_date: TEST_NOW - 10 * DAY, description: 'October rent' },
        },
      })
    ).body;
    await open('#/claims');
    await page.click(`tr[data-id="${claim.id}"]`);
    await page.locator('h2 .pill[data-status=under_review]').waitFor();
    await page.click('button:has-text("Approve")');
    await page.locator('h2 .pill[data-status=approved]').waitFor();
    await page.click('button:has-text("Deny")');
    const alert = page.locator('#claim-feedback [role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^422 state_invalid: /);
    await page.click('button:has-text("Pay")');
    await page.locator('h2 .pill[data-status=paid]').waitFor();
    expect((await mock.call('GET', `/v1/claims/${claim.id}`, { key: KEY })).body.status).toBe('paid');
    await shot('claim');
    // The other lists, each showing what the API lists.
    for (const [route, id] of [
      ['claims', claim.id],
      ['guarantees', g.id],
      ['policies', policy.id],
    ] as const) {
      await open(`#/${route}`);
      await page.locator(`tr[data-id="${id}"]`).waitFor();
      await shot(route);
    }
    const payment = (await mock.call('GET', '/v1/debt_payments', { key: KEY })).body.data[0];
    await open('#/payments');
    await page.locator(`tr[data-id="${payment.id}"]`).waitFor();
    await shot('payments');
  });

  it('shows failing webhook attempts, and resends once the receiver is fixed', async () => {
    await open('#/webhook-endpoints');
    await page.fill('#endpoint-form input[name=url]', receiverUrl);
    await page.click('#endpoint-form button[type=submit]');
    await page.getByText(/Registered we_/).waitFor();
    await page.locator('table[data-list=webhook-endpoints] tbody tr').first().waitFor();
    await shot('webhook-endpoints');
    answer = 500; // break the receiver
    const c = (
      await mock.call('POST', '/v1/collection_cases', {
        key: KEY,
        body: { ...QUICKSTART_CASE, creditor_reference: 'HOOK-1' },
      })
    ).body;
    await mock.sandbox.dispatcher.idle();
    const event = (
      await mock.call('GET', '/v1/events?type=collection_case.created&limit=100', { key: KEY })
    ).body.data.find((e: any) => e.data.object.id === c.id);

    await open('#/events?delivery_success=false');
    await page.click(`tr[data-id="${event.id}"]`);
    const failed = page.locator('section.delivery[data-status=failed]');
    await failed.waitFor();
    // Three attempts (the tests' retry waits are 20 and 40 ms), each a 500.
    expect(await failed.locator('tr.attempt td:nth-child(3)').allTextContents()).toEqual(['500', '500', '500']);
    await shot('event-failed');

    answer = 200; // fix it
    await page.click('section.delivery[data-status=failed] button.resend');
    await page.getByText(/Resent to we_/).waitFor();
    await mock.sandbox.dispatcher.idle();
    await page.click('#refresh-deliveries');
    await page.locator('section.delivery[data-status=succeeded]').waitFor();
    expect(await page.locator('section.delivery').count()).toBe(2);
    await shot('event');
    // Any enabled endpoint can be picked, not only those the event went to.
    await page.click('#send-to-form button[type=submit]');
    await page.locator('section.delivery').nth(2).waitFor();
    expect(await page.locator('section.delivery').count()).toBe(3);
    await mock.sandbox.dispatcher.idle();
    await open('#/events');
    await page.locator(`tr[data-id="${event.id}"]`).waitFor();
    await shot('events');
  });

  it('advances a test clock and the scheduled demand letter appears on the case', async () => {
    const clock = (
      await mock.call('POST', '/v1/test_helpers/test_clocks', {
        key: KEY,
        body: { frozen_time: TEST_NOW, name: 'Console clock' },
      })
    ).body;
    const c = (
      await mock.call('POST', '/v1/collection_cases', {
        key: KEY,
        body: { ...QUICKSTART_CASE, creditor_reference: 'CLOCK-1', test_clock: clock.id },
      })
    ).body;
    await open('#/clock');
    const section = page.locator('section.test-clock', { has: page.locator(`form[data-clock="${clock.id}"]`) });
    await section.locator(`li[data-task="demand letter for ${c.id}"]`).waitFor();
    await shot('clock');
    // Advance two days (the input takes UTC).
    await section.locator('input[name=to]').fill(new Date((TEST_NOW + 2 * DAY) * 1000).toISOString().slice(0, 16));
    await section.locator('button[type=submit]').click();
    await page.getByText(/Console clock advanced to/).waitFor();
    expect(await page.locator(`li[data-task="demand letter for ${c.id}"]`).count()).toBe(0);
    await open(`#/cases/${c.id}`);
    await page.locator('#case-timeline li[data-type=demand_letter_sent]').waitFor();
  });

  it('loads a scenario into a new account and shows the journal', async () => {
    await open('#/scenarios');
    await page.click('tr[data-scenario=paid-in-full] button:has-text("New account")');
    await page.locator('#scenario-feedback [role=status]').waitFor();
    const key = await storedKey();
    expect(key).toMatch(/^sk_test_/);
    expect(key).not.toBe(KEY);
    expect((await mock.call('GET', '/v1/collection_cases', { key: key! })).body.data).toHaveLength(1);
    await shot('scenarios');
    await open('#/journal');
    // The request the test itself just made with that key is in its journal, with its response
    // (bodies are in the page whether an entry is open or not; it re-renders as it polls).
    const entry = page.locator('#journal details', { hasText: 'GET /v1/collection_cases' }).first();
    await entry.waitFor();
    expect(await entry.locator('pre.response').textContent()).toContain('"object": "list"');
    await shot('journal');
  });
});

describe.skipIf(!CHROMIUM)('the console of a shared mock (0.0.0.0, reached over 127.0.0.1)', () => {
  const TOKEN = 'console-admin-token';
  let mock: TestMock;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    mock = await startMock({ host: '0.0.0.0', adminToken: TOKEN });
    ({ profile, context } = await launchChromium());
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await mock?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('signs in with the admin token, then reads only the account whose key it holds', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    const base = `http://127.0.0.1:${(mock.app.server.address() as AddressInfo).port}`;
    await mock.call('POST', '/v1/collection_cases', {
      key: 'sk_test_other_team',
      body: QUICKSTART_CASE,
      unchecked: true,
    });
    await page.goto(`${base}/`);
    await page.locator('input[name=token]').waitFor();
    await page.screenshot({ path: path.join(shots, 'sign-in.png') });
    await page.fill('input[name=token]', 'not-the-token');
    await page.click('button[type=submit]');
    await page.getByText('That is not the admin token.').waitFor();
    await page.fill('input[name=token]', TOKEN);
    await page.click('button[type=submit]');
    await page.locator('#key-form').waitFor();
    // Accounts are listed masked: a key must be typed.
    await page.getByText('shared mock: type the key').first().waitFor();
    await page.fill('#key-form input[name=key]', 'sk_test_my_team');
    await page.click('#key-form button[type=submit]');
    await page.waitForURL(/#\/cases$/);
    await page.getByText('Nothing here yet for this account and filter.').waitFor();
    // The page's own requests carry the cookie; the admin data of another account still needs its key.
    const status = (account: string) =>
      page.evaluate<number>(
        `fetch('/__admin/state?account=${account}', { headers: { authorization: 'Bearer sk_test_my_team' } }).then((r) => r.status)`,
      );
    expect(await status('sk_test_my_team')).toBe(200);
    expect(await status('sk_test_other_team')).toBe(401);
    await page.goto(`${base}/#/clock`);
    await page.locator('#mock-now').waitFor();
    await page.goto(`${base}/#/journal`);
    await page.locator('#journal').waitFor();
    // The cookie is HttpOnly: no script on the page can read the token.
    expect(await page.evaluate('document.cookie')).toBe('');
  });
});

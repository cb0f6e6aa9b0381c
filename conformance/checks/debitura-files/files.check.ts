// Files a referral partner attaches to its clients' cases (Referral API POST /cases/{caseId}/files):
// 200 {id, fileName, dateCreated}; .exe is 415, above 25 MB 413, a case of no linked client 404; with
// sendChatNotification (default true) the system chat message appears on the case (GET
// /cases/{caseId}/chats), with sendChatNotification=false it does not.
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { capability, needs } from '../../support/capability.js';
import {
  caseBody,
  createDebituraClient,
  customerSession,
  expectRefusal,
  freshPartner,
  freshTenant,
  otherPartner,
  type Partner,
} from '../../support/debitura.js';

const LIMIT = 25 * 1024 * 1024;
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const form = (name: string, data: Buffer | Blob): FormData => {
  const fd = new FormData();
  fd.append('file', data instanceof Blob ? data : new Blob([new Uint8Array(data)]), name);
  return fd;
};

/** A case of a new client of `partner`, submitted with a token. */
async function caseOf(partner: Partner): Promise<string> {
  const tenant = freshTenant();
  await createDebituraClient(partner, tenant);
  const session = await customerSession(partner, tenant);
  const { data, response } = await session.POST('/cases', { body: caseBody({ isTest: true }) });
  expect(response.status, 'POST /cases').toBe(200);
  return data!.id!;
}

capability('debitura-files', 'case files (Referral API)', () => {
  let partner: Partner;
  let caseId: string;
  let uploaded: { id?: string; fileName?: string; dateCreated?: string } | undefined;

  beforeAll(async () => {
    partner = await freshPartner();
    caseId = await caseOf(partner);
  });

  const upload = (fd: FormData, options: { id?: string; sendChatNotification?: boolean; as?: Partner } = {}) =>
    (options.as ?? partner).api.POST('/cases/{caseId}/files', {
      params: {
        path: { caseId: options.id ?? caseId },
        query: options.sendChatNotification === undefined ? {} : { sendChatNotification: options.sendChatNotification },
      },
      body: fd as never,
      bodySerializer: (b: unknown) => b as FormData,
    });
  const chats = async () => {
    const { data, response } = await partner.api.GET('/cases/{caseId}/chats', { params: { path: { caseId } } });
    expect(response.status, 'GET /cases/{caseId}/chats').toBe(200);
    return data!;
  };

  it('uploads a small PDF: 200 {id, fileName, dateCreated}', async () => {
    const { data, response } = await upload(form('invoice.pdf', PDF));
    expect(response.status, 'POST /cases/{caseId}/files').toBe(200);
    uploaded = data!;
    expect(uploaded.id, 'id is a uuid').toMatch(UUID);
    expect(uploaded.fileName, 'fileName as sent').toBe('invoice.pdf');
    expect(Number.isNaN(Date.parse(uploaded.dateCreated ?? '')), 'dateCreated is a date-time').toBe(false);
  });

  it('sendChatNotification (default true) posts the system chat message naming the file', async (ctx) => {
    needs(ctx, uploaded, 'the upload of "uploads a small PDF"');
    const messages = (await chats()).filter((m) => m.isSystemMessage && (m.message ?? '').includes('invoice.pdf'));
    expect(
      messages.length,
      `a system message naming invoice.pdf on the case (chat: ${JSON.stringify((await chats()).map((m) => m.message))})`,
    ).toBe(1);
    expect(messages[0]!.message, "the docs' wording").toMatch(
      /^System message: New file uploaded under 'Files': invoice\.pdf$/,
    );
  });

  it('sendChatNotification=false uploads without a chat message', async (ctx) => {
    needs(ctx, uploaded, 'the upload of "uploads a small PDF"');
    const before = (await chats()).length;
    const { data, response } = await upload(form('silent.txt', Buffer.from('uploaded silently\n')), {
      sendChatNotification: false,
    });
    expect(response.status, 'POST /cases/{caseId}/files?sendChatNotification=false').toBe(200);
    expect(data!.fileName, 'fileName as sent').toBe('silent.txt');
    const after = await chats();
    expect(after.length, 'no new chat message').toBe(before);
    expect(
      after.some((m) => (m.message ?? '').includes('silent.txt')),
      'no message names silent.txt',
    ).toBe(false);
  });

  it('an .exe is refused with 415', async () => {
    expectRefusal(
      await upload(form('setup.exe', Buffer.from('MZ\x90\x00not really a program'))),
      415,
      'uploading setup.exe',
    );
  });

  it('a file of 25 MB + 1 byte is refused with 413', async () => {
    expectRefusal(
      await upload(form('big.pdf', new Blob([new Uint8Array(LIMIT + 1)]))),
      413,
      'uploading 25 MB + 1 byte',
    );
  }, 60_000);

  it("uploading to a case of no linked client is 404 (an unknown id, and another partner's case)", async () => {
    expectRefusal(await upload(form('invoice.pdf', PDF), { id: randomUUID() }), 404, 'uploading to an unknown case id');
    const other = await otherPartner(partner);
    const foreign = await caseOf(other).catch(() => undefined);
    if (foreign)
      expectRefusal(
        await upload(form('invoice.pdf', PDF), { id: foreign }),
        404,
        "uploading to another partner's case",
      );
  });

  it('no refused upload left a chat message', async (ctx) => {
    needs(ctx, uploaded, 'the upload of "uploads a small PDF"');
    const names = (await chats()).map((m) => m.message ?? '');
    for (const name of ['setup.exe', 'big.pdf'])
      expect(
        names.some((m) => m.includes(name)),
        `no message names ${name}`,
      ).toBe(false);
  });
});

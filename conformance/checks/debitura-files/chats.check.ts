// A case's chat (Referral API GET /cases/{caseId}/chats) against what made it (and the upload limit's
// other side: exactly 25 MB is taken): uploads a second apart
// post their system messages oldest first, each naming its file, with the case's id, a uuid of its own
// and a dateCreated at the upload's; the extensions the docs list are taken (.docx, .csv) and one they
// do not (.gif) is 415; an unknown case's chat is 404 while the owner's is 200.
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { capability, needs } from '../../support/capability.js';
import { caseBody, expectRefusal, freshPartner, type Partner } from '../../support/debitura.js';
import { about, nextSecond, signedClient, UUID } from '../../support/debitura-referral.js';

const form = (name: string, text: string): FormData => {
  const fd = new FormData();
  fd.append('file', new Blob([text]), name);
  return fd;
};

capability('debitura-files', 'case chats (Referral API)', () => {
  let partner: Partner;
  let caseId: string;
  const uploads: Array<{ id: string; fileName: string; dateCreated: string }> = [];

  beforeAll(async () => {
    partner = await freshPartner();
    const { session } = await signedClient(partner);
    const { data, response } = await session.POST('/cases', { body: caseBody({ isTest: true }) });
    expect(response.status, '[debitura.chat-order] POST /cases (the case whose chat is read)').toBe(200);
    caseId = data!.id!;
  });

  const upload = (name: string, text: string, id = caseId) =>
    partner.api.POST('/cases/{caseId}/files', {
      params: { path: { caseId: id } },
      body: form(name, text) as never,
      bodySerializer: (b: unknown) => b as FormData,
    });

  it('the extensions the docs list are taken (.docx, .csv) with fileName as sent; one they do not list (.gif) is 415', async () => {
    const say = about('debitura.file-types');
    for (const name of ['terms.docx', 'ledger.csv']) {
      if (uploads.length) await nextSecond();
      const { data, response } = await upload(name, `content of ${name}\n`);
      expect(response.status, say(`uploading ${name}`)).toBe(200);
      expect(data!.fileName, say('fileName as sent')).toBe(name);
      expect(data!.id, say('id is a uuid')).toMatch(UUID);
      uploads.push(data! as (typeof uploads)[number]);
    }
    expect(uploads[0]!.id, say('each upload gets its own id')).not.toBe(uploads[1]!.id);
    expectRefusal(await upload('photo.gif', 'GIF89a'), 415, say('uploading photo.gif'));
  });

  it('a file of exactly 25 MB is taken (the limit is inclusive; 25 MB + 1 byte is 413 in files.check.ts)', async () => {
    const say = about('debitura.file-types');
    const fd = new FormData();
    fd.append('file', new Blob([new Uint8Array(25 * 1024 * 1024)]), 'scan.pdf');
    const { data, response } = await partner.api.POST('/cases/{caseId}/files', {
      params: { path: { caseId }, query: { sendChatNotification: false } },
      body: fd as never,
      bodySerializer: (b: unknown) => b as FormData,
    });
    expect(response.status, say('uploading exactly 25 MB')).toBe(200);
    expect(data!.fileName, say('fileName as sent')).toBe('scan.pdf');
  }, 60_000);

  it("chats are listed oldest first: each upload's system message, naming its file, with the case's caseId, posted at the upload", async (ctx) => {
    needs(ctx, uploads[1], 'the uploads of "the extensions the docs list are taken"');
    const say = about('debitura.chat-order');
    const { data, response } = await partner.api.GET('/cases/{caseId}/chats', { params: { path: { caseId } } });
    expect(response.status, say('GET /cases/{caseId}/chats')).toBe(200);
    const named = data!.filter((m) => uploads.some((u) => m.message.includes(u.fileName)));
    expect(
      named.map((m) => m.message),
      say('the two upload messages, oldest first'),
    ).toEqual(uploads.map((u) => `System message: New file uploaded under 'Files': ${u.fileName}`));
    for (const [i, m] of named.entries()) {
      expect(m.caseId, say('caseId is the case')).toBe(caseId);
      expect(m.id, say('id is a uuid')).toMatch(UUID);
      expect(m.isSystemMessage, say('an upload notice is a system message')).toBe(true);
      // Posted by the upload: at its dateCreated, or a moment after (the two may fall either side of a second).
      const after = (Date.parse(m.dateCreated) - Date.parse(uploads[i]!.dateCreated)) / 1000;
      expect(
        after >= 0 && after <= 5,
        say(`dateCreated ${m.dateCreated} is the upload's (${uploads[i]!.dateCreated}) or up to 5 s later`),
      ).toBe(true);
    }
    expect(new Set(data!.map((m) => m.id)).size, say('message ids are distinct')).toBe(data!.length);
  });

  it("an unknown case's chat is 404, while the owner's case chat is 200", async () => {
    const say = about('debitura.chat-order');
    expectRefusal(
      await partner.api.GET('/cases/{caseId}/chats', { params: { path: { caseId: randomUUID() } } }),
      404,
      say('GET /cases/{unknown}/chats'),
    );
    const own = await partner.api.GET('/cases/{caseId}/chats', { params: { path: { caseId } } });
    expect(own.response.status, say("the owner's GET /cases/{caseId}/chats")).toBe(200);
  });
});

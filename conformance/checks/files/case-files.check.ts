// Case files: a multipart upload is stored byte for byte (size, sha256, download), listed and
// retrievable; disallowed extensions are 415, files over 25 MB are 413, a bad document_type or a
// missing file is 400.
import { createHash } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import type { components } from '../../../generated/casapay.js';
import { capability, needs } from '../../support/capability.js';
import {
  accountClock,
  caseParams,
  createCase,
  eligibleCountries,
  expectError,
  freshAccount,
  type Account,
  type CollectionCase,
  shown,
} from '../../support/fixtures.js';
import { target } from '../../support/target.js';

type CaseFile = components['schemas']['CaseFile'];
type UploadBody = components['schemas']['CaseFileUploadParams'];

const LIMIT = 25 * 1024 * 1024;
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

/** Multipart form data; parts are added in order, the file last as a real multipart file part. */
function form(fields: Record<string, string>, file?: { name: string; data: Blob | Buffer }): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file) fd.append('file', file.data instanceof Blob ? file.data : new Blob([new Uint8Array(file.data)]), file.name);
  return fd;
}

capability('files', 'case files', () => {
  let account: Account;
  let theCase: CollectionCase;
  let uploaded: CaseFile;

  const upload = (fd: FormData, id = theCase.id) =>
    account.api.POST('/v1/collection_cases/{id}/files', {
      params: { path: { id } },
      body: fd as unknown as UploadBody,
      bodySerializer: (b: unknown) => b as FormData,
    });

  beforeAll(async () => {
    account = await freshAccount();
    const { now } = await accountClock(account);
    const [country] = await eligibleCountries(account, now);
    theCase = await createCase(account, caseParams(now, { country }));
  });

  it('uploads a small PDF (201): size and sha256 match the bytes sent', async () => {
    const { data, response } = await upload(
      form(
        { document_type: 'original_invoice', description: 'Original unpaid invoice' },
        { name: 'invoice.pdf', data: PDF },
      ),
    );
    expect(response.status).toBe(201);
    uploaded = data!;
    expect(uploaded, 'the upload shows the case, document_type, description and filename sent').toMatchObject(
      shown(
        uploaded,
        {
          case: theCase.id,
          document_type: 'original_invoice',
          description: 'Original unpaid invoice',
          filename: 'invoice.pdf',
        },
        'CaseFile',
      ),
    );
    expect(uploaded.size, 'size in bytes').toBe(PDF.length);
    // sha256 is optional; when shown it must be the bytes' (the download check below compares the bytes themselves).
    if (uploaded.sha256 !== undefined)
      expect(uploaded.sha256, 'sha256 of the bytes sent').toBe(createHash('sha256').update(PDF).digest('hex'));
  });

  it('downloading the file url returns the same bytes', async (ctx) => {
    needs(ctx, uploaded, 'the file of "uploads a small PDF"');
    const base = new URL(`${target().baseUrl}/`);
    const url = new URL(uploaded.url, base);
    const match = /^\/v1\/collection_cases\/([^/]+)\/files\/([^/]+)\/contents$/.exec(
      url.pathname.slice(base.pathname.length - 1),
    );
    expect(match, `the file url ${uploaded.url} is the contract's download path`).not.toBeNull();
    const { data, response } = await account.api.GET('/v1/collection_cases/{id}/files/{file}/contents', {
      params: { path: { id: match![1]!, file: match![2]! } },
      parseAs: 'arrayBuffer',
    });
    expect(response.status).toBe(200);
    expect(Buffer.from(data as ArrayBuffer).equals(PDF), 'downloaded bytes equal the uploaded bytes').toBe(true);
  });

  it('the file is retrievable and listed', async (ctx) => {
    needs(ctx, uploaded, 'the file of "uploads a small PDF"');
    const { data: got } = await account.api.GET('/v1/collection_cases/{id}/files/{file}', {
      params: { path: { id: theCase.id, file: uploaded.id } },
    });
    expect(got, 'retrieve equals the upload response').toEqual(uploaded);
    const { data: list } = await account.api.GET('/v1/collection_cases/{id}/files', {
      params: { path: { id: theCase.id } },
    });
    expect(
      list!.data.map((f) => f.id),
      'listed once',
    ).toEqual([uploaded.id]);
  });

  it('an .exe is refused with 415 file_type_unsupported', async () => {
    expectError(
      await upload(
        form(
          { document_type: 'miscellaneous' },
          { name: 'payload.exe', data: Buffer.from('MZ\x90\x00conformance', 'latin1') },
        ),
      ),
      { status: 415, type: 'invalid_request_error', code: 'file_type_unsupported' },
    );
  });

  it('a file of 25 MB + 1 byte is refused with 413 file_too_large', async () => {
    // One shared zero-filled MB repeated: the 25 MB body is built without copying 25 MB of data.
    const mb = new Uint8Array(1024 * 1024);
    const big = new Blob([...Array.from({ length: 25 }, () => mb), new Uint8Array(1)]);
    expect(big.size).toBe(LIMIT + 1);
    expectError(await upload(form({ document_type: 'original_invoice' }, { name: 'huge.pdf', data: big })), {
      status: 413,
      type: 'invalid_request_error',
      code: 'file_too_large',
    });
  });

  it('an invalid document_type is 400 with param document_type', async () => {
    expectError(await upload(form({ document_type: 'passport_scan' }, { name: 'invoice.pdf', data: PDF })), {
      status: 400,
      type: 'invalid_request_error',
      param: 'document_type',
    });
  });

  it('a missing file is 400 with param file', async () => {
    expectError(await upload(form({ document_type: 'original_invoice' })), {
      status: 400,
      type: 'invalid_request_error',
      param: 'file',
    });
  });

  it('none of the refused uploads was stored', async (ctx) => {
    needs(ctx, uploaded, 'the file of "uploads a small PDF"');
    const { data: list } = await account.api.GET('/v1/collection_cases/{id}/files', {
      params: { path: { id: theCase.id } },
    });
    expect(
      list!.data.map((f) => f.id),
      'only the accepted upload is listed',
    ).toEqual([uploaded.id]);
  });

  it('uploading to an unknown case is 404', async () => {
    expectError(
      await upload(form({ document_type: 'original_invoice' }, { name: 'invoice.pdf', data: PDF }), 'dc_doesnotexist0'),
      { status: 404, code: 'resource_not_found' },
    );
  });
});

// /v1/collection_cases/{id}/files: multipart uploads (parsed by the pipeline with @fastify/multipart),
// kept in memory so they can be downloaded back with their size and SHA-256.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { components } from '../../../../generated/casapay.js';
import { errors } from '../errors.js';
import type { CaseFile } from '../state.js';
import { created, ok, type Handler, type HandlerContext } from './context.js';
import { find, listPage } from './shared.js';
import { addTimeline } from './collection-cases.js';
import { sanitizeFilename } from '../../common/file-names.js';

export const MAX_FILE_BYTES = 25 * 1024 * 1024;
/** File bytes one account keeps (four files of the largest size): uploads are held in memory. */
export const MAX_ACCOUNT_FILE_BYTES = 100 * 1024 * 1024;

/** Extensions accepted for case files, with the media type each is served as. */
export const ALLOWED_TYPES: Readonly<Record<string, string>> = {
  '.pdf': 'application/pdf',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
};

/**
 * The bytes of an account's kept files, added up once and then carried along as files are added (files are
 * never removed one by one: an account reset or a restart brings a new map, or one of another size).
 */
const keptTotals = new WeakMap<Map<string, Buffer>, { count: number; bytes: number; last: string | undefined }>();
function keptBytes(contents: Map<string, Buffer>): number {
  const known = keptTotals.get(contents);
  // The same count and the last file counted still there: nothing was cleared and refilled meanwhile.
  if (known && known.count === contents.size && (known.last === undefined || contents.has(known.last)))
    return known.bytes;
  let bytes = 0;
  let last: string | undefined;
  for (const [id, buffer] of contents) {
    bytes += buffer.length;
    last = id;
  }
  keptTotals.set(contents, { count: contents.size, bytes, last });
  return bytes;
}

const findCase = (ctx: HandlerContext) => find(ctx.account.cases, ctx.params.id!, 'collection_case');

export const uploadCaseFile: Handler = (ctx) => {
  const c = findCase(ctx);
  const body = ctx.body as components['schemas']['CaseFileUploadParams'];
  if (!ctx.file) throw errors.parameterMissing('file', 'Send the file as a multipart part named "file".');
  const filename = sanitizeFilename(ctx.file.filename);
  const extension = path.extname(filename).toLowerCase();
  const contentType = ALLOWED_TYPES[extension];
  if (!contentType) throw errors.fileType(extension, Object.keys(ALLOWED_TYPES));
  const kept = keptBytes(ctx.account.fileContents);
  if (kept + ctx.file.buffer.length > MAX_ACCOUNT_FILE_BYTES) {
    throw errors.limitReached(
      'MB of case files',
      MAX_ACCOUNT_FILE_BYTES / (1024 * 1024),
      `It keeps ${(kept / (1024 * 1024)).toFixed(1)} MB; this file would take it over. Files are kept in memory: reset the account (POST /__admin/reset) to start afresh.`,
    );
  }
  const now = ctx.now(c.test_clock);
  const id = ctx.ids.id('file');
  const file: CaseFile = {
    id,
    object: 'case_file',
    case: c.id,
    filename,
    document_type: body.document_type,
    description: body.description ?? null,
    size: ctx.file.buffer.length,
    sha256: createHash('sha256').update(ctx.file.buffer).digest('hex'),
    content_type: contentType,
    url: `/v1/collection_cases/${c.id}/files/${id}/contents`,
    created: now,
  };
  ctx.account.files.add(file);
  ctx.account.fileContents.set(id, ctx.file.buffer);
  keptTotals.set(ctx.account.fileContents, { count: ctx.account.fileContents.size, bytes: kept + file.size, last: id });
  addTimeline(ctx, c.id, {
    date: now,
    type: 'file_uploaded',
    title: 'File uploaded',
    description: `${filename} (${body.document_type.replace(/_/g, ' ')}) added to the case`,
  });
  ctx.emit('case_file.uploaded', file, undefined, now);
  return created(file);
};

export const listCaseFiles: Handler = (ctx) => {
  const c = findCase(ctx);
  return ok(listPage(ctx, ctx.account.files, (f) => f.case === c.id, { case: c.id }));
};

function findFile(ctx: HandlerContext): CaseFile {
  const c = findCase(ctx);
  const file = ctx.account.files.get(ctx.params.file!);
  if (!file || file.case !== c.id) throw errors.notFound('case_file', ctx.params.file!, 'file');
  return file;
}

export const retrieveCaseFile: Handler = (ctx) => ok(findFile(ctx));

export const downloadCaseFileContents: Handler = (ctx) => {
  const file = findFile(ctx);
  return {
    status: 200,
    body: null,
    raw: {
      contentType: file.content_type,
      data: ctx.account.fileContents.get(file.id) ?? Buffer.alloc(0),
      filename: file.filename,
    },
  };
};

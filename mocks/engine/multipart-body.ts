// Which requests carry a multipart body. @fastify/multipart is registered beside the upload operations
// only (mount-operations.ts: it runs two async hooks on every request of its scope); everywhere else the
// app's own parser (http-app.ts) marks a multipart body and leaves it unread, for the pipeline's 415.
import type { FastifyRequest } from 'fastify';

const UNREAD_MULTIPART = Symbol('multipart body left unread');
type Marked = FastifyRequest & { [UNREAD_MULTIPART]?: true };

/** Marks a request whose multipart body was left unread (outside the upload operations). */
export function markUnreadMultipart(request: FastifyRequest): void {
  (request as Marked)[UNREAD_MULTIPART] = true;
}

/** Whether the body is multipart/form-data: @fastify/multipart says so on an upload operation, the mark elsewhere. */
export const hasMultipartBody = (request: FastifyRequest): boolean =>
  (request as Marked)[UNREAD_MULTIPART] === true ||
  (typeof request.isMultipart === 'function' && request.isMultipart());

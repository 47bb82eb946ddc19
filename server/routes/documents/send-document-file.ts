// Streams a stored document with a strong ETag (its sha256), 304 on If-None-Match, and Range/206,
// so pdf.js can load big files progressively. Shared by the member and room-screen routes.
// A big document is served as its web-optimized copy (server/pdf/web-copy.ts), with that copy's
// hash as ETag and, when page 1 draws from a prefix of it, that prefix's length in a header the
// viewer reads from its first Range response; `?original=1` gives the uploaded bytes.
import path from 'node:path';
import send from '@fastify/send';
import Type from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DocumentStore } from '../../services/document-store';
import type { StoredDocument } from '../../services/documents';
import type { ServedCopy } from '../../services/confidential-copies';
import { AppError } from '../../errors';
import { FIRST_PAGE_BYTES_HEADER } from '../../../shared/document-file';
import { dispositionHeader } from '../disposition';

export const FileQuery = Type.Object({
  original: Type.Optional(
    Type.String({ maxLength: 8, description: '"1": the uploaded bytes rather than the web-optimized copy' }),
  ),
  variant: Type.Optional(
    Type.Union([Type.Literal('original'), Type.Literal('web')], {
      description:
        'the file a reading started on: "original" while the web copy is not ready (DocumentSchema.webCopy), so every ' +
        'Range request of that reading gets the same bytes; a confidential document is then watermarked from the original',
    }),
  ),
});

/**
 * The document as the reading asked for it: with `?variant=original` (a viewer that started on the
 * original while the web copy was not ready) without its web copy, so every Range request of that
 * reading gets the same bytes even once the copy is ready; otherwise the best one there is now.
 */
export const asPinned = <D extends { web: unknown }>(req: FastifyRequest, doc: D): D =>
  (req.query as { variant?: 'original' | 'web' } | undefined)?.variant === 'original' ? { ...doc, web: null } : doc;

/** `?original=1`: the uploaded bytes rather than the web copy (or a confidential document's watermarked copy). */
export const wantsOriginal = (req: FastifyRequest) => (req.query as { original?: unknown } | undefined)?.original === '1';

/**
 * Streams the document's file, or `copy` in its place (a confidential document's watermarked copy,
 * server/services/confidential-copies.ts).
 */
export async function sendDocumentFile(
  req: FastifyRequest,
  reply: FastifyReply,
  store: DocumentStore,
  doc: StoredDocument,
  copy?: ServedCopy,
) {
  const original = wantsOriginal(req);
  const stored = !original && doc.web ? doc.web : { sha256: doc.sha256, size: doc.size, firstPageBytes: null };
  const served = copy ? { size: copy.size, firstPageBytes: null } : stored;
  // The bytes behind an id never change: the content hash is a strong validator.
  const etag = copy ? copy.etag : `"${stored.sha256}"`;
  reply.header('ETag', etag).header('Cache-Control', 'private, no-cache');
  if (served.firstPageBytes) reply.header(FIRST_PAGE_BYTES_HEADER, String(served.firstPageBytes));
  const inm = req.headers['if-none-match'];
  if (
    inm &&
    inm
      .split(',')
      .map((s) => s.trim().replace(/^W\//, ''))
      .some((t) => t === etag || t === '*')
  ) {
    return reply.status(304).send(null as never);
  }
  // RFC 9110 §14.1.2: a suffix longer than the file selects all of it (@fastify/send answers 416);
  // the viewer asks for the tail of every file with one (client/src/viewer/pdfjs.ts).
  const suffix = /^bytes=-(\d+)$/.exec(req.headers.range ?? '');
  if (suffix && Number(suffix[1]) >= served.size && served.size > 0) req.raw.headers.range = 'bytes=0-';
  const file = copy ? copy.path : store.pathFor(stored.sha256);
  const result = await send(req.raw, encodeURIComponent(path.basename(file)), {
    root: path.dirname(file),
    etag: false,
    lastModified: false,
    cacheControl: false,
    acceptRanges: true,
    dotfiles: 'deny',
  });
  if (result.type !== 'file') {
    if (result.statusCode === 416) {
      reply.header('Content-Range', result.headers['content-range'] ?? `bytes */${served.size}`);
      throw new AppError('RANGE_NOT_SATISFIABLE', 'The requested range is outside the file');
    }
    req.log.error({ documentId: doc.id, status: result.statusCode }, 'document bytes missing');
    throw new AppError('NOT_FOUND', 'Document file not found');
  }
  return reply
    .status(result.statusCode)
    .headers(result.headers)
    .header('Content-Type', 'application/pdf')
    .header('Content-Disposition', dispositionHeader('inline', doc.filename))
    .send(result.stream as never);
}

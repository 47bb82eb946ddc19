// Document uploads: stream to disk + hash, open with pdf.js in a worker, then record the row.
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import type { Db } from '../db/client';
import { documents } from '../db/schema';
import { AppError, notFound } from '../errors';
import { newId, nowIso } from '../ids';
import { inspectPdf } from '../pdf/inspect-pdf';
import { makeWebCopy, wantsWebCopy } from '../pdf/web-copy';
import type { FastifyBaseLogger } from 'fastify';
import type { DocumentStore } from './document-store';
import type { DocumentInfo } from '../../shared/api';
import type { Config } from '../config';

type DocumentRow = typeof documents.$inferSelect;
type Log = Pick<FastifyBaseLogger, 'info' | 'warn'>;

export const toDocument = (d: DocumentRow): DocumentInfo => ({
  id: d.id, meetingId: d.meetingId, sha256: d.sha256, filename: d.filename, title: d.title,
  pageCount: d.pageCount, size: d.size, createdAt: d.createdAt,
});

/** The web-optimized copy of a document (server/pdf/web-copy.ts). */
export interface WebCopy {
  sha256: string;
  size: number;
  /** page 1 draws from the copy's first that many bytes; null: no such prefix beyond the first 64 KB */
  firstPageBytes: number | null;
}

/** A document with the file that is served for viewing: the web copy if one was made. */
export interface StoredDocument extends DocumentInfo {
  web: WebCopy | null;
}

const toStored = (d: DocumentRow): StoredDocument => ({
  ...toDocument(d),
  web: d.webSha256 && d.webSize !== null ? { sha256: d.webSha256, size: d.webSize, firstPageBytes: d.webFirstPageBytes } : null,
});

/** Keeps a filename printable and short; it is shown to people, never used as a path. */
export function cleanFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.normalize('NFC').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || 'document.pdf';
}

/** Renames a document of this meeting: NOT_FOUND for another meeting's; INVALID for a blank title. */
export function renameDocument(db: Db, meetingId: string, documentId: string, title: string): DocumentInfo {
  // eslint-disable-next-line no-control-regex
  const clean = title.normalize('NFC').replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
  if (!clean) throw new AppError('INVALID', 'The title is empty');
  const row = db.select().from(documents).where(and(eq(documents.id, documentId), eq(documents.meetingId, meetingId))).get();
  if (!row) throw notFound('Document');
  db.update(documents).set({ title: clean }).where(eq(documents.id, documentId)).run();
  return toDocument({ ...row, title: clean });
}

export async function uploadDocument(
  db: Db,
  store: DocumentStore,
  config: Pick<Config, 'maxUploadBytes' | 'maxPdfPages' | 'pdfInspectTimeoutMs' | 'pdfInspectMemoryMb'>
    & Partial<Pick<Config, 'pdfWebCopyMinBytes' | 'pdfWebCopyMinPages' | 'pdfWebCopyTimeoutMs'>>,
  input: { meetingId: string; uploadedBy: string; filename: string | undefined; stream: Readable; log?: Log },
): Promise<DocumentInfo> {
  const received = await store.receive(input.stream, config.maxUploadBytes);
  let info;
  try {
    info = await inspectPdf(received.tmpPath, {
      timeoutMs: config.pdfInspectTimeoutMs, memoryMb: config.pdfInspectMemoryMb, maxPages: config.maxPdfPages,
    });
  } catch (e) {
    await store.discard(received.tmpPath);
    throw e;
  }
  await store.commit(received.tmpPath, received.sha256);
  const web = await webCopyFor(db, store, config, received.sha256, received.size, info.pageCount, input.log);
  return recordDocument(db, {
    meetingId: input.meetingId, uploadedBy: input.uploadedBy, sha256: received.sha256, size: received.size,
    // titled after the file: the PDF's Title metadata is what the authoring tool left ("Microsoft
    // Word - Document1"); the organiser renames it (renameDocument) when the file name is not right
    filename: cleanFilename(input.filename), title: cleanFilename(input.filename), pageCount: info.pageCount,
    webSha256: web?.sha256 ?? null, webSize: web?.size ?? null, webFirstPageBytes: web?.firstPageBytes ?? null,
  });
}

/**
 * The web-optimized copy of stored bytes (server/pdf/web-copy.ts) when the file is big enough to
 * need one: reused if those bytes were uploaded before, else made now. Null means "serve the
 * original" (small file, or the copy could not be made or verified).
 */
async function webCopyFor(
  db: Db,
  store: DocumentStore,
  config: Pick<Config, 'pdfInspectMemoryMb'> & Partial<Pick<Config, 'pdfWebCopyMinBytes' | 'pdfWebCopyMinPages' | 'pdfWebCopyTimeoutMs'>>,
  sha256: string,
  size: number,
  pageCount: number,
  log?: Log,
): Promise<WebCopy | null> {
  const minBytes = config.pdfWebCopyMinBytes ?? 2 * 1024 * 1024;
  const minPages = config.pdfWebCopyMinPages ?? 50;
  if (!wantsWebCopy(size, pageCount, { minBytes, minPages })) return null;
  const earlier = db.select({ webSha256: documents.webSha256, webSize: documents.webSize, webFirstPageBytes: documents.webFirstPageBytes })
    .from(documents).where(and(eq(documents.sha256, sha256), isNotNull(documents.webSha256))).get();
  if (earlier?.webSha256 && earlier.webSize !== null && (await store.has(earlier.webSha256))) {
    return { sha256: earlier.webSha256, size: earlier.webSize, firstPageBytes: earlier.webFirstPageBytes };
  }
  const outPath = await store.newTmpPath();
  const started = Date.now();
  const r = await makeWebCopy(store.pathFor(sha256), outPath, pageCount, {
    timeoutMs: config.pdfWebCopyTimeoutMs ?? 60000, memoryMb: config.pdfInspectMemoryMb,
  });
  if (!r.ok) {
    log?.warn({ sha256, size, pageCount, reason: r.reason }, 'no web copy; the original will be served');
    return null;
  }
  await store.commit(outPath, r.sha256);
  log?.info({ sha256, size, webSha256: r.sha256, webSize: r.size, ms: Date.now() - started }, 'web copy made');
  return { sha256: r.sha256, size: r.size, firstPageBytes: r.firstPageBytes };
}

export function recordDocument(
  db: Db,
  d: Omit<DocumentRow, 'id' | 'createdAt' | 'webSha256' | 'webSize' | 'webFirstPageBytes'>
    & Partial<Pick<DocumentRow, 'webSha256' | 'webSize' | 'webFirstPageBytes'>>,
): DocumentInfo {
  const row: DocumentRow = { id: newId(), createdAt: nowIso(), webSha256: null, webSize: null, webFirstPageBytes: null, ...d };
  db.insert(documents).values(row).run();
  return toDocument(row);
}

export function listDocuments(db: Db, meetingId: string): DocumentInfo[] {
  return db.select().from(documents).where(eq(documents.meetingId, meetingId)).orderBy(desc(documents.createdAt)).all().map(toDocument);
}

export function getDocument(db: Db, id: string): DocumentInfo {
  const d = db.select().from(documents).where(eq(documents.id, id)).get();
  if (!d) throw notFound('Document');
  return toDocument(d);
}

/** getDocument, with the file served for viewing. */
export function getStoredDocument(db: Db, id: string): StoredDocument {
  const d = db.select().from(documents).where(eq(documents.id, id)).get();
  if (!d) throw notFound('Document');
  return toStored(d);
}

export function deleteDocument(db: Db, meetingId: string, id: string): void {
  // The bytes stay: another row may share them, and the event log may still refer to them.
  const r = db.delete(documents).where(and(eq(documents.id, id), eq(documents.meetingId, meetingId))).run();
  if (r.changes === 0) throw notFound('Document');
}

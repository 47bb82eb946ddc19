// Document uploads: stream to disk + hash, open with pdf.js in a worker, then record the row.
import { and, desc, eq } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import type { Db } from '../db/client';
import { documents } from '../db/schema';
import { notFound } from '../errors';
import { newId, nowIso } from '../ids';
import { inspectPdf } from '../pdf/inspect-pdf';
import type { DocumentStore } from './document-store';
import type { DocumentInfo } from '../../shared/api';
import type { Config } from '../config';

type DocumentRow = typeof documents.$inferSelect;

export const toDocument = (d: DocumentRow): DocumentInfo => ({
  id: d.id, meetingId: d.meetingId, sha256: d.sha256, filename: d.filename, title: d.title,
  pageCount: d.pageCount, size: d.size, createdAt: d.createdAt,
});

/** Keeps a filename printable and short; it is shown to people, never used as a path. */
export function cleanFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.normalize('NFC').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || 'document.pdf';
}

export async function uploadDocument(
  db: Db,
  store: DocumentStore,
  config: Pick<Config, 'maxUploadBytes' | 'maxPdfPages' | 'pdfInspectTimeoutMs' | 'pdfInspectMemoryMb'>,
  input: { meetingId: string; uploadedBy: string; filename: string | undefined; stream: Readable },
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
  return recordDocument(db, {
    meetingId: input.meetingId, uploadedBy: input.uploadedBy, sha256: received.sha256, size: received.size,
    filename: cleanFilename(input.filename), title: info.title, pageCount: info.pageCount,
  });
}

export function recordDocument(
  db: Db,
  d: Omit<DocumentRow, 'id' | 'createdAt'>,
): DocumentInfo {
  const row: DocumentRow = { id: newId(), createdAt: nowIso(), ...d };
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

export function deleteDocument(db: Db, meetingId: string, id: string): void {
  // The bytes stay: another row may share them, and the event log may still refer to them.
  const r = db.delete(documents).where(and(eq(documents.id, id), eq(documents.meetingId, meetingId))).run();
  if (r.changes === 0) throw notFound('Document');
}

// Document uploads: stream to disk + hash, open with pdf.js in a worker, then record the row.
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import type { Query, Store, Tables } from '../db/store';
import { documents } from '../db/schema';
import { AppError, notFound } from '../errors';
import { newId, nowIso } from '../ids';
import { inspectPdf } from '../pdf/inspect-pdf';
import { wantsWebCopy } from '../pdf/web-copy';
import { sanitizePdf } from '../pdf/sanitize-pdf';
import { extractDocumentText } from './document-text';
import { versionTarget } from './document-versions';
import type { PdfWorkers } from '../pdf/pdf-workers';
import type { FastifyBaseLogger } from 'fastify';
import type { DocumentStore } from './document-store';
import type { DocumentInfo } from '../../shared/api';
import type { Config } from '../config';
import type { ConfidentialityLevel } from '../../shared/confidential';

type DocumentRow = typeof documents.$inferSelect;
type Log = Pick<FastifyBaseLogger, 'info' | 'warn'>;

export const toDocument = (d: DocumentRow, nextVersionId: string | null = null): DocumentInfo => ({
  id: d.id,
  meetingId: d.meetingId,
  sha256: d.sha256,
  filename: d.filename,
  title: d.title,
  pageCount: d.pageCount,
  size: d.size,
  createdAt: d.createdAt,
  warning: d.warning,
  confidentiality: d.confidentiality,
  offlineAllowed: d.offlineAllowed,
  publishedAt: d.publishedAt,
  version: d.version,
  previousVersionId: d.previousVersionId,
  nextVersionId,
  // a row from before the job existed has no state: its copy exists or was never wanted
  webCopy: d.webState ?? (d.webSha256 ? 'ready' : null),
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

/**
 * Control and bidirectional-formatting characters: C0 and C1 controls, the bidi embeddings and
 * overrides (U+202A–U+202E), isolates (U+2066–U+2069) and marks (U+200E/F). An override turns
 * "invoice\u202Efdp.exe" into what reads as "invoiceexe.pdf" (issue 20 item 5); none has a place in
 * a name shown to people.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text from a file (its name, its PDF title) as it may be shown: no control or bidi characters. */
export function cleanText(text: string): string {
  return text.normalize('NFC').replace(UNSAFE_TEXT, '').trim();
}

/** Keeps a filename printable and short; it is shown to people, never used as a path. */
export function cleanFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = cleanText(base).slice(0, 200);
  return clean || 'document.pdf';
}

/** The row of document `documentId` if it is one of meeting `meetingId`'s; NOT_FOUND otherwise. */
async function rowOfMeeting(q: Query, t: Tables, meetingId: string, documentId: string): Promise<DocumentRow> {
  const [row] = await q
    .select()
    .from(t.documents)
    .where(and(eq(t.documents.id, documentId), eq(t.documents.meetingId, meetingId)));
  if (!row) throw notFound('Document');
  return row;
}

/** Renames a document of this meeting: NOT_FOUND for another meeting's; INVALID for a blank title. */
export async function renameDocument(
  q: Query,
  t: Tables,
  meetingId: string,
  documentId: string,
  title: string,
): Promise<DocumentInfo> {
  const clean = cleanText(title).replace(/\s+/g, ' ');
  if (!clean) throw new AppError('INVALID', 'The title is empty');
  const row = await rowOfMeeting(q, t, meetingId, documentId);
  await q.update(t.documents).set({ title: clean }).where(eq(t.documents.id, documentId));
  return toDocument({ ...row, title: clean });
}

/**
 * Marks a document of this meeting confidential at a level, or ordinary again (null): NOT_FOUND for
 * another meeting's. Returns the document and whether its level changed.
 */
export async function setConfidentiality(
  q: Query,
  t: Tables,
  meetingId: string,
  documentId: string,
  level: ConfidentialityLevel | null,
): Promise<{ doc: DocumentInfo; changed: boolean }> {
  const row = await rowOfMeeting(q, t, meetingId, documentId);
  if (row.confidentiality !== level)
    await q.update(t.documents).set({ confidentiality: level }).where(eq(t.documents.id, documentId));
  return { doc: toDocument({ ...row, confidentiality: level }), changed: row.confidentiality !== level };
}

/** Whether members may keep a (confidential) document of this meeting on their device; NOT_FOUND for another meeting's. */
export async function setOfflineAllowed(
  q: Query,
  t: Tables,
  meetingId: string,
  documentId: string,
  allowed: boolean,
): Promise<{ doc: DocumentInfo; changed: boolean }> {
  const row = await rowOfMeeting(q, t, meetingId, documentId);
  if (row.offlineAllowed !== allowed)
    await q.update(t.documents).set({ offlineAllowed: allowed }).where(eq(t.documents.id, documentId));
  return { doc: toDocument({ ...row, offlineAllowed: allowed }), changed: row.offlineAllowed !== allowed };
}

export async function uploadDocument(
  database: Store,
  store: DocumentStore,
  workers: PdfWorkers,
  config: Pick<Config, 'maxUploadBytes' | 'maxPdfPages' | 'pdfInspectTimeoutMs'> &
    Partial<Pick<Config, 'pdfWebCopyMinBytes' | 'pdfWebCopyMinPages' | 'pdfWebCopyTimeoutMs'>>,
  input: {
    meetingId: string;
    uploadedBy: string;
    filename: string | undefined;
    stream: Readable;
    log?: Log;
    /** told how long the PDF inspection took and how it ended ('ok' or the refusal code), for /metrics */
    inspected?: (seconds: number, outcome: string) => void;
    /** a new version of this document (services/document-versions.ts checked it is the newest; checked again in the write) */
    versionOf?: { id: string; version: number; title: string | null };
    /** told when a web copy is to be made (services/web-copy-jobs.ts): made after the answer */
    webCopies?: { kick(): void };
  },
): Promise<DocumentInfo> {
  // the slow parts (receiving, inspecting, sanitising, the web copy) happen before the one write
  const received = await store.receive(input.stream, config.maxUploadBytes);
  let info;
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    info = await inspectPdf(received.tmpPath, workers, { timeoutMs: config.pdfInspectTimeoutMs, maxPages: config.maxPdfPages });
    input.inspected?.(elapsed(), 'ok');
  } catch (e) {
    input.inspected?.(elapsed(), e instanceof AppError ? e.code : 'error');
    await store.discard(received.tmpPath);
    throw e;
  }
  const stored = await withoutActiveContent(store, workers, config, received, input.log);
  const web = await webCopyPlan(database, store, config, stored.sha256, stored.size, info.pageCount);
  const versionOf = input.versionOf;
  const doc = await database.write(input.meetingId, async (tx, t) => {
    // another version may have been added while this one uploaded: the line never forks
    if (versionOf) await versionTarget(tx, t, input.meetingId, versionOf.id);
    return recordDocument(tx, t, {
      meetingId: input.meetingId,
      uploadedBy: input.uploadedBy,
      sha256: stored.sha256,
      size: stored.size,
      // titled after the file: the PDF's Title metadata is what the authoring tool left ("Microsoft
      // Word - Document1"); the organiser renames it (renameDocument) when the file name is not right
      // a new version keeps the title the organiser gave the document
      filename: cleanFilename(input.filename),
      title: versionOf?.title ?? cleanFilename(input.filename),
      pageCount: info.pageCount,
      warning: info.warning,
      ...web,
      ...(versionOf ? { version: versionOf.version + 1, previousVersionId: versionOf.id } : {}),
    });
  });
  // the web copy after the answer (it took up to a minute inside the request before, issue 22 item 7)
  if (doc.webCopy === 'pending') input.webCopies?.kick();
  // the text before the answer, so that a document is searchable (and comparable) once it is listed;
  // best effort: a file whose text cannot be read is still a document
  await extractDocumentText(
    database,
    store,
    workers,
    { timeoutMs: config.pdfWebCopyTimeoutMs ?? 60000, maxPages: config.maxPdfPages },
    doc,
    input.log,
  );
  return doc;
}

/**
 * Stores the upload, or its copy without JavaScript and launch actions when it had any
 * (pdf/sanitize-pdf.ts): what is stored is what every download serves. Best effort: a file pdf-lib
 * cannot rewrite is stored as uploaded (the viewer's pdf.js never runs scripts), with a warning.
 */
async function withoutActiveContent(
  store: DocumentStore,
  workers: PdfWorkers,
  config: Pick<Config, 'pdfInspectTimeoutMs'>,
  received: { tmpPath: string; sha256: string; size: number },
  log?: Log,
): Promise<{ sha256: string; size: number }> {
  const outPath = await store.newTmpPath();
  const r = await sanitizePdf(received.tmpPath, outPath, workers, { timeoutMs: config.pdfInspectTimeoutMs });
  if (r.ok && r.changed) {
    await store.discard(received.tmpPath);
    await store.commit(outPath, r.sha256);
    log?.warn(
      { uploadedSha256: received.sha256, sha256: r.sha256 },
      'active content (JavaScript, launch actions) removed from an upload',
    );
    return { sha256: r.sha256, size: r.size };
  }
  if (!r.ok)
    log?.warn(
      { sha256: received.sha256, reason: r.reason },
      'the upload could not be checked for active content; stored as uploaded',
    );
  await store.commit(received.tmpPath, received.sha256);
  return { sha256: received.sha256, size: received.size };
}

/**
 * What the new row says of its web copy (server/pdf/web-copy.ts): none for a file small enough
 * (state null); the copy of the same bytes uploaded before, when there is one (ready at once); else
 * 'pending': services/web-copy-jobs.ts makes it in the background and the original is served until then.
 */
async function webCopyPlan(
  database: Store,
  store: DocumentStore,
  config: Partial<Pick<Config, 'pdfWebCopyMinBytes' | 'pdfWebCopyMinPages'>>,
  sha256: string,
  size: number,
  pageCount: number,
): Promise<Pick<DocumentRow, 'webSha256' | 'webSize' | 'webFirstPageBytes' | 'webState'>> {
  const none = { webSha256: null, webSize: null, webFirstPageBytes: null };
  const minBytes = config.pdfWebCopyMinBytes ?? 2 * 1024 * 1024;
  const minPages = config.pdfWebCopyMinPages ?? 50;
  if (!wantsWebCopy(size, pageCount, { minBytes, minPages })) return { ...none, webState: null };
  const [earlier] = await database.read((q, t) =>
    q
      .select({
        webSha256: t.documents.webSha256,
        webSize: t.documents.webSize,
        webFirstPageBytes: t.documents.webFirstPageBytes,
      })
      .from(t.documents)
      .where(and(eq(t.documents.sha256, sha256), isNotNull(t.documents.webSha256)))
      .limit(1),
  );
  if (earlier?.webSha256 && earlier.webSize !== null && (await store.has(earlier.webSha256))) {
    return {
      webSha256: earlier.webSha256,
      webSize: earlier.webSize,
      webFirstPageBytes: earlier.webFirstPageBytes,
      webState: 'ready',
    };
  }
  return { ...none, webState: 'pending' };
}

/** What an upload (or the demo seed) gives for a new row; the rest takes its default. */
export type NewDocument = Omit<
  DocumentRow,
  | 'id'
  | 'createdAt'
  | 'webSha256'
  | 'webSize'
  | 'webFirstPageBytes'
  | 'webState'
  | 'webError'
  | 'webClaimedBy'
  | 'webClaimedAt'
  | 'warning'
  | 'confidentiality'
  | 'offlineAllowed'
  | 'textState'
  | 'publishedAt'
  | 'version'
  | 'previousVersionId'
> &
  Partial<
    Pick<
      DocumentRow,
      | 'webSha256'
      | 'webSize'
      | 'webFirstPageBytes'
      | 'webState'
      | 'warning'
      | 'confidentiality'
      | 'publishedAt'
      | 'version'
      | 'previousVersionId'
    >
  >;

function newDocumentRow(d: NewDocument): DocumentRow {
  return {
    id: newId(),
    createdAt: nowIso(),
    webSha256: null,
    webSize: null,
    webFirstPageBytes: null,
    webState: null,
    webError: null,
    webClaimedBy: null,
    webClaimedAt: null,
    warning: null,
    confidentiality: null,
    offlineAllowed: false,
    textState: null,
    publishedAt: null,
    version: 1,
    previousVersionId: null,
    ...d,
  };
}

export async function recordDocument(q: Query, t: Tables, d: NewDocument): Promise<DocumentInfo> {
  const row = newDocumentRow(d);
  await q.insert(t.documents).values(row);
  return toDocument(row);
}

/**
 * The meeting's documents the caller may see: with `drafts` false (a member who is not an officer,
 * services/document-publication.ts) only the published ones. Each says its next version, if the
 * caller may see that one. Newest first; ties on the upload time by id, sorted here in JS so that
 * both databases agree (PostgreSQL's text collation may order ids differently from SQLite's).
 */
export async function listDocuments(
  q: Query,
  t: Tables,
  meetingId: string,
  opts: { drafts: boolean } = { drafts: true },
): Promise<DocumentInfo[]> {
  const all = await q.select().from(t.documents).where(eq(t.documents.meetingId, meetingId));
  return listed(all, opts);
}

function listed(all: DocumentRow[], opts: { drafts: boolean }): DocumentInfo[] {
  const rows = all
    .filter((d) => opts.drafts || d.publishedAt !== null)
    .sort((x, y) => (x.createdAt === y.createdAt ? cmp(y.id, x.id) : cmp(y.createdAt, x.createdAt)));
  const next = new Map(rows.filter((d) => d.previousVersionId).map((d) => [d.previousVersionId!, d.id]));
  return rows.map((d) => toDocument(d, next.get(d.id) ?? null));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The next version of a document the caller may see (drafts only for officers). */
export async function nextVersionOf(q: Query, t: Tables, id: string, opts: { drafts: boolean }): Promise<string | null> {
  const rows = await q
    .select({ id: t.documents.id, publishedAt: t.documents.publishedAt })
    .from(t.documents)
    .where(eq(t.documents.previousVersionId, id));
  return rows.find((r) => opts.drafts || r.publishedAt !== null)?.id ?? null;
}

/** A stored document, with no visibility check (on someone's behalf: document-access.ts). */
export async function getStoredDocumentUnchecked(q: Query, t: Tables, id: string): Promise<StoredDocument> {
  const [d] = await q.select().from(t.documents).where(eq(t.documents.id, id));
  if (!d) throw notFound('Document');
  return toStored(d);
}

/** Deletes a document of meeting `meetingId` (NOT_FOUND for another's), in the caller's write transaction. */
export async function deleteDocument(q: Query, t: Tables, meetingId: string, id: string): Promise<void> {
  // The bytes stay: another row may share them, and the event log may still refer to them.
  // SQLite cannot add ON DELETE SET NULL to a column it adds (migration 0014): done here. The next
  // version keeps its number; it just no longer has a previous one to compare with.
  await q
    .update(t.documents)
    .set({ previousVersionId: null })
    .where(and(eq(t.documents.previousVersionId, id), eq(t.documents.meetingId, meetingId)));
  const gone = await q
    .delete(t.documents)
    .where(and(eq(t.documents.id, id), eq(t.documents.meetingId, meetingId)))
    .returning({ id: t.documents.id });
  if (gone.length === 0) throw notFound('Document');
}

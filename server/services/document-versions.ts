// New versions of a document (dự thảo lần 2) and what changed between two versions (issue 15). A
// version is a document of its own (its own id, file, marks and reads), linked to the one before
// (documents.previous_version_id), so every mark made on the old version stays on it. What changed
// is computed from both versions' page text (services/document-text.ts) with the `diff` library:
// pages are aligned by their text (services/page-alignment.ts), so an inserted or removed page is
// shown as such, and a changed page lists its words as kept / added / removed.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { agendaItemDocuments, documents } from '../db/schema';
import { AppError, notFound } from '../errors';
import type { VersionChanges } from '../../shared/api';
import { documentPageTexts } from './document-text';

/**
 * The document a new version will follow: one of this meeting's, and the newest of its line
 * (NOT_LATEST_VERSION otherwise, so a line never forks).
 */
export function versionTarget(
  db: Db,
  meetingId: string,
  documentId: string,
): { id: string; version: number; title: string | null } {
  const row = db
    .select({ id: documents.id, version: documents.version, title: documents.title })
    .from(documents)
    .where(and(eq(documents.id, documentId), eq(documents.meetingId, meetingId)))
    .get();
  if (!row) throw notFound('Document');
  const newer = db.select({ id: documents.id }).from(documents).where(eq(documents.previousVersionId, documentId)).get();
  if (newer) throw new AppError('NOT_LATEST_VERSION', 'This document already has a newer version; add the new one to that');
  return row;
}

/**
 * When a new version goes out to the members, the agenda items that listed the previous one list
 * it instead (in the same place): the agenda shows the current text, the old one stays reachable
 * through the version links. Called inside the publishing transaction.
 */
export function moveAgendaLinks(db: Db, previousId: string, currentId: string): void {
  const links = db.select().from(agendaItemDocuments).where(eq(agendaItemDocuments.documentId, previousId)).all();
  for (const l of links) {
    const already = db
      .select()
      .from(agendaItemDocuments)
      .where(and(eq(agendaItemDocuments.agendaItemId, l.agendaItemId), eq(agendaItemDocuments.documentId, currentId)))
      .get();
    db.delete(agendaItemDocuments)
      .where(and(eq(agendaItemDocuments.agendaItemId, l.agendaItemId), eq(agendaItemDocuments.documentId, previousId)))
      .run();
    if (!already)
      db.insert(agendaItemDocuments).values({ agendaItemId: l.agendaItemId, documentId: currentId, position: l.position }).run();
  }
}

/** Whitespace does not make a page different: lines re-flowed by the authoring tool are the same text. */
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The pages of `current` whose text differs from the version before it, with word-level differences. */
export async function versionChanges(
  db: Db,
  current: { id: string; version: number; previousVersionId: string | null },
): Promise<VersionChanges> {
  if (!current.previousVersionId) throw notFound('Previous version');
  const prev = db
    .select({ id: documents.id, version: documents.version, textState: documents.textState })
    .from(documents)
    .where(eq(documents.id, current.previousVersionId))
    .get();
  if (!prev) throw notFound('Previous version');
  const curState = db.select({ s: documents.textState }).from(documents).where(eq(documents.id, current.id)).get()?.s;
  const base = { documentId: current.id, previousVersionId: prev.id, version: current.version, previousVersion: prev.version };
  if (curState !== 'done' || prev.textState !== 'done') return { ...base, comparable: false, pages: [] };
  // the diff library (and the page alignment built on it) is loaded by the first comparison, not at start
  const [{ diffWords }, { alignPages }] = await Promise.all([import('diff'), import('./page-alignment')]);
  const a = documentPageTexts(db, prev.id).map(norm);
  const b = documentPageTexts(db, current.id).map(norm);
  const pages: VersionChanges['pages'] = alignPages(a, b).map((p) => {
    if (p.status === 'added')
      return { page: p.page, previousPage: null, status: 'added', parts: [{ op: '+', text: b[p.page - 1]! }] };
    if (p.status === 'removed')
      return {
        page: p.previousPage,
        previousPage: p.previousPage,
        status: 'removed',
        parts: [{ op: '-', text: a[p.previousPage - 1]! }],
      };
    const parts = diffWords(a[p.previousPage - 1]!, b[p.page - 1]!).map((c) => ({
      op: c.added ? ('+' as const) : c.removed ? ('-' as const) : ('=' as const),
      text: c.value,
    }));
    return { page: p.page, previousPage: p.previousPage, status: 'changed', parts };
  });
  return { ...base, comparable: true, pages };
}

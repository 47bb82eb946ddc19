// New versions of a document (dự thảo lần 2) and what changed between two versions (issue 15). A
// version is a document of its own (its own id, file, marks and reads), linked to the one before
// (documents.previous_version_id), so every mark made on the old version stays on it. What changed
// is computed from both versions' page text (services/document-text.ts) with the `diff` library:
// pages are aligned by their text (services/page-alignment.ts), so an inserted or removed page is
// shown as such, and a changed page lists its words as kept / added / removed.
import { and, eq } from 'drizzle-orm';
import type { Query, Tables } from '../db/store';
import { AppError, notFound } from '../errors';
import type { VersionChanges } from '../../shared/api';
import { documentPageTexts } from './document-text';

/**
 * The document a new version will follow: one of this meeting's, and the newest of its line
 * (NOT_LATEST_VERSION otherwise, so a line never forks).
 */
export async function versionTarget(
  q: Query,
  t: Tables,
  meetingId: string,
  documentId: string,
): Promise<{ id: string; version: number; title: string | null }> {
  const [row] = await q
    .select({ id: t.documents.id, version: t.documents.version, title: t.documents.title })
    .from(t.documents)
    .where(and(eq(t.documents.id, documentId), eq(t.documents.meetingId, meetingId)));
  if (!row) throw notFound('Document');
  const [newer] = await q
    .select({ id: t.documents.id })
    .from(t.documents)
    .where(eq(t.documents.previousVersionId, documentId))
    .limit(1);
  if (newer) throw new AppError('NOT_LATEST_VERSION', 'This document already has a newer version; add the new one to that');
  return row;
}

/**
 * When a new version goes out to the members, the agenda items that listed the previous one list
 * it instead (in the same place): the agenda shows the current text, the old one stays reachable
 * through the version links. Called inside the publishing transaction.
 */
export async function moveAgendaLinks(tx: Query, t: Tables, previousId: string, currentId: string): Promise<void> {
  const links = await tx.select().from(t.agendaItemDocuments).where(eq(t.agendaItemDocuments.documentId, previousId));
  for (const l of links) {
    const [already] = await tx
      .select()
      .from(t.agendaItemDocuments)
      .where(and(eq(t.agendaItemDocuments.agendaItemId, l.agendaItemId), eq(t.agendaItemDocuments.documentId, currentId)));
    await tx
      .delete(t.agendaItemDocuments)
      .where(and(eq(t.agendaItemDocuments.agendaItemId, l.agendaItemId), eq(t.agendaItemDocuments.documentId, previousId)));
    if (!already)
      await tx
        .insert(t.agendaItemDocuments)
        .values({ agendaItemId: l.agendaItemId, documentId: currentId, position: l.position });
  }
}

/** Whitespace does not make a page different: lines re-flowed by the authoring tool are the same text. */
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The pages of `current` whose text differs from the version before it, with word-level differences. */
export async function versionChanges(
  q: Query,
  t: Tables,
  current: { id: string; version: number; previousVersionId: string | null },
): Promise<VersionChanges> {
  if (!current.previousVersionId) throw notFound('Previous version');
  const [prev] = await q
    .select({ id: t.documents.id, version: t.documents.version, textState: t.documents.textState })
    .from(t.documents)
    .where(eq(t.documents.id, current.previousVersionId));
  if (!prev) throw notFound('Previous version');
  const [cur] = await q.select({ s: t.documents.textState }).from(t.documents).where(eq(t.documents.id, current.id));
  const curState = cur?.s;
  const base = { documentId: current.id, previousVersionId: prev.id, version: current.version, previousVersion: prev.version };
  if (curState !== 'done' || prev.textState !== 'done') return { ...base, comparable: false, pages: [] };
  // the diff library (and the page alignment built on it) is loaded by the first comparison, not at start
  const [{ diffWords }, { alignPages }] = await Promise.all([import('diff'), import('./page-alignment')]);
  const a = (await documentPageTexts(q, t, prev.id)).map(norm);
  const b = (await documentPageTexts(q, t, current.id)).map(norm);
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

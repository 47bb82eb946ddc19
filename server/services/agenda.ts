// Agenda items of a meeting, ordered by position, each with its attached documents.
import { and, asc, eq, inArray, max } from 'drizzle-orm';
import type { Db } from '../db/client';
import { agendaItemDocuments, agendaItems, documents, meetingMembers } from '../db/schema';
import { AppError, invalid, notFound } from '../errors';
import { newId, nowIso } from '../ids';
import type { AgendaItem } from '../../shared/api';

type ItemRow = typeof agendaItems.$inferSelect;

/** The agenda; with `drafts` false (a member, services/document-publication.ts) no draft documents in it. */
export function listAgenda(db: Db, meetingId: string, opts: { drafts: boolean } = { drafts: true }): AgendaItem[] {
  const items = db
    .select()
    .from(agendaItems)
    .where(eq(agendaItems.meetingId, meetingId))
    .orderBy(asc(agendaItems.position))
    .all();
  if (items.length === 0) return [];
  const links = db
    .select({
      agendaItemId: agendaItemDocuments.agendaItemId,
      documentId: agendaItemDocuments.documentId,
      publishedAt: documents.publishedAt,
    })
    .from(agendaItemDocuments)
    .innerJoin(documents, eq(documents.id, agendaItemDocuments.documentId))
    .where(
      inArray(
        agendaItemDocuments.agendaItemId,
        items.map((i) => i.id),
      ),
    )
    .orderBy(asc(agendaItemDocuments.position))
    .all()
    .filter((l) => opts.drafts || l.publishedAt !== null);
  return items.map((i) =>
    toItem(
      i,
      links.filter((l) => l.agendaItemId === i.id).map((l) => l.documentId),
    ),
  );
}

const toItem = (i: ItemRow, documentIds: string[]): AgendaItem => ({
  id: i.id,
  meetingId: i.meetingId,
  position: i.position,
  title: i.title,
  presenterId: i.presenterId,
  durationMinutes: i.durationMinutes,
  documentIds,
});

export function getAgendaItem(db: Db, meetingId: string, itemId: string): AgendaItem {
  const i = db
    .select()
    .from(agendaItems)
    .where(and(eq(agendaItems.id, itemId), eq(agendaItems.meetingId, meetingId)))
    .get();
  if (!i) throw notFound('Agenda item');
  const docs = db
    .select()
    .from(agendaItemDocuments)
    .where(eq(agendaItemDocuments.agendaItemId, itemId))
    .orderBy(asc(agendaItemDocuments.position))
    .all();
  return toItem(
    i,
    docs.map((d) => d.documentId),
  );
}

function assertPresenterIsMember(db: Db, meetingId: string, presenterId: string | null | undefined) {
  if (!presenterId) return;
  const m = db
    .select()
    .from(meetingMembers)
    .where(and(eq(meetingMembers.meetingId, meetingId), eq(meetingMembers.userId, presenterId)))
    .get();
  if (!m) throw invalid('The presenter must be a member of the meeting');
}

export interface AgendaInput {
  title?: string;
  presenterId?: string | null;
  durationMinutes?: number | null;
}

export function createAgendaItem(db: Db, meetingId: string, input: AgendaInput & { title: string }): AgendaItem {
  assertPresenterIsMember(db, meetingId, input.presenterId);
  const last = db
    .select({ p: max(agendaItems.position) })
    .from(agendaItems)
    .where(eq(agendaItems.meetingId, meetingId))
    .get();
  const row: ItemRow = {
    id: newId(),
    meetingId,
    position: (last?.p ?? 0) + 1,
    title: input.title.trim(),
    presenterId: input.presenterId ?? null,
    durationMinutes: input.durationMinutes ?? null,
    createdAt: nowIso(),
  };
  db.insert(agendaItems).values(row).run();
  return toItem(row, []);
}

export function updateAgendaItem(db: Db, meetingId: string, itemId: string, input: AgendaInput): AgendaItem {
  getAgendaItem(db, meetingId, itemId);
  assertPresenterIsMember(db, meetingId, input.presenterId);
  const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  db.update(agendaItems).set(patch).where(eq(agendaItems.id, itemId)).run();
  return getAgendaItem(db, meetingId, itemId);
}

export function deleteAgendaItem(db: Db, meetingId: string, itemId: string): void {
  const r = db
    .delete(agendaItems)
    .where(and(eq(agendaItems.id, itemId), eq(agendaItems.meetingId, meetingId)))
    .run();
  if (r.changes === 0) throw notFound('Agenda item');
}

/** The new order must name every item of the meeting exactly once. */
export function reorderAgenda(db: Db, meetingId: string, itemIds: string[]): AgendaItem[] {
  const current = db.select({ id: agendaItems.id }).from(agendaItems).where(eq(agendaItems.meetingId, meetingId)).all();
  const known = new Set(current.map((c) => c.id));
  if (itemIds.length !== known.size || new Set(itemIds).size !== itemIds.length || !itemIds.every((id) => known.has(id))) {
    throw invalid('itemIds must list every agenda item of the meeting exactly once');
  }
  db.transaction((tx) => {
    itemIds.forEach((id, i) =>
      tx
        .update(agendaItems)
        .set({ position: i + 1 })
        .where(eq(agendaItems.id, id))
        .run(),
    );
  });
  return listAgenda(db, meetingId);
}

export function attachDocument(db: Db, meetingId: string, itemId: string, documentId: string): AgendaItem {
  const item = getAgendaItem(db, meetingId, itemId);
  const doc = db
    .select()
    .from(documents)
    .where(and(eq(documents.id, documentId), eq(documents.meetingId, meetingId)))
    .get();
  if (!doc) throw notFound('Document');
  if (item.documentIds.includes(documentId)) throw new AppError('CONFLICT', 'Document already attached to this item');
  db.insert(agendaItemDocuments)
    .values({ agendaItemId: itemId, documentId, position: item.documentIds.length + 1 })
    .run();
  return getAgendaItem(db, meetingId, itemId);
}

export function detachDocument(db: Db, meetingId: string, itemId: string, documentId: string): AgendaItem {
  getAgendaItem(db, meetingId, itemId);
  const r = db
    .delete(agendaItemDocuments)
    .where(and(eq(agendaItemDocuments.agendaItemId, itemId), eq(agendaItemDocuments.documentId, documentId)))
    .run();
  if (r.changes === 0) throw notFound('Attached document');
  return getAgendaItem(db, meetingId, itemId);
}

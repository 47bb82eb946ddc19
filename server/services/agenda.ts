// Agenda items of a meeting, ordered by position (1, 2, … without gaps), each with its attached
// documents. On the asynchronous Store (server/db/store.ts): every change is one write transaction
// of the caller's (lock key: the meeting), which reads what it decides on inside it.
import { and, asc, eq, gt, inArray, max, sql } from 'drizzle-orm';
import type { Query, Tables } from '../db/store';
import { agendaItems } from '../db/schema';
import { AppError, invalid, notFound } from '../errors';
import { newId, nowIso } from '../ids';
import type { AgendaItem } from '../../shared/api';

type ItemRow = typeof agendaItems.$inferSelect;
type Link = { agendaItemId: string; documentId: string; publishedAt: string | null };

const toItem = (i: ItemRow, documentIds: string[]): AgendaItem => ({
  id: i.id,
  meetingId: i.meetingId,
  position: i.position,
  title: i.title,
  presenterId: i.presenterId,
  durationMinutes: i.durationMinutes,
  documentIds,
});

function withDocuments(items: ItemRow[], links: Link[], drafts: boolean): AgendaItem[] {
  const shown = links.filter((l) => drafts || l.publishedAt !== null);
  return items.map((i) =>
    toItem(
      i,
      shown.filter((l) => l.agendaItemId === i.id).map((l) => l.documentId),
    ),
  );
}

/** The agenda; with `drafts` false (a member, services/document-publication.ts) no draft documents in it. */
export async function listAgenda(
  q: Query,
  t: Tables,
  meetingId: string,
  opts: { drafts: boolean } = { drafts: true },
): Promise<AgendaItem[]> {
  const { agendaItems: ai, agendaItemDocuments: aid, documents: d } = t;
  const items = await q.select().from(ai).where(eq(ai.meetingId, meetingId)).orderBy(asc(ai.position), asc(ai.id));
  if (items.length === 0) return [];
  const links = await q
    .select({ agendaItemId: aid.agendaItemId, documentId: aid.documentId, publishedAt: d.publishedAt })
    .from(aid)
    .innerJoin(d, eq(d.id, aid.documentId))
    .where(
      inArray(
        aid.agendaItemId,
        items.map((i) => i.id),
      ),
    )
    .orderBy(asc(aid.position), asc(aid.documentId));
  return withDocuments(items, links, opts.drafts);
}

export async function getAgendaItem(q: Query, t: Tables, meetingId: string, itemId: string): Promise<AgendaItem> {
  const { agendaItems: ai, agendaItemDocuments: aid } = t;
  const [i] = await q
    .select()
    .from(ai)
    .where(and(eq(ai.id, itemId), eq(ai.meetingId, meetingId)));
  if (!i) throw notFound('Agenda item');
  const docs = await q
    .select({ documentId: aid.documentId })
    .from(aid)
    .where(eq(aid.agendaItemId, itemId))
    .orderBy(asc(aid.position), asc(aid.documentId));
  return toItem(
    i,
    docs.map((x) => x.documentId),
  );
}

async function assertPresenterIsMember(q: Query, t: Tables, meetingId: string, presenterId: string | null | undefined) {
  if (!presenterId) return;
  const { meetingMembers: mm } = t;
  const [m] = await q
    .select({ userId: mm.userId })
    .from(mm)
    .where(and(eq(mm.meetingId, meetingId), eq(mm.userId, presenterId)));
  if (!m) throw invalid('The presenter must be a member of the meeting');
}

export interface AgendaInput {
  title?: string;
  presenterId?: string | null;
  durationMinutes?: number | null;
}

/** A new item at the end of the agenda (inside a write: two additions never take one position). */
export async function createAgendaItem(
  tx: Query,
  t: Tables,
  meetingId: string,
  input: AgendaInput & { title: string },
): Promise<AgendaItem> {
  await assertPresenterIsMember(tx, t, meetingId, input.presenterId);
  const { agendaItems: ai } = t;
  const [last] = await tx
    .select({ p: max(ai.position) })
    .from(ai)
    .where(eq(ai.meetingId, meetingId));
  const row: ItemRow = {
    id: newId(),
    meetingId,
    position: Number(last?.p ?? 0) + 1,
    title: input.title.trim(),
    presenterId: input.presenterId ?? null,
    durationMinutes: input.durationMinutes ?? null,
    createdAt: nowIso(),
  };
  await tx.insert(ai).values(row);
  return toItem(row, []);
}

export async function updateAgendaItem(
  tx: Query,
  t: Tables,
  meetingId: string,
  itemId: string,
  input: AgendaInput,
): Promise<AgendaItem> {
  await getAgendaItem(tx, t, meetingId, itemId);
  await assertPresenterIsMember(tx, t, meetingId, input.presenterId);
  const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  if (Object.keys(patch).length) await tx.update(t.agendaItems).set(patch).where(eq(t.agendaItems.id, itemId));
  return getAgendaItem(tx, t, meetingId, itemId);
}

/** Removes an item; the ones after it move up one place, so positions stay 1…n without a gap. */
export async function deleteAgendaItem(tx: Query, t: Tables, meetingId: string, itemId: string): Promise<void> {
  const { agendaItems: ai } = t;
  const [gone] = await tx
    .delete(ai)
    .where(and(eq(ai.id, itemId), eq(ai.meetingId, meetingId)))
    .returning({ position: ai.position });
  if (!gone) throw notFound('Agenda item');
  await tx
    .update(ai)
    .set({ position: sql`${ai.position} - 1` })
    .where(and(eq(ai.meetingId, meetingId), gt(ai.position, gone.position)));
}

/**
 * The new order must name every item of the meeting exactly once; positions become 1…n. Read and
 * written in the caller's one transaction: an item added meanwhile cannot slip between the check
 * and the update. (Positions carry no unique index, so the order of the updates does not matter on
 * either database.)
 */
export async function reorderAgenda(tx: Query, t: Tables, meetingId: string, itemIds: string[]): Promise<AgendaItem[]> {
  const { agendaItems: ai } = t;
  const current = await tx.select({ id: ai.id }).from(ai).where(eq(ai.meetingId, meetingId));
  const known = new Set(current.map((c) => c.id));
  if (itemIds.length !== known.size || new Set(itemIds).size !== itemIds.length || !itemIds.every((id) => known.has(id))) {
    throw invalid('itemIds must list every agenda item of the meeting exactly once');
  }
  for (const [i, id] of itemIds.entries()) {
    await tx
      .update(ai)
      .set({ position: i + 1 })
      .where(and(eq(ai.id, id), eq(ai.meetingId, meetingId)));
  }
  return listAgenda(tx, t, meetingId);
}

export async function attachDocument(
  tx: Query,
  t: Tables,
  meetingId: string,
  itemId: string,
  documentId: string,
): Promise<AgendaItem> {
  const item = await getAgendaItem(tx, t, meetingId, itemId);
  const { documents: d } = t;
  const [doc] = await tx
    .select({ id: d.id })
    .from(d)
    .where(and(eq(d.id, documentId), eq(d.meetingId, meetingId)));
  if (!doc) throw notFound('Document');
  if (item.documentIds.includes(documentId)) throw new AppError('CONFLICT', 'Document already attached to this item');
  await tx.insert(t.agendaItemDocuments).values({ agendaItemId: itemId, documentId, position: item.documentIds.length + 1 });
  return getAgendaItem(tx, t, meetingId, itemId);
}

export async function detachDocument(
  tx: Query,
  t: Tables,
  meetingId: string,
  itemId: string,
  documentId: string,
): Promise<AgendaItem> {
  await getAgendaItem(tx, t, meetingId, itemId);
  const { agendaItemDocuments: aid } = t;
  const gone = await tx
    .delete(aid)
    .where(and(eq(aid.agendaItemId, itemId), eq(aid.documentId, documentId)))
    .returning({ documentId: aid.documentId });
  if (gone.length === 0) throw notFound('Attached document');
  return getAgendaItem(tx, t, meetingId, itemId);
}

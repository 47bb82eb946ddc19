// What is indexed, read from the tables: one entry per meeting, agenda item, document title, document
// page, minutes text (each field of the draft: conclusions apart), and written-opinion request (its
// title, tờ trình text and questions; seen only by the members asked and the office, sqlite-fts.ts). Never indexed: annotations
// (private ones are their author's alone), votes and ballots, anything of the event log but the
// minutes' text (which every member of the meeting reads, live/visibility.ts).
import { and, asc, eq } from 'drizzle-orm';
import type { Query, Tables } from '../db/store';
import type { SearchKind } from '../../shared/search-api';
import { normalizeText } from './fold';
import { indexedForMembers } from '../policies/document-policy';

/** A unit of re-indexing: the triggers queue these (sqlite-fts.ts). */
export type SourceKind = 'meeting' | 'agenda' | 'document' | 'minutes' | 'opinion';

export interface IndexEntry {
  kind: SearchKind;
  meetingId: string;
  itemId: string | null;
  documentId: string | null;
  page: number | null;
  /** the minutes field (kinds 'minutes', 'conclusion'), so a hit opens the minutes at that place */
  minutesKey?: string | null;
  /** the written-opinion request (kind 'opinion') */
  opinionId?: string | null;
  title: string;
  body: string;
}

/**
 * The entries of one source as the tables hold it now; empty when it is gone. Read on `q` (the
 * indexing write transaction, so what is indexed is what the queue entry was about), built on `t`:
 * the same function feeds the SQLite and the PostgreSQL engines.
 */
export async function entriesOf(q: Query, t: Tables, src: SourceKind, id: string): Promise<IndexEntry[]> {
  const entry = (e: Omit<IndexEntry, 'title' | 'body'> & { title: string; body: string }): IndexEntry => ({
    ...e,
    title: normalizeText(e.title),
    body: normalizeText(e.body),
  });
  switch (src) {
    case 'meeting': {
      const [m] = await q
        .select({
          id: t.meetings.id,
          title: t.meetings.title,
          organization: t.meetings.organization,
          location: t.meetings.location,
        })
        .from(t.meetings)
        .where(eq(t.meetings.id, id));
      if (!m) return [];
      return [
        entry({
          kind: 'meeting',
          meetingId: m.id,
          itemId: null,
          documentId: null,
          page: null,
          title: m.title,
          body: [m.organization, m.location].filter(Boolean).join(' · '),
        }),
      ];
    }
    case 'agenda': {
      const [a] = await q
        .select({ id: t.agendaItems.id, meetingId: t.agendaItems.meetingId, title: t.agendaItems.title })
        .from(t.agendaItems)
        .where(eq(t.agendaItems.id, id));
      if (!a) return [];
      return [
        entry({ kind: 'agenda', meetingId: a.meetingId, itemId: a.id, documentId: null, page: null, title: a.title, body: '' }),
      ];
    }
    case 'document': {
      const d = t.documents;
      const [doc] = await q
        .select({
          id: d.id,
          meetingId: d.meetingId,
          title: d.title,
          filename: d.filename,
          publishedAt: d.publishedAt,
          confidentiality: d.confidentiality,
        })
        .from(d)
        .where(eq(d.id, id));
      // the index is shared by the meeting's members (policies/document-policy.ts): a draft is the
      // officers' alone, indexed once it is sent; a confidential document's text is read only in the
      // viewer, watermarked and not copyable: a search snippet would hand it out, so only its title is found
      const shown = doc ? indexedForMembers(doc) : null;
      if (!doc || !shown?.title) return [];
      const title = doc.title ?? doc.filename;
      const base = { kind: 'document' as const, meetingId: doc.meetingId, itemId: null, documentId: doc.id };
      const pages = !shown.text
        ? []
        : await q
            .select({ page: t.documentPageTexts.page, text: t.documentPageTexts.text })
            .from(t.documentPageTexts)
            .where(eq(t.documentPageTexts.documentId, doc.id))
            .orderBy(asc(t.documentPageTexts.page));
      return [
        entry({ ...base, page: null, title, body: doc.filename }),
        ...pages.filter((p) => p.text.trim() !== '').map((p) => entry({ ...base, page: p.page, title, body: p.text })),
      ];
    }
    case 'minutes':
      return minutesEntries(q, t, id);
    case 'opinion': {
      const o = t.opinionRequests;
      const [r] = await q
        .select({ id: o.id, meetingId: o.meetingId, title: o.title, summary: o.summary, questions: o.questions })
        .from(o)
        .where(eq(o.id, id));
      if (!r) return [];
      const questions = (JSON.parse(r.questions) as Array<{ text: string }>).map((x) => x.text);
      return [
        entry({
          kind: 'opinion',
          meetingId: r.meetingId,
          itemId: null,
          documentId: null,
          page: null,
          opinionId: r.id,
          title: r.title,
          body: [r.summary, ...questions].join('\n'),
        }),
      ];
    }
  }
}

/** The draft's latest text per field (minutes.update events; the log is the record). */
async function minutesEntries(q: Query, t: Tables, meetingId: string): Promise<IndexEntry[]> {
  const [exists] = await q.select({ id: t.meetings.id }).from(t.meetings).where(eq(t.meetings.id, meetingId));
  if (!exists) return [];
  const items = new Map(
    (
      await q
        .select({ id: t.agendaItems.id, title: t.agendaItems.title })
        .from(t.agendaItems)
        .where(eq(t.agendaItems.meetingId, meetingId))
    ).map((i) => [i.id, i.title]),
  );
  const latest = new Map<string, { key: string; field: string; itemId?: string; text: string }>();
  const rows = await q
    .select({ payload: t.meetingEvents.payload })
    .from(t.meetingEvents)
    .where(and(eq(t.meetingEvents.meetingId, meetingId), eq(t.meetingEvents.type, 'minutes.update')))
    .orderBy(asc(t.meetingEvents.seq));
  for (const r of rows) {
    const p = JSON.parse(r.payload) as { key: string; field: string; itemId?: string; text: string };
    latest.set(p.key, p);
  }
  const out: IndexEntry[] = [];
  for (const p of latest.values()) {
    if (!p.text.trim() || p.field === 'copies') continue;
    if (p.itemId && !items.has(p.itemId)) continue; // the item was removed: its text is not in the minutes any more
    const conclusion = p.field === 'conclusion' || p.field === 'conclusions';
    out.push({
      kind: conclusion ? 'conclusion' : 'minutes',
      meetingId,
      itemId: p.itemId ?? null,
      documentId: null,
      page: null,
      minutesKey: p.key,
      // the meeting's title is joined at search time (it may be renamed): none here
      title: normalizeText(p.itemId ? items.get(p.itemId)! : ''),
      body: normalizeText(p.text),
    });
  }
  return out;
}

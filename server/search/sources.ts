// What is indexed, read from the tables: one entry per meeting, agenda item, document title, document
// page, minutes text (each field of the draft: conclusions apart), and written-opinion request (its
// title, tờ trình text and questions; seen only by the members asked and the office, sqlite-fts.ts). Never indexed: annotations
// (private ones are their author's alone), votes and ballots, anything of the event log but the
// minutes' text (which every member of the meeting reads, live/visibility.ts).
import type { Db } from '../db/client';
import type { SearchKind } from '../../shared/search-api';
import { documentPageTextsSync } from './document-text';
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

/** The entries of one source as the tables hold it now; empty when it is gone. */
export function entriesOf(db: Db, src: SourceKind, id: string): IndexEntry[] {
  const c = db.$client;
  const entry = (e: Omit<IndexEntry, 'title' | 'body'> & { title: string; body: string }): IndexEntry => ({
    ...e,
    title: normalizeText(e.title),
    body: normalizeText(e.body),
  });
  switch (src) {
    case 'meeting': {
      const m = c.prepare('SELECT id, title, organization, location FROM meetings WHERE id = ?').get(id) as
        { id: string; title: string; organization: string | null; location: string | null } | undefined;
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
      const a = c.prepare('SELECT id, meeting_id AS meetingId, title FROM agenda_items WHERE id = ?').get(id) as
        { id: string; meetingId: string; title: string } | undefined;
      if (!a) return [];
      return [
        entry({ kind: 'agenda', meetingId: a.meetingId, itemId: a.id, documentId: null, page: null, title: a.title, body: '' }),
      ];
    }
    case 'document': {
      const d = c
        .prepare(
          'SELECT id, meeting_id AS meetingId, title, filename, published_at AS publishedAt, confidentiality FROM documents WHERE id = ?',
        )
        .get(id) as
        | {
            id: string;
            meetingId: string;
            title: string | null;
            filename: string;
            publishedAt: string | null;
            confidentiality: string | null;
          }
        | undefined;
      // the index is shared by the meeting's members (policies/document-policy.ts): a draft is the
      // officers' alone, indexed once it is sent; a confidential document's text is read only in the
      // viewer, watermarked and not copyable: a search snippet would hand it out, so only its title is found
      const shown = d ? indexedForMembers(d) : null;
      if (!d || !shown?.title) return [];
      const title = d.title ?? d.filename;
      const base = { kind: 'document' as const, meetingId: d.meetingId, itemId: null, documentId: d.id };
      return [
        entry({ ...base, page: null, title, body: d.filename }),
        ...(!shown.text
          ? []
          : documentPageTextsSync(db, d.id)
              .filter((p) => p.text.trim() !== '')
              .map((p) => entry({ ...base, page: p.page, title, body: p.text }))),
      ];
    }
    case 'minutes':
      return minutesEntries(db, id);
    case 'opinion': {
      const r = c
        .prepare('SELECT id, meeting_id AS meetingId, title, summary, questions FROM opinion_requests WHERE id = ?')
        .get(id) as { id: string; meetingId: string; title: string; summary: string; questions: string } | undefined;
      if (!r) return [];
      const questions = (JSON.parse(r.questions) as Array<{ text: string }>).map((q) => q.text);
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
function minutesEntries(db: Db, meetingId: string): IndexEntry[] {
  const c = db.$client;
  if (c.prepare('SELECT 1 FROM meetings WHERE id = ?').get(meetingId) === undefined) return [];
  const items = new Map(
    (
      c.prepare('SELECT id, title FROM agenda_items WHERE meeting_id = ?').all(meetingId) as Array<{ id: string; title: string }>
    ).map((i) => [i.id, i.title]),
  );
  const latest = new Map<string, { key: string; field: string; itemId?: string; text: string }>();
  const rows = c
    .prepare("SELECT payload FROM meeting_events WHERE meeting_id = ? AND type = 'minutes.update' ORDER BY seq")
    .all(meetingId) as Array<{ payload: string }>;
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

/** Every source in the database, for a rebuild. */
export function allSources(db: Db): Array<[SourceKind, string]> {
  const c = db.$client;
  const ids = (sql: string) => c.prepare(sql).pluck().all() as string[];
  return [
    ...ids('SELECT id FROM meetings').flatMap((id): Array<[SourceKind, string]> => [
      ['meeting', id],
      ['minutes', id],
    ]),
    ...ids('SELECT id FROM agenda_items').map((id): [SourceKind, string] => ['agenda', id]),
    ...ids('SELECT id FROM documents').map((id): [SourceKind, string] => ['document', id]),
    ...ids('SELECT id FROM opinion_requests').map((id): [SourceKind, string] => ['opinion', id]),
  ];
}

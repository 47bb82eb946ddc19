// Search on SQLite: FTS5 over folded text (fold.ts), kept in step by triggers.
//
// Why outside the Drizzle schema: an FTS5 virtual table, its triggers and the change queue are
// SQLite-only objects Drizzle cannot declare, and putting them in server/db/schema.ts would break the
// PostgreSQL mirror (tests/unit/schema-parity.test.ts) for tables PostgreSQL does differently
// (pg-search.sql). So `installSearch` creates them at every open, after the migrations, with
// IF NOT EXISTS (a migration that rebuilds a table drops its triggers: they come back at the next
// open), and `search_meta.version` says when the layout changed and the index must be rebuilt.
//
// In step: AFTER INSERT/UPDATE/DELETE triggers on the indexed tables queue the changed source in
// `search_dirty`, in the same transaction as the change, whatever code or process made it (cascades
// included). `sync` indexes the queue before every search, and after every HTTP write (search-plugin.ts),
// so a search never answers from an index older than the tables.
//
// Tables: `search_docs` holds one row per indexed entry with the original text (for snippets and the
// caller's rights, by meeting); `search_fts` is contentless (it keeps only the index of the folded
// text, rowid = search_docs.id), so the text is stored once.
import type { Db } from '../db/client';
import type { SearchHit } from '../../shared/search-api';
import type { SearchCaller, SearchEngine } from './search-engine';
import { allSources, entriesOf, type SourceKind } from './sources';
import { PAGE_TEXT_TABLE, hasPageTexts } from './document-text';
import { foldText, queryTerms } from './fold';
import { pickSnippetText, snippet } from './snippet';

/** Above this many matching rows a pass is read newest first rather than scored (search()). */
const BROAD_MATCH = 1000;

/** Bump when the layout or the folding changes: the next open rebuilds the index. */
const INDEX_VERSION = '3';

const TABLES = `
CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS search_dirty (src TEXT NOT NULL, src_id TEXT NOT NULL, PRIMARY KEY (src, src_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS search_docs (
  id INTEGER PRIMARY KEY,
  src TEXT NOT NULL, src_id TEXT NOT NULL,
  kind TEXT NOT NULL, meeting_id TEXT NOT NULL, item_id TEXT, document_id TEXT, page INTEGER,
  minutes_key TEXT, opinion_id TEXT,
  title TEXT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS search_docs_src_idx ON search_docs (src, src_id);
CREATE INDEX IF NOT EXISTS search_docs_meeting_idx ON search_docs (meeting_id);
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
  title, body, m, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);`;

/**
 * The meeting as one token of the index's column \`m\`, so the caller's rights (the meetings they
 * are a member of) narrow the match inside FTS5 rather than after it: a delegate's search does not
 * rank every matching row of every meeting first. Hex, since ids are case-sensitive and the
 * tokenizer is not.
 */
export const meetingToken = (meetingId: string) => `m${Buffer.from(meetingId, 'utf8').toString('hex')}`;
/**
 * A written-opinion request is not seen by every member of its meeting: only by the members asked and
 * the office (opinion-service.ts access). Its row carries, instead of the meeting's token, the
 * request's own token (matched by the members asked) and the meeting's office token (matched by its
 * chair and secretary).
 */
export const opinionToken = (requestId: string) => `o${Buffer.from(requestId, 'utf8').toString('hex')}`;
export const officeToken = (meetingId: string) => `q${Buffer.from(meetingId, 'utf8').toString('hex')}`;
const rightsTokens = (e: { kind: string; meetingId: string; opinionId?: string | null }) =>
  e.kind === 'opinion' ? `${opinionToken(e.opinionId!)} ${officeToken(e.meetingId)}` : meetingToken(e.meetingId);

const queue = (src: SourceKind, id: string) => `INSERT OR IGNORE INTO search_dirty (src, src_id) VALUES ('${src}', ${id});`;

/** name → SQL; each queues what a change to its table makes stale */
function triggers(withPageTexts: boolean): Array<[string, string]> {
  const t: Array<[string, string]> = [
    ['search_meetings_ins', `AFTER INSERT ON meetings BEGIN ${queue('meeting', 'NEW.id')} END`],
    ['search_meetings_upd', `AFTER UPDATE OF title, organization, location ON meetings BEGIN ${queue('meeting', 'NEW.id')} END`],
    // the meeting's rows all go (its agenda, documents and minutes cascade; sync drops by meeting)
    ['search_meetings_del', `AFTER DELETE ON meetings BEGIN ${queue('meeting', 'OLD.id')} END`],
    ['search_agenda_ins', `AFTER INSERT ON agenda_items BEGIN ${queue('agenda', 'NEW.id')} END`],
    [
      'search_agenda_upd',
      `AFTER UPDATE OF title ON agenda_items BEGIN ${queue('agenda', 'NEW.id')} ${queue('minutes', 'NEW.meeting_id')} END`,
    ],
    [
      'search_agenda_del',
      `AFTER DELETE ON agenda_items BEGIN ${queue('agenda', 'OLD.id')} ${queue('minutes', 'OLD.meeting_id')} END`,
    ],
    ['search_documents_ins', `AFTER INSERT ON documents BEGIN ${queue('document', 'NEW.id')} END`],
    [
      'search_documents_upd',
      `AFTER UPDATE OF title, filename, published_at, confidentiality ON documents BEGIN ${queue('document', 'NEW.id')} END`,
    ],
    ['search_documents_del', `AFTER DELETE ON documents BEGIN ${queue('document', 'OLD.id')} END`],
    [
      'search_minutes_ins',
      `AFTER INSERT ON meeting_events WHEN NEW.type = 'minutes.update' BEGIN ${queue('minutes', 'NEW.meeting_id')} END`,
    ],
    ['search_opinions_ins', `AFTER INSERT ON opinion_requests BEGIN ${queue('opinion', 'NEW.id')} END`],
    [
      'search_opinions_upd',
      `AFTER UPDATE OF title, summary, questions ON opinion_requests BEGIN ${queue('opinion', 'NEW.id')} END`,
    ],
    ['search_opinions_del', `AFTER DELETE ON opinion_requests BEGIN ${queue('opinion', 'OLD.id')} END`],
  ];
  if (withPageTexts) {
    t.push(
      ['search_page_texts_ins', `AFTER INSERT ON ${PAGE_TEXT_TABLE} BEGIN ${queue('document', 'NEW.document_id')} END`],
      ['search_page_texts_upd', `AFTER UPDATE ON ${PAGE_TEXT_TABLE} BEGIN ${queue('document', 'NEW.document_id')} END`],
      ['search_page_texts_del', `AFTER DELETE ON ${PAGE_TEXT_TABLE} BEGIN ${queue('document', 'OLD.document_id')} END`],
    );
  }
  return t;
}

const DROP = 'DROP TABLE IF EXISTS search_fts; DROP TABLE IF EXISTS search_docs; DROP TABLE IF EXISTS search_dirty;';

/** Creates the index, its queue and triggers if missing; rebuilds when the version changed. Called by openDb under the migration lock. */
export function installSearch(db: Db): void {
  const c = db.$client;
  const current =
    c.prepare("SELECT 1 FROM sqlite_master WHERE name = 'search_meta'").get() === undefined
      ? undefined
      : (c.prepare("SELECT value FROM search_meta WHERE key = 'version'").pluck().get() as string | undefined);
  c.transaction(() => {
    if (current !== INDEX_VERSION) c.exec(DROP);
    c.exec(TABLES);
    // the page texts' table arrives with a later migration: its documents are indexed again then
    const pageTextsNew =
      hasPageTexts(db) &&
      c.prepare("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'search_page_texts_ins'").get() === undefined;
    for (const [name, body] of triggers(hasPageTexts(db))) c.exec(`CREATE TRIGGER IF NOT EXISTS ${name} ${body}`);
    if (pageTextsNew) c.exec("INSERT OR IGNORE INTO search_dirty (src, src_id) SELECT 'document', id FROM documents");
    if (current !== INDEX_VERSION) {
      markAll(db);
      c.prepare("INSERT OR REPLACE INTO search_meta (key, value) VALUES ('version', ?)").run(INDEX_VERSION);
    }
  }).immediate();
}

function markAll(db: Db): void {
  const ins = db.$client.prepare('INSERT OR IGNORE INTO search_dirty (src, src_id) VALUES (?, ?)');
  for (const [src, id] of allSources(db)) ins.run(src, id);
}

export class SqliteSearch implements SearchEngine {
  constructor(private readonly db: Db) {}

  private get c() {
    return this.db.$client;
  }

  sync(): void {
    const c = this.c;
    if (c.prepare('SELECT 1 FROM search_dirty LIMIT 1').get() === undefined) return;
    const pending = c.prepare('SELECT src, src_id AS id FROM search_dirty LIMIT 200');
    const oldIds = c.prepare('SELECT id FROM search_docs WHERE src = ? AND src_id = ?').pluck();
    const meetingIds = c.prepare('SELECT id FROM search_docs WHERE meeting_id = ?').pluck();
    const delFts = c.prepare('DELETE FROM search_fts WHERE rowid = ?');
    const delDoc = c.prepare('DELETE FROM search_docs WHERE id = ?');
    const insDoc = c.prepare(
      'INSERT INTO search_docs (src, src_id, kind, meeting_id, item_id, document_id, page, minutes_key, opinion_id, title, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insFts = c.prepare('INSERT INTO search_fts (rowid, title, body, m) VALUES (?, ?, ?, ?)');
    const done = c.prepare('DELETE FROM search_dirty WHERE src = ? AND src_id = ?');
    const meetingExists = c.prepare('SELECT 1 FROM meetings WHERE id = ?');
    // in batches, each one write transaction read from the queue inside it (two processes syncing
    // together take turns; the second finds the queue emptied)
    const batch = c.transaction((): number => {
      const rows = pending.all() as Array<{ src: SourceKind; id: string }>;
      for (const { src, id } of rows) {
        const stale = src === 'meeting' && meetingExists.get(id) === undefined ? meetingIds.all(id) : oldIds.all(src, id);
        for (const rowid of stale) {
          delFts.run(rowid);
          delDoc.run(rowid);
        }
        for (const e of entriesOf(this.db, src, id)) {
          const rowid = insDoc.run(
            src,
            id,
            e.kind,
            e.meetingId,
            e.itemId,
            e.documentId,
            e.page,
            e.minutesKey ?? null,
            e.opinionId ?? null,
            e.title,
            e.body,
          ).lastInsertRowid;
          insFts.run(rowid, foldText(e.title), foldText(e.body), rightsTokens(e));
        }
        done.run(src, id);
      }
      return rows.length;
    });
    while (batch.immediate() > 0) {
      /* until the queue is empty */
    }
  }

  rebuild(): void {
    this.c
      .transaction(() => {
        this.c.exec("DELETE FROM search_meta WHERE key = 'version'");
      })
      .immediate();
    installSearch(this.db);
    this.sync();
  }

  search(caller: SearchCaller, query: string, limit: number): SearchHit[] {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    this.sync();
    // rights: the caller's meetings, as a filter inside the match (an administrator reads them all)
    let scope = '';
    if (!caller.isAdmin) {
      const mine = this.c
        .prepare('SELECT meeting_id AS id, role FROM meeting_members WHERE user_id = ?')
        .all(caller.id) as Array<{ id: string; role: string }>;
      if (mine.length === 0) return [];
      // written-opinion requests: those one is asked (in a meeting one is still a member of), and all
      // of the meetings one is the office of
      const asked = this.c
        .prepare(
          `SELECT r.request_id FROM opinion_recipients r JOIN opinion_requests q ON q.id = r.request_id
        JOIN meeting_members mm ON mm.meeting_id = q.meeting_id AND mm.user_id = r.user_id WHERE r.user_id = ?`,
        )
        .pluck()
        .all(caller.id) as string[];
      const tokens = [
        ...mine.map((m) => meetingToken(m.id)),
        ...mine.filter((m) => m.role === 'chair' || m.role === 'secretary').map((m) => officeToken(m.id)),
        ...asked.map(opinionToken),
      ];
      scope = ` AND m : (${tokens.join(' OR ')})`;
    }
    // the phrase first (the words in this order, next to each other), then what has every word; the
    // last word may be the start of a word (typing is not finished)
    const words = terms.map((t, i) => `"${t}"${i === terms.length - 1 ? '*' : ''}`).join(' ');
    const passes = terms.length > 1 ? [`"${terms.join(' ')}"*`, words] : [words];
    const ids: number[] = [];
    for (const pass of passes) {
      if (ids.length >= limit) break;
      const match = `{title body} : (${pass})${scope}`;
      // bm25 scores every matching row before the first is known; when thousands of pages hold
      // every word (the commonest words), it costs tens of ms and tells them little apart: those
      // come newest first instead (rowid order, which FTS5 reads without sorting)
      const broad = (this.count().get({ match }) as number) > BROAD_MATCH;
      const found = (broad ? this.newest() : this.ranked()).all({ match, limit }) as number[];
      for (const id of found) if (ids.length < limit && !ids.includes(id)) ids.push(id);
    }
    // the rows, checked once more against the rights (a second guard, 20 rows at most)
    const read = this.row();
    const rows = ids
      .map(
        (id) =>
          read.get({ id, admin: caller.isAdmin ? 1 : 0, user: caller.id }) as
            (Omit<SearchHit, 'snippet'> & { id: number; body: string }) | undefined,
      )
      .filter((r): r is Omit<SearchHit, 'snippet'> & { id: number; body: string } => r !== undefined);
    return rows.map(({ body, id: _id, ...r }) => {
      const titleRow = r.kind === 'meeting' || r.kind === 'agenda' || (r.kind === 'document' && r.page === null);
      const title = r.title || r.meetingTitle; // a general part of the minutes is titled by its meeting
      return { ...r, title, snippet: snippet(pickSnippetText(titleRow ? [title, body] : [body, title], terms), terms) };
    });
  }

  /** best first: titles weigh more than bodies, \`m\` nothing; equal scores by rowid (stable across a sync) */
  private ranked() {
    return this.c
      .prepare(
        'SELECT rowid FROM search_fts WHERE search_fts MATCH @match ORDER BY bm25(search_fts, 4.0, 1.0, 0.0), rowid LIMIT @limit',
      )
      .pluck();
  }

  private newest() {
    return this.c.prepare('SELECT rowid FROM search_fts WHERE search_fts MATCH @match ORDER BY rowid DESC LIMIT @limit').pluck();
  }

  private count() {
    return this.c.prepare('SELECT count(*) FROM search_fts WHERE search_fts MATCH @match').pluck();
  }

  private row() {
    return this.c.prepare(`
      SELECT d.id, d.kind, d.meeting_id AS meetingId, m.title AS meetingTitle, d.item_id AS itemId, d.document_id AS documentId,
             d.minutes_key AS minutesKey, d.opinion_id AS opinionId, d.page, d.title, d.body
      FROM search_docs d JOIN meetings m ON m.id = d.meeting_id
      WHERE d.id = @id
        AND (@admin = 1 OR EXISTS (SELECT 1 FROM meeting_members mm WHERE mm.meeting_id = d.meeting_id AND mm.user_id = @user))
        AND (@admin = 1 OR d.kind <> 'opinion'
             OR EXISTS (SELECT 1 FROM opinion_recipients r WHERE r.request_id = d.opinion_id AND r.user_id = @user)
             OR EXISTS (SELECT 1 FROM meeting_members mm WHERE mm.meeting_id = d.meeting_id AND mm.user_id = @user AND mm.role IN ('chair', 'secretary')))`);
  }

  stats(): { rows: number; bytes: number } {
    const rows = this.c.prepare('SELECT count(*) FROM search_docs').pluck().get() as number;
    // dbstat: the pages of the index's own tables (the FTS5 shadow tables included)
    let bytes = 0;
    try {
      bytes = this.c.prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'search_%'").pluck().get() as number;
    } catch {
      bytes = -1;
    }
    return { rows, bytes };
  }
}

// Search on SQLite: FTS5 over folded text (fold.ts), kept in step by triggers.
//
// Why outside the Drizzle schema: an FTS5 virtual table, its triggers and the change queue are
// SQLite-only objects Drizzle cannot declare, and putting them in server/db/schema.ts would break the
// PostgreSQL mirror (tests/unit/schema-parity.test.ts) for tables PostgreSQL does differently
// (pg-search.ts). So `installSearch` creates them at every open, after the migrations, with
// IF NOT EXISTS (a migration that rebuilds a table drops its triggers: they come back at the next
// open), and `search_meta.version` says when the layout changed and the index must be rebuilt.
//
// In step: AFTER INSERT/UPDATE/DELETE triggers on the indexed tables queue the changed source in
// `search_dirty`, in the same transaction as the change, whatever code or process made it (cascades
// included). `sync` indexes the queue before every search, and after every HTTP write (search-plugin.ts),
// so a search never answers from an index older than the tables.
//
// On the asynchronous store (db/store.ts): FTS5 is SQLite's own, so this engine speaks raw SQL to
// better-sqlite3, but only through the store: its writes inside `store.write` (the writer connection,
// under the store's mutex, never interleaved with another flow's transaction), its reads on the
// store's read connection (committed data). The indexing loop and the hits are shared with the
// PostgreSQL engine (search-engine.ts).
//
// Tables: `search_docs` holds one row per indexed entry with the original text (for snippets and the
// caller's rights, by meeting); `search_fts` is contentless (it keeps only the index of the folded
// text, rowid = search_docs.id), so the text is stored once.
import type Database from 'better-sqlite3';
import type { Db } from '../db/client';
import type { Query, SqliteStore } from '../db/store';
import type { SearchHit } from '../../shared/search-api';
import {
  BROAD_MATCH,
  QueuedSearch,
  SEARCH_LOCK_KEY,
  queryPasses,
  toHit,
  type HitRow,
  type SearchCaller,
  type SearchEngine,
} from './search-engine';
import type { IndexEntry, SourceKind } from './sources';
import { PAGE_TEXT_TABLE, hasPageTexts } from './document-text';
import { foldText, queryTerms } from './fold';

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
  c.transaction(() => installLayout(db, false)).immediate();
}

/**
 * The layout, inside the caller's transaction: dropped and queued again whole when `rebuild` or the
 * version changed. The page texts' table arrived with a later migration: its documents are queued
 * again when its triggers first appear.
 */
function installLayout(db: Db, rebuild: boolean): void {
  const c = db.$client;
  const current =
    c.prepare("SELECT 1 FROM sqlite_master WHERE name = 'search_meta'").get() === undefined
      ? undefined
      : (c.prepare("SELECT value FROM search_meta WHERE key = 'version'").pluck().get() as string | undefined);
  const fresh = rebuild || current !== INDEX_VERSION;
  if (fresh) c.exec(DROP);
  c.exec(TABLES);
  const withPageTexts = hasPageTexts(db);
  const pageTextsNew =
    withPageTexts &&
    c.prepare("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'search_page_texts_ins'").get() === undefined;
  for (const [name, body] of triggers(withPageTexts)) c.exec(`CREATE TRIGGER IF NOT EXISTS ${name} ${body}`);
  if (pageTextsNew) c.exec("INSERT OR IGNORE INTO search_dirty (src, src_id) SELECT 'document', id FROM documents");
  if (fresh) {
    markAll(db);
    c.prepare("INSERT OR REPLACE INTO search_meta (key, value) VALUES ('version', ?)").run(INDEX_VERSION);
  }
}

/** Every source in the database queued (a rebuild): each meeting is also its minutes. */
function markAll(db: Db): void {
  db.$client.exec(`
    INSERT OR IGNORE INTO search_dirty (src, src_id) SELECT 'meeting', id FROM meetings;
    INSERT OR IGNORE INTO search_dirty (src, src_id) SELECT 'minutes', id FROM meetings;
    INSERT OR IGNORE INTO search_dirty (src, src_id) SELECT 'agenda', id FROM agenda_items;
    INSERT OR IGNORE INTO search_dirty (src, src_id) SELECT 'document', id FROM documents;
    INSERT OR IGNORE INTO search_dirty (src, src_id) SELECT 'opinion', id FROM opinion_requests;`);
}

/** The better-sqlite3 connection under a handle the store gave (the writer in a write, else the reader). */
const connectionOf = (q: Query) => (q as unknown as Db).$client;

/** Statements prepared once per connection (the store's reader and writer live as long as it does). */
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
function stmt(c: Database.Database, source: string): Database.Statement {
  let m = statements.get(c);
  if (!m) statements.set(c, (m = new Map()));
  let s = m.get(source);
  if (!s) m.set(source, (s = c.prepare(source)));
  return s;
}

const ROW = `
  SELECT d.kind, d.meeting_id AS meetingId, m.title AS meetingTitle, d.item_id AS itemId, d.document_id AS documentId,
         d.minutes_key AS minutesKey, d.opinion_id AS opinionId, d.page, d.title, d.body
  FROM search_docs d JOIN meetings m ON m.id = d.meeting_id
  WHERE d.id = @id
    AND (@admin = 1 OR EXISTS (SELECT 1 FROM meeting_members mm WHERE mm.meeting_id = d.meeting_id AND mm.user_id = @user))
    AND (@admin = 1 OR d.kind <> 'opinion'
         OR EXISTS (SELECT 1 FROM opinion_recipients r WHERE r.request_id = d.opinion_id AND r.user_id = @user)
         OR EXISTS (SELECT 1 FROM meeting_members mm WHERE mm.meeting_id = d.meeting_id AND mm.user_id = @user AND mm.role IN ('chair', 'secretary')))`;

export class SqliteSearch extends QueuedSearch implements SearchEngine {
  constructor(private readonly sqlite: SqliteStore) {
    super(sqlite);
  }

  protected async anyPending(): Promise<boolean> {
    return this.sqlite.read(async (q) => stmt(connectionOf(q), 'SELECT 1 FROM search_dirty LIMIT 1').get() !== undefined);
  }

  protected async pending(tx: Query, limit: number): Promise<Array<{ src: SourceKind; id: string }>> {
    return stmt(connectionOf(tx), 'SELECT src, src_id AS id FROM search_dirty ORDER BY src, src_id LIMIT ?').all(limit) as Array<{
      src: SourceKind;
      id: string;
    }>;
  }

  protected async staleRows(tx: Query, src: SourceKind, id: string, meetingGone: boolean): Promise<number[]> {
    const c = connectionOf(tx);
    return (
      meetingGone
        ? stmt(c, 'SELECT id FROM search_docs WHERE meeting_id = ?').pluck().all(id)
        : stmt(c, 'SELECT id FROM search_docs WHERE src = ? AND src_id = ?').pluck().all(src, id)
    ) as number[];
  }

  protected async deleteRows(tx: Query, ids: number[]): Promise<void> {
    const c = connectionOf(tx);
    const delFts = stmt(c, 'DELETE FROM search_fts WHERE rowid = ?');
    const delDoc = stmt(c, 'DELETE FROM search_docs WHERE id = ?');
    for (const rowid of ids) {
      delFts.run(rowid);
      delDoc.run(rowid);
    }
  }

  protected async insert(tx: Query, src: SourceKind, id: string, entries: IndexEntry[]): Promise<void> {
    const c = connectionOf(tx);
    for (const e of entries) this.insertOne(c, src, id, e);
  }

  private insertOne(c: Database.Database, src: SourceKind, id: string, e: IndexEntry): void {
    const rowid = stmt(
      c,
      'INSERT INTO search_docs (src, src_id, kind, meeting_id, item_id, document_id, page, minutes_key, opinion_id, title, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
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
    stmt(c, 'INSERT INTO search_fts (rowid, title, body, m) VALUES (?, ?, ?, ?)').run(
      rowid,
      foldText(e.title),
      foldText(e.body),
      rightsTokens(e),
    );
  }

  protected async done(tx: Query, src: SourceKind, id: string): Promise<void> {
    stmt(connectionOf(tx), 'DELETE FROM search_dirty WHERE src = ? AND src_id = ?').run(src, id);
  }

  async rebuild(): Promise<void> {
    // the layout is (re)created and every source queued in one write; then indexed in batches
    await this.sqlite.write(SEARCH_LOCK_KEY, async (tx) => installLayout(tx as unknown as Db, true));
    await this.sync();
  }

  async search(caller: SearchCaller, query: string, limit: number): Promise<SearchHit[]> {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    await this.sync();
    return this.sqlite.read(async (q) => {
      const c = connectionOf(q);
      // rights: the caller's meetings, as a filter inside the match (an administrator reads them all)
      let scope = '';
      if (!caller.isAdmin) {
        const mine = stmt(c, 'SELECT meeting_id AS id, role FROM meeting_members WHERE user_id = ?').all(caller.id) as Array<{
          id: string;
          role: string;
        }>;
        if (mine.length === 0) return [];
        // written-opinion requests: those one is asked (in a meeting one is still a member of), and all
        // of the meetings one is the office of
        const asked = stmt(
          c,
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
      const words = terms.map((t, i) => `"${t}"${i === terms.length - 1 ? '*' : ''}`).join(' ');
      const ids: number[] = [];
      for (const pass of queryPasses(terms)) {
        if (ids.length >= limit) break;
        const match = `{title body} : (${pass === 'phrase' ? `"${terms.join(' ')}"*` : words})${scope}`;
        // bm25 scores every matching row before the first is known; when thousands of pages hold
        // every word (the commonest words), it costs tens of ms and tells them little apart: those
        // come newest first instead (rowid order, which FTS5 reads without sorting)
        const broad =
          (stmt(c, 'SELECT count(*) FROM search_fts WHERE search_fts MATCH @match').pluck().get({ match }) as number) >
          BROAD_MATCH;
        const found = stmt(c, broad ? NEWEST : RANKED)
          .pluck()
          .all({ match, limit }) as number[];
        for (const id of found) if (ids.length < limit && !ids.includes(id)) ids.push(id);
      }
      // the rows, checked once more against the rights (a second guard, 20 rows at most)
      const read = stmt(c, ROW);
      return ids
        .map((id) => read.get({ id, admin: caller.isAdmin ? 1 : 0, user: caller.id }) as HitRow | undefined)
        .filter((r): r is HitRow => r !== undefined)
        .map((r) => toHit(r, terms));
    });
  }

  async stats(): Promise<{ rows: number; bytes: number }> {
    return this.sqlite.read(async (q) => {
      const c = connectionOf(q);
      const rows = stmt(c, 'SELECT count(*) FROM search_docs').pluck().get() as number;
      // dbstat: the pages of the index's own tables (the FTS5 shadow tables included)
      let bytes = 0;
      try {
        bytes = c.prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'search_%'").pluck().get() as number;
      } catch {
        bytes = -1;
      }
      return { rows, bytes };
    });
  }

  async rowsOf(meetingId: string): Promise<number> {
    return this.sqlite.read(
      async (q) =>
        stmt(connectionOf(q), 'SELECT count(*) FROM search_docs WHERE meeting_id = ?').pluck().get(meetingId) as number,
    );
  }
}

/** best first: titles weigh more than bodies, \`m\` nothing; equal scores by rowid (stable across a sync) */
const RANKED =
  'SELECT rowid FROM search_fts WHERE search_fts MATCH @match ORDER BY bm25(search_fts, 4.0, 1.0, 0.0), rowid LIMIT @limit';
const NEWEST = 'SELECT rowid FROM search_fts WHERE search_fts MATCH @match ORDER BY rowid DESC LIMIT @limit';

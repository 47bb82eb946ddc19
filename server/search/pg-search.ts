// Search on PostgreSQL: the same entries (sources.ts), queue and passes as SQLite's FTS5 engine
// (sqlite-fts.ts), so both find the same rows (tests/integration/search-dialects.test.ts).
//
// Why the text is tokenized here and not by PostgreSQL: FTS5's unicode61 tokenizer splits on every
// character that is not a letter or a digit. PostgreSQL's default parser does not (it keeps
// "quy-hoach.pdf" as a file name, "1.5" as a number, e-mails and URLs whole, and its letters depend
// on the cluster's locale), so `to_tsvector` would index other words than FTS5. So the folded text
// (fold.ts, the same folding as SQLite's side) is cut into words with the same rule as the query's
// words (`fold.queryTerms`: runs of letters and digits), and the tsvector is written as a literal
// with each word's positions: title words weight A, body words D, a gap between them so a phrase
// never spans the two (FTS5 columns). The query is a tsquery literal of those same folded words
// (`'a' <-> 'b':*` for the phrase, `'a' & 'b':*` for the words): no parser, no configuration, no
// extension (not even unaccent: the folding is the application's).
//
// Like the FTS5 table, nothing here is in server/db/schema-pg.ts (the mirror must equal schema.ts,
// tests/unit/schema-parity.test.ts): `installPgSearch` runs after the migrations, every statement
// idempotent, under an advisory lock (processes starting together), and `search_meta.version` says
// when the layout changed and the index must be rebuilt.
//
// In step: the triggers queue changed sources in `search_dirty` in the change's transaction. The
// indexing transaction locks the queue rows it takes (FOR UPDATE SKIP LOCKED: it never waits for a
// writer, so no deadlock with one); a writer re-queuing a source being indexed waits on that row
// (ON CONFLICT DO UPDATE locks it) until the indexing commits, then queues it again: a change is
// never dropped with the queue entry of the text indexed before it.
//
// Ranking: FTS5's bm25 (weights title 4, body 1), computed in `ranked` from the same numbers FTS5
// uses (each phrase's instances per column from the tsvector's positions, its IDF over the whole
// index, the row's word count against the average kept in search_totals), and rows numbered in the
// same order (the queue is indexed in SQLite's order): the same hits in the same order, not just a
// comparable ranking. ts_rank was tried first: the same rows, a different order among close scores.
//
// Limits of a tsvector (PostgreSQL's, documented): positions stop at 16,383 (a page's words beyond
// that share the last position: a phrase there may be missed, words are still found) and 256
// positions per word are kept. A page of a meeting document is far below both.
import { sql, type SQL } from 'drizzle-orm';
import type { PgDb } from '../db/client-pg';
import type { Query } from '../db/store';
import type { PgStore } from '../db/store-pg';
import type { SearchHit } from '../../shared/search-api';
import {
  BROAD_MATCH,
  QueuedSearch,
  queryPasses,
  toHit,
  type HitRow,
  type SearchCaller,
  type SearchEngine,
} from './search-engine';
import type { IndexEntry, SourceKind } from './sources';
import { foldText, queryTerms } from './fold';

/** Bump when the layout or the folding changes: the next start rebuilds the index. */
const INDEX_VERSION = '2';

const MAX_POSITION = 16383;
const MAX_POSITIONS_PER_WORD = 256;
/** PostgreSQL refuses a lexeme of 2 KB or more; no query word is longer than 64 characters anyway. */
const MAX_WORD = 500;

const LAYOUT: string[] = [
  'CREATE TABLE IF NOT EXISTS search_meta (key text PRIMARY KEY, value text NOT NULL)',
  'CREATE TABLE IF NOT EXISTS search_dirty (src text NOT NULL, src_id text NOT NULL, PRIMARY KEY (src, src_id))',
  `CREATE TABLE IF NOT EXISTS search_docs (
    id bigserial PRIMARY KEY,
    src text NOT NULL, src_id text NOT NULL,
    kind text NOT NULL, meeting_id text NOT NULL, item_id text, document_id text, page integer,
    minutes_key text, opinion_id text,
    title text NOT NULL, body text NOT NULL,
    tsv tsvector NOT NULL,
    -- the row's words, as FTS5 counts them for bm25 (title, body and the rights column)
    ntok integer NOT NULL
  )`,
  // FTS5's totals for bm25 (rows, words), kept by the indexing transaction (one at a time)
  'CREATE TABLE IF NOT EXISTS search_totals (id integer PRIMARY KEY, nrows bigint NOT NULL, ntok bigint NOT NULL)',
  'INSERT INTO search_totals (id, nrows, ntok) VALUES (1, 0, 0) ON CONFLICT DO NOTHING',
  // bumped by every change to search_docs, in its transaction: with the table's oid (a rebuild makes a
  // new table, counting from 0 again) the key of the IDF counts kept between searches
  // (PgSearch.idfCache), in every process alike
  'ALTER TABLE search_totals ADD COLUMN IF NOT EXISTS gen bigint NOT NULL DEFAULT 0',
  // every word of the index once (never removed: a word no row holds any more finds nothing), so the
  // ranking knows which words a query's last, prefix term stands for without unpacking every row
  'CREATE TABLE IF NOT EXISTS search_words (word text COLLATE "C" PRIMARY KEY)',
  // a search reads the tsvector of every matching row, several times over (the match, the ranking's
  // cuts, the IDF counts): kept in the row (compressed) rather than in the TOAST table, where each
  // reading fetched its chunks again; the body (read for 20 hits at most) goes out of line first.
  // Measured on the benchmark corpus: p50 45 → 15 ms, p95 86–100 → 31–39 ms (with the ranking's cut)
  'ALTER TABLE search_docs ALTER COLUMN tsv SET STORAGE MAIN, ALTER COLUMN body SET STORAGE EXTERNAL',
  'CREATE INDEX IF NOT EXISTS search_docs_src_idx ON search_docs (src, src_id)',
  'CREATE INDEX IF NOT EXISTS search_docs_meeting_idx ON search_docs (meeting_id)',
  'CREATE INDEX IF NOT EXISTS search_docs_tsv_idx ON search_docs USING gin (tsv)',
  // one trigger function, the source named by its arguments; an agenda item's change also makes its
  // meeting's minutes stale (their titles); DO UPDATE (not NOTHING): see the header
  `CREATE OR REPLACE FUNCTION search_queue() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    r record;
  BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    INSERT INTO search_dirty (src, src_id) VALUES (TG_ARGV[0], to_jsonb(r) ->> TG_ARGV[1])
      ON CONFLICT (src, src_id) DO UPDATE SET src = EXCLUDED.src;
    IF TG_TABLE_NAME = 'agenda_items' AND TG_OP <> 'INSERT' THEN
      INSERT INTO search_dirty (src, src_id) VALUES ('minutes', r.meeting_id)
        ON CONFLICT (src, src_id) DO UPDATE SET src = EXCLUDED.src;
    END IF;
    RETURN NULL;
  END $$`,
  `CREATE OR REPLACE TRIGGER search_meetings AFTER INSERT OR DELETE OR UPDATE OF title, organization, location ON meetings
    FOR EACH ROW EXECUTE FUNCTION search_queue('meeting', 'id')`,
  `CREATE OR REPLACE TRIGGER search_agenda AFTER INSERT OR DELETE OR UPDATE OF title ON agenda_items
    FOR EACH ROW EXECUTE FUNCTION search_queue('agenda', 'id')`,
  `CREATE OR REPLACE TRIGGER search_documents AFTER INSERT OR DELETE OR UPDATE OF title, filename, published_at, confidentiality ON documents
    FOR EACH ROW EXECUTE FUNCTION search_queue('document', 'id')`,
  `CREATE OR REPLACE TRIGGER search_page_texts AFTER INSERT OR DELETE OR UPDATE ON document_page_texts
    FOR EACH ROW EXECUTE FUNCTION search_queue('document', 'document_id')`,
  `CREATE OR REPLACE TRIGGER search_opinions AFTER INSERT OR DELETE OR UPDATE OF title, summary, questions ON opinion_requests
    FOR EACH ROW EXECUTE FUNCTION search_queue('opinion', 'id')`,
  `CREATE OR REPLACE TRIGGER search_minutes AFTER INSERT ON meeting_events
    FOR EACH ROW WHEN (NEW.type = 'minutes.update') EXECUTE FUNCTION search_queue('minutes', 'meeting_id')`,
];

/** Every source queued (a rebuild): each meeting is also its minutes. */
const MARK_ALL = `
  INSERT INTO search_dirty (src, src_id)
    SELECT 'meeting', id FROM meetings UNION ALL SELECT 'minutes', id FROM meetings
    UNION ALL SELECT 'agenda', id FROM agenda_items UNION ALL SELECT 'document', id FROM documents
    UNION ALL SELECT 'opinion', id FROM opinion_requests
  ON CONFLICT DO NOTHING`;

/** Past this many index words beginning a query's last term, the ranking unnests the rows instead. */
const MAX_PREFIX_WORDS = 500;

/**
 * A tsvector's text (`'word':3B,17B 'other':5B`) as words and positions, all of one column: the
 * words are letters and digits only (tsvectorOf), so no quote or backslash is escaped in it.
 */
export function parseTsvector(
  text: string,
  weight: 'A' | 'D',
): Array<{ lexeme: string; positions: number[]; weight: 'A' | 'D' }> {
  if (text === '') return [];
  return text.split(' ').map((item) => {
    const colon = item.lastIndexOf(':');
    return {
      lexeme: item.slice(1, colon - 1),
      positions: item
        .slice(colon + 1)
        .split(',')
        .map((p) => parseInt(p, 10)),
      weight,
    };
  });
}

/** A text[] of folded words as one parameter (letters and digits only; quoted, so "null" stays a word). */
const textArray = (words: readonly string[]) => `{${words.map((w) => `"${w}"`).join(',')}}`;

/** A bigint[] as one parameter (Drizzle would spread a JS array into a row of parameters). */
const bigintArray = (ids: readonly number[]) => `{${ids.map((n) => Math.trunc(n)).join(',')}}`;

const pgOf = (q: Query) => q as unknown as PgDb;
async function rows<T>(q: Query, statement: SQL): Promise<T[]> {
  return (await pgOf(q).execute(statement)).rows as T[];
}

/** Creates the index, its queue and triggers if missing; rebuilds when the version changed. After the migrations. */
export async function installPgSearch(store: PgStore, opts: { rebuild?: boolean } = {}): Promise<void> {
  await store.write('search-install', async (tx) => {
    const [meta] = await rows<{ t: string | null }>(tx, sql`SELECT to_regclass('search_meta')::text AS t`);
    const current =
      meta?.t == null
        ? undefined
        : (await rows<{ value: string }>(tx, sql`SELECT value FROM search_meta WHERE key = 'version'`))[0]?.value;
    const fresh = opts.rebuild === true || current !== INDEX_VERSION;
    if (fresh) {
      await store.execute(tx, sql.raw('DROP TABLE IF EXISTS search_docs'));
      await store.execute(tx, sql.raw('DROP TABLE IF EXISTS search_dirty'));
      await store.execute(tx, sql.raw('DROP TABLE IF EXISTS search_totals'));
      await store.execute(tx, sql.raw('DROP TABLE IF EXISTS search_words'));
    }
    for (const statement of LAYOUT) await store.execute(tx, sql.raw(statement));
    if (fresh) {
      await store.execute(tx, sql.raw(MARK_ALL));
      await store.execute(
        tx,
        sql`INSERT INTO search_meta (key, value) VALUES ('version', ${INDEX_VERSION}) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      );
    }
  });
}

const WORDS = /[\p{L}\p{N}]+/gu;
const foldedWords = (text: string): string[] => foldText(text).match(WORDS) ?? [];

/**
 * The tsvector literal of folded words: the title's (weight A) then the body's (weight D), after a
 * gap, so a phrase does not run from one into the other; and the distinct words it holds.
 */
function tsvectorOfWords(title: readonly string[], body: readonly string[]): { literal: string; words: string[] } {
  const positions = new Map<string, string[]>();
  let pos = 0;
  const add = (words: readonly string[], weight: 'A' | 'D') => {
    for (const word of words) {
      pos++;
      if (word.length > MAX_WORD) continue;
      let list = positions.get(word);
      if (!list) positions.set(word, (list = []));
      if (list.length < MAX_POSITIONS_PER_WORD) list.push(`${Math.min(pos, MAX_POSITION)}${weight}`);
    }
  };
  add(title, 'A');
  pos++; // the gap
  add(body, 'D');
  // words are letters and digits only: nothing to escape inside the quotes
  return { literal: [...positions].map(([w, p]) => `'${w}':${p.join(',')}`).join(' '), words: [...positions.keys()] };
}

/** The tsvector of a title and a body, as a literal. */
export const tsvectorOf = (title: string, body: string): string => tsvectorOfWords(foldedWords(title), foldedWords(body)).literal;

/**
 * An entry as a search_docs row keeps it, its text folded and split once: the tsvector literal, the
 * words as FTS5 counts them (xColumnSize(-1): title, body, and the rights column's tokens), and the
 * distinct words the tsvector holds (for search_words).
 */
function indexedForm(e: IndexEntry): { tsvector: string; ntok: number; words: string[] } {
  const title = foldedWords(e.title);
  const body = foldedWords(e.body);
  const { literal, words } = tsvectorOfWords(title, body);
  return { tsvector: literal, ntok: title.length + body.length + (e.kind === 'opinion' ? 2 : 1), words };
}

/** The tsquery of a pass (terms are folded letters and digits only, queryTerms: no syntax can come in). */
export function tsqueryOf(terms: readonly string[], pass: 'phrase' | 'words'): string {
  return terms.map((t, i) => `'${t}'${i === terms.length - 1 ? ':*' : ''}`).join(pass === 'phrase' ? ' <-> ' : ' & ');
}

/**
 * What the caller may see, as a condition on `d` (search_docs): as SQLite's rights tokens say it —
 * a meeting's rows to its members; a written-opinion request's to the members asked (still members
 * of its meeting) and the meeting's chair and secretary; every row to an administrator.
 */
const scopeOf = (caller: SearchCaller): SQL =>
  caller.isAdmin
    ? sql`true`
    : sql`(
      (d.kind <> 'opinion' AND d.meeting_id IN (SELECT meeting_id FROM meeting_members WHERE user_id = ${caller.id}))
      OR (d.kind = 'opinion' AND (
        d.opinion_id IN (SELECT r.request_id FROM opinion_recipients r JOIN opinion_requests q ON q.id = r.request_id
                         JOIN meeting_members mm ON mm.meeting_id = q.meeting_id AND mm.user_id = r.user_id
                         WHERE r.user_id = ${caller.id})
        OR d.meeting_id IN (SELECT meeting_id FROM meeting_members WHERE user_id = ${caller.id} AND role IN ('chair', 'secretary')))))`;

/** The second guard on the rows read for the hits: the same rule as SQLite's, written apart from the first. */
const rowCheck = (caller: SearchCaller): SQL =>
  caller.isAdmin
    ? sql`true`
    : sql`EXISTS (SELECT 1 FROM meeting_members mm WHERE mm.meeting_id = d.meeting_id AND mm.user_id = ${caller.id})
      AND (d.kind <> 'opinion'
           OR EXISTS (SELECT 1 FROM opinion_recipients r WHERE r.request_id = d.opinion_id AND r.user_id = ${caller.id})
           OR EXISTS (SELECT 1 FROM meeting_members mm WHERE mm.meeting_id = d.meeting_id AND mm.user_id = ${caller.id} AND mm.role IN ('chair', 'secretary')))`;

/** How many phrases' IDF counts are kept (one index generation's; a small map, cleared when full). */
const IDF_CACHE_MAX = 2000;

export class PgSearch extends QueuedSearch implements SearchEngine {
  /**
   * The rows each phrase occurs in over the whole index (bm25's IDF), for the index generation
   * `gen` (search_totals.gen, bumped in every indexing transaction, by any process): counting them
   * reads every matching row's tsvector, most of a search's time for a common word, and they only
   * change when the index does.
   */
  private idfCache = { gen: '', hits: new Map<string, number>() };

  constructor(
    private readonly pg: PgStore,
    /** past this many index words beginning the last term, the rows are unnested (tests set 0 to take that path) */
    private readonly maxPrefixWords = MAX_PREFIX_WORDS,
  ) {
    super(pg);
  }

  protected async anyPending(): Promise<boolean> {
    return this.pg.read(async (q) => (await rows(q, sql`SELECT 1 FROM search_dirty LIMIT 1`)).length > 0);
  }

  // in SQLite's order (binary, by source then id): rows are inserted, so numbered, alike, and equal
  // scores are told apart by that number on both
  protected async pending(tx: Query, limit: number): Promise<Array<{ src: SourceKind; id: string }>> {
    return rows(
      tx,
      sql`SELECT src, src_id AS id FROM search_dirty ORDER BY src COLLATE "C", src_id COLLATE "C" LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
    );
  }

  protected async staleRows(tx: Query, src: SourceKind, id: string, meetingGone: boolean): Promise<number[]> {
    const found = await rows<{ id: string }>(
      tx,
      meetingGone
        ? sql`SELECT id FROM search_docs WHERE meeting_id = ${id}`
        : sql`SELECT id FROM search_docs WHERE src = ${src} AND src_id = ${id}`,
    );
    return found.map((r) => Number(r.id)); // bigint: a string from node-postgres
  }

  protected async deleteRows(tx: Query, ids: number[]): Promise<void> {
    await this.pg.execute(
      tx,
      sql`WITH gone AS (DELETE FROM search_docs WHERE id = ANY(${bigintArray(ids)}::bigint[]) RETURNING ntok)
          UPDATE search_totals SET nrows = nrows - (SELECT count(*) FROM gone), ntok = ntok - (SELECT coalesce(sum(ntok), 0) FROM gone),
            gen = gen + 1
          WHERE id = 1`,
    );
  }

  protected async insert(tx: Query, src: SourceKind, id: string, entries: IndexEntry[]): Promise<void> {
    const forms = entries.map(indexedForm);
    for (let i = 0; i < entries.length; i += 500) {
      const values = entries.slice(i, i + 500).map((e, k) => {
        const f = forms[i + k]!;
        return sql`(${src}, ${id}, ${e.kind}, ${e.meetingId}, ${e.itemId}, ${e.documentId}, ${e.page}, ${e.minutesKey ?? null}, ${e.opinionId ?? null}, ${e.title}, ${e.body}, ${f.tsvector}::tsvector, ${f.ntok})`;
      });
      await this.pg.execute(
        tx,
        sql`INSERT INTO search_docs (src, src_id, kind, meeting_id, item_id, document_id, page, minutes_key, opinion_id, title, body, tsv, ntok)
            VALUES ${sql.join(values, sql`, `)}`,
      );
    }
    const words = forms.reduce((n, f) => n + f.ntok, 0);
    await this.pg.execute(
      tx,
      sql`UPDATE search_totals SET nrows = nrows + ${entries.length}, ntok = ntok + ${words}, gen = gen + 1 WHERE id = 1`,
    );
    // sorted: two processes indexing at once take the new words' index entries in the same order
    const vocabulary = [...new Set(forms.flatMap((f) => f.words))].sort();
    for (let i = 0; i < vocabulary.length; i += 5000) {
      await this.pg.execute(
        tx,
        sql`INSERT INTO search_words (word) SELECT unnest(${textArray(vocabulary.slice(i, i + 5000))}::text[]) ON CONFLICT DO NOTHING`,
      );
    }
  }

  protected async done(tx: Query, src: SourceKind, id: string): Promise<void> {
    await this.pg.execute(tx, sql`DELETE FROM search_dirty WHERE src = ${src} AND src_id = ${id}`);
  }

  async rebuild(): Promise<void> {
    await installPgSearch(this.pg, { rebuild: true });
    await this.sync();
  }

  async search(caller: SearchCaller, query: string, limit: number): Promise<SearchHit[]> {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    await this.sync();
    return this.pg.read(async (q) => {
      const scope = scopeOf(caller);
      const ids: number[] = [];
      for (const pass of queryPasses(terms)) {
        if (ids.length >= limit) break;
        const tsq = sql`${tsqueryOf(terms, pass)}::tsquery`;
        // as on SQLite: past BROAD_MATCH matching rows, the newest first rather than scored (the
        // ranking's own read stops at BROAD_MATCH + 1 rows and says so)
        const found =
          (await this.ranked(q, terms, pass, tsq, scope, limit)) ??
          (await rows<{ id: string }>(
            q,
            sql`SELECT d.id FROM search_docs d WHERE d.tsv @@ ${tsq} AND ${scope} ORDER BY d.id DESC LIMIT ${limit}`,
          ));
        for (const { id } of found) {
          const n = Number(id);
          if (ids.length < limit && !ids.includes(n)) ids.push(n);
        }
      }
      if (ids.length === 0) return [];
      // the rows, checked once more against the rights (a second guard, 20 rows at most)
      const read = await rows<HitRow & { id: string }>(
        q,
        sql`SELECT d.id, d.kind, d.meeting_id AS "meetingId", m.title AS "meetingTitle", d.item_id AS "itemId",
                   d.document_id AS "documentId", d.minutes_key AS "minutesKey", d.opinion_id AS "opinionId", d.page, d.title, d.body
            FROM search_docs d JOIN meetings m ON m.id = d.meeting_id
            WHERE d.id = ANY(${bigintArray(ids)}::bigint[]) AND ${rowCheck(caller)}`,
      );
      const byId = new Map(read.map(({ id, ...r }) => [Number(id), r]));
      return ids.flatMap((id) => {
        const r = byId.get(id);
        return r ? [toHit(r, terms)] : [];
      });
    });
  }

  /**
   * FTS5's bm25 (fts5_aux.c), computed here from the same numbers, so both engines order the hits
   * alike: for each phrase of the query (the phrase pass: one; the words pass: one per word), its
   * instances in the row weighted by column (title 4, body 1), its IDF over the whole index, and the
   * row's length against the average. The positions come from the tsvector (only the query's words:
   * queryWordsOfMatches), the lengths and totals from columns the indexing keeps. Null when more than
   * BROAD_MATCH rows match (the caller then takes the newest).
   */
  private async ranked(
    q: Query,
    terms: string[],
    pass: 'phrase' | 'words',
    tsq: SQL,
    scope: SQL,
    limit: number,
  ): Promise<Array<{ id: string }> | null> {
    const found = await this.queryWordsOfMatches(q, terms, tsq, scope);
    if (found === null) return null;
    if (found.length === 0) return [];
    const phrases =
      pass === 'phrase' ? [tsqueryOf(terms, 'phrase')] : terms.map((t, i) => `'${t}'${i === terms.length - 1 ? ':*' : ''}`);
    // the totals and the counts not yet known for this generation in one statement (one snapshot:
    // the counts belong to the generation read with them)
    const cache = this.idfCache;
    const missing = phrases.filter((p) => !cache.hits.has(p));
    /** bm25's IDF inputs: the rows each phrase occurs in, over the whole index */
    // (one pass over the rows matching any of them, each counted apart: not one scan per phrase)
    const countsOf = (list: string[]) =>
      sql`(SELECT ARRAY[${sql.join(
        list.map((p) => sql`count(*) FILTER (WHERE tsv @@ ${p}::tsquery)::int`),
        sql`, `,
      )}] FROM search_docs WHERE tsv @@ ${list.map((p) => `(${p})`).join(' | ')}::tsquery)`;
    const counts = countsOf(missing);
    let [stat] = await rows<{ nrows: string; ntok: string; gen: string; hits: number[] | null }>(
      q,
      missing.length > 0
        ? sql`SELECT nrows, ntok, (tableoid::text || ':' || gen) AS gen,
                CASE WHEN (tableoid::text || ':' || gen) = ${cache.gen} THEN ${counts} END AS hits
              FROM search_totals WHERE id = 1`
        : sql`SELECT nrows, ntok, (tableoid::text || ':' || gen) AS gen, NULL::int[] AS hits FROM search_totals WHERE id = 1`,
    );
    let hitsOf: (p: string, i: number) => number;
    if (stat!.gen === cache.gen && (missing.length === 0 || stat!.hits)) {
      missing.forEach((p, i) => cache.hits.set(p, stat!.hits![i]!));
      hitsOf = (p) => cache.hits.get(p)!;
    } else {
      // another generation: the cache is dropped and this search's counts read afresh in one statement
      const all = countsOf(phrases);
      const [fresh] = await rows<{ nrows: string; ntok: string; gen: string; hits: number[] }>(
        q,
        sql`SELECT nrows, ntok, (tableoid::text || ':' || gen) AS gen, ${all} AS hits FROM search_totals WHERE id = 1`,
      );
      stat = fresh;
      this.idfCache = { gen: fresh!.gen, hits: new Map(phrases.map((p, i) => [p, fresh!.hits[i]!])) };
      hitsOf = (_p, i) => fresh!.hits[i]!;
    }
    if (this.idfCache.hits.size > IDF_CACHE_MAX) this.idfCache = { gen: '', hits: new Map() };
    const nRow = Number(stat!.nrows);
    const avgdl = Number(stat!.ntok) / Math.max(1, nRow);
    const idf = phrases.map((p, i) => {
      const nHit = hitsOf(p, i);
      const v = Math.log((nRow - nHit + 0.5) / (nHit + 0.5));
      return v <= 0 ? 1e-6 : v;
    });
    // per row: each query word's positions (a position's weight says its column)
    const byRow = new Map<number, { ntok: number; at: Map<number, 'A' | 'D'>[] }>();
    for (const r of found) {
      const row = { ntok: r.ntok, at: terms.map(() => new Map<number, 'A' | 'D'>()) };
      byRow.set(Number(r.id), row);
      for (const { lexeme, positions, weight } of r.words) {
        terms.forEach((t, k) => {
          if (k === terms.length - 1 ? lexeme.startsWith(t) : lexeme === t) {
            for (const p of positions) row.at[k]!.set(p, weight);
          }
        });
      }
    }
    const K1 = 1.2;
    const B = 0.75;
    const weight = (w: 'A' | 'D') => (w === 'A' ? 4 : 1);
    const scored = [...byRow].map(([id, row]) => {
      const freq =
        pass === 'phrase'
          ? [[...row.at[0]!].reduce((f, [p, w]) => (row.at.every((m, k) => m.has(p + k)) ? f + weight(w) : f), 0)]
          : row.at.map((m) => [...m.values()].reduce((f, w) => f + weight(w), 0));
      const norm = K1 * (1 - B + (B * row.ntok) / avgdl);
      const score = freq.reduce((s, f, i) => s + (idf[i]! * (f * (K1 + 1))) / (f + norm), 0);
      return { id, score };
    });
    scored.sort((a, b) => b.score - a.score || a.id - b.id);
    return scored.slice(0, limit).map((r) => ({ id: String(r.id) }));
  }

  /**
   * The rows matching a pass (at most BROAD_MATCH of them: null past that), each with the positions
   * of the query's words in it. The words are the query's terms and, for the last (prefix) term,
   * the index's words it begins (search_words): the tsvector is then cut down to them in C
   * (setweight marks them, ts_filter keeps them; title positions and body positions apart, as A
   * and D) instead of unnesting every word of every matching row, which cost most of a search.
   */
  private async queryWordsOfMatches(
    q: Query,
    terms: string[],
    tsq: SQL,
    scope: SQL,
  ): Promise<Array<{
    id: string;
    ntok: number;
    words: Array<{ lexeme: string; positions: number[]; weight: 'A' | 'D' }>;
  }> | null> {
    const last = terms[terms.length - 1]!;
    // terms are letters and digits only: no LIKE wildcard can come in
    const expansions = await rows<{ word: string }>(
      q,
      sql`SELECT word FROM search_words WHERE word LIKE ${`${last}%`} LIMIT ${this.maxPrefixWords + 1}`,
    );
    if (expansions.length > this.maxPrefixWords) return this.unnestedWordsOfMatches(q, terms, tsq, scope);
    const words = textArray([...new Set([...terms.slice(0, -1), ...expansions.map((r) => r.word)])]);
    const found = await rows<{ id: string; ntok: number; title: string; body: string }>(
      q,
      sql`SELECT d.id, d.ntok,
                 ts_filter(setweight(ts_filter(d.tsv, '{a}'), 'b', ${words}::text[]), '{b}')::text AS title,
                 ts_filter(setweight(ts_filter(d.tsv, '{d}'), 'c', ${words}::text[]), '{c}')::text AS body
          FROM search_docs d WHERE d.tsv @@ ${tsq} AND ${scope} LIMIT ${BROAD_MATCH + 1}`,
    );
    if (found.length > BROAD_MATCH) return null;
    return found.map((r) => ({
      id: r.id,
      ntok: r.ntok,
      words: [...parseTsvector(r.title, 'A'), ...parseTsvector(r.body, 'D')],
    }));
  }

  /** The same by unnesting each matching row's tsvector: for a prefix that begins too many words. */
  private async unnestedWordsOfMatches(q: Query, terms: string[], tsq: SQL, scope: SQL) {
    const last = terms[terms.length - 1]!;
    // the matches read once, as queryWordsOfMatches does: at most one past the broad bound, each
    // with at least one lexeme kept (a match holds every term, or a word the prefix begins)
    const found = await rows<{ id: string; ntok: number; lexeme: string; positions: number[]; weights: string[] }>(
      q,
      sql`WITH m AS (SELECT d.id, d.ntok, d.tsv FROM search_docs d WHERE d.tsv @@ ${tsq} AND ${scope} LIMIT ${BROAD_MATCH + 1})
          SELECT m.id, m.ntok, u.lexeme, u.positions, u.weights
          FROM m CROSS JOIN LATERAL unnest(m.tsv) u
          WHERE u.lexeme = ANY(${textArray(terms.slice(0, -1))}::text[]) OR starts_with(u.lexeme, ${last})`,
    );
    const byId = new Map<
      string,
      { id: string; ntok: number; words: Array<{ lexeme: string; positions: number[]; weight: 'A' | 'D' }> }
    >();
    for (const r of found) {
      let row = byId.get(r.id);
      if (!row) byId.set(r.id, (row = { id: r.id, ntok: r.ntok, words: [] }));
      for (const weight of ['A', 'D'] as const) {
        const positions = r.positions.filter((_p, j) => (r.weights[j] === 'A') === (weight === 'A'));
        if (positions.length > 0) row.words.push({ lexeme: r.lexeme, positions, weight });
      }
    }
    return byId.size > BROAD_MATCH ? null : [...byId.values()];
  }

  async stats(): Promise<{ rows: number; bytes: number }> {
    return this.pg.read(async (q) => {
      const [r] = await rows<{ rows: number; bytes: string }>(
        q,
        sql`SELECT (SELECT count(*)::int FROM search_docs) AS rows, pg_total_relation_size('search_docs') AS bytes`,
      );
      return { rows: r!.rows, bytes: Number(r!.bytes) };
    });
  }

  async rowsOf(meetingId: string): Promise<number> {
    return this.pg.read(
      async (q) =>
        (await rows<{ n: number }>(q, sql`SELECT count(*)::int AS n FROM search_docs WHERE meeting_id = ${meetingId}`))[0]!.n,
    );
  }
}

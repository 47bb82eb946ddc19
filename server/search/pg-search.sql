-- Search on PostgreSQL: written, NOT yet run by any test (not served yet: server/db/open-store.ts refuses to start on PostgreSQL until
-- the asynchronous store exists, docs/scale-out.md). The same design as sqlite-fts.ts, so a
-- `PgSearch implements SearchEngine` is a thin class over these statements:
--   * like the SQLite FTS5 table, nothing here is in server/db/schema-pg.ts (the schema mirror must
--     stay equal to schema.ts, tests/unit/schema-parity.test.ts): this file is run after the Drizzle
--     migrations, every statement idempotent;
--   * folding: unaccent() removes the marks, and đ/Đ are mapped explicitly (unaccent's default rules
--     do map them, but the translate() keeps the result independent of the rules file installed);
--   * rights: the caller's meetings filter the rows (search_docs.meeting_id, indexed) before ranking;
--   * in step: the same triggers queue changed sources in search_dirty, in the change's transaction;
--     the engine indexes the queue before searching (entries are built in TypeScript, sources.ts).

CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is STABLE (it depends on a dictionary); an index expression needs IMMUTABLE: the usual
-- wrapper naming the dictionary explicitly.
CREATE OR REPLACE FUNCTION search_fold(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(translate(public.unaccent('public.unaccent'::regdictionary, t), 'đĐ', 'dd')) $$;

CREATE TABLE IF NOT EXISTS search_dirty (src text NOT NULL, src_id text NOT NULL, PRIMARY KEY (src, src_id));

CREATE TABLE IF NOT EXISTS search_docs (
  id bigserial PRIMARY KEY,
  src text NOT NULL, src_id text NOT NULL,
  kind text NOT NULL, meeting_id text NOT NULL, item_id text, document_id text, page integer,
  title text NOT NULL, body text NOT NULL,
  -- 'simple': no stemming or stop words (Vietnamese has neither); title weighs more (A) than body (D)
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', search_fold(title)), 'A') || setweight(to_tsvector('simple', search_fold(body)), 'D')
  ) STORED
);
-- the minutes field of a minutes/conclusion row (the jump to it), the request of a written-opinion row
ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS minutes_key text;
ALTER TABLE search_docs ADD COLUMN IF NOT EXISTS opinion_id text;
CREATE INDEX IF NOT EXISTS search_docs_src_idx ON search_docs (src, src_id);
CREATE INDEX IF NOT EXISTS search_docs_meeting_idx ON search_docs (meeting_id);
CREATE INDEX IF NOT EXISTS search_docs_tsv_idx ON search_docs USING gin (tsv);

-- The queue, filled by triggers (one function, the source named by its arguments).
CREATE OR REPLACE FUNCTION search_queue() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  src text := TG_ARGV[0];
  col text := TG_ARGV[1];
  r record;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  INSERT INTO search_dirty (src, src_id) VALUES (src, to_jsonb(r) ->> col) ON CONFLICT DO NOTHING;
  IF TG_TABLE_NAME = 'agenda_items' THEN
    INSERT INTO search_dirty (src, src_id) VALUES ('minutes', r.meeting_id) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER search_meetings AFTER INSERT OR DELETE OR UPDATE OF title, organization, location ON meetings
  FOR EACH ROW EXECUTE FUNCTION search_queue('meeting', 'id');
CREATE OR REPLACE TRIGGER search_agenda AFTER INSERT OR DELETE OR UPDATE OF title ON agenda_items
  FOR EACH ROW EXECUTE FUNCTION search_queue('agenda', 'id');
CREATE OR REPLACE TRIGGER search_documents AFTER INSERT OR DELETE OR UPDATE OF title, filename ON documents
  FOR EACH ROW EXECUTE FUNCTION search_queue('document', 'id');
CREATE OR REPLACE TRIGGER search_page_texts AFTER INSERT OR DELETE OR UPDATE ON document_page_texts
  FOR EACH ROW EXECUTE FUNCTION search_queue('document', 'document_id');
CREATE OR REPLACE TRIGGER search_opinions AFTER INSERT OR DELETE OR UPDATE OF title, summary, questions ON opinion_requests
  FOR EACH ROW EXECUTE FUNCTION search_queue('opinion', 'id');
CREATE OR REPLACE TRIGGER search_minutes AFTER INSERT ON meeting_events
  FOR EACH ROW WHEN (NEW.type = 'minutes.update') EXECUTE FUNCTION search_queue('minutes', 'meeting_id');

-- The search, for a member ($1 user id, $2 true for an administrator, $3 the folded words joined by
-- spaces, $4 the limit). The phrase first, then every word (the last one as a prefix), as on SQLite:
--   phrase: to_tsquery('simple', 'ke <-> hoach <-> chuyen <-> doi <-> so:*')
--   words:  to_tsquery('simple', 'ke & hoach & chuyen & doi & so:*')
-- (the engine builds both from the folded words, which are [a-z0-9] only after folding, so no
-- tsquery syntax can come from the caller.)
-- A written-opinion row is seen only by the members asked (still members of the meeting) and the
-- meeting's chair and secretary, as on SQLite (sqlite-fts.ts).
-- SELECT d.id, d.kind, d.meeting_id, m.title AS meeting_title, d.item_id, d.document_id, d.minutes_key, d.opinion_id, d.page, d.title, d.body
-- FROM search_docs d JOIN meetings m ON m.id = d.meeting_id
-- WHERE d.tsv @@ to_tsquery('simple', $3)
--   AND ($2 OR d.meeting_id IN (SELECT meeting_id FROM meeting_members WHERE user_id = $1))
--   AND ($2 OR d.kind <> 'opinion'
--        OR EXISTS (SELECT 1 FROM opinion_recipients r WHERE r.request_id = d.opinion_id AND r.user_id = $1)
--        OR d.meeting_id IN (SELECT meeting_id FROM meeting_members WHERE user_id = $1 AND role IN ('chair', 'secretary')))
-- ORDER BY ts_rank_cd(d.tsv, to_tsquery('simple', $3)) DESC, d.id
-- LIMIT $4;

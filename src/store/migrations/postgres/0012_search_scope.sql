-- kyso store — PostgreSQL migration 0012: the search index knows where each record sits, as
-- SQLite's 0012 (issue 13, a search in an organization's subtree at a million records).
--
-- search_text.scope holds the record's scope words (store/search_scope.h): its kind
-- ("kperson") and the organizations it sits under now, its own or its holder's first, then each
-- superior up to the root. `lexemes` is everything the GIN index holds for the record
-- (store/postgres/search_index.h indexed_lexemes): its words; the first 3 to 6 characters of
-- each word with '*' after them ("thu*"), so that the last word of a search being typed is one
-- lexeme rather than a partial match that reads every word starting alike; and each scope word
-- with '@' before it, so that a search in a province's subtree is
-- `'nguyen' & 'thi' & 'thu*' & '@kperson' & '@o503031'`, which the index answers by
-- intersecting its lists. search_text is made again (its content is derived) and every record
-- marked stale: the store indexes them when it first opens the database.

DROP TABLE search_text;
CREATE TABLE search_text (
    kind    TEXT NOT NULL CHECK (kind IN ('organization', 'person', 'certificate', 'device')),
    ref     TEXT COLLATE "C" NOT NULL,                      -- id, or serial of a certificate
    folded  TEXT NOT NULL,
    scope   TEXT NOT NULL DEFAULT '',
    lexemes TEXT NOT NULL DEFAULT '',
    words   tsvector GENERATED ALWAYS AS (array_to_tsvector(string_to_array(lexemes, ' '))) STORED,
    PRIMARY KEY (kind, ref)
);
CREATE INDEX search_text_words ON search_text USING gin (words);

-- A certificate changes place when its holder does; a person when an event moves them.
DROP TRIGGER search_certificates_u ON certificates;
CREATE TRIGGER search_certificates_u
    AFTER UPDATE OF serial, subject_text, holder_type, holder_id ON certificates
    FOR EACH ROW EXECUTE FUNCTION kyso_search_mark('certificate', 'serial');
CREATE TRIGGER search_moves AFTER INSERT OR UPDATE OR DELETE ON person_org_versions
    FOR EACH ROW EXECUTE FUNCTION kyso_search_mark('person', 'person_id');

-- The people an organization's change of place reaches: registered there, or moved there.
CREATE INDEX person_org_versions_org ON person_org_versions (org_id);

INSERT INTO search_stale SELECT DISTINCT 'organization', org_id FROM org_versions
    ON CONFLICT DO NOTHING;
INSERT INTO search_stale SELECT 'person', id FROM people ON CONFLICT DO NOTHING;
INSERT INTO search_stale SELECT 'certificate', serial FROM certificates ON CONFLICT DO NOTHING;
INSERT INTO search_stale SELECT 'device', id FROM devices ON CONFLICT DO NOTHING;

-- kyso store — SQLite migration 0012: the search index knows where each record sits (issue 13,
-- a search in an organization's subtree at a million records).
--
-- search_text.scope holds the record's scope words (store/search_scope.h): its kind ("kperson")
-- and the organizations it sits under now, its own or its holder's organization first, then
-- each superior up to the root ("o" + hex of the id). search_fts indexes it as a second column,
-- so that a search by an officer of one province is `folded : (words) AND scope : (kperson AND
-- o503031)`: the index intersects its lists instead of handing every person of that name in
-- the country to SQL to be checked against the subtree. The store keeps the words current: a
-- record whose organization, holder or superior chain changed is folded again, and so is
-- everything under an organization whose chain changed (store/sqlite/search_index.cpp).
--
-- prefix = '3 4 5 6': FTS5 also indexes the first 3 to 6 characters of each word, so that the
-- last word of a search being typed ("nguyen thi thu"*) reads one list instead of merging every
-- word that starts alike (store::kSearchPrefixMin .. kSearchPrefixMax).
--
-- search_text and search_fts are made again (their content is derived) and every record is
-- marked stale: the store indexes them when it first opens the database. Every statement may
-- run again (tests take a database back to an older version).

DROP TABLE IF EXISTS search_fts;
DROP TABLE IF EXISTS search_text;

CREATE TABLE search_text (
    kind   TEXT NOT NULL CHECK (kind IN ('organization', 'person', 'certificate', 'device')),
    ref    TEXT NOT NULL,                                   -- id, or serial of a certificate
    folded TEXT NOT NULL,
    scope  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, ref)
) STRICT;

CREATE VIRTUAL TABLE search_fts USING fts5(
    folded, scope, content = 'search_text', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '3 4 5 6', detail = column);

CREATE TRIGGER search_text_ai AFTER INSERT ON search_text
WHEN (SELECT bulk FROM search_mode) = 0 BEGIN
    INSERT INTO search_fts (rowid, folded, scope) VALUES (new.rowid, new.folded, new.scope);
END;
CREATE TRIGGER search_text_ad AFTER DELETE ON search_text
WHEN (SELECT bulk FROM search_mode) = 0 BEGIN
    INSERT INTO search_fts (search_fts, rowid, folded, scope)
    VALUES ('delete', old.rowid, old.folded, old.scope);
END;
CREATE TRIGGER search_text_au AFTER UPDATE ON search_text
WHEN (SELECT bulk FROM search_mode) = 0 BEGIN
    INSERT INTO search_fts (search_fts, rowid, folded, scope)
    VALUES ('delete', old.rowid, old.folded, old.scope);
    INSERT INTO search_fts (rowid, folded, scope) VALUES (new.rowid, new.folded, new.scope);
END;

-- A certificate changes place when its holder does; a person when an event moves them. "ON
-- CONFLICT DO NOTHING", not "OR IGNORE": an outer statement's conflict clause overrides a
-- trigger's OR clause ("The ON CONFLICT Clause"), and moves are written by an upsert.
DROP TRIGGER IF EXISTS search_certificates_au;
CREATE TRIGGER search_certificates_au
AFTER UPDATE OF serial, subject_text, holder_type, holder_id ON certificates BEGIN
    INSERT INTO search_stale VALUES ('certificate', old.serial), ('certificate', new.serial)
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER IF NOT EXISTS search_moves_ai AFTER INSERT ON person_org_versions BEGIN
    INSERT INTO search_stale VALUES ('person', new.person_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER IF NOT EXISTS search_moves_au AFTER UPDATE ON person_org_versions BEGIN
    INSERT INTO search_stale VALUES ('person', old.person_id), ('person', new.person_id)
    ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER IF NOT EXISTS search_moves_ad AFTER DELETE ON person_org_versions BEGIN
    INSERT INTO search_stale VALUES ('person', old.person_id) ON CONFLICT DO NOTHING;
END;

-- The people an organization's change of place reaches: registered there, or moved there.
CREATE INDEX IF NOT EXISTS person_org_versions_org ON person_org_versions (org_id);

INSERT OR IGNORE INTO search_stale SELECT 'organization', org_id FROM org_versions;
INSERT OR IGNORE INTO search_stale SELECT 'person', id FROM people;
INSERT OR IGNORE INTO search_stale SELECT 'certificate', serial FROM certificates;
INSERT OR IGNORE INTO search_stale SELECT 'device', id FROM devices;

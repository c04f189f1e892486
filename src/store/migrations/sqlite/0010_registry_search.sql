-- kyso store — SQLite migration 0010: search over the registry (issue 13 "Lists").
--
-- search_text holds each record's text folded the way kyso folds it (ICU: lower case, tone and
-- vowel marks removed, đ → d; store/registry_query.h search_text), which SQL cannot compute, and
-- search_fts indexes it (FTS5, external content). Triggers on the registry tables only mark a
-- record as stale (search_stale); the store folds the stale records' text in the same write
-- transaction before it commits, and when it opens a database with stale records (this
-- migration marks every existing one, so an upgraded database is indexed when first opened).
-- A write made outside kyso is indexed by the next write or open. Every statement may run again
-- (IF NOT EXISTS, INSERT OR IGNORE): tests take a database back to an older version.

CREATE TABLE IF NOT EXISTS search_text (
    kind   TEXT NOT NULL CHECK (kind IN ('organization', 'person', 'certificate', 'device')),
    ref    TEXT NOT NULL,                                   -- id, or serial of a certificate
    folded TEXT NOT NULL,
    PRIMARY KEY (kind, ref)
) STRICT;

CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    folded, content = 'search_text', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2');

-- The index follows search_text row by row, except in a bulk refresh (search_mode.bulk = 1: the
-- first fill of a large registry), after which the store rebuilds it at once ('rebuild' is
-- several times faster than a million single inserts).
CREATE TABLE IF NOT EXISTS search_mode (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    bulk INTEGER NOT NULL DEFAULT 0 CHECK (bulk IN (0, 1))
) STRICT;
INSERT OR IGNORE INTO search_mode (id, bulk) VALUES (1, 0);

CREATE TRIGGER IF NOT EXISTS search_text_ai AFTER INSERT ON search_text
WHEN (SELECT bulk FROM search_mode) = 0 BEGIN
    INSERT INTO search_fts (rowid, folded) VALUES (new.rowid, new.folded);
END;
CREATE TRIGGER IF NOT EXISTS search_text_ad AFTER DELETE ON search_text
WHEN (SELECT bulk FROM search_mode) = 0 BEGIN
    INSERT INTO search_fts (search_fts, rowid, folded) VALUES ('delete', old.rowid, old.folded);
END;
CREATE TRIGGER IF NOT EXISTS search_text_au AFTER UPDATE ON search_text
WHEN (SELECT bulk FROM search_mode) = 0 BEGIN
    INSERT INTO search_fts (search_fts, rowid, folded) VALUES ('delete', old.rowid, old.folded);
    INSERT INTO search_fts (rowid, folded) VALUES (new.rowid, new.folded);
END;

CREATE TABLE IF NOT EXISTS search_stale (
    kind TEXT NOT NULL,
    ref  TEXT NOT NULL,
    PRIMARY KEY (kind, ref)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS search_people_ai AFTER INSERT ON people BEGIN
    INSERT OR IGNORE INTO search_stale VALUES ('person', new.id);
END;
CREATE TRIGGER IF NOT EXISTS search_people_au AFTER UPDATE ON people BEGIN
    INSERT OR IGNORE INTO search_stale VALUES ('person', old.id), ('person', new.id);
END;
CREATE TRIGGER IF NOT EXISTS search_people_ad AFTER DELETE ON people BEGIN
    INSERT OR IGNORE INTO search_stale VALUES ('person', old.id);
END;
CREATE TRIGGER IF NOT EXISTS search_versions_ai AFTER INSERT ON org_versions BEGIN
    INSERT OR IGNORE INTO search_stale VALUES ('organization', new.org_id);
END;
CREATE TRIGGER IF NOT EXISTS search_versions_au AFTER UPDATE ON org_versions BEGIN
    INSERT OR IGNORE INTO search_stale VALUES ('organization', old.org_id),
                                              ('organization', new.org_id);
END;
CREATE TRIGGER IF NOT EXISTS search_versions_ad AFTER DELETE ON org_versions BEGIN
    INSERT OR IGNORE INTO search_stale VALUES ('organization', old.org_id);
END;
CREATE TRIGGER IF NOT EXISTS search_certificates_ai AFTER INSERT ON certificates BEGIN
    INSERT OR IGNORE INTO search_stale VALUES ('certificate', new.serial);
END;
CREATE TRIGGER IF NOT EXISTS search_certificates_au AFTER UPDATE OF serial, subject_text ON certificates BEGIN
    INSERT OR IGNORE INTO search_stale VALUES ('certificate', old.serial),
                                              ('certificate', new.serial);
END;
CREATE TRIGGER IF NOT EXISTS search_certificates_ad AFTER DELETE ON certificates BEGIN
    INSERT OR IGNORE INTO search_stale VALUES ('certificate', old.serial);
END;
CREATE TRIGGER IF NOT EXISTS search_devices_ai AFTER INSERT ON devices BEGIN
    INSERT OR IGNORE INTO search_stale VALUES ('device', new.id);
END;
CREATE TRIGGER IF NOT EXISTS search_devices_au AFTER UPDATE ON devices BEGIN
    INSERT OR IGNORE INTO search_stale VALUES ('device', old.id), ('device', new.id);
END;
CREATE TRIGGER IF NOT EXISTS search_devices_ad AFTER DELETE ON devices BEGIN
    INSERT OR IGNORE INTO search_stale VALUES ('device', old.id);
END;

INSERT OR IGNORE INTO search_stale SELECT 'organization', org_id FROM org_versions;
INSERT OR IGNORE INTO search_stale SELECT 'person', id FROM people;
INSERT OR IGNORE INTO search_stale SELECT 'certificate', serial FROM certificates;
INSERT OR IGNORE INTO search_stale SELECT 'device', id FROM devices;

-- Lists: the current version of each organization, and each person's organization now.
CREATE INDEX IF NOT EXISTS org_versions_kind ON org_versions (kind);
CREATE INDEX IF NOT EXISTS people_name ON people (full_name);
CREATE INDEX IF NOT EXISTS certificates_not_after ON certificates (not_after_date);
CREATE INDEX IF NOT EXISTS certificates_status ON certificates (status, not_after_date);
CREATE INDEX IF NOT EXISTS organizations_successor ON organizations (successor_id)
    WHERE successor_id IS NOT NULL;

CREATE VIEW IF NOT EXISTS org_current AS
SELECT v.* FROM org_versions AS v
WHERE v.valid_from = (SELECT max(w.valid_from) FROM org_versions AS w WHERE w.org_id = v.org_id);

CREATE VIEW IF NOT EXISTS person_current_org AS
SELECT p.id AS person_id,
       coalesce((SELECT m.org_id FROM person_org_versions AS m WHERE m.person_id = p.id
                 ORDER BY m.valid_from DESC LIMIT 1), p.org_id) AS org_id
FROM people AS p;

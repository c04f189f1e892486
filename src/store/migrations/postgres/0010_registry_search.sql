-- kyso store — PostgreSQL migration 0010: search over the registry (issue 13 "Lists"), as
-- SQLite's 0010 with PostgreSQL's built-in full text search instead of FTS5 (no extension).
--
-- search_text holds each record's text folded the way kyso folds it (ICU: lower case, tone and
-- vowel marks removed, đ → d; store/registry_query.h search_text), which SQL cannot compute, as
-- its words (letters and digits) separated by one space. `words` is that text as a tsvector of
-- those very words (array_to_tsvector: no parser, no stemming, no stop words), under a GIN
-- index; a search is `words @@ 'nguyen':* & 'van':*` (each word of the search must start a word
-- of the record). Triggers on the registry tables only mark a record as stale (search_stale);
-- the store folds the stale records' text in the same write transaction before it commits, and
-- when it opens a database with stale records (this migration marks every existing one).

CREATE TABLE search_text (
    kind   TEXT NOT NULL CHECK (kind IN ('organization', 'person', 'certificate', 'device')),
    ref    TEXT COLLATE "C" NOT NULL,                       -- id, or serial of a certificate
    folded TEXT NOT NULL,
    words  tsvector GENERATED ALWAYS AS
               (array_to_tsvector(string_to_array(folded, ' '))) STORED,
    PRIMARY KEY (kind, ref)
);
CREATE INDEX search_text_words ON search_text USING gin (words);

CREATE TABLE search_stale (
    kind TEXT NOT NULL,
    ref  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (kind, ref)
);

-- One trigger function per table: the kind and the key column are its arguments.
CREATE FUNCTION kyso_search_mark() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k TEXT := TG_ARGV[0];
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO search_stale VALUES (k, to_jsonb(OLD) ->> TG_ARGV[1]) ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO search_stale VALUES (k, to_jsonb(NEW) ->> TG_ARGV[1]) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER search_people AFTER INSERT OR UPDATE OR DELETE ON people
    FOR EACH ROW EXECUTE FUNCTION kyso_search_mark('person', 'id');
CREATE TRIGGER search_versions AFTER INSERT OR UPDATE OR DELETE ON org_versions
    FOR EACH ROW EXECUTE FUNCTION kyso_search_mark('organization', 'org_id');
CREATE TRIGGER search_certificates_iud AFTER INSERT OR DELETE ON certificates
    FOR EACH ROW EXECUTE FUNCTION kyso_search_mark('certificate', 'serial');
CREATE TRIGGER search_certificates_u AFTER UPDATE OF serial, subject_text ON certificates
    FOR EACH ROW EXECUTE FUNCTION kyso_search_mark('certificate', 'serial');
CREATE TRIGGER search_devices AFTER INSERT OR UPDATE OR DELETE ON devices
    FOR EACH ROW EXECUTE FUNCTION kyso_search_mark('device', 'id');

INSERT INTO search_stale SELECT DISTINCT 'organization', org_id FROM org_versions;
INSERT INTO search_stale SELECT 'person', id FROM people;
INSERT INTO search_stale SELECT 'certificate', serial FROM certificates;
INSERT INTO search_stale SELECT 'device', id FROM devices;

-- Lists: the current version of each organization, and each person's organization now.
CREATE INDEX org_versions_kind ON org_versions (kind);
CREATE INDEX people_name ON people (full_name);
CREATE INDEX certificates_not_after ON certificates (not_after_date);
CREATE INDEX certificates_status ON certificates (status, not_after_date);
CREATE INDEX organizations_successor ON organizations (successor_id)
    WHERE successor_id IS NOT NULL;

CREATE VIEW org_current AS
SELECT v.* FROM org_versions AS v
WHERE v.valid_from = (SELECT max(w.valid_from) FROM org_versions AS w WHERE w.org_id = v.org_id);

CREATE VIEW person_current_org AS
SELECT p.id AS person_id,
       coalesce((SELECT m.org_id FROM person_org_versions AS m WHERE m.person_id = p.id
                 ORDER BY m.valid_from DESC LIMIT 1), p.org_id) AS org_id
FROM people AS p;

-- kyso store — SQLite migration 0002: which events have been applied (`kyso events apply`), and
-- the history of each person's organization, so that any past day can still be loaded.
--
-- People keep their registered state in `people` (what the bundle said; a re-import of the same
-- bundle leaves it as it is), and every change an applied event made to a person's organization
-- is a row of person_org_versions: the organization in force from valid_from until the next row.
-- A person's organization on a day is that of the last row on or before it, or people.org_id
-- when there is none. This mirrors org_versions, where the registered version is dated
-- 0001-01-01 and events add later ones.

CREATE TABLE event_applications (
    event_id   TEXT PRIMARY KEY NOT NULL REFERENCES events (id),
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),  -- UTC
    as_of      TEXT NOT NULL                               -- the --as-of of that `events apply`
) STRICT;

CREATE TABLE person_org_versions (
    person_id  TEXT NOT NULL REFERENCES people (id),
    valid_from TEXT NOT NULL,                              -- effective_date of the event
    org_id     TEXT NOT NULL REFERENCES organizations (id),
    event_id   TEXT NOT NULL REFERENCES events (id),       -- the last to touch the person that day
    PRIMARY KEY (person_id, valid_from)
) STRICT, WITHOUT ROWID;

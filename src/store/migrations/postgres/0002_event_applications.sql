-- kyso store — PostgreSQL migration 0002: which events have been applied (`kyso events apply`),
-- and the history of each person's organization (as SQLite's 0002: a person's organization on
-- a day is that of the last row on or before it, or people.org_id when there is none).

CREATE TABLE event_applications (
    event_id   TEXT COLLATE "C" PRIMARY KEY NOT NULL REFERENCES events (id),
    applied_at TEXT NOT NULL
               DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),  -- UTC
    as_of      TEXT NOT NULL                               -- the --as-of of that `events apply`
);

CREATE TABLE person_org_versions (
    person_id  TEXT COLLATE "C" NOT NULL REFERENCES people (id),
    valid_from TEXT COLLATE "C" NOT NULL,                  -- effective_date of the event
    org_id     TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    event_id   TEXT COLLATE "C" NOT NULL REFERENCES events (id),  -- the last to touch the person that day
    PRIMARY KEY (person_id, valid_from)
);

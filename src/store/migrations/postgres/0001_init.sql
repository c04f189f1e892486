-- kyso store — PostgreSQL migration 0001: the registry (organizations with history, people,
-- devices, certificates) and the reorganization events. The same tables as SQLite's 0001.
--
-- Conventions as in SQLite: dates are TEXT 'YYYY-MM-DD' (they sort as dates); an absent optional
-- reference (superior_id, successor_id, org_id, device_id) is NULL so that its foreign key does
-- not apply; every other absent text is ''. SQLite reads tables in rowid order, which keeps the
-- order of the first import: here each table has `ord`, an identity column, for that order.
-- Ids are compared and sorted byte by byte (COLLATE "C"), as SQLite does, whatever the
-- database's locale.

CREATE TABLE organizations (
    ord             BIGINT GENERATED ALWAYS AS IDENTITY,
    id              TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    ceased_on       TEXT,                                  -- NULL while the organization exists
    ceased_by_event TEXT NOT NULL DEFAULT '',
    successor_id    TEXT COLLATE "C" REFERENCES organizations (id)  -- where it went when it ceased
);

-- One row per state of an organization, in force from valid_from until the next row.
CREATE TABLE org_versions (
    org_id      TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    valid_from  TEXT COLLATE "C" NOT NULL,
    name        TEXT NOT NULL,
    superior_id TEXT COLLATE "C" REFERENCES organizations (id),
    province    TEXT NOT NULL,
    agency_code TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL DEFAULT '',
    event_id    TEXT NOT NULL DEFAULT '',                  -- '' for the registered state
    PRIMARY KEY (org_id, valid_from)
);
CREATE INDEX org_versions_superior ON org_versions (superior_id) WHERE superior_id IS NOT NULL;

CREATE TABLE people (
    ord            BIGINT GENERATED ALWAYS AS IDENTITY,
    id             TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    full_name      TEXT NOT NULL,
    cccd           TEXT NOT NULL,
    date_of_birth  TEXT NOT NULL,                          -- as written
    email          TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    org_id         TEXT COLLATE "C" REFERENCES organizations (id),  -- NULL: unassigned
    position       TEXT NOT NULL DEFAULT '',
    cccd_issued_on TEXT NOT NULL DEFAULT '',
    cccd_issued_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX people_org ON people (org_id) WHERE org_id IS NOT NULL;
CREATE INDEX people_cccd ON people (cccd);

-- The holder is a person or an organization, so it has no foreign key.
CREATE TABLE devices (
    ord         BIGINT GENERATED ALWAYS AS IDENTITY,
    id          TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('usb_token', 'pki_sim', 'hsm')),
    serial      TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    carrier     TEXT NOT NULL DEFAULT '',
    holder_type TEXT NOT NULL CHECK (holder_type IN ('person', 'org')),
    holder_id   TEXT COLLATE "C" NOT NULL
);
CREATE INDEX devices_holder ON devices (holder_type, holder_id);

CREATE TABLE certificates (
    ord             BIGINT GENERATED ALWAYS AS IDENTITY,
    serial          TEXT COLLATE "C" PRIMARY KEY NOT NULL, -- uppercase hex
    holder_type     TEXT NOT NULL CHECK (holder_type IN ('person', 'org')),
    holder_id       TEXT COLLATE "C" NOT NULL,
    device_id       TEXT COLLATE "C" REFERENCES devices (id),  -- NULL: no device known
    subject_text    TEXT NOT NULL,                         -- RFC 4514, as written
    subject_rdns    TEXT NOT NULL,                         -- parsed subject (subject_codec.h)
    not_before      TEXT NOT NULL,                         -- as written
    not_after       TEXT NOT NULL,
    not_after_date  TEXT NOT NULL,                         -- UTC calendar date of not_after
    status          TEXT NOT NULL CHECK (status IN ('valid', 'revoked')),
    pem             TEXT NOT NULL DEFAULT '',
    issuer_text     TEXT NOT NULL DEFAULT '',
    sha256_cert     TEXT NOT NULL DEFAULT '',
    sha256_key      TEXT NOT NULL DEFAULT '',
    der             BYTEA,                                 -- NULL when the file is not known
    replaces_serial TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX certificates_holder ON certificates (holder_type, holder_id);
CREATE INDEX certificates_device ON certificates (device_id) WHERE device_id IS NOT NULL;

-- Events keep their JSON form (FORMATS.md §2, bundle::event_to_json) so that new event fields
-- need no migration; the columns beside it are what ordering and lookups need.
CREATE TABLE events (
    id             TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    type           TEXT NOT NULL,
    effective_date TEXT COLLATE "C" NOT NULL,
    file_order     BIGINT NOT NULL,
    body           TEXT NOT NULL
);
CREATE INDEX events_order ON events (effective_date, file_order);

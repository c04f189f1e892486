-- kyso store — SQLite migration 0003: the workflow (DOMAIN.md "Request", "Batch", custody):
-- users and roles, requests and their transitions, batches, device custody, and the
-- append-only hash-chained audit log. Times are TEXT 'YYYY-MM-DDThh:mm:ssZ' (UTC).

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('unit_officer', 'unit_head', 'dost_operator',
                                                'ca_operator', 'auditor', 'admin')),
    org_id        TEXT REFERENCES organizations (id),      -- scope: this subtree; NULL: all
    password_hash TEXT NOT NULL,                           -- argon2id, PHC string
    position      TEXT NOT NULL DEFAULT '',                -- e.g. 'Phó Giám đốc' (letters)
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE batches (
    id           INTEGER PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organizations (id),  -- issuing organization
    kind         TEXT NOT NULL,
    form         TEXT NOT NULL,                           -- mau-01, mau-02, mau-04, mau-05, mau-06
    level        TEXT NOT NULL CHECK (level IN ('organization', 'province')),
    parent_id    INTEGER REFERENCES batches (id),         -- the provincial batch it went into
    number       TEXT NOT NULL DEFAULT '',                -- số (letter number)
    symbol       TEXT NOT NULL DEFAULT '',                -- ký hiệu, e.g. STC-VP
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;

CREATE TABLE requests (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('issue', 'renew', 'change_info', 'revoke',
                                                    'device_restore', 'device_handover')),
    state             TEXT NOT NULL CHECK (state IN ('draft', 'validated', 'approved', 'submitted',
                                                     'forwarded', 'completed', 'rejected')),
    managing_org_id   TEXT NOT NULL REFERENCES organizations (id),
    holder_type       TEXT NOT NULL DEFAULT '',
    holder_id         TEXT NOT NULL DEFAULT '',
    certificate       TEXT NOT NULL DEFAULT '',           -- the certificate concerned (serial)
    device_id         TEXT NOT NULL DEFAULT '',
    rule              TEXT NOT NULL DEFAULT '',           -- section of the guiding letter
    event_id          TEXT NOT NULL DEFAULT '',
    old_subject       TEXT NOT NULL DEFAULT '',           -- RFC 4514
    new_subject       TEXT NOT NULL DEFAULT '',           -- RFC 4514
    revocation_reason TEXT NOT NULL DEFAULT '',           -- RFC 5280 CRLReason name
    plan_key          TEXT UNIQUE,                        -- from-plan idempotency
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    batch_id          INTEGER REFERENCES batches (id),
    result_serial     TEXT NOT NULL DEFAULT '',           -- the new certificate, once completed
    reject_reason     TEXT NOT NULL DEFAULT '',
    completed_at      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX requests_org_state ON requests (managing_org_id, state);
CREATE INDEX requests_batch ON requests (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX requests_certificate ON requests (certificate) WHERE certificate <> '';

CREATE TABLE request_transitions (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id),
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX request_transitions_request ON request_transitions (request_id);

-- One hand-over of a device: holder -> managing organization -> DoST -> national CA.
CREATE TABLE custody (
    id          INTEGER PRIMARY KEY,
    device_id   TEXT NOT NULL,
    request_id  INTEGER REFERENCES requests (id),
    step        TEXT NOT NULL CHECK (step IN ('to_organization', 'to_dost', 'to_ca')),
    from_party  TEXT NOT NULL,
    to_party    TEXT NOT NULL,
    handed_by   TEXT NOT NULL,                            -- person who handed it over
    received_by TEXT NOT NULL,                            -- person who received it
    handed_on   TEXT NOT NULL,                            -- YYYY-MM-DD
    document    TEXT NOT NULL DEFAULT '',                 -- biên bản number or file
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX custody_device ON custody (device_id);

-- Revocations as completed by the national CA.
ALTER TABLE certificates ADD COLUMN revoked_on TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN revocation_reason TEXT NOT NULL DEFAULT '';

-- Append-only; each entry's hash covers its fields and the previous entry's hash, so an
-- edited, inserted, deleted or reordered entry breaks the chain (`kyso audit verify`).
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,                        -- 1, 2, 3, ... without gaps
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,                              -- e.g. request.approve
    object    TEXT NOT NULL,                              -- e.g. request:12
    detail    TEXT NOT NULL,                              -- JSON
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The newest entry as recorded with it: deleting entries from the end shows as a head that
-- the log no longer reaches.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
) STRICT;

-- kyso store — SQLite migration 0007: the audit chain is keyed (docs/audit.md). From entry
-- `keyed_from` on, an entry's `hash` is an HMAC-SHA-256 under a key kept outside the database
-- (the key file) and `prev_hash` the previous entry's MAC; the first keyed entry links to the
-- last entry hashed the old way (SHA-256, unkeyed), or to the genesis value in a new database.
-- A database that already has entries keeps them as they are: they still verify as before.

CREATE TABLE audit_chain (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    keyed_from INTEGER NOT NULL                             -- the first seq with a MAC
) STRICT;
INSERT INTO audit_chain (id, keyed_from) SELECT 1, coalesce(max(seq), 0) + 1 FROM audit_log;
CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'audit_chain is written once'); END;
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'audit_chain is written once'); END;

-- kyso store — PostgreSQL migration 0007: the audit chain is keyed (docs/audit.md), as SQLite's
-- 0007. From entry `keyed_from` on, an entry's `hash` is an HMAC-SHA-256 under a key kept
-- outside the database (the key file; for PostgreSQL named by --audit-key or KYSO_AUDIT_KEY).

CREATE TABLE audit_chain (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    keyed_from BIGINT NOT NULL                              -- the first seq with a MAC
);
INSERT INTO audit_chain (id, keyed_from) SELECT 1, coalesce(max(seq), 0) + 1 FROM audit_log;
CREATE TRIGGER audit_chain_no_change BEFORE UPDATE OR DELETE ON audit_chain
FOR EACH ROW EXECUTE FUNCTION kyso_refuse_change('written once');
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
FOR EACH STATEMENT EXECUTE FUNCTION kyso_refuse_change('written once');

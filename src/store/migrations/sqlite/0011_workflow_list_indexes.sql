-- kyso store — SQLite migration 0011: indexes for the workflow lists run in the database
-- (issue 13 "Lists"; store/workflow_query.h): requests by state in id order, batches by
-- organization and parent, custody records by request (the subtree of their request's managing
-- organization), audit entries by actor and object, newest first, and users by organization.
-- IF NOT EXISTS: tests take a database back to an older version and migrate again.

CREATE INDEX IF NOT EXISTS requests_state ON requests (state, id);
CREATE INDEX IF NOT EXISTS requests_org ON requests (managing_org_id, id);
CREATE INDEX IF NOT EXISTS batches_org ON batches (org_id);
CREATE INDEX IF NOT EXISTS batches_parent ON batches (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS custody_request ON custody (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_log_actor ON audit_log (actor, seq);
CREATE INDEX IF NOT EXISTS audit_log_object ON audit_log (object, seq);
CREATE INDEX IF NOT EXISTS users_org ON users (org_id) WHERE org_id IS NOT NULL;

-- kyso store — SQLite migration 0009: background jobs (issue 13 "Long work"). A job is queued by
-- a request, claimed by one worker (owner, heartbeat), reports done/total, may be asked to stop
-- (cancel_requested), and ends succeeded (result JSON), failed (error JSON) or cancelled. A job
-- whose worker stopped (its heartbeat is stale when a server starts) is marked failed. Its input
-- files (an uploaded bundle, certificate files, a spreadsheet) are kept in job_files.
-- Times are TEXT 'YYYY-MM-DDThh:mm:ss.sssZ' (UTC), written by kyso, so they sort as times.

CREATE TABLE IF NOT EXISTS jobs (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,                         -- e.g. import.bundle, check, plan
    actor            TEXT NOT NULL,                         -- who asked for it (username)
    scope_org_id     TEXT NOT NULL DEFAULT '',              -- the actor's scope ('' = all)
    params           TEXT NOT NULL DEFAULT '{}',            -- JSON
    state            TEXT NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    done             INTEGER NOT NULL DEFAULT 0,
    total            INTEGER NOT NULL DEFAULT 0,            -- 0: not known yet
    result           TEXT NOT NULL DEFAULT '',              -- JSON, once succeeded
    error            TEXT NOT NULL DEFAULT '',              -- JSON {code, message, message_en}
    cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
    owner            TEXT NOT NULL DEFAULT '',              -- the worker running it
    heartbeat_at     TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    started_at       TEXT NOT NULL DEFAULT '',
    finished_at      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state, id);
CREATE INDEX IF NOT EXISTS jobs_actor ON jobs (actor, id);

CREATE TABLE IF NOT EXISTS job_files (
    job_id  INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    name    TEXT NOT NULL,                                  -- as uploaded, checked to be a plain name
    content BLOB NOT NULL,
    PRIMARY KEY (job_id, name)
) STRICT;

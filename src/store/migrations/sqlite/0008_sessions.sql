-- kyso store — SQLite migration 0008: sign-in (issue 13). Server-side sessions, API tokens and
-- failed sign-ins live in the database so that several `kyso serve` processes share them.
-- Session ids and tokens are stored only as SHA-256 hashes (lowercase hex); times are Unix
-- seconds (UTC). users.person_id links an account to the registered person whose certificate
-- signs it in (mutual TLS); one person, one account. The store checks that the person exists
-- when it links them (people are never deleted); no REFERENCES clause, so the column can be
-- dropped again (SQLite refuses to drop a column under a foreign key).

ALTER TABLE users ADD COLUMN person_id TEXT;
CREATE UNIQUE INDEX users_person ON users (person_id) WHERE person_id IS NOT NULL;

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,                     -- SHA-256 hex of the raw session id
    user_id      INTEGER NOT NULL REFERENCES users (id),
    method       TEXT NOT NULL CHECK (method IN ('password', 'certificate')),
    address      TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL                          -- absolute end
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,                     -- SHA-256 hex of the raw token
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL DEFAULT 0,
    revoked_at   INTEGER NOT NULL DEFAULT 0,               -- 0: active
    revoked_by   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- One row per failed sign-in under a key: 'user:<name>' and 'addr:<address>'.
CREATE TABLE sign_in_failures (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
) STRICT;
CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at);

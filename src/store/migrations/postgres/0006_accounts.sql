-- kyso store — PostgreSQL migration 0006: real accounts and the DoST of a hand-over (issue 11),
-- as SQLite's 0006: users.disabled (0 or 1) and custody.dost_org_id ('' when none).

ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));
ALTER TABLE custody ADD COLUMN dost_org_id TEXT NOT NULL DEFAULT '';

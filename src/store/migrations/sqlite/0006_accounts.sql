-- kyso store — SQLite migration 0006: real accounts and the DoST of a hand-over (issue 11).
-- - users.disabled: an admin disables an account instead of deleting it (its name stays in the
--   audit log and on every transition); a disabled user cannot sign in.
-- - custody.dost_org_id: the DoST (organization id) a device was handed to (to_dost) or handed
--   on by (to_ca), so the hand-over to the national CA is made by the DoST that received the
--   device; '' on the records of the holder's hand-over to its organization and on records
--   made before this migration.

ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));
ALTER TABLE custody ADD COLUMN dost_org_id TEXT NOT NULL DEFAULT '';

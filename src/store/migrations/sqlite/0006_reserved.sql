-- kyso store — SQLite migration 0006: reserved for the user-accounts change made at the same
-- time (issue 11); this placeholder changes nothing and is replaced by that migration.
SELECT 1;

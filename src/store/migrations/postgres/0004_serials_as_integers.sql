-- kyso store — PostgreSQL migration 0004: certificate serials are integers (FORMATS.md §1 as
-- amended). In SQLite this migration rewrites serials stored before it in their normal form and
-- merges rows that are the same integer. The PostgreSQL back-end came after it: every serial it
-- ever stored went through core normalize_serial, and a new PostgreSQL database passes this
-- step with its tables still empty. So there is nothing to rewrite; the number is kept so that
-- both back-ends count their schema versions alike.
SELECT 1;

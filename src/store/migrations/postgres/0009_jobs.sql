-- kyso store — PostgreSQL migration 0009: PLACEHOLDER on branch h/lists only, so that 0011 builds
-- (versions run without gaps). The PostgreSQL helper's branch (h/pg) owns this number and its
-- real content replaces this file when merged.
SELECT 1;

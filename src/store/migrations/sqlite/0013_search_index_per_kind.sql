-- kyso store — SQLite migration 0013: nothing to change. PostgreSQL's 0013 splits its GIN index
-- of search words by record kind; SQLite's FTS5 index already answers a search of one kind
-- cheaply by matching the kind's scope word ("kperson", migration 0012), which FTS5 intersects
-- by skipping through the lists (at 1M, "nguyen thi nhan*" in a province: 1 ms with the kind's
-- word, 27 ms without). Kept so that both dialects number their migrations alike.
SELECT 1;

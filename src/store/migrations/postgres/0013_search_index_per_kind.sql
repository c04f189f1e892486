-- kyso store — PostgreSQL migration 0013: one GIN index of search words per record kind (issue
-- 13, a search at a million records on two cores).
--
-- A search asks for one kind (search_text.kind = 'person', a literal, so the planner takes the
-- index whose predicate it is). With one index for every kind, a name's words also matched the
-- certificates and devices of people so named and the organizations whose names hold them
-- ("nhan*" is in every "Ủy ban nhân dân"), and each such row was read from the table and thrown
-- away; asking for the kind's word ('@kperson') instead made GIN read a list of a million
-- entries (EXPLAIN ANALYZE at 1M, "nguyen thi nhan" in a province: 12–64 ms with the one index,
-- 2.7 ms with the people's own). The kind's word stays in `lexemes`; queries no longer ask for
-- it.
--
-- gin_pending_list_limit 256 kB (the default is 4 MB): new entries wait in a pending list that
-- every search reads whole until it is merged into the index; the writes of a working day kept
-- it long enough to double a search's time. 256 kB keeps that read short and still merges an
-- import's entries in batches.

-- Building them reads every row; more sort memory than the default 64 MB halves the time.
SET LOCAL maintenance_work_mem = '256MB';
DROP INDEX search_text_words;
CREATE INDEX search_text_words_organization ON search_text USING gin (words)
    WITH (gin_pending_list_limit = 256) WHERE kind = 'organization';
CREATE INDEX search_text_words_person ON search_text USING gin (words)
    WITH (gin_pending_list_limit = 256) WHERE kind = 'person';
CREATE INDEX search_text_words_certificate ON search_text USING gin (words)
    WITH (gin_pending_list_limit = 256) WHERE kind = 'certificate';
CREATE INDEX search_text_words_device ON search_text USING gin (words)
    WITH (gin_pending_list_limit = 256) WHERE kind = 'device';

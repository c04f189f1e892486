// kyso store — keeps the PostgreSQL search index (migration 0010) up to date: folds the text of
// the records that triggers marked stale.
#pragma once

#include "core/result.h"
#include "store/postgres/connection.h"

namespace kyso::store::postgres {

// Rewrites search_text for every record in search_stale (deleting the text of records that no
// longer exist) and empties search_stale, as sqlite::refresh_search_index. Runs inside the
// caller's write transaction (under the write lock), so the index changes exactly when the
// records do. Nothing written when no record is stale.
Status refresh_search_index(Connection& db);

// At open: the same in a write transaction of its own, when some record is stale (a database
// upgraded by migration 0010, or written outside kyso).
Status refresh_search_index_at_open(Connection& db);

// The folded search text of a record as search_text stores it: its words (store::search_words
// of store::search_text) separated by one space, what array_to_tsvector indexes.
std::string indexed_words(const std::string& folded);

}  // namespace kyso::store::postgres

// kyso store — keeps the SQLite search index (migration 0010) up to date: folds the text of the
// records that triggers marked stale.
#pragma once

#include "core/result.h"
#include "store/sqlite/connection.h"

namespace kyso::store::sqlite {

// Rewrites search_text for every record in search_stale (deleting the text of records that no
// longer exist) and empties search_stale. Runs inside the caller's write transaction, so the
// index changes exactly when the records do. Nothing to do (and nothing written) when no record
// is stale.
Status refresh_search_index(Connection& db);

// At open: the same in a write transaction of its own, when some record is stale (a database
// upgraded by migration 0010, or written outside kyso).
Status refresh_search_index_at_open(Connection& db);

}  // namespace kyso::store::sqlite

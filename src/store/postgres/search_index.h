// kyso store — keeps the PostgreSQL search index (migrations 0010, 0012) up to date: folds the text
// of the records that triggers marked stale.
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

// What the GIN index holds for a record (search_text.lexemes, migration 0012), space-separated:
// its words (indexed_words); the first kSearchPrefixMin..kSearchPrefixMax characters of each
// word followed by '*' ("thu*"), once each; and each of its scope words (store/search_scope.h)
// preceded by '@'. Search words hold letters and digits only, so neither added kind can be
// mistaken for a word.
std::string indexed_lexemes(const std::string& words, const std::string& scope);

}  // namespace kyso::store::postgres

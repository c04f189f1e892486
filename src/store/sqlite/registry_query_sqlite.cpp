// kyso store — the SQLite back-end of RegistryQuery: lists, details and subtree checks
// (store/registry_query_body.inc, shared with PostgreSQL) with FTS5 search.
#include "store/sqlite/registry_query_sqlite.h"

#include <algorithm>
#include <map>
#include <utility>

#include "core/messages.h"
#include "core/values.h"
#include "store/migrations/migration.h"
#include "store/sqlite/guarded.h"
#include "store/sqlite/migrator.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/search_index.h"

namespace kyso::store::sqlite {

namespace {

// FTS5 query: each word a prefix query, its alternatives OR-ed, the words AND-ed. Words hold no
// '"' (search_words keeps letters and digits).
std::string search_expression(const std::vector<std::vector<std::string>>& words) {
    std::string out;
    for (const auto& alternatives : words) {
        if (!out.empty()) out += " AND ";
        std::string one;
        for (const std::string& w : alternatives)
            one += (one.empty() ? "\"" : " OR \"") + w + "\"*";
        out += alternatives.size() > 1 ? "(" + one + ")" : one;
    }
    return out;
}

// The FTS5 match first (by rowid), then the kind: joined the other way round, SQLite would run
// the match once per record of the kind (seconds at 100,000 records).
std::string search_condition(std::string_view kind, const std::string& key,
                             const std::string& param) {
    return key +
           " IN (SELECT t.ref FROM search_text AS t WHERE t.rowid IN (SELECT rowid"
           " FROM search_fts WHERE search_fts MATCH " +
           param + ") AND t.kind = '" + std::string(kind) + "')";
}

using QueryImpl = SqliteRegistryQuery;

}  // namespace

#include "store/registry_query_body.inc"

Result<std::unique_ptr<RegistryQuery>> open_sqlite_registry_query(const std::string& path) {
    return guarded([&]() -> Result<std::unique_ptr<RegistryQuery>> {
        auto db = Connection::open(path, 10'000);
        if (!db) return db.error();
        if (auto st = migrate(*db, sqlite_migrations()); !st) return st.error();
        if (auto st = refresh_search_index_at_open(*db); !st) return st.error();
        return std::unique_ptr<RegistryQuery>(
            std::make_unique<SqliteRegistryQuery>(std::move(*db)));
    });
}

}  // namespace kyso::store::sqlite

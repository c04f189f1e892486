// kyso store — the SQLite back-end of RegistryQuery: lists, details and subtree checks
// (store/registry_query_body.inc, shared with PostgreSQL) with FTS5 search.
#include "store/sqlite/registry_query_sqlite.h"

#include <algorithm>
#include <map>
#include <utility>

#include "core/messages.h"
#include "core/values.h"
#include "store/migrations/migration.h"
#include "store/search_scope.h"
#include "store/sqlite/guarded.h"
#include "store/sqlite/migrator.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/search_index.h"

namespace kyso::store::sqlite {

namespace {

// FTS5 query (FTS5 "Full-text Query Syntax"): in the column folded, each term a phrase, or a
// prefix query ("w"*), its forms OR-ed, the terms AND-ed; in the column scope, the kind's word
// and each root's (migration 0012). Words hold no '"' (search_words keeps letters and digits;
// scope words are letters and hex digits).
std::string search_expression(const std::vector<SearchTerm>& terms, std::string_view kind,
                              const std::vector<std::string>& roots) {
    std::string words;
    for (const SearchTerm& t : terms) {
        if (!words.empty()) words += " AND ";
        std::string one;
        for (const std::string& w : t.forms)
            one += (one.empty() ? "\"" : " OR \"") + w + (t.prefix ? "\"*" : "\"");
        words += t.forms.size() > 1 ? "(" + one + ")" : one;
    }
    std::string scope = "\"" + kind_word(kind) + "\"";
    for (const std::string& root : roots) scope += " AND \"" + org_word(root) + "\"";
    return "folded : (" + words + ") AND scope : (" + scope + ")";
}

// The FTS5 match first, then its rows of search_text by rowid, then the kind. "+t.kind" keeps
// SQLite from reading every search_text row of the kind through the (kind, ref) index and
// testing each against the match (O(records of the kind) per search: 0.15 s at 20,000 people).
std::string search_condition(std::string_view kind, const std::string& key,
                             const std::string& param) {
    return key +
           " IN (SELECT t.ref FROM search_text AS t WHERE t.rowid IN (SELECT rowid"
           " FROM search_fts WHERE search_fts MATCH " +
           param + ") AND +t.kind = '" + std::string(kind) + "')";
}

// A column that must not drive the query (SQLite's unary "+", "The WHERE Clause" in its query
// planner documentation): a subtree condition on holder_type would otherwise make SQLite scan
// every certificate of a holder type rather than start from the few a search found.
std::string unindexed(std::string_view column) {
    return "+" + std::string(column);
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

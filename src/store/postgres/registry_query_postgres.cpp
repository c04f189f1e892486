// kyso store — the PostgreSQL back-end of RegistryQuery: the lists, details and subtree checks
// of store/registry_query_body.inc (shared with SQLite) with PostgreSQL's full text search
// (migration 0010).
#include "store/postgres/registry_query_postgres.h"

#include <algorithm>
#include <map>
#include <utility>

#include "core/messages.h"
#include "core/subject.h"
#include "core/values.h"
#include "store/migrations/migration.h"
#include "store/postgres/errors.h"
#include "store/postgres/migrator.h"
#include "store/postgres/rows.h"
#include "store/postgres/search_index.h"
#include "store/search_scope.h"

namespace kyso::store::postgres {

namespace {

// A tsquery (PostgreSQL §8.11.2) over search_text.lexemes (search_index.h indexed_lexemes): each
// term a lexeme ('w'), or for a prefix term its start as a lexeme of its own ('thu*') when it
// has kSearchPrefixMin..kSearchPrefixMax characters, else a partial match ('w':*); its forms OR-ed,
// the terms AND-ed; then each root's scope word ('@o503031'). The kind's word ('@kperson') is
// indexed but not asked for: it holds every record of the kind, and GIN read much of its list
// for each search (EXPLAIN ANALYZE at 1M: 29 ms with it, 13 ms without), while the kind is
// checked on the row anyway (search_condition). Words hold letters and digits only and scope
// words letters and hex digits, so quoting them is enough.
std::string search_expression(const std::vector<SearchTerm>& terms, std::string_view /*kind*/,
                              const std::vector<std::string>& roots) {
    std::string out;
    for (const SearchTerm& t : terms) {
        if (!out.empty()) out += " & ";
        std::string one;
        for (const std::string& w : t.forms) {
            one += one.empty() ? "'" : " | '";
            if (!t.prefix) {
                one += w + "'";
            } else if (const auto n = utf8_length(w);
                       n >= kSearchPrefixMin && n <= kSearchPrefixMax) {
                one += w + "*'";
            } else {
                one += w + "':*";
            }
        }
        out += t.forms.size() > 1 ? "(" + one + ")" : one;
    }
    for (const std::string& root : roots) out += " & '@" + org_word(root) + "'";
    return out;
}

// The GIN index on search_text.words finds the records; the tsquery is taken as written (a
// cast, not to_tsquery: no parser, as the indexed words had none).
std::string search_condition(std::string_view kind, const std::string& key,
                             const std::string& param) {
    return key + " IN (SELECT t.ref FROM search_text AS t WHERE t.words @@ CAST(" + param +
           " AS tsquery) AND t.kind = '" + std::string(kind) + "')";
}

// A column that must not drive the query: PostgreSQL's planner needs no such hint (costs, not
// rules) and has no unary + for text.
std::string unindexed(std::string_view column) {
    return std::string(column);
}

using QueryImpl = PgRegistryQuery;

}  // namespace

#include "store/registry_query_body.inc"

Result<std::unique_ptr<RegistryQuery>> open_postgres_registry_query(const std::string& location) {
    return guarded([&]() -> Result<std::unique_ptr<RegistryQuery>> {
        auto db = Connection::open(location);
        if (!db) return db.error();
        if (auto st = migrate(*db, postgres_migrations()); !st) return st.error();
        if (auto st = refresh_search_index_at_open(*db); !st) return st.error();
        return std::unique_ptr<RegistryQuery>(std::make_unique<PgRegistryQuery>(std::move(*db)));
    });
}

}  // namespace kyso::store::postgres

// kyso store — numbered schema migrations, embedded in the binary from migrations/<back-end>/.
#pragma once

#include <span>
#include <string_view>

namespace kyso::store {

// One schema change. Applied once per database, in version order, each in its own
// transaction, and recorded in the table `schema_migrations`.
struct Migration {
    int version = 0;        // 1, 2, 3, ... (the NNNN of the file name)
    std::string_view name;  // file name without extension, e.g. "0001_init"
    std::string_view sql;   // the file's text
};

// migrations/sqlite/*.sql, in version order (generated at build time).
std::span<const Migration> sqlite_migrations();
// migrations/postgres/*.sql: the same versions with the same meaning, in PostgreSQL's dialect.
std::span<const Migration> postgres_migrations();

}  // namespace kyso::store

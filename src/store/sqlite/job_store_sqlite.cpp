// kyso store — the SQLite back-end of JobStore (store/job_store_body.inc, shared with
// PostgreSQL): a claim takes the write lock first (BEGIN IMMEDIATE).
#include "store/sqlite/job_store_sqlite.h"

#include <utility>

#include "core/messages.h"
#include "store/migrations/migration.h"
#include "store/sqlite/audit_log.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/guarded.h"
#include "store/sqlite/migrator.h"

namespace kyso::store::sqlite {

namespace {

std::size_t changed_rows(Connection& db, const Statement&) {
    return static_cast<std::size_t>(sqlite3_changes(db.handle()));
}

constexpr std::string_view kContentParameter = "CAST(?3 AS BLOB)";

void bind_content(Statement& st, int index, const std::string& bytes) {
    st.bind(index, bytes);
}

}  // namespace

#include "store/job_store_body.inc"

Result<std::unique_ptr<JobStore>> open_sqlite_job_store(const std::string& path) {
    return guarded([&]() -> Result<std::unique_ptr<JobStore>> {
        auto db = Connection::open(path, 10'000);
        if (!db) return db.error();
        if (auto st = migrate(*db, sqlite_migrations()); !st) return st.error();
        return std::unique_ptr<JobStore>(std::make_unique<JobStoreImpl>(std::move(*db)));
    });
}

}  // namespace kyso::store::sqlite

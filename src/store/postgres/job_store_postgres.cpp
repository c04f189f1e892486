// kyso store — the PostgreSQL back-end of JobStore (store/job_store_body.inc, shared with
// SQLite): a claim takes the write lock first (pg_advisory_xact_lock), as every write.
#include "store/postgres/job_store_postgres.h"

#include <utility>

#include "core/messages.h"
#include "store/migrations/migration.h"
#include "store/postgres/audit_log.h"
#include "store/postgres/connection.h"
#include "store/postgres/errors.h"
#include "store/postgres/migrator.h"

namespace kyso::store::postgres {

namespace {

std::size_t changed_rows(Connection&, const Statement& st) {
    return st.affected();
}

constexpr std::string_view kContentParameter = "?3";  // bytea

void bind_content(Statement& st, int index, const std::string& bytes) {
    if (bytes.empty()) {
        st.bind(index, "\\x");  // an empty file: empty bytea (bind_unowned_blob binds NULL)
    } else {
        st.bind_unowned_blob(index, std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    }
}

}  // namespace

#include "store/job_store_body.inc"

Result<std::unique_ptr<JobStore>> open_postgres_job_store(const std::string& location) {
    return guarded([&]() -> Result<std::unique_ptr<JobStore>> {
        auto db = Connection::open(location);
        if (!db) return db.error();
        if (auto st = migrate(*db, postgres_migrations()); !st) return st.error();
        return std::unique_ptr<JobStore>(std::make_unique<JobStoreImpl>(std::move(*db)));
    });
}

}  // namespace kyso::store::postgres

// kyso store — the PostgreSQL back-end of AccountStore (libpqxx; migration 0008).
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/account_store.h"

namespace kyso::store::postgres {

// Connects to `location` (a libpq URI "postgresql://…" or keyword string "host=… dbname=…")
// and applies the migrations it lacks, as open_postgres_store. The same behaviour as the SQLite
// back-end; each audited write is one write transaction (under the write lock, connection.h)
// with its entry in the database's one audit chain. Errors: those of open_postgres_store.
Result<std::unique_ptr<AccountStore>> open_postgres_account_store(const std::string& location);

}  // namespace kyso::store::postgres

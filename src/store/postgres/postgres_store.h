// kyso store — the PostgreSQL back-end of Store and WorkflowStore (libpqxx): one connection
// each, the database migrated when opened.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::store::postgres {

// Connects to `location` (a libpq URI "postgresql://…" or keyword string "host=… dbname=…")
// and applies the migrations it lacks (migrator.h). The same behaviour as the SQLite back-end
// for every method; writes are serialized across processes by the write lock (connection.h).
// Errors: store.open (cannot connect; the message never holds the password), store.migration,
// store.schema_newer, store.pg (SQLSTATE and PostgreSQL's message).
Result<std::unique_ptr<Store>> open_postgres_store(const std::string& location);
Result<std::unique_ptr<WorkflowStore>> open_postgres_workflow_store(const std::string& location);

}  // namespace kyso::store::postgres

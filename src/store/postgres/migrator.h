// kyso store — applies the numbered PostgreSQL migrations, each exactly once, under an
// advisory lock so that servers starting together never migrate twice.
#pragma once

#include <span>
#include <vector>

#include "core/result.h"
#include "store/migrations/migration.h"
#include "store/postgres/connection.h"
#include "store/store.h"

namespace kyso::store::postgres {

// Creates schema_migrations when missing, then applies every migration not recorded there, in
// order, each in its own transaction with its record. The whole run holds the session advisory
// lock kMigrationLock: a second process waits for the first to finish, then finds nothing left
// to do. Errors: store.schema_newer (made by a newer kyso), store.migration.
Status migrate(Connection& db, std::span<const Migration> migrations);

Result<std::vector<AppliedMigration>> applied_migrations(Connection& db);

}  // namespace kyso::store::postgres

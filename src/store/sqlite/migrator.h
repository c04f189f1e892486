// kyso store — applies numbered schema migrations to a SQLite database, each exactly once.
#pragma once

#include <span>
#include <vector>

#include "core/result.h"
#include "store/migrations/migration.h"
#include "store/sqlite/connection.h"
#include "store/store.h"

namespace kyso::store::sqlite {

// Brings the database up to the newest of `migrations` (sorted by version). Each one runs in
// its own transaction together with its row in `schema_migrations`, so a failed migration
// leaves the schema at the previous version. Migrations already recorded are skipped, also
// when another process applied them while this one waited for the lock. A database whose
// schema is newer than every known migration is refused (store.schema_newer).
Status migrate(Connection& db, std::span<const Migration> migrations);

// The recorded migrations, oldest first.
Result<std::vector<AppliedMigration>> applied_migrations(Connection& db);

}  // namespace kyso::store::sqlite

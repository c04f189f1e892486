// kyso store — checks run before a migration's SQL, for refusals SQL cannot explain clearly.
#pragma once

#include "core/result.h"
#include "store/sqlite/connection.h"

namespace kyso::store::sqlite {

// Runs inside the migration's transaction, before its SQL. An error stops the migration (the
// database stays at the previous version) with a message that names the records concerned.
// Version 4 (0004_serials_as_integers): certificates whose serials are the same integer but
// that have different holders, devices or certificate files (store.serial_conflict).
Status check_before_migration(Connection& db, int version);

}  // namespace kyso::store::sqlite

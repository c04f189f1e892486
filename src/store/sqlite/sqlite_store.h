// kyso store — the SQLite back-end of Store: one database file, migrated when opened.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace kyso::store::sqlite {

struct SqliteOptions {
    // How long a write waits for another connection's write to finish before it fails with
    // store.busy. Readers never wait for writers (WAL).
    int busy_timeout_ms = 10'000;
};

// Opens or creates the database at `path` (":memory:" for a private in-memory database),
// sets its PRAGMAs (WAL, foreign keys, synchronous=NORMAL, busy timeout) and applies the
// migrations it lacks. Errors: store.open (cannot open / not a database), store.migration,
// store.schema_newer (made by a newer kyso).
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 const SqliteOptions& options = {});

}  // namespace kyso::store::sqlite

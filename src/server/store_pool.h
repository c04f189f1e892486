// kyso server — the stores of each worker thread: one registry, workflow and account store
// connection per thread and database, opened on the thread's first request and kept (SQLite and
// libpqxx connections are used from one thread at a time).
#pragma once

#include <string>

#include "core/result.h"
#include "server/route.h"

namespace kyso::server {

// The calling thread's stores of `db`, opened on first use. Errors: the store's own (e.g.
// store.open); a failed open is tried again on the next request.
Result<Stores> thread_stores(const std::string& db);

}  // namespace kyso::server

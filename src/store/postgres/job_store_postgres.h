// kyso store — the PostgreSQL back-end of JobStore (libpqxx; migration 0009).
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/job_store.h"

namespace kyso::store::postgres {

// Connects to `location` (URI or keyword string) and applies the migrations it lacks, as
// open_postgres_store; one connection. A claim takes the write lock (connection.h), so two
// workers of any number of servers never claim the same job.
Result<std::unique_ptr<JobStore>> open_postgres_job_store(const std::string& location);

}  // namespace kyso::store::postgres

// kyso store — the SQLite back-end of JobStore (tables jobs and job_files, migration 0009).
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/job_store.h"

namespace kyso::store::sqlite {

// Opens the database at `path` (migrated as needed); one connection.
Result<std::unique_ptr<JobStore>> open_sqlite_job_store(const std::string& path);

}  // namespace kyso::store::sqlite

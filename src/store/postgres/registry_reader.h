// kyso store — reads the registry, the events and the counts back from PostgreSQL.
#pragma once

#include <optional>
#include <vector>

#include "core/date.h"
#include "core/event.h"
#include "core/registry.h"
#include "core/result.h"
#include "store/postgres/connection.h"
#include "store/store.h"

namespace kyso::store::postgres {

// Each reads inside one read transaction, so the tables are seen at one instant even while
// another connection writes. See Store for what `as_of` means.
Result<Registry> read_registry(Connection& db, std::optional<Date> as_of);
Result<std::vector<ReorgEvent>> read_events(Connection& db);
// `today` decides which organizations are active.
Result<RegistryCounts> read_counts(Connection& db, const Date& today);

}  // namespace kyso::store::postgres

// kyso store — applied events in PostgreSQL: which events were applied, and the people they moved.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/registry.h"
#include "core/result.h"
#include "store/postgres/connection.h"
#include "store/store.h"

namespace kyso::store::postgres {

// Each runs inside a write transaction that the caller owns (and rolls back on any error).
// Records `event_ids` as applied on `as_of`: store.event_applied when one already is,
// store.foreign_key when one is not stored.
Status record_applied_events(Connection& db, const std::vector<std::string>& event_ids,
                             const Date& as_of);
// Writes the moves into person_org_versions; a move on the day of a stored one replaces it.
// Organizations must be written first: a move may name one created by the same events.
Status write_person_moves(Connection& db, const std::vector<PersonMove>& moves);

// Inside the caller's read transaction: gives each moved person the organization in force on
// `as_of` (the latest without it); people without a move on or before it keep their
// registered organization. `registry` must be indexed.
Status apply_person_moves(Connection& db, const std::optional<Date>& as_of, Registry& registry);

Result<std::vector<std::string>> read_applied_event_ids(Connection& db);

}  // namespace kyso::store::postgres

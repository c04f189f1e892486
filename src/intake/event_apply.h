// kyso intake — `kyso events apply` and POST /api/v1/events/apply: the stored events not applied
// yet, effective on or before a day, applied to the registry (FORMATS.md §2) in one transaction.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/request.h"
#include "core/result.h"
#include "store/store.h"

namespace kyso::intake {

// What one application changed.
struct EventsApplied {
    Date as_of;                       // the day applied up to
    std::vector<std::string> ids;     // the events applied now, in order; empty: nothing to apply
    std::size_t already_applied = 0;  // events applied before this call
    std::size_t later = 0;            // pending events effective after `as_of`, left pending
    std::size_t changed = 0;          // organizations changed (not created, not ceased)
    std::size_t created = 0;          // organizations the events created
    std::size_t ceased = 0;           // organizations that ceased
    std::size_t people = 0;           // people who moved to another organization
};

// Applies the pending events effective on or before `as_of` (default: the latest effective date
// of the pending events, or of all events when none is pending). Before anything is written:
// an event earlier than one already applied is refused (event.before_applied: versions are
// dated by their event, and history already recorded is not rewritten); a scoped `user` applies
// only events whose organizations and people are in scope (accounts::check_register_scope); the
// replay's input errors (reorg::replay) are refused naming the event. Written with
// Store::apply_events under `actor` (audited in the same transaction). Nothing pending on or
// before the day: nothing written, `ids` empty.
Result<EventsApplied> apply_pending_events(store::Store& store, const User& user,
                                           const std::string& actor, std::optional<Date> as_of);

}  // namespace kyso::intake

// kyso intake — decisions entered without writing events.json (issue 12): events given one by
// one (`kyso events add`) or as the rows of a spreadsheet (`kyso events import`) are checked by
// the rules `plan` applies and stored as pending events, exactly as `import --bundle` stores the
// events of events.json (FORMATS.md §2).
#pragma once

#include <cstddef>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/event.h"
#include "core/request.h"
#include "core/result.h"
#include "store/store.h"

namespace kyso::intake {

struct EventsAdded {
    std::size_t added = 0;
    std::size_t unchanged = 0;     // the same event was already stored
    std::vector<std::string> ids;  // per given event: its id in the store (a stored twin's id)
};

// Stores `events` as pending events, all or none. Before anything is written:
//   - an event the store already holds, the same in every member, is unchanged: under its own
//     id, or under another (a decision entered again, from a sheet without ids, gets a fresh
//     id each time: it is the stored event all the same);
//   - an id the store already holds for a different event is refused (event.id_stored);
//   - the stored events and these are validated over the registered state as `plan --db` reads
//     it (store::load_registered_state, reorg::validate_events): the error names the event
//     (where.id) and its member (where.field, as in events.json);
//   - a scoped `user` may add only events whose organizations and people are in scope
//     (check_register_scope, as for `import --bundle` and `events apply`).
// New events take file orders after the stored ones (ties of effective_date come after them).
// Written with Store::import_registry under `actor` with `source` (audit kAuditImport).
Result<EventsAdded> add_events(store::Store& store, const User& user, const std::string& actor,
                               std::vector<ReorgEvent> events, const std::string& source);

// Every check of add_events, nothing written (`POST /api/v1/events/validate`): the counts and
// ids add_events would give (`added`: the events that would be stored), or its error.
Result<EventsAdded> check_events(store::Store& store, const User& user,
                                 std::vector<ReorgEvent> events);

// Fresh event ids "E00001", "E00002", ...: each call gives the first not in `used`, then adds it.
std::string next_event_id(std::unordered_set<std::string>& used);

}  // namespace kyso::intake

// kyso accounts — which part of the register a scoped user may change (issue 11: "no
// unauthenticated change to the register", "scope is checked on every party an action names").
// An administrator or DoST operator with a scope (one organization and those under it) may
// import or apply events only where every organization, person, device and certificate the
// write touches lies in that scope, before the write and after it — so a bundle cannot move a
// province under another one, nor take an agency out of another province's scope.
#pragma once

#include <vector>

#include "core/event.h"
#include "core/registry.h"
#include "core/request.h"
#include "core/result.h"

namespace kyso::accounts {

// `incoming` (a bundle's records; may be empty) and `events` (the events the write imports or
// applies) checked against `current` (the stored register) for `actor`. A global actor (empty
// scope) may write anything. Otherwise each organization of `incoming` must be in scope where it
// stands now (if stored) and where the write puts it (its superior chain through `incoming`,
// then `current`); each person, device and certificate holder the same; each organization an
// event names (sources, kept, new organization and its superior, target province, renamed or
// moved organization and its new superior, successor, a person's organization before and after)
// likewise. Error access.register_out_of_scope names the record and the actor's scope.
Status check_register_scope(const Registry& current, const Registry& incoming,
                            const std::vector<ReorgEvent>& events, const User& actor);

// What a bundle would change: the organizations, people, devices and certificates of `incoming`
// that are new or differ from `registered` (the register as registered, before any applied
// event: store/registered_state.h, the state a bundle describes), and the events of
// `incoming_events` whose id `registered_events` lacks. Organizations compare by their current
// name, superior, province, agency code, administrative unit and kind; certificates by holder,
// device, status, subject and validity (an import keeps the stored file details).
struct RegisterChange {
    Registry registry;
    std::vector<ReorgEvent> events;
};
RegisterChange changed_records(const Registry& registered,
                               const std::vector<ReorgEvent>& registered_events,
                               const Registry& incoming,
                               const std::vector<ReorgEvent>& incoming_events);

}  // namespace kyso::accounts

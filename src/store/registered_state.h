// kyso store — the registry as registered, before any applied event, with every stored event.
#pragma once

#include <vector>

#include "core/event.h"
#include "core/registry.h"
#include "core/result.h"
#include "store/store.h"

namespace kyso::store {

struct RegisteredState {
    Registry registry;
    std::vector<ReorgEvent> events;  // by effective_date, ties in file order
};

// Events change organizations and people but no certificate, so a plan (or a bundle) must start
// from the state before the first applied event and replay every stored event: the registry as
// of the day before the first applied event (the current one when nothing is applied). Planning
// from the current state with only the unapplied events would turn revocations into changes.
Result<RegisteredState> load_registered_state(Store& store);

}  // namespace kyso::store

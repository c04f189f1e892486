// kyso store — the registry as registered, before any applied event, with every stored event.
#include "store/registered_state.h"

#include <unordered_set>

namespace kyso::store {

Result<RegisteredState> load_registered_state(Store& store) {
    auto events = store.load_events();
    if (!events) return events.error();
    auto applied_ids = store.applied_event_ids();
    if (!applied_ids) return applied_ids.error();
    std::optional<Date> before_applied;
    const std::unordered_set<std::string> applied(applied_ids->begin(), applied_ids->end());
    for (const ReorgEvent& e : *events) {
        if (applied.count(e.id) == 0) continue;
        before_applied = Date::from_days(e.effective_date.days() - 1);
        break;
    }
    auto reg = store.load_registry(before_applied);
    if (!reg) return reg.error();
    return RegisteredState{std::move(*reg), std::move(*events)};
}

}  // namespace kyso::store

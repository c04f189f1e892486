// kyso intake — decisions stored as pending events after the checks of `plan`.
#include "intake/event_intake.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "accounts/register_scope.h"
#include "bundle/events_json.h"
#include "core/messages.h"
#include "reorg/replay.h"
#include "store/registered_state.h"

namespace kyso::intake {

namespace {

// An event's members but its id, as events.json writes them.
std::string content_key(const ReorgEvent& e) {
    ReorgEvent copy = e;
    copy.id.clear();
    return bundle::event_to_json(copy);
}

// What add_events would store: the fresh events (file orders given), with the counts; every
// check done.
struct Prepared {
    EventsAdded counts;
    std::vector<ReorgEvent> fresh;
};

Result<Prepared> prepare(store::Store& store, const User& user, std::vector<ReorgEvent> events) {
    auto state = store::load_registered_state(store);
    if (!state) return state.error();
    std::unordered_map<std::string, const ReorgEvent*> stored;
    std::unordered_map<std::string, std::string> by_content;  // JSON without id → stored id
    std::size_t order = 0;
    for (const ReorgEvent& e : state->events) {
        stored.emplace(e.id, &e);
        by_content.emplace(content_key(e), e.id);
        order = std::max(order, e.file_order + 1);
    }
    EventsAdded counts;
    std::vector<ReorgEvent> fresh;
    std::unordered_set<std::string> ids;
    for (ReorgEvent& e : events) {
        if (!ids.insert(e.id).second) {
            return make_error("event.duplicate_id", Location{{}, 0, "id", e.id}, {e.id});
        }
        if (const auto twin = by_content.find(content_key(e)); twin != by_content.end()) {
            if (twin->second == e.id || stored.count(e.id) == 0) {
                ++counts.unchanged;
                counts.ids.push_back(twin->second);
                continue;
            }
        }
        if (stored.count(e.id) != 0) {
            return make_error("event.id_stored", Location{{}, 0, "id", e.id}, {e.id});
        }
        e.file_order = order++;
        counts.ids.push_back(e.id);
        fresh.push_back(std::move(e));
    }
    if (fresh.empty()) return Prepared{std::move(counts), {}};

    std::vector<ReorgEvent> all = state->events;
    all.insert(all.end(), fresh.begin(), fresh.end());
    if (auto valid = reorg::validate_events(state->registry, all); !valid) return valid.error();
    if (!user.org_id.empty()) {
        auto current = store.load_registry();
        if (!current) return current.error();
        if (auto in_scope = accounts::check_register_scope(*current, Registry{}, fresh, user);
            !in_scope)
            return in_scope.error();
    }
    counts.added = fresh.size();
    return Prepared{std::move(counts), std::move(fresh)};
}

}  // namespace

Result<EventsAdded> add_events(store::Store& store, const User& user, const std::string& actor,
                               std::vector<ReorgEvent> events, const std::string& source) {
    auto prepared = prepare(store, user, std::move(events));
    if (!prepared) return prepared.error();
    EventsAdded counts = std::move(prepared->counts);
    counts.added = 0;
    if (prepared->fresh.empty()) return counts;
    auto stats = store.import_registry(Registry{}, prepared->fresh, actor, source);
    if (!stats) return stats.error();
    counts.added = stats->events.inserted;
    return counts;
}

Result<EventsAdded> check_events(store::Store& store, const User& user,
                                 std::vector<ReorgEvent> events) {
    auto prepared = prepare(store, user, std::move(events));
    if (!prepared) return prepared.error();
    return std::move(prepared->counts);
}

std::string next_event_id(std::unordered_set<std::string>& used) {
    for (std::size_t n = used.size() + 1;; ++n) {
        char id[24];
        std::snprintf(id, sizeof id, "E%05zu", n);
        if (used.insert(id).second) return id;
    }
}

}  // namespace kyso::intake

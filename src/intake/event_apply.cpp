// kyso intake — the pending events applied to the registry (event_apply.h).
#include "intake/event_apply.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "accounts/register_scope.h"
#include "core/messages.h"
#include "reorg/outcome.h"
#include "reorg/replay.h"

namespace kyso::intake {

namespace {

// Every change of a person's organization made by `batch`, dated. A replay keeps only each
// person's final organization, so the batch is replayed up to each earlier effective date in
// turn (a reorganization comes in a few waves, so a few replays) and the states compared.
// A person a dissolve left without organization keeps the one that ceased, as in
// reorg::registry_update.
Result<std::vector<store::PersonMove>> person_moves(const Registry& reg,
                                                    const std::vector<ReorgEvent>& batch,
                                                    const reorg::Replay& last) {
    std::vector<Date> days;
    for (const ReorgEvent& e : batch) days.push_back(e.effective_date);
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());

    std::vector<std::string> org(reg.people.size());
    for (std::size_t i = 0; i < reg.people.size(); ++i) org[i] = reg.people[i].org_id;
    std::vector<store::PersonMove> moves;
    auto compare = [&](const reorg::Replay& rp, const Date& day) {
        for (std::size_t i = 0; i < reg.people.size(); ++i) {
            const reorg::PersonState& ps = rp.people[i];
            if (ps.org_id.empty() || ps.org_id == org[i]) continue;
            org[i] = std::string(ps.org_id);
            moves.push_back(store::PersonMove{reg.people[i].id, day, std::string(ps.org_id),
                                              std::string(ps.last_event)});
        }
    };
    for (std::size_t d = 0; d + 1 < days.size(); ++d) {
        auto rp = reorg::replay(reg, batch, days[d]);
        if (!rp) return rp.error();
        compare(*rp, days[d]);
    }
    if (!days.empty()) compare(last, days.back());
    return moves;
}

void summarize(const Registry& before, const reorg::RegistryUpdate& up,
               const std::vector<store::PersonMove>& moves, EventsApplied& s) {
    for (const Organization& o : up.organizations) {
        const Organization* known = before.org(o.id);
        const bool ceases = o.ceased_on && (known == nullptr || !known->ceased_on);
        if (known == nullptr) ++s.created;
        if (ceases) ++s.ceased;
        if (known != nullptr && !ceases) ++s.changed;
    }
    std::unordered_set<std::string_view> people;
    for (const store::PersonMove& m : moves) people.insert(m.person_id);
    s.people = people.size();
}

}  // namespace

Result<EventsApplied> apply_pending_events(store::Store& store, const User& user,
                                           const std::string& actor, std::optional<Date> as_of) {
    auto reg = store.load_registry();
    if (!reg) return reg.error();
    auto events = store.load_events();  // by effective_date, ties in file order
    if (!events) return events.error();
    auto applied_ids = store.applied_event_ids();
    if (!applied_ids) return applied_ids.error();

    const std::unordered_set<std::string> applied(applied_ids->begin(), applied_ids->end());
    const ReorgEvent* latest_applied = nullptr;
    std::vector<ReorgEvent> pending;
    for (const ReorgEvent& e : *events) {
        if (applied.count(e.id) > 0) {
            latest_applied = &e;
        } else {
            pending.push_back(e);
        }
    }
    EventsApplied out;
    out.as_of = as_of.value_or(reorg::default_as_of(pending.empty() ? *events : pending));
    out.already_applied = applied.size();
    std::vector<ReorgEvent> batch;
    for (const ReorgEvent& e : pending) {
        if (!(out.as_of < e.effective_date)) batch.push_back(e);
    }
    out.later = pending.size() - batch.size();
    if (batch.empty()) return out;
    // Versions are dated by their event: an event earlier than one already applied would
    // rewrite history that later versions were computed from.
    if (latest_applied != nullptr &&
        batch.front().effective_date < latest_applied->effective_date) {
        const ReorgEvent& e = batch.front();
        return make_error("event.before_applied", Location{"events", 0, {}, e.id},
                          {e.id, e.effective_date.str(), latest_applied->id,
                           latest_applied->effective_date.str()});
    }
    // A scoped writer applies only events whose organizations and people are in scope.
    if (auto in_scope = accounts::check_register_scope(*reg, Registry{}, batch, user); !in_scope)
        return in_scope.error();
    auto rp = reorg::replay(*reg, batch, out.as_of);
    if (!rp) return rp.error();  // nothing is written
    const reorg::RegistryUpdate up = reorg::registry_update(*reg, *rp);
    auto moves = person_moves(*reg, batch, *rp);
    if (!moves) return moves.error();
    out.ids.reserve(rp->applied.size());
    for (const ReorgEvent* e : rp->applied) out.ids.push_back(e->id);
    if (auto s = store.apply_events(up.organizations, *moves, out.ids, out.as_of, actor); !s)
        return s.error();
    summarize(*reg, up, *moves, out);
    return out;
}

}  // namespace kyso::intake

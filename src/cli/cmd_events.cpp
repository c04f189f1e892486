// kyso cli — `kyso events`: list the stored reorganization events, apply them to the registry.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "accounts/register_scope.h"
#include "bundle/event_fields.h"
#include "cli/commands.h"
#include "cli/session.h"
#include "core/messages.h"
#include "reorg/outcome.h"
#include "reorg/replay.h"
#include "store/store.h"

namespace kyso::cli {

namespace {

struct EventsOptions {
    std::string db;
    std::string as_of;
    std::string as, password_file;
};

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

Result<std::optional<Date>> parse_as_of(const std::string& text) {
    if (text.empty()) return std::optional<Date>{};
    const auto day = Date::parse(text);
    if (!day) return make_error("bundle.bad_date", Location{"--as-of", 0, {}, {}}, {text});
    return std::optional<Date>{*day};
}

// What one `events apply` changed, for its summary.
struct ApplySummary {
    std::size_t changed = 0, created = 0, ceased = 0, people = 0;
};

ApplySummary summarize(const Registry& before, const reorg::RegistryUpdate& up,
                       const std::vector<store::PersonMove>& moves) {
    ApplySummary s;
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
    return s;
}

int run_apply(const EventsOptions& o) {
    auto as_of = parse_as_of(o.as_of);
    if (!as_of) return report(as_of.error());
    auto session = open_session(o.db, o.as, o.password_file);
    if (!session) return report(session.error());
    auto actor = register_writer(*session);
    if (!actor) return report(actor.error());
    store::Store& store = *session->registry;
    auto reg = store.load_registry();
    if (!reg) return report(reg.error());
    auto events = store.load_events();  // by effective_date, ties in file order
    if (!events) return report(events.error());
    auto applied_ids = store.applied_event_ids();
    if (!applied_ids) return report(applied_ids.error());

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
    const Date day = as_of->value_or(reorg::default_as_of(pending.empty() ? *events : pending));
    std::vector<ReorgEvent> batch;
    for (const ReorgEvent& e : pending) {
        if (!(day < e.effective_date)) batch.push_back(e);
    }
    const std::size_t later = pending.size() - batch.size();
    if (batch.empty()) {
        say("cli.events_none", {day.str(), std::to_string(applied.size())});
        if (later > 0) say("cli.events_later", {std::to_string(later), day.str()});
        return 0;
    }
    // Versions are dated by their event: an event earlier than one already applied would
    // rewrite history that later versions were computed from.
    if (latest_applied != nullptr &&
        batch.front().effective_date < latest_applied->effective_date) {
        const ReorgEvent& e = batch.front();
        return report(make_error("cli.events_before_applied", Location{"events", 0, {}, e.id},
                                 {e.id, e.effective_date.str(), latest_applied->id,
                                  latest_applied->effective_date.str()}));
    }

    // A scoped writer applies only events whose organizations and people are in scope.
    if (auto in_scope = accounts::check_register_scope(*reg, Registry{}, batch, session->user);
        !in_scope)
        return report(in_scope.error());
    auto rp = reorg::replay(*reg, batch, day);
    if (!rp) return report(rp.error());  // nothing is written
    const reorg::RegistryUpdate up = reorg::registry_update(*reg, *rp);
    auto moves = person_moves(*reg, batch, *rp);
    if (!moves) return report(moves.error());
    std::vector<std::string> ids;
    ids.reserve(rp->applied.size());
    for (const ReorgEvent* e : rp->applied) ids.push_back(e->id);
    if (auto s = store.apply_events(up.organizations, *moves, ids, day, *actor); !s) {
        return report(s.error());
    }

    const ApplySummary sum = summarize(*reg, up, *moves);
    say("cli.events_applied",
        {std::to_string(ids.size()), day.str(), std::to_string(sum.changed),
         std::to_string(sum.created), std::to_string(sum.ceased), std::to_string(sum.people)});
    if (later > 0) say("cli.events_later", {std::to_string(later), day.str()});
    return 0;
}

int run_list(const EventsOptions& o) {
    auto st = store::open_store(o.db);
    if (!st) return report(st.error());
    auto events = (*st)->load_events();
    if (!events) return report(events.error());
    auto applied_ids = (*st)->applied_event_ids();
    if (!applied_ids) return report(applied_ids.error());
    const std::unordered_set<std::string> applied(applied_ids->begin(), applied_ids->end());
    const std::string yes = message("cli.event_applied");
    const std::string no = message("cli.event_pending");
    for (const ReorgEvent& e : *events) {
        say("cli.events_line",
            {e.effective_date.str(), e.id, bundle::event_kind_word(e.type, english_ui()),
             applied.count(e.id) > 0 ? yes : no});
    }
    say("cli.events_total", {std::to_string(events->size()), std::to_string(applied.size()),
                             std::to_string(events->size() - applied.size())});
    return 0;
}

}  // namespace

void add_events_command(CLI::App& app, int& exit_code) {
    CLI::App* events = app.add_subcommand("events", message("cli.events_help"));
    events->require_subcommand(1);

    auto apply = std::make_shared<EventsOptions>();
    CLI::App* cmd = events->add_subcommand("apply", message("cli.events_apply_help"));
    cmd->add_option("--db", apply->db, message("cli.opt_db"))->required();
    cmd->add_option("--as-of", apply->as_of, message("cli.opt_events_as_of"));
    add_actor_options(*cmd, apply->as, apply->password_file);
    cmd->callback([apply, &exit_code] { exit_code = run_apply(*apply); });

    auto list = std::make_shared<EventsOptions>();
    cmd = events->add_subcommand("list", message("cli.events_list_help"));
    cmd->add_option("--db", list->db, message("cli.opt_db"))->required();
    cmd->callback([list, &exit_code] { exit_code = run_list(*list); });

    add_event_entry_commands(*events, exit_code);
}

}  // namespace kyso::cli

// kyso cli — `kyso events`: list the stored reorganization events, apply them to the registry.
#include <optional>
#include <string>
#include <unordered_set>

#include "bundle/event_fields.h"
#include "cli/commands.h"
#include "cli/session.h"
#include "core/messages.h"
#include "intake/event_apply.h"
#include "store/store.h"

namespace kyso::cli {

namespace {

struct EventsOptions {
    std::string db;
    std::string as_of;
    std::string as, password_file;
};

Result<std::optional<Date>> parse_as_of(const std::string& text) {
    if (text.empty()) return std::optional<Date>{};
    const auto day = Date::parse(text);
    if (!day) return make_error("bundle.bad_date", Location{"--as-of", 0, {}, {}}, {text});
    return std::optional<Date>{*day};
}

int run_apply(const EventsOptions& o) {
    auto as_of = parse_as_of(o.as_of);
    if (!as_of) return report(as_of.error());
    auto session = open_session(o.db, o.as, o.password_file);
    if (!session) return report(session.error());
    auto actor = register_writer(*session);
    if (!actor) return report(actor.error());
    auto r = intake::apply_pending_events(*session->registry, session->user, *actor, *as_of);
    if (!r) return report(r.error());
    const std::string day = r->as_of.str();
    if (r->ids.empty()) {
        say("cli.events_none", {day, std::to_string(r->already_applied)});
    } else {
        say("cli.events_applied",
            {std::to_string(r->ids.size()), day, std::to_string(r->changed),
             std::to_string(r->created), std::to_string(r->ceased), std::to_string(r->people)});
    }
    if (r->later > 0) say("cli.events_later", {std::to_string(r->later), day});
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

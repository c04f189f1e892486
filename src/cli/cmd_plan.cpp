// kyso cli — `kyso plan`: reorganization decisions in, exact actions out (FORMATS.md §3).
#include <algorithm>
#include <cstdio>
#include <unordered_set>

#include "bundle/bundle.h"
#include "cli/plan_table.h"
#include "store/store.h"
#include "cli/commands.h"
#include "core/messages.h"
#include "reorg/plan.h"
#include "reorg/plan_json.h"

namespace kyso::cli {

namespace {

struct PlanOptions {
    std::string bundle;
    std::string db;
    std::string out;
    std::string as_of;
    std::string format = "json";
};

void print_summary(const reorg::Plan& plan) {
    const auto& s = plan.summary;
    say("cli.plan_summary", {plan.as_of.str(), std::to_string(s.considered), std::to_string(s.change_info),
                             std::to_string(s.revoke), std::to_string(s.issue), std::to_string(s.review),
                             std::to_string(s.return_device), std::to_string(s.unchanged),
                             std::to_string(s.skipped), std::to_string(plan.warnings.size())});
}

// The registry and events to plan from: a bundle folder, or the database.
struct Source {
    Registry registry;
    std::vector<ReorgEvent> events;
    std::optional<Date> as_of;  // the as-of when --as-of is not given; none: the events' latest
};

// From the database, where `kyso events apply` has already written the state after the applied
// events (organization versions, people's moves) but no certificate has changed:
// - without --as-of: the current registry and the events not applied yet, as of the latest
//   effective date of all stored events: what remains to be done from the state recorded now
//   (with every event applied, only certificates whose subject no longer matches the registry);
// - with --as-of D: the registry as it stood the day before the first applied event took effect
//   and every stored event up to D, which is the plan the original bundle gives for D.
// With no event applied, both are the current registry and all the events, as from a bundle.
Result<Source> load_source(const PlanOptions& o) {
    if (o.bundle.empty() == o.db.empty()) return make_error("cli.need_source", {}, {});
    if (!o.bundle.empty()) {
        bundle::ReadOptions ro;
        ro.check_person_dates = false;  // the plan does not use them; `kyso check` reports them
        auto b = bundle::read_bundle(o.bundle, ro);
        if (!b) return b.error();
        return Source{std::move(b->registry), std::move(b->events), std::nullopt};
    }
    auto st = store::open_store(o.db);
    if (!st) return st.error();
    auto events = (*st)->load_events();  // by effective_date, ties in file order
    if (!events) return events.error();
    auto applied_ids = (*st)->applied_event_ids();
    if (!applied_ids) return applied_ids.error();
    const std::unordered_set<std::string> applied(applied_ids->begin(), applied_ids->end());
    const auto first_applied = std::find_if(events->begin(), events->end(), [&](const auto& e) {
        return applied.count(e.id) > 0;
    });
    if (first_applied == events->end()) {
        auto reg = (*st)->load_registry();
        if (!reg) return reg.error();
        return Source{std::move(*reg), std::move(*events), std::nullopt};
    }
    if (!o.as_of.empty()) {
        const Date before = Date::from_days(first_applied->effective_date.days() - 1);
        auto reg = (*st)->load_registry(before);
        if (!reg) return reg.error();
        return Source{std::move(*reg), std::move(*events), std::nullopt};
    }
    auto reg = (*st)->load_registry();
    if (!reg) return reg.error();
    const Date latest = reorg::default_as_of(*events);
    std::erase_if(*events, [&](const ReorgEvent& e) { return applied.count(e.id) > 0; });
    return Source{std::move(*reg), std::move(*events), latest};
}

int run_plan(const PlanOptions& o) {
    std::optional<Date> as_of;
    if (!o.as_of.empty()) {
        as_of = Date::parse(o.as_of);
        if (!as_of) return report(make_error("bundle.bad_date", Location{"--as-of", 0, {}, {}}, {o.as_of}));
    }
    auto src = load_source(o);
    if (!src) return report(src.error());
    auto plan = reorg::make_plan(src->registry, src->events, as_of ? as_of : src->as_of);
    if (!plan) return report(plan.error());
    Status written = Ok{};
    if (o.format == "json") {
        written = write_streamed(o.out, [&](const std::function<void(std::string_view)>& sink) {
            reorg::plan_to_json(*plan, sink);
        });
    } else if (o.format == "csv") {
        written = docs::write_csv(plan_table(src->registry, *plan), o.out);
    } else {
        written = docs::write_xlsx(plan_table(src->registry, *plan), o.out);
    }
    if (!written) return report(written.error());
    print_summary(*plan);
    return 0;
}

}  // namespace

void add_plan_command(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<PlanOptions>();
    CLI::App* cmd = app.add_subcommand("plan", message("cli.plan_help"));
    cmd->add_option("--bundle", opts->bundle, message("cli.opt_bundle"));
    cmd->add_option("--db", opts->db, message("cli.opt_db"));
    cmd->add_option("--out", opts->out, message("cli.opt_out"))->required();
    cmd->add_option("--as-of", opts->as_of, message("cli.opt_as_of"));
    cmd->add_option("--format", opts->format, message("cli.opt_format"))->check(CLI::IsMember({"json", "csv", "xlsx"}));
    cmd->callback([opts, &exit_code] { exit_code = run_plan(*opts); });
}

}  // namespace kyso::cli

// kyso cli — `kyso plan`: reorganization decisions in, exact actions out (FORMATS.md §3).
#include <cstdio>
#include <unordered_set>

#include "bundle/bundle.h"
#include "cli/commands.h"
#include "core/messages.h"
#include "reorg/plan.h"
#include "reorg/plan_json.h"
#include "store/registered_state.h"
#include "store/store.h"
#include "workflow/plan_table.h"

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
    say("cli.plan_summary",
        {plan.as_of.str(), std::to_string(s.considered), std::to_string(s.change_info),
         std::to_string(s.revoke), std::to_string(s.issue), std::to_string(s.review),
         std::to_string(s.return_device), std::to_string(s.unchanged), std::to_string(s.skipped),
         std::to_string(plan.warnings.size())});
}

// The registry and events to plan from: a bundle folder, or the database.
struct Source {
    Registry registry;
    std::vector<ReorgEvent> events;
};

// From the database: the registry as it stood before the first applied event took effect (the
// day before its effective_date; the current registry while no event is applied) and every
// stored event, so with or without --as-of the plan is the one the original bundle gives.
// Why not the current registry and the events not applied yet: `kyso events apply` moves the
// registry (organization versions, people) but changes no certificate, and the actions the
// applied events call for stay owed until the certificates themselves change. From the current
// registry they would be lost or wrong: certificates of ceased organizations and of people who
// left would get change_info or nothing instead of revoke, a carried certificate nothing, an
// unassigned person no review. As certificates are revoked or replaced, the plan shrinks.
Result<Source> load_source(const PlanOptions& o) {
    if (o.bundle.empty() == o.db.empty()) return make_error("cli.need_source", {}, {});
    if (!o.bundle.empty()) {
        bundle::ReadOptions ro;
        ro.check_person_dates = false;    // the plan does not use them; `kyso check` reports them
        ro.keep_parsed_subjects = false;  // re-parsed on demand: ~0.6 GB less at a million
        auto b = bundle::read_bundle(o.bundle, ro);
        if (!b) return b.error();
        return Source{std::move(b->registry), std::move(b->events)};
    }
    auto st = store::open_store(o.db);
    if (!st) return st.error();
    auto state = store::load_registered_state(**st);
    if (!state) return state.error();
    return Source{std::move(state->registry), std::move(state->events)};
}

int run_plan(const PlanOptions& o) {
    std::optional<Date> as_of;
    if (!o.as_of.empty()) {
        as_of = Date::parse(o.as_of);
        if (!as_of)
            return report(make_error("bundle.bad_date", Location{"--as-of", 0, {}, {}}, {o.as_of}));
    }
    auto src = load_source(o);
    if (!src) return report(src.error());
    // The replay kept: the spreadsheet groups actions by the organization that sends them after
    // the events (reorg::make_plan does the same two steps).
    auto replayed = reorg::replay(src->registry, src->events,
                                  as_of.value_or(reorg::default_as_of(src->events)));
    if (!replayed) return report(replayed.error());
    std::optional<reorg::Plan> plan = reorg::derive_plan(src->registry, *replayed);
    Status written = Ok{};
    if (o.format == "json") {
        written = write_streamed(o.out, [&](const std::function<void(std::string_view)>& sink) {
            reorg::plan_to_json(*plan, sink);
        });
    } else if (o.format == "csv") {
        written = docs::write_csv(
            workflow::plan_table(src->registry, *replayed, *plan, english_ui()), o.out);
    } else {
        written = docs::write_xlsx(
            workflow::plan_table(src->registry, *replayed, *plan, english_ui()), o.out);
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
    cmd->add_option("--format", opts->format, message("cli.opt_format"))
        ->check(CLI::IsMember({"json", "csv", "xlsx"}));
    cmd->callback([opts, &exit_code] { exit_code = run_plan(*opts); });
}

}  // namespace kyso::cli

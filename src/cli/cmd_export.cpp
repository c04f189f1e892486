// kyso cli — `kyso export` (a bundle from the store) and `kyso status` (what the store holds).
#include "bundle/bundle.h"
#include "cli/commands.h"
#include "core/messages.h"
#include "store/registered_state.h"
#include "store/store.h"

namespace kyso::cli {

namespace {

struct ExportOptions {
    std::string db;
    std::string bundle;
};

int run_export(const ExportOptions& o) {
    auto st = store::open_store(o.db);
    if (!st) return report(st.error());
    // The registered state and every event: planning from the exported bundle gives the same
    // plan as planning from the database, whether events were applied or not.
    auto state = store::load_registered_state(**st);
    if (!state) return report(state.error());
    auto* events = &state->events;
    // Unlinked certificates (e.g. a CA certificate from `import --certs`) are written with both
    // holder fields empty (FORMATS.md §1), so export → import → export gives the same bundle.
    Registry out = std::move(state->registry);
    const auto unlinked = std::count_if(out.certificates.begin(), out.certificates.end(),
                                        [](const Certificate& c) { return c.unlinked(); });
    const bool with_pem = std::any_of(out.certificates.begin(), out.certificates.end(),
                                      [](const Certificate& c) { return !c.der.empty(); });
    if (auto s = bundle::write_bundle(o.bundle, out, *events, with_pem); !s)
        return report(s.error());
    say("cli.export_done",
        {o.bundle, std::to_string(out.organizations.size()), std::to_string(out.people.size()),
         std::to_string(out.devices.size()), std::to_string(out.certificates.size()),
         std::to_string(events->size())});
    if (unlinked > 0) say("cli.export_unlinked", {std::to_string(unlinked)});
    return 0;
}

}  // namespace

void add_export_command(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<ExportOptions>();
    CLI::App* cmd = app.add_subcommand("export", message("cli.export_help"));
    cmd->add_option("--db", opts->db, message("cli.opt_db"))->required();
    cmd->add_option("--bundle", opts->bundle, message("cli.opt_bundle"))->required();
    cmd->callback([opts, &exit_code] { exit_code = run_export(*opts); });
}

void add_status_command(CLI::App& app, int& exit_code) {
    auto db = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("status", message("cli.status_help"));
    cmd->add_option("--db", *db, message("cli.opt_db"))->required();
    cmd->callback([db, &exit_code] {
        auto st = store::open_store(*db);
        exit_code = st ? print_status(**st) : report(st.error());
    });
}

}  // namespace kyso::cli

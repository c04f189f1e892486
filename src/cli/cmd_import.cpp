// kyso cli — `kyso import`: a bundle (FORMATS.md §1) or certificate files into the store.
#include <cstdio>

#include "accounts/register_scope.h"
#include "bundle/bundle.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/session.h"
#include "core/messages.h"
#include "intake/certificate_files.h"
#include "reorg/replay.h"
#include "store/postgres/connection.h"
#include "store/registered_state.h"
#include "store/store.h"

namespace kyso::cli {

namespace {

struct ImportOptions {
    std::string db;
    std::string bundle;
    std::vector<std::string> certs;
    std::string report;
    std::string as, password_file;
};

std::string rows(const store::RowStats& r) {
    return message("cli.rowstats", {std::to_string(r.inserted), std::to_string(r.updated),
                                    std::to_string(r.unchanged)});
}

int import_bundle(const ImportOptions& o) {
    Progress progress(message("cli.reading", {o.bundle}));
    bundle::ReadOptions ro;
    ro.progress = [&](std::size_t done, std::size_t total) { progress.update(done, total); };
    auto b = bundle::read_bundle(o.bundle, ro);
    progress.finish();
    if (!b) return report(b.error());
    // The events as `plan` reads them: an invalid event is refused now, nothing written.
    if (auto valid = reorg::validate_events(b->registry, b->events); !valid)
        return report(valid.error());
    for (const auto& n : b->notices) {
        std::fprintf(
            stderr, "%s: %s\n", english_ui() ? "warning" : "cảnh báo",
            Error{"notice", n.message, n.message_en, n.where}.describe(english_ui()).c_str());
    }
    auto session = open_session(o.db, o.as, o.password_file);
    if (!session) return report(session.error());
    auto actor = register_writer(*session);
    if (!actor) return report(actor.error());
    store::Store* st = session->registry.get();
    if (!session->user.org_id.empty()) {  // a scoped writer: what the bundle changes, in scope
        auto registered = store::load_registered_state(*st);
        if (!registered) return report(registered.error());
        auto current = st->load_registry();
        if (!current) return report(current.error());
        const accounts::RegisterChange change = accounts::changed_records(
            registered->registry, registered->events, b->registry, b->events);
        if (auto in_scope = accounts::check_register_scope(*current, change.registry, change.events,
                                                           session->user);
            !in_scope)
            return report(in_scope.error());
    }
    auto stats = st->import_registry(b->registry, b->events, *actor, "bundle:" + o.bundle);
    if (!stats) return report(stats.error());
    // A PostgreSQL connection string may hold a password: named as the store describes it.
    say("cli.import_done",
        {o.bundle, store::postgres::is_postgres_location(o.db) ? st->description() : o.db});
    say("cli.import_rows", {message("cli.kind_orgs"), rows(stats->organizations)});
    say("cli.import_rows", {message("cli.kind_people"), rows(stats->people)});
    say("cli.import_rows", {message("cli.kind_devices"), rows(stats->devices)});
    say("cli.import_rows", {message("cli.kind_certs"), rows(stats->certificates)});
    say("cli.import_rows", {message("cli.kind_events"), rows(stats->events)});
    return print_status(*st);
}

// `import --certs` (intake/certificate_files.h): every readable file is imported; each unreadable
// one is listed with its reason and makes the exit status 1 (2 is kept for errors that stop the
// whole import). A certificate already in the registry keeps its holder.
int import_certs(const ImportOptions& o) {
    auto session = open_session(o.db, o.as, o.password_file);
    if (!session) return report(session.error());
    auto actor = register_writer(*session);
    if (!actor) return report(actor.error());
    auto r = intake::import_certificate_files(*session->registry, session->user, *actor, o.certs,
                                              "files");
    if (!r) return report(r.error());
    say("cli.certs_done", {std::to_string(r->certificates.size()), std::to_string(r->files_read),
                           std::to_string(r->linked), std::to_string(r->registered.size()),
                           std::to_string(r->unmatched.size())});
    for (const auto& u : r->registered)
        std::printf("  %s %s\n", message("cli.certs_kept").c_str(), u.c_str());
    for (const auto& u : r->unmatched)
        std::printf("  %s %s\n", message("cli.unmatched").c_str(), u.c_str());
    for (const auto& k : r->kept) std::printf("%s\n", k.c_str());
    if (!o.report.empty()) {
        if (auto s = write_file(o.report, intake::certificate_files_report(*r)); !s)
            return report(s.error());
    }
    if (r->failed.empty()) return 0;
    const bool en = english_ui();
    std::fprintf(stderr, "%s\n",
                 message("cli.certs_failed", {std::to_string(r->failed.size())}).c_str());
    for (const Error& e : r->failed) std::fprintf(stderr, "  %s\n", e.describe(en).c_str());
    return 1;
}

int run_import(const ImportOptions& o) {
    if (o.bundle.empty() == o.certs.empty()) return report(make_error("cli.import_source", {}, {}));
    return o.bundle.empty() ? import_certs(o) : import_bundle(o);
}

}  // namespace

int print_status(store::Store& st) {
    auto c = st.counts();
    if (!c) return report(c.error());
    say("cli.status",
        {st.description(), std::to_string(c->organizations),
         std::to_string(c->active_organizations), std::to_string(c->people),
         std::to_string(c->devices()), std::to_string(c->usb_tokens), std::to_string(c->pki_sims),
         std::to_string(c->hsms), std::to_string(c->certificates()),
         std::to_string(c->valid_certificates), std::to_string(c->revoked_certificates)});
    // The holders' certificates apart from those with no holder and the CA certificates.
    const auto unlinked_other = c->unlinked_certificates - c->ca_certificates;
    say("cli.status_certificates_apart",
        {std::to_string(c->certificates() - c->unlinked_certificates),
         std::to_string(unlinked_other), std::to_string(c->ca_certificates)});
    say("cli.status_events", {std::to_string(c->events)});
    return 0;
}

void add_import_command(CLI::App& app, int& exit_code) {
    auto opts = std::make_shared<ImportOptions>();
    CLI::App* cmd = app.add_subcommand("import", message("cli.import_help"));
    cmd->add_option("--db", opts->db, message("cli.opt_db"))->required();
    cmd->add_option("--bundle", opts->bundle, message("cli.opt_bundle"));
    cmd->add_option("--certs", opts->certs, message("cli.opt_certs"));
    cmd->add_option("--report", opts->report, message("cli.opt_report"));
    add_actor_options(*cmd, opts->as, opts->password_file);
    cmd->callback([opts, &exit_code] { exit_code = run_import(*opts); });
}

}  // namespace kyso::cli

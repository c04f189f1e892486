// kyso cli — `kyso import`: a bundle (FORMATS.md §1) or certificate files into the store.
#include <cstdio>
#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

#include "accounts/register_scope.h"
#include "bundle/bundle.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/session.h"
#include "core/messages.h"
#include "core/subject_profile.h"
#include "core/values.h"
#include "reorg/replay.h"
#include "store/registered_state.h"
#include "store/store.h"
#include "x509/certificate.h"

namespace kyso::cli {

namespace fs = std::filesystem;

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
    say("cli.import_done", {o.bundle, o.db});
    say("cli.import_rows", {message("cli.kind_orgs"), rows(stats->organizations)});
    say("cli.import_rows", {message("cli.kind_people"), rows(stats->people)});
    say("cli.import_rows", {message("cli.kind_devices"), rows(stats->devices)});
    say("cli.import_rows", {message("cli.kind_certs"), rows(stats->certificates)});
    say("cli.import_rows", {message("cli.kind_events"), rows(stats->events)});
    return print_status(*st);
}

// Every certificate file under the given paths (files as given; folders recursively, sorted).
// A path that names nothing is a failure of its own (x509.not_found), not the end of the import.
std::vector<fs::path> certificate_files(const std::vector<std::string>& paths,
                                        std::vector<Error>& failed) {
    std::vector<fs::path> files;
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<fs::path> found;
            for (const auto& entry : fs::recursive_directory_iterator(p, ec)) {
                if (entry.is_regular_file()) found.push_back(entry.path());
            }
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else if (fs::is_regular_file(p, ec)) {
            files.emplace_back(p);
        } else {
            failed.push_back(make_error("x509.not_found", Location{p, 0, {}, {}}, {}));
        }
    }
    return files;
}

// The subject as a lookup key: canonical attribute names, values as they are (NFC), and where
// an RDN is multi-valued (so `CN=A+E=a` is not the profile's `E=a,CN=A`).
std::string subject_key(const Subject& s) {
    std::string k;
    for (const auto& r : s) {
        if (r.joins_previous) k += '+';
        k += canonical_attribute(r.type);
        k += '=';
        k += r.value;
        k += '\x1f';
    }
    return k;
}

std::string holder_text(const HolderRef& h) {
    return std::string(to_string(h.type)) + " " + h.id;
}

// `import --certs`: every readable file is imported; each unreadable one is listed with its
// reason and makes the exit status 1 (2 is kept for errors that stop the whole import). A
// certificate already in the registry keeps its holder: a file never moves it to another one.
int import_certs(const ImportOptions& o) {
    std::vector<Error> failed;
    const std::vector<fs::path> files = certificate_files(o.certs, failed);
    std::vector<x509::CertInfo> infos;
    std::size_t read = 0;
    for (const auto& f : files) {
        auto certs = x509::read_certificate_file(f.string());
        if (!certs) {
            failed.push_back(std::move(certs.error()));
            continue;
        }
        ++read;
        for (auto& c : *certs) infos.push_back(std::move(c));
    }
    auto session = open_session(o.db, o.as, o.password_file);
    if (!session) return report(session.error());
    auto actor = register_writer(*session);
    if (!actor) return report(actor.error());
    store::Store* st = session->registry.get();
    auto reg = st->load_registry();
    if (!reg) return report(reg.error());
    // Holders by the subject the registry gives them (FORMATS.md §4).
    std::unordered_map<std::string, std::vector<HolderRef>> by_subject;
    for (const auto& org : reg->organizations) {
        if (auto s = registry_org_subject(*reg, org.id))
            by_subject[subject_key(*s)].push_back({HolderType::org, org.id});
    }
    for (const auto& p : reg->people) {
        if (auto s = registry_person_subject(*reg, p))
            by_subject[subject_key(*s)].push_back({HolderType::person, p.id});
    }
    // One certificate per integer serial, however many files carry it.
    std::map<std::string, const x509::CertInfo*, SerialLess> unique;
    for (const auto& c : infos) unique.emplace(c.serial, &c);
    std::vector<Certificate> out;
    nlohmann::ordered_json rep = nlohmann::ordered_json::object();
    std::size_t linked = 0;
    std::vector<std::string> unmatched;
    std::vector<std::string> registered;  // known, linked, their subject matches no holder
    std::vector<std::string> kept;        // known certificates whose subject now names someone else
    for (const auto& [serial, info] : unique) {
        const auto it = by_subject.find(subject_key(info->subject));
        const HolderRef* match =
            it != by_subject.end() && it->second.size() == 1 ? &it->second.front() : nullptr;
        const Certificate* known = reg->certificate(serial);
        Certificate c = known != nullptr ? *known : Certificate{};
        c.serial = serial;
        // How the holder was found: the subject (FORMATS.md §4), or the registry, which a file
        // never overrides.
        const char* linked_by = nullptr;
        if (known != nullptr && !known->unlinked()) {
            linked_by = match != nullptr && *match == known->holder ? "subject" : "registry";
            if (match != nullptr && !(*match == known->holder)) {
                kept.push_back(message("cli.certs_holder_kept",
                                       {serial, holder_text(known->holder), holder_text(*match)}));
            }
        } else if (match != nullptr) {
            c.holder = *match;
            linked_by = "subject";
        }
        c.subject = info->subject;
        c.subject_text = format_rfc4514(info->subject);
        c.not_before = info->not_before;
        c.not_after = info->not_after;
        c.not_after_date = info->not_after_date;
        c.issuer_text = format_rfc4514(info->issuer);
        c.sha256_cert = info->sha256_cert;
        c.sha256_key = info->sha256_key;
        c.der = info->der;
        nlohmann::ordered_json subj = nlohmann::ordered_json::array();
        for (const auto& r : info->subject) {
            // The second and later attributes of a multi-valued RDN carry a third item, "+".
            if (r.joins_previous) {
                subj.push_back({r.type, r.value, "+"});
            } else {
                subj.push_back({r.type, r.value});
            }
        }
        if (!c.unlinked()) {
            if (std::string_view(linked_by) == "subject") {
                ++linked;
            } else {
                registered.push_back(serial + "  " + c.subject_text);
            }
            rep[serial] = {{"holder", {std::string(to_string(c.holder.type)), c.holder.id}},
                           {"linked_by", linked_by},
                           {"subject", subj}};
        } else {
            unmatched.push_back(serial + "  " + c.subject_text);
            rep[serial] = {{"holder", nullptr}, {"subject", subj}};
        }
        out.push_back(std::move(c));
    }
    if (!session->user.org_id.empty()) {  // a scoped writer: every holder written, in scope
        Registry incoming;
        incoming.certificates = out;
        incoming.reindex();
        if (auto in_scope = accounts::check_register_scope(*reg, incoming, {}, session->user);
            !in_scope)
            return report(in_scope.error());
    }
    if (!out.empty()) {
        if (auto s = st->upsert_certificates(out, *actor, "files"); !s) return report(s.error());
    }
    say("cli.certs_done",
        {std::to_string(unique.size()), std::to_string(read), std::to_string(linked),
         std::to_string(registered.size()), std::to_string(unmatched.size())});
    for (const auto& u : registered)
        std::printf("  %s %s\n", message("cli.certs_kept").c_str(), u.c_str());
    for (const auto& u : unmatched)
        std::printf("  %s %s\n", message("cli.unmatched").c_str(), u.c_str());
    for (const auto& k : kept) std::printf("%s\n", k.c_str());
    if (!o.report.empty()) {
        if (auto s = write_file(o.report, rep.dump(1) + "\n"); !s) return report(s.error());
    }
    if (failed.empty()) return 0;
    const bool en = english_ui();
    std::fprintf(stderr, "%s\n",
                 message("cli.certs_failed", {std::to_string(failed.size())}).c_str());
    for (const Error& e : failed) std::fprintf(stderr, "  %s\n", e.describe(en).c_str());
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

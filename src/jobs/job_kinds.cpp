// kyso jobs — the built-in job kinds (job_kinds.h).
#include "jobs/job_kinds.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "accounts/register_scope.h"
#include "bundle/bundle.h"
#include "checks/check.h"
#include "checks/findings.h"
#include "checks/fix.h"
#include "core/messages.h"
#include "intake/certificate_files.h"
#include "intake/intake.h"
#include "reorg/plan.h"
#include "reorg/plan_json.h"
#include "reorg/replay.h"
#include "store/account_store.h"
#include "store/registered_state.h"
#include "store/store.h"
#include "store/workflow_store.h"
#include "workflow/ca_results.h"

namespace kyso::jobs {

namespace fs = std::filesystem;

namespace {

using Json = nlohmann::ordered_json;

Json rows(const store::RowStats& r) {
    return Json{{"inserted", r.inserted}, {"updated", r.updated}, {"unchanged", r.unchanged}};
}

// Writes the job's files under `dir`.
Status write_files(JobContext& ctx, const std::string& dir) {
    auto files = ctx.files();
    if (!files) return files.error();
    if (files->empty()) return make_error("job.no_files", Location{}, {});
    for (const store::JobFile& f : *files) {
        if (!safe_job_file_name(f.name))
            return make_error("job.bad_file_name", Location{}, {f.name});
        const fs::path path = fs::path(dir) / f.name;
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
        std::ofstream out(path, std::ios::binary);
        out.write(f.content.data(), static_cast<std::streamsize>(f.content.size()));
        if (!out) return make_error("job.file_write", Location{path.string(), 0, {}, {}}, {f.name});
    }
    return Ok{};
}

// Reads the bundle in `dir` and imports it in one transaction (Store::import_registry), as
// `kyso import --bundle` does; the row counts as JSON. Progress from `from` to 1000.
Result<Json> import_folder(JobContext& ctx, const std::string& dir, const std::string& source,
                           std::int64_t from) {
    // Progress in thousandths: reading the files up to 800, checking up to 900.
    bundle::ReadOptions ro;
    ro.progress = [&](std::size_t done, std::size_t total) {
        if (total > 0)
            ctx.progress(from + static_cast<std::int64_t>((800 - from) * done / total), 1000);
    };
    ctx.progress(from, 1000);
    auto b = bundle::read_bundle(dir, ro);
    if (!b) return b.error();
    if (ctx.stop_requested()) return ctx.job_stopped();
    if (auto valid = reorg::validate_events(b->registry, b->events); !valid) return valid.error();
    auto st = store::open_store(ctx.location());
    if (!st) return st.error();
    const store::Job& job = ctx.job();
    if (!job.scope_org_id.empty()) {  // a scoped writer: what the bundle changes, in scope
        auto registered = store::load_registered_state(**st);
        if (!registered) return registered.error();
        auto current = (*st)->load_registry();
        if (!current) return current.error();
        const accounts::RegisterChange change = accounts::changed_records(
            registered->registry, registered->events, b->registry, b->events);
        User actor;
        actor.username = job.actor;
        actor.org_id = job.scope_org_id;
        if (auto ok =
                accounts::check_register_scope(*current, change.registry, change.events, actor);
            !ok)
            return ok.error();
    }
    if (!ctx.progress(900, 1000)) return ctx.job_stopped();  // the last moment to stop
    auto stats = (*st)->import_registry(b->registry, b->events, job.actor, source);
    if (!stats) return stats.error();
    ctx.progress(1000, 1000);
    Json notices = Json::array();
    for (const auto& n : b->notices) notices.push_back(n.message);
    return Json{{"organizations", rows(stats->organizations)},
                {"org_versions", rows(stats->org_versions)},
                {"people", rows(stats->people)},
                {"devices", rows(stats->devices)},
                {"certificates", rows(stats->certificates)},
                {"events", rows(stats->events)},
                {"notices", notices}};
}

Result<std::string> import_bundle(JobContext& ctx) {
    checks::TempDir temp;
    if (temp.path().empty()) return make_error("job.temp_dir", Location{}, {});
    if (auto st = write_files(ctx, temp.path()); !st) return st.error();
    auto out = import_folder(ctx, temp.path(), "bundle:job:" + std::to_string(ctx.job().id), 0);
    if (!out) return out.error();
    return out->dump();
}

std::string text_param(const nlohmann::json& params, const char* name) {
    if (!params.is_object() || !params.contains(name) || !params[name].is_string()) return {};
    return params[name].get<std::string>();
}

// An agency's spreadsheet read into a bundle (`kyso intake`, units matched against the
// database); with params.import and no error finding, that bundle imported in the same job.
Result<std::string> intake(JobContext& ctx) {
    checks::TempDir temp;
    if (temp.path().empty()) return make_error("job.temp_dir", Location{}, {});
    const std::string in_dir = temp.path() + "/in";
    if (auto st = write_files(ctx, in_dir); !st) return st.error();
    auto files = ctx.files();
    if (!files) return files.error();
    const auto params = nlohmann::json::parse(ctx.job().params, nullptr, false);
    intake::IntakeOptions o;
    o.input = in_dir + "/" + files->front().name;
    o.out_dir = temp.path() + "/bundle";
    o.province = text_param(params, "province");
    o.default_org = text_param(params, "org");
    o.registry = ctx.location();
    o.include_hidden = params.is_object() && params.value("include_hidden", false);
    ctx.progress(0, 1000);
    auto r = intake::run_intake(o);
    if (!r) return r.error();
    if (!ctx.progress(300, 1000)) return ctx.job_stopped();
    Json out{{"people", r->people},
             {"organizations", r->organizations},
             {"units_matched", r->units_matched},
             {"units_new", r->units_new},
             {"serials", r->serials},
             {"serials_linked", r->serials_linked},
             {"devices", r->devices},
             {"changes", r->changes.size()},
             {"findings", Json::parse(checks::findings_to_json(r->findings), nullptr, false)}};
    // The bundle written, for review (its CSV files and events, as text).
    Json bundle_files = Json::object();
    for (const char* name :
         {"organizations.csv", "people.csv", "devices.csv", "certificates.csv", "events.json"}) {
        std::ifstream in(o.out_dir + "/" + name, std::ios::binary);
        if (in) bundle_files[name] = std::string(std::istreambuf_iterator<char>(in), {});
    }
    out["bundle"] = std::move(bundle_files);
    const bool import = params.is_object() && params.value("import", false);
    if (import && r->findings.errors() == 0) {
        auto imported =
            import_folder(ctx, o.out_dir, "intake:job:" + std::to_string(ctx.job().id), 300);
        if (!imported) return imported.error();
        out["imported"] = std::move(*imported);
    } else {
        ctx.progress(1000, 1000);
        out["imported"] = nullptr;
    }
    return out.dump();
}

// The job's actor as the accounts hold it now (role and scope); the job fails when the account
// is gone or disabled.
Result<User> job_actor(JobContext& ctx) {
    auto accounts = store::open_account_store(ctx.location());
    if (!accounts) return accounts.error();
    auto user = (*accounts)->user(ctx.job().actor);
    if (!user) return user.error();
    if (!*user || (*user)->disabled)
        return make_error("job.actor_gone", Location{}, {ctx.job().actor});
    return **user;
}

Json error_list(const std::vector<Error>& errors) {
    Json out = Json::array();
    for (const Error& e : errors)
        out.push_back(Json{{"code", e.code},
                           {"message", e.message},
                           {"message_en", e.message_en},
                           {"file", e.where.file}});
    return out;
}

// job.files_failed: "<file>: <why>" for each file, in each language.
Error every_file_failed(const std::vector<Error>& failed) {
    std::string vi, en;
    for (const Error& e : failed) {
        const std::string sep = vi.empty() ? "" : "; ";
        const bool named =
            e.where.file.empty() || e.message.find(e.where.file) != std::string::npos;
        const std::string file = named ? std::string() : e.where.file + ": ";
        vi += sep + file + e.message;
        en += sep + file + e.message_en;
    }
    const std::string n = std::to_string(failed.size());
    Error out = make_error("job.files_failed", Location{}, {n, vi});
    out.message_en = message("job.files_failed", {n, en}, true);
    return out;
}

Result<std::string> import_certificates(JobContext& ctx) {
    checks::TempDir temp;
    if (temp.path().empty()) return make_error("job.temp_dir", Location{}, {});
    if (auto st = write_files(ctx, temp.path()); !st) return st.error();
    auto st = store::open_store(ctx.location());
    if (!st) return st.error();
    User actor;
    actor.username = ctx.job().actor;
    actor.org_id = ctx.job().scope_org_id;
    if (!ctx.progress(0, 1)) return ctx.job_stopped();  // the last moment to stop
    auto r = intake::import_certificate_files(**st, actor, actor.username, {temp.path()},
                                              "files:job:" + std::to_string(ctx.job().id));
    if (!r) return r.error();
    ctx.progress(1, 1);
    // Failures name the job's files, not the temporary folder.
    for (Error& e : r->failed) {
        const std::string prefix = temp.path() + "/";
        if (e.where.file.rfind(prefix, 0) == 0) e.where.file.erase(0, prefix.size());
        for (std::string* m : {&e.message, &e.message_en})
            for (auto p = m->find(prefix); p != std::string::npos; p = m->find(prefix))
                m->erase(p, prefix.size());
    }
    // Not one file read: the job failed, naming each file and why.
    if (r->files_read == 0 && !r->failed.empty()) return every_file_failed(r->failed);
    return Json{{"certificates", r->certificates.size()},
                {"files_read", r->files_read},
                {"linked", r->linked},
                {"registered", r->registered},
                {"unmatched", r->unmatched},
                {"kept", r->kept},
                {"failed", error_list(r->failed)},
                {"report", Json::parse(intake::certificate_files_report(*r))}}
        .dump();
}

Result<std::string> results_import(JobContext& ctx) {
    checks::TempDir temp;
    if (temp.path().empty()) return make_error("job.temp_dir", Location{}, {});
    if (auto st = write_files(ctx, temp.path()); !st) return st.error();
    auto files = ctx.files();
    if (!files) return files.error();
    std::string list;
    bool certs = false;
    for (const store::JobFile& f : *files) {
        if (f.name.rfind("results/", 0) == 0 && list.empty()) list = temp.path() + "/" + f.name;
        if (f.name.rfind("certs/", 0) == 0) certs = true;
    }
    if (list.empty()) return make_error("job.no_files", Location{}, {});
    auto actor = job_actor(ctx);
    if (!actor) return actor.error();
    auto registry = store::open_store(ctx.location());
    if (!registry) return registry.error();
    auto workflow = store::open_workflow_store(ctx.location());
    if (!workflow) return workflow.error();
    if (!ctx.progress(0, 1)) return ctx.job_stopped();
    workflow::ResultsOptions options;
    options.all_or_nothing = true;
    auto r = workflow::import_results(**registry, **workflow, *actor, list,
                                      certs ? temp.path() + "/certs" : std::string(), options);
    if (!r) return r.error();
    ctx.progress(1, 1);
    Json problems = Json::array();
    for (const auto& [row, what] : r->problems)
        problems.push_back(Json{{"row", row}, {"problem", what}});
    return Json{{"completed", r->completed},
                {"rejected", r->rejected},
                {"certificates_linked", r->certificates_linked},
                {"already_done", r->already_done},
                {"date_heading", r->date_heading},
                {"problems", problems}}
        .dump();
}

Result<std::string> fix(JobContext& ctx) {
    const auto params = nlohmann::json::parse(ctx.job().params, nullptr, false);
    const bool dry_run = params.is_object() && params.value("dry_run", false);
    checks::TempDir temp;
    if (temp.path().empty()) return make_error("job.temp_dir", Location{}, {});
    auto st = store::open_store(ctx.location());
    if (!st) return st.error();
    ctx.progress(0, 1000);
    // The registered state and every event, as `kyso export` writes them.
    auto state = store::load_registered_state(**st);
    if (!state) return state.error();
    const bool with_pem =
        std::any_of(state->registry.certificates.begin(), state->registry.certificates.end(),
                    [](const Certificate& c) { return !c.der.empty(); });
    const std::string exported = temp.path() + "/registered";
    const std::string fixed = temp.path() + "/fixed";
    if (auto s = bundle::write_bundle(exported, state->registry, state->events, with_pem); !s)
        return s.error();
    if (!ctx.progress(100, 1000)) return ctx.job_stopped();
    auto fixes = checks::fix_bundle(exported, fixed);
    if (!fixes) return fixes.error();
    Json list = Json::array();
    for (const checks::Fix& f : *fixes)
        list.push_back(Json{{"file", f.file},
                            {"row", f.row},
                            {"field", f.field},
                            {"id", f.id},
                            {"code", f.code},
                            {"before", f.before},
                            {"after", f.after}});
    Json out{{"fixes", list}, {"dry_run", dry_run}, {"imported", nullptr}};
    if (dry_run || fixes->empty()) {
        ctx.progress(1000, 1000);
        return out.dump();
    }
    auto imported = import_folder(ctx, fixed, "fix:job:" + std::to_string(ctx.job().id), 200);
    if (!imported) return imported.error();
    out["imported"] = std::move(*imported);
    return out.dump();
}

Result<std::string> check(JobContext& ctx) {
    checks::TempDir temp;
    if (temp.path().empty()) return make_error("job.temp_dir", Location{}, {});
    auto st = store::open_store(ctx.location());
    if (!st) return st.error();
    ctx.progress(0, 1);
    auto findings = checks::check_store(**st, temp.path());
    if (!findings) return findings.error();
    if (!ctx.progress(1, 1)) return ctx.job_stopped();
    return checks::findings_to_json(*findings);
}

Result<std::string> plan(JobContext& ctx) {
    std::optional<Date> as_of;
    const auto params = nlohmann::json::parse(ctx.job().params, nullptr, false);
    if (params.is_object() && params.contains("as_of") && params["as_of"].is_string()) {
        const std::string text = params["as_of"].get<std::string>();
        as_of = Date::parse(text);
        if (!as_of) return make_error("bundle.bad_date", Location{"as_of", 0, {}, {}}, {text});
    }
    auto st = store::open_store(ctx.location());
    if (!st) return st.error();
    ctx.progress(0, 2);
    auto state = store::load_registered_state(**st);
    if (!state) return state.error();
    if (!ctx.progress(1, 2)) return ctx.job_stopped();
    auto p = reorg::make_plan(state->registry, state->events, as_of);
    if (!p) return p.error();
    if (!ctx.progress(2, 2)) return ctx.job_stopped();
    return reorg::plan_to_json(*p);
}

}  // namespace

bool safe_job_file_name(std::string_view name) {
    if (name.empty() || name.size() > 255 || name.front() == '/') return false;
    int levels = 0;
    std::size_t start = 0;
    while (start <= name.size()) {
        const std::size_t slash = std::min(name.find('/', start), name.size());
        const std::string_view part = name.substr(start, slash - start);
        if (part.empty() || part == "." || part == ".." || ++levels > 8) return false;
        for (char ch : part) {
            const auto c = static_cast<unsigned char>(ch);
            const bool ok = c >= 0x80 || std::isalnum(c) || c == ' ' || c == '.' || c == '-' ||
                            c == '_' || c == '(' || c == ')';
            if (!ok) return false;
        }
        start = slash + 1;
    }
    return true;
}

std::map<std::string, JobHandler> builtin_handlers() {
    return {{std::string(kImportBundle), import_bundle},
            {std::string(kCheck), check},
            {std::string(kPlan), plan},
            {std::string(kIntake), intake},
            {std::string(kImportCertificates), import_certificates},
            {std::string(kResultsImport), results_import},
            {std::string(kFix), fix}};
}

}  // namespace kyso::jobs

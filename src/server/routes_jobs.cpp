// kyso server — long work as background jobs (jobs/job_runner.h): an import uploaded as files,
// a check, a plan; the jobs list, one job with its progress, cancel, and its result. A job is
// seen by the user who asked for it and by administrators.
#include <string>

#include "core/messages.h"
#include "jobs/job_kinds.h"
#include "server/fields.h"
#include "server/records.h"
#include "server/registry_api.h"
#include "server/routes.h"
#include "server/scope.h"
#include "server/server_state.h"
#include "server/uploads.h"
#include "store/job_store.h"

namespace kyso::server {

namespace {

using nlohmann::json;

json job_json(const store::Job& j) {
    json params = json::parse(j.params, nullptr, false);
    json error = j.error.empty() ? json() : json::parse(j.error, nullptr, false);
    if (error.is_discarded()) error = nullptr;
    return {{"id", j.id},
            {"kind", j.kind},
            {"actor", j.actor},
            {"state", store::to_string(j.state)},
            {"done", j.done},
            {"total", j.total},
            {"params", params.is_discarded() ? json::object() : params},
            {"cancel_requested", j.cancel_requested},
            {"created_at", j.created_at},
            {"started_at", j.started_at},
            {"finished_at", j.finished_at},
            {"error", error},
            {"has_result", j.state == store::JobState::succeeded && !j.result.empty()}};
}

// Queues a job for the signed-in user (scope = theirs) and answers 202 with it.
Response queue(Context& ctx, const std::string& kind, const json& params,
               const std::vector<store::JobFile>& files) {
    store::Job j;
    j.kind = kind;
    j.actor = ctx.user().username;
    j.scope_org_id = ctx.user().org_id;
    j.params = params.dump();
    auto id = ctx.stores.jobs->create(j, files);
    if (!id) return ctx.fail(id.error());
    if (ctx.state != nullptr && ctx.state->jobs != nullptr) ctx.state->jobs->notify();
    auto stored = ctx.stores.jobs->job(*id);
    if (!stored) return ctx.fail(stored.error());
    Response out = Response::json(job_json(*stored), 202);
    out.headers["Location"] = "/api/v1/jobs/" + std::to_string(*id);
    return out;
}

Response post_import(Context& ctx) {
    if (auto ok =
            only_fields(ctx.body, {"kind", "files", "province", "org", "include_hidden", "import"});
        !ok)
        return ctx.fail(ok.error());
    auto kind = string_field(ctx.body, "kind", true, 32);
    if (!kind) return ctx.fail(kind.error());
    if (*kind != "bundle" && *kind != "intake" && *kind != "certificates")
        return ctx.fail(400, "server.field_value", {"kind", *kind, "bundle, intake, certificates"},
                        "kind");
    if (!ctx.body.contains("files") || !ctx.body["files"].is_array() || ctx.body["files"].empty())
        return ctx.fail(400, "server.field_missing", {"files"}, "files");
    if (*kind == "intake" && ctx.body["files"].size() != 1)
        return ctx.fail(400, "server.field_value",
                        {"files", std::to_string(ctx.body["files"].size()), "1"}, "files");
    std::vector<store::JobFile> files;
    if (auto refused = read_files(ctx, ctx.body["files"], "files", "", files)) return *refused;
    if (*kind == "certificates")
        return queue(ctx, std::string(jobs::kImportCertificates), json::object(), files);
    if (*kind == "bundle")
        return queue(ctx, std::string(jobs::kImportBundle), json::object(), files);
    json params = json::object();
    for (const char* name : {"province", "org"}) {
        auto v = string_field(ctx.body, name, false, 200);
        if (!v) return ctx.fail(v.error());
        if (!v->empty()) params[name] = *v;
    }
    for (const char* name : {"include_hidden", "import"}) {
        auto v = bool_field(ctx.body, name);
        if (!v) return ctx.fail(v.error());
        if (*v) params[name] = **v;
    }
    return queue(ctx, std::string(jobs::kIntake), params, files);
}

// `kyso results import` as a job: {"file": {"name", "content_base64"}, "certificates": [...]}.
Response post_results(Context& ctx) {
    if (auto ok = only_fields(ctx.body, {"file", "certificates"}); !ok) return ctx.fail(ok.error());
    if (!ctx.body.contains("file") || ctx.body["file"].is_null())
        return ctx.fail(400, "server.field_missing", {"file"}, "file");
    std::vector<store::JobFile> files;
    if (auto refused = read_files(ctx, json::array({ctx.body["file"]}), "file", "results/", files))
        return *refused;
    if (ctx.body.contains("certificates")) {
        if (!ctx.body["certificates"].is_array())
            return ctx.fail(400, "server.field_type", {"certificates", "array"}, "certificates");
        if (auto refused =
                read_files(ctx, ctx.body["certificates"], "certificates", "certs/", files))
            return *refused;
    }
    return queue(ctx, std::string(jobs::kResultsImport), json::object(), files);
}

// `kyso fix` over the database as a job: {"dry_run": true} lists the repairs without writing.
Response post_fix(Context& ctx) {
    const json body = ctx.body.is_object() ? ctx.body : json::object();
    if (auto ok = only_fields(body, {"dry_run"}); !ok) return ctx.fail(ok.error());
    auto dry = bool_field(body, "dry_run");
    if (!dry) return ctx.fail(dry.error());
    return queue(ctx, std::string(jobs::kFix), json{{"dry_run", dry->value_or(false)}}, {});
}

Response post_check(Context& ctx) {
    if (auto refused = require_whole_register(ctx, "check")) return *refused;
    if (auto ok = only_fields(ctx.body.is_object() ? ctx.body : json::object(), {}); !ok)
        return ctx.fail(ok.error());
    return queue(ctx, std::string(jobs::kCheck), json::object(), {});
}

Response post_plan(Context& ctx) {
    if (auto refused = require_whole_register(ctx, "plan")) return *refused;
    const json body = ctx.body.is_object() ? ctx.body : json::object();
    if (auto ok = only_fields(body, {"as_of"}); !ok) return ctx.fail(ok.error());
    auto as_of = string_field(body, "as_of", false, 10);
    if (!as_of) return ctx.fail(as_of.error());
    json params = json::object();
    if (!as_of->empty()) {
        if (!Date::parse(*as_of))
            return ctx.fail(400, "server.field_value", {"as_of", *as_of, "YYYY-MM-DD"}, "as_of");
        params["as_of"] = *as_of;
    }
    return queue(ctx, std::string(jobs::kPlan), params, {});
}

bool sees_every_job(const User& u) {
    return u.role == Role::admin;
}

// The job `id` if the user may see it; else the 404 response in `refusal` (another user's job
// is answered as a missing one).
std::optional<store::Job> visible_job(Context& ctx, Response& refusal) {
    auto id = ctx.path_id("id");
    if (!id) {
        refusal = ctx.fail(id.error());
        return std::nullopt;
    }
    auto j = ctx.stores.jobs->job(*id);
    if (!j) {
        refusal = ctx.fail(j.error());
        return std::nullopt;
    }
    if (j->actor != ctx.user().username && !sees_every_job(ctx.user())) {
        // Answered as a job that does not exist, so that job ids cannot be probed.
        refusal =
            ctx.fail(make_error("store.not_found", Location{"jobs", 0, {}, std::to_string(*id)},
                                {"job", std::to_string(*id)}));
        return std::nullopt;
    }
    return *j;
}

Response list_jobs(Context& ctx) {
    auto page = page_of(ctx);
    if (!page) return ctx.fail(page.error());
    if (page->size > static_cast<std::size_t>(store::kMaxPageSize))
        return ctx.fail(400, "server.page_bounds",
                        {"size", "1", std::to_string(store::kMaxPageSize)}, "size");
    store::JobQuery q;
    q.page = static_cast<int>(page->page);
    q.page_size = static_cast<int>(page->size);
    if (!sees_every_job(ctx.user())) q.actor = ctx.user().username;
    if (auto s = ctx.query_value("state")) {
        q.state = store::parse_job_state(*s);
        if (!q.state)
            return ctx.fail(400, "server.query_value",
                            {"state", *s, "queued, running, succeeded, failed, cancelled"},
                            "state");
    }
    if (auto k = ctx.query_value("kind")) q.kind = *k;
    auto jobs = ctx.stores.jobs->jobs(q);
    if (!jobs) return ctx.fail(jobs.error());
    return Response::json(page_json(*jobs, job_json));
}

Response get_job(Context& ctx) {
    Response refusal;
    auto j = visible_job(ctx, refusal);
    if (!j) return refusal;
    return Response::json(job_json(*j));
}

Response cancel_job(Context& ctx) {
    Response refusal;
    auto j = visible_job(ctx, refusal);
    if (!j) return refusal;
    // A finished job cannot be stopped any more: 409 naming its state.
    if (store::finished(j->state))
        return ctx.fail(409, "job.finished", {std::to_string(j->id), store::to_string(j->state)});
    // A job running here is told at once: its own write transaction may keep the database's
    // flag from being written until it ends (SQLite).
    if (ctx.state != nullptr && ctx.state->jobs != nullptr) ctx.state->jobs->request_cancel(j->id);
    auto now = ctx.stores.jobs->cancel(j->id);
    if (!now) return ctx.fail(now.error());
    return Response::json(job_json(*now));
}

Response job_result(Context& ctx) {
    Response refusal;
    auto j = visible_job(ctx, refusal);
    if (!j) return refusal;
    if (j->state != store::JobState::succeeded)
        return ctx.fail(409, "job.no_result", {std::to_string(j->id), store::to_string(j->state)});
    json result = json::parse(j->result, nullptr, false);
    if (result.is_discarded()) return ctx.fail(500, "server.internal", {ctx.request_id});
    return Response::json(result);
}

const std::vector<Role> kJobStarters = {Role::dost_operator, Role::admin};
// Everyone who may start some job (a batch render: officers, heads and the CA operator too)
// may cancel one: their own (visible_job), or any for admin. The auditor only reads.
const std::vector<Role> kJobCancellers = {Role::unit_officer, Role::unit_head, Role::dost_operator,
                                          Role::ca_operator, Role::admin};

Route job_route(Method m, std::string path, std::vector<Role> roles, std::string summary,
                json response, Handler h) {
    Route r;
    r.method = m;
    r.path = std::move(path);
    r.roles = std::move(roles);
    r.changes_state = m != Method::get;
    r.tag = "jobs";
    r.summary = std::move(summary);
    r.response_schema = std::move(response);
    r.handler = std::move(h);
    return r;
}

}  // namespace

json job_to_json(const store::Job& job) {
    return job_json(job);
}

json job_schema() {
    return object_schema(
        {{"id", int_schema()},
         {"kind", str_schema()},
         {"actor", str_schema()},
         {"state", enum_schema({"queued", "running", "succeeded", "failed", "cancelled"})},
         {"done", int_schema()},
         {"total", int_schema()},
         {"params", {{"type", "object"}}},
         {"cancel_requested", bool_schema()},
         {"created_at", str_schema()},
         {"started_at", str_schema()},
         {"finished_at", str_schema()},
         {"error",
          {{"oneOf", json::array({{{"type", "null"}},
                                  object_schema({{"code", str_schema()},
                                                 {"message", str_schema()},
                                                 {"message_en", str_schema()}},
                                                {"code"})})}}},
         {"has_result", bool_schema()}},
        {"id", "kind", "state", "done", "total"});
}

void add_jobs_routes(RouteTable& t) {
    Route imp = job_route(Method::post, "/api/v1/imports", kJobStarters,
                          "Import a bundle's files, an agency's spreadsheet (intake) or "
                          "certificate files (PEM, DER, PKCS#7; base64) as a background job; 202",
                          job_schema(), post_import);
    imp.success_status = 202;
    imp.body_limit = std::size_t{64} << 20;
    imp.request_schema = object_schema(
        {{"kind", enum_schema({"bundle", "intake", "certificates"})},
         {"province", str_schema()},
         {"org", str_schema()},
         {"include_hidden", bool_schema()},
         {"import", bool_schema()},
         {"files",
          {{"type", "array"},
           {"minItems", 1},
           {"items", object_schema({{"name", str_schema()}, {"content_base64", str_schema()}},
                                   {"name", "content_base64"})}}}},
        {"kind", "files"});
    imp.example_body = {
        {"kind", "bundle"},
        {"files", json::array({{{"name", "organizations.csv"}, {"content_base64", "aWQK"}}})}};
    t.add(imp);

    Route chk = job_route(Method::post, "/api/v1/check", kJobStarters,
                          "Check the database (findings, FORMATS.md §5) as a background job",
                          job_schema(), post_check);
    chk.success_status = 202;
    chk.request_schema = object_schema({}, {});
    chk.example_body = json::object();
    t.add(chk);

    const json file_schema = object_schema(
        {{"name", str_schema()}, {"content_base64", str_schema()}}, {"name", "content_base64"});
    Route res = job_route(Method::post, "/api/v1/results", {Role::ca_operator},
                          "Import the national CA's results file (CSV or XLSX) and its new "
                          "certificates (`kyso results import`) as a background job; 202",
                          job_schema(), post_results);
    res.success_status = 202;
    res.body_limit = std::size_t{64} << 20;
    res.request_schema = object_schema(
        {{"file", file_schema}, {"certificates", {{"type", "array"}, {"items", file_schema}}}},
        {"file"});
    res.example_body = {{"file", {{"name", "ket-qua.csv"}, {"content_base64", "aWQK"}}}};
    t.add(res);

    Route fx = job_route(Method::post, "/api/v1/fix", kJobStarters,
                         "Apply the safe repairs of the check (`kyso fix`) to the registered "
                         "records as a background job; dry_run lists them only; 202",
                         job_schema(), post_fix);
    fx.success_status = 202;
    fx.request_schema = object_schema({{"dry_run", bool_schema()}}, {});
    fx.example_body = json{{"dry_run", true}};
    t.add(fx);

    Route pl = job_route(Method::post, "/api/v1/plan", kJobStarters,
                         "The plan (FORMATS.md §3) of the stored events as a background job",
                         job_schema(), post_plan);
    pl.success_status = 202;
    pl.request_schema = object_schema({{"as_of", str_schema()}}, {});
    pl.example_body = json::object();
    t.add(pl);

    Route l = job_route(Method::get, "/api/v1/jobs", kAllRoles,
                        "Background jobs, newest first (the user's own; all for admin)",
                        page_schema(job_schema()), list_jobs);
    l.params = page_params();
    l.params.push_back(Param{"state", "query",
                             enum_schema({"queued", "running", "succeeded", "failed", "cancelled"}),
                             false, ""});
    l.params.push_back(Param{"kind", "query", str_schema(), false, ""});
    t.add(l);

    const json id_schema = {{"type", "integer"}, {"minimum", 1}};
    for (auto [m, path, summary, h, schema] :
         {std::tuple{Method::get, "/api/v1/jobs/{id}", "One job with its progress", &get_job,
                     job_schema()},
          std::tuple{Method::post, "/api/v1/jobs/{id}/cancel",
                     "Ask a job to stop (a queued one is cancelled at once; 409 once finished)",
                     &cancel_job, job_schema()},
          std::tuple{Method::get, "/api/v1/jobs/{id}/result",
                     "The result of a succeeded job (409 before)", &job_result,
                     json{{"type", "object"}}}}) {
        // The auditor reads jobs; cancelling one is a change (those who start jobs).
        Route r =
            job_route(m, path, m == Method::get ? kAllRoles : kJobCancellers, summary, schema, h);
        r.params = {Param{"id", "path", id_schema, true, "job id"}};
        r.example_path = {{"id", "1"}};
        t.add(r);
    }
}

}  // namespace kyso::server

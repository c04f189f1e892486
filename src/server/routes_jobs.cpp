// kyso server — long work as background jobs (jobs/job_runner.h): an import uploaded as files,
// a check, a plan; the jobs list, one job with its progress, cancel, and its result. A job is
// seen by the user who asked for it and by administrators.
#include <openssl/evp.h>

#include <string>

#include "core/messages.h"
#include "jobs/job_kinds.h"
#include "server/fields.h"
#include "server/records.h"
#include "server/registry_api.h"
#include "server/routes.h"
#include "server/server_state.h"
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

// Decoded base64 (RFC 4648 §4, no line breaks), or nullopt.
std::optional<std::string> from_base64(const std::string& text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    std::size_t pad = 0;
    if (!text.empty() && text.back() == '=') ++pad;
    if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
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
    if (*kind != "bundle" && *kind != "intake")
        return ctx.fail(400, "server.field_value", {"kind", *kind, "bundle, intake"}, "kind");
    if (!ctx.body.contains("files") || !ctx.body["files"].is_array() || ctx.body["files"].empty())
        return ctx.fail(400, "server.field_missing", {"files"}, "files");
    if (*kind == "intake" && ctx.body["files"].size() != 1)
        return ctx.fail(400, "server.field_value",
                        {"files", std::to_string(ctx.body["files"].size()), "1"}, "files");
    std::vector<store::JobFile> files;
    for (const json& f : ctx.body["files"]) {
        if (!f.is_object() || !f.contains("name") || !f["name"].is_string() ||
            !f.contains("content_base64") || !f["content_base64"].is_string())
            return ctx.fail(400, "server.field_value",
                            {"files", f.dump().substr(0, 80), "{\"name\", \"content_base64\"}"},
                            "files");
        const std::string name = f["name"].get<std::string>();
        if (!jobs::safe_job_file_name(name))
            return ctx.fail(400, "job.bad_file_name", {name}, "files");
        auto content = from_base64(f["content_base64"].get<std::string>());
        if (!content) return ctx.fail(400, "job.bad_base64", {name}, "files");
        files.push_back({name, std::move(*content)});
    }
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

Response post_check(Context& ctx) {
    if (auto ok = only_fields(ctx.body.is_object() ? ctx.body : json::object(), {}); !ok)
        return ctx.fail(ok.error());
    return queue(ctx, std::string(jobs::kCheck), json::object(), {});
}

Response post_plan(Context& ctx) {
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

// The job `id` if the user may see it; else the 404 / 403 response in `refusal`.
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
        refusal = ctx.fail(403, "job.not_visible", {std::to_string(*id)});
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
                          "Import a bundle's files or an agency's spreadsheet (intake; base64) as "
                          "a background job; 202",
                          job_schema(), post_import);
    imp.success_status = 202;
    imp.body_limit = std::size_t{64} << 20;
    imp.request_schema = object_schema(
        {{"kind", enum_schema({"bundle", "intake"})},
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
                     "Ask a job to stop (a queued one is cancelled at once)", &cancel_job,
                     job_schema()},
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

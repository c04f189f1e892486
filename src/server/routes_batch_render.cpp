// kyso server — POST /api/v1/batches/{id}/render: a batch's documents (PDF, DOCX letter and
// XLSX list) rendered as a background job (jobs/batch_render_job.h), for batches too long to
// render within a request; its progress, cancel and result through /api/v1/jobs/{id}. Who may
// render is RequestDesk::may_render's rule, checked before the job is queued.
#include "core/date.h"
#include "core/messages.h"
#include "jobs/batch_render_job.h"
#include "server/fields.h"
#include "server/records.h"
#include "server/registry_api.h"
#include "server/routes.h"
#include "server/scope.h"
#include "server/server_state.h"
#include "store/job_store.h"
#include "workflow/request_desk.h"

namespace kyso::server {

namespace {

using nlohmann::json;

Response start(Context& ctx) {
    auto id = ctx.path_id("id");
    if (!id) return ctx.fail(id.error());
    const json body = ctx.body.is_object() ? ctx.body : json::object();
    if (auto ok = only_fields(body, {"date", "place", "signer", "signer_title", "signer_authority",
                                     "receiver", "receiver_address", "values"});
        !ok)
        return ctx.fail(ok.error());
    json params = {{"batch_id", *id}};
    for (const char* name : {"date", "place", "signer", "signer_title", "signer_authority",
                             "receiver", "receiver_address"}) {
        auto v = string_field(body, name, false, 500);
        if (!v) return ctx.fail(v.error());
        if (!v->empty()) params[name] = *v;
    }
    if (params.contains("date") && !Date::parse(params["date"].get<std::string>()))
        return ctx.fail(400, "server.field_value",
                        {"date", params["date"].get<std::string>(), "YYYY-MM-DD"}, "date");
    if (body.contains("values")) {
        const json& values = body["values"];
        if (!values.is_object())
            return ctx.fail(400, "server.field_type", {"values", "object"}, "values");
        for (const auto& [k, v] : values.items())
            if (k.empty() || !v.is_string())
                return ctx.fail(400, "server.field_type", {"values." + k, "string"}, "values");
        params["values"] = values;
    }

    auto b = ctx.stores.workflow->batch(*id);
    if (!b) return ctx.fail(b.error());
    if (!*b) return ctx.fail(404, "batch.unknown", {std::to_string(*id)}, "id");
    ScopeCheck scope(ctx);
    auto sees = scope.sees((*b)->org_id);
    if (!sees) return ctx.fail(sees.error());
    // Outside the caller's subtree reads as unknown (no probing of ids).
    if (!*sees) return ctx.fail(404, "batch.unknown", {std::to_string(*id)}, "id");
    workflow::RequestDesk desk(*ctx.stores.registry, *ctx.stores.workflow);
    if (auto ok = desk.may_render(ctx.user(), *id, params.value("receiver", "")); !ok)
        return ctx.fail(ok.error(), 0,
                        ok.error().code == "batch.unknown_receiver" ? "receiver" : "");

    store::Job j;
    j.kind = std::string(jobs::kBatchRender);
    j.actor = ctx.user().username;
    j.scope_org_id = ctx.user().org_id;
    j.params = params.dump();
    auto job_id = ctx.stores.jobs->create(j, {});
    if (!job_id) return ctx.fail(job_id.error());
    if (ctx.state != nullptr && ctx.state->jobs != nullptr) ctx.state->jobs->notify();
    auto stored = ctx.stores.jobs->job(*job_id);
    if (!stored) return ctx.fail(stored.error());
    Response out = Response::json(job_to_json(*stored), 202);
    out.headers["Location"] = "/api/v1/jobs/" + std::to_string(*job_id);
    return out;
}

}  // namespace

void add_batch_render_routes(RouteTable& t) {
    Route r;
    r.method = Method::post;
    r.path = "/api/v1/batches/{id}/render";
    // Those who read batches and act on them; the auditor only reads (GET …/document).
    r.roles = {Role::unit_officer, Role::unit_head, Role::dost_operator, Role::ca_operator};
    r.changes_state = true;
    r.tag = "batches";
    r.summary =
        "Render the batch's letter (PDF, DOCX) and list (XLSX) as a background job; 202 with the "
        "job, the files in GET /api/v1/jobs/{id}/result";
    const json id_schema = {{"type", "integer"}, {"minimum", 1}};
    r.params = {Param{"id", "path", id_schema, true, "batch id"}};
    r.request_schema = object_schema(
        {{"date", {{"type", "string"}, {"format", "date"}}},
         {"place", str_schema()},
         {"signer", str_schema()},
         {"signer_title", str_schema()},
         {"signer_authority", str_schema()},
         {"receiver", str_schema()},
         {"receiver_address", str_schema()},
         {"values", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}}},
        {});
    r.response_schema = job_schema();
    r.success_status = 202;
    r.example_path = {{"id", "1"}};
    r.example_body = json::object();
    r.handler = start;
    t.add(r);
}

}  // namespace kyso::server

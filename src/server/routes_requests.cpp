// kyso server — requests: list (filters, pages, the user's subtree only), one with its
// transitions and ETag, add, from a plan, validate, and the moves (approve, submit, forward,
// reject) one by one with If-Match or in bulk. The rules are workflow::RequestDesk's, as the
// CLI's `kyso requests` calls them.
#include <string>

#include "core/messages.h"
#include "core/values.h"
#include "server/fields.h"
#include "server/records.h"
#include "server/routes.h"
#include "server/scope.h"
#include "workflow/request_desk.h"

namespace kyso::server {

namespace {

using nlohmann::json;

std::string join(std::span<const std::string_view> names) {
    std::string out;
    for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
}

const std::vector<std::string> kSortKeys = {"id", "created_at", "state", "kind", "managing_org_id"};

Response list(Context& ctx) {
    store::RequestQuery q;
    if (auto ok = read_list_query(ctx, q); !ok) return ctx.fail(ok.error());
    if (auto s = ctx.query_value("state")) {
        q.state = parse_request_state(*s);
        if (!q.state)
            return ctx.fail(400, "server.query_value", {"state", *s, join(request_state_names())},
                            "state");
    }
    if (auto k = ctx.query_value("kind")) {
        q.kind = parse_request_kind(*k);
        if (!q.kind)
            return ctx.fail(400, "server.query_value", {"kind", *k, join(request_kind_names())},
                            "kind");
    }
    if (auto o = ctx.query_value("org")) q.managing_org_id = *o;
    if (auto b = ctx.query_value("batch")) {
        ctx.path_params["batch"] = *b;
        auto id = ctx.path_id("batch");
        if (!id) return ctx.fail(id.error());
        q.batch_id = *id;
    }
    auto page = ctx.stores.workflow->list_requests(q);
    if (!page) return ctx.fail(page.error());
    return Response::json(list_page_body(*page, request_json));
}

// The request `id` in the user's subtree. One outside it is answered as one that does not
// exist (404 request.unknown): a user cannot probe which ids exist elsewhere.
Result<Request> visible_request(Context& ctx, std::int64_t id, Response& refusal) {
    auto r = ctx.stores.workflow->request(id);
    if (!r) {
        refusal = ctx.fail(r.error());
        return r.error();
    }
    Error unknown = make_error("request.unknown", Location{{}, 0, "id", {}}, {std::to_string(id)});
    if (!*r) {
        refusal = ctx.fail(unknown, 404);
        return unknown;
    }
    ScopeCheck scope(ctx);
    auto sees = scope.sees((*r)->managing_org_id);
    if (!sees) {
        refusal = ctx.fail(sees.error());
        return sees.error();
    }
    if (!*sees) {
        refusal = ctx.fail(unknown, 404);
        return unknown;
    }
    return **r;
}

Response with_transitions(Context& ctx, const Request& r, int status = 200) {
    json body = request_json(r);
    auto ts = ctx.stores.workflow->transitions(r.id);
    if (!ts) return ctx.fail(ts.error());
    const std::string etag = etag_of(body);
    body["transitions"] = json::array();
    for (const auto& t : *ts) body["transitions"].push_back(transition_json(t));
    Response out = Response::json(body, status);
    out.headers["ETag"] = etag;
    return out;
}

Response get_one(Context& ctx) {
    auto id = ctx.path_id("id");
    if (!id) return ctx.fail(id.error());
    Response refusal;
    auto r = visible_request(ctx, *id, refusal);
    if (!r) return refusal;
    return with_transitions(ctx, *r);
}

// The body member a refused new request is refused for (workflow/request_desk.cpp's codes).
std::string request_field(const std::string& code) {
    if (code == "request.serial_too_long" || code == "request.unknown_certificate" ||
        code == "request.needs_certificate")
        return "certificate";
    if (code == "custody.unknown_device") return "device_id";
    if (code == "request.unknown_holder" || code == "request.no_subject" ||
        code == "request.no_subject_of_request")
        return "holder_id";
    if (code == "request.bad_reason") return "revocation_reason";
    return {};
}

Response add(Context& ctx) {
    if (auto ok = only_fields(ctx.body, {"kind", "certificate", "holder_type", "holder_id",
                                         "device_id", "managing_org_id", "revocation_reason"});
        !ok)
        return ctx.fail(ok.error());
    auto kind = string_field(ctx.body, "kind", true, 32);
    if (!kind) return ctx.fail(kind.error());
    Request r;
    const auto k = parse_request_kind(*kind);
    if (!k)
        return ctx.fail(400, "server.field_value", {"kind", *kind, join(request_kind_names())},
                        "kind");
    r.kind = *k;
    for (auto [name, into] : {std::pair<const char*, std::string*>{"certificate", &r.certificate},
                              {"holder_type", &r.holder_type},
                              {"holder_id", &r.holder_id},
                              {"device_id", &r.device_id},
                              {"managing_org_id", &r.managing_org_id},
                              {"revocation_reason", &r.revocation_reason}}) {
        auto v = string_field(ctx.body, name, false, 200);
        if (!v) return ctx.fail(v.error());
        *into = *v;
    }
    if (!r.holder_type.empty() && r.holder_type != "person" && r.holder_type != "org")
        return ctx.fail(400, "server.field_value", {"holder_type", r.holder_type, "person, org"},
                        "holder_type");
    if (auto serial = normalize_serial(r.certificate)) r.certificate = *serial;
    workflow::RequestDesk desk(*ctx.stores.registry, *ctx.stores.workflow);
    auto id = desk.add_request(ctx.user(), r);
    if (!id) return ctx.fail(id.error(), 0, request_field(id.error().code));
    auto stored = ctx.stores.workflow->request(*id);
    if (!stored || !*stored) return ctx.fail(500, "server.internal", {ctx.request_id});
    Response out = with_transitions(ctx, **stored, 201);
    out.headers["Location"] = "/api/v1/requests/" + std::to_string(*id);
    return out;
}

Response from_plan(Context& ctx) {
    workflow::RequestDesk desk(*ctx.stores.registry, *ctx.stores.workflow);
    auto r = desk.from_plan(ctx.user());
    if (!r) return ctx.fail(r.error());
    return Response::json({{"planned", r->planned},
                           {"created", r->created},
                           {"reviews", r->reviews},
                           {"unplaced", r->unplaced},
                           {"out_of_scope", r->out_of_scope}});
}

Response validate(Context& ctx) {
    if (auto ok = only_fields(ctx.body, {"ids"}); !ok) return ctx.fail(ok.error());
    auto ids = ids_field(ctx.body, "ids", false);
    if (!ids) return ctx.fail(ids.error());
    // An id outside the user's subtree is unknown to them, as in move_bulk.
    for (const auto id : *ids) {
        Response refusal;
        if (!visible_request(ctx, id, refusal)) {
            refusal.error->field = "ids";
            return refusal;
        }
    }
    workflow::RequestDesk desk(*ctx.stores.registry, *ctx.stores.workflow);
    auto r = desk.validate(ctx.user(), *ids);
    if (!r) return ctx.fail(r.error(), 0, "ids");
    json blocked = json::array();
    for (const auto& [id, why] : r->blocked) blocked.push_back({{"id", id}, {"reason", why}});
    return Response::json({{"validated", r->validated}, {"blocked", blocked}});
}

struct Step {
    const char* action;  // URL word
    RequestState to;
    std::vector<Role> roles;  // access.h: who may ever take the step
    const char* summary;
};

const std::vector<Step>& steps() {
    static const std::vector<Step> s = {
        {"approve", RequestState::approved, {Role::unit_head}, "Approve (the unit's head)"},
        {"submit",
         RequestState::submitted,
         {Role::unit_officer, Role::unit_head},
         "Submit to the DoST"},
        {"forward", RequestState::forwarded, {Role::dost_operator}, "Forward to the national CA"},
        {"reject",
         RequestState::rejected,
         {Role::unit_head, Role::dost_operator, Role::ca_operator},
         "Reject, with a reason"},
    };
    return s;
}

Result<std::string> comment_of(const Context& ctx, RequestState to) {
    auto comment = string_field(ctx.body, "comment", to == RequestState::rejected, 2000);
    return comment;
}

Response move_one(Context& ctx, RequestState to) {
    auto id = ctx.path_id("id");
    if (!id) return ctx.fail(id.error());
    if (auto ok = only_fields(ctx.body, {"comment"}); !ok) return ctx.fail(ok.error());
    auto comment = comment_of(ctx, to);
    if (!comment) return ctx.fail(comment.error());
    Response refusal;
    auto r = visible_request(ctx, *id, refusal);
    if (!r) return refusal;
    // Optimistic concurrency: the state the client saw must still be the state now.
    if (auto match = ctx.header("if-match"); match && *match != "*") {
        const std::string now = etag_of(request_json(*r));
        if (*match != now) return ctx.fail(412, "server.if_match", {*match, now}, "If-Match");
    }
    workflow::RequestDesk desk(*ctx.stores.registry, *ctx.stores.workflow);
    auto moved = desk.move(ctx.user(), *id, to, *comment);
    if (!moved)
        return ctx.fail(moved.error(), 0,
                        moved.error().code == "access.reason_required" ? "comment" : "");
    return with_transitions(ctx, *moved);
}

Response move_bulk(Context& ctx, RequestState to) {
    if (auto ok = only_fields(ctx.body, {"ids", "comment"}); !ok) return ctx.fail(ok.error());
    auto ids = ids_field(ctx.body, "ids", true);
    if (!ids) return ctx.fail(ids.error());
    auto comment = comment_of(ctx, to);
    if (!comment) return ctx.fail(comment.error());
    // An id outside the user's subtree is unknown to them, as in move_one.
    for (const auto id : *ids) {
        Response refusal;
        if (!visible_request(ctx, id, refusal)) {
            refusal.error->field = "ids";
            return refusal;
        }
    }
    workflow::RequestDesk desk(*ctx.stores.registry, *ctx.stores.workflow);
    auto moved = desk.move_all(ctx.user(), *ids, to, *comment);
    if (!moved)
        return ctx.fail(moved.error(), 0,
                        moved.error().code == "access.reason_required" ? "comment" : "ids");
    json items = json::array();
    for (const Request& r : *moved) items.push_back(request_json(r));
    return Response::json({{"items", items}});
}

const std::vector<Role> kPreparers = {Role::unit_officer, Role::unit_head, Role::dost_operator};

}  // namespace

void add_requests_routes(RouteTable& t) {
    const json id_param_schema = {{"type", "integer"}, {"minimum", 1}};
    Route l;
    l.method = Method::get;
    l.path = "/api/v1/requests";
    l.roles = kAllRoles;
    l.tag = "requests";
    l.summary = "Requests in the user's organization subtree, by page, with filters";
    l.params = list_query_params(kSortKeys);
    l.params.push_back(Param{
        "state", "query", enum_schema({request_state_names().begin(), request_state_names().end()}),
        false, "only this state"});
    l.params.push_back(Param{
        "kind", "query", enum_schema({request_kind_names().begin(), request_kind_names().end()}),
        false, "only this kind"});
    l.params.push_back(Param{"org", "query", str_schema(), false, "managing organization id"});
    l.params.push_back(Param{"batch", "query", id_param_schema, false, "batch id"});
    l.response_schema = page_schema(request_schema());
    l.handler = list;
    t.add(l);

    Route g;
    g.method = Method::get;
    g.path = "/api/v1/requests/{id}";
    g.roles = kAllRoles;
    g.tag = "requests";
    g.summary = "One request with its transitions; ETag for If-Match";
    g.params = {Param{"id", "path", id_param_schema, true, "request id"}};
    g.response_schema = request_schema();
    g.example_path = {{"id", "1"}};
    g.handler = get_one;
    t.add(g);

    Route a;
    a.method = Method::post;
    a.path = "/api/v1/requests";
    a.roles = kPreparers;
    a.changes_state = true;
    a.tag = "requests";
    a.summary = "A request made by hand (renew, revoke, device restore, ...)";
    a.request_schema = object_schema(
        {{"kind", enum_schema({request_kind_names().begin(), request_kind_names().end()})},
         {"certificate", str_schema()},
         {"holder_type", enum_schema({"person", "org"})},
         {"holder_id", str_schema()},
         {"device_id", str_schema()},
         {"managing_org_id", str_schema()},
         {"revocation_reason", str_schema()}},
        {"kind"});
    a.response_schema = request_schema();
    a.success_status = 201;
    a.example_body = {{"kind", "renew"}, {"certificate", "01"}};
    a.handler = add;
    t.add(a);

    Route fp;
    fp.method = Method::post;
    fp.path = "/api/v1/requests/from-plan";
    fp.roles = kPreparers;
    fp.changes_state = true;
    fp.tag = "requests";
    fp.summary = "Requests from the reorganization plan, in the user's subtree";
    fp.response_schema = object_schema({{"planned", int_schema()},
                                        {"created", int_schema()},
                                        {"reviews", int_schema()},
                                        {"unplaced", int_schema()},
                                        {"out_of_scope", int_schema()}},
                                       {"planned", "created"});
    fp.handler = from_plan;
    t.add(fp);

    Route v;
    v.method = Method::post;
    v.path = "/api/v1/requests/validate";
    v.roles = {Role::unit_officer, Role::unit_head};
    v.changes_state = true;
    v.tag = "requests";
    v.summary = "Validate drafts (all drafts in scope when ids is empty)";
    v.request_schema =
        object_schema({{"ids", {{"type", "array"}, {"items", id_param_schema}}}}, {});
    v.response_schema = object_schema(
        {{"validated", {{"type", "array"}, {"items", int_schema()}}},
         {"blocked",
          {{"type", "array"},
           {"items",
            object_schema({{"id", int_schema()}, {"reason", str_schema()}}, {"id", "reason"})}}}},
        {"validated", "blocked"});
    v.example_body = json::object();
    v.handler = validate;
    t.add(v);

    for (const Step& s : steps()) {
        const RequestState to = s.to;
        Route one;
        one.method = Method::post;
        one.path = std::string("/api/v1/requests/{id}/") + s.action;
        one.roles = s.roles;
        one.changes_state = true;
        one.tag = "requests";
        one.summary =
            std::string(s.summary) + "; If-Match with the request's ETag (412 when it moved)";
        one.params = {Param{"id", "path", id_param_schema, true, "request id"},
                      Param{"If-Match", "header", str_schema(), false, "the ETag read"}};
        one.request_schema =
            object_schema({{"comment", str_schema()}}, to == RequestState::rejected
                                                           ? std::vector<std::string>{"comment"}
                                                           : std::vector<std::string>{});
        one.response_schema = request_schema();
        one.example_path = {{"id", "1"}};
        one.example_body = {{"comment", "x"}};
        one.handler = [to](Context& ctx) { return move_one(ctx, to); };
        t.add(one);

        Route bulk;
        bulk.method = Method::post;
        bulk.path = std::string("/api/v1/requests/bulk/") + s.action;
        bulk.roles = s.roles;
        bulk.changes_state = true;
        bulk.tag = "requests";
        bulk.summary = std::string(s.summary) + ", many at once: all are checked, then all move";
        bulk.request_schema = object_schema(
            {{"ids", {{"type", "array"}, {"items", id_param_schema}, {"minItems", 1}}},
             {"comment", str_schema()}},
            to == RequestState::rejected ? std::vector<std::string>{"ids", "comment"}
                                         : std::vector<std::string>{"ids"});
        bulk.response_schema =
            object_schema({{"items", {{"type", "array"}, {"items", request_schema()}}}}, {"items"});
        bulk.example_body = {{"ids", {1}}, {"comment", "x"}};
        bulk.handler = [to](Context& ctx) { return move_bulk(ctx, to); };
        t.add(bulk);
    }
}

}  // namespace kyso::server

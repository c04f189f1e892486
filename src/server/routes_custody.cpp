// kyso server — device custody: the hand-over records (list), a hand-over (holder →
// organization → DoST → national CA, workflow::handover as `kyso custody handover` without the
// printed record), and the devices overdue. Records are shown in the user's subtree (the
// managing organization of the request they belong to).
#include "core/date.h"
#include "server/fields.h"
#include "server/records.h"
#include "server/routes.h"
#include "server/scope.h"
#include "workflow/custody.h"

namespace kyso::server {

namespace {

using nlohmann::json;

const std::vector<std::string> kSortKeys = {"device", "handed_on", "id"};

// Records are in the subtree of their request's managing organization (store CustodyQuery).
Response list(Context& ctx) {
    store::CustodyQuery q;
    if (auto ok = read_list_query(ctx, q); !ok) return ctx.fail(ok.error());
    q.device_id = ctx.query_value("device").value_or("");
    if (auto s = ctx.query_value("step")) {
        q.step = store::parse_custody_step(*s);
        if (!q.step)
            return ctx.fail(400, "server.query_value",
                            {"step", *s, "to_organization, to_dost, to_ca"}, "step");
    }
    auto page = ctx.stores.workflow->list_custody(q);
    if (!page) return ctx.fail(page.error());
    return Response::json(list_page_body(*page, custody_json));
}

Response handover(Context& ctx) {
    if (auto ok =
            only_fields(ctx.body, {"devices", "step", "handed_by", "handed_by_title", "received_by",
                                   "received_by_title", "on", "document", "dost_org_id"});
        !ok)
        return ctx.fail(ok.error());
    workflow::Handover h;
    if (!ctx.body.contains("devices") || !ctx.body["devices"].is_array() ||
        ctx.body["devices"].empty() || ctx.body["devices"].size() > 10000)
        return ctx.fail(400, "server.field_missing", {"devices"}, "devices");
    for (const auto& d : ctx.body["devices"]) {
        if (!d.is_string() || d.get<std::string>().empty())
            return ctx.fail(400, "server.field_type", {"devices", "[\"…\"]"}, "devices");
        h.devices.push_back(d.get<std::string>());
    }
    auto step = string_field(ctx.body, "step", true, 32);
    if (!step) return ctx.fail(step.error());
    const auto s = store::parse_custody_step(*step);
    if (!s)
        return ctx.fail(400, "server.field_value",
                        {"step", *step, "to_organization, to_dost, to_ca"}, "step");
    h.step = *s;
    for (auto [name, into] : {std::pair<const char*, std::string*>{"handed_by", &h.handed_by},
                              {"handed_by_title", &h.handed_by_title},
                              {"received_by", &h.received_by},
                              {"received_by_title", &h.received_by_title},
                              {"document", &h.document},
                              {"dost_org_id", &h.dost_org_id}}) {
        auto v = string_field(ctx.body, name, false, 200);
        if (!v) return ctx.fail(v.error());
        *into = *v;
    }
    auto on = string_field(ctx.body, "on", false, 10);
    if (!on) return ctx.fail(on.error());
    if (!on->empty()) {
        auto d = Date::parse(*on);
        if (!d) return ctx.fail(400, "check.date_format", {*on}, "on");
        h.on = *d;
    }
    auto ids = workflow::handover(*ctx.stores.registry, *ctx.stores.workflow, ctx.user(), h,
                                  ctx.templates_dir, "");
    if (!ids)
        return ctx.fail(ids.error(), 0,
                        ids.error().code.rfind("custody.", 0) == 0 ? "devices" : "");
    return Response::json({{"ids", *ids}}, 201);
}

Response overdue(Context& ctx) {
    int days = 30;
    if (auto v = ctx.query_value("days")) {
        try {
            std::size_t used = 0;
            days = std::stoi(*v, &used);
            if (used != v->size() || days < 0 || days > 3650) throw std::out_of_range("days");
        } catch (const std::exception&) {
            return ctx.fail(400, "server.page_bounds", {"days", "0", "3650"}, "days");
        }
    }
    auto ds = workflow::overdue_devices(*ctx.stores.registry, *ctx.stores.workflow, days);
    if (!ds) return ctx.fail(ds.error());
    ScopeCheck scope(ctx);
    json items = json::array();
    for (const auto& d : *ds) {
        auto sees = scope.sees(d.managing_org);
        if (!sees) return ctx.fail(sees.error());
        if (!*sees) continue;
        items.push_back({{"device_id", d.device_id},
                         {"holder", d.holder},
                         {"managing_org", d.managing_org},
                         {"revoked_on", d.revoked_on},
                         {"days", d.days},
                         {"last_step", d.last_step}});
    }
    return Response::json({{"items", items}});
}

}  // namespace

void add_custody_routes(RouteTable& t) {
    const std::vector<Role> readers = {Role::unit_officer, Role::unit_head, Role::dost_operator,
                                       Role::ca_operator, Role::auditor};
    Route l;
    l.method = Method::get;
    l.path = "/api/v1/custody";
    l.roles = readers;
    l.tag = "custody";
    l.summary = "Hand-over records of returned devices, by page";
    l.params = list_query_params(kSortKeys);
    l.params.push_back(Param{"device", "query", str_schema(), false, "one device's records"});
    l.params.push_back(Param{"step", "query", enum_schema({"to_organization", "to_dost", "to_ca"}),
                             false, "one step of the hand-over"});
    l.response_schema = page_schema(custody_schema());
    l.handler = list;
    t.add(l);

    Route h;
    h.method = Method::post;
    h.path = "/api/v1/custody/handover";
    h.roles = {Role::unit_officer, Role::unit_head, Role::dost_operator, Role::ca_operator};
    h.changes_state = true;
    h.tag = "custody";
    h.summary = "Record devices handed over one step (organization, DoST, national CA)";
    h.request_schema =
        object_schema({{"devices", {{"type", "array"}, {"items", str_schema()}, {"minItems", 1}}},
                       {"step", enum_schema({"to_organization", "to_dost", "to_ca"})},
                       {"handed_by", str_schema()},
                       {"handed_by_title", str_schema()},
                       {"received_by", str_schema()},
                       {"received_by_title", str_schema()},
                       {"on", {{"type", "string"}, {"format", "date"}}},
                       {"document", str_schema()},
                       {"dost_org_id", str_schema()}},
                      {"devices", "step"});
    h.response_schema =
        object_schema({{"ids", {{"type", "array"}, {"items", int_schema()}}}}, {"ids"});
    h.success_status = 201;
    h.example_body = {{"devices", {"x"}}, {"step", "to_organization"}};
    h.handler = handover;
    t.add(h);

    Route o;
    o.method = Method::get;
    o.path = "/api/v1/custody/overdue";
    o.roles = readers;
    o.tag = "custody";
    o.summary = "Devices whose certificates were revoked days ago but not back at the CA";
    o.params = {Param{"days", "query", {{"type", "integer"}, {"minimum", 0}}, false, "default 30"}};
    o.response_schema = object_schema({{"items",
                                        {{"type", "array"},
                                         {"items", object_schema({{"device_id", str_schema()},
                                                                  {"holder", str_schema()},
                                                                  {"managing_org", str_schema()},
                                                                  {"revoked_on", str_schema()},
                                                                  {"days", int_schema()},
                                                                  {"last_step", str_schema()}},
                                                                 {"device_id", "days"})}}}},
                                      {"items"});
    o.handler = overdue;
    t.add(o);
}

}  // namespace kyso::server

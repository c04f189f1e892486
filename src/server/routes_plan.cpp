// kyso server — the reorganization plan as of a day (FORMATS.md §3, JSON) and the data check
// (FORMATS.md §5 findings, JSON), computed as `kyso plan` and `kyso check --db` compute them.
// Synchronous for now: h/query moves long work into background jobs.
#include <optional>

#include "core/date.h"
#include "reorg/plan.h"
#include "reorg/plan_json.h"
#include "reorg/replay.h"
#include "server/fields.h"
#include "server/records.h"
#include "server/routes.h"
#include "store/registered_state.h"
#include "workflow/check.h"
#include "workflow/findings.h"

namespace kyso::server {

namespace {

using nlohmann::json;

// Who sees the whole province's plan and findings.
const std::vector<Role> kProvinceView = {Role::dost_operator, Role::ca_operator, Role::auditor};

Response plan(Context& ctx) {
    std::optional<Date> as_of;
    if (auto v = ctx.query_value("as_of")) {
        as_of = Date::parse(*v);
        if (!as_of) return ctx.fail(400, "check.date_format", {*v}, "as_of");
    }
    if (auto f = ctx.query_value("format"); f && *f != "json")
        return ctx.fail(400, "server.query_value", {"format", *f, "json"}, "format");
    auto state = store::load_registered_state(*ctx.stores.registry);
    if (!state) return ctx.fail(state.error());
    auto replayed = reorg::replay(state->registry, state->events,
                                  as_of.value_or(reorg::default_as_of(state->events)));
    if (!replayed) return ctx.fail(replayed.error());
    std::optional<reorg::Plan> p = reorg::derive_plan(state->registry, *replayed);
    Response r;
    r.bytes = reorg::plan_to_json(*p);
    r.content_type = "application/json";
    return r;
}

Response check(Context& ctx) {
    workflow::TempDir temp;
    if (temp.path().empty()) return ctx.fail(500, "server.internal", {ctx.request_id});
    auto findings = workflow::check_store(*ctx.stores.registry, temp.path());
    if (!findings) return ctx.fail(findings.error());
    Response r;
    r.bytes = workflow::findings_to_json(*findings);
    r.content_type = "application/json";
    return r;
}

}  // namespace

void add_plan_routes(RouteTable& t) {
    Route p;
    p.method = Method::get;
    p.path = "/api/v1/plan";
    p.roles = kProvinceView;
    p.tag = "plan";
    p.summary = "The reorganization plan as of a day (FORMATS.md §3)";
    p.params = {Param{"as_of",
                      "query",
                      {{"type", "string"}, {"format", "date"}},
                      false,
                      "YYYY-MM-DD (default: the last event's effective date)"},
                Param{"format", "query", enum_schema({"json"}), false, "json (CSV/XLSX later)"}};
    p.response_schema = {{"type", "object"}, {"required", {"as_of"}}};
    p.handler = plan;
    t.add(p);

    Route c;
    c.method = Method::get;
    c.path = "/api/v1/check";
    c.roles = kProvinceView;
    c.tag = "plan";
    c.summary = "Findings of the data check over the database (FORMATS.md §5)";
    c.response_schema = {{"type", "object"}};
    c.handler = check;
    t.add(c);
}

}  // namespace kyso::server

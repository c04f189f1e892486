// kyso server — the reorganization plan as of a day (FORMATS.md §3 as JSON; the list for people
// as CSV or XLSX, workflow/plan_table.h) and the data check (FORMATS.md §5 findings, JSON),
// computed as `kyso plan --db` and `kyso check --db` compute them.
#include <fstream>
#include <iterator>
#include <optional>

#include "checks/check.h"
#include "checks/findings.h"
#include "core/date.h"
#include "core/messages.h"
#include "docs/table.h"
#include "reorg/plan.h"
#include "reorg/plan_json.h"
#include "reorg/replay.h"
#include "server/fields.h"
#include "server/records.h"
#include "server/routes.h"
#include "server/scope.h"
#include "store/registered_state.h"
#include "workflow/plan_table.h"

namespace kyso::server {

namespace {

using nlohmann::json;

// Who sees the whole province's plan and findings.
const std::vector<Role> kProvinceView = {Role::dost_operator, Role::ca_operator, Role::auditor};

constexpr const char* kCsv = "text/csv";
constexpr const char* kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// The format asked for: ?format= (json, csv, xlsx) wins; else the first of the Accept header's
// media types kyso serves; else JSON. An unknown ?format= is a 400 naming it.
std::optional<std::string> plan_format(const Context& ctx, Response& refusal) {
    if (auto f = ctx.query_value("format")) {
        if (*f == "json" || *f == "csv" || *f == "xlsx") return *f;
        refusal = ctx.fail(400, "server.query_value", {"format", *f, "json, csv, xlsx"}, "format");
        return std::nullopt;
    }
    const std::string accept = ctx.header("accept").value_or("");
    std::size_t start = 0;
    while (start < accept.size()) {
        const std::size_t comma = std::min(accept.find(',', start), accept.size());
        std::string media = accept.substr(start, comma - start);
        media = media.substr(0, media.find(';'));
        media.erase(0, media.find_first_not_of(' '));
        media.erase(media.find_last_not_of(' ') + 1);
        if (media == "application/json") return std::string("json");
        if (media == kCsv) return std::string("csv");
        if (media == kXlsx) return std::string("xlsx");
        start = comma + 1;
    }
    return std::string("json");
}

// The table written by docs::write_csv / write_xlsx, as bytes.
Result<std::string> table_bytes(const docs::Table& table, const std::string& format) {
    checks::TempDir temp;
    if (temp.path().empty()) return make_error("job.temp_dir", Location{}, {});
    const std::string path = temp.path() + "/plan." + format;
    Status written = format == "csv" ? docs::write_csv(table, path) : docs::write_xlsx(table, path);
    if (!written) return written.error();
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

Response plan(Context& ctx) {
    if (auto refused = require_whole_register(ctx, "plan")) return *refused;
    std::optional<Date> as_of;
    if (auto v = ctx.query_value("as_of")) {
        as_of = Date::parse(*v);
        if (!as_of) return ctx.fail(400, "check.date_format", {*v}, "as_of");
    }
    Response refusal;
    const auto format = plan_format(ctx, refusal);
    if (!format) return refusal;
    auto state = store::load_registered_state(*ctx.stores.registry);
    if (!state) return ctx.fail(state.error());
    auto replayed = reorg::replay(state->registry, state->events,
                                  as_of.value_or(reorg::default_as_of(state->events)));
    if (!replayed) return ctx.fail(replayed.error());
    std::optional<reorg::Plan> p = reorg::derive_plan(state->registry, *replayed);
    Response r;
    if (*format == "json") {
        r.bytes = reorg::plan_to_json(*p);
        r.content_type = "application/json";
        return r;
    }
    auto bytes =
        table_bytes(workflow::plan_table(state->registry, *replayed, *p, ctx.english), *format);
    if (!bytes) return ctx.fail(bytes.error());
    r.bytes = std::move(*bytes);
    r.content_type = *format == "csv" ? "text/csv; charset=utf-8" : kXlsx;
    r.headers["Content-Disposition"] =
        "attachment; filename=\"plan-" + p->as_of.str() + "." + *format + "\"";
    return r;
}

Response check(Context& ctx) {
    if (auto refused = require_whole_register(ctx, "check")) return *refused;
    checks::TempDir temp;
    if (temp.path().empty()) return ctx.fail(500, "server.internal", {ctx.request_id});
    auto findings = checks::check_store(*ctx.stores.registry, temp.path());
    if (!findings) return ctx.fail(findings.error());
    Response r;
    r.bytes = checks::findings_to_json(*findings);
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
                Param{"format", "query", enum_schema({"json", "csv", "xlsx"}), false,
                      "json (FORMATS.md §3), or the list for people as csv or xlsx; without it, "
                      "the Accept header chooses (default json)"}};
    p.response_schema = {{"type", "object"}, {"required", {"as_of"}}};
    p.response_media = std::string("application/json,") + kCsv + "," + kXlsx;
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

// kyso server — reorganization events (FORMATS.md §2) as `kyso events` handles them: the stored
// events with whether each is applied; decisions added (the same checks as `kyso events add`
// and `import --bundle`: intake/event_intake.h), validated without storing, and the pending
// ones applied (intake/event_apply.h). Writes are audited under the signed-in user.
#include <fstream>
#include <optional>
#include <string>
#include <unordered_set>

#include "bundle/events_json.h"
#include "checks/check.h"
#include "core/date.h"
#include "intake/event_apply.h"
#include "intake/event_intake.h"
#include "intake/events_sheet.h"
#include "server/errors.h"
#include "server/fields.h"
#include "server/records.h"
#include "server/routes.h"
#include "server/uploads.h"
#include "store/store.h"

namespace kyso::server {

namespace {

using nlohmann::json;

// Who changes the register (as `kyso events add|apply`: cli/session.h register_writer).
const std::vector<Role> kRegisterWriters = {Role::dost_operator, Role::admin};

// The most events one request may carry.
constexpr std::size_t kMaxEvents = 1000;

json event_json(const ReorgEvent& e, bool applied) {
    json j = json::parse(bundle::event_to_json(e));
    j["applied"] = applied;
    return j;
}

json event_schema() {
    return {{"type", "object"},
            {"properties",
             {{"id", str_schema()},
              {"type", enum_schema({"merge", "create", "rename", "change_superior",
                                    "merge_province", "dissolve", "transfer", "person_leaves"})},
              {"effective_date", {{"type", "string"}, {"format", "date"}}},
              {"legal_basis", str_schema()},
              {"applied", bool_schema()}}},
            {"required", {"id", "type", "effective_date"}}};
}

Response list_events(Context& ctx) {
    auto page = page_of(ctx);
    if (!page) return ctx.fail(page.error());
    std::optional<bool> applied_only;
    if (auto v = ctx.query_value("applied")) {
        if (*v != "true" && *v != "false")
            return ctx.fail(400, "server.query_value", {"applied", *v, "true, false"}, "applied");
        applied_only = *v == "true";
    }
    auto events = ctx.stores.registry->load_events();
    if (!events) return ctx.fail(events.error());
    auto applied_ids = ctx.stores.registry->applied_event_ids();
    if (!applied_ids) return ctx.fail(applied_ids.error());
    const std::unordered_set<std::string> applied(applied_ids->begin(), applied_ids->end());
    json all = json::array();
    for (const ReorgEvent& e : *events) {
        const bool done = applied.count(e.id) > 0;
        if (applied_only && *applied_only != done) continue;
        all.push_back(event_json(e, done));
    }
    return Response::json(page_body(all, *page));
}

// The field of an event error: "events[i].member" for the event it names in `body`.
std::string event_field(const json& body, const Error& e) {
    std::string field = "events";
    const json& list = body.value("events", json::array());
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (list[i].is_object() && list[i].value("id", std::string()) == e.where.id) {
            field += "[" + std::to_string(i) + "]";
            break;
        }
    }
    if (!e.where.field.empty()) field += "." + e.where.field;
    return field;
}

// The events of the body {"events": [events.json events]} read as events.json is read
// (bundle::parse_events_json); an event without "id" gets a fresh one (E00001…, as `kyso events
// add`). On error the response (400 naming "events[i].member") is in `refusal`.
std::optional<std::vector<ReorgEvent>> body_events(Context& ctx, Response& refusal) {
    if (auto ok = only_fields(ctx.body, {"events"}); !ok) {
        refusal = ctx.fail(ok.error());
        return std::nullopt;
    }
    if (!ctx.body.contains("events") || ctx.body["events"].is_null()) {
        refusal = ctx.fail(400, "server.field_missing", {"events"}, "events");
        return std::nullopt;
    }
    json list = ctx.body["events"];
    if (!list.is_array()) {
        refusal = ctx.fail(400, "server.field_type", {"events", "array"}, "events");
        return std::nullopt;
    }
    if (list.empty()) {
        refusal = ctx.fail(400, "server.list_empty", {"events"}, "events");
        return std::nullopt;
    }
    if (list.size() > kMaxEvents) {
        refusal = ctx.fail(
            400, "server.field_value",
            {"events", std::to_string(list.size()), "1.." + std::to_string(kMaxEvents)}, "events");
        return std::nullopt;
    }
    auto stored = ctx.stores.registry->load_events();
    if (!stored) {
        refusal = ctx.fail(stored.error());
        return std::nullopt;
    }
    std::unordered_set<std::string> used;
    for (const ReorgEvent& e : *stored) used.insert(e.id);
    for (const json& e : list)
        if (e.is_object() && e.contains("id") && e["id"].is_string())
            used.insert(e["id"].get<std::string>());
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (!list[i].is_object()) {
            refusal =
                ctx.fail(400, "server.field_type", {"events[" + std::to_string(i) + "]", "object"},
                         "events[" + std::to_string(i) + "]");
            return std::nullopt;
        }
        if (!list[i].contains("id")) list[i]["id"] = intake::next_event_id(used);
    }
    ctx.body["events"] = list;  // with the ids given, so that errors find their event
    auto events = bundle::parse_events_json(json{{"events", list}}.dump(), "events");
    if (!events) {
        refusal = ctx.fail(events.error(), 400, event_field(ctx.body, events.error()));
        return std::nullopt;
    }
    return std::move(*events);
}

Response add_events(Context& ctx) {
    Response refusal;
    auto events = body_events(ctx, refusal);
    if (!events) return refusal;
    auto added = intake::add_events(*ctx.stores.registry, ctx.user(), ctx.user().username,
                                    std::move(*events), "api:events");
    if (!added) return ctx.fail(added.error(), 0, event_field(ctx.body, added.error()));
    return Response::json(
        {{"added", added->added}, {"unchanged", added->unchanged}, {"ids", added->ids}});
}

// `kyso events import`: a decisions sheet (.xlsx or .csv, docs/events.md) uploaded as
// {"file": {"name", "content_base64"}}, each row an event; every row read well and the events
// stored as POST /api/v1/events stores them, or nothing (the first wrong row's error, naming its
// row and column, with field "file").
Response import_events(Context& ctx) {
    if (auto ok = only_fields(ctx.body, {"file"}); !ok) return ctx.fail(ok.error());
    if (!ctx.body.contains("file") || ctx.body["file"].is_null())
        return ctx.fail(400, "server.field_missing", {"file"}, "file");
    std::vector<store::JobFile> files;
    if (auto refused = read_files(ctx, json::array({ctx.body["file"]}), "file", "", files))
        return *refused;
    const std::string& name = files.front().name;
    const auto dot = name.rfind('.');
    const std::string ext = dot == std::string::npos ? std::string() : name.substr(dot + 1);
    if (ext != "xlsx" && ext != "csv" && ext != "XLSX" && ext != "CSV")
        return ctx.fail(400, "server.field_value", {"file", name, ".xlsx, .csv"}, "file");
    checks::TempDir temp;
    if (temp.path().empty()) return ctx.fail(500, "server.internal", {ctx.request_id});
    const std::string path = temp.path() + "/" + name.substr(name.rfind('/') + 1);
    {
        std::ofstream out(path, std::ios::binary);
        out.write(files.front().content.data(),
                  static_cast<std::streamsize>(files.front().content.size()));
        if (!out) return ctx.fail(500, "server.internal", {ctx.request_id});
    }
    auto stored = ctx.stores.registry->load_events();
    if (!stored) return ctx.fail(stored.error());
    std::unordered_set<std::string> used;
    for (const ReorgEvent& e : *stored) used.insert(e.id);
    auto sheet = intake::read_events_sheet(path, used);
    if (!sheet) return ctx.fail(sheet.error(), 400, "file");
    if (!sheet->errors.empty()) return ctx.fail(sheet->errors.front(), 400, "file");
    std::vector<ReorgEvent> events;
    for (const auto& r : sheet->rows) events.push_back(r.event);
    auto added = intake::add_events(*ctx.stores.registry, ctx.user(), ctx.user().username,
                                    std::move(events), "api:events import:" + name);
    if (!added) return ctx.fail(intake::locate_sheet_error(*sheet, added.error()), 0, "file");
    json rows = json::array();
    for (std::size_t i = 0; i < sheet->rows.size(); ++i)
        rows.push_back({{"row", sheet->rows[i].row}, {"id", added->ids[i]}});
    return Response::json({{"added", added->added},
                           {"unchanged", added->unchanged},
                           {"ids", added->ids},
                           {"rows", rows}});
}

Response validate_events(Context& ctx) {
    Response refusal;
    auto events = body_events(ctx, refusal);
    if (!events) return refusal;
    auto checked = intake::check_events(*ctx.stores.registry, ctx.user(), std::move(*events));
    if (!checked) {
        const Error& e = checked.error();
        // A refusal of who asks (scope) or of the database is not a verdict on the events.
        const int status = status_of(e);
        if (status == 403 || status >= 500) return ctx.fail(e);
        return Response::json({{"valid", false},
                               {"added", 0},
                               {"unchanged", 0},
                               {"ids", json::array()},
                               {"error",
                                {{"code", e.code},
                                 {"message", ctx.english ? e.message_en : e.message},
                                 {"field", event_field(ctx.body, e)},
                                 {"event", e.where.id}}}});
    }
    return Response::json({{"valid", true},
                           {"added", checked->added},
                           {"unchanged", checked->unchanged},
                           {"ids", checked->ids},
                           {"error", nullptr}});
}

Response apply_events(Context& ctx) {
    const json body = ctx.body.is_object() ? ctx.body : json::object();
    if (auto ok = only_fields(body, {"as_of"}); !ok) return ctx.fail(ok.error());
    auto text = string_field(body, "as_of", false, 10);
    if (!text) return ctx.fail(text.error());
    std::optional<Date> as_of;
    if (!text->empty()) {
        as_of = Date::parse(*text);
        if (!as_of)
            return ctx.fail(400, "server.field_value", {"as_of", *text, "YYYY-MM-DD"}, "as_of");
    }
    auto r =
        intake::apply_pending_events(*ctx.stores.registry, ctx.user(), ctx.user().username, as_of);
    if (!r) return ctx.fail(r.error());
    return Response::json({{"as_of", r->as_of.str()},
                           {"applied", r->ids},
                           {"already_applied", r->already_applied},
                           {"later", r->later},
                           {"changed", r->changed},
                           {"created", r->created},
                           {"ceased", r->ceased},
                           {"people", r->people}});
}

json ids_schema() {
    return {{"type", "array"}, {"items", str_schema()}};
}

}  // namespace

void add_events_routes(RouteTable& t) {
    const json body_schema = object_schema(
        {{"events", {{"type", "array"}, {"minItems", 1}, {"items", {{"type", "object"}}}}}},
        {"events"});
    const json example = {{"events", json::array({{{"type", "rename"},
                                                   {"effective_date", "2025-07-01"},
                                                   {"legal_basis", "Quyết định số 1/QĐ-UBND"},
                                                   {"org", "x"},
                                                   {"name", "Tên mới"}}})}};

    Route l;
    l.method = Method::get;
    l.path = "/api/v1/events";
    l.roles = kAllRoles;
    l.tag = "events";
    l.summary =
        "The stored reorganization events (FORMATS.md §2) by effective date, each with "
        "whether it is applied (`kyso events list`)";
    l.params = page_params();
    l.params.push_back(Param{"applied", "query", enum_schema({"true", "false"}), false,
                             "only applied (true) or pending (false) events"});
    l.response_schema = page_schema(event_schema());
    l.handler = list_events;
    t.add(l);

    Route a;
    a.method = Method::post;
    a.path = "/api/v1/events";
    a.roles = kRegisterWriters;
    a.changes_state = true;
    a.tag = "events";
    a.summary =
        "Store decisions as pending events (`kyso events add`): checked as the plan "
        "checks them; `added` new, `unchanged` already stored (the same decision)";
    a.request_schema = body_schema;
    a.response_schema =
        object_schema({{"added", int_schema()}, {"unchanged", int_schema()}, {"ids", ids_schema()}},
                      {"added", "unchanged", "ids"});
    a.example_body = example;
    a.handler = add_events;
    t.add(a);

    Route im;
    im.method = Method::post;
    im.path = "/api/v1/events/import";
    im.roles = kRegisterWriters;
    im.changes_state = true;
    im.tag = "events";
    im.summary =
        "Store the decisions of a spreadsheet (.xlsx or .csv, one per row; `kyso events "
        "import`): all or none, a wrong row named with its column";
    im.body_limit = std::size_t{64} << 20;
    im.request_schema = object_schema({{"file", upload_schema()}}, {"file"});
    im.response_schema = object_schema(
        {{"added", int_schema()},
         {"unchanged", int_schema()},
         {"ids", ids_schema()},
         {"rows",
          {{"type", "array"},
           {"items",
            object_schema({{"row", int_schema()}, {"id", str_schema()}}, {"row", "id"})}}}},
        {"added", "unchanged", "ids", "rows"});
    im.example_body = {{"file", {{"name", "quyet-dinh.csv"}, {"content_base64", "aWQK"}}}};
    im.handler = import_events;
    t.add(im);

    Route v;
    v.method = Method::post;
    v.path = "/api/v1/events/validate";
    v.roles = kRegisterWriters;
    v.changes_state = true;  // a POST; it writes nothing
    v.tag = "events";
    v.summary =
        "Check decisions as POST /api/v1/events would, storing nothing: valid, or the "
        "error naming the event and its member";
    v.request_schema = body_schema;
    v.response_schema =
        object_schema({{"valid", bool_schema()},
                       {"added", int_schema()},
                       {"unchanged", int_schema()},
                       {"ids", ids_schema()},
                       {"error",
                        {{"oneOf", json::array({{{"type", "null"}},
                                                object_schema({{"code", str_schema()},
                                                               {"message", str_schema()},
                                                               {"field", str_schema()},
                                                               {"event", str_schema()}},
                                                              {"code", "message"})})}}}},
                      {"valid", "error"});
    v.example_body = example;
    v.handler = validate_events;
    t.add(v);

    Route p;
    p.method = Method::post;
    p.path = "/api/v1/events/apply";
    p.roles = kRegisterWriters;
    p.changes_state = true;
    p.tag = "events";
    p.summary =
        "Apply the pending events effective on or before as_of to the registry "
        "(`kyso events apply`), in one audited transaction";
    p.request_schema = object_schema({{"as_of", {{"type", "string"}, {"format", "date"}}}}, {});
    p.response_schema = object_schema({{"as_of", str_schema()},
                                       {"applied", ids_schema()},
                                       {"already_applied", int_schema()},
                                       {"later", int_schema()},
                                       {"changed", int_schema()},
                                       {"created", int_schema()},
                                       {"ceased", int_schema()},
                                       {"people", int_schema()}},
                                      {"as_of", "applied"});
    p.example_body = json::object();
    p.handler = apply_events;
    t.add(p);
}

}  // namespace kyso::server

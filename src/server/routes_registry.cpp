// kyso server — the registry read side: lists of organizations, people, certificates and
// devices (filters, search without tone marks, sorting, pages, the user's subtree — all in the
// database through store::RegistryQuery), one record with its ETag, an organization's history.
#include <string>

#include "core/messages.h"
#include "server/fields.h"
#include "server/records.h"
#include "server/registry_api.h"
#include "server/routes.h"
#include "store/job_store.h"
#include "store/record_json.h"

namespace kyso::server {

namespace {

using nlohmann::json;

json nullable_str() {
    return {{"type", json::array({"string", "null"})}};
}

json holder_schema() {
    return {{"oneOf", json::array({{{"type", "null"}},
                                   object_schema({{"type", enum_schema({"person", "org"})},
                                                  {"id", str_schema()}},
                                                 {"type", "id"})})}};
}

std::optional<Response> bad_value(Context& ctx, const std::string& name, const std::string& value,
                                  const std::string& allowed) {
    return ctx.fail(400, "server.query_value", {name, value, allowed}, name);
}

// The query flag `name` ("true" or "false") into `into` when given; a 400 naming it otherwise.
std::optional<Response> query_flag(Context& ctx, const std::string& name, bool& into) {
    auto v = ctx.query_value(name);
    if (!v) return std::nullopt;
    if (*v != "true" && *v != "false") return bad_value(ctx, name, *v, "true, false");
    into = *v == "true";
    return std::nullopt;
}

Response list_organizations(Context& ctx) {
    store::OrganizationQuery q;
    if (auto r = read_list_query(ctx, q)) return *r;
    if (auto s = ctx.query_value("status")) {
        if (*s != "active" && *s != "ceased")
            return *bad_value(ctx, "status", *s, "active, ceased");
        q.ceased = *s == "ceased";
    }
    if (auto k = ctx.query_value("kind")) {
        q.kind = parse_org_kind(*k);
        if (!q.kind || k->empty())
            return *bad_value(ctx, "kind", *k,
                              "people_committee, department, office, public_unit, other");
    }
    if (auto s = ctx.query_value("superior")) q.superior_id = *s;
    auto page = ctx.stores.query->organizations(q);
    if (!page) return ctx.fail(page.error());
    return Response::json(
        page_json(*page, [](const Organization& o) { return json(store::to_json(o)); }));
}

Response list_people(Context& ctx) {
    store::PersonQuery q;
    if (auto r = read_list_query(ctx, q)) return *r;
    if (auto o = ctx.query_value("org_id")) q.org_id = *o;
    if (auto r = query_flag(ctx, "unassigned", q.unassigned)) return *r;
    auto page = ctx.stores.query->people(q);
    if (!page) return ctx.fail(page.error());
    return Response::json(
        page_json(*page, [](const Person& p) { return json(store::to_json(p)); }));
}

Response list_certificates(Context& ctx) {
    store::CertificateQuery q;
    if (auto r = read_list_query(ctx, q)) return *r;
    if (auto s = ctx.query_value("status")) {
        q.status = parse_cert_status(*s);
        if (!q.status) return *bad_value(ctx, "status", *s, "valid, revoked");
    }
    if (auto h = ctx.query_value("holder_type")) {
        q.holder_type = parse_holder_type(*h);
        if (!q.holder_type) return *bad_value(ctx, "holder_type", *h, "person, org");
    }
    if (auto h = ctx.query_value("holder_id")) q.holder_id = *h;
    if (auto d = ctx.query_value("device_id")) q.device_id = *d;
    if (auto r = query_flag(ctx, "unlinked", q.unlinked)) return *r;
    if (auto e = ctx.query_value("expiring_before")) {
        q.expiring_before = Date::parse(*e);
        if (!q.expiring_before) return *bad_value(ctx, "expiring_before", *e, "YYYY-MM-DD");
    }
    auto page = ctx.stores.query->certificates(q);
    if (!page) return ctx.fail(page.error());
    return Response::json(
        page_json(*page, [](const Certificate& c) { return json(store::to_json(c)); }));
}

Response list_devices(Context& ctx) {
    store::DeviceQuery q;
    if (auto r = read_list_query(ctx, q)) return *r;
    if (auto k = ctx.query_value("kind")) {
        q.kind = parse_device_kind(*k);
        if (!q.kind) return *bad_value(ctx, "kind", *k, "usb_token, pki_sim, hsm");
    }
    if (auto h = ctx.query_value("holder_type")) {
        q.holder_type = parse_holder_type(*h);
        if (!q.holder_type) return *bad_value(ctx, "holder_type", *h, "person, org");
    }
    if (auto h = ctx.query_value("holder_id")) q.holder_id = *h;
    auto page = ctx.stores.query->devices(q);
    if (!page) return ctx.fail(page.error());
    return Response::json(
        page_json(*page, [](const Device& d) { return json(store::to_json(d)); }));
}

template <typename T>
Response with_etag(const store::Versioned<T>& v, json body) {
    Response out = Response::json(std::move(body));
    out.headers["ETag"] = quoted_etag(v.etag);
    return out;
}

Response get_organization(Context& ctx) {
    const std::string& id = ctx.path("id");
    if (auto r = check_record_scope(ctx, store::RecordKind::organization, id)) return *r;
    auto v = ctx.stores.query->organization(id);
    if (!v) return ctx.fail(v.error());
    return with_etag(*v, store::to_json(v->record, true));
}

Response get_history(Context& ctx) {
    const std::string& id = ctx.path("id");
    if (auto r = check_record_scope(ctx, store::RecordKind::organization, id)) return *r;
    auto h = ctx.stores.query->organization_history(id);
    if (!h) return ctx.fail(h.error());
    return Response::json(store::to_json(*h));
}

Response get_person(Context& ctx) {
    const std::string& id = ctx.path("id");
    if (auto r = check_record_scope(ctx, store::RecordKind::person, id)) return *r;
    auto v = ctx.stores.query->person(id);
    if (!v) return ctx.fail(v.error());
    return with_etag(*v, store::to_json(v->record));
}

Response get_certificate(Context& ctx) {
    const std::string& id = ctx.path("serial");
    if (auto r = check_record_scope(ctx, store::RecordKind::certificate, id)) return *r;
    auto v = ctx.stores.query->certificate(id);
    if (!v) return ctx.fail(v.error());
    return with_etag(*v, store::to_json(v->record));
}

Response get_device(Context& ctx) {
    const std::string& id = ctx.path("id");
    if (auto r = check_record_scope(ctx, store::RecordKind::device, id)) return *r;
    auto v = ctx.stores.query->device(id);
    if (!v) return ctx.fail(v.error());
    return with_etag(*v, store::to_json(v->record));
}

Route read_route(std::string path, std::string tag, std::string summary, json schema,
                 Handler handler) {
    Route r;
    r.method = Method::get;
    r.path = std::move(path);
    r.roles = kAllRoles;
    r.tag = std::move(tag);
    r.summary = std::move(summary);
    r.response_schema = std::move(schema);
    r.handler = std::move(handler);
    return r;
}

}  // namespace

std::string quoted_etag(const std::string& etag) {
    return "\"" + etag + "\"";
}

json organization_schema(bool history) {
    json props = {{"id", str_schema()},
                  {"valid_from", str_schema()},
                  {"name", str_schema()},
                  {"superior_id", nullable_str()},
                  {"province", str_schema()},
                  {"agency_code", str_schema()},
                  {"admin_unit", str_schema()},
                  {"kind", str_schema()},
                  {"event_id", nullable_str()},
                  {"ceased_on", nullable_str()},
                  {"ceased_by_event", nullable_str()},
                  {"successor_id", nullable_str()}};
    std::vector<std::string> required = {"id", "name", "superior_id", "ceased_on", "successor_id"};
    if (history) {
        props["versions"] = {{"type", "array"},
                             {"items", object_schema({{"valid_from", str_schema()},
                                                      {"name", str_schema()},
                                                      {"superior_id", nullable_str()},
                                                      {"province", str_schema()},
                                                      {"agency_code", str_schema()},
                                                      {"admin_unit", str_schema()},
                                                      {"kind", str_schema()},
                                                      {"event_id", nullable_str()}},
                                                     {"valid_from", "name"})}};
        required.push_back("versions");
    }
    return object_schema(props, required);
}

json organization_history_schema() {
    json s = organization_schema(true);
    const json ids = {{"type", "array"}, {"items", str_schema()}};
    s["properties"]["predecessors"] = ids;
    s["properties"]["became"] = ids;
    s["properties"]["children"] = ids;
    s["properties"]["events"] = {
        {"type", "array"},
        {"items", object_schema({{"event_id", str_schema()},
                                 {"type", nullable_str()},
                                 {"effective_date", str_schema()},
                                 {"applied", bool_schema()},
                                 {"role", enum_schema({"version", "ceased"})}},
                                {"event_id", "role"})}};
    for (const char* k : {"predecessors", "became", "children", "events"})
        s["required"].push_back(k);
    return s;
}

json person_schema(bool detail) {
    json props = {{"id", str_schema()},
                  {"full_name", str_schema()},
                  {"cccd", str_schema()},
                  {"date_of_birth", str_schema()},
                  {"email", str_schema()},
                  {"phone", str_schema()},
                  {"org_id", nullable_str()},
                  {"position", str_schema()},
                  {"cccd_issued_on", str_schema()},
                  {"cccd_issued_by", str_schema()}};
    std::vector<std::string> required = {"id", "full_name", "cccd", "org_id"};
    if (detail) {
        props["registered_org_id"] = nullable_str();
        props["moves"] = {{"type", "array"},
                          {"items", object_schema({{"valid_from", str_schema()},
                                                   {"org_id", str_schema()},
                                                   {"event_id", str_schema()}},
                                                  {"valid_from", "org_id", "event_id"})}};
        required.push_back("moves");
    }
    return object_schema(props, required);
}

json certificate_schema() {
    return object_schema({{"serial", str_schema()},
                          {"holder", holder_schema()},
                          {"device_id", nullable_str()},
                          {"subject", str_schema()},
                          {"not_before", str_schema()},
                          {"not_after", str_schema()},
                          {"status", enum_schema({"valid", "revoked"})},
                          {"issuer", str_schema()},
                          {"sha256_cert", str_schema()},
                          {"replaces_serial", nullable_str()}},
                         {"serial", "holder", "status", "subject"});
}

json device_schema() {
    return object_schema({{"id", str_schema()},
                          {"kind", enum_schema({"usb_token", "pki_sim", "hsm"})},
                          {"serial", str_schema()},
                          {"phone", str_schema()},
                          {"carrier", str_schema()},
                          {"holder", holder_schema()}},
                         {"id", "kind", "holder"});
}

std::vector<Param> list_params(const std::vector<std::string>& sort_keys) {
    std::vector<Param> p = {
        Param{"page", "query", {{"type", "integer"}, {"minimum", 1}}, false, "1-based page"},
        Param{"size",
              "query",
              {{"type", "integer"}, {"minimum", 1}, {"maximum", store::kMaxPageSize}},
              false,
              "items per page (default 50, at most 200)"},
        Param{"q", "query", str_schema(), false,
              "search: name without tone marks too, CCCD, email, serial, subject"},
        Param{"org", "query", str_schema(), false, "only this organization's subtree"},
        Param{"sort", "query", enum_schema(sort_keys), false, "sort key"},
        Param{"order", "query", enum_schema({"asc", "desc"}), false, "sort order"}};
    return p;
}

std::optional<Response> read_list_query(Context& ctx, store::ListQuery& q) {
    auto page = page_of(ctx);
    if (!page) return ctx.fail(page.error());
    if (page->size > static_cast<std::size_t>(store::kMaxPageSize)) {
        return ctx.fail(400, "server.page_bounds",
                        {"size", "1", std::to_string(store::kMaxPageSize)}, "size");
    }
    q.page = static_cast<int>(page->page);
    q.page_size = static_cast<int>(page->size);
    q.scope = ctx.user().org_id;
    if (auto s = ctx.query_value("q")) q.search = *s;
    if (auto o = ctx.query_value("org")) q.org_subtree = *o;
    if (auto s = ctx.query_value("sort")) q.sort = *s;
    if (auto o = ctx.query_value("order")) {
        if (*o != "asc" && *o != "desc") return bad_value(ctx, "order", *o, "asc, desc");
        q.descending = *o == "desc";
    }
    return std::nullopt;
}

std::optional<Response> check_record_scope(Context& ctx, store::RecordKind kind,
                                           const std::string& id) {
    auto in = ctx.stores.query->in_subtree(kind, id, ctx.user().org_id);
    if (!in) return ctx.fail(in.error());
    if (!*in) {
        // Answered as a record that does not exist (store.not_found): a user cannot probe which
        // ids exist outside their subtree.
        return ctx.fail(make_error("store.not_found",
                                   Location{std::string(store::to_string(kind)), 0, {}, id},
                                   {store::to_string(kind), id}));
    }
    return std::nullopt;
}

void add_registry_routes(RouteTable& t) {
    Route lo = read_route("/api/v1/organizations", "registry",
                          "Organizations (current version) in the user's subtree: search, filters, "
                          "sort, pages",
                          page_schema(organization_schema(false)), list_organizations);
    lo.params = list_params({"id", "name", "kind", "valid_from"});
    lo.params.push_back(Param{"status", "query", enum_schema({"active", "ceased"}), false, ""});
    lo.params.push_back(Param{"kind", "query", str_schema(), false, "organization kind"});
    lo.params.push_back(Param{"superior", "query", str_schema(), false, "direct children of"});
    t.add(lo);

    Route lp = read_route("/api/v1/people", "registry",
                          "People in the user's subtree: search (name without tone marks, CCCD, "
                          "email), filters, sort, pages",
                          page_schema(person_schema(false)), list_people);
    lp.params = list_params({"id", "name", "cccd", "org_id"});
    lp.params.push_back(Param{"org_id", "query", str_schema(), false, "exactly this organization"});
    lp.params.push_back(
        Param{"unassigned", "query", enum_schema({"true", "false"}), false, "no organization"});
    t.add(lp);

    Route lc = read_route("/api/v1/certificates", "registry",
                          "Certificates in the user's subtree: search (serial, subject), status, "
                          "holder, expiry, pages",
                          page_schema(certificate_schema()), list_certificates);
    lc.params = list_params({"serial", "not_after", "status", "holder_id"});
    lc.params.push_back(Param{"status", "query", enum_schema({"valid", "revoked"}), false, ""});
    lc.params.push_back(Param{"holder_type", "query", enum_schema({"person", "org"}), false, ""});
    lc.params.push_back(Param{"holder_id", "query", str_schema(), false, ""});
    lc.params.push_back(Param{"device_id", "query", str_schema(), false, ""});
    lc.params.push_back(
        Param{"unlinked", "query", enum_schema({"true", "false"}), false, "without a holder"});
    lc.params.push_back(
        Param{"expiring_before", "query", str_schema(), false, "not_after before this day"});
    t.add(lc);

    Route ld = read_route("/api/v1/devices", "registry",
                          "Devices in the user's subtree: search, kind, holder, pages",
                          page_schema(device_schema()), list_devices);
    ld.params = list_params({"id", "kind", "serial", "holder_id"});
    ld.params.push_back(
        Param{"kind", "query", enum_schema({"usb_token", "pki_sim", "hsm"}), false, ""});
    ld.params.push_back(Param{"holder_type", "query", enum_schema({"person", "org"}), false, ""});
    ld.params.push_back(Param{"holder_id", "query", str_schema(), false, ""});
    t.add(ld);

    const auto one = [&](const char* path, const char* param, const char* summary, json schema,
                         Handler h, const char* example) {
        Route r = read_route(path, "registry", summary, std::move(schema), std::move(h));
        r.params = {Param{param, "path", str_schema(), true, ""}};
        r.example_path = {{param, example}};
        t.add(r);
    };
    one("/api/v1/organizations/{id}", "id", "One organization with its versions; ETag",
        organization_schema(true), get_organization, "ORG");
    one("/api/v1/organizations/{id}/history", "id",
        "An organization's versions, lineage (predecessors, what it became) and events",
        organization_history_schema(), get_history, "ORG");
    one("/api/v1/people/{id}", "id", "One person with the moves events made; ETag",
        person_schema(true), get_person, "P1");
    one("/api/v1/certificates/{serial}", "serial", "One certificate (any written serial); ETag",
        certificate_schema(), get_certificate, "01");
    one("/api/v1/devices/{id}", "id", "One device; ETag", device_schema(), get_device, "D1");
    add_registry_edit_routes(t);
}

}  // namespace kyso::server

// kyso server — corrections and removals of registry records: PATCH with If-Match and a reason,
// DELETE with If-Match and a reason; each one transaction with its audit entry (the signed-in
// user, the reason) in store::RegistryQuery. 412 when the record changed since it was read.
#include <string>

#include "core/messages.h"
#include "server/fields.h"
#include "server/records.h"
#include "server/registry_api.h"
#include "server/routes.h"
#include "store/record_json.h"

namespace kyso::server {

namespace {

using nlohmann::json;

// The If-Match header and the reason (body member, or ?reason= for DELETE) of an edit.
std::optional<Response> edit_context(Context& ctx, store::EditContext& e) {
    auto match = ctx.header("if-match");
    if (!match || match->empty())
        return ctx.fail(428, "store.precondition_required", {}, "If-Match");
    std::string reason;
    if (ctx.body.is_object() && ctx.body.contains("reason")) {
        auto r = string_field(ctx.body, "reason", true, 2000);
        if (!r) return ctx.fail(r.error());
        reason = *r;
    } else if (auto q = ctx.query_value("reason")) {
        reason = *q;
    }
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
        return ctx.fail(400, "store.reason_required", {}, "reason");
    e = store::EditContext{*match, reason, ctx.user().username};
    return std::nullopt;
}

// An optional string member; null reads as "" (clears a reference).
std::optional<Response> opt_string(Context& ctx, const char* name, std::optional<std::string>& out,
                                   bool nullable = false) {
    if (!ctx.body.is_object() || !ctx.body.contains(name)) return std::nullopt;
    if (nullable && ctx.body[name].is_null()) {
        out = std::string();
        return std::nullopt;
    }
    auto v = string_field(ctx.body, name, true, 1000);
    if (!v) return ctx.fail(v.error());
    out = *v;
    return std::nullopt;
}

// The target organization of a correction must be in the user's subtree too.
std::optional<Response> target_in_scope(Context& ctx, store::RecordKind kind, const std::string& id,
                                        const char* leaves_scope_when_empty = nullptr) {
    if (ctx.user().org_id.empty()) return std::nullopt;
    if (id.empty()) {
        // An organization without superior, a person without organization, a certificate without
        // holder belongs to no subtree: a scoped user would put it out of their own reach.
        if (leaves_scope_when_empty == nullptr) return std::nullopt;
        return ctx.fail(403, "access.emptied_out_of_scope",
                        {leaves_scope_when_empty, ctx.user().username, ctx.user().org_id},
                        leaves_scope_when_empty);
    }
    return check_record_scope(ctx, kind, id);
}

std::optional<Response> holder_member(Context& ctx, const char* name, std::optional<HolderRef>& out,
                                      bool nullable) {
    if (!ctx.body.contains(name)) return std::nullopt;
    const json& h = ctx.body[name];
    if (h.is_null() && nullable) {
        out = HolderRef{};
        return target_in_scope(ctx, store::RecordKind::person, {}, name);
    }
    if (!h.is_object() || !h.contains("type") || !h.contains("id") || !h["type"].is_string() ||
        !h["id"].is_string())
        return ctx.fail(400, "server.field_value",
                        {name, h.dump(), "{\"type\": \"person\"|\"org\", \"id\": \"…\"}"}, name);
    const auto type = parse_holder_type(h["type"].get<std::string>());
    if (!type || h["id"].get<std::string>().empty())
        return ctx.fail(400, "server.field_value", {name, h.dump(), "person, org"}, name);
    out = HolderRef{*type, h["id"].get<std::string>()};
    return target_in_scope(
        ctx,
        *type == HolderType::person ? store::RecordKind::person : store::RecordKind::organization,
        out->id, name);
}

template <typename T>
Response edited(Context& ctx, const Result<std::string>& etag,
                std::function<Result<store::Versioned<T>>()> read) {
    if (!etag) return ctx.fail(etag.error());
    // Read after the correction (a function, not an argument: arguments are evaluated in no set
    // order, and the record answered was once the one before the change).
    auto now = read();
    if (!now) return ctx.fail(now.error());
    Response out = Response::json(store::to_json(now->record));
    out.headers["ETag"] = quoted_etag(now->etag);
    return out;
}

Response patch_person(Context& ctx) {
    const std::string& id = ctx.path("id");
    if (auto ok = only_fields(ctx.body,
                              {"full_name", "cccd", "date_of_birth", "email", "phone", "position",
                               "cccd_issued_on", "cccd_issued_by", "org_id", "reason"});
        !ok)
        return ctx.fail(ok.error());
    if (auto r = check_record_scope(ctx, store::RecordKind::person, id)) return *r;
    store::EditContext e;
    if (auto r = edit_context(ctx, e)) return *r;
    store::PersonPatch p;
    for (auto [name, out] : {std::pair{"full_name", &p.full_name},
                             {"cccd", &p.cccd},
                             {"date_of_birth", &p.date_of_birth},
                             {"email", &p.email},
                             {"phone", &p.phone},
                             {"position", &p.position},
                             {"cccd_issued_on", &p.cccd_issued_on},
                             {"cccd_issued_by", &p.cccd_issued_by}}) {
        if (auto r = opt_string(ctx, name, *out)) return *r;
    }
    if (auto r = opt_string(ctx, "org_id", p.org_id, true)) return *r;
    if (p.org_id) {
        if (auto r = target_in_scope(ctx, store::RecordKind::organization, *p.org_id, "org_id"))
            return *r;
    }
    auto etag = ctx.stores.query->correct_person(id, p, e);
    if (!etag) return ctx.fail(etag.error());
    auto now = ctx.stores.query->person(id);
    if (!now) return ctx.fail(now.error());
    Response out = Response::json(store::to_json(now->record));
    out.headers["ETag"] = quoted_etag(now->etag);
    return out;
}

Response patch_organization(Context& ctx) {
    const std::string& id = ctx.path("id");
    if (auto ok = only_fields(ctx.body, {"name", "superior_id", "province", "agency_code",
                                         "admin_unit", "kind", "reason"});
        !ok)
        return ctx.fail(ok.error());
    if (auto r = check_record_scope(ctx, store::RecordKind::organization, id)) return *r;
    store::EditContext e;
    if (auto r = edit_context(ctx, e)) return *r;
    store::OrganizationPatch p;
    for (auto [name, out] : {std::pair{"name", &p.name},
                             {"province", &p.province},
                             {"agency_code", &p.agency_code},
                             {"admin_unit", &p.admin_unit}}) {
        if (auto r = opt_string(ctx, name, *out)) return *r;
    }
    if (auto r = opt_string(ctx, "superior_id", p.superior_id, true)) return *r;
    if (p.superior_id) {
        if (auto r = target_in_scope(ctx, store::RecordKind::organization, *p.superior_id,
                                     "superior_id"))
            return *r;
    }
    std::optional<std::string> kind;
    if (auto r = opt_string(ctx, "kind", kind)) return *r;
    if (kind) {
        p.kind = parse_org_kind(*kind);
        if (!p.kind)
            return ctx.fail(
                400, "server.field_value",
                {"kind", *kind, "people_committee, department, office, public_unit, other"},
                "kind");
    }
    auto etag = ctx.stores.query->correct_organization(id, p, e);
    if (!etag) return ctx.fail(etag.error());
    auto now = ctx.stores.query->organization(id);
    if (!now) return ctx.fail(now.error());
    Response out = Response::json(store::to_json(now->record, true));
    out.headers["ETag"] = quoted_etag(now->etag);
    return out;
}

Response patch_certificate(Context& ctx) {
    const std::string& serial = ctx.path("serial");
    if (auto ok = only_fields(ctx.body, {"holder", "device_id", "status", "revoked_on",
                                         "revocation_reason", "reason"});
        !ok)
        return ctx.fail(ok.error());
    if (auto r = check_record_scope(ctx, store::RecordKind::certificate, serial)) return *r;
    store::EditContext e;
    if (auto r = edit_context(ctx, e)) return *r;
    store::CertificatePatch p;
    if (auto r = holder_member(ctx, "holder", p.holder, true)) return *r;
    if (auto r = opt_string(ctx, "device_id", p.device_id, true)) return *r;
    if (p.device_id) {
        if (auto r = target_in_scope(ctx, store::RecordKind::device, *p.device_id)) return *r;
    }
    std::optional<std::string> status;
    if (auto r = opt_string(ctx, "status", status)) return *r;
    if (status) {
        p.status = parse_cert_status(*status);
        if (!p.status)
            return ctx.fail(400, "server.field_value", {"status", *status, "valid, revoked"},
                            "status");
    }
    if (auto r = opt_string(ctx, "revoked_on", p.revoked_on)) return *r;
    if (auto r = opt_string(ctx, "revocation_reason", p.revocation_reason)) return *r;
    const auto etag = ctx.stores.query->correct_certificate(serial, p, e);
    return edited<Certificate>(ctx, etag, [&] { return ctx.stores.query->certificate(serial); });
}

Response patch_device(Context& ctx) {
    const std::string& id = ctx.path("id");
    if (auto ok = only_fields(ctx.body, {"kind", "serial", "phone", "carrier", "holder", "reason"});
        !ok)
        return ctx.fail(ok.error());
    if (auto r = check_record_scope(ctx, store::RecordKind::device, id)) return *r;
    store::EditContext e;
    if (auto r = edit_context(ctx, e)) return *r;
    store::DevicePatch p;
    for (auto [name, out] :
         {std::pair{"serial", &p.serial}, {"phone", &p.phone}, {"carrier", &p.carrier}}) {
        if (auto r = opt_string(ctx, name, *out)) return *r;
    }
    std::optional<std::string> kind;
    if (auto r = opt_string(ctx, "kind", kind)) return *r;
    if (kind) {
        p.kind = parse_device_kind(*kind);
        if (!p.kind)
            return ctx.fail(400, "server.field_value", {"kind", *kind, "usb_token, pki_sim, hsm"},
                            "kind");
    }
    if (auto r = holder_member(ctx, "holder", p.holder, false)) return *r;
    const auto etag = ctx.stores.query->correct_device(id, p, e);
    return edited<Device>(ctx, etag, [&] { return ctx.stores.query->device(id); });
}

Response remove(Context& ctx, store::RecordKind kind, const std::string& param) {
    const std::string& id = ctx.path(param);
    if (auto ok = only_fields(ctx.body.is_object() ? ctx.body : json::object(), {"reason"}); !ok)
        return ctx.fail(ok.error());
    if (auto r = check_record_scope(ctx, kind, id)) return *r;
    store::EditContext e;
    if (auto r = edit_context(ctx, e)) return *r;
    if (auto st = ctx.stores.query->remove(kind, id, e); !st) return ctx.fail(st.error());
    return Response::json({{"removed", store::to_string(kind)}, {"id", id}});
}

// Who corrects the register: as `kyso import` (cli register_writer), the DoST operator and the
// administrator, each within their scope.
const std::vector<Role> kRegisterWriters = {Role::dost_operator, Role::admin};

Route edit_route(Method m, const std::string& path, const char* param, const char* summary,
                 json request, json response, Handler h, const char* example) {
    Route r;
    r.method = m;
    r.path = path;
    r.roles = kRegisterWriters;
    r.changes_state = true;
    r.tag = "registry";
    r.summary = summary;
    r.params = {Param{param, "path", str_schema(), true, ""},
                Param{"If-Match", "header", str_schema(), true, "the ETag read (412 when stale)"}};
    if (m == Method::del) {
        // The reason in the query or in the body: a DELETE may have no body at all.
        r.params.push_back(Param{"reason", "query", str_schema(), false, "why (or in the body)"});
        r.body_optional = true;
    }
    r.request_schema = std::move(request);
    r.response_schema = std::move(response);
    r.example_path = {{param, example}};
    r.example_body = {{"reason", "sửa sai sót"}};
    r.handler = std::move(h);
    return r;
}

}  // namespace

void add_registry_edit_routes(RouteTable& t) {
    const json reason = {{"type", "string"}, {"minLength", 1}};
    const json nstr = {{"type", json::array({"string", "null"})}};
    const json holder = {
        {"oneOf", json::array({{{"type", "null"}},
                               object_schema(
                                   {{"type", enum_schema({"person", "org"})}, {"id", str_schema()}},
                                   {"type", "id"})})}};
    t.add(edit_route(Method::patch, "/api/v1/organizations/{id}", "id",
                     "Correct an organization's current version (If-Match, reason; audited)",
                     object_schema({{"name", str_schema()},
                                    {"superior_id", nstr},
                                    {"province", str_schema()},
                                    {"agency_code", str_schema()},
                                    {"admin_unit", str_schema()},
                                    {"kind", str_schema()},
                                    {"reason", reason}},
                                   {"reason"}),
                     organization_schema(true), patch_organization, "ORG"));
    t.add(edit_route(Method::patch, "/api/v1/people/{id}", "id",
                     "Correct a person (name, CCCD, email, organization, ...; If-Match, reason)",
                     object_schema({{"full_name", str_schema()},
                                    {"cccd", str_schema()},
                                    {"date_of_birth", str_schema()},
                                    {"email", str_schema()},
                                    {"phone", str_schema()},
                                    {"position", str_schema()},
                                    {"cccd_issued_on", str_schema()},
                                    {"cccd_issued_by", str_schema()},
                                    {"org_id", nstr},
                                    {"reason", reason}},
                                   {"reason"}),
                     person_schema(true), patch_person, "P1"));
    t.add(edit_route(Method::patch, "/api/v1/certificates/{serial}", "serial",
                     "Correct a certificate's holder link, device or status (If-Match, reason)",
                     object_schema({{"holder", holder},
                                    {"device_id", nstr},
                                    {"status", enum_schema({"valid", "revoked"})},
                                    {"revoked_on", str_schema()},
                                    {"revocation_reason", str_schema()},
                                    {"reason", reason}},
                                   {"reason"}),
                     certificate_schema(), patch_certificate, "01"));
    t.add(edit_route(Method::patch, "/api/v1/devices/{id}", "id",
                     "Correct a device (kind, serial, phone, carrier, holder; If-Match, reason)",
                     object_schema({{"kind", enum_schema({"usb_token", "pki_sim", "hsm"})},
                                    {"serial", str_schema()},
                                    {"phone", str_schema()},
                                    {"carrier", str_schema()},
                                    {"holder", holder},
                                    {"reason", reason}},
                                   {"reason"}),
                     device_schema(), patch_device, "D1"));
    const json removed =
        object_schema({{"removed", str_schema()}, {"id", str_schema()}}, {"removed", "id"});
    const json del_body = object_schema({{"reason", reason}}, {});
    t.add(edit_route(
        Method::del, "/api/v1/people/{id}", "id",
        "Remove a person nothing names any more (If-Match, reason; audited)", del_body, removed,
        [](Context& c) { return remove(c, store::RecordKind::person, "id"); }, "P1"));
    t.add(edit_route(
        Method::del, "/api/v1/certificates/{serial}", "serial",
        "Remove a certificate, e.g. an orphan (If-Match, reason; audited)", del_body, removed,
        [](Context& c) { return remove(c, store::RecordKind::certificate, "serial"); }, "01"));
    t.add(edit_route(
        Method::del, "/api/v1/devices/{id}", "id",
        "Remove a device nothing names any more (If-Match, reason; audited)", del_body, removed,
        [](Context& c) { return remove(c, store::RecordKind::device, "id"); }, "D1"));
}

}  // namespace kyso::server

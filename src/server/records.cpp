// kyso server — records as JSON, and their schemas.
#include "server/records.h"

#include <string>

namespace kyso::server {

using nlohmann::json;

json object_schema(const json& props, const std::vector<std::string>& required) {
    return {{"type", "object"},
            {"properties", props},
            {"required", required},
            {"additionalProperties", false}};
}
json str_schema() {
    return {{"type", "string"}};
}
json int_schema() {
    return {{"type", "integer"}};
}
json bool_schema() {
    return {{"type", "boolean"}};
}
json enum_schema(const std::vector<std::string>& values) {
    return {{"type", "string"}, {"enum", values}};
}

namespace {

std::vector<std::string> names(std::span<const std::string_view> s) {
    return {s.begin(), s.end()};
}

std::vector<std::string> role_names() {
    return {"unit_officer", "unit_head", "dost_operator", "ca_operator", "auditor", "admin"};
}

}  // namespace

json user_json(const User& u) {
    return {{"username", u.username},
            {"full_name", u.full_name},
            {"role", std::string(to_string(u.role))},
            {"org_id", u.org_id.empty() ? json() : json(u.org_id)},
            {"scope_all", u.org_id.empty()},
            {"position", u.position},
            {"disabled", u.disabled}};
}

json user_schema() {
    return object_schema({{"username", str_schema()},
                          {"full_name", str_schema()},
                          {"role", enum_schema(role_names())},
                          {"org_id", {{"type", {"string", "null"}}}},
                          {"scope_all", bool_schema()},
                          {"position", str_schema()},
                          {"disabled", bool_schema()}},
                         {"username", "full_name", "role", "org_id", "scope_all", "disabled"});
}

json request_json(const Request& r) {
    return {{"id", r.id},
            {"kind", std::string(to_string(r.kind))},
            {"state", std::string(to_string(r.state))},
            {"managing_org_id", r.managing_org_id},
            {"holder_type", r.holder_type},
            {"holder_id", r.holder_id},
            {"certificate", r.certificate},
            {"device_id", r.device_id},
            {"rule", r.rule},
            {"event_id", r.event_id},
            {"old_subject", r.old_subject},
            {"new_subject", r.new_subject},
            {"revocation_reason", r.revocation_reason},
            {"created_by", r.created_by},
            {"created_at", r.created_at},
            {"batch_id", r.batch_id == 0 ? json() : json(r.batch_id)},
            {"result_serial", r.result_serial},
            {"reject_reason", r.reject_reason},
            {"completed_at", r.completed_at}};
}

json request_schema() {
    return object_schema({{"id", int_schema()},
                          {"kind", enum_schema(names(request_kind_names()))},
                          {"state", enum_schema(names(request_state_names()))},
                          {"managing_org_id", str_schema()},
                          {"holder_type", str_schema()},
                          {"holder_id", str_schema()},
                          {"certificate", str_schema()},
                          {"device_id", str_schema()},
                          {"rule", str_schema()},
                          {"event_id", str_schema()},
                          {"old_subject", str_schema()},
                          {"new_subject", str_schema()},
                          {"revocation_reason", str_schema()},
                          {"created_by", str_schema()},
                          {"created_at", str_schema()},
                          {"batch_id", {{"type", {"integer", "null"}}}},
                          {"result_serial", str_schema()},
                          {"reject_reason", str_schema()},
                          {"completed_at", str_schema()},
                          {"transitions", {{"type", "array"}, {"items", transition_schema()}}}},
                         {"id", "kind", "state", "managing_org_id"});
}

json transition_json(const store::Transition& t) {
    return {{"from", std::string(to_string(t.from))},
            {"to", std::string(to_string(t.to))},
            {"actor", t.actor},
            {"at", t.at},
            {"comment", t.comment}};
}

json transition_schema() {
    return object_schema({{"from", str_schema()},
                          {"to", str_schema()},
                          {"actor", str_schema()},
                          {"at", str_schema()},
                          {"comment", str_schema()}},
                         {"from", "to", "actor", "at"});
}

json batch_json(const store::Batch& b) {
    return {{"id", b.id},
            {"org_id", b.org_id},
            {"kind", std::string(to_string(b.kind))},
            {"form", b.form},
            {"level", b.level},
            {"parent_id", b.parent_id == 0 ? json() : json(b.parent_id)},
            {"number", b.number},
            {"symbol", b.symbol},
            {"created_by", b.created_by},
            {"created_at", b.created_at}};
}

json batch_schema() {
    return object_schema({{"id", int_schema()},
                          {"org_id", str_schema()},
                          {"kind", enum_schema(names(request_kind_names()))},
                          {"form", str_schema()},
                          {"level", str_schema()},
                          {"parent_id", {{"type", {"integer", "null"}}}},
                          {"number", str_schema()},
                          {"symbol", str_schema()},
                          {"created_by", str_schema()},
                          {"created_at", str_schema()},
                          {"requests", {{"type", "array"}, {"items", int_schema()}}}},
                         {"id", "org_id", "kind", "form", "level"});
}

json custody_json(const store::CustodyRecord& c) {
    return {{"id", c.id},
            {"device_id", c.device_id},
            {"request_id", c.request_id == 0 ? json() : json(c.request_id)},
            {"step", std::string(store::to_string(c.step))},
            {"from_party", c.from_party},
            {"to_party", c.to_party},
            {"handed_by", c.handed_by},
            {"received_by", c.received_by},
            {"handed_on", c.handed_on},
            {"document", c.document},
            {"recorded_by", c.recorded_by},
            {"recorded_at", c.recorded_at},
            {"dost_org_id", c.dost_org_id}};
}

json custody_schema() {
    return object_schema({{"id", int_schema()},
                          {"device_id", str_schema()},
                          {"request_id", {{"type", {"integer", "null"}}}},
                          {"step", enum_schema({"to_organization", "to_dost", "to_ca"})},
                          {"from_party", str_schema()},
                          {"to_party", str_schema()},
                          {"handed_by", str_schema()},
                          {"received_by", str_schema()},
                          {"handed_on", str_schema()},
                          {"document", str_schema()},
                          {"recorded_by", str_schema()},
                          {"recorded_at", str_schema()},
                          {"dost_org_id", str_schema()}},
                         {"id", "device_id", "step", "handed_on"});
}

json audit_json(const store::AuditEntry& e) {
    // The detail is JSON text written by kyso; kept as text if it does not parse.
    json detail = json::parse(e.detail, nullptr, false);
    if (detail.is_discarded()) detail = e.detail;
    return {{"seq", e.seq},       {"at", e.at},       {"actor", e.actor}, {"action", e.action},
            {"object", e.object}, {"detail", detail}, {"hash", e.hash}};
}

json audit_schema() {
    return object_schema({{"seq", int_schema()},
                          {"at", str_schema()},
                          {"actor", str_schema()},
                          {"action", str_schema()},
                          {"object", str_schema()},
                          {"detail", json::object()},
                          {"hash", str_schema()}},
                         {"seq", "at", "actor", "action", "object", "hash"});
}

}  // namespace kyso::server

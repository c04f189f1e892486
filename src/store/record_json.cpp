// kyso store — registry records as JSON objects (API bodies and audit details).
#include "store/record_json.h"

namespace kyso::store {

namespace {

RecordJson or_null(const std::string& s) {
    return s.empty() ? RecordJson(nullptr) : RecordJson(s);
}

RecordJson holder(const HolderRef& h) {
    if (h.id.empty()) return nullptr;
    return RecordJson{{"type", to_string(h.type)}, {"id", h.id}};
}

}  // namespace

RecordJson to_json(const OrgVersion& v) {
    return RecordJson{{"valid_from", v.valid_from.str()},
                      {"name", v.name},
                      {"superior_id", or_null(v.superior_id)},
                      {"province", v.province},
                      {"agency_code", v.agency_code},
                      {"admin_unit", v.admin_unit},
                      {"kind", to_string(v.kind)},
                      {"event_id", or_null(v.event_id)}};
}

RecordJson to_json(const Organization& org, bool history) {
    RecordJson j{{"id", org.id}};
    if (!org.versions.empty()) {
        const OrgVersion& v = org.current();
        j["valid_from"] = v.valid_from.str();
        j["name"] = v.name;
        j["superior_id"] = or_null(v.superior_id);
        j["province"] = v.province;
        j["agency_code"] = v.agency_code;
        j["admin_unit"] = v.admin_unit;
        j["kind"] = to_string(v.kind);
        j["event_id"] = or_null(v.event_id);
    }
    j["ceased_on"] = org.ceased_on ? RecordJson(org.ceased_on->str()) : RecordJson(nullptr);
    j["ceased_by_event"] = or_null(org.ceased_by_event);
    j["successor_id"] = or_null(org.successor_id);
    if (history) {
        RecordJson versions = RecordJson::array();
        for (const OrgVersion& v : org.versions) versions.push_back(to_json(v));
        j["versions"] = std::move(versions);
    }
    return j;
}

RecordJson to_json(const Person& p) {
    return RecordJson{{"id", p.id},
                      {"full_name", p.full_name},
                      {"cccd", p.cccd},
                      {"date_of_birth", p.date_of_birth},
                      {"email", p.email},
                      {"phone", p.phone},
                      {"org_id", or_null(p.org_id)},
                      {"position", p.position},
                      {"cccd_issued_on", p.cccd_issued_on},
                      {"cccd_issued_by", p.cccd_issued_by}};
}

RecordJson to_json(const PersonDetail& d) {
    RecordJson j = to_json(d.person);
    j["registered_org_id"] = or_null(d.registered_org_id);
    RecordJson moves = RecordJson::array();
    for (const PersonMove& m : d.moves) {
        moves.push_back(RecordJson{
            {"valid_from", m.valid_from.str()}, {"org_id", m.org_id}, {"event_id", m.event_id}});
    }
    j["moves"] = std::move(moves);
    return j;
}

RecordJson to_json(const Certificate& c) {
    return RecordJson{{"serial", c.serial},
                      {"holder", holder(c.holder)},
                      {"device_id", or_null(c.device_id)},
                      {"subject", c.subject_text},
                      {"not_before", c.not_before},
                      {"not_after", c.not_after},
                      {"status", to_string(c.status)},
                      {"issuer", c.issuer_text},
                      {"sha256_cert", c.sha256_cert},
                      {"replaces_serial", or_null(c.replaces_serial)}};
}

RecordJson to_json(const Device& d) {
    return RecordJson{{"id", d.id},           {"kind", to_string(d.kind)},
                      {"serial", d.serial},   {"phone", d.phone},
                      {"carrier", d.carrier}, {"holder", holder(d.holder)}};
}

RecordJson to_json(const OrganizationHistory& h) {
    RecordJson j = to_json(h.organization, true);
    j["predecessors"] = h.predecessors;
    j["became"] = h.became;
    j["children"] = h.children;
    RecordJson events = RecordJson::array();
    for (const OrgEventRef& e : h.events) {
        events.push_back(RecordJson{{"event_id", e.event_id},
                                    {"type", or_null(e.type)},
                                    {"effective_date", e.effective_date.str()},
                                    {"applied", e.applied},
                                    {"role", e.role}});
    }
    j["events"] = std::move(events);
    return j;
}

}  // namespace kyso::store

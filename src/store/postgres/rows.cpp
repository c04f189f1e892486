// kyso store — how each registry record maps to a PostgreSQL row: columns, binders, readers.
#include "store/postgres/rows.h"

#include "bundle/events_json.h"
#include "core/messages.h"
#include "store/subject_codec.h"

namespace kyso::store::postgres {

namespace {

Error corrupt(std::string_view table, std::string_view id, std::string_view what) {
    return make_error("store.corrupt_row", Location{std::string(table), 0, {}, std::string(id)},
                      {table, id, what});
}

std::string join_columns(const TableSpec& spec) {
    std::string out;
    for (const auto& c : spec.columns) {
        if (!out.empty()) out += ", ";
        out += c;
    }
    return out;
}

std::string param(std::size_t i) {
    std::string p = "$";
    p += std::to_string(i + 1);
    return p;
}

}  // namespace

const TableSpec& organization_table() {
    static const TableSpec spec{
        "organizations", 1, {"id", "ceased_on", "ceased_by_event", "successor_id"}};
    return spec;
}

const TableSpec& org_version_table() {
    static const TableSpec spec{"org_versions",
                                2,
                                {"org_id", "valid_from", "name", "superior_id", "province",
                                 "agency_code", "kind", "event_id", "admin_unit"}};
    return spec;
}

const TableSpec& person_table() {
    static const TableSpec spec{"people",
                                1,
                                {"id", "full_name", "cccd", "date_of_birth", "email", "phone",
                                 "org_id", "position", "cccd_issued_on", "cccd_issued_by"}};
    return spec;
}

const TableSpec& device_table() {
    static const TableSpec spec{
        "devices", 1, {"id", "kind", "serial", "phone", "carrier", "holder_type", "holder_id"}};
    return spec;
}

const TableSpec& certificate_table() {
    static const TableSpec spec{
        "certificates",
        1,
        {"serial", "holder_type", "holder_id", "device_id", "subject_text", "subject_rdns",
         "not_before", "not_after", "not_after_date", "status", "pem", "issuer_text", "sha256_cert",
         "sha256_key", "der", "replaces_serial"}};
    return spec;
}

const TableSpec& event_table() {
    static const TableSpec spec{
        "events", 1, {"id", "type", "effective_date", "file_order", "body"}};
    return spec;
}

std::string select_sql(const TableSpec& spec) {
    return "SELECT " + join_columns(spec) + " FROM " + std::string(spec.table);
}

std::string insert_sql(const TableSpec& spec) {
    std::string params;
    for (std::size_t i = 0; i < spec.columns.size(); ++i) params += (i ? ", " : "") + param(i);
    return "INSERT INTO " + std::string(spec.table) + " (" + join_columns(spec) + ") VALUES (" +
           params + ")";
}

std::string update_sql(const TableSpec& spec) {
    std::string sets;
    for (std::size_t i = spec.key_columns; i < spec.columns.size(); ++i) {
        if (!sets.empty()) sets += ", ";
        sets += std::string(spec.columns[i]) + " = " + param(i);
    }
    return "UPDATE " + std::string(spec.table) + " SET " + sets + key_condition(spec);
}

std::string key_condition(const TableSpec& spec) {
    std::string out = " WHERE ";
    for (std::size_t i = 0; i < spec.key_columns; ++i) {
        if (i > 0) out += " AND ";
        out += std::string(spec.columns[i]) + " = " + param(i);
    }
    return out;
}

EventRow to_event_row(const ReorgEvent& event) {
    return EventRow{event.id, std::string(to_string(event.type)), event.effective_date.str(),
                    static_cast<std::int64_t>(event.file_order), bundle::event_to_json(event)};
}

void bind_organization(Statement& st, const Organization& org) {
    st.bind_unowned(1, org.id);
    if (org.ceased_on) {
        st.scratch(2) = org.ceased_on->str();
        st.bind_unowned(2, st.scratch(2));
    } else {
        st.bind_null(2);
    }
    st.bind_unowned(3, org.ceased_by_event).bind_unowned_or_null(4, org.successor_id);
}

void bind_org_version(Statement& st, std::string_view org_id, const OrgVersion& v) {
    st.scratch(2) = v.valid_from.str();
    st.bind_unowned(1, org_id).bind_unowned(2, st.scratch(2)).bind_unowned(3, v.name);
    st.bind_unowned_or_null(4, v.superior_id).bind_unowned(5, v.province);
    st.bind_unowned(6, v.agency_code).bind_unowned(7, to_string(v.kind));
    st.bind_unowned(8, v.event_id).bind_unowned(9, v.admin_unit);
}

void bind_person(Statement& st, const Person& p) {
    st.bind_unowned(1, p.id).bind_unowned(2, p.full_name).bind_unowned(3, p.cccd);
    st.bind_unowned(4, p.date_of_birth).bind_unowned(5, p.email).bind_unowned(6, p.phone);
    st.bind_unowned_or_null(7, p.org_id).bind_unowned(8, p.position);
    st.bind_unowned(9, p.cccd_issued_on).bind_unowned(10, p.cccd_issued_by);
}

void bind_device(Statement& st, const Device& d) {
    st.bind_unowned(1, d.id).bind_unowned(2, to_string(d.kind)).bind_unowned(3, d.serial);
    st.bind_unowned(4, d.phone).bind_unowned(5, d.carrier);
    st.bind_unowned(6, to_string(d.holder.type)).bind_unowned(7, d.holder.id);
}

void bind_certificate(Statement& st, const Certificate& c) {
    std::string& rdns = st.scratch(6);
    rdns.clear();
    encode_subject(c.subject, rdns);
    st.scratch(9) = c.not_after_date.str();
    st.bind_unowned(1, c.serial).bind_unowned(2, to_string(c.holder.type));
    st.bind_unowned(3, c.holder.id).bind_unowned_or_null(4, c.device_id);
    st.bind_unowned(5, c.subject_text).bind_unowned(6, rdns);
    st.bind_unowned(7, c.not_before).bind_unowned(8, c.not_after);
    st.bind_unowned(9, st.scratch(9)).bind_unowned(10, to_string(c.status));
    st.bind_unowned(11, c.pem).bind_unowned(12, c.issuer_text);
    st.bind_unowned(13, c.sha256_cert).bind_unowned(14, c.sha256_key);
    st.bind_unowned_blob(15, c.der).bind_unowned(16, c.replaces_serial);
}

void bind_event(Statement& st, const EventRow& e) {
    st.bind_unowned(1, e.id).bind_unowned(2, e.type).bind_unowned(3, e.effective_date);
    st.bind(4, e.file_order).bind_unowned(5, e.body);
}

Result<Organization> read_organization(const Statement& st, int first) {
    Organization org;
    org.id = st.string(first);
    if (!st.is_null(first + 1)) {
        org.ceased_on = Date::parse(st.text(first + 1));
        if (!org.ceased_on) return corrupt("organizations", org.id, "ceased_on");
    }
    org.ceased_by_event = st.string(first + 2);
    org.successor_id = st.string(first + 3);
    return org;
}

Result<OrgVersion> read_org_version(const Statement& st, int first) {
    OrgVersion v;
    const auto day = Date::parse(st.text(first + 1));
    if (!day) return corrupt("org_versions", st.text(first), "valid_from");
    v.valid_from = *day;
    v.name = st.string(first + 2);
    v.superior_id = st.string(first + 3);
    v.province = st.string(first + 4);
    v.agency_code = st.string(first + 5);
    const auto kind = parse_org_kind(st.text(first + 6));
    if (!kind) return corrupt("org_versions", st.text(first), "kind");
    v.kind = *kind;
    v.event_id = st.string(first + 7);
    v.admin_unit = st.string(first + 8);
    return v;
}

Result<Person> read_person(const Statement& st, int f) {
    return Person{st.string(f),     st.string(f + 1), st.string(f + 2), st.string(f + 3),
                  st.string(f + 4), st.string(f + 5), st.string(f + 6), st.string(f + 7),
                  st.string(f + 8), st.string(f + 9)};
}

Result<Device> read_device(const Statement& st, int f) {
    Device d;
    d.id = st.string(f);
    const auto kind = parse_device_kind(st.text(f + 1));
    if (!kind) return corrupt("devices", d.id, "kind");
    d.kind = *kind;
    d.serial = st.string(f + 2);
    d.phone = st.string(f + 3);
    d.carrier = st.string(f + 4);
    const auto holder = parse_holder_type(st.text(f + 5));
    if (!holder) return corrupt("devices", d.id, "holder_type");
    d.holder = HolderRef{*holder, st.string(f + 6)};
    return d;
}

Result<Certificate> read_certificate(const Statement& st, int f) {
    Certificate c;
    c.serial = st.string(f);
    const auto holder = parse_holder_type(st.text(f + 1));
    if (!holder) return corrupt("certificates", c.serial, "holder_type");
    c.holder = HolderRef{*holder, st.string(f + 2)};
    c.device_id = st.string(f + 3);
    c.subject_text = st.string(f + 4);
    auto subject = decode_subject(st.text(f + 5));
    if (!subject) return corrupt("certificates", c.serial, "subject_rdns");
    c.subject = std::move(*subject);
    c.not_before = st.string(f + 6);
    c.not_after = st.string(f + 7);
    const auto day = Date::parse(st.text(f + 8));
    if (!day) return corrupt("certificates", c.serial, "not_after_date");
    c.not_after_date = *day;
    const auto status = parse_cert_status(st.text(f + 9));
    if (!status) return corrupt("certificates", c.serial, "status");
    c.status = *status;
    c.pem = st.string(f + 10);
    c.issuer_text = st.string(f + 11);
    c.sha256_cert = st.string(f + 12);
    c.sha256_key = st.string(f + 13);
    c.der = st.blob(f + 14);
    c.replaces_serial = st.string(f + 15);
    return c;
}

EventRow read_event_row(const Statement& st, int f) {
    return EventRow{st.string(f), st.string(f + 1), st.string(f + 2), st.int64(f + 3),
                    st.string(f + 4)};
}

}  // namespace kyso::store::postgres

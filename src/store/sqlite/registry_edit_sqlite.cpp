// kyso store — the SQLite back-end of RegistryQuery, second half: corrections and removals, each
// one write transaction that compares the ETag, writes the record and its audit entry (with the
// actor and the reason) and refreshes the search index.
#include <algorithm>
#include <utility>

#include "core/messages.h"
#include "core/values.h"
#include "store/record_json.h"
#include "store/sqlite/guarded.h"
#include "store/sqlite/registry_query_sqlite.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/search_index.h"
#include "text/nfc.h"

namespace kyso::store::sqlite {

namespace {

Error not_found(RecordKind kind, const std::string& id) {
    return make_error("store.not_found", Location{std::string(to_string(kind)), 0, {}, id},
                      {to_string(kind), id});
}

Error invalid(std::string_view field, std::string_view value) {
    return make_error("store.invalid_field", Location{{}, 0, std::string(field), {}},
                      {field, value});
}

// An ETag as a client sends it back: W/"abc" and "abc" are abc.
std::string bare_etag(std::string_view tag) {
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"')
        tag = tag.substr(1, tag.size() - 2);
    return std::string(tag);
}

Status check_etag(RecordKind kind, const std::string& id, const std::string& stored,
                  const std::string& if_match) {
    // "*" is not accepted: a correction must name the version it was made on.
    if (bare_etag(if_match) == stored) return Ok{};
    return make_error("store.etag_mismatch", Location{std::string(to_string(kind)), 0, {}, id},
                      {to_string(kind), id});
}

// A text field as stored: NFC, white space collapsed; a control character is refused.
Result<std::string> clean(std::string_view field, const std::string& value) {
    if (!text::valid_utf8(value)) return invalid(field, "?");
    std::string out = text::collapse_spaces(text::to_nfc(value));
    if (text::first_control_char(out) != std::string::npos) return invalid(field, out);
    return out;
}

// Applies an optional text field of a patch, cleaned; `required` refuses "".
Status apply(std::string_view field, const std::optional<std::string>& in, std::string& out,
             bool required = false) {
    if (!in) return Ok{};
    auto v = clean(field, *in);
    if (!v) return v.error();
    if (required && v->empty()) return invalid(field, "");
    out = std::move(*v);
    return Ok{};
}

RecordJson audit_detail(const std::string& reason, RecordJson before, RecordJson after) {
    RecordJson d{{"reason", reason}, {"before", std::move(before)}};
    if (!after.is_null()) d["after"] = std::move(after);
    return d;
}

}  // namespace

template <typename Body>
auto SqliteRegistryQuery::edit(const EditContext& ctx, Body&& body) -> decltype(body()) {
    if (ctx.if_match.empty()) return make_error("store.precondition_required", Location{}, {});
    if (text::collapse_spaces(ctx.reason).empty())
        return make_error("store.reason_required", Location{{}, 0, "reason", {}}, {});
    return guarded([&]() -> decltype(body()) {
        audit_.begin();
        auto tx = Transaction::begin(db_, Transaction::Mode::write);
        if (!tx) return tx.error();
        auto out = body();
        if (!out) return out;  // ~Transaction rolls back
        if (auto st = refresh_search_index(db_); !st) return st.error();
        if (auto st = tx->commit(); !st) return st.error();
        if (auto st = audit_.anchor(); !st) return st.error();
        return out;
    });
}

Result<std::string> SqliteRegistryQuery::correct_person(const std::string& id,
                                                        const PersonPatch& patch,
                                                        const EditContext& ctx) {
    return edit(ctx, [&]() -> Result<std::string> {
        auto found = find_person(id);
        if (!found) return found.error();
        if (!*found) return not_found(RecordKind::person, id);
        PersonDetail d = std::move(**found);
        if (auto st = check_etag(RecordKind::person, id, record_etag(d), ctx.if_match); !st)
            return st.error();
        const RecordJson before = to_json(d);
        Person p = d.person;
        p.org_id = d.registered_org_id;
        for (const auto& [field, in, out, required] :
             {std::tuple{"full_name", &patch.full_name, &p.full_name, true},
              std::tuple{"cccd", &patch.cccd, &p.cccd, true},
              std::tuple{"date_of_birth", &patch.date_of_birth, &p.date_of_birth, true},
              std::tuple{"email", &patch.email, &p.email, false},
              std::tuple{"phone", &patch.phone, &p.phone, false},
              std::tuple{"position", &patch.position, &p.position, false},
              std::tuple{"cccd_issued_on", &patch.cccd_issued_on, &p.cccd_issued_on, false},
              std::tuple{"cccd_issued_by", &patch.cccd_issued_by, &p.cccd_issued_by, false}}) {
            if (auto st = apply(field, *in, *out, required); !st) return st.error();
        }
        if (!cccd_well_formed(p.cccd)) return invalid("cccd", p.cccd);
        if (p.cccd != d.person.cccd) {
            // A CCCD names one person (docs/intake.md): another person's is refused.
            auto other = db_.prepare("SELECT id FROM people WHERE cccd = ?1 AND id <> ?2 LIMIT 1");
            if (!other) return other.error();
            other->bind(1, p.cccd).bind(2, id);
            auto row = other->step();
            if (!row) return row.error();
            if (*row) {
                return make_error("store.cccd_taken", Location{"people", 0, "cccd", id},
                                  {p.cccd, std::string(other->text(0))});
            }
        }
        if (!Date::parse(p.date_of_birth)) return invalid("date_of_birth", p.date_of_birth);
        if (!p.email.empty() && !email_valid(p.email)) return invalid("email", p.email);
        if (!p.phone.empty() && !phone_valid(p.phone)) return invalid("phone", p.phone);
        if (patch.org_id && *patch.org_id != d.person.org_id) {
            if (!d.moves.empty()) {
                return make_error("store.person_moved", Location{"people", 0, "org_id", id},
                                  {id, d.moves.back().event_id});
            }
            if (!patch.org_id->empty()) {
                auto org = find_organization(*patch.org_id);
                if (!org) return org.error();
                if (!*org) {
                    return make_error("store.foreign_key", Location{"people", 0, "org_id", id},
                                      {"people", id, "org_id", *patch.org_id});
                }
            }
            p.org_id = *patch.org_id;
        }
        auto st = db_.prepare(update_sql(person_table()));
        if (!st) return st.error();
        bind_person(*st, p);
        if (auto r = st->run(); !r) return r.error();
        auto after = find_person(id);
        if (!after) return after.error();
        if (auto r = audit_.append(ctx.actor, std::string(kAuditCorrect), "person:" + id,
                                   audit_detail(ctx.reason, before, to_json(**after)).dump());
            !r)
            return r.error();
        return record_etag(**after);
    });
}

Result<std::string> SqliteRegistryQuery::correct_organization(const std::string& id,
                                                              const OrganizationPatch& patch,
                                                              const EditContext& ctx) {
    return edit(ctx, [&]() -> Result<std::string> {
        auto found = find_organization(id);
        if (!found) return found.error();
        if (!*found) return not_found(RecordKind::organization, id);
        Organization org = std::move(**found);
        if (auto st = check_etag(RecordKind::organization, id, record_etag(org), ctx.if_match); !st)
            return st.error();
        const RecordJson before = to_json(org);
        OrgVersion& v = org.current();
        for (const auto& [field, in, out, required] :
             {std::tuple{"name", &patch.name, &v.name, true},
              std::tuple{"province", &patch.province, &v.province, false},
              std::tuple{"agency_code", &patch.agency_code, &v.agency_code, false},
              std::tuple{"admin_unit", &patch.admin_unit, &v.admin_unit, false}}) {
            if (auto st = apply(field, *in, *out, required); !st) return st.error();
        }
        if (patch.kind) v.kind = *patch.kind;
        if (patch.superior_id && *patch.superior_id != v.superior_id) {
            const std::string& sup = *patch.superior_id;
            if (!sup.empty()) {
                auto exists_now = find_organization(sup);
                if (!exists_now) return exists_now.error();
                if (!*exists_now) {
                    return make_error("store.foreign_key",
                                      Location{"organizations", 0, "superior_id", id},
                                      {"organizations", id, "superior_id", sup});
                }
                // The new superior must not be the organization itself or under it.
                auto below = subtree_contains(RecordKind::organization, sup, id);
                if (!below) return below.error();
                if (*below) {
                    return make_error("store.superior_cycle",
                                      Location{"organizations", 0, "superior_id", id}, {id, sup});
                }
            }
            v.superior_id = sup;
        }
        auto st = db_.prepare(update_sql(org_version_table()));
        if (!st) return st.error();
        bind_org_version(*st, org.id, v);
        if (auto r = st->run(); !r) return r.error();
        if (auto r = audit_.append(ctx.actor, std::string(kAuditCorrect), "organization:" + id,
                                   audit_detail(ctx.reason, before, to_json(org)).dump());
            !r)
            return r.error();
        return record_etag(org);
    });
}

Result<std::string> SqliteRegistryQuery::correct_certificate(const std::string& serial,
                                                             const CertificatePatch& patch,
                                                             const EditContext& ctx) {
    return edit(ctx, [&]() -> Result<std::string> {
        auto found = find_certificate(serial);
        if (!found) return found.error();
        if (!*found) return not_found(RecordKind::certificate, serial);
        Certificate c = std::move(**found);
        if (auto st = check_etag(RecordKind::certificate, c.serial, record_etag(c), ctx.if_match);
            !st)
            return st.error();
        const RecordJson before = to_json(c);
        if (patch.holder) {
            const HolderRef& h = *patch.holder;
            if (!h.id.empty()) {
                auto known = h.type == HolderType::person
                                 ? exists("SELECT 1 FROM people WHERE id = ?1", h.id)
                                 : exists("SELECT 1 FROM org_versions WHERE org_id = ?1", h.id);
                if (!known) return known.error();
                if (!*known) {
                    return make_error("store.foreign_key",
                                      Location{"certificates", 0, "holder_id", c.serial},
                                      {"certificates", c.serial, "holder_id", h.id});
                }
            }
            c.holder = h.id.empty() ? HolderRef{} : h;
        }
        if (patch.device_id) {
            if (!patch.device_id->empty()) {
                auto known = exists("SELECT 1 FROM devices WHERE id = ?1", *patch.device_id);
                if (!known) return known.error();
                if (!*known) {
                    return make_error("store.foreign_key",
                                      Location{"certificates", 0, "device_id", c.serial},
                                      {"certificates", c.serial, "device_id", *patch.device_id});
                }
            }
            c.device_id = *patch.device_id;
        }
        if (patch.status) c.status = *patch.status;
        std::string revoked_on, reason;
        if (c.status == CertStatus::revoked) {
            revoked_on = patch.revoked_on.value_or(Date::today().str());
            if (!Date::parse(revoked_on)) return invalid("revoked_on", revoked_on);
            auto r = clean("revocation_reason", patch.revocation_reason.value_or(""));
            if (!r) return r.error();
            reason = *r;
        }
        auto st = db_.prepare(update_sql(certificate_table()));
        if (!st) return st.error();
        bind_certificate(*st, c);
        if (auto r = st->run(); !r) return r.error();
        if (patch.status) {
            auto rev = db_.prepare(
                "UPDATE certificates SET revoked_on = ?2, revocation_reason = ?3 WHERE serial = "
                "?1");
            if (!rev) return rev.error();
            rev->bind(1, c.serial).bind(2, revoked_on).bind(3, reason);
            if (auto r = rev->run(); !r) return r.error();
        }
        RecordJson after = to_json(c);
        if (patch.status) {
            after["revoked_on"] = revoked_on;
            after["revocation_reason"] = reason;
        }
        const std::string object = "certificate:" + c.serial;
        if (auto r = audit_.append(ctx.actor, std::string(kAuditCorrect), object,
                                   audit_detail(ctx.reason, before, after).dump());
            !r)
            return r.error();
        // The status and holder as `audit verify` replays them.
        if (auto r = audit_.certificates(ctx.actor, object, {&c}); !r) return r.error();
        return record_etag(c);
    });
}

Result<std::string> SqliteRegistryQuery::correct_device(const std::string& id,
                                                        const DevicePatch& patch,
                                                        const EditContext& ctx) {
    return edit(ctx, [&]() -> Result<std::string> {
        auto found = find_device(id);
        if (!found) return found.error();
        if (!*found) return not_found(RecordKind::device, id);
        Device d = std::move(**found);
        if (auto st = check_etag(RecordKind::device, id, record_etag(d), ctx.if_match); !st)
            return st.error();
        const RecordJson before = to_json(d);
        if (patch.kind) d.kind = *patch.kind;
        for (const auto& [field, in, out] : {std::tuple{"serial", &patch.serial, &d.serial},
                                             std::tuple{"phone", &patch.phone, &d.phone},
                                             std::tuple{"carrier", &patch.carrier, &d.carrier}}) {
            if (auto st = apply(field, *in, *out); !st) return st.error();
        }
        if (patch.holder) {
            const HolderRef& h = *patch.holder;
            if (h.id.empty()) return invalid("holder_id", "");
            auto known = h.type == HolderType::person
                             ? exists("SELECT 1 FROM people WHERE id = ?1", h.id)
                             : exists("SELECT 1 FROM org_versions WHERE org_id = ?1", h.id);
            if (!known) return known.error();
            if (!*known) {
                return make_error("store.foreign_key", Location{"devices", 0, "holder_id", id},
                                  {"devices", id, "holder_id", h.id});
            }
            d.holder = h;
        }
        auto st = db_.prepare(update_sql(device_table()));
        if (!st) return st.error();
        bind_device(*st, d);
        if (auto r = st->run(); !r) return r.error();
        if (auto r = audit_.append(ctx.actor, std::string(kAuditCorrect), "device:" + id,
                                   audit_detail(ctx.reason, before, to_json(d)).dump());
            !r)
            return r.error();
        return record_etag(d);
    });
}

Status SqliteRegistryQuery::remove(RecordKind kind, const std::string& id, const EditContext& ctx) {
    if (kind == RecordKind::organization) {
        return make_error("store.invalid_query", Location{{}, 0, "kind", {}},
                          {"kind", "organization"});
    }
    return edit(ctx, [&]() -> Status {
        std::string key = id;
        std::string etag;
        RecordJson before;
        // What still names the record (each query takes the key as ?1).
        std::vector<const char*> users;
        const char* del = nullptr;
        if (kind == RecordKind::certificate) {
            auto c = find_certificate(id);
            if (!c) return c.error();
            if (!*c) return not_found(kind, id);
            key = (*c)->serial;
            etag = record_etag(**c);
            before = to_json(**c);
            users = {"SELECT 1 FROM requests WHERE certificate = ?1 OR result_serial = ?1"};
            del = "DELETE FROM certificates WHERE serial = ?1";
        } else if (kind == RecordKind::device) {
            auto d = find_device(id);
            if (!d) return d.error();
            if (!*d) return not_found(kind, id);
            etag = record_etag(**d);
            before = to_json(**d);
            users = {"SELECT 1 FROM certificates WHERE device_id = ?1",
                     "SELECT 1 FROM requests WHERE device_id = ?1",
                     "SELECT 1 FROM custody WHERE device_id = ?1"};
            del = "DELETE FROM devices WHERE id = ?1";
        } else {
            auto p = find_person(id);
            if (!p) return p.error();
            if (!*p) return not_found(kind, id);
            etag = record_etag(**p);
            before = to_json(**p);
            users = {"SELECT 1 FROM certificates WHERE holder_type = 'person' AND holder_id = ?1",
                     "SELECT 1 FROM devices WHERE holder_type = 'person' AND holder_id = ?1",
                     "SELECT 1 FROM person_org_versions WHERE person_id = ?1",
                     "SELECT 1 FROM requests WHERE holder_type = 'person' AND holder_id = ?1"};
            del = "DELETE FROM people WHERE id = ?1";
        }
        if (auto st = check_etag(kind, key, etag, ctx.if_match); !st) return st;
        for (const char* sql : users) {
            auto used = exists(sql, key);
            if (!used) return used.error();
            if (*used) {
                return make_error("store.record_in_use",
                                  Location{std::string(to_string(kind)), 0, {}, key},
                                  {to_string(kind), key});
            }
        }
        auto st = db_.prepare(del);
        if (!st) return st.error();
        st->bind(1, key);
        if (auto r = st->run(); !r) return r;
        return audit_.append(ctx.actor, std::string(kAuditRemove),
                             std::string(to_string(kind)) + ":" + key,
                             audit_detail(ctx.reason, before, nullptr).dump());
    });
}

}  // namespace kyso::store::sqlite

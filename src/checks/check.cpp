// kyso checks — `kyso check`: every FORMATS.md §5 rule over the four CSV files of a bundle.
#include "checks/check.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include <cstdlib>

#include "bundle/bundle.h"
#include "bundle/pem_column.h"
#include "checks/raw_table.h"
#include "core/id_index.h"
#include "core/messages.h"
#include "core/subject_profile.h"
#include "core/values.h"
#include "store/registered_state.h"
#include "text/csv.h"
#include "text/legacy.h"
#include "text/nfc.h"

namespace kyso::checks {

namespace fs = std::filesystem;

namespace {

// Findings are always in Vietnamese (FORMATS.md §5 `message`), whatever the UI language.
std::string vi(std::string_view code, std::initializer_list<std::string_view> args = {}) {
    return message(code, args, false);
}

// Leading or trailing white space, or two spaces in a row (no allocation: every name passes).
bool stray_spaces(std::string_view s) {
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    if (s.empty()) return false;
    if (blank(s.front()) || blank(s.back())) return true;
    for (std::size_t i = 1; i < s.size(); ++i) {
        if (blank(s[i]) && (blank(s[i - 1]) || s[i] != ' ')) return true;
    }
    return false;
}

class Checker {
public:
    Findings out;

    void add(const RawTable& t, std::size_t r, std::string_view field, const char* code,
             Severity sev, std::string message,
             std::optional<std::string> suggestion = std::nullopt) {
        out.items.push_back(Finding{code, sev, t.file, static_cast<std::int64_t>(r + 1),
                                    std::string(field), std::string(id_of(t, r)),
                                    std::move(message), std::move(suggestion)});
    }

    static std::string_view id_of(const RawTable& t, std::size_t r) {
        return t.at(r, 0);  // `id`, or `serial` in certificates.csv, is asked for first
    }

    // duplicate_id; returns the index of the first record of each id. Certificates' serials
    // are compared as integers (FORMATS.md §1, §5), keyed by their normal form.
    IdIndex first_records(const RawTable& t, const char* key, bool serials = false) {
        IdIndex index;
        index.reserve(t.rows());
        const std::size_t c = t.col(key);
        std::string normal;
        for (std::size_t r = 0; r < t.rows(); ++r) {
            const std::string_view id = t.at(r, c);
            std::string_view k = id;
            if (serials && !serial_valid(id)) {
                if (auto n = normalize_serial(id)) {
                    normal = std::move(*n);
                    k = normal;
                } else {
                    add(t, r, key, "serial_format", Severity::error,
                        vi("check.serial_format", {id}));
                }
            }
            if (serials && serial_valid(k) && !serial_fits(k)) {  // RFC 5280 §4.1.2.2
                add(t, r, key, "serial_format", Severity::error,
                    vi("check.serial_too_long", {id, std::to_string(serial_octets(k))}));
            }
            if (!index.try_emplace(k, r).second) {
                add(t, r, key, "duplicate_id", Severity::error, vi("check.duplicate_id", {id}));
            }
        }
        return index;
    }

    void names(const RawTable& t, const char* field) {
        for (std::size_t r = 0; r < t.rows(); ++r) {
            const std::string_view raw = t.raw_name(r);
            const auto kind = std::string_view(field) == "full_name" ? text::NameKind::person
                                                                     : text::NameKind::organization;
            if (auto repaired = text::repair_legacy(raw, kind)) {
                add(t, r, field, "legacy_encoding", Severity::error,
                    vi("check.legacy_encoding", {raw, *repaired}), *repaired);
            }
            if (!text::is_nfc(raw))
                add(t, r, field, "not_nfc", Severity::warning, vi("check.not_nfc", {raw}));
            const std::string_view nfc = t.at(r, t.name_col());
            if (const std::size_t n = utf8_length(nfc); n > 64) {
                add(t, r, field, "value_too_long", Severity::error,
                    vi("check.value_too_long", {std::to_string(n)}));
            }
            // DOMAIN.md checks beyond FORMATS.md §5 (warnings, so the exit status stays §5's):
            // stray spaces, and a person's name typed in capitals.
            if (stray_spaces(nfc)) {
                add(t, r, field, "stray_spaces", Severity::warning, vi("check.stray_spaces", {nfc}),
                    text::collapse_spaces(nfc));
            }
            if (t.file == "people.csv" && text::all_capitals(nfc)) {
                const std::string proper = text::title_case(text::collapse_spaces(nfc));
                add(t, r, field, "all_capitals", Severity::warning,
                    vi("check.all_capitals", {nfc, proper}), proper);
            }
        }
    }
};

}  // namespace

void sort_findings(Findings& f) {
    static const std::vector<std::string> kFiles{"organizations.csv", "people.csv", "devices.csv",
                                                 "certificates.csv"};
    auto rank = [](const std::string& file) {
        return std::find(kFiles.begin(), kFiles.end(), file) - kFiles.begin();
    };
    std::stable_sort(f.items.begin(), f.items.end(), [&](const Finding& a, const Finding& b) {
        if (a.file != b.file) return rank(a.file) < rank(b.file);
        if (a.row != b.row) return a.row < b.row;
        if (a.field != b.field) return a.field < b.field;
        return a.code < b.code;
    });
}

std::size_t Findings::errors() const {
    return static_cast<std::size_t>(std::count_if(items.begin(), items.end(), [](const Finding& f) {
        return f.severity == Severity::error;
    }));
}
std::size_t Findings::warnings() const {
    return items.size() - errors();
}

Result<Findings> check_bundle(const std::string& dir_text) {
    const fs::path dir(dir_text);
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return make_error("bundle.no_dir", Location{dir_text, 0, {}, {}}, {dir_text});
    // certificates.csv is the largest file: read it on a second thread.
    Result<std::optional<RawTable>> certs_r = std::optional<RawTable>{};
    std::thread certs_reader([&] {
        certs_r = RawTable::read(dir, "certificates.csv",
                                 {"serial", "holder_type", "holder_id", "device_id", "subject",
                                  "not_before", "not_after", "status"},
                                 {"pem"}, false);
    });
    auto orgs_r =
        RawTable::read(dir, "organizations.csv", {"id", "name", "superior_id", "province"},
                       {"agency_code", "kind", "admin_unit"}, true);
    auto people_r = orgs_r ? RawTable::read(dir, "people.csv",
                                            {"id", "full_name", "cccd", "date_of_birth", "email",
                                             "phone", "org_id"},
                                            {"position", "cccd_issued_on", "cccd_issued_by"}, false)
                           : std::optional<RawTable>{};
    auto devices_r =
        orgs_r && people_r
            ? RawTable::read(dir, "devices.csv",
                             {"id", "kind", "serial", "phone", "holder_type", "holder_id"},
                             {"carrier"}, false)
            : std::optional<RawTable>{};
    certs_reader.join();
    if (!orgs_r) return orgs_r.error();
    if (!people_r) return people_r.error();
    if (!devices_r) return devices_r.error();
    if (!certs_r) return certs_r.error();
    const RawTable empty;
    const RawTable& orgs = **orgs_r;
    const RawTable& people = *people_r ? **people_r : empty;
    const RawTable& devices = *devices_r ? **devices_r : empty;
    const RawTable& certs = *certs_r ? **certs_r : empty;

    // Two cores: independent checks run side by side, each with its own findings (merged and
    // sorted at the end).
    Checker ck, ck2;
    std::thread side([&] {
        ck2.first_records(certs, "serial", true);
        ck2.names(people, "full_name");
    });
    const IdIndex org_first = ck.first_records(orgs, "id");
    const IdIndex person_first = ck.first_records(people, "id");
    const IdIndex device_first = ck.first_records(devices, "id");
    ck.names(orgs, "name");
    side.join();

    // Organizations: unknown superiors and cycles (references resolve to the first record).
    const std::size_t o_name = orgs.col("name"), o_sup = orgs.col("superior_id"),
                      o_prov = orgs.col("province");
    auto superior_of = [&](std::size_t r) { return orgs.at(r, o_sup); };
    std::vector<int> on_cycle(orgs.rows(), 0);
    for (std::size_t r = 0; r < orgs.rows(); ++r) {
        const std::string_view sup = superior_of(r);
        if (!sup.empty() && org_first.find(sup) == nullptr) {
            ck.add(orgs, r, "superior_id", "unknown_reference", Severity::error,
                   vi("check.unknown_reference", {sup}));
        }
    }
    for (std::size_t start = 0; start < orgs.rows(); ++start) {
        // Walk from the first record of this id; a walk that returns to its start is a cycle.
        std::size_t r = start;
        for (std::size_t steps = 0; steps <= orgs.rows(); ++steps) {
            const auto* next = org_first.find(superior_of(r));
            if (next == nullptr) break;
            r = next->second;
            if (r == start) {
                on_cycle[start] = 1;
                break;
            }
        }
    }
    for (std::size_t r = 0; r < orgs.rows(); ++r) {
        if (on_cycle[r])
            ck.add(orgs, r, "superior_id", "superior_cycle", Severity::error,
                   vi("check.superior_cycle"));
    }

    // People: references, dates, CCCD, phone, e-mail, duplicate CCCD.
    const std::size_t p_name = people.col("full_name"), p_cccd = people.col("cccd"),
                      p_dob = people.col("date_of_birth"), p_email = people.col("email"),
                      p_phone = people.col("phone"), p_org = people.col("org_id");
    IdIndex first_cccd;
    first_cccd.reserve(people.rows());
    for (std::size_t r = 0; r < people.rows(); ++r) {
        const std::string_view org = people.at(r, p_org);
        if (org_first.find(org) == nullptr) {
            ck.add(people, r, "org_id", "unknown_reference", Severity::error,
                   vi("check.unknown_reference", {org}));
        }
        const std::string_view dob_text = people.at(r, p_dob);
        const auto dob = Date::parse(dob_text);
        if (!dob)
            ck.add(people, r, "date_of_birth", "date_format", Severity::error,
                   vi("check.date_format", {dob_text}));
        const std::string_view cccd = people.at(r, p_cccd);
        if (!cccd_well_formed(cccd)) {
            ck.add(people, r, "cccd", "cccd_format", Severity::error,
                   vi("check.cccd_format", {cccd}));
        } else {
            if (!cccd_province_known(cccd)) {
                ck.add(people, r, "cccd", "cccd_province", Severity::error,
                       vi("check.cccd_province", {cccd.substr(0, 3)}));
            }
            if (dob && !cccd_matches_birth(cccd, *dob)) {
                ck.add(people, r, "cccd", "cccd_birth_mismatch", Severity::error,
                       vi("check.cccd_birth_mismatch", {cccd, dob_text}));
            }
            const auto [first, fresh] = first_cccd.try_emplace(cccd, r);
            if (!fresh && (people.at(first->second, p_name) != people.at(r, p_name) ||
                           people.at(first->second, p_dob) != dob_text)) {
                ck.add(people, r, "cccd", "duplicate_cccd", Severity::error,
                       vi("check.duplicate_cccd", {cccd, std::to_string(first->second + 1)}));
            }
        }
        const std::string_view phone = people.at(r, p_phone);
        if (!phone.empty() && !phone_valid(phone)) {
            ck.add(people, r, "phone", "phone_format", Severity::error,
                   vi("check.phone_format", {phone}));
        }
        const std::string_view email = people.at(r, p_email);
        if (!email.empty() && !email_valid(email)) {
            ck.add(people, r, "email", "email_format", Severity::error,
                   vi("check.email_format", {email}));
        }
    }

    // Devices and certificates: holders, devices, dates.
    auto holder_known = [&](std::string_view type, std::string_view id) {
        if (type == "person") return person_first.find(id) != nullptr;
        if (type == "org") return org_first.find(id) != nullptr;
        return false;  // any other holder_type makes holder_id unknown
    };
    const std::size_t d_type = devices.col("holder_type"), d_holder = devices.col("holder_id"),
                      d_phone = devices.col("phone");
    for (std::size_t r = 0; r < devices.rows(); ++r) {
        const std::string_view id = devices.at(r, d_holder);
        if (!holder_known(devices.at(r, d_type), id)) {
            ck.add(devices, r, "holder_id", "unknown_reference", Severity::error,
                   vi("check.unknown_reference", {id}));
        }
        const std::string_view phone = devices.at(r, d_phone);
        if (!phone.empty() && !phone_valid(phone)) {
            ck.add(devices, r, "phone", "phone_format", Severity::error,
                   vi("check.phone_format", {phone}));
        }
    }
    // The registry as the subject profile reads it: first records, organizations acyclic only.
    struct Ctx {
        const RawTable* orgs;
        const IdIndex* first;
        std::size_t name, superior, province;
    } ctx{&orgs, &org_first, o_name, o_sup, o_prov};
    const OrgLookup lookup = [](const void* p, std::string_view id) -> std::optional<OrgView> {
        const auto* c = static_cast<const Ctx*>(p);
        const auto* hit = c->first->find(id);
        if (hit == nullptr) return std::nullopt;
        const std::size_t r = hit->second;
        return OrgView{c->orgs->at(r, c->name), c->orgs->at(r, c->superior),
                       c->orgs->at(r, c->province)};
    };
    // Expected subjects per organization, computed once (FORMATS.md §4): a person's is the
    // levels of their organization, then CN and E; an organization's is its own subject.
    struct Expected {
        std::optional<Subject> person_levels;  // without CN and E
        std::optional<Subject> org;
    };
    std::vector<Expected> by_org(orgs.rows());
    for (std::size_t org_row = 0; org_row < orgs.rows(); ++org_row) {
        Expected& e = by_org[org_row];
        const std::string_view id = orgs.at(org_row, 0);
        if (org_first.find(id)->second != org_row) continue;  // references reach first records
        if (!superior_chain(id, lookup, &ctx).empty()) {
            e.person_levels = person_subject("", "", id, lookup, &ctx);
            if (e.person_levels) e.person_levels->pop_back();  // the empty CN
            e.org = org_subject(id, lookup, &ctx);
        }
    }
    const std::size_t c_type = certs.col("holder_type"), c_holder = certs.col("holder_id"),
                      c_device = certs.col("device_id"), c_subject = certs.col("subject"),
                      c_status = certs.col("status"), c_not_before = certs.col("not_before"),
                      c_not_after = certs.col("not_after");
    const std::size_t c_serial = certs.col("serial"), c_pem = certs.col("pem");
    auto check_certs = [&](Checker& sink, std::size_t begin, std::size_t end) {
        std::vector<RdnView> actual;
        std::string scratch;
        std::string nfc_value;
        for (std::size_t r = begin; r < end; ++r) {
            const std::string_view type = certs.at(r, c_type);
            const std::string_view holder = certs.at(r, c_holder);
            const bool known = holder_known(type, holder);
            // FORMATS.md §1: both holder fields empty is an unlinked certificate, not unknown.
            if (type.empty() && holder.empty()) {
                sink.add(certs, r, "holder_id", "unlinked_certificate", Severity::warning,
                         vi("check.unlinked_certificate"));
            } else if (!known) {
                sink.add(certs, r, "holder_id", "unknown_reference", Severity::error,
                         vi("check.unknown_reference", {holder}));
            }
            const std::string_view device = certs.at(r, c_device);
            const auto* dev = device.empty() ? nullptr : device_first.find(device);
            if (!device.empty() && dev == nullptr) {
                sink.add(certs, r, "device_id", "unknown_reference", Severity::error,
                         vi("check.unknown_reference", {device}));
            }
            if (dev != nullptr && (devices.at(dev->second, d_type) != type ||
                                   devices.at(dev->second, d_holder) != holder)) {
                sink.add(certs, r, "device_id", "device_holder_mismatch", Severity::warning,
                         vi("check.device_holder_mismatch",
                            {device, devices.at(dev->second, d_holder)}));
            }
            for (const auto& [field, col] :
                 {std::pair{"not_before", c_not_before}, std::pair{"not_after", c_not_after}}) {
                const std::string_view v = certs.at(r, col);
                if (!Date::parse_date_or_datetime(v)) {
                    sink.add(certs, r, field, "date_format", Severity::error,
                             vi("check.date_format", {v}));
                }
            }
            // A validity period that ends before it begins (on an earlier UTC day).
            const auto from = Date::parse_date_or_datetime(certs.at(r, c_not_before));
            const auto until = Date::parse_date_or_datetime(certs.at(r, c_not_after));
            if (from && until && *until < *from) {
                sink.add(certs, r, "not_after", "validity_order", Severity::error,
                         vi("check.validity_order",
                            {certs.at(r, c_not_after), certs.at(r, c_not_before)}));
            }
            // FORMATS.md §1 `pem`: read and compared as import and plan do (pem_column.h).
            if (const std::string_view pem = certs.at(r, c_pem); !pem.empty()) {
                auto file = bundle::read_pem_column(
                    dir, pem,
                    bundle::PemRow{certs.at(r, c_serial), certs.at(r, c_subject),
                                   certs.at(r, c_not_before), certs.at(r, c_not_after)});
                if (!file) {
                    sink.add(certs, r, "pem", "pem_mismatch", Severity::error,
                             std::move(file.error().message));
                }
            }
            if (!known || certs.at(r, c_status) != "valid") continue;
            // subject_mismatch: only where the holder, its organization and their chain are known
            // and acyclic.
            const bool is_org = type == "org";
            const std::size_t person = is_org ? 0 : person_first.find(holder)->second;
            const auto* org_hit = org_first.find(is_org ? holder : people.at(person, p_org));
            if (org_hit == nullptr) continue;
            const Expected& e = by_org[org_hit->second];
            const std::optional<Subject>& base = is_org ? e.org : e.person_levels;
            if (!base) continue;
            const std::string_view name = is_org ? std::string_view{} : people.at(person, p_name);
            const std::string_view email = is_org ? std::string_view{} : people.at(person, p_email);
            const std::size_t want = base->size() + (is_org ? 0 : email.empty() ? 1 : 2);
            bool same = parse_rfc4514_views(certs.at(r, c_subject), actual, scratch) &&
                        actual.size() == want;
            for (std::size_t i = 0; same && i < want; ++i) {
                const bool own = i >= base->size();
                const std::string_view type_wanted = !own ? std::string_view((*base)[i].type)
                                                     : i == base->size() ? "CN"
                                                                         : "E";
                const std::string_view value_wanted = !own ? std::string_view((*base)[i].value)
                                                      : i == base->size() ? name
                                                                          : email;
                std::string_view value = actual[i].value;
                if (!text::is_nfc(value)) {
                    nfc_value = text::to_nfc(value);
                    value = nfc_value;
                }
                // Computed subjects have one attribute per RDN: a multi-valued one differs.
                same = value == value_wanted && !actual[i].joins_previous &&
                       same_attribute(actual[i].type, type_wanted);
            }
            if (!same) {
                Subject expected = *base;
                if (!is_org) {
                    expected.push_back({"CN", std::string(name)});
                    if (!email.empty()) expected.push_back({"E", std::string(email)});
                }
                sink.add(certs, r, "subject", "subject_mismatch", Severity::warning,
                         vi("check.subject_mismatch", {format_rfc4514(expected)}));
            }
        }
    };
    const std::size_t half = certs.rows() / 2;
    std::thread second_half([&] { check_certs(ck2, half, certs.rows()); });
    check_certs(ck, 0, half);
    second_half.join();
    ck.out.items.insert(ck.out.items.end(), std::make_move_iterator(ck2.out.items.begin()),
                        std::make_move_iterator(ck2.out.items.end()));
    sort_findings(ck.out);
    return std::move(ck.out);
}

namespace {

// The subject the current state gives `c`'s holder: a person's organization as the applied
// events moved them, an organization certificate's holder followed to the organization it went
// to when it ceased (FORMATS.md §3: a certificate follows its holder through the events).
std::optional<Subject> current_subject(const Registry& now, const Certificate& c) {
    if (c.holder.type == HolderType::person) return registry_holder_subject(now, c.holder);
    std::string_view id = c.holder.id;
    for (std::size_t steps = 0; steps <= now.organizations.size(); ++steps) {
        const Organization* o = now.org(id);
        if (o == nullptr) return std::nullopt;
        if (!o->ceased_on || o->successor_id.empty()) break;
        id = o->successor_id;
    }
    return registry_org_subject(now, id);
}

bool has_subject(const Certificate& c, const Subject& expected) {
    Subject actual = c.subject;
    if (actual.empty()) {
        auto parsed = parse_rfc4514(c.subject_text);
        if (!parsed) return false;  // an unparseable subject differs
        actual = std::move(*parsed);
    }
    for (Rdn& r : actual) text::normalize_nfc(r.value);
    return same_subject(actual, expected);
}

// FORMATS.md §5: on a database where events were applied, a certificate whose subject is the one
// the current state gives (e.g. re-issued after the events) is right: its subject_mismatch goes.
// A certificate of an organization that an applied event created (the CA answered its issue)
// has no holder in the registered state: it is checked against the current state instead of
// being an unknown reference.
void accept_current_state(Findings& findings, const Registry& registered, const Registry& now) {
    std::vector<Finding> added;
    std::erase_if(findings.items, [&](const Finding& f) {
        if (f.file != "certificates.csv") return false;
        const bool mismatch = f.code == "subject_mismatch";
        const bool created_holder = f.code == "unknown_reference" && f.field == "holder_id";
        if (!mismatch && !created_holder) return false;
        const Certificate* c = now.certificate(f.id);
        if (c == nullptr || c->holder.id.empty()) return false;
        if (created_holder &&
            (c->holder.type != HolderType::org || registered.org(c->holder.id) != nullptr ||
             now.org(c->holder.id) == nullptr))
            return false;
        const auto expected = current_subject(now, *c);
        if (mismatch) return expected && has_subject(*c, *expected);
        if (c->status == CertStatus::valid && expected && !has_subject(*c, *expected)) {
            added.push_back(Finding{"subject_mismatch", Severity::warning, f.file, f.row, "subject",
                                    f.id, vi("check.subject_mismatch", {format_rfc4514(*expected)}),
                                    std::nullopt});
        }
        return true;
    });
    findings.items.insert(findings.items.end(), added.begin(), added.end());
    sort_findings(findings);
}

}  // namespace

Result<Findings> check_store(store::Store& st, const std::string& work_dir) {
    auto state = store::load_registered_state(st);
    if (!state) return state.error();
    // Organizations that applied events created are not in the registered state, but people
    // registered after the events may work there: their references resolve to the current ones.
    auto current = st.load_registry();
    if (!current) return current.error();
    for (const Organization& o : current->organizations) {
        if (state->registry.org(o.id) != nullptr) continue;
        Organization created = o;
        OrgVersion now = o.current();
        now.event_id.clear();  // written as a record, as the bundle writer writes registered ones
        created.versions = {std::move(now)};
        state->registry.organizations.push_back(std::move(created));
    }
    // Unlinked certificates are checked too (unlinked_certificate). The `pem` paths were
    // relative to the bundle they came from; the stored DER is what was read from them.
    for (Certificate& c : state->registry.certificates) c.pem.clear();
    if (auto s = bundle::write_bundle(work_dir, state->registry, {}, false); !s) return s.error();
    auto findings = check_bundle(work_dir);
    if (!findings) return findings;
    auto applied = st.applied_event_ids();
    if (!applied) return applied.error();
    if (!applied->empty()) accept_current_state(*findings, state->registry, *current);
    return findings;
}

TempDir::TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "kyso.XXXXXX").string();
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
}

}  // namespace kyso::checks

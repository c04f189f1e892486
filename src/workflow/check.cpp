// kyso workflow — `kyso check`: every FORMATS.md §5 rule over the four CSV files of a bundle.
#include "workflow/check.h"

#include <algorithm>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "core/id_index.h"
#include "core/messages.h"
#include "core/subject_profile.h"
#include "core/values.h"
#include "text/csv.h"
#include "text/legacy.h"
#include "text/nfc.h"

namespace kyso::workflow {

namespace fs = std::filesystem;

namespace {

// Findings are always in Vietnamese (FORMATS.md §5 `message`), whatever the UI language.
std::string vi(std::string_view code, std::initializer_list<std::string_view> args = {}) {
    return message(code, args, false);
}

// One file: the columns asked for, by name, and every record in NFC; the name column (where the
// file has one) also as written, for not_nfc and legacy_encoding.
struct RawTable {
    std::string file;
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;  // NFC
    std::size_t name_col = SIZE_MAX;
    std::vector<std::string> raw_names;  // the name column as written

    std::size_t col(std::string_view name) const {
        return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) -
                                        columns.begin());
    }
    // NFC value of column `name` in record `r` ("" when the optional column is absent).
    const std::string& get(std::size_t r, std::string_view name) const {
        static const std::string kEmpty;
        const std::size_t c = col(name);
        return c < rows[r].size() ? rows[r][c] : kEmpty;
    }
};

// Reads `dir/file` keeping `required` and `optional` columns. nullopt: the optional file is absent.
Result<std::optional<RawTable>> read_table(const fs::path& dir, const char* file,
                                           std::vector<std::string> required,
                                           std::vector<std::string> optional, bool must_exist) {
    std::error_code ec;
    if (!fs::exists(dir / file, ec)) {
        if (must_exist)
            return make_error("bundle.no_organizations", Location{file, 0, {}, {}}, {dir.string()});
        return std::optional<RawTable>{};
    }
    auto reader = text::CsvReader::open((dir / file).string(), file);
    if (!reader) return reader.error();
    RawTable t;
    t.file = file;
    std::vector<std::optional<std::size_t>> index;
    for (const auto& c : required) {
        auto i = reader->column(c);
        if (!i) return make_error("csv.missing_column", Location{file, 0, c, {}}, {c});
        t.columns.push_back(c);
        index.push_back(i);
    }
    for (const auto& c : optional) {
        t.columns.push_back(c);
        index.push_back(reader->column(c));
    }
    if (t.file == "organizations.csv") t.name_col = t.col("name");
    if (t.file == "people.csv") t.name_col = t.col("full_name");
    while (true) {
        auto more = reader->next();
        if (!more) return more.error();
        if (!*more) break;
        std::vector<std::string> row;
        row.reserve(index.size());
        for (std::size_t k = 0; k < index.size(); ++k) {
            std::string v = index[k] ? reader->fields()[*index[k]] : std::string();
            if (k == t.name_col) t.raw_names.push_back(v);
            text::normalize_nfc(v);
            row.push_back(std::move(v));
        }
        t.rows.push_back(std::move(row));
    }
    return std::optional<RawTable>{std::move(t)};
}

class Checker {
public:
    Findings out;

    void add(const RawTable& t, std::size_t r, std::string_view field, const char* code,
             Severity sev, std::string message,
             std::optional<std::string> suggestion = std::nullopt) {
        out.items.push_back(Finding{code, sev, t.file, static_cast<std::int64_t>(r + 1),
                                    std::string(field), id_of(t, r), std::move(message),
                                    std::move(suggestion)});
    }

    static std::string id_of(const RawTable& t, std::size_t r) {
        return t.get(r, t.file == "certificates.csv" ? "serial" : "id");
    }

    // duplicate_id; returns the index of the first record of each id.
    IdIndex first_records(const RawTable& t, const char* key) {
        IdIndex index;
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            const std::string id = t.get(r, key);
            if (!index.try_emplace(id, r).second) {
                add(t, r, key, "duplicate_id", Severity::error, vi("check.duplicate_id", {id}));
            }
        }
        return index;
    }

    void names(const RawTable& t, const char* field) {
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            const std::string& raw = t.raw_names[r];
            if (auto repaired = text::repair_legacy(raw)) {
                add(t, r, field, "legacy_encoding", Severity::error,
                    vi("check.legacy_encoding", {raw, *repaired}), *repaired);
            }
            if (!text::is_nfc(raw))
                add(t, r, field, "not_nfc", Severity::warning, vi("check.not_nfc", {raw}));
            const std::string& nfc = t.rows[r][t.col(field)];
            if (const std::size_t n = utf8_length(nfc); n > 64) {
                add(t, r, field, "value_too_long", Severity::error,
                    vi("check.value_too_long", {std::to_string(n)}));
            }
        }
    }
};

// FORMATS.md §5 order: file, row, field, code.
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

}  // namespace

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
    auto orgs_r = read_table(dir, "organizations.csv", {"id", "name", "superior_id", "province"},
                             {"agency_code", "kind"}, true);
    if (!orgs_r) return orgs_r.error();
    auto people_r = read_table(
        dir, "people.csv", {"id", "full_name", "cccd", "date_of_birth", "email", "phone", "org_id"},
        {"position", "cccd_issued_on", "cccd_issued_by"}, false);
    if (!people_r) return people_r.error();
    auto devices_r = read_table(dir, "devices.csv",
                                {"id", "kind", "serial", "phone", "holder_type", "holder_id"},
                                {"carrier"}, false);
    if (!devices_r) return devices_r.error();
    auto certs_r = read_table(dir, "certificates.csv",
                              {"serial", "holder_type", "holder_id", "device_id", "subject",
                               "not_before", "not_after", "status"},
                              {"pem"}, false);
    if (!certs_r) return certs_r.error();
    const RawTable empty;
    const RawTable& orgs = **orgs_r;
    const RawTable& people = *people_r ? **people_r : empty;
    const RawTable& devices = *devices_r ? **devices_r : empty;
    const RawTable& certs = *certs_r ? **certs_r : empty;

    Checker ck;
    const IdIndex org_first = ck.first_records(orgs, "id");
    const IdIndex person_first = ck.first_records(people, "id");
    const IdIndex device_first = ck.first_records(devices, "id");
    ck.first_records(certs, "serial");
    ck.names(orgs, "name");
    ck.names(people, "full_name");

    // Organizations: unknown superiors and cycles (references resolve to the first record).
    auto superior_of = [&](std::size_t r) { return orgs.get(r, "superior_id"); };
    std::vector<int> on_cycle(orgs.rows.size(), 0);
    for (std::size_t r = 0; r < orgs.rows.size(); ++r) {
        const std::string sup = superior_of(r);
        if (!sup.empty() && org_first.find(sup) == nullptr) {
            ck.add(orgs, r, "superior_id", "unknown_reference", Severity::error,
                   vi("check.unknown_reference", {sup}));
        }
    }
    for (std::size_t start = 0; start < orgs.rows.size(); ++start) {
        // Walk from the first record of this id; a walk that returns to its start is a cycle.
        std::size_t r = start;
        for (std::size_t steps = 0; steps <= orgs.rows.size(); ++steps) {
            const auto* next = org_first.find(superior_of(r));
            if (next == nullptr) break;
            r = next->second;
            if (r == start) {
                on_cycle[start] = 1;
                break;
            }
        }
    }
    for (std::size_t r = 0; r < orgs.rows.size(); ++r) {
        if (on_cycle[r])
            ck.add(orgs, r, "superior_id", "superior_cycle", Severity::error,
                   vi("check.superior_cycle"));
    }

    // People: references, dates, CCCD, phone, e-mail, duplicate CCCD.
    std::unordered_map<std::string, std::size_t> first_cccd;
    for (std::size_t r = 0; r < people.rows.size(); ++r) {
        const std::string org = people.get(r, "org_id");
        if (org_first.find(org) == nullptr) {
            ck.add(people, r, "org_id", "unknown_reference", Severity::error,
                   vi("check.unknown_reference", {org}));
        }
        const std::string dob_text = people.get(r, "date_of_birth");
        const auto dob = Date::parse(dob_text);
        if (!dob)
            ck.add(people, r, "date_of_birth", "date_format", Severity::error,
                   vi("check.date_format", {dob_text}));
        const std::string cccd = people.get(r, "cccd");
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
            const auto [it, fresh] = first_cccd.try_emplace(cccd, r);
            if (!fresh && (people.get(it->second, "full_name") != people.get(r, "full_name") ||
                           people.get(it->second, "date_of_birth") != dob_text)) {
                ck.add(people, r, "cccd", "duplicate_cccd", Severity::error,
                       vi("check.duplicate_cccd", {cccd, std::to_string(it->second + 1)}));
            }
        }
        const std::string phone = people.get(r, "phone");
        if (!phone.empty() && !phone_valid(phone)) {
            ck.add(people, r, "phone", "phone_format", Severity::error,
                   vi("check.phone_format", {phone}));
        }
        const std::string email = people.get(r, "email");
        if (!email.empty() && !email_valid(email)) {
            ck.add(people, r, "email", "email_format", Severity::error,
                   vi("check.email_format", {email}));
        }
    }

    // Devices and certificates: holders, devices, dates.
    auto holder_known = [&](const std::string& type, const std::string& id) {
        if (type == "person") return person_first.find(id) != nullptr;
        if (type == "org") return org_first.find(id) != nullptr;
        return false;  // any other holder_type makes holder_id unknown
    };
    for (std::size_t r = 0; r < devices.rows.size(); ++r) {
        const std::string id = devices.get(r, "holder_id");
        if (!holder_known(devices.get(r, "holder_type"), id)) {
            ck.add(devices, r, "holder_id", "unknown_reference", Severity::error,
                   vi("check.unknown_reference", {id}));
        }
        const std::string phone = devices.get(r, "phone");
        if (!phone.empty() && !phone_valid(phone)) {
            ck.add(devices, r, "phone", "phone_format", Severity::error,
                   vi("check.phone_format", {phone}));
        }
    }
    // The registry as the subject profile reads it: first records, organizations acyclic only.
    struct Ctx {
        const RawTable* orgs;
        const IdIndex* first;
        const std::vector<int>* cycle;
        std::vector<std::string> names, superiors, provinces;
    } ctx{&orgs, &org_first, &on_cycle, {}, {}, {}};
    for (std::size_t r = 0; r < orgs.rows.size(); ++r) {
        ctx.names.push_back(orgs.get(r, "name"));
        ctx.superiors.push_back(orgs.get(r, "superior_id"));
        ctx.provinces.push_back(orgs.get(r, "province"));
    }
    const OrgLookup lookup = [](const void* p, std::string_view id) -> std::optional<OrgView> {
        const auto* c = static_cast<const Ctx*>(p);
        const auto* hit = c->first->find(id);
        if (hit == nullptr) return std::nullopt;
        return OrgView{c->names[hit->second], c->superiors[hit->second], c->provinces[hit->second]};
    };
    for (std::size_t r = 0; r < certs.rows.size(); ++r) {
        const std::string type = certs.get(r, "holder_type");
        const std::string holder = certs.get(r, "holder_id");
        const bool known = holder_known(type, holder);
        if (!known) {
            ck.add(certs, r, "holder_id", "unknown_reference", Severity::error,
                   vi("check.unknown_reference", {holder}));
        }
        const std::string device = certs.get(r, "device_id");
        const auto* dev = device.empty() ? nullptr : device_first.find(device);
        if (!device.empty() && dev == nullptr) {
            ck.add(certs, r, "device_id", "unknown_reference", Severity::error,
                   vi("check.unknown_reference", {device}));
        }
        if (dev != nullptr && (devices.get(dev->second, "holder_type") != type ||
                               devices.get(dev->second, "holder_id") != holder)) {
            ck.add(certs, r, "device_id", "device_holder_mismatch", Severity::warning,
                   vi("check.device_holder_mismatch",
                      {device, devices.get(dev->second, "holder_id")}));
        }
        for (const char* field : {"not_before", "not_after"}) {
            const std::string v = certs.get(r, field);
            if (!Date::parse_date_or_datetime(v)) {
                ck.add(certs, r, field, "date_format", Severity::error,
                       vi("check.date_format", {v}));
            }
        }
        if (!known || certs.get(r, "status") != "valid") continue;
        // subject_mismatch: only where the holder, its organization and their chain are known and
        // acyclic.
        std::optional<Subject> expected;
        std::string org_id =
            type == "org" ? holder : people.get(person_first.find(holder)->second, "org_id");
        const auto chain = superior_chain(org_id, lookup, &ctx);
        if (chain.empty()) continue;
        if (type == "org") {
            expected = org_subject(holder, lookup, &ctx);
        } else {
            const std::size_t p = person_first.find(holder)->second;
            expected = person_subject(people.get(p, "full_name"), people.get(p, "email"), org_id,
                                      lookup, &ctx);
        }
        if (!expected) continue;
        auto actual = parse_rfc4514(certs.get(r, "subject"));
        if (actual) {
            for (auto& rdn : *actual) text::normalize_nfc(rdn.value);
        }
        if (!actual || !same_subject(*actual, *expected)) {
            ck.add(certs, r, "subject", "subject_mismatch", Severity::warning,
                   vi("check.subject_mismatch", {format_rfc4514(*expected)}));
        }
    }
    sort_findings(ck.out);
    return std::move(ck.out);
}

}  // namespace kyso::workflow

// kyso bundle — reading a registry bundle (FORMATS.md §1) with file/row/field errors.
#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "bundle/bundle.h"
#include "bundle/events_json.h"
#include "bundle/pem_column.h"
#include "core/messages.h"
#include "core/values.h"
#include "text/csv.h"
#include "text/nfc.h"

namespace kyso::bundle {

namespace fs = std::filesystem;

namespace {

// One column of a file: its name and whether the header must have it.
struct ColumnSpec {
    std::string_view name;
    bool required;
    bool may_be_empty;
};

// A CSV file of the bundle with its columns resolved to indexes.
class Table {
public:
    Table(text::CsvReader reader, std::vector<ColumnSpec> specs)
        : reader_(std::move(reader)), specs_(std::move(specs)) {}

    // Resolves the header; a missing required column is an error naming the file and column.
    Status resolve(std::vector<Notice>& notices) {
        index_.assign(specs_.size(), SIZE_MAX);
        for (std::size_t i = 0; i < specs_.size(); ++i) {
            if (auto c = reader_.column(specs_[i].name)) {
                index_[i] = *c;
            } else if (specs_[i].required) {
                return make_error("csv.missing_column",
                                  Location{reader_.name(), 0, std::string(specs_[i].name), {}},
                                  {specs_[i].name});
            }
        }
        const auto& header = reader_.header();
        for (std::size_t c = 0; c < header.size(); ++c) {
            if (std::count(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(c),
                           header[c]) > 0) {
                return make_error("csv.duplicate_column",
                                  Location{reader_.name(), 0, header[c], {}}, {header[c]});
            }
            const bool known = std::any_of(specs_.begin(), specs_.end(), [&](const ColumnSpec& s) {
                return s.name == header[c];
            });
            if (!known) {
                Location where{reader_.name(), 0, header[c], {}};
                notices.push_back({where, message("csv.unknown_column", {header[c]}, false),
                                   message("csv.unknown_column", {header[c]}, true)});
            }
        }
        return Ok{};
    }

    Result<bool> next() {
        auto r = reader_.next();
        if (r && *r) {
            for (auto& f : reader_.mutable_fields()) text::normalize_nfc(f);
        }
        return r;
    }

    // Value of column `i` of the specs (empty when the optional column is absent).
    const std::string& get(std::size_t i) const {
        static const std::string kEmpty;
        return index_[i] == SIZE_MAX ? kEmpty : reader_.fields()[index_[i]];
    }

    // Checks that required values are present; the record id is in column `id_col`.
    Status check_required(std::size_t id_col) const {
        for (std::size_t i = 0; i < specs_.size(); ++i) {
            if (specs_[i].required && !specs_[i].may_be_empty && get(i).empty()) {
                return error(i, id_col, "bundle.empty_value", {});
            }
        }
        return Ok{};
    }

    Error error(std::size_t col, std::size_t id_col, std::string_view code,
                std::initializer_list<std::string_view> args) const {
        return make_error(code, where(col, id_col), args);
    }
    Location where(std::size_t col, std::size_t id_col) const {
        return Location{reader_.name(), reader_.row(), std::string(specs_[col].name), get(id_col)};
    }

    std::int64_t row() const { return reader_.row(); }
    const text::CsvReader& reader() const { return reader_; }

private:
    text::CsvReader reader_;
    std::vector<ColumnSpec> specs_;
    std::vector<std::size_t> index_;
};

// Opens `dir/name`; a missing optional file is an empty table (nullopt).
Result<std::optional<Table>> open_table(const fs::path& dir, const char* name,
                                        std::vector<ColumnSpec> specs, bool required,
                                        std::vector<Notice>& notices) {
    const fs::path path = dir / name;
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        if (required)
            return make_error("bundle.no_organizations", Location{name, 0, {}, {}}, {dir.string()});
        return std::optional<Table>{};
    }
    auto reader = text::CsvReader::open(path.string(), name);
    if (!reader) return reader.error();
    Table t(std::move(*reader), std::move(specs));
    if (auto s = t.resolve(notices); !s) return s.error();
    return std::optional<Table>{std::move(t)};
}

// Index of each id in its registry vector; the 1-based row of record i is i + 1 (every record
// becomes one element, and a repeated id stops the read).
using RowIndex = IdIndex;

std::int64_t row_of(const RowIndex& index, std::string_view id) {
    const auto it = index.find(id);
    return it == index.end() ? 0 : static_cast<std::int64_t>(it->second) + 1;
}

// Reserves for the records a file of this size probably holds (`bytes_per_row` on average).
template <typename Vec>
void reserve_for(const Table& t, Vec& v, RowIndex& index, std::size_t bytes_per_row) {
    // The reservation is a guess; the vector and index grow past it when needed.
    const std::size_t guess = t.reader().size() / bytes_per_row + 16;
    v.reserve(guess);
    index.reserve(guess);
}

// Reads the next record of a file keyed by column `id_col`: required values present, id not
// seen before (recorded in `rows` with its position). false at the end of the file.
Result<bool> next_record(Table& t, RowIndex& rows, std::size_t id_col) {
    auto more = t.next();
    if (!more || !*more) return more;
    if (auto s = t.check_required(id_col); !s) return s.error();
    const auto [it, fresh] = rows.try_emplace(t.get(id_col), static_cast<std::size_t>(t.row() - 1));
    if (!fresh)
        return t.error(id_col, id_col, "bundle.duplicate_id",
                       {t.get(id_col), std::to_string(it->second + 1)});
    return true;
}

Status read_organizations(Table& t, Registry& reg, RowIndex& rows) {
    enum { kId, kName, kSuperior, kProvince, kAgency, kKind, kAdminUnit };
    reserve_for(t, reg.organizations, rows, 80);
    while (true) {
        auto more = next_record(t, rows, kId);
        if (!more) return more.error();
        if (!*more) break;
        const auto kind = parse_org_kind(t.get(kKind));
        if (!kind) {
            return t.error(
                kKind, kId, "bundle.bad_enum",
                {t.get(kKind), "people_committee, department, office, public_unit, other"});
        }
        Organization o;
        o.id = t.get(kId);
        o.versions.push_back(OrgVersion{Date{1, 1, 1},
                                        t.get(kName),
                                        t.get(kSuperior),
                                        t.get(kProvince),
                                        t.get(kAgency),
                                        t.get(kAdminUnit),
                                        *kind,
                                        {}});
        reg.organizations.push_back(std::move(o));
    }
    return Ok{};
}

Status read_people(Table& t, Registry& reg, RowIndex& rows, bool check_dates) {
    enum { kId, kName, kCccd, kDob, kEmail, kPhone, kOrg, kPosition, kIssuedOn, kIssuedBy };
    reserve_for(t, reg.people, rows, 150);
    while (true) {
        auto more = next_record(t, rows, kId);
        if (!more) return more.error();
        if (!*more) break;
        if (check_dates && !Date::parse(t.get(kDob)))
            return t.error(kDob, kId, "bundle.bad_date", {t.get(kDob)});
        if (check_dates && !t.get(kIssuedOn).empty() && !Date::parse(t.get(kIssuedOn))) {
            return t.error(kIssuedOn, kId, "bundle.bad_date", {t.get(kIssuedOn)});
        }
        reg.people.push_back(Person{t.get(kId), t.get(kName), t.get(kCccd), t.get(kDob),
                                    t.get(kEmail), t.get(kPhone), t.get(kOrg), t.get(kPosition),
                                    t.get(kIssuedOn), t.get(kIssuedBy)});
    }
    return Ok{};
}

Status read_devices(Table& t, Registry& reg, RowIndex& rows) {
    enum { kId, kKind, kSerial, kPhone, kCarrier, kHolderType, kHolderId };
    reserve_for(t, reg.devices, rows, 45);
    while (true) {
        auto more = next_record(t, rows, kId);
        if (!more) return more.error();
        if (!*more) break;
        const auto kind = parse_device_kind(t.get(kKind));
        if (!kind)
            return t.error(kKind, kId, "bundle.bad_enum",
                           {t.get(kKind), "usb_token, pki_sim, hsm"});
        const auto ht = parse_holder_type(t.get(kHolderType));
        if (!ht)
            return t.error(kHolderType, kId, "bundle.bad_enum",
                           {t.get(kHolderType), "person, org"});
        reg.devices.push_back(Device{t.get(kId), *kind, t.get(kSerial), t.get(kPhone),
                                     t.get(kCarrier), HolderRef{*ht, t.get(kHolderId)}});
    }
    return Ok{};
}

// FORMATS.md §1 `pem`: serial, subject and validity read from the file must agree with the row
// (pem_column.h); the certificate's issuer, fingerprints and DER are kept.
Status check_pem(const fs::path& dir, Table& t, std::size_t pem_col, std::size_t id_col,
                 Certificate& c) {
    auto info =
        read_pem_column(dir, c.pem, PemRow{c.serial, c.subject_text, c.not_before, c.not_after});
    if (!info) {
        Error e = std::move(info.error());
        e.where = t.where(pem_col, id_col);
        return e;
    }
    c.issuer_text = format_rfc4514(info->issuer);
    c.sha256_cert = std::move(info->sha256_cert);
    c.sha256_key = std::move(info->sha256_key);
    c.der = std::move(info->der);
    return Ok{};
}

Status read_certificates(const fs::path& dir, Table& t, Registry& reg, RowIndex& rows,
                         const ReadOptions& opt) {
    enum {
        kSerial,
        kHolderType,
        kHolderId,
        kDevice,
        kSubject,
        kNotBefore,
        kNotAfter,
        kStatus,
        kPem
    };
    reserve_for(t, reg.certificates, rows, 280);
    std::vector<RdnView> rdn_views;
    std::string rdn_scratch;
    std::size_t tick = 0;
    while (true) {
        auto more = t.next();
        if (!more) return more.error();
        if (!*more) break;
        if (auto s = t.check_required(kSerial); !s) return s.error();
        if (opt.progress && (++tick & 0xFFFF) == 0)
            opt.progress(t.reader().offset(), t.reader().size());
        Certificate c;
        // FORMATS.md §1: the integer in `openssl x509 -serial` form, whatever way it is written;
        // two rows whose serials are the same integer are the same certificate.
        if (serial_valid(t.get(kSerial))) {
            c.serial = t.get(kSerial);
        } else if (auto n = normalize_serial(t.get(kSerial))) {
            c.serial = std::move(*n);
        } else {
            return t.error(kSerial, kSerial, "bundle.bad_serial", {t.get(kSerial)});
        }
        if (!serial_fits(c.serial))  // RFC 5280 §4.1.2.2
            return t.error(kSerial, kSerial, "bundle.serial_too_long",
                           {t.get(kSerial), std::to_string(serial_octets(c.serial))});
        const auto [first, fresh] =
            rows.try_emplace(c.serial, static_cast<std::size_t>(t.row() - 1));
        if (!fresh) {
            return t.error(kSerial, kSerial, "bundle.duplicate_id",
                           {t.get(kSerial), std::to_string(first->second + 1)});
        }
        // Both holder fields empty: an unlinked certificate (FORMATS.md §1); one alone is not.
        const std::string& holder_type = t.get(kHolderType);
        const std::string& holder_id = t.get(kHolderId);
        if (holder_type.empty() != holder_id.empty()) {
            return t.error(holder_type.empty() ? kHolderType : kHolderId, kSerial,
                           "bundle.empty_value", {});
        }
        if (!holder_type.empty()) {
            const auto ht = parse_holder_type(holder_type);
            if (!ht) {
                return t.error(kHolderType, kSerial, "bundle.bad_enum",
                               {holder_type, "person, org"});
            }
            c.holder = HolderRef{*ht, holder_id};
        }
        c.device_id = t.get(kDevice);
        c.subject_text = t.get(kSubject);
        SubjectSyntaxError bad;
        if (!parse_rfc4514_views(c.subject_text, rdn_views, rdn_scratch, &bad)) {
            return t.error(kSubject, kSerial, "subject.syntax",
                           {c.subject_text, bad.why, std::to_string(bad.position)});
        }
        if (opt.keep_parsed_subjects) {
            c.subject.reserve(rdn_views.size());
            for (const RdnView& v : rdn_views) {
                c.subject.push_back(
                    Rdn{canonical_attribute(v.type), std::string(v.value), v.joins_previous});
            }
        }
        c.not_before = t.get(kNotBefore);
        c.not_after = t.get(kNotAfter);
        if (!Date::parse_date_or_datetime(c.not_before)) {
            return t.error(kNotBefore, kSerial, "bundle.bad_datetime", {c.not_before});
        }
        const auto na = Date::parse_date_or_datetime(c.not_after);
        if (!na) return t.error(kNotAfter, kSerial, "bundle.bad_datetime", {c.not_after});
        c.not_after_date = *na;
        const auto st = parse_cert_status(t.get(kStatus));
        if (!st)
            return t.error(kStatus, kSerial, "bundle.bad_enum", {t.get(kStatus), "valid, revoked"});
        c.status = *st;
        c.pem = t.get(kPem);
        if (opt.check_pem && !c.pem.empty()) {
            if (auto s = check_pem(dir, t, kPem, kSerial, c); !s) return s;
        }
        reg.certificates.push_back(std::move(c));
    }
    return Ok{};
}

// FORMATS.md §3 input errors: every reference names a record; superiors have no cycle.
// References resolve to the bundle's records or, for organizations, to one an event of the
// bundle creates (`new` of a merge or create): a database exported after `events apply` has
// people hired into, and certificates issued to, organizations the events made.
Status check_references(Registry& reg, const RowIndex& org_rows, const RowIndex& person_rows,
                        const RowIndex& device_rows, const RowIndex& cert_rows,
                        const std::vector<ReorgEvent>& events) {
    std::unordered_set<std::string_view> created;
    add_created_organization_ids(events, created);
    auto org_known = [&](const std::string& id) {
        return reg.org(id) != nullptr || created.count(id) != 0;
    };
    auto unknown = [](const char* file, std::int64_t row, const char* field, const std::string& id,
                      const std::string& ref) {
        return make_error("bundle.unknown_reference", Location{file, row, field, id}, {ref});
    };
    auto holder_known = [&](const HolderRef& h) {
        return h.type == HolderType::org ? org_known(h.id) : reg.person(h.id) != nullptr;
    };
    for (const auto& o : reg.organizations) {
        const auto& sup = o.current().superior_id;
        if (!sup.empty() && reg.org(sup) == nullptr) {
            return unknown("organizations.csv", row_of(org_rows, o.id), "superior_id", o.id, sup);
        }
    }
    // Cycle detection: walk each chain with a visited colour.
    std::unordered_map<std::string_view, int> state;  // 1: on the current walk, 2: known acyclic
    for (const auto& o : reg.organizations) {
        std::vector<std::string_view> walk;
        std::string_view id = o.id;
        while (!id.empty() && state[id] == 0) {
            state[id] = 1;
            walk.push_back(id);
            id = reg.org(id)->current().superior_id;
        }
        if (!id.empty() && state[id] == 1) {
            std::string cycle;
            const auto start = std::find(walk.begin(), walk.end(), id);
            for (auto w = start; w != walk.end(); ++w) cycle += std::string(*w) + " → ";
            cycle += std::string(id);
            return make_error(
                "bundle.superior_cycle",
                Location{"organizations.csv", row_of(org_rows, id), "superior_id", std::string(id)},
                {cycle});
        }
        for (auto w : walk) state[w] = 2;
    }
    for (const auto& p : reg.people) {
        if (!org_known(p.org_id))
            return unknown("people.csv", row_of(person_rows, p.id), "org_id", p.id, p.org_id);
    }
    for (const auto& d : reg.devices) {
        if (!holder_known(d.holder))
            return unknown("devices.csv", row_of(device_rows, d.id), "holder_id", d.id,
                           d.holder.id);
    }
    reg.link();
    for (const auto& c : reg.certificates) {
        if (c.holder_pos == Certificate::kNoPos && !c.unlinked() && !holder_known(c.holder)) {
            return unknown("certificates.csv", row_of(cert_rows, c.serial), "holder_id", c.serial,
                           c.holder.id);
        }
        if (!c.device_id.empty() && c.device_pos == Certificate::kNoPos) {
            return unknown("certificates.csv", row_of(cert_rows, c.serial), "device_id", c.serial,
                           c.device_id);
        }
    }
    return Ok{};
}

Result<std::string> read_small_file(const fs::path& path, std::size_t limit) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec)
        return make_error("csv.open", Location{path.filename().string(), 0, {}, {}},
                          {ec.message()});
    if (size > limit) {
        return make_error("event.too_large", Location{path.filename().string(), 0, {}, {}},
                          {std::to_string(limit)});
    }
    // One buffer of the file's size: never more than `limit` bytes held.
    std::ifstream in(path, std::ios::binary);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

}  // namespace

Result<Bundle> read_bundle(const std::string& dir_text, const ReadOptions& opt) {
    const fs::path dir(dir_text);
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return make_error("bundle.no_dir", Location{dir_text, 0, {}, {}}, {dir_text});
    Bundle b;
    RowIndex& org_rows = b.registry.org_index;
    RowIndex& person_rows = b.registry.person_index;
    RowIndex& device_rows = b.registry.device_index;
    RowIndex& cert_rows = b.registry.cert_index;

    auto orgs = open_table(dir, "organizations.csv",
                           {{"id", true, false},
                            {"name", true, false},
                            {"superior_id", true, true},
                            {"province", true, false},
                            {"agency_code", false, true},
                            {"kind", false, true},
                            {"admin_unit", false, true}},
                           true, b.notices);
    if (!orgs) return orgs.error();
    if (auto s = read_organizations(**orgs, b.registry, org_rows); !s) return s.error();

    auto people = open_table(dir, "people.csv",
                             {{"id", true, false},
                              {"full_name", true, false},
                              {"cccd", true, false},
                              {"date_of_birth", true, false},
                              {"email", true, true},
                              {"phone", true, true},
                              {"org_id", true, false},
                              {"position", false, true},
                              {"cccd_issued_on", false, true},
                              {"cccd_issued_by", false, true}},
                             false, b.notices);
    if (!people) return people.error();

    auto devices = open_table(dir, "devices.csv",
                              {{"id", true, false},
                               {"kind", true, false},
                               {"serial", true, false},
                               {"phone", true, true},
                               {"carrier", false, true},
                               {"holder_type", true, false},
                               {"holder_id", true, false}},
                              false, b.notices);
    if (!devices) return devices.error();

    auto certs = open_table(dir, "certificates.csv",
                            {{"serial", true, false},
                             {"holder_type", true, true},  // both empty: unlinked
                             {"holder_id", true, true},
                             {"device_id", true, true},
                             {"subject", true, false},
                             {"not_before", true, false},
                             {"not_after", true, false},
                             {"status", true, false},
                             {"pem", false, true}},
                            false, b.notices);
    if (!certs) return certs.error();

    // People and devices are read on a second thread while this one reads the certificates: the
    // files are independent until references are checked. Errors are reported in file order.
    Status people_status = Ok{};
    Status devices_status = Ok{};
    std::thread side([&] {
        if (*people)
            people_status = read_people(**people, b.registry, person_rows, opt.check_person_dates);
        if (people_status && *devices)
            devices_status = read_devices(**devices, b.registry, device_rows);
    });
    Status certs_status = Ok{};
    if (*certs) certs_status = read_certificates(dir, **certs, b.registry, cert_rows, opt);
    side.join();
    if (!people_status) return people_status.error();
    if (!devices_status) return devices_status.error();
    if (!certs_status) return certs_status.error();

    // The indexes were built while reading (first record of an id wins; repeats are errors).
    if (opt.read_events && fs::exists(dir / "events.json", ec)) {
        auto json = read_small_file(dir / "events.json", kMaxEventsJson);
        if (!json) return json.error();
        auto events = parse_events_json(*json);
        if (!events) return events.error();
        b.events = std::move(*events);
    }
    if (!opt.check_references) b.registry.link();
    if (opt.check_references) {
        if (auto s = check_references(b.registry, org_rows, person_rows, device_rows, cert_rows,
                                      b.events);
            !s) {
            return s.error();
        }
    }
    return b;
}

}  // namespace kyso::bundle

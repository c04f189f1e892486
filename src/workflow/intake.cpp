// kyso workflow — `kyso intake`: an agency's spreadsheet (XLSX or CSV) turned into a bundle,
// with every change intake made listed and the bundle checked (FORMATS.md §5).
#include "workflow/intake.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "bundle/bundle.h"
#include "core/messages.h"
#include "store/store.h"
#include "text/csv.h"
#include "text/csv_writer.h"
#include "text/nfc.h"
#include "text/spreadsheet.h"
#include "workflow/check.h"
#include "workflow/intake_columns.h"
#include "workflow/intake_dates.h"
#include "workflow/intake_values.h"

namespace kyso::workflow {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kHeaderSearchRows = 30;

// The organizations to match units to: a bundle folder or a database.
Result<Registry> load_registry_from(const std::string& where) {
    std::error_code ec;
    if (fs::is_directory(where, ec)) {
        auto b = bundle::read_bundle(where);
        if (!b) return b.error();
        return std::move(b->registry);
    }
    if (!fs::exists(where, ec))
        return make_error("intake.registry_missing", Location{where, 0, {}, {}}, {where});
    auto st = store::open_store(where);
    if (!st) return st.error();
    return (*st)->load_registry();
}

const std::string& cell(const std::vector<std::string>& row, const std::optional<std::size_t>& c) {
    static const std::string empty;
    return c && *c < row.size() ? row[*c] : empty;
}

// A header row names the full name and at least one more field: scored by the fields it names
// (0: not a header). Also how a CSV file's separator is chosen.
std::size_t header_score(const std::vector<std::string>& row, const ColumnMapping* mapping) {
    const ColumnMap c = map_columns(row, mapping);
    const bool header = c[static_cast<std::size_t>(IntakeField::full_name)] && mapped_count(c) >= 2;
    return header ? mapped_count(c) : 0;
}

// The header row: the first of the top rows that is one.
std::optional<std::size_t> find_header(const text::Sheet& t, const ColumnMapping* mapping,
                                       ColumnMap& columns) {
    for (std::size_t r = 0; r < t.rows.size() && r < kHeaderSearchRows; ++r) {
        if (header_score(t.rows[r], mapping) > 0) {
            columns = map_columns(t.rows[r], mapping);
            return r;
        }
    }
    return std::nullopt;
}

// Rows of column numbers ("1", "(2)", ...) that forms put under their headings.
bool numbering_row(const std::vector<std::string>& row) {
    bool any = false;
    for (const auto& v : row) {
        if (v.empty()) continue;
        any = true;
        const auto digits = v.find_first_not_of("()0123456789 ");
        if (digits != std::string::npos) return false;
    }
    return any;
}

struct Writer {
    std::vector<std::vector<std::string>> people;
    std::vector<std::vector<std::string>> serials;
    std::vector<std::vector<std::string>> devices;
    std::vector<std::pair<std::size_t, std::string>> unknown_device_kinds;  // people row, text
    std::map<std::string, std::string> org_ids;                             // unit name -> id
    std::map<std::string, std::string> known;  // folded registry name -> id (first wins)
    std::vector<std::vector<std::string>> orgs;
    std::vector<std::size_t> unknown_unit_rows;  // people rows (0-based) whose unit is new
    std::size_t new_units = 0;
    std::set<std::string> new_unit_ids;
    IntakeResult result;
    const IntakeOptions* options = nullptr;
    // Values intake kept as written because of a problem (CleanValue::problem), reported as
    // findings on the person's row.
    struct ValueProblem {
        std::size_t person;  // index in `people`
        std::string sheet;
        IntakeField field;
        std::string written;
        std::string code;
    };
    std::vector<ValueProblem> problems;
    std::size_t current_person = 0;  // the people row the sheet row being read becomes

    std::string take(const text::Sheet& t, std::int64_t row, IntakeField field, CleanValue v,
                     std::string_view written) {
        if (!v.problem.empty())
            problems.push_back({current_person, t.name, field, std::string(written), v.problem});
        if (!v.reason.empty())
            result.changes.push_back({t.name, row, std::string(field_key(field)),
                                      std::string(written), v.value, v.reason});
        return std::move(v.value);
    }

    void load_known(const Registry& reg) {
        for (const Organization& o : reg.organizations) {
            const OrgVersion& v = o.current();
            orgs.push_back({o.id, v.name, v.superior_id, v.province, v.agency_code,
                            v.kind == OrgKind::unspecified ? "" : std::string(to_string(v.kind))});
            known.emplace(text::fold_for_matching(v.name), o.id);
        }
    }

    std::string org_id(const std::string& name) {
        if (name.empty()) return {};
        if (auto hit = org_ids.find(name); hit != org_ids.end()) return hit->second;
        if (auto k = known.find(text::fold_for_matching(name)); k != known.end()) {
            ++result.units_matched;
            return org_ids.emplace(name, k->second).first->second;
        }
        ++new_units;
        std::string id = "o" + std::to_string(new_units);
        orgs.push_back({id, name, "", options->province, "", ""});
        new_unit_ids.insert(id);
        return org_ids.emplace(name, id).first->second;
    }

    void add_table(const text::Sheet& t, std::size_t index, const ColumnMapping* mapping) {
        if (t.state != text::SheetState::visible && !options->include_hidden) {
            result.sheets_hidden.push_back(t.name);
            return;
        }
        ColumnMap cols;
        const auto header = find_header(t, mapping, cols);
        if (!header) {
            result.sheets_skipped.push_back(t.name);
            return;
        }
        result.sheets_used.push_back(t.name);
        const std::string prefix = index == 0 ? "r" : "s" + std::to_string(index + 1) + "r";
        auto col = [&](IntakeField f) { return cols[static_cast<std::size_t>(f)]; };
        // Day/month order is a property of a column (intake_dates.h).
        const DateColumn birth = read_date_column(t, *header + 1, col(IntakeField::date_of_birth));
        const DateColumn issued =
            read_date_column(t, *header + 1, col(IntakeField::cccd_issued_on));
        for (std::size_t r = *header + 1; r < t.rows.size(); ++r) {
            const auto& row = t.rows[r];
            const auto row_no = static_cast<std::int64_t>(r + 1);
            const std::string& name_cell = cell(row, col(IntakeField::full_name));
            const std::string& cccd_cell = cell(row, col(IntakeField::cccd));
            if (name_cell.empty() && cccd_cell.empty()) continue;
            if (numbering_row(row)) continue;
            current_person = people.size();
            auto field = [&](IntakeField f, CleanValue (*clean)(std::string_view)) {
                const std::string& written = cell(row, col(f));
                return take(t, row_no, f, clean(written), written);
            };
            auto date = [&](IntakeField f, const DateColumn& column) {
                const std::string& written = cell(row, col(f));
                return take(t, row_no, f, clean_date(written, column), written);
            };
            const std::string id = prefix + std::to_string(row_no);
            const std::string name = field(IntakeField::full_name, clean_text);
            std::string unit = field(IntakeField::organization, clean_text);
            if (unit.empty()) unit = options->default_org;
            people.push_back({id, name, field(IntakeField::cccd, clean_cccd),
                              date(IntakeField::date_of_birth, birth),
                              field(IntakeField::email, clean_text),
                              field(IntakeField::phone, clean_phone), org_id(unit),
                              field(IntakeField::position, clean_text),
                              date(IntakeField::cccd_issued_on, issued),
                              field(IntakeField::cccd_issued_by, clean_text)});
            if (!known.empty() && new_unit_ids.count(people.back()[6]) != 0)
                unknown_unit_rows.push_back(people.size() - 1);
            if (std::string serial = field(IntakeField::serial, clean_serial); !serial.empty())
                serials.push_back({id, name, serial});
            add_device(id, field(IntakeField::device_kind, clean_text),
                       field(IntakeField::device_serial, clean_device_serial),
                       field(IntakeField::carrier, clean_text), people.back()[5]);
        }
    }

    // The national CA's sheet names devices TOKEN, SIM, HSM (SOFT and RSSP keep no key on a
    // device). A kind it does not know is a warning finding, and no device is written.
    void add_device(const std::string& person, const std::string& kind, const std::string& serial,
                    const std::string& carrier, const std::string& phone) {
        if (kind.empty()) return;
        const std::string k = text::fold_for_matching(kind);
        std::string device_kind;
        if (k == "token" || k == "usb token" || k == "pki token" || k == "usb_token")
            device_kind = "usb_token";
        else if (k == "sim" || k == "sim pki" || k == "pki sim" || k == "pki_sim")
            device_kind = "pki_sim";
        else if (k == "hsm")
            device_kind = "hsm";
        else if (k == "soft" || k == "rssp")
            return;
        else {
            unknown_device_kinds.emplace_back(people.size() - 1, kind);
            return;
        }
        devices.push_back({"d-" + person, device_kind, serial,
                           device_kind == "pki_sim" ? phone : std::string(),
                           device_kind == "pki_sim" ? carrier : std::string(), "person", person});
    }
};

Status write_csv(const fs::path& path, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
    text::CsvWriter out(path.string());
    out.row(header);
    for (const auto& r : rows) out.row(r);
    return out.close();
}

Status write_outputs(const fs::path& dir, const Writer& w) {
    std::vector<std::vector<std::string>> changes;
    for (const auto& sheet : w.result.sheets_hidden)
        changes.push_back({sheet, "", "", "", "", message("intake.hidden_sheet")});
    for (const auto& c : w.result.changes)
        changes.push_back(
            {c.sheet, std::to_string(c.row), c.field, c.from, c.to, message(c.reason)});
    for (const auto& s : {
             write_csv(dir / "organizations.csv",
                       {"id", "name", "superior_id", "province", "agency_code", "kind"}, w.orgs),
             write_csv(dir / "people.csv",
                       {"id", "full_name", "cccd", "date_of_birth", "email", "phone", "org_id",
                        "position", "cccd_issued_on", "cccd_issued_by"},
                       w.people),
             write_csv(dir / "devices.csv",
                       {"id", "kind", "serial", "phone", "carrier", "holder_type", "holder_id"},
                       w.devices),
             write_csv(dir / "certificates.csv",
                       {"serial", "holder_type", "holder_id", "device_id", "subject", "not_before",
                        "not_after", "status", "pem"},
                       {}),
             write_csv(dir / "serials.csv", {"person_id", "full_name", "serial"}, w.serials),
             write_csv(dir / "intake.csv", {"sheet", "row", "field", "from", "to", "reason"},
                       changes),
         }) {
        if (!s) return s;
    }
    return Ok{};
}

// CleanValue problems as findings on the person's row: `number_digits_lost` (error) on each;
// `date_order_assumed` (warning) once per sheet and column, on its first row.
void add_value_findings(const Writer& w, Findings& findings) {
    std::set<std::pair<std::string, IntakeField>> columns_warned;
    for (const auto& p : w.problems) {
        const bool order = p.code == "date_order_assumed";
        if (order && !columns_warned.emplace(p.sheet, p.field).second) continue;
        const std::string field(field_key(p.field));
        findings.items.push_back(
            Finding{p.code, order ? Severity::warning : Severity::error, "people.csv",
                    static_cast<std::int64_t>(p.person + 1), field, w.people[p.person][0],
                    message("intake." + p.code, {p.written, field, p.sheet}, false), std::nullopt});
    }
}

}  // namespace

Result<IntakeResult> run_intake(const IntakeOptions& o) {
    const fs::path out(o.out_dir);
    std::error_code ec;
    if (fs::exists(out, ec) && !fs::is_empty(out, ec))
        return make_error("fix.target_not_empty", Location{o.out_dir, 0, {}, {}}, {o.out_dir});
    std::optional<ColumnMapping> mapping;
    if (!o.mapping.empty()) {
        auto m = load_mapping(o.mapping);
        if (!m) return m.error();
        mapping = std::move(*m);
    }
    text::SpreadsheetOptions read_options;
    read_options.header_score = [&](const std::vector<std::string>& row) {
        return header_score(row, mapping ? &*mapping : nullptr);
    };
    auto tables = text::read_spreadsheet(o.input, read_options);
    if (!tables) return tables.error();
    Writer w;
    w.options = &o;
    if (!o.registry.empty()) {
        auto reg = load_registry_from(o.registry);
        if (!reg) return reg.error();
        w.load_known(*reg);
    }
    for (std::size_t i = 0; i < tables->size(); ++i)
        w.add_table((*tables)[i], i, mapping ? &*mapping : nullptr);
    if (w.result.sheets_used.empty() && !w.result.sheets_hidden.empty())
        return make_error("intake.no_header_hidden", Location{o.input, 0, {}, {}},
                          {o.input, std::to_string(w.result.sheets_hidden.size())});
    if (w.result.sheets_used.empty())
        return make_error("intake.no_header", Location{o.input, 0, {}, {}}, {o.input});
    fs::create_directories(out, ec);
    if (ec) return make_error("csv.write", Location{o.out_dir, 0, {}, {}}, {ec.message()});
    auto cleanup = [&](Error e) {
        fs::remove_all(out, ec);  // nothing half-written is left behind
        return e;
    };
    if (auto s = write_outputs(out, w); !s) return cleanup(s.error());
    auto findings = check_bundle(o.out_dir);
    if (!findings) return cleanup(findings.error());
    for (const std::size_t r : w.unknown_unit_rows) {
        const auto& person = w.people[r];
        const auto unit = std::find_if(w.orgs.begin(), w.orgs.end(),
                                       [&](const auto& org) { return org[0] == person[6]; });
        findings->items.push_back(Finding{"unknown_unit", Severity::warning, "people.csv",
                                          static_cast<std::int64_t>(r + 1), "org_id", person[0],
                                          message("intake.unknown_unit", {(*unit)[1]}, false),
                                          std::nullopt});
    }
    for (const auto& [r, kind] : w.unknown_device_kinds) {
        findings->items.push_back(
            Finding{"unknown_device_kind", Severity::warning, "people.csv",
                    static_cast<std::int64_t>(r + 1), "device_kind", w.people[r][0],
                    message("intake.unknown_device_kind", {kind}, false), std::nullopt});
    }
    add_value_findings(w, *findings);
    sort_findings(*findings);
    const std::string findings_path = (out / "findings.json").string();
    std::ofstream f(findings_path, std::ios::binary | std::ios::trunc);
    f << findings_to_json(*findings);
    f.close();
    if (!f)
        return cleanup(
            make_error("csv.write", Location{findings_path, 0, {}, {}}, {findings_path}));
    w.result.people = w.people.size();
    w.result.organizations = w.org_ids.size();
    w.result.units_new = w.new_units;
    w.result.serials = w.serials.size();
    w.result.devices = w.devices.size();
    w.result.findings = std::move(*findings);
    return std::move(w.result);
}

}  // namespace kyso::workflow

// kyso intake — `kyso intake`: an agency's spreadsheet (XLSX or CSV) turned into a bundle,
// with every change intake made listed and the bundle checked (FORMATS.md §5).
#include "intake/intake.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "bundle/bundle.h"
#include "checks/check.h"
#include "core/atomic_file.h"
#include "core/messages.h"
#include "core/output_dir.h"
#include "intake/intake_columns.h"
#include "intake/intake_dates.h"
#include "intake/intake_identity.h"
#include "intake/intake_records.h"
#include "intake/intake_values.h"
#include "store/store.h"
#include "text/csv.h"
#include "text/csv_writer.h"
#include "text/nfc.h"
#include "text/spreadsheet.h"
#include "x509/certificate.h"

namespace kyso::intake {

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

// The header row: the first of the top rows naming the full name and at least one more field,
// or (a sheet of organizations) the unit with a serial or holder type and no personal field.
bool header_row(const ColumnMap& c) {
    auto has = [&](IntakeField f) { return c[static_cast<std::size_t>(f)].has_value(); };
    if (has(IntakeField::full_name)) return mapped_count(c) >= 2;
    return has(IntakeField::organization) && !has(IntakeField::cccd) &&
           !has(IntakeField::date_of_birth) &&
           (has(IntakeField::serial) || has(IntakeField::device_serial) ||
            has(IntakeField::holder_type));
}

// A header row scored by the fields it names (0: not a header); also how a CSV file's separator
// is chosen (text/csv_dialect.h).
std::size_t header_score(const std::vector<std::string>& row, const ColumnMapping* mapping) {
    const ColumnMap c = map_columns(row, mapping);
    return header_row(c) ? mapped_count(c) : 0;
}

std::optional<std::size_t> find_header(const text::Sheet& t, const ColumnMapping* mapping,
                                       ColumnMap& columns) {
    for (std::size_t r = 0; r < t.rows.size() && r < kHeaderSearchRows; ++r) {
        ColumnMap c = map_columns(t.rows[r], mapping);
        if (header_row(c)) {
            columns = c;
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

// Several serials in one cell, separated by ',', ';', '|' or line breaks.
std::vector<std::string> serial_parts(const std::string& cell) {
    std::vector<std::string> parts(1);
    for (const char c : cell) {
        if (c == ',' || c == ';' || c == '|' || c == '\n' || c == '\r') {
            if (!parts.back().empty()) parts.emplace_back();
        } else {
            parts.back() += c;
        }
    }
    if (parts.back().empty()) parts.pop_back();
    return parts;
}

// The device kind a sheet without a device-kind column implies by the heading of its device
// serials: "Serial token" → TOKEN, "ICCID" or "Serial SIM" → SIM; empty when it says neither or
// both (intake_links.cpp then tells SIMs by their ICCID).
std::string kind_from_heading(const std::vector<std::string>& header, const ColumnMap& cols) {
    const auto serial = cols[static_cast<std::size_t>(IntakeField::device_serial)];
    if (cols[static_cast<std::size_t>(IntakeField::device_kind)] || !serial) return {};
    const std::string h = text::fold_for_matching(header[*serial]);
    const bool token = h.find("token") != std::string::npos;
    const bool sim = h.find("iccid") != std::string::npos || h.find("sim") != std::string::npos;
    if (token == sim) return {};
    return token ? "TOKEN" : "SIM";
}

// Reads the sheets into intake's records, logging each value written differently.
struct SheetReader {
    IntakeRecords& records;
    IntakeResult& result;
    const IntakeOptions& options;
    // Values kept as written because of a problem (CleanValue::problem), for the row being read.
    std::vector<ValueProblem> row_problems;
    std::set<std::pair<std::string, IntakeField>> order_warned;  // date_order_assumed once a column
    std::size_t data_rows = 0;  // rows with a value under a header row, all sheets so far
    std::size_t serials = 0;    // serials those rows list (serial_parts)

    // Counts the rows of `t` with a value under its header row and the serials they list, before
    // any is taken in: an error past kIntakeMaxRows or kIntakeMaxSerials over all sheets.
    Status count_rows(const text::Sheet& t, std::size_t header, const ColumnMap& cols) {
        const auto serial_col = cols[static_cast<std::size_t>(IntakeField::serial)];
        for (std::size_t r = header + 1; r < t.rows.size(); ++r) {
            const auto& row = t.rows[r];
            if (std::all_of(row.begin(), row.end(), [](const auto& v) { return v.empty(); }))
                continue;
            const std::string at = std::to_string(r + 1);
            const auto where = Location{options.input, static_cast<std::int64_t>(r + 1), {}, {}};
            if (++data_rows > kIntakeMaxRows)
                return make_error("intake.too_many_rows", where,
                                  {options.input, std::to_string(kIntakeMaxRows), t.name, at});
            serials += serial_parts(cell(row, serial_col)).size();
            if (serials > kIntakeMaxSerials)
                return make_error("intake.too_many_serials", where,
                                  {options.input, std::to_string(kIntakeMaxSerials), t.name, at});
        }
        return Ok{};
    }

    std::string take(const text::Sheet& t, std::int64_t row, IntakeField field, CleanValue v,
                     std::string_view written) {
        // date_order_assumed: once a column (on its first row), the others once a value.
        if (!v.problem.empty() &&
            (v.problem != "date_order_assumed" || order_warned.emplace(t.name, field).second))
            row_problems.push_back({field, std::string(written), v.problem});
        if (!v.reason.empty())
            result.changes.push_back({t.name, row, std::string(field_key(field)),
                                      std::string(written), v.value, v.reason});
        return std::move(v.value);
    }

    // An error when the rows under the header rows, or the serials they list, over all sheets,
    // go over the intake's limits (count_rows): checked before any of this sheet's rows is read.
    Status add_table(const text::Sheet& t, const ColumnMapping* mapping) {
        if (t.state != text::SheetState::visible && !options.include_hidden) {
            result.sheets_hidden.push_back(t.name);
            return Ok{};
        }
        ColumnMap cols;
        const auto header = find_header(t, mapping, cols);
        if (!header) {
            result.sheets_skipped.push_back(t.name);
            return Ok{};
        }
        if (auto s = count_rows(t, *header, cols); !s) return s;
        result.sheets_used.push_back(t.name);
        for (const UnreadColumn& u : unread_columns(t.rows[*header], cols)) {
            result.unread_columns.push_back({t.name, static_cast<std::int64_t>(*header + 1),
                                             column_letter(u.column), u.heading});
        }
        auto col = [&](IntakeField f) { return cols[static_cast<std::size_t>(f)]; };
        const std::string device_kind = kind_from_heading(t.rows[*header], cols);
        // Day/month order is a property of a column (intake_dates.h).
        const DateColumn birth = read_date_column(t, *header + 1, col(IntakeField::date_of_birth));
        const DateColumn issued =
            read_date_column(t, *header + 1, col(IntakeField::cccd_issued_on));
        for (std::size_t r = *header + 1; r < t.rows.size(); ++r) {
            const auto& row = t.rows[r];
            const auto row_no = static_cast<std::int64_t>(r + 1);
            if (numbering_row(row)) continue;
            auto field = [&](IntakeField f, CleanValue (*clean)(std::string_view)) {
                const std::string& written = cell(row, col(f));
                return take(t, row_no, f, clean(written), written);
            };
            auto date = [&](IntakeField f, const DateColumn& column) {
                const std::string& written = cell(row, col(f));
                return take(t, row_no, f, clean_date(written, column), written);
            };
            IntakeRow in;
            in.sheet = t.name;
            in.row = row_no;
            using F = IntakeField;
            for (const F f : {F::full_name, F::email, F::organization, F::position,
                              F::cccd_issued_by, F::device_kind, F::carrier, F::holder_type})
                in[f] = field(f, clean_text);
            in[F::device_serial] = field(F::device_serial, clean_device_serial);
            in[F::cccd] = field(F::cccd, clean_cccd);
            in[F::date_of_birth] = date(F::date_of_birth, birth);
            in[F::cccd_issued_on] = date(F::cccd_issued_on, issued);
            in[F::phone] = field(F::phone, clean_phone);
            for (const std::string& part : serial_parts(cell(row, col(F::serial)))) {
                std::string serial = take(t, row_no, F::serial, clean_serial(part), part);
                if (serial.empty()) continue;
                in[F::serial] += (in[F::serial].empty() ? "" : ";") + serial;
            }
            if (in[F::device_kind].empty() && !in[F::device_serial].empty())
                in[F::device_kind] = device_kind;
            if (row_subject(in).kind == RowSubject::Kind::none) {
                row_problems.clear();
                continue;
            }
            records.add(in, row_problems);
            row_problems.clear();
        }
        return Ok{};
    }
};

// A bundle file; with `for_people` (the change log), formulas neutralized (csv_writer.h).
Status write_csv(const fs::path& path, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows, bool for_people = false) {
    std::optional<text::CsvWriter> out;
    if (for_people) {
        out.emplace(path.string(), text::CsvWriter::Neutralized{});
    } else {
        out.emplace(path.string());
    }
    out->row(header);
    for (const auto& r : rows) out->row(r);
    return out->close();
}

// certificates.csv, and certs/<serial>.pem for each certificate whose file the registry holds
// (so that importing the bundle keeps it).
Status write_certificates(const fs::path& dir, const std::vector<Certificate>& certificates) {
    std::vector<std::vector<std::string>> rows;
    for (const Certificate& c : certificates) {
        std::string pem;
        if (!c.der.empty()) {
            std::error_code ec;
            fs::create_directories(dir / "certs", ec);
            pem = "certs/" + c.serial + ".pem";
            if (auto s = write_new_file((dir / pem).string(), x509::to_pem(c.der)); !s) return s;
        }
        rows.push_back({c.serial, std::string(to_string(c.holder.type)), c.holder.id, c.device_id,
                        c.subject_text, c.not_before, c.not_after, std::string(to_string(c.status)),
                        pem});
    }
    return write_csv(dir / "certificates.csv",
                     {"serial", "holder_type", "holder_id", "device_id", "subject", "not_before",
                      "not_after", "status", "pem"},
                     rows);
}

Status write_outputs(const fs::path& dir, const IntakeRecords& w, const IntakeResult& result) {
    std::vector<std::vector<std::string>> changes, orgs, people, devices;
    for (const auto& sheet : result.sheets_hidden)
        changes.push_back({sheet, "", "", "", "", message("intake.hidden_sheet")});
    for (const auto& c : result.changes)
        changes.push_back(
            {c.sheet, std::to_string(c.row), c.field, c.from, c.to, message(c.reason)});
    for (const auto& u : result.unread_columns)
        changes.push_back({u.sheet, std::to_string(u.row), "", u.heading, "",
                           message("intake.column_not_read", {u.column})});
    for (const auto& o : w.organizations()) orgs.emplace_back(o.begin(), o.end());
    for (const Person& p : w.people())
        people.push_back({p.id, p.full_name, p.cccd, p.date_of_birth, p.email, p.phone, p.org_id,
                          p.position, p.cccd_issued_on, p.cccd_issued_by});
    for (const Device& d : w.devices())
        devices.push_back({d.id, std::string(to_string(d.kind)), d.serial, d.phone, d.carrier,
                           std::string(to_string(d.holder.type)), d.holder.id});
    for (const auto& s : {
             write_csv(
                 dir / "organizations.csv",
                 {"id", "name", "superior_id", "province", "agency_code", "kind", "admin_unit"},
                 orgs),
             write_csv(dir / "people.csv",
                       {"id", "full_name", "cccd", "date_of_birth", "email", "phone", "org_id",
                        "position", "cccd_issued_on", "cccd_issued_by"},
                       people),
             write_csv(dir / "devices.csv",
                       {"id", "kind", "serial", "phone", "carrier", "holder_type", "holder_id"},
                       devices),
             write_certificates(dir, w.certificates()),
             write_csv(dir / "intake.csv", {"sheet", "row", "field", "from", "to", "reason"},
                       changes, true),
         }) {
        if (!s) return s;
    }
    return Ok{};
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
    Registry registry;
    RegistryKeys keys;
    if (!o.registry.empty()) {
        auto reg = load_registry_from(o.registry);
        if (!reg) return reg.error();
        registry = std::move(*reg);
        registry.reindex();
        keys = RegistryKeys(registry);
    }
    IntakeResult result;
    IntakeRecords records(keys, o.province, o.default_org);
    SheetReader reader{records, result, o, {}, {}, 0, 0};
    for (const text::Sheet& t : *tables) {
        if (auto s = reader.add_table(t, mapping ? &*mapping : nullptr); !s) return s.error();
    }
    if (result.sheets_used.empty() && !result.sheets_hidden.empty())
        return make_error("intake.no_header_hidden", Location{o.input, 0, {}, {}},
                          {o.input, std::to_string(result.sheets_hidden.size())});
    if (result.sheets_used.empty())
        return make_error("intake.no_header", Location{o.input, 0, {}, {}}, {o.input});
    // Written into a staging folder and put at the output folder whole (core/output_dir.h):
    // nothing half-written is ever there.
    auto staged = OutputDir::create(o.out_dir, {});
    if (!staged) return staged.error();
    const fs::path work(staged->staging());
    if (auto s = write_outputs(work, records, result); !s) return s.error();
    auto findings = checks::check_bundle(staged->staging());
    if (!findings) return findings.error();
    for (const checks::Finding& f : records.findings().items) findings->items.push_back(f);
    checks::sort_findings(*findings);
    if (auto s =
            write_new_file((work / "findings.json").string(), checks::findings_to_json(*findings));
        !s)
        return s.error();
    if (auto s = staged->commit(); !s) return s.error();
    result.people = records.people().size();
    result.organizations = records.units_named();
    result.units_matched = records.units_matched();
    result.units_new = records.units_new();
    result.serials = records.serials_read();
    result.serials_linked = records.serials_linked();
    result.devices = records.devices().size();
    result.findings = std::move(*findings);
    return result;
}

}  // namespace kyso::intake

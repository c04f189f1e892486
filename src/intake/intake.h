// kyso intake — `kyso intake`: an agency's spreadsheet (XLSX or CSV) turned into a bundle,
// with every change intake made listed and the bundle checked (FORMATS.md §5).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "checks/findings.h"
#include "core/result.h"

namespace kyso::intake {

// The most rows with a value under the header rows one intake takes in, over all its sheets
// (docs/security.md "Input limits"): the intake's work on each row (records, changes, findings)
// is what its memory grows with, and this keeps its peak under 512 MB (issue 11) even when
// every value of every row makes a finding. Error: intake.too_many_rows.
inline constexpr std::size_t kIntakeMaxRows = 30'000;
// The most certificate serials those rows may list, over all sheets (a cell may list several;
// each is looked up and may make a finding). Error: intake.too_many_serials.
inline constexpr std::size_t kIntakeMaxSerials = 30'000;

struct IntakeOptions {
    std::string input;        // .xlsx, or .csv / .txt in UTF-8, UTF-16 or Windows-1258
    std::string out_dir;      // created; must be empty
    std::string mapping;      // optional mapping file (intake_columns.h)
    std::string province;     // written as the province of the organizations found
    std::string default_org;  // the unit of rows whose unit cell is empty or missing
    // Optional: a bundle folder or a database whose organizations the units are matched to (by
    // name, ignoring case, tone marks and extra spaces); the bundle then holds all of them.
    std::string registry;
    bool include_hidden = false;  // read hidden and very hidden sheets too (skipped by default)
};

// One value intake wrote differently from the sheet, and why.
struct IntakeChange {
    std::string sheet;
    std::int64_t row = 0;  // spreadsheet row (1-based, as the user sees it)
    std::string field;
    std::string from, to;
    std::string reason;  // catalog code
};

// A column of a sheet's header row that intake did not read (intake_columns.h).
struct IntakeUnreadColumn {
    std::string sheet;
    std::int64_t row = 0;  // the header row (1-based)
    std::string column;    // letter, e.g. "H"
    std::string heading;
};

struct IntakeResult {
    std::size_t people = 0;
    std::size_t organizations = 0;   // distinct units named in the sheets
    std::size_t units_matched = 0;   // distinct unit names found in the registry
    std::size_t units_new = 0;       // distinct unit names it does not know
    std::size_t serials = 0;         // certificate serials read
    std::size_t serials_linked = 0;  // of which found in the registry and written
    std::size_t devices = 0;
    std::vector<std::string> sheets_used;
    std::vector<std::string> sheets_skipped;  // no recognizable header row
    std::vector<IntakeUnreadColumn> unread_columns;
    std::vector<std::string> sheets_hidden;  // hidden or very hidden, not read (also in intake.csv)
    std::vector<IntakeChange> changes;
    checks::Findings
        findings;  // of the written bundle, with intake's identity and linking findings
};

// Reads every sheet with a header row (found among the first 30 rows; title rows above it and a
// row of column numbers under it are skipped) naming the full name and one more field, or — a
// sheet of organizations — the unit and a certificate serial, device serial or holder type, with
// no CCCD or date of birth column. Writes to out_dir a bundle whose records keep their identity
// across re-sent sheets (intake_records.h): organizations.csv (the registry's and each new
// unit), people.csv (keyed by CCCD), devices.csv and certificates.csv (the registry's records
// the sheet's serials name, linked to the row's holder; certs/<serial>.pem for those with a
// certificate file), intake.csv (each value written differently from the sheet, and each column
// not read, and the hidden sheets skipped) and findings.json (check_bundle's findings and
// intake's own). A CSV file's separator is the one that makes such a header row
// (text/csv_dialect.h); values are cleaned as intake_values.h and intake_dates.h say (day/month
// order per column, serial dates in the workbook's date system); a value Excel stored with
// digits lost is an error finding `number_digits_lost`, a date column nothing settles a warning
// `date_order_assumed`. Hidden sheets are read only with `include_hidden`. An error, with
// nothing left in out_dir, when the input cannot be read or has no usable sheet.
Result<IntakeResult> run_intake(const IntakeOptions& options);

// Writes a blank workbook with the sheets and headings intake reads (intake_template.cpp): a
// people sheet "Cá nhân" and an organizations sheet "Tổ chức", a heading row each, CCCD, phone
// and serial columns formatted as text. An error when the file exists or cannot be written.
Status write_intake_template(const std::string& path);

}  // namespace kyso::intake

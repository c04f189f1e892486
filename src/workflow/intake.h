// kyso workflow — `kyso intake`: an agency's spreadsheet (XLSX or CSV) turned into a bundle,
// with every change intake made listed and the bundle checked (FORMATS.md §5).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "workflow/findings.h"

namespace kyso::workflow {

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

struct IntakeResult {
    std::size_t people = 0;
    std::size_t organizations = 0;  // distinct units named in the sheets
    std::size_t units_matched = 0;  // distinct unit names found in the registry
    std::size_t units_new = 0;      // distinct unit names it does not know
    std::size_t serials = 0;
    std::size_t devices = 0;
    std::vector<std::string> sheets_used;
    std::vector<std::string> sheets_skipped;  // no recognizable header row
    std::vector<std::string> sheets_hidden;  // hidden or very hidden, not read (also in intake.csv)
    std::vector<IntakeChange> changes;
    Findings findings;  // of the written bundle
};

// Reads every sheet with a header row naming the full name (found among the first 30 rows;
// title rows above it and a row of column numbers under it are skipped) and writes to out_dir:
// organizations.csv (one per distinct unit), people.csv (id "r<row>", or "s<sheet>r<row>" from
// the second sheet on), devices.csv (a person's TOKEN, SIM or HSM when the sheet has "Loại thiết
// bị"; id "d-<person>"), an empty certificates.csv, serials.csv (person, serial:
// to link with `kyso import --certs`), intake.csv (the changes, and the hidden sheets skipped)
// and findings.json. A CSV file's separator is the one that makes such a header row
// (text/csv_dialect.h). Values are cleaned as intake_values.h and intake_dates.h say (dates'
// day/month order per column; serial dates in the workbook's date system); a value Excel
// stored with digits lost is an error finding `number_digits_lost` on the person's row and
// field, and a column of dates whose order nothing settles a warning `date_order_assumed`. With
// a registry, a unit it does not know is a warning finding `unknown_unit` on the person's org_id.
// An error, with nothing left in out_dir, when the input cannot be read or has no usable sheet.
Result<IntakeResult> run_intake(const IntakeOptions& options);

}  // namespace kyso::workflow

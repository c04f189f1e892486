// kyso workflow — what spreadsheets do to values, undone: Excel dates and numbers, dropped
// leading zeros, spaces typed into numbers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kyso::workflow {

// A value as intake writes it, and why it differs from what the sheet holds (empty: unchanged).
struct CleanValue {
    std::string value;
    std::string reason;  // catalog code of the change, e.g. "intake.excel_date"
};

// Dates: "dd/mm/yyyy" (also with '-' or '.', one-digit day or month), ISO "yyyy-mm-dd", and
// Excel serial day numbers (1900 date system; 10000 = 1927-05-18 and up, as smaller numbers
// are more likely years). A value that
// is none of these is kept as written, for `kyso check` to report.
CleanValue clean_date(std::string_view cell);

// CCCD: spaces removed; a number Excel stored ("1088012345", "1.088012345E+10", "…​.0") back to
// its digits, with the leading zeros restored when 10 or 11 digits remain (every province code
// starts with 0, several with 00).
CleanValue clean_cccd(std::string_view cell);

// Mobile numbers: spaces, dots, dashes and parentheses removed; "84…" → "+84…"; a 9-digit
// number Excel stored without its leading 0 gets it back.
CleanValue clean_phone(std::string_view cell);

// Names and other text: surrounding white space trimmed, runs of spaces made one.
CleanValue clean_text(std::string_view cell);

// Certificate serials: separators removed, upper-case hex (core normalize_serial).
CleanValue clean_serial(std::string_view cell);

}  // namespace kyso::workflow

// kyso intake — what spreadsheets do to values, undone: numbers Excel stored (dropped leading
// zeros, scientific notation), spaces typed into numbers. Dates: intake_dates.h.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kyso::intake {

// A value as intake writes it, and why it differs from what the sheet holds (empty: unchanged).
struct CleanValue {
    std::string value;
    std::string reason;  // catalog code of the change, e.g. "intake.excel_date"
    // A problem with the value that intake reports as a finding on the record (the finding code,
    // e.g. "number_digits_lost"); the value is then kept as written. Empty: none.
    std::string problem;
};

// A number as Excel writes it in E-notation: "3.8185E+10", "4.01920E+11", "1E+11", and with a
// decimal comma as Vietnamese Windows writes it, "3,8185E+10". `shown` is the significant
// digits written (leading zeros dropped, trailing zeros kept as written: "401920"), `digits` how
// many digits the whole part of the number has (12 for 4.01920E+11); nullopt for anything else
// (signs, negative exponents, over 32 characters).
struct Scientific {
    std::string shown;
    std::size_t digits = 0;
    // True when the number shows fewer digits than it has: the rest are zeros Excel put in place
    // of the digits it dropped, and nothing can bring them back.
    [[nodiscard]] bool lost_digits() const { return shown.size() < digits; }
    // Its digits when it is a whole number with every digit shown ("3.8185012345E+10" →
    // "38185012345"), else nullopt.
    [[nodiscard]] std::optional<std::string> whole() const;
};
std::optional<Scientific> scientific(std::string_view text);

// CCCD: spaces removed; a number Excel stored ("1088012345", "1.088012345E+10", "…​.0") back to
// its digits, with the leading zeros restored when 10 or 11 digits remain (every province code
// starts with 0, several with 00) — only when every other digit is there: E-notation that lost
// digits ("3.8185E+10") is kept as written with the problem "number_digits_lost".
CleanValue clean_cccd(std::string_view cell);

// Mobile numbers: spaces, dots, dashes and parentheses removed; "84…" → "+84…"; a 9-digit
// number Excel stored without its leading 0 gets it back. E-notation that lost digits
// ("9.12346E+08") is kept as written with the problem "number_digits_lost".
CleanValue clean_phone(std::string_view cell);

// Names and other text: surrounding white space trimmed, runs of spaces made one.
CleanValue clean_text(std::string_view cell);

// Certificate serials: separators removed, upper-case hex (core normalize_serial). A serial
// Excel turned into a number that lost digits — E-notation ("5.40101E+37"), or more than 15
// digits (Excel's precision) of which every one after the 15th is 0 and at least two are — is
// kept as written with the problem "number_digits_lost".
CleanValue clean_serial(std::string_view cell);

// Device serials (a token's serial, a SIM's ICCID): as clean_text, with the number check of
// clean_serial (ICCIDs have 19–20 digits, well past Excel's 15).
CleanValue clean_device_serial(std::string_view cell);

}  // namespace kyso::intake

// kyso intake — dates as agencies' sheets hold them: Excel serial numbers in either date
// system, ISO dates and date-times, and dates typed as text with the day/month order decided per
// column.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intake/intake_values.h"
#include "text/xlsx_reader.h"

namespace kyso::intake {

// What a whole column says about its dates.
struct DateColumn {
    bool date1904 = false;     // the workbook's serial dates count from 1904 (text::Sheet)
    bool month_first = false;  // the column's typed dates are m/d/y (US), not d/m/y
    bool settled = false;      // a value with a day over 12 decided the order
    bool conflicting = false;  // values over 12 in both places: the majority order is used
};

// A date typed as text in the day/month/year shape ("3/4/1990", "03-04-90", "03.04.1990", with
// an optional time after it): the first two numbers and the year (two-digit years completed as
// Excel does: 00–29 → 2000s, 30–99 → 1900s). Year-first text ("1990/04/03") is not this shape.
struct TypedDate {
    int first = 0;
    int second = 0;
    int year = 0;
};
std::optional<TypedDate> typed_date(std::string_view text);

// The order of a column from all its cells: a typed date whose first number is over 12 (and at
// most 31) settles it day-first, one whose second number is over 12 settles it month-first; a
// column where neither happens is read day-first, the Vietnamese convention, and not settled.
// When both happen the column is conflicting and the order of the more numerous wins (ties:
// day-first); dates impossible in that order are kept as written.
DateColumn read_date_column(const std::vector<std::string_view>& cells, bool date1904);
// The same for column `column` (none: an empty column) of `sheet`, from row index `first_row`
// on, in the sheet's date system.
DateColumn read_date_column(const text::Sheet& sheet, std::size_t first_row,
                            std::optional<std::size_t> column);

// A date as intake writes it, YYYY-MM-DD:
//   - "YYYY-MM-DD" as is; "YYYY/MM/DD", "YYYY.MM.DD" and ISO date-times ("1985-04-12T00:00:00",
//     as Excel writes t="d" cells, optionally with a fraction and Z or an offset; a space for
//     the T) to their date, as written (no time-zone conversion);
//   - typed dates (typed_date) in the column's order; when the column is not settled and the
//     value reads differently in the two orders (both numbers at most 12 and not equal), the
//     problem "date_order_assumed" (a warning finding) comes with it;
//   - Excel serial day numbers (text::excel_serial_date in the column's date system), from
//     10000 (1927 or 1931) up: a smaller number is more likely a year or a typo than a date.
// Anything else, and text over 64 bytes, is kept as written for `kyso check` to report.
CleanValue clean_date(std::string_view cell, const DateColumn& column = {});

}  // namespace kyso::intake

// kyso text — reading the cells of an .xlsx workbook (libzip + pugixml) as NFC UTF-8 text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace kyso::text {

// Every size an outside file controls is bounded: a workbook is a ZIP of XML, so a small file can
// expand a thousandfold (zip bomb) and a short cell can point at a long shared string.
struct XlsxLimits {
    std::size_t max_file_bytes = 64u << 20;   // the .xlsx itself
    std::size_t max_part_bytes = 256u << 20;  // any one uncompressed XML part (zip-bomb guard)
    std::size_t max_rows = 2'000'000;         // per sheet: highest row number holding a value
    std::size_t max_columns = 1024;           // highest column number holding a value
    std::size_t max_cell_bytes = 32767 * 4;   // Excel's 32767-character cell limit, in UTF-8 bytes
    // Memory guards for the whole workbook: a value far right on every row makes many dense
    // cells; one long shared string referenced by every cell makes much text.
    std::size_t max_cells = 64'000'000;                     // dense cells (sum of row widths)
    std::size_t max_text_bytes = std::size_t{1} << 30;      // bytes of cell text
    std::size_t max_inflated_bytes = std::size_t{1} << 30;  // all XML parts read, uncompressed
    std::size_t max_sheets = 4096;                          // <sheet> entries in workbook.xml
};

// ECMA-376 Part 1 §18.18.68 (ST_SheetState): whether Excel shows the sheet's tab. A very hidden
// sheet can only be shown again from the VBA editor; agencies keep old lists in such sheets.
enum class SheetState { visible, hidden, very_hidden };

struct Sheet {
    std::string name;  // as in workbook.xml (NFC)
    // Dense: row i is spreadsheet row i+1, cell j is column j+1 (A = 0). Rows without a value
    // are empty vectors up to the last row with one; a row ends at its last non-empty cell.
    std::vector<std::vector<std::string>> rows;
    SheetState state = SheetState::visible;  // `state` of <sheet> in workbook.xml
    // The workbook counts serial dates from 1904-01-01 (<workbookPr date1904="1"/>, §18.2.28:
    // Excel for Mac before 2011 and workbooks made from them), not from 1900.
    bool date1904 = false;
};

// The worksheets, in workbook (tab) order, hidden and very hidden ones included (with their
// state: the caller decides whether to read them); chart and dialog sheets have no cells and are
// left out. Cell values as text, NFC and valid UTF-8:
//   shared and inline strings (rich text runs concatenated, phonetic runs left out, _xHHHH_
//   escapes decoded), formula string results (t="str"), booleans as "TRUE"/"FALSE", and numbers,
//   dates and errors exactly as written in <v> ("45123", "1.5", "#N/A", and ISO 8601 text such as
//   "1985-04-12T00:00:00" for t="d"). Formatting is not applied: a date is its serial number (see
//   Sheet::date1904 and excel_serial_date), a number stored as text keeps its leading zeros.
// Errors (xlsx.*) name the file; cell errors also the row, the column letter and "Sheet1!C12".
Result<std::vector<Sheet>> read_xlsx(const std::string& path, const XlsxLimits& limits = {});
Result<std::vector<Sheet>> read_xlsx_bytes(std::string_view bytes,
                                           const std::string& name_for_errors,
                                           const XlsxLimits& limits = {});

// The day an Excel serial date number names (its whole part; ECMA-376 Part 1 §18.17.4.1). 1900
// system: 1 = 1900-01-01, and Excel counts the 29th of February 1900, which never was, so serial
// 60 names no day and from 61 on a serial is days after 1899-12-30. 1904 system: 0 = 1904-01-01.
// nullopt for a serial before the first day or after 9999-12-31.
std::optional<Date> excel_serial_date(std::int64_t serial, bool date1904);

// "A", "Z", "AA", ... for a 1-based column number.
std::string column_letters(std::size_t column);

}  // namespace kyso::text

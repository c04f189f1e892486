// kyso text — reading the cells of an .xlsx workbook (libzip + pugixml) as NFC UTF-8 text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

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
};

struct Sheet {
    std::string name;  // as in workbook.xml (NFC)
    // Dense: row i is spreadsheet row i+1, cell j is column j+1 (A = 0). Rows without a value
    // are empty vectors up to the last row with one; a row ends at its last non-empty cell.
    std::vector<std::vector<std::string>> rows;
};

// The worksheets, in workbook (tab) order, hidden ones included; chart and dialog sheets have no
// cells and are left out. Cell values as text, NFC and valid UTF-8:
//   shared and inline strings (rich text runs concatenated, phonetic runs left out, _xHHHH_
//   escapes decoded), formula string results (t="str"), booleans as "TRUE"/"FALSE", and numbers,
//   dates and errors exactly as written in <v> ("45123", "1.5", "#N/A"). Formatting is not
//   applied: a date is its serial number, a number stored as text keeps its leading zeros.
// Errors (xlsx.*) name the file; cell errors also the row, the column letter and "Sheet1!C12".
Result<std::vector<Sheet>> read_xlsx(const std::string& path, const XlsxLimits& limits = {});
Result<std::vector<Sheet>> read_xlsx_bytes(std::string_view bytes,
                                           const std::string& name_for_errors,
                                           const XlsxLimits& limits = {});

// "A", "Z", "AA", ... for a 1-based column number.
std::string column_letters(std::size_t column);

}  // namespace kyso::text

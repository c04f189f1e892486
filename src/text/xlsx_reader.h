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
// expand a thousandfold (zip bomb), a short cell can point at a long shared string, and the
// parsed XML of a part takes several times its size. Each limit is checked while reading, before
// the memory it guards is taken; together they keep a read under about 400 MB whatever the file
// (docs/security.md, "Input limits"). Errors: xlsx.file_too_large, xlsx.part_too_large,
// xlsx.too_much_data, xlsx.xml_too_large, xlsx.too_many_rows, xlsx.too_many_columns,
// xlsx.cell_too_large, xlsx.too_many_cells, xlsx.too_much_text, xlsx.too_many_shared_strings,
// xlsx.too_many_sheets.
struct XlsxLimits {
    std::size_t max_file_bytes = 32u << 20;       // bytes: the .xlsx itself (32 MiB)
    std::size_t max_part_bytes = 64u << 20;       // bytes: any one XML part, uncompressed (64 MiB)
    std::size_t max_inflated_bytes = 256u << 20;  // bytes: all XML parts read, uncompressed
    // bytes: parsed XML (pugixml) alive at once, 170 to 250 bytes a cell; this is what bounds
    // one sheet, to about 650,000 cells as Excel writes them.
    std::size_t max_xml_memory = 160u << 20;
    std::size_t max_rows = 1'048'576;  // per sheet: highest row number holding a value (Excel's)
    std::size_t max_columns = 1024;    // per sheet: highest column number holding a value
    std::size_t max_cell_bytes = 32767 * 4;  // bytes: Excel's 32767-character cell limit in UTF-8
    // Cells of the whole workbook, dense (the sum of row widths) plus one per row up to the last
    // row with a value: a value far right costs its whole row, one far down a cell per row above.
    std::size_t max_cells = 1'000'000;
    std::size_t max_text_bytes = 64u << 20;    // bytes: text of all cells, shared ones each time
    std::size_t max_shared_strings = 500'000;  // entries of the shared string table
    std::size_t max_shared_bytes = 32u << 20;  // bytes: text of the shared string table
    std::size_t max_sheets = 4096;             // <sheet> entries in workbook.xml
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

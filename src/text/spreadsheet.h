// kyso text — what people send as a table: an .xlsx workbook, or a CSV file in UTF-8, UTF-16 or
// Windows-1258, read as sheets of text cells.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "text/xlsx_reader.h"

namespace kyso::text {

// At most this many bytes of CSV are read (an .xlsx has XlsxLimits).
inline constexpr std::size_t kMaxSpreadsheetCsvBytes = 64u << 20;

// An .xlsx (by extension) gives its sheets; anything else is one CSV sheet named after the file,
// decoded (decode.h) and read strictly (csv.h), with row i of the sheet being line i+1 of the
// file (blank lines kept as empty rows, so rows are numbered as people see them).
Result<std::vector<Sheet>> read_spreadsheet(const std::string& path);

}  // namespace kyso::text

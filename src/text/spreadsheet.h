// kyso text — what people send as a table: an .xlsx workbook, or a CSV file in UTF-8, UTF-16 or
// Windows-1258 with `,` `;` or TAB between fields, read as sheets of text cells.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "text/csv_dialect.h"
#include "text/xlsx_reader.h"

namespace kyso::text {

// Limits of a CSV sheet: at most this many bytes of file (32 MiB; once decoded from
// Windows-1258 up to three times as many), the cells of XlsxLimits::max_cells and the CsvLimits
// of a cell (64 KiB) and a row (1 MiB). An .xlsx has XlsxLimits.
inline constexpr std::size_t kMaxSpreadsheetCsvBytes = 32u << 20;

struct SpreadsheetOptions {
    // For a CSV file: what a header row looks like, to choose the separator (csv_dialect.h).
    // Empty: the separator giving the most filled fields in one of the first records.
    HeaderScore header_score;
};

// A workbook (named .xlsx or .xlsm, or whose bytes are a ZIP or an OLE file) gives its sheets,
// hidden ones included (Sheet::state); anything else is one CSV sheet named after the file, decoded
// (decode.h), its separator detected (csv_dialect.h: a `sep=` first line, else `,` `;` or TAB from
// the header line) and read with rows of any length (csv.h). Row i of a CSV sheet is line i+1 of
// the file after any `sep=` line, as Excel shows it (blank lines kept as empty rows).
Result<std::vector<Sheet>> read_spreadsheet(const std::string& path,
                                            const SpreadsheetOptions& options = {});

}  // namespace kyso::text

// kyso text — what people send as a table: an .xlsx workbook, or a CSV file, as sheets of text.
#include "text/spreadsheet.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/messages.h"
#include "text/csv.h"
#include "text/decode.h"
#include "text/nfc.h"

namespace kyso::text {

namespace fs = std::filesystem;

namespace {

Result<Sheet> read_csv_sheet(const std::string& path, const SpreadsheetOptions& options) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) return make_error("csv.open", Location{path, 0, {}, {}}, {ec.message()});
    if (size > kMaxSpreadsheetCsvBytes)
        return make_error("csv.file_too_large", Location{path, 0, {}, {}},
                          {std::to_string(kMaxSpreadsheetCsvBytes)});
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    auto decoded = decode_text(buffer.str(), path);
    if (!decoded) return decoded.error();
    auto dialect = detect_csv_dialect(decoded->text, path, options.header_score);
    if (!dialect) return dialect.error();
    decoded->text.erase(0, dialect->skip_bytes);
    auto reader = CsvReader::from_string(std::move(decoded->text), path, {},
                                         CsvOptions{dialect->separator, true});
    if (!reader) return reader.error();
    Sheet sheet{fs::path(path).filename().string(), {}};
    auto place = [&](const std::vector<std::string>& fields) {
        while (static_cast<std::int64_t>(sheet.rows.size()) + 1 < reader->line())
            sheet.rows.emplace_back();
        sheet.rows.push_back(fields);
    };
    place(reader->header());
    for (;;) {
        auto more = reader->next();
        if (!more) {
            // Rows of a sheet are numbered as people see them, title lines included.
            Error e = more.error();
            e.where.row = reader->line();
            return e;
        }
        if (!*more) break;
        place(reader->fields());
    }
    return sheet;
}

// A ZIP (an .xlsx or .xlsm, whatever its name) or an OLE compound file (.xls, or an encrypted
// .xlsx), by its first bytes: text never starts with them.
bool workbook_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char head[8] = {};
    in.read(head, sizeof head);
    const std::string_view h(head, static_cast<std::size_t>(in.gcount()));
    return h.starts_with("PK\x03\x04") || h.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
}

}  // namespace

Result<std::vector<Sheet>> read_spreadsheet(const std::string& path,
                                            const SpreadsheetOptions& options) {
    const std::string ext = fold_for_matching(fs::path(path).extension().string());
    if (ext == ".xlsx" || ext == ".xlsm" || workbook_bytes(path)) return read_xlsx(path);
    auto sheet = read_csv_sheet(path, options);
    if (!sheet) return sheet.error();
    return std::vector<Sheet>{std::move(*sheet)};
}

}  // namespace kyso::text

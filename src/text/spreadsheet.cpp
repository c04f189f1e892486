// kyso text — what people send as a table: an .xlsx workbook, or a CSV file, as sheets of text.
#include "text/spreadsheet.h"

#include <filesystem>
#include <fstream>

#include "core/messages.h"
#include "text/csv.h"
#include "text/decode.h"
#include "text/nfc.h"

namespace kyso::text {

namespace fs = std::filesystem;

namespace {

// The whole file, read once into a string of its size: at most `limit` bytes are ever held.
Result<std::string> read_file(const std::string& path, std::size_t limit) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) return make_error("csv.open", Location{path, 0, {}, {}}, {ec.message()});
    if (size > limit)
        return make_error("csv.file_too_large", Location{path, 0, {}, {}}, {std::to_string(limit)});
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error("csv.open", Location{path, 0, {}, {}}, {"cannot read"});
    std::string bytes(static_cast<std::size_t>(size), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(in.gcount()));  // a file that shrank meanwhile
    return bytes;
}

Result<Sheet> read_csv_sheet(const std::string& path, const SpreadsheetOptions& options) {
    std::string text;
    {
        auto bytes = read_file(path, kMaxSpreadsheetCsvBytes);
        if (!bytes) return bytes.error();
        auto decoded = decode_text(*bytes, path);
        if (!decoded) return decoded.error();
        text = std::move(decoded->text);
    }  // the undecoded bytes are gone before the rows take memory
    auto dialect = detect_csv_dialect(text, path, options.header_score);
    if (!dialect) return dialect.error();
    text.erase(0, dialect->skip_bytes);
    // The decoded text of a Windows-1258 file can be three times the file: the file limit, not
    // this one, bounds it.
    CsvLimits limits;
    limits.max_file = text.size();
    auto reader =
        CsvReader::from_string(std::move(text), path, limits, CsvOptions{dialect->separator, true});
    if (!reader) return reader.error();
    Sheet sheet{fs::path(path).filename().string(), {}};
    // The same bound on cells as a workbook's (XlsxLimits::max_cells): one per row slot and one
    // per field. The text is bounded by the file.
    const std::size_t max_cells = XlsxLimits{}.max_cells;
    std::size_t cells = 0;
    auto place = [&](const std::vector<std::string>& fields) -> Status {
        const auto line = static_cast<std::size_t>(reader->line());
        cells += fields.size() + (line > sheet.rows.size() ? line - sheet.rows.size() : 1);
        if (cells > max_cells) {
            return make_error("csv.too_many_cells",
                              Location{path, static_cast<std::int64_t>(line), {}, {}},
                              {std::to_string(max_cells)});
        }
        while (sheet.rows.size() + 1 < line) sheet.rows.emplace_back();
        sheet.rows.push_back(fields);
        return Ok{};
    };
    if (auto st = place(reader->header()); !st) return st.error();
    for (;;) {
        auto more = reader->next();
        if (!more) {
            // Rows of a sheet are numbered as people see them, title lines included.
            Error e = more.error();
            e.where.row = reader->line();
            return e;
        }
        if (!*more) break;
        if (auto st = place(reader->fields()); !st) return st.error();
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

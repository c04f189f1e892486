// Fuzz target: the XLSX reader must never crash, hang or read out of bounds on any bytes, and
// what it returns keeps its promises (valid NFC UTF-8, within the limits, rows trimmed).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stored_zip.h"
#include "text/nfc.h"
#include "text/xlsx_reader.h"

namespace {

// Input that is not a ZIP is XML parts separated by NUL bytes: the sheet, the shared strings,
// the workbook and its relationships; missing ones take these defaults.
std::string package_from_parts(std::string_view input) {
    std::vector<std::string_view> given;
    while (given.size() < 4) {
        const auto nul = input.find('\0');
        given.push_back(input.substr(0, nul));
        if (nul == std::string_view::npos) break;
        input.remove_prefix(nul + 1);
    }
    static constexpr std::string_view kDefaults[] = {
        "<worksheet><sheetData/></worksheet>", "<sst/>",
        "<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" r:id=\"a\"/></sheets></workbook>",
        "<Relationships><Relationship Id=\"a\" Type=\"/worksheet\" Target=\"worksheets/"
        "sheet1.xml\"/><Relationship Id=\"b\" Type=\"/sharedStrings\" "
        "Target=\"/xl/sharedStrings.xml\"/></Relationships>"};
    std::string_view part[4];
    for (std::size_t i = 0; i < 4; ++i) part[i] = i < given.size() ? given[i] : kDefaults[i];
    return kyso::fuzz::stored_zip({{"xl/worksheets/sheet1.xml", part[0]},
                                   {"xl/sharedStrings.xml", part[1]},
                                   {"xl/workbook.xml", part[2]},
                                   {"xl/_rels/workbook.xml.rels", part[3]}});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::string bytes =
        input.starts_with("PK") ? std::string(input) : package_from_parts(input);
    kyso::text::XlsxLimits limits;
    limits.max_file_bytes = 1u << 20;
    limits.max_part_bytes = 1u << 20;
    limits.max_rows = 1000;
    limits.max_columns = 64;
    limits.max_cell_bytes = 4096;
    limits.max_cells = 20000;
    limits.max_text_bytes = 1u << 20;
    limits.max_inflated_bytes = 4u << 20;
    limits.max_xml_memory = 32u << 20;
    limits.max_shared_strings = 20000;
    limits.max_shared_bytes = 1u << 20;
    auto sheets = kyso::text::read_xlsx_bytes(bytes, "fuzz.xlsx", limits);
    if (!sheets) {
        if (sheets.error().code.empty()) __builtin_trap();
        return 0;
    }
    for (const auto& sheet : *sheets) {
        if (!kyso::text::is_nfc(sheet.name)) __builtin_trap();
        if (sheet.rows.size() > limits.max_rows) __builtin_trap();
        if (!sheet.rows.empty() && sheet.rows.back().empty()) __builtin_trap();
        for (const auto& row : sheet.rows) {
            if (row.size() > limits.max_columns) __builtin_trap();
            if (!row.empty() && row.back().empty()) __builtin_trap();
            for (const auto& cell : row) {
                if (cell.size() > limits.max_cell_bytes || !kyso::text::is_nfc(cell))
                    __builtin_trap();
            }
        }
    }
    return 0;
}

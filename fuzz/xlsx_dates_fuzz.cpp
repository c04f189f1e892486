// Fuzz target: a workbook's date system (<workbookPr date1904>) and sheet states
// (state="hidden|veryHidden") read from any workbook.xml and sheet, and every cell then cleaned
// as intake cleans dates, per column: nothing crashes, a sheet's state and date system are what
// the workbook says, a date intake writes is a real YYYY-MM-DD, and serials count from the
// workbook's epoch.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "intake/intake_dates.h"
#include "stored_zip.h"
#include "text/xlsx_reader.h"

namespace {

// Input: workbook.xml, a NUL, then the sheet XML shared by every sheet the workbook names (up to
// four: rId1..rId4 all point at it). Missing parts take these defaults.
std::string package(std::string_view input) {
    const auto nul = input.find('\0');
    std::string_view workbook = input.substr(0, nul);
    std::string_view sheet =
        nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
    if (workbook.empty()) {
        workbook =
            "<workbook xmlns:r=\"r\"><workbookPr date1904=\"1\"/><sheets>"
            "<sheet name=\"A\" r:id=\"rId1\" state=\"hidden\"/><sheet name=\"B\" r:id=\"rId2\"/>"
            "</sheets></workbook>";
    }
    if (sheet.empty()) {
        sheet =
            "<worksheet><sheetData><row><c><v>29687</v></c><c t=\"d\"><v>1985-04-12T00:00:00</v>"
            "</c><c t=\"inlineStr\"><is><t>03/25/1990</t></is></c></row></sheetData></worksheet>";
    }
    static constexpr std::string_view kRels =
        "<Relationships>"
        "<Relationship Id=\"rId1\" Type=\"/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId4\" Type=\"/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "</Relationships>";
    return kyso::fuzz::stored_zip({{"xl/workbook.xml", workbook},
                                   {"xl/_rels/workbook.xml.rels", kRels},
                                   {"xl/worksheets/sheet1.xml", sheet}});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using kyso::Date;
    using namespace kyso::intake;
    const std::string bytes = package(std::string_view(reinterpret_cast<const char*>(data), size));
    kyso::text::XlsxLimits limits;
    limits.max_file_bytes = 1u << 20;
    limits.max_part_bytes = 1u << 20;
    limits.max_rows = 200;
    limits.max_columns = 16;
    limits.max_cell_bytes = 256;
    limits.max_cells = 2000;
    limits.max_text_bytes = 1u << 16;
    limits.max_inflated_bytes = 4u << 20;
    limits.max_xml_memory = 32u << 20;
    limits.max_shared_strings = 20000;
    limits.max_shared_bytes = 1u << 20;
    limits.max_sheets = 8;
    auto sheets = kyso::text::read_xlsx_bytes(bytes, "fuzz.xlsx", limits);
    if (!sheets) {
        if (sheets.error().code.empty()) __builtin_trap();
        return 0;
    }
    if (sheets->size() > limits.max_sheets) __builtin_trap();
    for (const auto& sheet : *sheets) {
        if (sheet.date1904 != sheets->front().date1904) __builtin_trap();
        const auto state = sheet.state;
        if (state != kyso::text::SheetState::visible && state != kyso::text::SheetState::hidden &&
            state != kyso::text::SheetState::very_hidden)
            __builtin_trap();
        std::size_t width = 0;
        for (const auto& row : sheet.rows) width = std::max(width, row.size());
        for (std::size_t c = 0; c < width; ++c) {
            const DateColumn column = read_date_column(sheet, 0, c);
            if (column.date1904 != sheet.date1904) __builtin_trap();
            if (column.conflicting && !column.settled) __builtin_trap();
            for (const auto& row : sheet.rows) {
                if (c >= row.size()) continue;
                const CleanValue v = clean_date(row[c], column);
                // Every change but trimmed spaces makes a date.
                const bool dated = !v.reason.empty() && v.reason != "intake.spaces";
                if (dated && !Date::parse(v.value)) __builtin_trap();
                if (!v.problem.empty() && (column.settled || v.problem != "date_order_assumed"))
                    __builtin_trap();
            }
        }
    }
    // Serial dates: day n of the 1904 system is n days after 1904-01-01; in the 1900 system the
    // two sides of Excel's phantom 1900-02-29 are one day apart.
    const std::int64_t n = size > 0 ? static_cast<std::int64_t>(data[0]) * 9973 + size : 0;
    if (auto d = kyso::text::excel_serial_date(n, true);
        d && d->days() - Date{1904, 1, 1}.days() != n)
        __builtin_trap();
    const auto before = kyso::text::excel_serial_date(59, false);
    const auto after = kyso::text::excel_serial_date(61, false);
    if (!before || !after || after->days() - before->days() != 1) __builtin_trap();
    return 0;
}

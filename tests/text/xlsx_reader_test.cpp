// Tests: reading .xlsx cells as NFC text (libxlsxwriter files and hand-written parts), every limit
// and every kind of damage an outside file can bring.
#include "text/xlsx_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "text/nfc.h"

using kyso::text::read_xlsx;
using kyso::text::read_xlsx_bytes;
using kyso::text::Sheet;
using kyso::text::XlsxLimits;
namespace fs = std::filesystem;

namespace {

using Rows = std::vector<std::vector<std::string>>;
using Parts = std::vector<std::pair<std::string, std::string>>;

// A folder of its own under the temp dir, removed at the end of the test.
class XlsxFiles : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() /
               ("kyso-xlsx-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string path(const std::string& file) const { return (dir_ / file).string(); }

    fs::path dir_;
};

// A ZIP written by libzip from in-memory parts (deflated), returned as bytes.
std::string make_zip(const Parts& parts) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &err);
    EXPECT_NE(buffer, nullptr);
    zip_source_keep(buffer);  // still needed after zip_close, to read the result back
    zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &err);
    EXPECT_NE(archive, nullptr);
    for (const auto& [name, data] : parts) {
        zip_source_t* s = zip_source_buffer(archive, data.data(), data.size(), 0);
        EXPECT_GE(zip_file_add(archive, name.c_str(), s, ZIP_FL_ENC_UTF_8), 0);
    }
    EXPECT_EQ(zip_close(archive), 0);
    std::string out;
    EXPECT_EQ(zip_source_open(buffer), 0);
    char chunk[4096];
    zip_int64_t n = 0;
    while ((n = zip_source_read(buffer, chunk, sizeof chunk)) > 0)
        out.append(chunk, static_cast<std::size_t>(n));
    zip_source_close(buffer);
    zip_source_free(buffer);
    zip_error_fini(&err);
    return out;
}

constexpr const char* kRootRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>)";

std::string workbook_xml(const std::vector<std::string>& sheet_names) {
    std::string xml =
        R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>)";
    for (std::size_t i = 0; i < sheet_names.size(); ++i) {
        const std::string n = std::to_string(i + 1);
        xml +=
            "<sheet name=\"" + sheet_names[i] + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
    }
    return xml + "</sheets></workbook>";
}

// Sheet i is xl/worksheets/sheet{i}.xml, named by an absolute target for the first sheet and
// relative ones after it (both forms occur in the wild).
std::string workbook_rels(std::size_t sheets, bool shared_strings) {
    std::string xml =
        R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";
    for (std::size_t i = 1; i <= sheets; ++i) {
        const std::string n = std::to_string(i);
        xml += "<Relationship Id=\"rId" + n +
               "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
               "worksheet\" Target=\"" +
               (i == 1 ? "/xl/worksheets/sheet1.xml" : "worksheets/sheet" + n + ".xml") + "\"/>";
    }
    if (shared_strings) {
        xml +=
            R"(<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>)";
    }
    return xml + "</Relationships>";
}

std::string sheet_xml(const std::string& sheet_data) {
    return R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
           sheet_data + "</sheetData></worksheet>";
}

// A one-sheet workbook ("Sheet1") from its sheetData and, optionally, its shared strings.
std::string one_sheet(const std::string& sheet_data, const std::string& shared_strings = {}) {
    Parts parts{{"_rels/.rels", kRootRels},
                {"xl/workbook.xml", workbook_xml({"Sheet1"})},
                {"xl/_rels/workbook.xml.rels", workbook_rels(1, !shared_strings.empty())},
                {"xl/worksheets/sheet1.xml", sheet_xml(sheet_data)}};
    if (!shared_strings.empty()) {
        parts.emplace_back(
            "xl/sharedStrings.xml",
            R"(<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)" +
                shared_strings + "</sst>");
    }
    return make_zip(parts);
}

std::string inline_cell(const std::string& ref, const std::string& text) {
    return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}

kyso::Error expect_error(const std::string& bytes, const XlsxLimits& limits = {}) {
    auto r = read_xlsx_bytes(bytes, "in.xlsx", limits);
    EXPECT_FALSE(r) << "expected an error";
    return r ? kyso::Error{} : r.error();
}

}  // namespace

TEST_F(XlsxFiles, ReadsVietnameseNumbersAndTextWrittenByLibxlsxwriter) {
    const std::string file = path("agency.xlsx");
    lxw_workbook* wb = workbook_new(file.c_str());
    ASSERT_NE(wb, nullptr);
    lxw_worksheet* list = workbook_add_worksheet(wb, "Danh sách");
    worksheet_write_string(list, 0, 0, "Họ và tên", nullptr);
    worksheet_write_string(list, 0, 1, "Số định danh cá nhân", nullptr);
    worksheet_write_string(list, 0, 2, "Điện thoại", nullptr);
    worksheet_write_string(list, 0, 3, "Ngày sinh", nullptr);
    worksheet_write_string(list, 1, 0, "Nguyễn Thị Hương", nullptr);
    worksheet_write_string(list, 1, 1, "001190012345", nullptr);  // text: leading zeros stay
    worksheet_write_string(list, 1, 2, "0912345678", nullptr);
    worksheet_write_number(list, 1, 3, 45123, nullptr);  // a date: its serial number
    worksheet_write_number(list, 1, 4, 1.5, nullptr);
    worksheet_write_boolean(list, 1, 5, 1, nullptr);
    worksheet_write_boolean(list, 1, 6, 0, nullptr);
    worksheet_write_formula_str(list, 1, 7, "=\"Sở \"&\"KH&CN\"", nullptr, "Sở KH&CN");
    // NFD in, NFC out: "Hùng" with a combining grave accent.
    worksheet_write_string(list, 3, 0, "Hu\xCC\x80ng", nullptr);
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_rich_string_tuple first{bold, const_cast<char*>("Trần ")};
    lxw_rich_string_tuple second{nullptr, const_cast<char*>("Văn Nam")};
    lxw_rich_string_tuple* rich[] = {&first, &second, nullptr};
    worksheet_write_rich_string(list, 4, 1, rich, nullptr);
    lxw_worksheet* other = workbook_add_worksheet(wb, "Sheet2");
    worksheet_write_string(other, 2, 2, "x", nullptr);
    ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

    auto r = read_xlsx(file);
    ASSERT_TRUE(r) << r.error().describe(true);
    ASSERT_EQ(r->size(), 2u);
    const Sheet& s = (*r)[0];
    EXPECT_EQ(s.name, "Danh sách");
    ASSERT_EQ(s.rows.size(), 5u);
    EXPECT_EQ(s.rows[0], (std::vector<std::string>{"Họ và tên", "Số định danh cá nhân",
                                                   "Điện thoại", "Ngày sinh"}));
    EXPECT_EQ(s.rows[1], (std::vector<std::string>{"Nguyễn Thị Hương", "001190012345", "0912345678",
                                                   "45123", "1.5", "TRUE", "FALSE", "Sở KH&CN"}));
    EXPECT_TRUE(s.rows[2].empty());  // an empty row is kept, so rows[i] is row i+1
    EXPECT_EQ(s.rows[3], (std::vector<std::string>{"Hùng"}));
    EXPECT_EQ(s.rows[4], (std::vector<std::string>{"", "Trần Văn Nam"}));
    EXPECT_EQ((*r)[1].name, "Sheet2");
    EXPECT_EQ((*r)[1].rows, (Rows{{}, {}, {"", "", "x"}}));
    for (const auto& row : s.rows) {
        for (const auto& cell : row) EXPECT_TRUE(kyso::text::is_nfc(cell)) << cell;
    }
}

TEST_F(XlsxFiles, ReadsInlineStringsOfAConstantMemoryWorkbook) {
    const std::string file = path("stream.xlsx");
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;  // libxlsxwriter then writes inline strings
    lxw_workbook* wb = workbook_new_opt(file.c_str(), &options);
    ASSERT_NE(wb, nullptr);
    lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
    worksheet_write_string(ws, 0, 0, "Số định danh cá nhân", nullptr);
    worksheet_write_string(ws, 1, 0, "079085001234", nullptr);
    worksheet_write_number(ws, 1, 1, 7, nullptr);
    ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
    auto r = read_xlsx(file);
    ASSERT_TRUE(r) << r.error().describe(true);
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].name, "Sheet1");
    EXPECT_EQ((*r)[0].rows, (Rows{{"Số định danh cá nhân"}, {"079085001234", "7"}}));
}

TEST(Xlsx, ReadsHandWrittenPartsRichTextInlineStringsAndGaps) {
    const std::string shared =
        "<si><t>Số định danh cá nhân</t></si>"
        // rich text: runs concatenated; the phonetic guide is not part of the value
        "<si><r><rPr><b/></rPr><t>Nguyễn </t></r><r><t xml:space=\"preserve\">Thị </t></r>"
        "<r><t>Hương</t></r><rPh sb=\"0\" eb=\"1\"><t>ignored</t></rPh></si>"
        "<si><t>a_x000D_b _x005F_x0041_</t></si>"
        "<si><t xml:space=\"preserve\"> </t></si>";
    const std::string data =
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
        "<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><r><t>Hà </t></r><r><t>Nội</t></r></is></c>"
        "<c t=\"n\"><v>0912</v></c>"                 // no r: the column after the previous one (C3)
        "<c r=\"E3\" t=\"e\"><v>#N/A</v></c></row>"  // an error cell: no value
        "<row><c r=\"A4\" t=\"b\"><v>1</v></c><c r=\"B4\" t=\"s\"><v>2</v></c>"
        "<c r=\"C4\" t=\"s\"><v>3</v></c><c r=\"D4\" s=\"1\"/></row>"  // styled empty cell
        "<row r=\"6\"><c r=\"A6\" s=\"2\"/></row>"                     // no value: no row 6
        "<row r=\"7\"/>";
    auto r = read_xlsx_bytes(one_sheet(data, shared), "hand.xlsx");
    ASSERT_TRUE(r) << r.error().describe(true);
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].rows, (Rows{{"Số định danh cá nhân", "", "Nguyễn Thị Hương"},
                                  {},
                                  {"", "Hà Nội", "0912"},
                                  {"TRUE", "a\rb _x0041_", " "}}));
}

TEST(Xlsx, ReadsPrefixedElementsAndStrictNamespacesAndOrder) {
    // The .NET Open XML SDK writes "x:" prefixes; Strict OOXML uses other namespace URIs.
    const std::string rels =
        R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="a" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/worksheet" Target="./sheets/../worksheets/second.xml"/>
<Relationship Id="b" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/worksheet" Target="worksheets/first.xml"/>
<Relationship Id="c" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/chartsheet" Target="chartsheets/sheet1.xml"/>
</Relationships>)";
    const std::string workbook =
        R"(<x:workbook xmlns:x="http://purl.oclc.org/ooxml/spreadsheetml/main" xmlns:rel="http://purl.oclc.org/ooxml/officeDocument/relationships"><x:sheets>
<x:sheet name="Trước" sheetId="2" rel:id="b"/><x:sheet name="Biểu đồ" sheetId="3" rel:id="c"/><x:sheet name="Sau" sheetId="1" rel:id="a"/></x:sheets></x:workbook>)";
    auto sheet = [](const std::string& text) {
        return "<x:worksheet xmlns:x=\"http://purl.oclc.org/ooxml/spreadsheetml/main\">"
               "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>" +
               text + "</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>";
    };
    const auto bytes = make_zip({{"_rels/.rels", kRootRels},
                                 {"xl/workbook.xml", workbook},
                                 {"xl/_rels/workbook.xml.rels", rels},
                                 {"xl/worksheets/first.xml", sheet("một")},
                                 {"xl/worksheets/second.xml", sheet("hai")},
                                 {"xl/chartsheets/sheet1.xml", "<chartsheet/>"}});
    auto r = read_xlsx_bytes(bytes, "strict.xlsx");
    ASSERT_TRUE(r) << r.error().describe(true);
    ASSERT_EQ(r->size(), 2u);  // the chart sheet has no cells
    EXPECT_EQ((*r)[0].name, "Trước");
    EXPECT_EQ((*r)[0].rows, (Rows{{"một"}}));
    EXPECT_EQ((*r)[1].name, "Sau");
    EXPECT_EQ((*r)[1].rows, (Rows{{"hai"}}));
}

TEST(Xlsx, CellErrorsNameSheetRowColumnAndReference) {
    XlsxLimits limits;
    limits.max_cell_bytes = 10;
    const auto e = expect_error(
        one_sheet("<row r=\"12\">" + inline_cell("C12", "Nguyễn Thị Hương") + "</row>"), limits);
    EXPECT_EQ(e.code, "xlsx.cell_too_large");
    EXPECT_EQ(e.where.file, "in.xlsx");
    EXPECT_EQ(e.where.row, 12);
    EXPECT_EQ(e.where.field, "C");
    EXPECT_EQ(e.where.id, "Sheet1!C12");
    EXPECT_NE(e.describe(true).find("Sheet1!C12"), std::string::npos) << e.describe(true);
}

TEST(Xlsx, EveryLimitHasItsError) {
    XlsxLimits limits;
    limits.max_file_bytes = 100;
    EXPECT_EQ(expect_error(one_sheet(""), limits).code, "xlsx.file_too_large");

    limits = {};
    limits.max_rows = 10;
    EXPECT_TRUE(read_xlsx_bytes(one_sheet("<row r=\"10\">" + inline_cell("A10", "x") + "</row>"),
                                "in.xlsx", limits));
    auto e = expect_error(one_sheet("<row r=\"11\">" + inline_cell("A11", "x") + "</row>"), limits);
    EXPECT_EQ(e.code, "xlsx.too_many_rows");
    EXPECT_EQ(e.where.row, 11);

    limits = {};
    limits.max_columns = 10;
    EXPECT_TRUE(
        read_xlsx_bytes(one_sheet("<row>" + inline_cell("J1", "x") + "</row>"), "in.xlsx", limits));
    e = expect_error(one_sheet("<row>" + inline_cell("K1", "x") + "</row>"), limits);
    EXPECT_EQ(e.code, "xlsx.too_many_columns");
    EXPECT_EQ(e.where.field, "K");

    limits = {};
    limits.max_cell_bytes = 4;
    EXPECT_EQ(expect_error(one_sheet("<row>" + inline_cell("A1", "Hương") + "</row>"), limits).code,
              "xlsx.cell_too_large");
    // A shared string is measured where a cell uses it.
    e = expect_error(
        one_sheet("<row r=\"2\"><c r=\"B2\" t=\"s\"><v>0</v></c></row>", "<si><t>Nguyễn</t></si>"),
        limits);
    EXPECT_EQ(e.code, "xlsx.cell_too_large");

    limits = {};
    limits.max_cells = 5;
    e = expect_error(one_sheet("<row>" + inline_cell("C1", "x") + "</row><row>" +
                               inline_cell("C2", "x") + "</row>"),
                     limits);
    EXPECT_EQ(e.code, "xlsx.too_many_cells");

    limits = {};
    limits.max_text_bytes = 8;  // one 5-byte shared string used twice
    e = expect_error(one_sheet("<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>0</v></c></row>",
                               "<si><t>12345</t></si>"),
                     limits);
    EXPECT_EQ(e.code, "xlsx.too_much_text");

    limits = {};
    limits.max_part_bytes = 1000;
    e = expect_error(one_sheet(std::string(2000, ' ')), limits);
    EXPECT_EQ(e.code, "xlsx.part_too_large");

    limits = {};
    limits.max_inflated_bytes = 600;  // every part fits alone; together they do not
    e = expect_error(one_sheet(std::string(300, ' ')), limits);
    EXPECT_EQ(e.code, "xlsx.too_much_data");
}

TEST(Xlsx, MemoryLimitsHaveTheirErrors) {
    // The parsed XML is bounded whatever the part's size: a budget below what a sheet of 2,000
    // cells needs refuses it, naming the part.
    std::string many;
    for (int r = 1; r <= 200; ++r) {
        many += "<row>";
        for (int c = 0; c < 10; ++c) many += "<c><v>1</v></c>";
        many += "</row>";
    }
    XlsxLimits limits;
    limits.max_xml_memory = 64u << 10;
    auto e = expect_error(one_sheet(many), limits);
    EXPECT_EQ(e.code, "xlsx.xml_too_large");
    EXPECT_NE(e.message_en.find("xl/worksheets/sheet1.xml"), std::string::npos) << e.message_en;
    EXPECT_TRUE(read_xlsx_bytes(one_sheet(many), "in.xlsx"));
    // After a refusal the budget is back: the same thread reads a small workbook.
    EXPECT_TRUE(
        read_xlsx_bytes(one_sheet("<row>" + inline_cell("A1", "x") + "</row>"), "in.xlsx", limits));

    limits = {};
    limits.max_shared_strings = 2;
    e = expect_error(one_sheet("", "<si><t>a</t></si><si><t>b</t></si><si><t>c</t></si>"), limits);
    EXPECT_EQ(e.code, "xlsx.too_many_shared_strings");
    limits = {};
    limits.max_shared_bytes = 5;
    e = expect_error(one_sheet("", "<si><t>abc</t></si><si><t>def</t></si>"), limits);
    EXPECT_EQ(e.code, "xlsx.too_much_text");

    // Rows up to a value count as cells: one value in row 1000 costs 1000 of them.
    limits = {};
    limits.max_cells = 999;
    e = expect_error(one_sheet("<row r=\"1000\">" + inline_cell("A1000", "x") + "</row>"), limits);
    EXPECT_EQ(e.code, "xlsx.too_many_cells");
    limits.max_cells = 1001;
    EXPECT_TRUE(read_xlsx_bytes(
        one_sheet("<row r=\"1000\">" + inline_cell("A1000", "x") + "</row>"), "in.xlsx", limits));
}

TEST(Xlsx, ControlCharactersInACellAreRefusedNamingTheCell) {
    // Raw in the XML, as an _xHHHH_ escape, in a shared string, or C1 / DEL: errors at the cell.
    const std::vector<std::pair<std::string, std::string>> cases = {
        {inline_cell("B3", std::string("a\x01b")), ""},
        {inline_cell("B3", "a_x0001_b"), ""},
        {inline_cell("B3", "a_x001B_b"), ""},
        {inline_cell("B3", "a\x7F"), ""},
        {inline_cell("B3", "a\xC2\x9B"), ""},
        {"<c r=\"B3\" t=\"s\"><v>0</v></c>", "<si><t>x_x0007_</t></si>"},
    };
    for (const auto& [cell, shared] : cases) {
        SCOPED_TRACE(cell + shared);
        const auto e = expect_error(one_sheet("<row r=\"3\">" + cell + "</row>", shared));
        EXPECT_EQ(e.code, "xlsx.control_char");
        EXPECT_EQ(e.where.file, "in.xlsx");
        EXPECT_EQ(e.where.row, 3);
        EXPECT_EQ(e.where.field, "B");
        EXPECT_EQ(e.where.id, "Sheet1!B3");
    }
    // TAB, LF and CR (_x000D_, as Excel writes it) are text.
    auto r = read_xlsx_bytes(one_sheet("<row>" + inline_cell("A1", "a\tb\nc_x000D_d") + "</row>"),
                             "in.xlsx");
    ASSERT_TRUE(r) << r.error().describe(true);
    EXPECT_EQ((*r)[0].rows[0][0], "a\tb\nc\rd");
}

TEST(Xlsx, InvalidUtf8InACellIsAnErrorNamingTheCell) {
    // XLSX text is always UTF-8 (ECMA-376 Part 2): no other encoding is guessed.
    const auto e = expect_error(
        one_sheet("<row r=\"2\">" + inline_cell("C2", std::string("Nguy\xE1n")) + "</row>"));
    EXPECT_EQ(e.code, "xlsx.invalid_utf8");
    EXPECT_EQ(e.where.row, 2);
    EXPECT_EQ(e.where.field, "C");
    EXPECT_EQ(e.where.id, "Sheet1!C2");
}

TEST_F(XlsxFiles, FileTooLargeIsRefusedBeforeReading) {
    const std::string file = path("big.xlsx");
    std::ofstream(file, std::ios::binary) << one_sheet("");
    XlsxLimits limits;
    limits.max_file_bytes = 64;
    auto r = read_xlsx(file, limits);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "xlsx.file_too_large");
    EXPECT_EQ(r.error().where.file, file);
    auto missing = read_xlsx(path("missing.xlsx"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "xlsx.open");
}

TEST(Xlsx, ZipBombIsRefused) {
    // 8 MiB of XML compresses to a few KiB; with a 1 MiB part limit it is refused unread.
    const std::string bomb = one_sheet(std::string(8u << 20, ' '));
    ASSERT_LT(bomb.size(), 64u << 10);
    XlsxLimits limits;
    limits.max_part_bytes = 1u << 20;
    EXPECT_EQ(expect_error(bomb, limits).code, "xlsx.part_too_large");
}

TEST(Xlsx, ZipBombWithForgedSizeIsRefusedWhileInflating) {
    // The directory claims 100 bytes for a part that inflates to 8 MiB: the reader must stop
    // at the limit, not trust the claim.
    std::string bytes = one_sheet(std::string(8u << 20, ' '));
    const std::string name = "xl/worksheets/sheet1.xml";
    int patched = 0;
    for (auto at = bytes.find(name); at != std::string::npos; at = bytes.find(name, at + 1)) {
        // The name follows a local header (30 bytes, size at 22) or a central directory entry
        // (46 bytes, size at 24).
        std::size_t size_at = 0;
        if (at >= 30 && bytes.compare(at - 30, 4, "PK\x03\x04") == 0) size_at = at - 30 + 22;
        if (at >= 46 && bytes.compare(at - 46, 4, "PK\x01\x02") == 0) size_at = at - 46 + 24;
        if (size_at == 0) continue;
        bytes.replace(size_at, 4, std::string("\x64\0\0\0", 4));  // 100
        ++patched;
    }
    EXPECT_EQ(patched, 2);
    XlsxLimits limits;
    limits.max_part_bytes = 1u << 20;
    const auto e = expect_error(bytes, limits);
    EXPECT_TRUE(e.code == "xlsx.part_too_large" || e.code == "xlsx.zip_read") << e.code;
}

TEST(Xlsx, DamagedInputGivesErrorsNotCrashes) {
    EXPECT_EQ(expect_error("").code, "xlsx.not_zip");
    EXPECT_EQ(expect_error("this is not a spreadsheet at all").code, "xlsx.not_zip");
    EXPECT_EQ(
        expect_error(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") + std::string(600, 0)).code,
        "xlsx.legacy_xls");
    EXPECT_EQ(expect_error(make_zip({{"word/document.xml", "<w:document/>"}})).code,
              "xlsx.no_workbook");
    const auto bad = expect_error(one_sheet("<row><c r=\"A1\"><v>1</v></row>"));
    EXPECT_EQ(bad.code, "xlsx.bad_xml");
    EXPECT_NE(bad.message_en.find("xl/worksheets/sheet1.xml"), std::string::npos);
    EXPECT_NE(bad.message_en.find("mismatch"), std::string::npos) << bad.message_en;

    const std::string good = one_sheet("<row>" + inline_cell("A1", "Hương") + "</row>");
    EXPECT_FALSE(read_xlsx_bytes(good.substr(0, good.size() / 2), "cut.xlsx"));
    // Every single-byte change of a valid file is read or refused, never a crash (run under
    // ASan in CI).
    std::mt19937 rng(7);
    for (int i = 0; i < 3000; ++i) {
        std::string mutated = good;
        mutated[rng() % mutated.size()] = static_cast<char>(rng());
        (void)read_xlsx_bytes(mutated, "m.xlsx");
    }
}

TEST(Xlsx, MalformedCellsAndReferences) {
    auto e = expect_error(one_sheet("<row>" + inline_cell("1A", "x") + "</row>"));
    EXPECT_EQ(e.code, "xlsx.bad_cell_ref");
    EXPECT_EQ(expect_error(one_sheet("<row>" + inline_cell("A0", "x") + "</row>")).code,
              "xlsx.bad_cell_ref");
    EXPECT_EQ(expect_error(one_sheet("<row>" + inline_cell("XFE1", "x") + "</row>")).code,
              "xlsx.bad_cell_ref");
    EXPECT_EQ(expect_error(one_sheet("<row r=\"2\">" + inline_cell("A3", "x") + "</row>")).code,
              "xlsx.bad_cell_ref");
    EXPECT_EQ(expect_error(one_sheet("<row r=\"x\"/>")).code, "xlsx.bad_cell_ref");
    EXPECT_EQ(expect_error(one_sheet("<row r=\"2\"/><row r=\"2\"/>")).code,
              "xlsx.row_out_of_order");
    e = expect_error(
        one_sheet("<row>" + inline_cell("C1", "x") + inline_cell("B1", "y") + "</row>"));
    EXPECT_EQ(e.code, "xlsx.cell_out_of_order");
    EXPECT_EQ(e.where.id, "Sheet1!B1");
    EXPECT_EQ(
        expect_error(one_sheet("<row><c t=\"s\"><v>3</v></c></row>", "<si><t>a</t></si>")).code,
        "xlsx.bad_shared_string");
    EXPECT_EQ(
        expect_error(one_sheet("<row><c t=\"s\"><v>-1</v></c></row>", "<si><t>a</t></si>")).code,
        "xlsx.bad_shared_string");
    EXPECT_EQ(expect_error(one_sheet("<row><c t=\"b\"><v>2</v></c></row>")).code, "xlsx.bad_value");
    e = expect_error(one_sheet("<row r=\"4\">" + inline_cell("D4", "\xC3\x28") + "</row>"));
    EXPECT_EQ(e.code, "xlsx.invalid_utf8");
    EXPECT_EQ(e.where.id, "Sheet1!D4");
}

TEST(Xlsx, MissingPartsAndRelationships) {
    Parts parts{{"_rels/.rels", kRootRels},
                {"xl/workbook.xml", workbook_xml({"Danh sách"})},
                {"xl/_rels/workbook.xml.rels", workbook_rels(1, false)}};
    auto e = expect_error(make_zip(parts));
    EXPECT_EQ(e.code, "xlsx.missing_part");
    parts[2].second = workbook_rels(0, false);
    e = expect_error(make_zip(parts));
    EXPECT_EQ(e.code, "xlsx.missing_relationship");
    EXPECT_NE(e.message.find("Danh sách"), std::string::npos);
}

namespace {

// A workbook whose workbook.xml opens with `workbook_pr` and lists sheets with the given
// `state` attributes (empty: none), each sheet holding `data`.
std::string workbook_with(const std::string& workbook_pr,
                          const std::vector<std::pair<std::string, std::string>>& sheets,
                          const std::string& data = "") {
    std::string wb =
        R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)" +
        workbook_pr + "<sheets>";
    Parts parts{{"_rels/.rels", kRootRels}};
    for (std::size_t i = 0; i < sheets.size(); ++i) {
        const std::string n = std::to_string(i + 1);
        wb += "<sheet name=\"" + sheets[i].first + "\" sheetId=\"" + n + "\" r:id=\"rId" + n +
              "\"" + (sheets[i].second.empty() ? "" : " state=\"" + sheets[i].second + "\"") + "/>";
        parts.emplace_back("xl/worksheets/sheet" + n + ".xml", sheet_xml(data));
    }
    parts.emplace_back("xl/workbook.xml", wb + "</sheets></workbook>");
    parts.emplace_back("xl/_rels/workbook.xml.rels", workbook_rels(sheets.size(), false));
    return make_zip(parts);
}

}  // namespace

TEST(Xlsx, HiddenAndVeryHiddenSheetsAreReadWithTheirState) {
    auto r = read_xlsx_bytes(
        workbook_with("",
                      {{"Cũ", "hidden"}, {"Mới", ""}, {"Ẩn", "veryHidden"}, {"Hiện", "visible"}},
                      "<row>" + inline_cell("A1", "x") + "</row>"),
        "in.xlsx");
    ASSERT_TRUE(r) << r.error().describe(true);
    ASSERT_EQ(r->size(), 4u);
    EXPECT_EQ((*r)[0].state, kyso::text::SheetState::hidden);
    EXPECT_EQ((*r)[1].state, kyso::text::SheetState::visible);
    EXPECT_EQ((*r)[2].state, kyso::text::SheetState::very_hidden);
    EXPECT_EQ((*r)[3].state, kyso::text::SheetState::visible);
    EXPECT_EQ((*r)[0].rows, (Rows{{"x"}}));
    auto bad = expect_error(workbook_with("", {{"S", "invisible"}}));
    EXPECT_EQ(bad.code, "xlsx.bad_attribute");
    EXPECT_NE(bad.message_en.find("invisible"), std::string::npos);
}

TEST(Xlsx, DateSystemOfTheWorkbook) {
    const std::string data = "<row><c r=\"A1\" s=\"1\"><v>29687</v></c></row>";
    for (const auto& [pr, expected] : std::vector<std::pair<std::string, bool>>{
             {"", false},
             {"<workbookPr/>", false},
             {"<workbookPr date1904=\"1\"/>", true},
             {"<workbookPr date1904=\"true\" defaultThemeVersion=\"124226\"/>", true},
             {"<workbookPr date1904=\"0\"/>", false},
             {"<workbookPr date1904=\"false\"/>", false}}) {
        auto r = read_xlsx_bytes(workbook_with(pr, {{"S", ""}, {"T", ""}}, data), "in.xlsx");
        ASSERT_TRUE(r) << r.error().describe(true);
        for (const auto& sheet : *r) {
            EXPECT_EQ(sheet.date1904, expected) << pr;
            EXPECT_EQ(sheet.rows, (Rows{{"29687"}})) << "the serial itself is kept";
        }
    }
    EXPECT_EQ(expect_error(workbook_with("<workbookPr date1904=\"yes\"/>", {{"S", ""}})).code,
              "xlsx.bad_attribute");
}

TEST(Xlsx, IsoDateCellsAreReadAsWritten) {
    auto r = read_xlsx_bytes(one_sheet("<row><c r=\"A1\" t=\"d\"><v>1985-04-12T00:00:00</v></c>"
                                       "<c r=\"B1\" t=\"d\"><v>1979-11-02</v></c></row>"),
                             "in.xlsx");
    ASSERT_TRUE(r) << r.error().describe(true);
    EXPECT_EQ((*r)[0].rows, (Rows{{"1985-04-12T00:00:00", "1979-11-02"}}));
}

TEST(Xlsx, TooManySheetsIsAnError) {
    XlsxLimits limits;
    limits.max_sheets = 2;
    EXPECT_TRUE(read_xlsx_bytes(workbook_with("", {{"A", ""}, {"B", ""}}), "in.xlsx", limits));
    EXPECT_EQ(expect_error(workbook_with("", {{"A", ""}, {"B", ""}, {"C", ""}}), limits).code,
              "xlsx.too_many_sheets");
}

TEST(Xlsx, SerialDatesInBothSystemsWithExcelsLeapYearBug) {
    using kyso::Date;
    using kyso::text::excel_serial_date;
    // 1900 system: day 1 is 1900-01-01, day 59 1900-02-28, day 60 the 29th Excel invented.
    EXPECT_EQ(excel_serial_date(1, false), (Date{1900, 1, 1}));
    EXPECT_EQ(excel_serial_date(59, false), (Date{1900, 2, 28}));
    EXPECT_EQ(excel_serial_date(60, false), std::nullopt);
    EXPECT_EQ(excel_serial_date(61, false), (Date{1900, 3, 1}));
    EXPECT_EQ(excel_serial_date(0, false), std::nullopt);
    EXPECT_EQ(excel_serial_date(32217, false), (Date{1988, 3, 15}));
    EXPECT_EQ(excel_serial_date(2958465, false), (Date{9999, 12, 31}));
    EXPECT_EQ(excel_serial_date(2958466, false), std::nullopt);
    EXPECT_EQ(excel_serial_date(-1, false), std::nullopt);
    // 1904 system: day 0 is 1904-01-01; the same day is 1,462 serials smaller.
    EXPECT_EQ(excel_serial_date(0, true), (Date{1904, 1, 1}));
    EXPECT_EQ(excel_serial_date(29687, true), (Date{1985, 4, 12}));
    EXPECT_EQ(excel_serial_date(29687 + 1462, false), (Date{1985, 4, 12}));
    EXPECT_EQ(excel_serial_date(2958465 - 1462, true), (Date{9999, 12, 31}));
    EXPECT_EQ(excel_serial_date(2958465 - 1461, true), std::nullopt);
    EXPECT_EQ(excel_serial_date(-1, true), std::nullopt);
}

// `kyso intake` on spreadsheets as people really have them (tests/data/real-world/README.md):
// CSV with `;` or TAB and a `sep=` line, numbers Excel mangled, the 1904 date system, dates
// typed as text in either order, hidden sheets, names typed in the TCVN3 capitals font.
#include <zip.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "cli_harness.h"
#include "text/csv.h"

namespace kyso::testing {

namespace {

const std::string kRealWorld = std::string(KYSO_TEST_DATA) + "/real-world";

using Record = std::map<std::string, std::string>;

// A CSV file of an intake folder as rows of column name -> value.
std::vector<Record> read_rows(const fs::path& file) {
    std::vector<Record> out;
    auto r = text::CsvReader::open(file.string(), file.filename().string());
    EXPECT_TRUE(r.ok()) << file;
    if (!r) return out;
    while (true) {
        auto more = r->next();
        if (!more || !*more) break;
        auto& rec = out.emplace_back();
        for (std::size_t i = 0; i < r->header().size(); ++i) rec[r->header()[i]] = r->fields()[i];
    }
    return out;
}

// people.csv keyed by CCCD as written.
std::map<std::string, Record> people_by_cccd(const fs::path& dir) {
    std::map<std::string, Record> out;
    for (auto& rec : read_rows(dir / "people.csv")) out[rec["cccd"]] = rec;
    return out;
}

// findings.json as (code, severity, file, row, field).
using FindingKey = std::tuple<std::string, std::string, std::string, int, std::string>;
std::set<FindingKey> findings_of(const fs::path& dir) {
    std::set<FindingKey> out;
    const auto j = nlohmann::json::parse(read_file(dir / "findings.json"));
    for (const auto& f : j["findings"]) {
        out.insert({f["code"], f["severity"], f["file"], f["row"].get<int>(), f["field"]});
    }
    return out;
}

std::size_t count_code(const std::set<FindingKey>& findings, const std::string& code) {
    return static_cast<std::size_t>(std::count_if(
        findings.begin(), findings.end(), [&](const auto& f) { return std::get<0>(f) == code; }));
}

// The registry's people (what the sheets describe) by CCCD.
std::map<std::string, Record> registry_people(const std::string& folder) {
    std::map<std::string, Record> out;
    for (auto& rec : read_rows(fs::path(kRealWorld) / folder / "registry" / "people.csv"))
        out[rec["cccd"]] = rec;
    return out;
}

// An .xlsx written part by part: workbook.xml gets `workbook_pr`, each sheet a name, a state
// attribute (empty: none) and its sheetData; cells use inline strings.
struct XlsxSheet {
    std::string name;
    std::string state;
    std::string data;
};
void write_xlsx(const std::string& path, const std::string& workbook_pr,
                const std::vector<XlsxSheet>& sheets) {
    std::vector<std::pair<std::string, std::string>> parts;
    parts.emplace_back(
        "_rels/.rels",
        R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)");
    std::string wb =
        R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)" +
        workbook_pr + "<sheets>";
    std::string rels =
        R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";
    for (std::size_t i = 0; i < sheets.size(); ++i) {
        const std::string n = std::to_string(i + 1);
        wb += "<sheet name=\"" + sheets[i].name + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"" +
              (sheets[i].state.empty() ? "" : " state=\"" + sheets[i].state + "\"") + "/>";
        rels += "<Relationship Id=\"rId" + n +
                "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                "worksheet\" Target=\"worksheets/sheet" +
                n + ".xml\"/>";
        parts.emplace_back(
            "xl/worksheets/sheet" + n + ".xml",
            R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
                sheets[i].data + "</sheetData></worksheet>");
    }
    parts.emplace_back("xl/workbook.xml", wb + "</sheets></workbook>");
    parts.emplace_back("xl/_rels/workbook.xml.rels", rels + "</Relationships>");
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    ASSERT_NE(z, nullptr);
    for (const auto& [name, data] : parts) {
        zip_source_t* s = zip_source_buffer(z, data.data(), data.size(), 0);
        ASSERT_GE(zip_file_add(z, name.c_str(), s, ZIP_FL_ENC_UTF_8), 0);
    }
    ASSERT_EQ(zip_close(z), 0);
}

// One row of inline-string cells from column A, plus raw cells appended as given.
std::string row(int r, const std::vector<std::string>& texts, const std::string& raw = "") {
    std::string out = "<row r=\"" + std::to_string(r) + "\">";
    for (std::size_t c = 0; c < texts.size(); ++c) {
        const std::string ref = std::string(1, static_cast<char>('A' + c)) + std::to_string(r);
        out += "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + texts[c] + "</t></is></c>";
    }
    return out + raw + "</row>";
}

using IntakeReaders = ScratchDir;

}  // namespace

// ---- the real-world examples -------------------------------------------------------------------

TEST_F(IntakeReaders, SemicolonCsvFilesAreReadWithOrWithoutQuotesAndSepLine) {
    const auto expected = registry_people("csv-semicolon");
    for (const char* file : {"vi-locale-semicolon.csv", "vi-locale-semicolon-noquotes.csv",
                             "sep-hint-semicolon.csv"}) {
        SCOPED_TRACE(file);
        const std::string out = path(std::string("out-") + file);
        const auto r = run_kyso("intake --csv " + kRealWorld + "/csv-semicolon/" + file +
                                " --registry " + kRealWorld + "/csv-semicolon/registry" +
                                " --province 'Tỉnh Phú Sơn' --out " + out);
        EXPECT_EQ(r.exit_code, 0) << r.out;
        const auto people = people_by_cccd(out);
        ASSERT_EQ(people.size(), 3u) << r.out;
        for (const auto& [cccd, want] : expected) {
            ASSERT_TRUE(people.count(cccd)) << cccd;
            const auto& got = people.at(cccd);
            EXPECT_EQ(got.at("full_name"), want.at("full_name"));
            EXPECT_EQ(got.at("date_of_birth"), want.at("date_of_birth"));
            EXPECT_EQ(got.at("phone"), want.at("phone"));
            EXPECT_EQ(got.at("org_id"), want.at("org_id"));
        }
        // The quoted position keeps its semicolon.
        if (std::string(file) != "vi-locale-semicolon-noquotes.csv") {
            EXPECT_EQ(people.at("001079004321").at("position"), "Phó Giám đốc; Kế toán trưởng");
        }
        EXPECT_TRUE(findings_of(out).empty()) << read_file(fs::path(out) / "findings.json");
    }
}

TEST_F(IntakeReaders, CccdThatLostDigitsIsAnErrorKeptAsWritten) {
    const auto r =
        run_kyso("intake --csv " + kRealWorld + "/csv-cccd-scientific/narrow-column.csv" +
                 " --registry " + kRealWorld + "/csv-cccd-scientific/registry" +
                 " --province 'Tỉnh Phú Sơn' --out " + path("out"));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    const auto people = people_by_cccd(dir / "out");
    EXPECT_TRUE(people.count("3.8185E+10")) << "kept as written";
    EXPECT_TRUE(people.count("1.079E+09"));
    const std::string all = read_file(dir / "out" / "people.csv");
    EXPECT_EQ(all.find("038185000000"), std::string::npos) << "no invented digits";
    EXPECT_EQ(all.find("001079000000"), std::string::npos);
    const auto f = findings_of(dir / "out");
    EXPECT_TRUE(f.count({"number_digits_lost", "error", "people.csv", 1, "cccd"}));
    EXPECT_TRUE(f.count({"number_digits_lost", "error", "people.csv", 2, "cccd"}));
    EXPECT_EQ(count_code(f, "number_digits_lost"), 2u);
    EXPECT_NE(r.out.find("number_digits_lost"), std::string::npos) << r.out;
}

TEST_F(IntakeReaders, LeadingZerosComeBackOnlyWhenEveryDigitIsThere) {
    const auto r =
        run_kyso("intake --csv " + kRealWorld + "/csv-cccd-scientific/excel-resaved.csv" +
                 " --registry " + kRealWorld + "/csv-cccd-scientific/registry" +
                 " --province 'Tỉnh Phú Sơn' --out " + path("out"));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    const auto people = people_by_cccd(dir / "out");
    EXPECT_TRUE(people.count("038185012345"));  // 11 digits: one zero restored
    EXPECT_TRUE(people.count("001079004321"));  // 10 digits: two zeros restored
    EXPECT_TRUE(people.count("4.01920E+11"));   // digits lost: kept
    EXPECT_EQ(people.at("038185012345").at("phone"), "0912345678");
    const std::string log = read_file(dir / "out" / "intake.csv");
    EXPECT_NE(log.find("excel-resaved.csv,2,cccd,38185012345,038185012345"), std::string::npos)
        << log;
    EXPECT_NE(log.find("excel-resaved.csv,3,cccd,1079004321,001079004321"), std::string::npos);
    const auto f = findings_of(dir / "out");
    EXPECT_TRUE(f.count({"number_digits_lost", "error", "people.csv", 3, "cccd"}));
    EXPECT_EQ(count_code(f, "number_digits_lost"), 1u);
}

TEST_F(IntakeReaders, MacWorkbookDatesCountFrom1904) {
    const auto r = run_kyso("intake --xlsx " + kRealWorld + "/xlsx-1904-dates/mac-1904.xlsx" +
                            " --registry " + kRealWorld + "/xlsx-1904-dates/registry" +
                            " --province 'Tỉnh Phú Sơn' --out " + path("out"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    const auto people = people_by_cccd(dir / "out");
    const auto expected = registry_people("xlsx-1904-dates");
    ASSERT_EQ(people.size(), expected.size());
    for (const auto& [cccd, want] : expected)
        EXPECT_EQ(people.at(cccd).at("date_of_birth"), want.at("date_of_birth")) << cccd;
}

TEST_F(IntakeReaders, HiddenSheetIsSkippedAndNamedAndReadOnRequest) {
    const std::string xlsx = kRealWorld + "/xlsx-hidden-sheet/hidden-first-sheet.xlsx";
    const std::string registry = kRealWorld + "/xlsx-hidden-sheet/registry";
    auto r = run_kyso("intake --xlsx " + xlsx + " --registry " + registry +
                      " --province 'Tỉnh Phú Sơn' --out " + path("out"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    const auto expected = registry_people("xlsx-hidden-sheet");
    auto people = read_rows(dir / "out" / "people.csv");
    ASSERT_EQ(people.size(), expected.size()) << "nobody twice, nobody who left";
    for (const auto& p : people) EXPECT_TRUE(expected.count(p.at("cccd"))) << p.at("full_name");
    EXPECT_NE(r.out.find("DS cũ 2023"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--include-hidden"), std::string::npos) << r.out;
    EXPECT_NE(read_file(dir / "out" / "intake.csv").find("DS cũ 2023,,"), std::string::npos);

    r = run_kyso("intake --xlsx " + xlsx + " --registry " + registry +
                 " --province 'Tỉnh Phú Sơn' --include-hidden --out " + path("all"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    people = read_rows(dir / "all" / "people.csv");
    EXPECT_GT(people.size(), expected.size());
    EXPECT_EQ(r.out.find("DS cũ 2023"), std::string::npos) << r.out;
}

// ---- more of the same kinds
// ----------------------------------------------------------------------

TEST_F(IntakeReaders, VeryHiddenSheetIsoDateCellsAnd1904SerialsInOneWorkbook) {
    write_xlsx(
        path("ds.xlsx"), "<workbookPr date1904=\"1\"/>",
        {{"Cũ", "veryHidden",
          row(1, {"Họ và tên", "Số CCCD", "Ngày sinh"}) +
              row(2, {"Người Đã Nghỉ", "001080000001", "01/01/1980"})},
         {"Ẩn", "hidden", row(1, {"Họ và tên", "Số CCCD"}) + row(2, {"Ai Đó", "1"})},
         {"Danh sách", "",
          row(1, {"Họ và tên", "Số CCCD", "Ngày sinh"}) +
              row(2, {"Phạm Thu Trang", "001195012345"},
                  "<c r=\"C2\" t=\"d\"><v>1995-06-15T00:00:00</v></c>") +
              row(3, {"Lê Minh Đức", "001085012345"}, "<c r=\"C3\" s=\"1\"><v>29687</v></c>")}});
    const auto r =
        run_kyso("intake --xlsx " + path("ds.xlsx") + " --org 'Sở Nội vụ' --out " + path("out"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    const auto people = people_by_cccd(dir / "out");
    ASSERT_EQ(people.size(), 2u) << r.out;
    EXPECT_EQ(people.at("001195012345").at("date_of_birth"), "1995-06-15");
    EXPECT_EQ(people.at("001085012345").at("date_of_birth"), "1985-04-12");
    EXPECT_NE(r.out.find("\"Cũ\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"Ẩn\""), std::string::npos) << r.out;
}

TEST_F(IntakeReaders, OnlyHiddenSheetsHoldAHeaderSaysSo) {
    write_xlsx(path("ds.xlsx"), "",
               {{"Cũ", "hidden",
                 row(1, {"Họ và tên", "Số CCCD"}) + row(2, {"Phạm Thu Trang", "001195012345"})},
                {"Ghi chú", "", row(1, {"trống"})}});
    auto r = run_kyso("intake --xlsx " + path("ds.xlsx") + " --out " + path("out"));
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("--include-hidden"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(dir / "out"));
    r = run_kyso("intake --xlsx " + path("ds.xlsx") + " --include-hidden --org X --out " +
                 path("out"));
    EXPECT_EQ(read_rows(dir / "out" / "people.csv").size(), 1u) << r.out;
}

TEST_F(IntakeReaders, Utf16TabTextWithAMonthFirstColumn) {
    // Excel's "Unicode text": UTF-16LE, TAB between fields; one date (03/25/1990) settles the
    // column month-first, so 04/05/1991 is April 5th.
    const std::u16string text =
        u"Họ và tên\tSố CCCD\tNgày sinh\r\n"
        u"Phạm Thu Trang\t001190012345\t03/25/1990\r\n"
        u"Lê Minh Đức\t001191012345\t04/05/1991\r\n";
    std::string bytes = "\xFF\xFE";
    for (char16_t u : text) {
        bytes += static_cast<char>(u & 0xFF);
        bytes += static_cast<char>(u >> 8);
    }
    write_file(dir / "ds.txt", bytes);
    const auto r = run_kyso("intake --csv " + path("ds.txt") + " --org X --out " + path("out"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    const auto people = people_by_cccd(dir / "out");
    ASSERT_EQ(people.size(), 2u) << r.out;
    EXPECT_EQ(people.at("001190012345").at("date_of_birth"), "1990-03-25");
    EXPECT_EQ(people.at("001191012345").at("date_of_birth"), "1991-04-05");
    EXPECT_EQ(count_code(findings_of(dir / "out"), "date_order_assumed"), 0u);
}

TEST_F(IntakeReaders, AColumnNothingSettlesIsReadDayFirstWithOneWarning) {
    write_file(dir / "ds.csv",
               "sep=,\nHọ và tên,Số CCCD,Ngày sinh,Ngày cấp\n"
               "Phạm Thu Trang,001190012345,04/05/1990,25/12/2015\n"
               "Lê Minh Đức,001191012345,02/03/1991,01/02/2016\n");
    const auto r = run_kyso("intake --csv " + path("ds.csv") + " --org X --out " + path("out"));
    EXPECT_EQ(r.exit_code, 0) << r.out;  // a warning only
    const auto people = people_by_cccd(dir / "out");
    EXPECT_EQ(people.at("001190012345").at("date_of_birth"), "1990-05-04");
    EXPECT_EQ(people.at("001191012345").at("cccd_issued_on"), "2016-02-01");  // settled by 25
    const auto f = findings_of(dir / "out");
    EXPECT_TRUE(f.count({"date_order_assumed", "warning", "people.csv", 1, "date_of_birth"}));
    EXPECT_EQ(count_code(f, "date_order_assumed"), 1u) << "one warning for the column";
}

TEST_F(IntakeReaders, PhoneThatLostDigitsIsAnErrorOnItsField) {
    write_file(dir / "ds.csv",
               "Họ và tên;Số CCCD;Số điện thoại\r\n"
               "Phạm Thu Trang;001190012345;9,12346E+08\r\n"
               "Lê Minh Đức;001191012345;912345678\r\n");
    const auto r = run_kyso("intake --csv " + path("ds.csv") + " --org X --out " + path("out"));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    const auto people = people_by_cccd(dir / "out");
    EXPECT_EQ(people.at("001190012345").at("phone"), "9,12346E+08");
    EXPECT_EQ(people.at("001191012345").at("phone"), "0912345678");
    const auto f = findings_of(dir / "out");
    EXPECT_TRUE(f.count({"number_digits_lost", "error", "people.csv", 1, "phone"}));
}

TEST_F(IntakeReaders, CsvWithoutAHeaderNamesTheSeparatorsTried) {
    write_file(dir / "ds.csv", "Tên|Mã\nAn|1\n");
    const auto r = run_kyso("intake --csv " + path("ds.csv") + " --out " + path("out"));
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("',', ';', TAB"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST_F(IntakeReaders, NameTypedInTheTcvn3CapitalsFontIsSuggestedInProperCase) {
    // "NGUYỄN VĂN AN" typed in .VnTimeH: the small letters' TCVN3 bytes, read as Windows-1258
    // would show them in UTF-8 after Excel ("nguyÔn v¨n an").
    write_file(dir / "ds.csv",
               "Họ và tên,Số CCCD\n"
               "nguy\xC3\x94n v\xC2\xA8n an,001190012345\n");
    const auto r = run_kyso("intake --csv " + path("ds.csv") + " --org X --out " + path("out"));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    const auto j = nlohmann::json::parse(read_file(dir / "out" / "findings.json"));
    bool seen = false;
    for (const auto& f : j["findings"]) {
        if (f["code"] != "legacy_encoding") continue;
        seen = true;
        EXPECT_EQ(f["suggestion"], "Nguyễn Văn An");
    }
    EXPECT_TRUE(seen) << j.dump(1);
}

}  // namespace kyso::testing

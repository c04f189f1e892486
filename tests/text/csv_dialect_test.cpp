// Tests: agencies' CSV files as Excel saves them in different regions — `,` `;` or TAB between
// fields, a `sep=` first line, title lines above the header, UTF-8/UTF-16/Windows-1258 bytes.
#include "text/csv_dialect.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "text/spreadsheet.h"

using kyso::text::CsvDialect;
using kyso::text::detect_csv_dialect;
using kyso::text::HeaderScore;
using kyso::text::read_spreadsheet;
using kyso::text::SpreadsheetOptions;
namespace fs = std::filesystem;

namespace {

using Rows = std::vector<std::vector<std::string>>;

// A header names "Họ và tên" and one more known heading (as intake's rule, simplified).
const HeaderScore kIntakeLike = [](const std::vector<std::string>& row) -> std::size_t {
    std::size_t known = 0;
    bool name = false;
    for (const auto& c : row) {
        if (c == "Họ và tên") name = true;
        if (c == "Họ và tên" || c == "Số CCCD" || c == "Ngày sinh" || c == "Đơn vị") ++known;
    }
    return name && known >= 2 ? known : 0;
};

char separator_of(const std::string& text, const HeaderScore& score = kIntakeLike) {
    auto d = detect_csv_dialect(text, "x.csv", score);
    EXPECT_TRUE(d) << d.error().describe(true);
    return d ? d->separator : '?';
}

// A file of its own under the temp dir, removed at the end of the test.
class CsvFiles : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() /
               ("kyso-csvd-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string write(const std::string& name, const std::string& bytes) const {
        const std::string p = (dir_ / name).string();
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }
    Rows read(const std::string& path) const {
        SpreadsheetOptions o;
        o.header_score = kIntakeLike;
        auto sheets = read_spreadsheet(path, o);
        EXPECT_TRUE(sheets) << sheets.error().describe(true);
        if (!sheets) return {};
        EXPECT_EQ(sheets->size(), 1u);
        return sheets->front().rows;
    }
    fs::path dir_;
};

}  // namespace

TEST(CsvDialect, SeparatorFromTheHeaderLine) {
    EXPECT_EQ(separator_of("STT,Họ và tên,Số CCCD\n1,An,001\n"), ',');
    EXPECT_EQ(separator_of("STT;Họ và tên;Số CCCD\r\n1;An;001\r\n"), ';');
    EXPECT_EQ(separator_of("STT\tHọ và tên\tSố CCCD\n1\tAn\t001\n"), '\t');
}

TEST(CsvDialect, TitleLinesAboveTheHeaderDoNotDecide) {
    // The title has commas, the header semicolons: the header line decides.
    EXPECT_EQ(separator_of("DANH SÁCH, THÁNG 3, NĂM 2025\r\n\r\nHọ và tên;Số CCCD;Đơn vị\r\n"),
              ';');
    // And a heading holding a comma inside quotes is one heading.
    EXPECT_EQ(separator_of("Họ và tên,\"Cơ quan, đơn vị\",Số CCCD\n"), ',');
}

TEST(CsvDialect, QuotedSemicolonsAreText) {
    const std::string text =
        "Họ và tên;Số CCCD;Chức vụ\r\nAn;001;\"Phó Giám đốc; Kế toán trưởng\"\r\n";
    EXPECT_EQ(separator_of(text), ';');
}

TEST(CsvDialect, SepLineIsHonouredAndSkipped) {
    const std::string text = "sep=;\r\nHọ và tên;Số CCCD\r\nAn;001\r\n";
    auto d = detect_csv_dialect(text, "x.csv", kIntakeLike);
    ASSERT_TRUE(d) << d.error().describe(true);
    EXPECT_EQ(d->separator, ';');
    EXPECT_TRUE(d->from_sep_line);
    EXPECT_EQ(d->skip_bytes, 7u);
    // Quoted, upper case, LF only, TAB: all as Excel and other tools write them.
    EXPECT_EQ(separator_of("\"SEP=,\"\nHọ và tên,Số CCCD\n"), ',');
    EXPECT_EQ(separator_of("sep=\t\nHọ và tên\tSố CCCD\n"), '\t');
    // A sep= line names the separator even where another would also find a header.
    auto pipe = detect_csv_dialect("sep=|\nHọ và tên|Số CCCD\n", "x.csv", kIntakeLike);
    ASSERT_TRUE(pipe);
    EXPECT_EQ(pipe->separator, '|');
}

TEST(CsvDialect, SearchIsBounded) {
    // A "sep=" line longer than kMaxSepLine is text, not a sep line.
    const std::string long_sep = "sep=" + std::string(kyso::text::kMaxSepLine, ';') + "\n";
    auto d = detect_csv_dialect(long_sep + "Họ và tên;Số CCCD\n", "x.csv", kIntakeLike);
    ASSERT_TRUE(d) << d.error().describe(true);
    EXPECT_FALSE(d->from_sep_line);
    EXPECT_EQ(d->separator, ';');
    // A header after the first kDialectSearchRecords records is not looked for.
    auto notes = [](std::size_t n) {
        std::string out;
        for (std::size_t i = 0; i < n; ++i) out += "ghi chú\n";
        return out + "Họ và tên;Số CCCD\n";
    };
    const std::size_t limit = kyso::text::kDialectSearchRecords;
    EXPECT_TRUE(detect_csv_dialect(notes(limit - 1), "x.csv", kIntakeLike));
    EXPECT_FALSE(detect_csv_dialect(notes(limit), "x.csv", kIntakeLike));
}

TEST(CsvDialect, BadSepLineIsAnError) {
    for (const char* text : {"sep=\nHọ và tên,Số CCCD\n", "sep=\"\nx\n", "sep=ab\nx\n"}) {
        auto d = detect_csv_dialect(text, "x.csv", kIntakeLike);
        ASSERT_FALSE(d) << text;
        EXPECT_EQ(d.error().code, "csv.bad_sep_line");
    }
}

TEST(CsvDialect, NoHeaderNamesTheSeparatorsTried) {
    auto d = detect_csv_dialect("a|b|c\n1|2|3\n", "ds.csv", kIntakeLike);
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, "csv.no_header");
    const std::string en = d.error().describe(true);
    EXPECT_NE(en.find("ds.csv"), std::string::npos) << en;
    EXPECT_NE(en.find("','"), std::string::npos) << en;
    EXPECT_NE(en.find("';'"), std::string::npos) << en;
    EXPECT_NE(en.find("TAB"), std::string::npos) << en;
    // After a sep= line only that separator is tried, and named.
    auto s = detect_csv_dialect("sep=;\nHọ và tên,Số CCCD\n", "ds.csv", kIntakeLike);
    ASSERT_FALSE(s);
    const std::string sep_en = s.error().describe(true);
    EXPECT_NE(sep_en.find("';' (sep=)"), std::string::npos) << sep_en;
    EXPECT_EQ(sep_en.find("','"), std::string::npos) << sep_en;
}

TEST(CsvDialect, WithoutAHeaderRuleTheFullestRecordDecides) {
    EXPECT_EQ(separator_of("a;b;c\n1;2;3\n", {}), ';');
    EXPECT_EQ(separator_of("Cơ quan, đơn vị;Số;Ngày;Ghi chú\n", {}), ';');
    EXPECT_EQ(separator_of("one column\n", {}), ',');
    EXPECT_EQ(separator_of("", {}), ',');
}

TEST_F(CsvFiles, SemicolonFileWithQuotedSemicolonsReadsIntoRows) {
    const auto p = write(
        "ds.csv", "\xEF\xBB\xBFSTT;Họ và tên;Số CCCD\r\n1;An;\"001; 002\"\r\n\r\n2;Bình;003\r\n");
    EXPECT_EQ(
        read(p),
        (Rows{{"STT", "Họ và tên", "Số CCCD"}, {"1", "An", "001; 002"}, {}, {"2", "Bình", "003"}}));
}

TEST_F(CsvFiles, SepLineIsNotARow) {
    const auto p = write("ds.csv", "sep=;\r\nHọ và tên;Số CCCD\r\nAn;001\r\n");
    EXPECT_EQ(read(p), (Rows{{"Họ và tên", "Số CCCD"}, {"An", "001"}}));
}

TEST_F(CsvFiles, TitleRowsOfOtherLengthsAreKept) {
    const auto p = write("ds.csv", "DANH SÁCH\nHọ và tên,Số CCCD,Đơn vị\nAn,001\n");
    EXPECT_EQ(read(p), (Rows{{"DANH SÁCH"}, {"Họ và tên", "Số CCCD", "Đơn vị"}, {"An", "001"}}));
}

TEST_F(CsvFiles, Utf16UnicodeTextWithTabs) {
    // Excel's "Unicode text": UTF-16LE with a BOM, TAB between fields.
    const std::string text = "Họ và tên\tSố CCCD\r\nAn\t001\r\n";
    std::u16string units;
    for (std::size_t i = 0; i < text.size();) {  // UTF-8 → UTF-16 (BMP only here)
        const auto b = static_cast<unsigned char>(text[i]);
        char32_t c = b;
        std::size_t n = 1;
        if (b >= 0xE0) {
            c = ((b & 0x0Fu) << 12) | ((text[i + 1] & 0x3Fu) << 6) | (text[i + 2] & 0x3Fu);
            n = 3;
        } else if (b >= 0xC0) {
            c = ((b & 0x1Fu) << 6) | (text[i + 1] & 0x3Fu);
            n = 2;
        }
        units += static_cast<char16_t>(c);
        i += n;
    }
    std::string bytes = "\xFF\xFE";
    for (char16_t u : units) {
        bytes += static_cast<char>(u & 0xFF);
        bytes += static_cast<char>(u >> 8);
    }
    const auto p = write("ds.txt", bytes);
    EXPECT_EQ(read(p), (Rows{{"Họ và tên", "Số CCCD"}, {"An", "001"}}));
}

TEST_F(CsvFiles, Windows1258Semicolons) {
    // "Họ và tên;Số CCCD" in Windows-1258: tones as combining marks (ọ = o + 0xF2).
    const auto p = write("ds.csv", "H\x6F\xF2 v\xE0 t\xEAn;S\xF4\xEC CCCD\r\nAn;001\r\n");
    EXPECT_EQ(read(p), (Rows{{"Họ và tên", "Số CCCD"}, {"An", "001"}}));
}

TEST_F(CsvFiles, QuotingErrorNamesTheLineAsPeopleSeeIt) {
    const auto p = write("ds.csv", "sep=;\nDANH SÁCH\nHọ và tên;Số CCCD\nAn;0\"01\n");
    SpreadsheetOptions o;
    o.header_score = kIntakeLike;
    auto sheets = read_spreadsheet(p, o);
    ASSERT_FALSE(sheets);
    EXPECT_EQ(sheets.error().code, "csv.bad_quote");
    EXPECT_EQ(sheets.error().where.row, 3);
}

TEST_F(CsvFiles, NoHeaderIsAnErrorNamingTheSeparators) {
    const auto p = write("ds.csv", "a|b\n1|2\n");
    SpreadsheetOptions o;
    o.header_score = kIntakeLike;
    auto sheets = read_spreadsheet(p, o);
    ASSERT_FALSE(sheets);
    EXPECT_EQ(sheets.error().code, "csv.no_header");
}

TEST_F(CsvFiles, AWorkbookIsReadAsOneWhateverItsName) {
    // An Excel 97-2003 file renamed .csv: the workbook reader names the problem.
    const auto p = write("ds.csv", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + "rest");
    auto sheets = read_spreadsheet(p);
    ASSERT_FALSE(sheets);
    EXPECT_EQ(sheets.error().code, "xlsx.legacy_xls");
}

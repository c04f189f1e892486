// Tests: the lists handed to people (the plan as CSV or XLSX, a batch's list) never carry a cell a
// spreadsheet program would run as a formula (OWASP "CSV injection"), and real numbers stay
// numbers.
#include <gtest/gtest.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "docs/table.h"
#include "text/csv_writer.h"

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kHostile = {"=HYPERLINK(\"http://x.invalid\",\"bấm\")",
                                           "+1+1",
                                           "-2+3",
                                           "@SUM(A1:A9)",
                                           "\t=1+1",
                                           "\r=1+1",
                                           "-",
                                           "=",
                                           "+84 91"};
const std::vector<std::string> kHarmless = {"-5",           "+84912345678",     "-1.5", "-1,5",
                                            "Nguyễn Văn A", "6A01000000000002", "",     "a=b"};

TEST(FormulaNeutralizing, CellsAFormulaWouldRunGetAnApostrophe) {
    for (const std::string& v : kHostile)
        EXPECT_EQ(kyso::text::neutralize_formula(v), "'" + v) << v;
    for (const std::string& v : kHarmless) EXPECT_EQ(kyso::text::neutralize_formula(v), v) << v;
}

fs::path temp_dir() {
    const fs::path dir =
        fs::temp_directory_path() /
        ("kyso-table-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

kyso::docs::Table hostile_table() {
    kyso::docs::Table t;
    t.title = "Kế hoạch";
    t.headings = {"Giá trị", "Ghi chú"};
    kyso::docs::TableGroup g;
    g.title = "=1+2";  // a group title is a cell too
    for (const std::string& v : kHostile) g.rows.push_back({v, "x"});
    for (const std::string& v : kHarmless) g.rows.push_back({v, "y"});
    t.groups.push_back(g);
    return t;
}

TEST(TableExport, TheCsvNeutralizesEveryFormulaCellAndKeepsNumbers) {
    const fs::path dir = temp_dir();
    ASSERT_TRUE(kyso::docs::write_csv(hostile_table(), (dir / "plan.csv").string()));
    std::ifstream in(dir / "plan.csv", std::ios::binary);
    const std::string csv((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(csv.find("\r\n'=1+2,\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\n\"'=HYPERLINK(\"\"http://x.invalid\"\",\"\"bấm\"\")\",x\r\n"),
              std::string::npos)
        << csv;
    EXPECT_NE(csv.find("\r\n'+1+1,x\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\n'-2+3,x\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\n'@SUM(A1:A9),x\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\n'\t=1+1,x\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\n\"'\r=1+1\",x\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\n-5,y\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\n+84912345678,y\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\n\"-1,5\",y\r\n"), std::string::npos) << csv;
    // Every line starts with a harmless character.
    std::size_t at = 0;
    while ((at = csv.find("\r\n", at)) != std::string::npos) {
        at += 2;
        if (at >= csv.size()) break;
        const bool number = csv.compare(at, 2, "-5") == 0 || csv.compare(at, 2, "+8") == 0 ||
                            csv.compare(at, 4, "-1.5") == 0;
        EXPECT_TRUE(number || std::string("=+-@\t\r").find(csv[at]) == std::string::npos)
            << csv.substr(at, 20);
    }
    fs::remove_all(dir);
}

// Logs for people (intake.csv, fixes.csv) neutralize too, keeping LF and no BOM.
TEST(TableExport, ANeutralizedLogKeepsItsLineEndsAndNeutralizesFormulas) {
    const fs::path dir = temp_dir();
    kyso::text::CsvWriter log((dir / "intake.csv").string(), kyso::text::CsvWriter::Neutralized{});
    log.row({"field", "from", "to"});
    log.row({"full_name", "=cmd|' /C calc'!A0", "-5"});
    ASSERT_TRUE(log.close());
    std::ifstream in(dir / "intake.csv", std::ios::binary);
    const std::string csv((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(csv, "field,from,to\nfull_name,'=cmd|' /C calc'!A0,-5\n");
    fs::remove_all(dir);
}

std::string zip_entry(const fs::path& path, const char* name) {
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
    if (z == nullptr) return {};
    zip_stat_t st;
    std::string data;
    if (zip_stat(z, name, 0, &st) == 0) {
        data.assign(st.size, '\0');
        zip_file_t* f = zip_fopen(z, name, 0);
        if (f != nullptr) {
            if (zip_fread(f, data.data(), st.size) != static_cast<zip_int64_t>(st.size))
                data.clear();
            zip_fclose(f);
        }
    }
    zip_close(z);
    return data;
}

// XLSX cells are written as strings (shared strings, t="s"): a spreadsheet program never runs
// them, so they are kept exactly as they are.
TEST(TableExport, TheXlsxWritesEveryCellAsAStringNeverAFormula) {
    const fs::path dir = temp_dir();
    const fs::path path = dir / "plan.xlsx";
    ASSERT_TRUE(kyso::docs::write_xlsx(hostile_table(), path.string()));
    const std::string sheet = zip_entry(path, "xl/worksheets/sheet1.xml");
    ASSERT_FALSE(sheet.empty());
    EXPECT_EQ(sheet.find("<f>"), std::string::npos) << sheet;
    EXPECT_EQ(sheet.find("<f "), std::string::npos) << sheet;
    // Every cell with a value is a shared string.
    std::size_t cells = 0, strings = 0;
    for (std::size_t at = sheet.find("<c "); at != std::string::npos;
         at = sheet.find("<c ", at + 1)) {
        const std::string head = sheet.substr(at, sheet.find('>', at) - at);
        if (head.back() == '/') continue;  // an empty, formatted cell
        ++cells;
        strings += head.find("t=\"s\"") != std::string::npos ? 1 : 0;
    }
    EXPECT_GT(cells, kHostile.size());
    EXPECT_EQ(strings, cells) << sheet;
    const std::string shared = zip_entry(path, "xl/sharedStrings.xml");
    EXPECT_NE(shared.find(">=HYPERLINK(\"http://x.invalid\",\"bấm\")<"), std::string::npos)
        << shared;
    EXPECT_NE(shared.find(">@SUM(A1:A9)<"), std::string::npos) << shared;
    fs::remove_all(dir);
}

}  // namespace

// Tests: `kyso check` exit status and output file (FORMATS.md §5).
#include <nlohmann/json.hpp>

#include "cli_harness.h"
#include "text/xlsx_reader.h"

using namespace kyso::testing;

class CheckCli : public ScratchDir {};

TEST_F(CheckCli, ExitStatusFollowsTheFindings) {
    // The sample holds one error (a 68-character name): exit 1, findings written.
    auto r = run_kyso("check --bundle " + kSampleBundle + " --out " + path("f.json"));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    const auto f = nlohmann::json::parse(read_file(path("f.json")));
    EXPECT_EQ(f["summary"]["error"], 1);
    EXPECT_EQ(f["summary"]["warning"], 14);
    EXPECT_EQ(f["findings"][0]["code"], "value_too_long");
    EXPECT_EQ(f["findings"][0]["row"], 60);
    // Messages are Vietnamese even with English terminal output.
    EXPECT_NE(f["findings"][0]["message"].get<std::string>().find("ký tự"), std::string::npos);
    // Without the long name: only warnings, exit 0.
    const std::string b = copy_bundle(kSampleBundle, "b");
    std::string orgs = read_file(b + "/organizations.csv");
    orgs.replace(
        orgs.find("Trung tâm Công nghệ thông tin và Truyền thông tỉnh Bạch Mã - Hải Vân"),
        std::string("Trung tâm Công nghệ thông tin và Truyền thông tỉnh Bạch Mã - Hải Vân").size(),
        "Trung tâm CNTT và TT tỉnh Bạch Mã - Hải Vân");
    write_file(b + "/organizations.csv", orgs);
    EXPECT_EQ(run_kyso("check --bundle " + b + " --out " + path("g.json")).exit_code, 0);
    // Unreadable: exit 2 and no output file.
    auto bad = run_kyso("check --bundle " + path("nowhere") + " --out " + path("h.json"));
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_FALSE(std::filesystem::exists(path("h.json")));
}

TEST_F(CheckCli, DatabaseGivesTheSameFindingsAsTheBundle) {
    ASSERT_EQ(run_kyso("import --db " + path("k.db") + " --bundle " + kSampleBundle).exit_code, 0);
    auto r = run_kyso("check --db " + path("k.db") + " --out " + path("db.json"));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_EQ(run_kyso("check --bundle " + kSampleBundle + " --out " + path("b.json")).exit_code,
              1);
    const auto db = nlohmann::json::parse(read_file(path("db.json")));
    const auto bundle = nlohmann::json::parse(read_file(path("b.json")));
    EXPECT_EQ(db["findings"], bundle["findings"]);
    EXPECT_EQ(run_kyso("check --db " + path("none.db") + " --bundle " + kSampleBundle + " --out " +
                       path("x.json"))
                  .exit_code,
              2);
}

TEST_F(CheckCli, XlsxReportHighlightsTheProblemCells) {
    const std::string b = copy_bundle(kSampleBundle, "b");
    std::string people = read_file(b + "/people.csv");
    const auto first_row = people.find('\n') + 1;
    const auto comma = people.find(',', first_row);  // id,full_name,cccd,...
    people.insert(comma + 1, "NguyÔn V¨n Hïng");
    people.erase(comma + 1 + std::string("NguyÔn V¨n Hïng").size(),
                 people.find(',', comma + 1 + std::string("NguyÔn V¨n Hïng").size()) - comma - 1 -
                     std::string("NguyÔn V¨n Hïng").size());
    write_file(b + "/people.csv", people);
    auto r =
        run_kyso("check --bundle " + b + " --format xlsx --out " + path("r.xlsx"), "KYSO_LANG=vi");
    EXPECT_EQ(r.exit_code, 1) << r.out;
    auto sheets = kyso::text::read_xlsx(path("r.xlsx"));
    ASSERT_TRUE(sheets.ok()) << sheets.error().describe(true);
    ASSERT_EQ(sheets->size(), 5u);  // summary + the four files
    const auto& summary = (*sheets)[0];
    EXPECT_EQ(summary.name, "Tổng hợp");
    // heading + 2 errors + 15 warnings (the renamed person's certificate now differs)
    ASSERT_EQ(summary.rows.size(), 1u + 17u);
    bool legacy = false;
    for (const auto& row : summary.rows) {
        if (row.size() > 7 && row[5] == "legacy_encoding") {
            legacy = true;
            EXPECT_EQ(row[1], "people.csv");
            EXPECT_EQ(row[2], "1");
            EXPECT_EQ(row[7], "Nguyễn Văn Hùng");
        }
    }
    EXPECT_TRUE(legacy);
    const auto& persons = (*sheets)[2];
    EXPECT_EQ(persons.name, "Cá nhân");
    ASSERT_EQ(persons.rows.size(), 2u);  // heading + the one person with a finding
    EXPECT_EQ(persons.rows[0][0], "Dòng");
    EXPECT_EQ(persons.rows[1][0], "1");
    EXPECT_EQ(persons.rows[1][2], "NguyÔn V¨n Hïng");
    EXPECT_NE(persons.rows[1].back().find("Nguyễn Văn Hùng"), std::string::npos);
    const auto& orgs = (*sheets)[1];
    ASSERT_EQ(orgs.rows.size(), 2u);
    EXPECT_EQ(orgs.rows[1][0], "60");
    // The problem cell is filled (a red fill in styles.xml) and annotated (a comment).
    const auto styles = run_shell("unzip -p " + path("r.xlsx") + " xl/styles.xml");
    EXPECT_NE(styles.out.find("FFFFC7CE"), std::string::npos);
    const auto comments = run_shell("unzip -p " + path("r.xlsx") + " xl/comments2.xml");
    EXPECT_NE(comments.out.find("legacy_encoding"), std::string::npos) << comments.out;
}

// Tests: `kyso plan --format csv|xlsx` — one row per action, grouped by managing organization.
#include <nlohmann/json.hpp>

#include <set>

#include "cli_harness.h"
#include "text/csv.h"

using namespace kyso::testing;

class PlanFormats : public ScratchDir {};

namespace {

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
    return n;
}

}  // namespace

TEST_F(PlanFormats, CsvHasOneRowPerActionUnderGroupTitles) {
    ASSERT_EQ(run_kyso("plan --bundle " + kSampleBundle + " --out " + path("p.json")).exit_code, 0);
    ASSERT_EQ(run_kyso("plan --bundle " + kSampleBundle + " --format csv --out " + path("p.csv"),
                       "KYSO_LANG=vi")
                  .exit_code,
              0);
    const auto plan = nlohmann::json::parse(read_file(path("p.json")));
    auto r = kyso::text::CsvReader::open(path("p.csv"), "p.csv");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header().front(), "STT");
    EXPECT_EQ(r->header()[1], "Việc cần làm");
    std::size_t actions = 0, groups = 0, revokes = 0;
    std::set<std::string> serials;
    while (true) {
        auto more = r->next();
        ASSERT_TRUE(more);
        if (!*more) break;
        const auto& f = r->fields();
        if (f[1].empty()) {
            ++groups;
            continue;
        }
        ++actions;
        if (f[1] == "Thu hồi") {
            ++revokes;
            EXPECT_TRUE(f[3] == "Ngừng hoạt động (cessationOfOperation)" ||
                        f[3] == "Được thay thế (superseded)")
                << f[3];
        }
        if (!f[4].empty() && f[1] != "Trả thiết bị") serials.insert(f[4]);
    }
    EXPECT_EQ(actions, plan["actions"].size());
    EXPECT_EQ(revokes, plan["summary"]["revoke"].get<std::size_t>());
    EXPECT_GT(groups, 10u);
    EXPECT_EQ(serials.size(), plan["summary"]["change_info"].get<std::size_t>() + revokes +
                                  plan["summary"]["review"].get<std::size_t>());
}

TEST_F(PlanFormats, XlsxIsAWorkbookWithVietnameseHeadingsAndOneRowPerAction) {
    ASSERT_EQ(run_kyso("plan --bundle " + kSampleBundle + " --out " + path("p.json")).exit_code, 0);
    ASSERT_EQ(run_kyso("plan --bundle " + kSampleBundle + " --format xlsx --out " + path("p.xlsx"),
                       "KYSO_LANG=vi")
                  .exit_code,
              0);
    const auto plan = nlohmann::json::parse(read_file(path("p.json")));
    ASSERT_EQ(std::system(("cd " + dir.string() + " && unzip -q -o p.xlsx -d x").c_str()), 0);
    const std::string strings = read_file(path("x/xl/sharedStrings.xml"));
    EXPECT_NE(strings.find("Số hiệu chứng thư"), std::string::npos);
    EXPECT_NE(strings.find("Thay đổi thông tin"), std::string::npos);
    EXPECT_NE(strings.find("Ủy ban nhân dân tỉnh Sông Lam"), std::string::npos);
    const std::string sheet = read_file(path("x/xl/worksheets/sheet1.xml"));
    const std::size_t rows = count(sheet, "<row ");
    const std::size_t merged = count(sheet, "<mergeCell ");  // one per group title
    EXPECT_GT(merged, 10u);
    EXPECT_EQ(rows, 1 + merged + plan["actions"].size());
}

TEST_F(PlanFormats, PlanFromTheDatabaseEqualsPlanFromTheBundle) {
    ASSERT_EQ(run_kyso("import --db " + path("a.db") + " --bundle " + kSampleBundle).exit_code, 0);
    ASSERT_EQ(run_kyso("plan --db " + path("a.db") + " --out " + path("db.json")).exit_code, 0);
    ASSERT_EQ(run_kyso("plan --bundle " + kSampleBundle + " --out " + path("b.json")).exit_code, 0);
    EXPECT_EQ(read_file(path("db.json")), read_file(path("b.json")));
}

TEST_F(PlanFormats, BadAsOfAndMissingSourceAreErrors) {
    auto r =
        run_kyso("plan --bundle " + kSampleBundle + " --as-of 2025-02-30 --out " + path("p.json"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("2025-02-30"), std::string::npos) << r.out;
    EXPECT_EQ(run_kyso("plan --out " + path("p.json")).exit_code, 2);
    EXPECT_FALSE(std::filesystem::exists(path("p.json")));
}

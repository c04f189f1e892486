// Tests: `kyso check` exit status and output file (FORMATS.md §5).
#include <nlohmann/json.hpp>

#include "cli_harness.h"

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

// Tests: the files the commands write (issue 11, "Rendering is atomic"; docs/security.md): an
// output path that is a symlink is replaced, never written through; an output folder holding
// someone else's file is refused and kept; nothing is left beside the outputs.
#include "cli_harness.h"

namespace kyso::testing {

namespace {

class OutputFiles : public ScratchDir {
protected:
    // Names beside the outputs that are kyso temporary files or staging folders.
    std::vector<std::string> temps() const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(dir)) {
            const std::string n = e.path().filename().string();
            if (n.find(".kyso-") != std::string::npos) out.push_back(n);
        }
        return out;
    }
};

TEST_F(OutputFiles, PlanThroughASymlinkReplacesTheLinkNotItsTarget) {
    write_file(dir / "victim.txt", "not kyso's");
    for (const char* f : {"plan.json", "plan.json.tmp", "plan.xlsx", "findings.json"})
        fs::create_symlink(dir / "victim.txt", dir / f);
    auto r = run_kyso("plan --bundle " + kSampleBundle + " --out " + path("plan.json"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    r = run_kyso("plan --bundle " + kSampleBundle + " --format xlsx --out " + path("plan.xlsx"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    r = run_kyso("check --bundle " + kSampleBundle + " --out " + path("findings.json"));
    ASSERT_LE(r.exit_code, 1) << r.out;
    EXPECT_EQ(read_file(dir / "victim.txt"), "not kyso's");
    for (const char* f : {"plan.json", "plan.xlsx", "findings.json"})
        EXPECT_FALSE(fs::is_symlink(dir / f)) << f;
    EXPECT_EQ(read_file(dir / "plan.json").front(), '{');
    EXPECT_EQ(read_file(dir / "plan.xlsx").substr(0, 2), "PK");
    EXPECT_TRUE(fs::is_symlink(dir / "plan.json.tmp")) << "the old fixed temporary name is unused";
    EXPECT_TRUE(temps().empty());
}

TEST_F(OutputFiles, ExportIntoAFolderHoldingOtherFilesIsRefusedAndKept) {
    ASSERT_EQ(run_kyso("import --db " + path("k.db") + " --bundle " + kSampleBundle).exit_code, 0);
    write_file(dir / "out" / "notes.txt", "mine");
    auto r = run_kyso("export --db " + path("k.db") + " --bundle " + path("out"));
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("notes.txt"), std::string::npos) << r.out;
    EXPECT_EQ(read_file(dir / "out" / "notes.txt"), "mine");
    EXPECT_FALSE(fs::exists(dir / "out" / "people.csv"));

    // A folder holding an earlier export is replaced whole.
    r = run_kyso("export --db " + path("k.db") + " --bundle " + path("again"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    write_file(dir / "again" / "people.csv", "stale");
    r = run_kyso("export --db " + path("k.db") + " --bundle " + path("again"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(read_file(dir / "again" / "people.csv"), "stale");
    EXPECT_TRUE(fs::exists(dir / "again" / "events.json"));
    EXPECT_TRUE(temps().empty());
}

}  // namespace

}  // namespace kyso::testing

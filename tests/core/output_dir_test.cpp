// Tests: a folder of files replaced as a whole (core/output_dir.h): the old set stays until the
// new one is complete, the swap replaces a symlink without following it, and a folder holding
// files kyso did not write is refused, not emptied.
#include "core/output_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kyso {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void put(const fs::path& p, const std::string& content) {
    std::ofstream(p, std::ios::binary) << content;
}

class OutputDirTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string tmpl = (fs::temp_directory_path() / "kyso-outdir-XXXXXX").string();
        ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
        dir = tmpl;
    }
    void TearDown() override { fs::remove_all(dir); }
    std::string path(const std::string& name) const { return (dir / name).string(); }
    // Everything in the parent folder, sorted (leftover staging folders show here).
    std::vector<std::string> entries() const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename());
        std::sort(out.begin(), out.end());
        return out;
    }
    const std::vector<std::string> own{"letter.docx", "letter.pdf", "list.xlsx"};
    fs::path dir;
};

TEST_F(OutputDirTest, NewFolderAppearsOnlyOnCommit) {
    auto out = OutputDir::create(path("letters"), own);
    ASSERT_TRUE(out);
    put(out->path("letter.pdf"), "pdf");
    EXPECT_FALSE(fs::exists(path("letters")));
    ASSERT_TRUE(out->commit());
    EXPECT_EQ(slurp(path("letters/letter.pdf")), "pdf");
    EXPECT_EQ(entries(), std::vector<std::string>{"letters"});
}

TEST_F(OutputDirTest, OldSetStaysWholeUntilTheNewOneIsCommitted) {
    fs::create_directory(path("letters"));
    for (const auto& n : own) put(path("letters/" + n), "old " + n);
    {
        auto out = OutputDir::create(path("letters"), own);
        ASSERT_TRUE(out);
        put(out->path("letter.docx"), "new docx");
        // An error here (the PDF fails): the writer goes away without commit.
    }
    for (const auto& n : own) EXPECT_EQ(slurp(path("letters/" + n)), "old " + n);
    EXPECT_EQ(entries(), std::vector<std::string>{"letters"}) << "no staging folder is left";

    auto out = OutputDir::create(path("letters/"), own);
    ASSERT_TRUE(out);
    for (const auto& n : own) put(out->path(n), "new " + n);
    ASSERT_TRUE(out->commit());
    for (const auto& n : own) EXPECT_EQ(slurp(path("letters/" + n)), "new " + n);
    EXPECT_EQ(entries(), std::vector<std::string>{"letters"}) << "the old set is removed";
}

TEST_F(OutputDirTest, FolderHoldingOtherFilesIsRefusedAndKept) {
    fs::create_directory(path("letters"));
    put(path("letters/letter.pdf"), "old");
    put(path("letters/notes.txt"), "mine");
    auto out = OutputDir::create(path("letters"), own);
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().code, "file.foreign_entries");
    EXPECT_NE(out.error().message_en.find("notes.txt"), std::string::npos);
    EXPECT_EQ(slurp(path("letters/notes.txt")), "mine");
    EXPECT_EQ(entries(), std::vector<std::string>{"letters"});
}

TEST_F(OutputDirTest, FileAtTheFolderPathIsRefused) {
    put(path("letters"), "a file");
    auto out = OutputDir::create(path("letters"), own);
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().code, "file.not_folder");
    EXPECT_EQ(slurp(path("letters")), "a file");
}

TEST_F(OutputDirTest, DotIsRefusedWithoutTouchingTheCurrentFolder) {
    for (const std::string& d : std::vector<std::string>{".", "..", path("letters/.")}) {
        auto out = OutputDir::create(d, own);
        ASSERT_FALSE(out) << d;
        EXPECT_EQ(out.error().code, "file.unnamed_folder") << d;
    }
    EXPECT_TRUE(entries().empty());
}

TEST_F(OutputDirTest, SymlinkAtTheFolderPathIsReplacedNotFollowed) {
    fs::create_directory(path("elsewhere"));
    put(path("elsewhere/letter.pdf"), "theirs");
    put(path("elsewhere/keep.txt"), "theirs");
    fs::create_directory_symlink(path("elsewhere"), path("letters"));
    auto out = OutputDir::create(path("letters"), own);
    ASSERT_TRUE(out);
    put(out->path("letter.pdf"), "new");
    ASSERT_TRUE(out->commit());
    EXPECT_FALSE(fs::is_symlink(path("letters")));
    EXPECT_EQ(slurp(path("letters/letter.pdf")), "new");
    EXPECT_EQ(slurp(path("elsewhere/letter.pdf")), "theirs");
    EXPECT_EQ(slurp(path("elsewhere/keep.txt")), "theirs");
    EXPECT_EQ(entries(), (std::vector<std::string>{"elsewhere", "letters"}));
}

TEST_F(OutputDirTest, StagingFolderIsUniqueAndBesideTheDestination) {
    auto a = OutputDir::create(path("letters"), own);
    auto b = OutputDir::create(path("letters"), own);
    ASSERT_TRUE(a);
    ASSERT_TRUE(b);
    EXPECT_NE(a->staging(), b->staging());
    EXPECT_EQ(fs::path(a->staging()).parent_path(), dir);
    EXPECT_EQ(fs::path(a->staging()).filename().string().rfind(".letters.kyso-", 0), 0u);
}

}  // namespace
}  // namespace kyso

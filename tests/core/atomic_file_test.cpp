// Tests: files written all or nothing (core/atomic_file.h): an error mid-write leaves the old
// file and no temporary file, a symlink at the destination or at a temporary name is never
// followed, a taken temporary name is skipped, and litter of a killed kyso is cleared.
#include "core/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
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

class AtomicFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string tmpl = (fs::temp_directory_path() / "kyso-atomic-XXXXXX").string();
        ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
        dir = tmpl;
    }
    void TearDown() override { fs::remove_all(dir); }
    std::string path(const std::string& name) const { return (dir / name).string(); }
    // Names in the folder that are kyso temporary files or folders.
    std::vector<std::string> temps() const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(dir)) {
            const std::string n = e.path().filename().string();
            if (n.find(".kyso-") != std::string::npos) out.push_back(n);
        }
        return out;
    }
    fs::path dir;
};

TEST_F(AtomicFileTest, ReplacesTheOldFileWholeAndLeavesNoTemporaryFile) {
    put(path("plan.json"), "old");
    ASSERT_TRUE(write_file_atomically(path("plan.json"), "new content"));
    EXPECT_EQ(slurp(path("plan.json")), "new content");
    EXPECT_TRUE(temps().empty());
    struct stat st {};
    ASSERT_EQ(stat(path("plan.json").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, file_mode());
}

TEST_F(AtomicFileTest, UncommittedWriterLeavesTheOldFileAndNoTemporaryFile) {
    put(path("f.csv"), "old");
    {
        auto f = AtomicFile::create(path("f.csv"));
        ASSERT_TRUE(f);
        f->write(std::string(200000, 'x'));
        EXPECT_EQ(temps().size(), 1u);
        EXPECT_EQ(slurp(path("f.csv")), "old");
    }  // e.g. an error before close(): the writer goes away
    EXPECT_EQ(slurp(path("f.csv")), "old");
    EXPECT_TRUE(temps().empty());
}

TEST_F(AtomicFileTest, DiskErrorMidWriteLeavesTheOldFileAndNoTemporaryFile) {
    put(path("big.csv"), "old");
    // A file size limit makes write(2) fail with EFBIG after 64 KiB, as a full disk would.
    rlimit saved{};
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
    auto* previous = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = saved;
    small.rlim_cur = 1 << 16;
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
    auto f = AtomicFile::create(path("big.csv"));
    Status s = Error{};
    if (f) {
        for (int i = 0; i < 64; ++i) f->write(std::string(4096, 'y'));
        s = f->commit();
    }
    setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, previous);
    ASSERT_TRUE(f);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, "file.write");
    EXPECT_EQ(s.error().where.file, path("big.csv"));
    EXPECT_EQ(slurp(path("big.csv")), "old");
    EXPECT_TRUE(temps().empty());
}

TEST_F(AtomicFileTest, WriterErrorLeavesTheOldFileAndNoTemporaryFolder) {
    put(path("letter.pdf"), "old");
    const Status s = write_file_atomically_via(path("letter.pdf"), [](const std::string& temp) {
        put(temp, "%PDF-1.4 half");
        return Status(Error{"docs.write", "x", "x", Location{temp, 0, {}, {}}});
    });
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().where.file, path("letter.pdf")) << "the error names the destination";
    EXPECT_EQ(slurp(path("letter.pdf")), "old");
    EXPECT_TRUE(temps().empty());
}

TEST_F(AtomicFileTest, SymlinkAtTheDestinationIsReplacedNotFollowed) {
    put(path("victim"), "secret");
    fs::create_symlink(path("victim"), path("plan.json"));
    fs::create_symlink(path("victim"), path("list.xlsx"));
    ASSERT_TRUE(write_file_atomically(path("plan.json"), "plan"));
    ASSERT_TRUE(write_file_atomically_via(path("list.xlsx"), [](const std::string& temp) {
        put(temp, "sheet");
        return Status(Ok{});
    }));
    EXPECT_EQ(slurp(path("victim")), "secret");
    EXPECT_FALSE(fs::is_symlink(path("plan.json")));
    EXPECT_FALSE(fs::is_symlink(path("list.xlsx")));
    EXPECT_EQ(slurp(path("plan.json")), "plan");
    EXPECT_EQ(slurp(path("list.xlsx")), "sheet");
}

TEST_F(AtomicFileTest, TakenTemporaryNameIsSkippedNeverOpened) {
    put(path("victim"), "secret");
    // Someone planted a link at the first temporary name kyso will try.
    const std::string planted = path(temp_prefix("plan.json") + "a");
    fs::create_symlink(path("victim"), planted);
    int calls = 0;
    auto f = AtomicFile::create(path("plan.json"), [&] { return ++calls == 1 ? "a" : "b"; });
    ASSERT_TRUE(f);
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(f->temp_path(), path(temp_prefix("plan.json") + "b"));
    f->write("plan");
    ASSERT_TRUE(f->commit());
    EXPECT_EQ(slurp(path("victim")), "secret");
    EXPECT_TRUE(fs::is_symlink(planted)) << "another's file is left alone";
    EXPECT_EQ(slurp(path("plan.json")), "plan");
}

TEST_F(AtomicFileTest, EveryTemporaryNameTakenIsAnError) {
    put(path(temp_prefix("x.json") + "a"), "");
    auto f = AtomicFile::create(path("x.json"), [] { return std::string("a"); });
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().code, "file.write");
    EXPECT_FALSE(fs::exists(path("x.json")));
}

TEST_F(AtomicFileTest, LeftoversOfAKilledKysoAreRemovedOnTheNextWrite) {
    const pid_t child = fork();
    if (child == 0) _exit(0);
    ASSERT_GT(child, 0);
    waitpid(child, nullptr, 0);  // a process that no longer exists
    const std::string dead = ".plan.json.kyso-" + std::to_string(child) + "-zz";
    const std::string alive = ".plan.json.kyso-1-zz";  // pid 1 runs: kept
    put(path(dead), "half");
    fs::create_directory(path(dead + "d"));
    put(path(alive), "someone's");
    ASSERT_TRUE(write_file_atomically(path("plan.json"), "plan"));
    EXPECT_FALSE(fs::exists(path(dead)));
    EXPECT_FALSE(fs::exists(path(dead + "d")));
    EXPECT_TRUE(fs::exists(path(alive)));
}

}  // namespace
}  // namespace kyso

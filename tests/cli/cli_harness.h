// Test helper: runs the real `kyso` binary in a scratch folder and captures what it prints.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace kyso::testing {

namespace fs = std::filesystem;

struct RunResult {
    int exit_code = -1;
    std::string out;  // stdout and stderr together
};

// Runs a shell command; its exit status and what it printed (stderr too unless redirected).
inline RunResult run_shell(const std::string& command) {
    RunResult r;
    FILE* p = popen(command.c_str(), "r");
    if (p == nullptr) return r;
    char buf[4096];
    std::size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

inline RunResult run_kyso(const std::string& args, const std::string& env = "KYSO_LANG=en") {
    return run_shell(env + " " + KYSO_BINARY + " " + args + " 2>&1");
}

// A terminal list (columns padded with spaces, cli/text_table.h) with each gap of two spaces or
// more as one tab, so a test can look for "cell\tcell".
inline std::string columns_as_tabs(const std::string& listing) {
    std::string out;
    for (std::size_t i = 0; i < listing.size(); ++i) {
        if (listing[i] == ' ' && i + 1 < listing.size() && listing[i + 1] == ' ') {
            while (i + 1 < listing.size() && listing[i + 1] == ' ') ++i;
            out += '\t';
            continue;
        }
        out += listing[i];
    }
    return out;
}

inline std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void write_file(const fs::path& p, const std::string& content) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << content;
}

// Copies a database with its audit key file and head file (docs/audit.md): a copy without its
// key cannot be written to once its log has keyed entries.
inline void copy_database(const fs::path& from, const fs::path& to) {
    fs::copy_file(from, to);
    for (const char* companion : {".auditkey", ".audithead"}) {
        const fs::path f = from.string() + companion;
        if (fs::exists(f)) fs::copy_file(f, to.string() + companion);
    }
    const fs::path key = to.string() + ".auditkey";
    if (fs::exists(key)) fs::permissions(key, fs::perms::owner_read);
}

// A fresh folder per test, removed afterwards.
class ScratchDir : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir = fs::temp_directory_path() / ("kyso-" + std::string(info->test_suite_name()) + "-" +
                                           info->name() + "-" + std::to_string(getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir);
    }
    std::string path(const std::string& name) const { return (dir / name).string(); }
    // Copies a bundle folder into the scratch folder so a test can damage it.
    std::string copy_bundle(const std::string& from, const std::string& name) const {
        fs::copy(from, dir / name, fs::copy_options::recursive);
        return path(name);
    }

    fs::path dir;
};

// Starts the kyso binary with `args` in the background, output thrown away, KYSO_LANG=en and
// KYSO_PASSWORD=`password` in its environment; its pid (for kill -9 tests; reap with waitpid).
inline pid_t spawn_kyso(const std::vector<std::string>& args, const char* password) {
    std::fflush(nullptr);  // nothing buffered is printed twice by the child
    const pid_t pid = fork();
    if (pid == 0) {
        setenv("KYSO_LANG", "en", 1);
        setenv("KYSO_PASSWORD", password, 1);
        if (std::freopen("/dev/null", "w", stdout) == nullptr ||
            std::freopen("/dev/null", "w", stderr) == nullptr)
            _exit(126);
        std::vector<char*> argv;
        std::string bin = KYSO_BINARY;
        argv.push_back(bin.data());
        std::vector<std::string> copy = args;
        for (auto& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(bin.c_str(), argv.data());
        _exit(127);
    }
    return pid;
}

inline const std::string kSampleBundle = std::string(KYSO_TEST_DATA) + "/reorg-sample";
inline const std::string kSampleCerts = std::string(KYSO_TEST_DATA) + "/sample-certs";

}  // namespace kyso::testing

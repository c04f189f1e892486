// Tests: kill -9 in the middle of `kyso import --bundle` (200,000 certificates) and of
// `kyso requests approve` over thousands of ids (issue 10): the database stays intact (PRAGMA
// integrity_check), the write happened entirely or not at all, `audit verify` is intact, and
// running the command again succeeds. KYSO_CRASH_SCALE lowers the import's size (the
// sanitizer run uses it; the release run keeps 200,000).
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>
#include <vector>

#include "cli_harness.h"

namespace kyso::testing {

namespace {

constexpr const char* kPassword = "crash-password-1";

class Crash : public ScratchDir {
protected:
    static pid_t spawn(const std::vector<std::string>& args) { return spawn_kyso(args, kPassword); }
    // Kills `pid` with SIGKILL; true when it was still running (so it died mid-way).
    static bool kill9(pid_t pid) {
        ::kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    }
    static std::int64_t file_size(const std::string& p) {
        struct stat st {};
        return stat(p.c_str(), &st) == 0 ? st.st_size : 0;
    }

    static std::string query(const std::string& db, const std::string& sql) {
        sqlite3* h = nullptr;
        std::string out;
        if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
            sqlite3_stmt* st = nullptr;
            if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW) {
                const auto* t = sqlite3_column_text(st, 0);
                out = t != nullptr ? reinterpret_cast<const char*>(t) : "";
            }
            sqlite3_finalize(st);
        }
        sqlite3_close(h);
        return out;
    }

    RunResult kyso(const std::string& args) const {
        return run_kyso(args, std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword +
                                  " KYSO_NEW_PASSWORD=" + kPassword);
    }

    void expect_sound(const std::string& db, const std::string& when) {
        EXPECT_EQ(query(db, "PRAGMA integrity_check"), "ok") << when;
        const auto v = kyso("audit verify --db " + db);
        EXPECT_EQ(v.exit_code, 0) << when << "\n" << v.out;
    }
};

TEST_F(Crash, ImportKilledMidwayLeavesNothingAndTheRerunSucceeds) {
    const char* env = std::getenv("KYSO_CRASH_SCALE");
    const long scale = env != nullptr ? std::atol(env) : 200000;
    const std::string bundle = path("bundle");
    ASSERT_EQ(kyso("demo-data --out " + bundle + " --scale " + std::to_string(scale) + " --seed 11")
                  .exit_code,
              0);
    // About 1.1 KB of WAL per certificate row with its person and device: kill when the
    // transaction has written a sixth of it, and again when it has written two thirds.
    const std::int64_t expected_wal = scale * 1100;
    int killed_midway = 0;
    for (const double part : {1.0 / 6, 2.0 / 3}) {
        const std::string db =
            path("import-" + std::to_string(static_cast<int>(part * 100)) + ".db");
        const pid_t pid = spawn({"import", "--db", db, "--bundle", bundle});
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
        while (file_size(db + "-wal") < static_cast<std::int64_t>(part * expected_wal) &&
               std::chrono::steady_clock::now() < deadline) {
            if (waitpid(pid, nullptr, WNOHANG) == pid) break;  // finished before the mark
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        const bool midway = kill9(pid);
        killed_midway += midway ? 1 : 0;
        const std::string when = "import killed at " + std::to_string(part);
        expect_sound(db, when);
        const std::string certs = query(db, "SELECT count(*) FROM certificates");
        if (midway) {
            EXPECT_EQ(certs, "0") << when << ": a partial import was kept";
        }

        const auto again = kyso("import --db " + db + " --bundle " + bundle);
        ASSERT_EQ(again.exit_code, 0) << again.out;
        EXPECT_NE(query(db, "SELECT count(*) FROM certificates"), "0");
        EXPECT_EQ(query(db, "SELECT count(*) FROM certificates"),
                  query(path("import-16.db"), "SELECT count(*) FROM certificates"));
        expect_sound(db, when + ", then run again");
    }
    EXPECT_EQ(killed_midway, 2) << "the import finished before it could be killed";
    std::cout << "import of " << query(path("import-16.db"), "SELECT count(*) FROM certificates")
              << " certificates killed mid-way " << killed_midway << " times\n";
}

TEST_F(Crash, ApproveKilledAnywhereIsAllOrNothing) {
    const std::string bundle = path("bundle");
    ASSERT_EQ(kyso("demo-data --out " + bundle + " --scale 8000 --seed 3").exit_code, 0);
    const std::string base = path("base.db");
    ASSERT_EQ(kyso("import --db " + base + " --bundle " + bundle).exit_code, 0);
    ASSERT_EQ(
        kyso("users add --db " + base + " --username admin --full-name A --role admin --scope all")
            .exit_code,
        0);
    for (const std::string u : {"officer unit_officer", "head unit_head"}) {
        const auto sp = u.find(' ');
        ASSERT_EQ(kyso("users add --db " + base + " --as admin --username " + u.substr(0, sp) +
                       " --full-name X --org P01 --role " + u.substr(sp + 1))
                      .exit_code,
                  0);
    }
    ASSERT_EQ(kyso("requests from-plan --db " + base + " --as officer").exit_code, 0);
    ASSERT_LE(kyso("requests validate --db " + base + " --as officer").exit_code, 1);
    const std::string validated =
        query(base, "SELECT count(*) FROM requests WHERE state = 'validated'");
    ASSERT_GT(std::stol(validated), 1000) << "thousands of ids are needed";
    std::vector<std::string> args{"requests", "approve", "--as", "head", "--id"};
    {
        sqlite3* h = nullptr;
        ASSERT_EQ(sqlite3_open(base.c_str(), &h), SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(h, "SELECT id FROM requests WHERE state = 'validated'", -1, &st,
                           nullptr);
        while (sqlite3_step(st) == SQLITE_ROW)
            args.push_back(std::to_string(sqlite3_column_int64(st, 0)));
        sqlite3_finalize(st);
        sqlite3_close(h);
    }
    // How long a whole approval takes here, then kills spread over that time.
    const std::string timed = path("timed.db");
    copy_database(base, timed);
    auto with_db = [&](const std::string& db) {
        std::vector<std::string> a = args;
        a.insert(a.begin() + 2, {"--db", db});
        return a;
    };
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t full = spawn(with_db(timed));
    int status = 0;
    waitpid(full, &status, 0);
    const auto whole = std::chrono::steady_clock::now() - t0;
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ASSERT_EQ(query(timed, "SELECT count(*) FROM requests WHERE state = 'approved'"), validated);

    int killed = 0;
    for (const double part : {0.5, 0.7, 0.8, 0.9, 0.95}) {
        const std::string db =
            path("approve-" + std::to_string(static_cast<int>(part * 100)) + ".db");
        copy_database(base, db);
        const pid_t pid = spawn(with_db(db));
        std::this_thread::sleep_for(
            std::chrono::duration_cast<std::chrono::microseconds>(whole * part));
        killed += kill9(pid) ? 1 : 0;
        const std::string when = "approve killed at " + std::to_string(part);
        expect_sound(db, when);
        const std::string approved =
            query(db, "SELECT count(*) FROM requests WHERE state = 'approved'");
        EXPECT_TRUE(approved == "0" || approved == validated) << when << ": " << approved;
        if (approved == "0") {
            std::string line;
            for (const auto& a : with_db(db)) line += " " + a;
            const auto r = kyso(line);
            EXPECT_EQ(r.exit_code, 0) << when << ", run again: " << r.out.substr(0, 500);
            EXPECT_EQ(query(db, "SELECT count(*) FROM requests WHERE state = 'approved'"),
                      validated);
            expect_sound(db, when + ", then run again");
        }
    }
    EXPECT_GT(killed, 0) << "every approval finished before it could be killed";
    std::cout << "approve of " << validated << " requests (" << whole.count() / 1000000
              << " ms whole) killed while running " << killed << " of 5 times\n";
}

}  // namespace

}  // namespace kyso::testing

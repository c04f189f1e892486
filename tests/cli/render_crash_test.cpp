// Tests: kill -9 during `kyso batch render` at many points (issue 11, "Rendering is atomic"):
// after every kill the output folder holds the previous complete set (the same bytes as before)
// or the new complete set — never a truncated PDF, a new DOCX beside an old PDF, or an empty
// folder — and the next render clears what the killed one left beside it.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <thread>
#include <vector>

#include "cli_harness.h"

namespace kyso::testing {

namespace {

constexpr const char* kPassword = "render-password-1";
const std::vector<std::string> kSet{"letter.docx", "letter.pdf", "list.xlsx"};
using FileSet = std::map<std::string, std::string>;  // name -> bytes

class RenderCrash : public ScratchDir {
protected:
    RunResult kyso(const std::string& args) const {
        return run_kyso(args, std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword +
                                  " KYSO_NEW_PASSWORD=" + kPassword);
    }
    static pid_t spawn(const std::vector<std::string>& args) { return spawn_kyso(args, kPassword); }
    // Every entry of `folder` with its bytes.
    static FileSet read_set(const std::string& folder) {
        FileSet out;
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(folder, ec))
            out[e.path().filename().string()] = read_file(e.path());
        return out;
    }
    // A ZIP archive (DOCX, XLSX) written to its end: the end-of-central-directory record.
    static bool whole_zip(const std::string& bytes) {
        return bytes.size() > 22 && bytes.compare(0, 2, "PK") == 0 &&
               bytes.compare(bytes.size() - 22, 4, std::string("PK\x05\x06", 4)) == 0;
    }
    static std::string query(const std::string& db, const std::string& sql) {
        sqlite3* h = nullptr;
        std::string out;
        if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
            sqlite3_stmt* st = nullptr;
            if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
                while (sqlite3_step(st) == SQLITE_ROW) {
                    const auto* t = sqlite3_column_text(st, 0);
                    if (!out.empty()) out += ' ';
                    out += t != nullptr ? reinterpret_cast<const char*>(t) : "";
                }
            }
            sqlite3_finalize(st);
        }
        sqlite3_close(h);
        return out;
    }
};

TEST_F(RenderCrash, OutputFolderHoldsTheOldSetOrTheNewSetAfterEveryKill) {
    const char* env = std::getenv("KYSO_RENDER_CRASH_SCALE");
    const std::string scale = env != nullptr ? env : "4000";
    const std::string bundle = path("bundle");
    const std::string db = path("k.db");
    ASSERT_EQ(kyso("demo-data --out " + bundle + " --scale " + scale + " --seed 1").exit_code, 0);
    ASSERT_EQ(kyso("import --db " + db + " --bundle " + bundle).exit_code, 0);
    ASSERT_EQ(
        kyso("users add --db " + db + " --username admin --full-name A --role admin --scope all")
            .exit_code,
        0);
    for (const std::string u :
         {"canbo unit_officer", "thutruong unit_head", "sokhcn dost_operator"}) {
        const auto sp = u.find(' ');
        const auto r = kyso("users add --db " + db + " --as admin --username " + u.substr(0, sp) +
                            " --full-name X --org P01 --role " + u.substr(sp + 1));
        ASSERT_EQ(r.exit_code, 0) << r.out;
    }
    ASSERT_EQ(kyso("requests from-plan --db " + db + " --as canbo").exit_code, 0);
    ASSERT_LE(kyso("requests validate --db " + db + " --as canbo").exit_code, 1);
    const std::string ids = query(db, "SELECT id FROM requests WHERE state = 'validated'");
    ASSERT_FALSE(ids.empty());
    auto r = kyso("requests approve --db " + db + " --as thutruong --id " + ids);
    ASSERT_EQ(r.exit_code, 0) << r.out.substr(0, 500);
    r = kyso("batch create --db " + db + " --as canbo --kind revoke --symbol UBND");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    ASSERT_EQ(kyso("batch submit --db " + db + " --as canbo --all").exit_code, 0);
    // The province with the most revocations: one long letter.
    const std::string dost =
        query(db,
              "SELECT d.org_id FROM org_versions d WHERE d.name LIKE 'Sở Khoa học và Công nghệ%' "
              "ORDER BY (SELECT count(*) FROM requests q JOIN org_versions m ON m.org_id = "
              "q.managing_org_id WHERE m.province = d.province AND q.batch_id IS NOT NULL) DESC "
              "LIMIT 1");
    const std::string receiver =
        query(db, "SELECT id FROM people WHERE cccd_issued_on = '' ORDER BY id LIMIT 1");
    ASSERT_FALSE(dost.empty());
    r = kyso("batch combine --db " + db + " --as sokhcn --form mau-05 --issuer " + dost +
             " --number 88 --symbol SKHCN-CĐS");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const std::string batch = query(db, "SELECT max(id) FROM batches");
    auto render_args = [&](const std::string& out, const std::string& date) {
        return std::vector<std::string>{"batch",
                                        "render",
                                        "--db",
                                        db,
                                        "--as",
                                        "sokhcn",
                                        "--batch",
                                        batch,
                                        "--out",
                                        out,
                                        "--date",
                                        date,
                                        "--signer",
                                        "Lê Văn Giám",
                                        "--signer-title",
                                        "Phó Giám đốc",
                                        "--receiver",
                                        receiver,
                                        "--receiver-address",
                                        "Sở KH&CN",
                                        "--value",
                                        "nhan_ngay_cap=12/04/2021",
                                        "--value",
                                        "nhan_noi_cap=Cục Cảnh sát QLHC về TTXH"};
    };
    auto render = [&](const std::string& out, const std::string& date) {
        const pid_t pid = spawn(render_args(out, date));
        int status = 0;
        waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    };

    // The previous set (1 July) and, elsewhere, the new one (2 July): DOCX and PDF are the same
    // bytes on every run; the XLSX carries its creation time, so it is checked as a whole archive.
    const std::string out = path("letters");
    ASSERT_EQ(render(out, "2025-07-01"), 0);
    const FileSet before = read_set(out);
    ASSERT_EQ(before.size(), 3u);
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_EQ(render(path("reference"), "2025-07-02"), 0);
    const auto whole = std::chrono::steady_clock::now() - t0;
    const FileSet after = read_set(path("reference"));
    ASSERT_EQ(after.size(), 3u);
    ASSERT_NE(before.at("letter.pdf"), after.at("letter.pdf"));
    ASSERT_NE(before.at("letter.docx"), after.at("letter.docx"));
    const std::string pdf_size = std::to_string(after.at("letter.pdf").size());

    int old_kept = 0, new_whole = 0;
    const std::vector<double> points{0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.72, 0.78,
                                     0.83, 0.87, 0.9,  0.92, 0.94, 0.96, 0.98, 1.0,  1.05};
    for (const double part : points) {
        const std::string when = "killed at " + std::to_string(part) + " of " +
                                 std::to_string(whole.count() / 1000000) + " ms";
        const pid_t pid = spawn(render_args(out, "2025-07-02"));
        std::this_thread::sleep_for(
            std::chrono::duration_cast<std::chrono::microseconds>(whole * part));
        ::kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        const FileSet now = read_set(out);
        ASSERT_EQ(now.size(), 3u) << when << ": the folder must hold exactly one set";
        if (now == before) {
            ++old_kept;
            continue;
        }
        EXPECT_EQ(now.at("letter.docx"), after.at("letter.docx")) << when << ": mixed set";
        EXPECT_EQ(now.at("letter.pdf").size(), after.at("letter.pdf").size())
            << when << ": PDF truncated or old (" << pdf_size << " bytes expected)";
        EXPECT_EQ(now.at("letter.pdf"), after.at("letter.pdf")) << when << ": mixed set";
        EXPECT_TRUE(whole_zip(now.at("list.xlsx"))) << when << ": list.xlsx cut short";
        EXPECT_NE(now.at("list.xlsx"), before.at("list.xlsx")) << when << ": old list kept";
        ++new_whole;
        // Back to the previous set for the next kill (no kyso is running now).
        for (const auto& [name, bytes] : before) write_file(fs::path(out) / name, bytes);
        if (HasFailure()) break;
    }
    EXPECT_GT(old_kept, 0) << "every render finished before it could be killed";
    std::cout << "batch render (" << whole.count() / 1000000 << " ms, PDF " << pdf_size
              << " bytes) killed " << points.size() << " times: old set kept " << old_kept
              << ", new set whole " << new_whole << std::endl;

    // What the killed renders left beside the folder is cleared by the next render.
    ASSERT_EQ(render(out, "2025-07-02"), 0);
    for (const auto& e : fs::directory_iterator(dir)) {
        EXPECT_EQ(e.path().filename().string().find(".kyso-"), std::string::npos)
            << e.path().filename();
    }
    EXPECT_EQ(read_set(out).at("letter.pdf"), after.at("letter.pdf"));
}

}  // namespace

}  // namespace kyso::testing

// `kyso serve` killed with SIGKILL in the middle of a background job (issue 13 "A test kills the
// server"): a large bundle import and a batch render. After a restart the database is whole
// (PRAGMA integrity_check and foreign_key_check, `kyso audit verify`), the job is failed
// (job.server_stopped) without waiting for its heartbeat to grow stale, nothing of it was
// written, running it again succeeds, and nothing is there twice.
//
// Deterministic: the test kills only once the job reports progress above zero while running;
// the render job is held there by KYSO_JOB_PAUSE_MS. KYSO_SERVER_CRASH_SCALE sets the import's
// size in certificates (default 30,000: a few seconds in release).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include "serve_process.h"
#include "server_harness.h"
#include "x509/fingerprint.h"

namespace kyso::server::test {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr const char* kAdminPassword = "mật khẩu quản trị 2026";

std::string query(const std::string& db, const std::string& sql) {
    sqlite3* h = nullptr;
    std::string out;
    if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW) {
            const auto* t = sqlite3_column_text(st, 0);
            out = t != nullptr ? reinterpret_cast<const char*>(t) : "";
        } else {
            out = std::string("error: ") + sqlite3_errmsg(h);
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return out;
}

std::string shell(const std::string& command, int* exit_code = nullptr) {
    std::string out;
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (p == nullptr) return out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int status = ::pclose(p);
    if (exit_code != nullptr) *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

using x509::base64;

// The database is whole: SQLite's own checks and the audit log's hash chain.
void expect_whole(const std::string& db, const std::string& when) {
    EXPECT_EQ(query(db, "PRAGMA integrity_check"), "ok") << when;
    EXPECT_EQ(query(db, "SELECT count(*) FROM pragma_foreign_key_check"), "0") << when;
    int code = -1;
    const std::string out =
        shell(std::string("KYSO_LANG=en ") + KYSO_BINARY + " audit verify --db " + db, &code);
    EXPECT_EQ(code, 0) << when << ": " << out;
}

// A client of one running server, signed in as one user.
class Client {
public:
    Client(int port, const std::string& user, const std::string& password) : c_("127.0.0.1", port) {
        c_.set_read_timeout(120, 0);
        auto in =
            c_.Post("/api/v1/session", json{{"username", user}, {"password", password}}.dump(),
                    "application/json");
        if (!in || in->status != 201) {
            ADD_FAILURE() << "sign-in of " << user << ": " << (in ? in->body : "no answer");
            return;
        }
        const std::string cookie = in->get_header_value("Set-Cookie");
        headers_ = {{"Cookie", cookie.substr(0, cookie.find(';'))},
                    {"X-CSRF-Token", json::parse(in->body)["csrf_token"].get<std::string>()}};
    }
    std::pair<int, json> get(const std::string& path) {
        auto r = c_.Get(path, headers_);
        if (!r) return {0, json()};
        return {r->status, json::parse(r->body, nullptr, false)};
    }
    std::pair<int, json> post(const std::string& path, const json& body) {
        auto r = c_.Post(path, headers_, body.dump(), "application/json");
        if (!r) return {0, json()};
        return {r->status, json::parse(r->body, nullptr, false)};
    }
    // Polls job `id` until `until` holds for it (or 3 minutes pass); the job as last seen.
    template <typename Pred>
    json poll(std::int64_t id, Pred until, std::chrono::milliseconds every = 10ms) {
        const auto deadline = std::chrono::steady_clock::now() + 3min;
        json j;
        while (std::chrono::steady_clock::now() < deadline) {
            auto [status, body] = get("/api/v1/jobs/" + std::to_string(id));
            if (status != 200) return body;
            j = body;
            if (until(j)) return j;
            std::this_thread::sleep_for(every);
        }
        return j;
    }
    json wait_end(std::int64_t id) {
        return poll(
            id, [](const json& j) { return j["state"] != "queued" && j["state"] != "running"; },
            50ms);
    }

private:
    httplib::Client c_;
    httplib::Headers headers_;
};

bool running_with_progress(const json& j) {
    return j["state"] != "queued" && (j["state"] != "running" || j["done"].get<int>() > 0);
}

// A fresh log folder for each process (the port is read from its stdout).
fs::path log_dir(const fs::path& dir, const std::string& name) {
    fs::create_directories(dir / name);
    return dir / name;
}

TEST(ServeCrash, KilledInTheMiddleOfALargeImportWritesNothingAndTheRerunSucceeds) {
    const char* env = std::getenv("KYSO_SERVER_CRASH_SCALE");
    const long scale = env != nullptr ? std::atol(env) : 30000;
    const fs::path dir =
        fs::temp_directory_path() / ("kyso-serve-crash-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string db = (dir / "kyso.db").string();
    const std::string kyso =
        std::string("KYSO_LANG=en KYSO_NEW_PASSWORD='") + kAdminPassword + "' " + KYSO_BINARY;
    int code = -1;
    std::string out = shell(kyso + " users add --db " + db +
                                " --username admin --full-name 'Quản trị' --role admin --scope all",
                            &code);
    ASSERT_EQ(code, 0) << out;
    out = shell(kyso + " demo-data --out " + (dir / "bundle").string() + " --scale " +
                    std::to_string(scale) + " --seed 11",
                &code);
    ASSERT_EQ(code, 0) << out;
    json files = json::array();
    std::size_t certificates = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir / "bundle")) {
        if (!e.is_regular_file()) continue;
        std::ifstream in(e.path(), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), {});
        const std::string name = fs::relative(e.path(), dir / "bundle").string();
        if (name == "certificates.csv")
            certificates =
                static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), '\n')) - 1;
        files.push_back({{"name", name}, {"content_base64", base64(bytes)}});
    }
    ASSERT_GT(certificates, static_cast<std::size_t>(scale) / 2);
    const json upload = {{"kind", "bundle"}, {"files", files}};
    files = nullptr;

    std::int64_t killed_job = 0;
    {
        ServeProcess p(log_dir(dir, "first"), {"--db", db, "--listen", "127.0.0.1:0"});
        const int port = p.port();
        ASSERT_GT(port, 0) << p.err();
        Client admin(port, "admin", kAdminPassword);
        auto [status, job] = admin.post("/api/v1/imports", upload);
        ASSERT_EQ(status, 202) << job.dump().substr(0, 500);
        killed_job = job["id"].get<std::int64_t>();
        const json seen = admin.poll(killed_job, running_with_progress);
        ASSERT_EQ(seen["state"], "running")
            << "the import ended before it could be killed: " << seen.dump();
        ASSERT_TRUE(p.kill9());
        std::cout << "import of " << certificates << " certificates killed at " << seen["done"]
                  << "/" << seen["total"] << "\n";
    }
    expect_whole(db, "after the kill");
    EXPECT_EQ(query(db, "SELECT count(*) FROM certificates"), "0") << "a partial import was kept";

    ServeProcess p(log_dir(dir, "second"), {"--db", db, "--listen", "127.0.0.1:0"});
    const int port = p.port();
    ASSERT_GT(port, 0) << p.err();
    Client admin(port, "admin", kAdminPassword);
    // Failed at restart, without waiting for the heartbeat to grow stale (15 s).
    auto [status, killed] = admin.get("/api/v1/jobs/" + std::to_string(killed_job));
    ASSERT_EQ(status, 200);
    EXPECT_EQ(killed["state"], "failed") << killed.dump();
    EXPECT_EQ(killed["error"]["code"], "job.server_stopped") << killed.dump();
    EXPECT_EQ(admin.get("/api/v1/jobs/" + std::to_string(killed_job) + "/result").first, 409);

    auto [again_status, again] = admin.post("/api/v1/imports", upload);
    ASSERT_EQ(again_status, 202);
    const json done = admin.wait_end(again["id"].get<std::int64_t>());
    ASSERT_EQ(done["state"], "succeeded") << done.dump();
    auto [rs, result] = admin.get("/api/v1/jobs/" + done["id"].dump() + "/result");
    ASSERT_EQ(rs, 200);
    EXPECT_EQ(result["certificates"]["inserted"], certificates);
    EXPECT_EQ(query(db, "SELECT count(*) FROM certificates"), std::to_string(certificates));
    EXPECT_EQ(query(db, "SELECT count(DISTINCT serial) FROM certificates"),
              std::to_string(certificates));
    EXPECT_EQ(query(db, "SELECT count(*) FROM jobs WHERE kind = 'import.bundle'"), "2");
    EXPECT_EQ(query(db, "SELECT count(*) FROM jobs WHERE state = 'succeeded'"), "1");
    EXPECT_EQ(p.terminate(), 0);
    expect_whole(db, "after the rerun");
    fs::remove_all(dir);
}

TEST(ServeCrash, KilledInTheMiddleOfABatchRenderWritesNothingAndTheRerunSucceeds) {
    ServerFixture fx;
    const Caller officer = fx.sign_in("officer");
    const Caller head = fx.sign_in("head");
    Reply r = fx.call("POST", "/api/v1/requests", &officer,
                      json{{"kind", "renew"}, {"certificate", fx.serial()}});
    ASSERT_EQ(r.status, 201) << r.raw;
    const std::int64_t request = r.body["id"];
    fx.call("POST", "/api/v1/requests/validate", &officer, json{{"ids", {request}}});
    ASSERT_EQ(
        fx.call("POST", "/api/v1/requests/bulk/approve", &head, json{{"ids", {request}}}).status,
        200);
    Reply made = fx.call("POST", "/api/v1/batches", &officer, json{{"kind", "renew"}});
    ASSERT_EQ(made.status, 201) << made.raw;
    const std::int64_t batch = made.body["items"][0]["id"];
    // The values the register lacks, as the letter names them ({{key}}).
    json body = {{"signer", "Trần Văn Ký"}, {"signer_title", "Giám đốc"}};
    Reply doc = fx.call("GET",
                        "/api/v1/batches/" + std::to_string(batch) +
                            "/document?format=xlsx&signer=x&signer_title=x",
                        &officer);
    if (doc.status == 400) {
        const std::string msg = doc.body["error"]["message"];
        std::size_t at = 0;
        while ((at = msg.find("{{", at)) != std::string::npos) {
            const std::size_t end = msg.find("}}", at);
            body["values"][msg.substr(at + 2, end - at - 2)] = "x";
            at = end;
        }
    }
    fx.stop();
    const std::string db = fx.db();
    const fs::path dir = fs::path(db).parent_path();
    const std::string render = "/api/v1/batches/" + std::to_string(batch) + "/render";
    const std::map<std::string, std::string> env = {
        {"KYSO_TEMPLATES", KYSO_SOURCE_DIR "/templates/letters"}};
    const std::string audit_renders =
        "SELECT count(*) FROM audit_log WHERE action = 'batch.render'";
    const std::string before_audit = query(db, "SELECT count(*) FROM audit_log");

    std::int64_t killed_job = 0;
    {
        auto held = env;
        held["KYSO_JOB_PAUSE_MS"] = "120000";
        ServeProcess p(log_dir(dir, "first"), {"--db", db, "--listen", "127.0.0.1:0"}, held);
        const int port = p.port();
        ASSERT_GT(port, 0) << p.err();
        Client c(port, "officer", kPassword);
        auto [status, job] = c.post(render, body);
        ASSERT_EQ(status, 202) << job.dump();
        killed_job = job["id"].get<std::int64_t>();
        const json seen = c.poll(killed_job, running_with_progress);
        ASSERT_EQ(seen["state"], "running") << seen.dump();
        ASSERT_GT(seen["done"].get<int>(), 0);
        ASSERT_LT(seen["done"].get<int>(), seen["total"].get<int>());
        ASSERT_TRUE(p.kill9());
    }
    expect_whole(db, "after the kill");
    EXPECT_EQ(query(db, audit_renders), "0");

    ServeProcess p(log_dir(dir, "second"), {"--db", db, "--listen", "127.0.0.1:0"}, env);
    const int port = p.port();
    ASSERT_GT(port, 0) << p.err();
    Client c(port, "officer", kPassword);
    auto [status, killed] = c.get("/api/v1/jobs/" + std::to_string(killed_job));
    ASSERT_EQ(status, 200);
    EXPECT_EQ(killed["state"], "failed") << killed.dump();
    EXPECT_EQ(killed["error"]["code"], "job.server_stopped");
    const std::string message = killed["error"]["message"];
    EXPECT_EQ(message.find("/tmp"), std::string::npos) << message;

    auto [again_status, again] = c.post(render, body);
    ASSERT_EQ(again_status, 202) << again.dump();
    const json done = c.wait_end(again["id"].get<std::int64_t>());
    ASSERT_EQ(done["state"], "succeeded") << done.dump();
    auto [rs, result] = c.get("/api/v1/jobs/" + done["id"].dump() + "/result");
    ASSERT_EQ(rs, 200);
    ASSERT_EQ(result["files"].size(), 3u);
    for (const json& f : result["files"]) EXPECT_GT(f["size"].get<int>(), 500) << f["name"];
    EXPECT_EQ(query(db, audit_renders), "1");
    EXPECT_EQ(query(db, "SELECT count(*) FROM jobs WHERE kind = 'batch.render'"), "2");
    EXPECT_EQ(query(db, "SELECT count(*) FROM batches"), "1");
    EXPECT_EQ(p.terminate(), 0);
    expect_whole(db, "after the rerun");
    EXPECT_NE(query(db, "SELECT count(*) FROM audit_log"), before_audit);
}

}  // namespace

}  // namespace kyso::server::test

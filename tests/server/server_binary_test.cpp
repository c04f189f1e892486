// `kyso serve` as the real binary: it prints its URL, serves, writes one JSON log line per
// request with no password, token or cookie in any, reads kyso.toml, serves HTTPS with a
// certificate made here by OpenSSL, and exits 0 on SIGTERM after the requests in flight.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "serve_process.h"
#include "server_harness.h"

namespace kyso::server::test {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

TEST(ServeBinary, ServesLogsWithoutSecretsAndStopsCleanlyOnSigterm) {
    ServerFixture fx;
    fx.stop();  // its database only
    const fs::path dir = fs::path(fx.db()).parent_path();
    ServeProcess p(dir, {"--db", fx.db(), "--listen", "127.0.0.1:0"});
    const int port = p.port();
    ASSERT_GT(port, 0) << p.err();
    httplib::Client c("127.0.0.1", port);
    auto h = c.Get("/healthz");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->status, 200);
    auto in =
        c.Post("/api/v1/session", json{{"username", "officer"}, {"password", kPassword}}.dump(),
               "application/json");
    ASSERT_TRUE(in);
    ASSERT_EQ(in->status, 201) << in->body;
    const std::string cookie = in->get_header_value("Set-Cookie");
    const std::string session = cookie.substr(13, cookie.find(';') - 13);
    const std::string csrf = json::parse(in->body)["csrf_token"];
    auto tok =
        c.Post("/api/v1/tokens", {{"Cookie", "kyso_session=" + session}, {"X-CSRF-Token", csrf}},
               R"({"name":"script"})", "application/json");
    ASSERT_TRUE(tok);
    ASSERT_EQ(tok->status, 201) << tok->body;
    const std::string token = json::parse(tok->body)["token"];
    auto bad = c.Post("/api/v1/session", R"({"username":"officer","password":"sai-mat-khau-nay"})",
                      "application/json");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 401);

    EXPECT_EQ(p.terminate(), 0);
    const std::string log = p.err();
    std::istringstream lines(log);
    std::string line;
    int requests = 0;
    while (std::getline(lines, line)) {
        const json j = json::parse(line, nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << "not JSON: " << line;
        if (j.value("msg", "") == "request") {
            ++requests;
            EXPECT_FALSE(j.value("request_id", "").empty());
        }
    }
    EXPECT_EQ(requests, 4);
    for (const std::string& secret :
         {std::string(kPassword), std::string("sai-mat-khau-nay"), session, csrf, token})
        EXPECT_EQ(log.find(secret), std::string::npos) << "a secret in the log";
}

TEST(ServeBinary, ReadsKysoTomlAndRefusesABadOne) {
    ServerFixture fx;
    fx.stop();
    const fs::path dir = fs::path(fx.db()).parent_path();
    std::ofstream(dir / "kyso.toml") << "db = \"" << fx.db()
                                     << "\"\nlisten = \"127.0.0.1:0\"\nthreads = 4\n"
                                        "[sessions]\nidle_minutes = 10\n";
    ServeProcess p(dir, {"--config", (dir / "kyso.toml").string()});
    const int port = p.port();
    ASSERT_GT(port, 0) << p.err();
    httplib::Client c("127.0.0.1", port);
    auto r = c.Get("/readyz");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(p.terminate(), 0);

    std::ofstream(dir / "bad.toml") << "db = \n";
    ServeProcess q(dir, {"--config", (dir / "bad.toml").string()});
    EXPECT_EQ(q.wait(), 2);
    EXPECT_NE(q.err().find("bad.toml"), std::string::npos) << q.err();

    // A misspelt key, a number out of range and a number given as text are refused by name:
    // none is silently ignored.
    const std::pair<const char*, const char*> cases[] = {
        {"threds = 4\n", "threds"},
        {"[sessions]\nidle_minute = 5\n", "sessions.idle_minute"},
        {"threads = 0\n", "threads"},
        {"max_upload_mib = \"64\"\n", "max_upload_mib"},
        {"listen = 8443\n", "listen"}};
    for (const auto& [text, key] : cases) {
        std::ofstream(dir / "wrong.toml") << "db = \"" << fx.db() << "\"\n" << text;
        ServeProcess w(dir, {"--config", (dir / "wrong.toml").string()});
        EXPECT_EQ(w.wait(), 2) << text;
        EXPECT_NE(w.err().find(std::string("\"") + key + "\""), std::string::npos)
            << text << w.err();
    }
}

TEST(ServeBinary, KysoTomlSetsSessionTimeoutsInSecondsAndTheSignInLimits) {
    ServerFixture fx;
    fx.stop();
    const fs::path dir = fs::path(fx.db()).parent_path();
    std::ofstream(dir / "kyso.toml") << "db = \"" << fx.db()
                                     << "\"\nlisten = \"127.0.0.1:0\"\n[sessions]\n"
                                        "idle_seconds = 60\nabsolute_seconds = 3\n"
                                        "max_failures_per_account = 2\n";
    ServeProcess p(dir, {"--config", (dir / "kyso.toml").string()});
    const int port = p.port();
    ASSERT_GT(port, 0) << p.err();
    httplib::Client c("127.0.0.1", port);
    auto in =
        c.Post("/api/v1/session", json{{"username", "officer"}, {"password", kPassword}}.dump(),
               "application/json");
    ASSERT_TRUE(in);
    ASSERT_EQ(in->status, 201);
    const std::string cookie = in->get_header_value("Set-Cookie");
    EXPECT_NE(cookie.find("Max-Age=3"), std::string::npos) << cookie;
    for (int i = 0; i < 2; ++i) {
        auto bad = c.Post("/api/v1/session", R"({"username":"head","password":"sai-mat-khau"})",
                          "application/json");
        ASSERT_TRUE(bad);
        EXPECT_EQ(bad->status, 401);
    }
    auto limited =
        c.Post("/api/v1/session", json{{"username", "head"}, {"password", kPassword}}.dump(),
               "application/json");
    ASSERT_TRUE(limited);
    EXPECT_EQ(limited->status, 429);
    EXPECT_FALSE(limited->get_header_value("Retry-After").empty());
    std::this_thread::sleep_for(std::chrono::milliseconds(4100));
    auto me = c.Get("/api/v1/session", {{"Cookie", cookie.substr(0, cookie.find(';'))}});
    ASSERT_TRUE(me);
    EXPECT_EQ(me->status, 401);
    EXPECT_EQ(p.terminate(), 0);
}

TEST(ServeBinary, ServesHttpsWithSecureCookies) {
    ServerFixture fx;
    fx.stop();
    const fs::path dir = fs::path(fx.db()).parent_path();
    const std::string cert = (dir / "server.pem").string(), key = (dir / "server.key").string();
    const std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -days 2 "
        "-keyout " +
        key + " -out " + cert + " 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    ServeProcess p(
        dir, {"--db", fx.db(), "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key});
    const int port = p.port();
    ASSERT_GT(port, 0) << p.err();
    httplib::SSLClient c("127.0.0.1", port);
    c.set_ca_cert_path(cert.c_str());
    c.enable_server_certificate_verification(true);
    auto in =
        c.Post("/api/v1/session", json{{"username", "officer"}, {"password", kPassword}}.dump(),
               "application/json");
    ASSERT_TRUE(in) << httplib::to_string(in.error());
    ASSERT_EQ(in->status, 201);
    EXPECT_NE(in->get_header_value("Set-Cookie").find("; Secure"), std::string::npos);
    EXPECT_EQ(p.terminate(), 0);
}

}  // namespace

}  // namespace kyso::server::test

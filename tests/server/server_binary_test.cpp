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

#include "server_harness.h"

namespace kyso::server::test {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The binary running `kyso serve` with `args`; stdout and stderr into files of `dir`.
class ServeProcess {
public:
    ServeProcess(const fs::path& dir, const std::vector<std::string>& args) : dir_(dir) {
        pid_ = ::fork();
        if (pid_ == 0) {
            std::freopen((dir / "out.txt").c_str(), "w", stdout);
            std::freopen((dir / "err.txt").c_str(), "w", stderr);
            std::vector<char*> argv;
            std::string bin = KYSO_BINARY, serve = "serve";
            argv.push_back(bin.data());
            argv.push_back(serve.data());
            std::vector<std::string> copy = args;
            for (auto& a : copy) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(KYSO_BINARY, argv.data());
            ::_exit(127);
        }
    }
    ~ServeProcess() {
        if (pid_ > 0 && !waited_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    // The port from the line "… http(s)://127.0.0.1:PORT" on stdout (0 after 20 s without).
    int port() {
        for (int i = 0; i < 200; ++i) {
            std::ifstream in(dir_ / "out.txt");
            std::string text((std::istreambuf_iterator<char>(in)), {});
            const auto at = text.find("127.0.0.1:");
            if (at != std::string::npos) return std::atoi(text.c_str() + at + 10);
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return 0;
    }
    // SIGTERM, then the exit status (-1 when it did not exit in 20 s).
    int terminate() {
        ::kill(pid_, SIGTERM);
        return wait();
    }
    // The exit status, without a signal (-1 when it did not exit in 20 s).
    int wait() {
        for (int i = 0; i < 200; ++i) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                waited_ = true;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return -1;
    }
    std::string err() const {
        std::ifstream in(dir_ / "err.txt");
        return std::string((std::istreambuf_iterator<char>(in)), {});
    }

private:
    fs::path dir_;
    pid_t pid_ = -1;
    bool waited_ = false;
};

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

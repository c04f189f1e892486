// HTTP-level behaviour of kyso serve that a new user's trial found wanting: slow clients holding
// every worker, a Content-Length that is not a number, a path that is not UTF-8, httplib's own
// answers missing from the log and the metrics, OPTIONS, the case of the media type, control
// characters in a token's name, and validation errors that do not name their field.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "server_harness.h"

namespace kyso::server::test {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// A TCP connection to the server on 127.0.0.1; -1 when refused.
int connect_to(int port) {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(s);
        return -1;
    }
    return s;
}

// Sends `request` as is and reads the answer until the server closes the connection, the
// answer's body is complete, or `wait` passes. "" when nothing came.
std::string exchange(int port, const std::string& request,
                     std::chrono::milliseconds wait = std::chrono::milliseconds(4000)) {
    const int s = connect_to(port);
    if (s < 0) return {};
    ::send(s, request.data(), request.size(), MSG_NOSIGNAL);
    std::string got;
    const auto until = Clock::now() + wait;
    while (Clock::now() < until) {
        pollfd p{s, POLLIN, 0};
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
        if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 1))) <= 0) break;
        char buf[4096];
        const ssize_t n = ::recv(s, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.append(buf, static_cast<std::size_t>(n));
        // Complete once the header and Content-Length bytes of body are in.
        const std::size_t end = got.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        const std::size_t cl = got.find("Content-Length: ");
        if (cl != std::string::npos && cl < end) {
            const std::size_t len = std::stoul(got.substr(cl + 16));
            if (got.size() >= end + 4 + len) break;
        }
    }
    ::close(s);
    return got;
}

int status_of(const std::string& answer) {
    if (answer.rfind("HTTP/1.1 ", 0) != 0) return 0;
    return std::atoi(answer.c_str() + 9);
}

json body_of(const std::string& answer) {
    const std::size_t end = answer.find("\r\n\r\n");
    if (end == std::string::npos) return nullptr;
    return json::parse(answer.substr(end + 4), nullptr, false);
}

class HttpEdges : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        ServerOptions o;
        o.read_timeout_s = 2;
        o.keep_alive_s = 1;
        o.threads = 4;
        o.max_upload = 3u << 20;
        fx_ = new ServerFixture(60, o);
        officer_ = fx_->sign_in("officer");
        admin_ = fx_->sign_in("admin");
    }
    static void TearDownTestSuite() {
        delete fx_;
        fx_ = nullptr;
    }
    static ServerFixture* fx_;
    static Caller officer_, admin_;
};

ServerFixture* HttpEdges::fx_ = nullptr;
Caller HttpEdges::officer_, HttpEdges::admin_;

TEST(HttpSlowloris, MoreSlowClientsThanWorkersDoNotKeepOthersWaiting) {
    // Two workers and six clients that send their header a byte at a time, each byte sooner
    // than the read timeout: a fixed pool of two is held by them; kyso's keeps serving.
    ServerOptions o;
    o.threads = 2;
    o.read_timeout_s = 2;
    o.keep_alive_s = 1;
    ServerFixture fx(60, o);
    std::vector<int> socks;
    for (int i = 0; i < 6; ++i) {
        const int s = connect_to(fx.port());
        ASSERT_GE(s, 0);
        const std::string start = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
        ASSERT_GT(::send(s, start.data(), start.size(), MSG_NOSIGNAL), 0);
        socks.push_back(s);
    }
    std::atomic<bool> done{false};
    std::thread trickle([&] {
        // Bounded: at most 8 seconds of one byte per connection every 300 ms.
        const auto until = Clock::now() + std::chrono::seconds(8);
        while (!done && Clock::now() < until) {
            for (int s : socks) ::send(s, "X", 1, MSG_NOSIGNAL);
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(400));  // every slow one accepted
    for (int round = 0; round < 3; ++round) {
        httplib::Client client("127.0.0.1", fx.port());
        client.set_read_timeout(3, 0);
        const auto t0 = Clock::now();
        auto res = client.Get("/healthz");
        const auto took = Clock::now() - t0;
        // No ASSERT here: the trickling thread must be joined whatever happens.
        EXPECT_TRUE(res) << "round " << round << ": no answer within 3 s";
        if (!res) break;
        EXPECT_EQ(res->status, 200);
        EXPECT_LT(took, std::chrono::seconds(2)) << "round " << round;
    }
    done = true;
    trickle.join();
    // Silent past the read timeout, the slow ones are answered (400) and closed.
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));
    for (int s : socks) {
        char buf[512];
        ssize_t n = 0;
        while ((n = ::recv(s, buf, sizeof buf, MSG_DONTWAIT)) > 0) {
        }
        EXPECT_EQ(n, 0) << "connection still open";
        ::close(s);
    }
    EXPECT_EQ(fx.call("GET", "/healthz").status, 200);
}

TEST_F(HttpEdges, AContentLengthThatIsNotANumberIsRefusedAtOnce) {
    for (const char* length : {"100000000000000000000", "-5", "12abc", "0x10"}) {
        const std::string request = std::string(
                                        "POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                                        "Content-Type: application/json\r\nContent-Length: ") +
                                    length + "\r\n\r\n";
        const auto t0 = Clock::now();
        const std::string answer = exchange(fx_->port(), request);
        EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(1500)) << length;
        EXPECT_EQ(status_of(answer), 400) << length << ": " << answer;
        const json body = body_of(answer);
        ASSERT_TRUE(body.is_object()) << answer;
        EXPECT_EQ(body["error"]["code"], "server.content_length") << length;
        EXPECT_EQ(body["error"]["field"], "Content-Length") << length;
        EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
    }
    EXPECT_EQ(fx_->call("GET", "/healthz").status, 200);
}

TEST_F(HttpEdges, APathThatIsNotUtf8IsA404NamingIt) {
    Reply r = fx_->call("GET", "/api/v1/people/%FF", &officer_);
    EXPECT_EQ(r.status, 404) << r.raw;
    EXPECT_EQ(r.code(), "server.not_found");
    EXPECT_NE(r.body["error"]["message"].get<std::string>().find("%FF"), std::string::npos)
        << r.raw;
    // Raw bytes on the request line.
    const std::string answer = exchange(
        fx_->port(), "GET /api/v1/\xFF\xFE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(status_of(answer), 404) << answer;
    const json body = body_of(answer);
    ASSERT_TRUE(body.is_object()) << answer;
    EXPECT_EQ(body["error"]["code"], "server.not_found");
    EXPECT_NE(body["error"]["message"].get<std::string>().find("%FF%FE"), std::string::npos);
    EXPECT_EQ(fx_->call("GET", "/healthz").status, 200);
}

TEST_F(HttpEdges, AQueryValueThatIsNotUtf8IsA400NamingItsParameter) {
    for (const char* path : {"/api/v1/people?q=%FF", "/api/v1/audit?actor=ab%C3"}) {
        Reply r = fx_->call("GET", path, &officer_);
        EXPECT_EQ(r.status, 400) << path << " " << r.raw;
        EXPECT_EQ(r.code(), "server.query_invalid_utf8") << r.raw;
    }
    Reply q = fx_->call("GET", "/api/v1/people?q=%FF", &officer_);
    EXPECT_EQ(q.field(), "q");
    EXPECT_EQ(fx_->call("GET", "/api/v1/people?q=nguy%E1%BB%85n", &officer_).status, 200);
}

// Everything the server logs (stderr) while `act` runs.
template <typename F>
std::string captured_log(F&& act) {
    std::fflush(stderr);
    char path[] = "/tmp/kyso-log-XXXXXX";
    const int fd = ::mkstemp(path);
    const int saved = ::dup(2);
    ::dup2(fd, 2);
    act();
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    ::close(fd);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::remove(path);
    return text.str();
}

// The count of kyso_http_requests_total for `route`, `method`, `status`.
double requests_counted(ServerFixture& fx, const std::string& route, const std::string& method,
                        int status) {
    Reply m = fx.call("GET", "/metrics");
    const std::string key = "kyso_http_requests_total{route=\"" + route + "\",method=\"" + method +
                            "\",status=\"" + std::to_string(status) + "\"} ";
    const std::size_t at = m.raw.find(key);
    return at == std::string::npos ? 0 : std::stod(m.raw.substr(at + key.size()));
}

TEST(HttpLog, HttplibsOwnAnswersAreLoggedAndCountedWithoutSecrets) {
    // The fixture logs requests only when asked (KYSO_TEST_SERVER_LOG).
    const bool had = std::getenv("KYSO_TEST_SERVER_LOG") != nullptr;
    if (!had) ::setenv("KYSO_TEST_SERVER_LOG", "1", 1);
    auto fx_ = std::make_unique<ServerFixture>();
    if (!had) ::unsetenv("KYSO_TEST_SERVER_LOG");
    // The request line is unread when the target is too long: its method is unknown ("-").
    const double bad_before = requests_counted(*fx_, "unmatched", "-", 400);
    const double long_before = requests_counted(*fx_, "unmatched", "-", 414);
    std::string bad, too_long;
    const std::string log = captured_log([&] {
        // A request line httplib cannot read, and a target past its 8192 bytes; both carry a
        // cookie, a token and a CCCD number that must not reach the log.
        bad = exchange(fx_->port(),
                       "NONSENSE\r\nCookie: kyso_session=SECRETCOOKIE\r\n"
                       "Authorization: Bearer SECRETTOKEN\r\n\r\n");
        too_long = exchange(fx_->port(),
                            "GET /api/v1/people?cccd=079123456789&x=" + std::string(9000, 'a') +
                                " HTTP/1.1\r\nHost: x\r\nCookie: "
                                "kyso_session=SECRETCOOKIE\r\n\r\n");
    });
    EXPECT_EQ(status_of(bad), 400) << bad;
    EXPECT_EQ(body_of(bad)["error"]["code"], "server.http_error") << bad;
    EXPECT_EQ(status_of(too_long), 414) << too_long.substr(0, 300);
    EXPECT_EQ(body_of(too_long)["error"]["code"], "server.uri_too_long");
    EXPECT_NE(too_long.find("X-Request-Id: "), std::string::npos);
    EXPECT_NE(log.find("\"status\":400"), std::string::npos) << log;
    EXPECT_NE(log.find("\"status\":414"), std::string::npos) << log;
    EXPECT_NE(log.find("\"error\":\"server.http_error\""), std::string::npos) << log;
    for (const char* secret : {"SECRETCOOKIE", "SECRETTOKEN", "079123456789", "NONSENSE"})
        EXPECT_EQ(log.find(secret), std::string::npos) << secret << " in " << log;
    EXPECT_EQ(requests_counted(*fx_, "unmatched", "-", 400), bad_before + 1);
    EXPECT_EQ(requests_counted(*fx_, "unmatched", "-", 414), long_before + 1);
}

TEST_F(HttpEdges, OptionsListsTheMethodsOfAKnownPathAndNoCors) {
    httplib::Client client("127.0.0.1", fx_->port());
    auto known = client.Options("/api/v1/requests/1");
    ASSERT_TRUE(known);
    EXPECT_EQ(known->status, 204);
    const std::string allow = known->get_header_value("Allow");
    for (const char* m : {"GET", "HEAD", "OPTIONS"})
        EXPECT_NE(allow.find(m), std::string::npos) << allow;
    EXPECT_EQ(allow.find("PUT"), std::string::npos) << allow;
    EXPECT_FALSE(known->has_header("Access-Control-Allow-Origin"));
    auto session = client.Options("/api/v1/session");
    ASSERT_TRUE(session);
    EXPECT_EQ(session->status, 204);
    EXPECT_NE(session->get_header_value("Allow").find("POST"), std::string::npos);
    EXPECT_NE(session->get_header_value("Allow").find("DELETE"), std::string::npos);
    auto unknown = client.Options("/api/v1/nothing-here");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 404);
    EXPECT_EQ(json::parse(unknown->body)["error"]["code"], "server.not_found");
}

TEST_F(HttpEdges, TheJsonMediaTypeIsCaseInsensitiveAndMayNameUtf8) {
    httplib::Client client("127.0.0.1", fx_->port());
    const httplib::Headers h = {{"Cookie", officer_.cookie}, {"X-CSRF-Token", officer_.csrf}};
    int n = 0;
    for (const char* type : {"APPLICATION/JSON", "application/json; charset=utf-8",
                             "Application/Json ; Charset=\"UTF-8\""}) {
        const std::string body = json{{"name", "media " + std::to_string(++n)}}.dump();
        auto res = client.Post("/api/v1/tokens", h, body, type);
        ASSERT_TRUE(res) << type;
        EXPECT_EQ(res->status, 201) << type << ": " << res->body;
    }
    for (const char* type : {"text/json", "application/json; charset=latin1"}) {
        auto res = client.Post("/api/v1/tokens", h, json{{"name", "x"}}.dump(), type);
        ASSERT_TRUE(res) << type;
        EXPECT_EQ(res->status, 415) << type;
    }
}

TEST_F(HttpEdges, ATokenNameWithAControlCharacterIsA400NamingTheField) {
    for (const std::string& name : {std::string("a\0b", 3), std::string("a\x1f"
                                                                        "b")}) {
        Reply r = fx_->call("POST", "/api/v1/tokens", &officer_, json{{"name", name}});
        EXPECT_EQ(r.status, 400) << r.raw;
        EXPECT_EQ(r.field(), "name") << r.raw;
    }
}

TEST_F(HttpEdges, EveryBodyAndQueryValidationErrorNamesItsField) {
    struct Bad {
        const char* method;
        std::string path;
        json body;
        bool admin = false;
    };
    const std::vector<Bad> bad = {
        {"POST", "/api/v1/tokens", json::object()},
        {"POST", "/api/v1/tokens", json{{"name", ""}}},
        {"POST", "/api/v1/tokens", json{{"name", "x"}, {"other", 1}}},
        {"POST", "/api/v1/tokens", json{{"name", std::string(200, 'a')}}},
        {"PUT", "/api/v1/session/password",
         json{{"old_password", "sai"}, {"new_password", "một mật khẩu mới đủ dài 2026"}}},
        {"PUT", "/api/v1/session/password",
         json{{"old_password", kPassword}, {"new_password", kPassword}}},
        {"PUT", "/api/v1/session/password", json{{"old_password", kPassword}, {"new_password", 5}}},
        {"GET", "/api/v1/requests?state=nonsense", nullptr},
        {"GET", "/api/v1/requests?kind=nonsense", nullptr},
        {"GET", "/api/v1/requests?page=0", nullptr},
        {"GET", "/api/v1/requests?size=100000", nullptr},
        {"GET", "/api/v1/requests?page=abc", nullptr},
        {"GET", "/api/v1/requests/abc", nullptr},
        {"POST", "/api/v1/requests", json{{"kind", "nonsense"}}},
        {"POST", "/api/v1/requests", json{{"kind", "revoke"}}},
        {"POST", "/api/v1/requests", json{{"kind", "revoke"}, {"certificate", "00"}}},
        {"POST", "/api/v1/requests", json{{"kind", "issue"}, {"holder_type", "alien"}}},
        {"POST", "/api/v1/requests",
         json{{"kind", "issue"}, {"holder_type", "person"}, {"holder_id", "no-such-person"}}},
        {"POST", "/api/v1/requests", json{{"kind", "issue"}, {"device_id", "no-such-device"}}},
        {"POST", "/api/v1/requests/validate", json{{"ids", "x"}}},
        {"GET", "/api/v1/people?sort=nonsense", nullptr},
        {"GET", "/api/v1/people?order=sideways", nullptr},
        {"GET", "/api/v1/certificates?size=0", nullptr},
        {"GET", "/api/v1/jobs?state=nonsense", nullptr},
        {"POST", "/api/v1/imports", json{{"kind", "nonsense"}, {"files", json::array()}}, true},
        {"GET", "/api/v1/users?role=nonsense", nullptr, true},
        {"POST", "/api/v1/users", json{{"username", "x y"}, {"role", "king"}}, true},
        {"POST", "/api/v1/users",
         json{{"username", "newuser"},
              {"full_name", "Người Mới"},
              {"role", "unit_officer"},
              {"password", "ngắn"},
              {"org_id", "no-such-org"}},
         true},
        {"PUT", "/api/v1/users/officer/role", json{{"role", "king"}}, true},
    };
    for (const Bad& b : bad) {
        Reply r = fx_->call(b.method, b.path, b.admin ? &admin_ : &officer_, b.body);
        const std::string what = std::string(b.method) + " " + b.path + " " + b.body.dump();
        EXPECT_GE(r.status, 400) << what << " → " << r.raw;
        EXPECT_LT(r.status, 500) << what << " → " << r.raw;
        EXPECT_FALSE(r.field().empty()) << what << " → " << r.raw;
    }
}

}  // namespace

}  // namespace kyso::server::test

// Bad input against kyso serve: oversized bodies, bad JSON, deep nesting, invalid UTF-8, SQL
// metacharacters, unknown paths and methods, a slowloris client, session expiry; the server
// answers with a clear 4xx or closes the connection, and keeps serving.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "server/json_body.h"
#include "server_harness.h"

namespace kyso::server::test {

namespace {

using nlohmann::json;

class BadInput : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        ServerOptions o;
        o.read_timeout_s = 2;
        o.keep_alive_s = 1;
        o.threads = 8;
        o.max_upload = 3u << 20;  // small, so the 413 test sends little
        fx_ = new ServerFixture(60, o);
        officer_ = fx_->sign_in("officer");
    }
    static void TearDownTestSuite() {
        delete fx_;
        fx_ = nullptr;
    }
    static ServerFixture* fx_;
    static Caller officer_;
};

ServerFixture* BadInput::fx_ = nullptr;
Caller BadInput::officer_;

TEST_F(BadInput, AnOversizedJsonBodyIsRefusedWith413) {
    const std::string big = "{\"username\":\"" + std::string(2u << 20, 'a') + "\"}";
    Reply r = fx_->call("POST", "/api/v1/session", nullptr, nullptr, true, {}, &big);
    EXPECT_EQ(r.status, 413) << r.raw.substr(0, 200);
    EXPECT_EQ(r.code(), "server.too_large");
    EXPECT_EQ(fx_->call("GET", "/healthz").status, 200);
}

TEST_F(BadInput, MalformedJsonIsRefusedWith400) {
    const std::string text = "{\"username\": \"officer\",";
    Reply r = fx_->call("POST", "/api/v1/session", nullptr, nullptr, true, {}, &text);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.code(), "server.bad_json");
    const std::string array = "[1,2]";
    Reply a = fx_->call("POST", "/api/v1/session", nullptr, nullptr, true, {}, &array);
    EXPECT_EQ(a.status, 400);
    EXPECT_EQ(a.code(), "server.not_object");
}

TEST_F(BadInput, ABodyNotSentAsJsonIsRefusedWith415SoNoHtmlFormCanSignIn) {
    // What a cross-site form can send: text/plain or a form encoding, never application/json.
    httplib::Client client("127.0.0.1", fx_->port());
    const std::string body = R"({"username":"officer","password":"x"})";
    for (const char* type : {"text/plain", "application/x-www-form-urlencoded"}) {
        auto res = client.Post("/api/v1/session", body, type);
        ASSERT_TRUE(res) << type;
        EXPECT_EQ(res->status, 415) << type;
        EXPECT_EQ(json::parse(res->body)["error"]["code"], "server.media_type") << type;
        EXPECT_TRUE(res->get_header_value("Set-Cookie").empty()) << type;
    }
}

TEST_F(BadInput, DeepNestingIsRefusedWith400) {
    const std::string deep = "{\"a\":" + std::string(10000, '[') + std::string(10000, ']') + "}";
    Reply r = fx_->call("POST", "/api/v1/session", nullptr, nullptr, true, {}, &deep);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.code(), "server.too_deep");
}

TEST_F(BadInput, InvalidUtf8IsRefusedWith400) {
    const std::string bad = "{\"username\":\"Nguy\xE1\xBB\",\"password\":\"x\"}";
    Reply r = fx_->call("POST", "/api/v1/session", nullptr, nullptr, true, {}, &bad);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.code(), "server.invalid_utf8");
    const std::string overlong = "{\"username\":\"\xC0\xAF\"}";
    EXPECT_EQ(fx_->call("POST", "/api/v1/session", nullptr, nullptr, true, {}, &overlong).status,
              400);
}

TEST_F(BadInput, SqlMetacharactersAreJustText) {
    Reply r = fx_->call("POST", "/api/v1/session", nullptr,
                        json{{"username", "admin' OR '1'='1"}, {"password", "x' OR 1=1; --"}});
    EXPECT_EQ(r.status, 401);
    Reply q =
        fx_->call("GET", "/api/v1/requests?org=x'%3B%20DROP%20TABLE%20requests%3B--", &officer_);
    EXPECT_EQ(q.status, 200) << q.raw;
    EXPECT_EQ(q.body["total"], 0);
    EXPECT_EQ(fx_->call("GET", "/readyz").status, 200);
}

TEST_F(BadInput, UnknownPathsAndMethodsAreJsonErrors) {
    Reply r = fx_->call("GET", "/api/v1/nothing-here");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.code(), "server.not_found");
    Reply m = fx_->call("PATCH", "/healthz", nullptr, json::object());
    EXPECT_EQ(m.status, 405);
    EXPECT_EQ(m.code(), "server.method");
    EXPECT_EQ(m.header("Allow"), "GET");
    Reply put = fx_->call("PUT", "/api/v1/requests/1", &officer_, json::object());
    EXPECT_EQ(put.status, 405);
    const std::string allow = put.header("Allow");
    EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
    EXPECT_EQ(allow.find("PUT"), std::string::npos) << allow;
}

TEST_F(BadInput, ABodyOverTheServersUploadLimitIsRefusedUnreadWithAJsonError) {
    // Over max_upload httplib refuses the body before reading it; the answer is still kyso's
    // JSON error, in the language asked for.
    httplib::Client client("127.0.0.1", fx_->port());
    const std::string big(static_cast<std::size_t>(4u << 20), 'a');
    auto res = client.Post("/api/v1/imports", {{"Accept-Language", "vi"}}, big,
                           "application/octet-stream");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 413);
    const json body = json::parse(res->body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << res->body;
    EXPECT_EQ(body["error"]["code"], "server.upload_too_large");
    EXPECT_NE(body["error"]["message"].get<std::string>().find("giới hạn"), std::string::npos)
        << res->body;
    EXPECT_EQ(fx_->call("GET", "/healthz").status, 200);
}

TEST_F(BadInput, ASlowlorisClientDoesNotStopTheServer) {
    // Connections that send a header byte by byte, slower than the read timeout: the server
    // keeps answering others and drops them.
    std::vector<int> socks;
    for (int i = 0; i < 4; ++i) {
        const int s = ::socket(AF_INET, SOCK_STREAM, 0);
        ASSERT_GE(s, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(fx_->port()));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ASSERT_EQ(::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        const char* start = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
        ASSERT_GT(::send(s, start, std::strlen(start), MSG_NOSIGNAL), 0);
        socks.push_back(s);
    }
    const auto t0 = std::chrono::steady_clock::now();
    for (int round = 0; round < 3; ++round) {
        Reply r = fx_->call("GET", "/healthz");
        EXPECT_EQ(r.status, 200) << "round " << round;
        for (int s : socks) ::send(s, "X", 1, MSG_NOSIGNAL);
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
    // Silent past the read timeout: the server has answered (or not) and closed them.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    for (int s : socks) {
        char buf[256];
        ssize_t n = 0;
        std::string got;
        while ((n = ::recv(s, buf, sizeof buf, MSG_DONTWAIT)) > 0)
            got.append(buf, static_cast<std::size_t>(n));
        // httplib answers a header cut short by the read timeout with 400 (kyso's JSON error).
        if (!got.empty()) {
            EXPECT_EQ(got.rfind("HTTP/1.1 4", 0), 0u) << got;
        }
        EXPECT_EQ(n, 0) << "connection still open";
        ::close(s);
    }
    EXPECT_EQ(fx_->call("GET", "/healthz").status, 200);
}

TEST(JsonBody, Utf8CheckFollowsRfc3629) {
    EXPECT_EQ(first_invalid_utf8("Nguyễn Văn A"), std::string_view::npos);
    EXPECT_EQ(first_invalid_utf8("\xED\xA0\x80"), 0u);        // a surrogate
    EXPECT_EQ(first_invalid_utf8("ab\xF4\x90\x80\x80"), 2u);  // above U+10FFFF
    EXPECT_EQ(first_invalid_utf8("\xE0\x80\xAF"), 0u);        // overlong
}

TEST(Sessions, AnIdleSessionExpires) {
    ServerOptions o;
    o.sessions.idle_timeout = std::chrono::seconds(2);
    ServerFixture fx(60, o);
    Caller c = fx.sign_in("officer");
    EXPECT_EQ(fx.call("GET", "/api/v1/session", &c).status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(4500));
    Reply r = fx.call("GET", "/api/v1/session", &c);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.code(), "auth.session_expired");
    EXPECT_NE(r.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
}

TEST(Shutdown, StopLetsARequestInFlightFinish) {
    auto fx = std::make_unique<ServerFixture>();
    Caller c = fx->sign_in("officer");
    std::thread slow([&] {
        // Sign-in hashes a password (argon2id): long enough to be in flight during stop().
        Reply r = fx->call("POST", "/api/v1/session", nullptr,
                           json{{"username", "head"}, {"password", kPassword}});
        EXPECT_EQ(r.status, 201);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    fx->stop();
    slow.join();
    EXPECT_EQ(fx->call("GET", "/healthz").status, 0);  // no longer listening
}

}  // namespace

}  // namespace kyso::server::test

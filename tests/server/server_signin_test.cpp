// Sign-in over HTTP (issue 13 "Sign-in tests"): failed password sign-ins rate-limited per
// account and per address (429 with Retry-After), the absolute session timeout, CSRF refused
// without the session's token, and an API token that stops working once revoked.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "server_harness.h"

namespace kyso::server::test {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

Reply password_sign_in(ServerFixture& fx, const std::string& user, const std::string& password) {
    return fx.call("POST", "/api/v1/session", nullptr,
                   json{{"username", user}, {"password", password}});
}

TEST(SignIn, FailedPasswordsAreRateLimitedPerAccountWithRetryAfter) {
    ServerOptions o;
    o.sessions.max_failures_per_account = 3;
    o.sessions.max_failures_per_address = 1000;
    o.sessions.failure_window = 10min;
    ServerFixture fx(60, o);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(password_sign_in(fx, "officer", "sai mật khẩu rồi").status, 401) << i;
    // The limit is reached: even the right password waits, and the client is told how long.
    Reply limited = password_sign_in(fx, "officer", kPassword);
    EXPECT_EQ(limited.status, 429) << limited.raw;
    EXPECT_EQ(limited.code(), "auth.rate_limited");
    const std::string retry = limited.header("Retry-After");
    ASSERT_FALSE(retry.empty());
    EXPECT_GT(std::stol(retry), 0);
    EXPECT_LE(std::stol(retry), 600);
    EXPECT_NE(limited.body["error"]["message"].get<std::string>().find("phút"), std::string::npos);
    // Another account from the same address is not held back by officer's failures.
    EXPECT_EQ(password_sign_in(fx, "head", kPassword).status, 201);
    // The refusals are in the audit log, without the password.
    auto entries = fx.workflow()->audit_entries();
    ASSERT_TRUE(entries);
    int failed = 0;
    for (const auto& e : *entries) {
        if (e.action != "session.sign_in_failed") continue;
        ++failed;
        EXPECT_EQ(e.detail.find("sai mật khẩu"), std::string::npos);
    }
    EXPECT_EQ(failed, 4);  // three wrong passwords and the refusal for the limit
}

TEST(SignIn, FailedPasswordsAreRateLimitedPerAddressAcrossAccounts) {
    ServerOptions o;
    o.sessions.max_failures_per_account = 100;
    o.sessions.max_failures_per_address = 4;
    ServerFixture fx(60, o);
    // Guessing across accounts (known or not) from one address.
    for (const char* user : {"officer", "head", "khong-co-ai", "ca"})
        EXPECT_EQ(password_sign_in(fx, user, "đoán mật khẩu 123").status, 401) << user;
    Reply limited = password_sign_in(fx, "admin", kPassword);
    EXPECT_EQ(limited.status, 429) << limited.raw;
    EXPECT_EQ(limited.code(), "auth.rate_limited");
    EXPECT_GT(std::stol(limited.header("Retry-After")), 0);
}

TEST(SignIn, AnAbsoluteTimeoutEndsEvenASessionInUse) {
    ServerOptions o;
    o.sessions.idle_timeout = 60s;
    o.sessions.absolute_timeout = 3s;
    ServerFixture fx(60, o);
    // The session starts somewhere between these two instants (argon2id under the sanitizers
    // on a loaded machine can take a second or more).
    const auto before = std::chrono::steady_clock::now();
    Reply in = password_sign_in(fx, "officer", kPassword);
    const auto after = std::chrono::steady_clock::now();
    ASSERT_EQ(in.status, 201);
    EXPECT_NE(in.header("Set-Cookie").find("Max-Age=3"), std::string::npos)
        << in.header("Set-Cookie");
    Caller c;
    c.cookie = in.header("Set-Cookie").substr(0, in.header("Set-Cookie").find(';'));
    // Used every 200 ms, so never idle; it still ends 3 s after sign-in, not before.
    int answered = 0;
    Reply r;
    auto ended = after;
    while (std::chrono::steady_clock::now() - after < 10s) {
        r = fx.call("GET", "/api/v1/session", &c);
        if (r.status != 200) {
            ended = std::chrono::steady_clock::now();  // the refusal was decided before this
            break;
        }
        ++answered;
        std::this_thread::sleep_for(200ms);
    }
    EXPECT_GE(answered, 1);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.code(), "auth.session_expired");
    // Not ended early: sessions keep whole Unix seconds, so 3 s is at least 2 s of the clock.
    EXPECT_GE(ended - before, 2s);
    EXPECT_LT(ended - after, 3s + 2s);  // and ended near its limit
}

TEST(SignIn, AStateChangingRequestWithoutTheCsrfTokenIsRefusedAndChangesNothing) {
    ServerFixture fx;
    Caller c = fx.sign_in("officer");
    Reply none = fx.call("POST", "/api/v1/tokens", &c, json{{"name", "script"}}, false);
    EXPECT_EQ(none.status, 403) << none.raw;
    EXPECT_EQ(none.code(), "server.csrf");
    Caller wrong = c;
    wrong.csrf = std::string(c.csrf.size(), 'A');
    Reply bad = fx.call("POST", "/api/v1/tokens", &wrong, json{{"name", "script"}});
    EXPECT_EQ(bad.status, 403);
    EXPECT_EQ(bad.code(), "server.csrf");
    Reply signout = fx.call("DELETE", "/api/v1/session", &c, nullptr, false);
    EXPECT_EQ(signout.status, 403);
    EXPECT_EQ(fx.call("GET", "/api/v1/tokens", &c).body["items"].size(), 0u);
    EXPECT_EQ(fx.call("GET", "/api/v1/session", &c).status, 200);  // still signed in
    Reply good = fx.call("POST", "/api/v1/tokens", &c, json{{"name", "script"}});
    EXPECT_EQ(good.status, 201) << good.raw;
}

TEST(SignIn, ARevokedApiTokenIsRefusedAndOnlyItsOwnerRevokesIt) {
    ServerFixture fx;
    Caller officer = fx.sign_in("officer");
    Reply made = fx.call("POST", "/api/v1/tokens", &officer, json{{"name", "nightly"}});
    ASSERT_EQ(made.status, 201) << made.raw;
    Caller script;
    script.bearer = made.body["token"];
    EXPECT_EQ(fx.call("GET", "/api/v1/session", &script).status, 200);
    const std::string path = "/api/v1/tokens/" + made.body["id"].dump();
    Caller head = fx.sign_in("head");
    EXPECT_GE(fx.call("DELETE", path, &head).status, 403);
    EXPECT_EQ(fx.call("GET", "/api/v1/session", &script).status, 200);
    EXPECT_EQ(fx.call("DELETE", path, &officer).status, 204);
    Reply after = fx.call("GET", "/api/v1/session", &script);
    EXPECT_EQ(after.status, 401);
    Reply listed = fx.call("GET", "/api/v1/tokens", &officer);
    ASSERT_EQ(listed.body["items"].size(), 1u);
    EXPECT_FALSE(listed.body["items"][0]["revoked_at"].is_null());
}

}  // namespace

}  // namespace kyso::server::test

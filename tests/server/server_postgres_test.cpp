// Two real `kyso serve` processes (the built binary) on one PostgreSQL database work together
// (issue 13): a session made on one is used on the other, concurrent approvals of the same
// requests move each request once, concurrent corrections of one record: one wins, the other
// gets 412. Skipped without KYSO_TEST_PG (scripts/pg-test-server.sh start).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <cstdint>
#include <fstream>
#include <future>
#include <string>
#include <vector>

#include "server_harness.h"
#include "store/audit_key.h"
#include "store/pg_scratch.h"

namespace kyso::server::test {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct Answer {
    int status = 0;
    std::string body;
    std::string etag;
};

// One request to the server on `port`, as `who` (cookie and CSRF token).
Answer ask(int port, const std::string& method, const std::string& path, const Caller& who,
           const json& body = nullptr, const httplib::Headers& extra = {}) {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(30, 0);
    httplib::Headers h = extra;
    if (!who.cookie.empty()) h.emplace("Cookie", who.cookie);
    if (!who.csrf.empty()) h.emplace("X-CSRF-Token", who.csrf);
    const std::string text = body.is_null() ? std::string() : body.dump();
    httplib::Result r = method == "GET"     ? c.Get(path, h)
                        : method == "PATCH" ? c.Patch(path, h, text, "application/json")
                                            : c.Post(path, h, text, "application/json");
    if (!r) return {};
    return {r->status, r->body, r->get_header_value("ETag")};
}

Caller sign_in(int port, const std::string& username) {
    httplib::Client c("127.0.0.1", port);
    auto r = c.Post("/api/v1/session", json{{"username", username}, {"password", kPassword}}.dump(),
                    "application/json");
    Caller who;
    who.username = username;
    EXPECT_TRUE(r);
    if (!r) return who;
    EXPECT_EQ(r->status, 201) << r->body;
    const std::string set = r->get_header_value("Set-Cookie");
    who.cookie = set.substr(0, set.find(';'));
    const json j = json::parse(r->body, nullptr, false);
    if (j.is_object() && j.contains("csrf_token")) who.csrf = j["csrf_token"];
    return who;
}

class TwoServers : public ::testing::Test {
protected:
    void SetUp() override {
        if (test_pg_server().empty())
            GTEST_SKIP() << "PostgreSQL case skipped: set KYSO_TEST_PG to a libpq connection "
                            "string (scripts/pg-test-server.sh start prints one)";
        dir_ = fs::temp_directory_path() / ("kyso-two-servers-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "a");
        fs::create_directories(dir_ / "b");
        database_.emplace(test_pg_server());
        // Both servers (and the filling here) use one audit key file, as docs/postgresql.md
        // asks of the servers of one database.
        const std::string key = (dir_ / "audit.key").string();
        ::setenv("KYSO_AUDIT_KEY", key.c_str(), 1);
        store::set_audit_key_file(key);
        fixture_ = fill_database(database_->location(), 60);
        // Few workers: each holds its own connections (five), and the test server takes 200.
        const fs::path config = dir_ / "kyso.toml";
        std::ofstream(config) << "db = \"" << database_->location()
                              << "\"\nlisten = \"127.0.0.1:0\"\nthreads = 4\n";
        const std::vector<std::string> args{"--config", config.string()};
        a_.emplace(dir_ / "a", args);
        b_.emplace(dir_ / "b", args);
        port_a_ = a_->port();
        port_b_ = b_->port();
        ASSERT_GT(port_a_, 0) << a_->err();
        ASSERT_GT(port_b_, 0) << b_->err();
    }
    void TearDown() override {
        if (a_) {
            EXPECT_EQ(a_->terminate(), 0) << a_->err();
        }
        if (b_) {
            EXPECT_EQ(b_->terminate(), 0) << b_->err();
        }
        a_.reset();
        b_.reset();
        store::set_audit_key_file("");
        ::unsetenv("KYSO_AUDIT_KEY");
        database_.reset();
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    fs::path dir_;
    std::optional<store_test::ScratchDatabase> database_;
    Fixture fixture_;
    std::optional<ServeProcess> a_, b_;
    int port_a_ = 0, port_b_ = 0;
};

TEST_F(TwoServers, ASessionMadeOnOneServerIsUsedOnTheOther) {
    const Caller officer = sign_in(port_a_, "officer");
    ASSERT_FALSE(officer.cookie.empty());
    const Answer me = ask(port_b_, "GET", "/api/v1/session", officer);
    EXPECT_EQ(me.status, 200) << me.body;
    // A state-changing call on B with the session and CSRF token made on A.
    const Answer made = ask(port_b_, "POST", "/api/v1/requests", officer,
                            json{{"kind", "renew"}, {"certificate", fixture_.serial}});
    EXPECT_EQ(made.status, 201) << made.body;
    // Signed out on B: refused on A too.
    httplib::Client cb("127.0.0.1", port_b_);
    auto del =
        cb.Delete("/api/v1/session", {{"Cookie", officer.cookie}, {"X-CSRF-Token", officer.csrf}});
    ASSERT_TRUE(del);
    EXPECT_LT(del->status, 300) << del->body;
    EXPECT_EQ(ask(port_a_, "GET", "/api/v1/session", officer).status, 401);
}

TEST_F(TwoServers, ConcurrentApprovalsMoveEachRequestOnce) {
    const Caller officer = sign_in(port_a_, "officer");
    const Caller head_a = sign_in(port_a_, "head");
    const Caller head_b = sign_in(port_b_, "head2");
    constexpr int kRequests = 12;
    std::vector<std::int64_t> ids;
    for (int i = 0; i < kRequests; ++i) {
        const Answer r = ask(i % 2 ? port_a_ : port_b_, "POST", "/api/v1/requests", officer,
                             json{{"kind", "renew"}, {"certificate", fixture_.serial}});
        ASSERT_EQ(r.status, 201) << r.body;
        ids.push_back(json::parse(r.body)["id"].get<std::int64_t>());
    }
    const Answer v = ask(port_a_, "POST", "/api/v1/requests/validate", officer, json{{"ids", ids}});
    ASSERT_EQ(v.status, 200) << v.body;
    // Both heads approve every request at the same time, one through each server.
    auto approve_all = [&](int port, const Caller& head) {
        std::vector<int> statuses;
        for (const std::int64_t id : ids) {
            statuses.push_back(ask(port, "POST",
                                   "/api/v1/requests/" + std::to_string(id) + "/approve", head,
                                   json::object())
                                   .status);
        }
        return statuses;
    };
    auto fa = std::async(std::launch::async, approve_all, port_a_, head_a);
    auto fb = std::async(std::launch::async, approve_all, port_b_, head_b);
    const std::vector<int> sa = fa.get(), sb = fb.get();
    for (std::size_t i = 0; i < ids.size(); ++i) {
        // Exactly one approval went through; the other was refused: the request moved (409),
        // or, once it is approved, a head may not approve it (403).
        EXPECT_EQ((sa[i] == 200) + (sb[i] == 200), 1)
            << "request " << ids[i] << ": " << sa[i] << " / " << sb[i];
        const int refused = sa[i] == 200 ? sb[i] : sa[i];
        EXPECT_TRUE(refused == 409 || refused == 403) << "request " << ids[i] << ": " << refused;
        const Answer got =
            ask(port_b_, "GET", "/api/v1/requests/" + std::to_string(ids[i]), head_b);
        ASSERT_EQ(got.status, 200) << got.body;
        const json j = json::parse(got.body);
        EXPECT_EQ(j["state"], "approved");
        int approvals = 0;
        for (const json& t : j["transitions"])
            approvals += t.dump().find("approved") != std::string::npos;
        EXPECT_EQ(approvals, 1) << got.body;
    }
    // The audit chain stays one chain: verified through either server.
    const Caller auditor = sign_in(port_a_, "auditor");
    const Answer verify = ask(port_b_, "GET", "/api/v1/audit/verify", auditor);
    EXPECT_EQ(verify.status, 200) << verify.body;
}

TEST_F(TwoServers, ConcurrentCorrectionsOfOneRecordOneWinsTheOtherGets412) {
    const Caller admin_a = sign_in(port_a_, "admin");
    const Caller admin_b = sign_in(port_b_, "admin");
    const std::string path = "/api/v1/people/" + fixture_.person;
    for (int round = 0; round < 5; ++round) {
        const Answer read = ask(port_a_, "GET", path, admin_a);
        ASSERT_EQ(read.status, 200) << read.body;
        ASSERT_FALSE(read.etag.empty());
        auto patch = [&](int port, const Caller& who, const std::string& email) {
            return ask(port, "PATCH", path, who, json{{"email", email}, {"reason", "sửa email"}},
                       {{"If-Match", read.etag}});
        };
        const std::string ea = "a" + std::to_string(round) + "@stc.gov.vn";
        const std::string eb = "b" + std::to_string(round) + "@stc.gov.vn";
        auto fa = std::async(std::launch::async, patch, port_a_, admin_a, ea);
        auto fb = std::async(std::launch::async, patch, port_b_, admin_b, eb);
        const Answer ra = fa.get(), rb = fb.get();
        EXPECT_EQ((ra.status == 200) + (rb.status == 200), 1) << ra.body << " / " << rb.body;
        const Answer& loser = ra.status == 200 ? rb : ra;
        EXPECT_EQ(loser.status, 412) << loser.body;
        EXPECT_NE(loser.body.find("store.etag_mismatch"), std::string::npos) << loser.body;
        // Both servers read the winner's value.
        const std::string winner = ra.status == 200 ? ea : eb;
        const Answer now_a = ask(port_a_, "GET", path, admin_a);
        const Answer now_b = ask(port_b_, "GET", path, admin_b);
        EXPECT_EQ(json::parse(now_a.body)["email"], winner);
        EXPECT_EQ(json::parse(now_b.body)["email"], winner);
        EXPECT_EQ(now_a.etag, now_b.etag);
    }
}

}  // namespace

}  // namespace kyso::server::test

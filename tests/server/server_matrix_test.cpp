// The role × route matrix, generated from the one route table (server/route.h): every route
// refuses every role it does not list with 403 and changes nothing; a route that lists no role
// and is not public is refused to all; nobody reaches a non-public route without signing in;
// every state-changing route refuses a cookie session without its CSRF token.
#include <gtest/gtest.h>

#include "server/route.h"
#include "server_harness.h"

namespace kyso::server::test {

namespace {

using nlohmann::json;

const std::vector<std::pair<std::string, Role>> kRoleUsers = {
    {"officer", Role::unit_officer}, {"head", Role::unit_head}, {"dost", Role::dost_operator},
    {"ca", Role::ca_operator},       {"auditor", Role::auditor}, {"admin", Role::admin}};

// The route's path with its example parameters ({id} → 1 when none given).
std::string example_path(const Route& r) {
    std::string p = r.path;
    std::size_t at;
    while ((at = p.find('{')) != std::string::npos) {
        const std::size_t end = p.find('}', at);
        const std::string name = p.substr(at + 1, end - at - 1);
        const auto it = r.example_path.find(name);
        p.replace(at, end - at + 1, it != r.example_path.end() ? it->second : "1");
    }
    return p;
}

json example_body(const Route& r) {
    if (!r.example_body.is_null()) return r.example_body;
    if (!r.request_schema.is_null()) return json::object();
    return nullptr;
}

class RouteMatrix : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        fx_ = new ServerFixture();
        for (const auto& [name, role] : kRoleUsers) callers_[name] = fx_->sign_in(name);
    }
    static void TearDownTestSuite() {
        delete fx_;
        fx_ = nullptr;
    }
    static ServerFixture* fx_;
    static std::map<std::string, Caller> callers_;
};

ServerFixture* RouteMatrix::fx_ = nullptr;
std::map<std::string, Caller> RouteMatrix::callers_;

TEST_F(RouteMatrix, EveryRoleARouteDoesNotListIsRefusedWith403AndNothingChanges) {
    std::size_t checked = 0;
    for (const Route& r : route_table().routes()) {
        if (r.is_public) continue;
        for (const auto& [name, role] : kRoleUsers) {
            if (r.allows(role)) continue;
            const std::string before = fx_->snapshot();
            const Reply reply = fx_->call(std::string(to_string(r.method)), example_path(r),
                                          &callers_[name], example_body(r));
            EXPECT_EQ(reply.status, 403) << name << " " << to_string(r.method) << " " << r.path
                                         << ": " << reply.raw;
            EXPECT_EQ(reply.code(), "server.forbidden") << r.path;
            EXPECT_EQ(fx_->snapshot(), before) << name << " changed something via " << r.path;
            ++checked;
        }
    }
    EXPECT_GT(checked, 20u);  // the table has routes closed to some roles
}

TEST_F(RouteMatrix, EveryNonPublicRouteNeedsASignIn) {
    for (const Route& r : route_table().routes()) {
        if (r.is_public) continue;
        const std::string before = fx_->snapshot();
        const Reply reply =
            fx_->call(std::string(to_string(r.method)), example_path(r), nullptr, example_body(r));
        EXPECT_EQ(reply.status, 401) << to_string(r.method) << " " << r.path << ": " << reply.raw;
        EXPECT_EQ(reply.code(), "server.sign_in_needed") << r.path;
        EXPECT_EQ(fx_->snapshot(), before) << r.path;
    }
}

TEST_F(RouteMatrix, EveryStateChangingRouteRefusesACookieSessionWithoutItsCsrfToken) {
    std::size_t checked = 0;
    for (const Route& r : route_table().routes()) {
        if (r.is_public || !r.changes_state) continue;
        for (const auto& [name, role] : kRoleUsers) {
            if (!r.allows(role)) continue;
            const std::string before = fx_->snapshot();
            const Reply reply = fx_->call(std::string(to_string(r.method)), example_path(r),
                                          &callers_[name], example_body(r), /*csrf=*/false);
            EXPECT_EQ(reply.status, 403) << name << " " << r.path << ": " << reply.raw;
            EXPECT_EQ(reply.code(), "server.csrf") << r.path;
            EXPECT_EQ(reply.field(), "X-CSRF-Token") << r.path;
            EXPECT_EQ(fx_->snapshot(), before) << r.path;
            ++checked;
            break;  // one allowed role per route is enough: the check comes before the handler
        }
    }
    EXPECT_GT(checked, 10u);
}

TEST(RouteTable, DeniesByDefaultAndOnlyTheNamedRoutesArePublic) {
    const std::set<std::string> public_routes = {"GET /healthz", "GET /readyz", "GET /metrics",
                                                 "POST /api/v1/session",
                                                 "POST /api/v1/session/certificate",
                                                 "GET /api/openapi.json"};
    for (const Route& r : route_table().routes()) {
        const std::string key = std::string(to_string(r.method)) + " " + r.path;
        EXPECT_EQ(r.is_public, public_routes.count(key) == 1) << key;
        if (!r.is_public) {
            EXPECT_FALSE(r.roles.empty()) << key << " would be unreachable";
        }
        if (r.method != Method::get && !r.is_public) {
            EXPECT_TRUE(r.changes_state) << key;
        }
        EXPECT_FALSE(r.summary.empty()) << key;
        EXPECT_TRUE(r.handler) << key;
    }
}

TEST(RouteTable, TheAuditorOnlyReads) {
    for (const Route& r : route_table().routes()) {
        if (r.changes_state && r.path != "/api/v1/session" &&
            r.path.rfind("/api/v1/tokens", 0) != 0 && r.path != "/api/v1/session/password") {
            EXPECT_FALSE(r.allows(Role::auditor)) << to_string(r.method) << " " << r.path;
        }
    }
}

}  // namespace

}  // namespace kyso::server::test

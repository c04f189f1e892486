// The API routes of kyso serve, each with its success and its validation errors (4xx with a
// Vietnamese message naming the field), against a real server on 127.0.0.1.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "server_harness.h"

namespace kyso::server::test {

namespace {

using nlohmann::json;

class Api : public ::testing::Test {
protected:
    void SetUp() override { fx_ = std::make_unique<ServerFixture>(); }
    std::unique_ptr<ServerFixture> fx_;

    // A renewal request of the fixture's certificate made by the officer; its id.
    std::int64_t add_renewal(const Caller& officer) {
        Reply r = fx_->call("POST", "/api/v1/requests", &officer,
                            json{{"kind", "renew"}, {"certificate", fx_->serial()}});
        EXPECT_EQ(r.status, 201) << r.raw;
        return r.body.value("id", std::int64_t{0});
    }
};

TEST_F(Api, HealthAndReadinessAnswerWithoutSignIn) {
    EXPECT_EQ(fx_->call("GET", "/healthz").status, 200);
    Reply ready = fx_->call("GET", "/readyz");
    EXPECT_EQ(ready.status, 200) << ready.raw;
    EXPECT_EQ(ready.body["status"], "ready");
    EXPECT_GT(ready.body["schema_version"].get<int>(), 0);
}

TEST_F(Api, MetricsCountRequestsByRouteAndStatus) {
    fx_->call("GET", "/healthz");
    fx_->call("GET", "/api/v1/requests");  // 401
    Reply m = fx_->call("GET", "/metrics");
    ASSERT_EQ(m.status, 200);
    EXPECT_NE(
        m.raw.find("kyso_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1"),
        std::string::npos)
        << m.raw;
    EXPECT_NE(m.raw.find("route=\"/api/v1/requests\",method=\"GET\",status=\"401\""),
              std::string::npos);
    EXPECT_NE(
        m.raw.find("kyso_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 1"),
        std::string::npos);
}

TEST_F(Api, OpenApiDocumentListsEveryRoute) {
    Reply doc = fx_->call("GET", "/api/openapi.json");
    ASSERT_EQ(doc.status, 200);
    EXPECT_EQ(doc.body["openapi"], "3.1.0");
    EXPECT_TRUE(doc.body["paths"].contains("/api/v1/requests/{id}/approve"));
    EXPECT_EQ(doc.body["paths"]["/api/v1/requests/{id}/approve"]["post"]["x-kyso-roles"],
              json::array({"unit_head"}));
    // For the node check (tests.cmake): the document as served.
    if (const char* out = std::getenv("KYSO_OPENAPI_OUT")) std::ofstream(out) << doc.raw;
}

TEST_F(Api, SignInSetsAStrictHttpOnlyCookieAndGivesTheCsrfToken) {
    Reply r = fx_->call("POST", "/api/v1/session", nullptr,
                        json{{"username", "officer"}, {"password", kPassword}});
    ASSERT_EQ(r.status, 201) << r.raw;
    const std::string cookie = r.header("Set-Cookie");
    EXPECT_EQ(cookie.rfind("kyso_session=", 0), 0u);
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_NE(cookie.find("Path=/"), std::string::npos);
    EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain HTTP here
    EXPECT_EQ(r.body["user"]["username"], "officer");
    EXPECT_FALSE(r.body["csrf_token"].get<std::string>().empty());

    Caller c;
    c.cookie = cookie.substr(0, cookie.find(';'));
    Reply me = fx_->call("GET", "/api/v1/session", &c);
    ASSERT_EQ(me.status, 200);
    EXPECT_EQ(me.body["user"]["role"], "unit_officer");
    EXPECT_EQ(me.body["csrf_token"], r.body["csrf_token"]);
}

TEST_F(Api, WrongPasswordIsRefusedWithoutSayingWhichPartWasWrong) {
    Reply bad = fx_->call("POST", "/api/v1/session", nullptr,
                          json{{"username", "officer"}, {"password", "sai mật khẩu rồi"}});
    EXPECT_EQ(bad.status, 401);
    EXPECT_EQ(bad.code(), "auth.failed");
    Reply nobody = fx_->call("POST", "/api/v1/session", nullptr,
                             json{{"username", "khong-co-ai"}, {"password", "sai mật khẩu rồi"}});
    EXPECT_EQ(nobody.status, 401);
    EXPECT_EQ(nobody.code(), bad.code());
}

TEST_F(Api, SignInNamesTheMissingFieldInVietnameseOrEnglish) {
    Reply r = fx_->call("POST", "/api/v1/session", nullptr, json{{"username", "officer"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.code(), "server.field_missing");
    EXPECT_EQ(r.field(), "password");
    EXPECT_EQ(r.body["error"]["message"], "thiếu trường \"password\"");
    Reply en = fx_->call("POST", "/api/v1/session", nullptr, json{{"username", "officer"}}, true,
                         {{"Accept-Language", "en-GB,vi;q=0.5"}});
    EXPECT_EQ(en.body["error"]["message"], "field \"password\" is missing");
    Reply typed =
        fx_->call("POST", "/api/v1/session", nullptr, json{{"username", 5}, {"password", "x"}});
    EXPECT_EQ(typed.status, 400);
    EXPECT_EQ(typed.field(), "username");
    Reply extra = fx_->call("POST", "/api/v1/session", nullptr,
                            json{{"username", "a"}, {"password", "x"}, {"admin", true}});
    EXPECT_EQ(extra.status, 400);
    EXPECT_EQ(extra.code(), "server.field_unknown");
    EXPECT_EQ(extra.field(), "admin");
}

TEST_F(Api, SignOutEndsTheSession) {
    Caller c = fx_->sign_in("officer");
    Reply out = fx_->call("DELETE", "/api/v1/session", &c);
    EXPECT_EQ(out.status, 204) << out.raw;
    Reply after = fx_->call("GET", "/api/v1/session", &c);
    EXPECT_EQ(after.status, 401);
    EXPECT_EQ(after.code(), "auth.session_expired");
}

TEST_F(Api, PasswordChangeNeedsTheOldPasswordAndAGoodNewOne) {
    Caller c = fx_->sign_in("officer");
    Reply wrong =
        fx_->call("PUT", "/api/v1/session/password", &c,
                  json{{"old_password", "không đúng đâu"}, {"new_password", "mới đủ dài 2027"}});
    EXPECT_EQ(wrong.status, 400) << wrong.raw;
    EXPECT_EQ(wrong.field(), "old_password");
    Reply weak = fx_->call("PUT", "/api/v1/session/password", &c,
                           json{{"old_password", kPassword}, {"new_password", "ngắn"}});
    EXPECT_EQ(weak.status, 400) << weak.raw;
    EXPECT_EQ(weak.field(), "new_password");
    Reply ok = fx_->call("PUT", "/api/v1/session/password", &c,
                         json{{"old_password", kPassword}, {"new_password", "mới đủ dài 2027"}});
    EXPECT_EQ(ok.status, 204) << ok.raw;
    Reply again = fx_->call("POST", "/api/v1/session", nullptr,
                            json{{"username", "officer"}, {"password", "mới đủ dài 2027"}});
    EXPECT_EQ(again.status, 201);
}

TEST_F(Api, ApiTokensAreShownOnceWorkWithoutCsrfAndStopWhenRevoked) {
    Caller c = fx_->sign_in("officer");
    Reply made = fx_->call("POST", "/api/v1/tokens", &c, json{{"name", "nhập hằng đêm"}});
    ASSERT_EQ(made.status, 201) << made.raw;
    const std::string token = made.body["token"];
    EXPECT_EQ(token.rfind("kyso_", 0), 0u);
    Reply listed = fx_->call("GET", "/api/v1/tokens", &c);
    ASSERT_EQ(listed.status, 200);
    EXPECT_EQ(listed.body["items"].size(), 1u);
    EXPECT_EQ(listed.raw.find(token), std::string::npos);  // never shown again

    Caller script;
    script.bearer = token;
    EXPECT_EQ(fx_->call("GET", "/api/v1/session", &script).status, 200);
    // A token is no cookie: a state-changing call needs no CSRF token.
    Reply added = fx_->call("POST", "/api/v1/requests", &script,
                            json{{"kind", "renew"}, {"certificate", fx_->serial()}});
    EXPECT_EQ(added.status, 201) << added.raw;

    const std::string id = std::to_string(made.body["id"].get<std::int64_t>());
    EXPECT_EQ(fx_->call("DELETE", "/api/v1/tokens/" + id, &c).status, 204);
    Reply refused = fx_->call("GET", "/api/v1/session", &script);
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(refused.code(), "auth.token_invalid");
    Reply empty = fx_->call("POST", "/api/v1/tokens", &c, json{{"name", ""}});
    EXPECT_EQ(empty.status, 400);
    EXPECT_EQ(empty.field(), "name");
}

TEST_F(Api, ARequestGoesFromDraftToForwardedThroughTheRolesThatMayMoveIt) {
    Caller officer = fx_->sign_in("officer");
    Caller head = fx_->sign_in("head");
    Caller dost = fx_->sign_in("dost");
    const std::int64_t id = add_renewal(officer);
    ASSERT_GT(id, 0);
    const std::string path = "/api/v1/requests/" + std::to_string(id);

    Reply v = fx_->call("POST", "/api/v1/requests/validate", &officer, json{{"ids", {id}}});
    ASSERT_EQ(v.status, 200) << v.raw;
    ASSERT_EQ(v.body["validated"], json::array({id})) << v.raw;

    Reply got = fx_->call("GET", path, &head);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.body["state"], "validated");
    const std::string etag = got.header("ETag");
    ASSERT_FALSE(etag.empty());

    // The officer may not approve (the head does); nothing moves.
    Reply own = fx_->call("POST", path + "/approve", &officer, json::object());
    EXPECT_EQ(own.status, 403);

    Reply approved = fx_->call("POST", path + "/approve", &head, json{{"comment", "đồng ý"}}, true,
                               {{"If-Match", etag}});
    ASSERT_EQ(approved.status, 200) << approved.raw;
    EXPECT_EQ(approved.body["state"], "approved");
    EXPECT_NE(approved.header("ETag"), etag);
    EXPECT_EQ(approved.body["transitions"].size(), 2u);

    // The ETag read before the approval is stale now: 412, nothing moves.
    Reply stale = fx_->call("POST", path + "/reject", &head, json{{"comment", "sai"}}, true,
                            {{"If-Match", etag}});
    EXPECT_EQ(stale.status, 412) << stale.raw;
    EXPECT_EQ(stale.field(), "If-Match");
    EXPECT_EQ(fx_->call("GET", path, &head).body["state"], "approved");

    Reply submitted =
        fx_->call("POST", "/api/v1/requests/bulk/submit", &officer, json{{"ids", {id}}});
    ASSERT_EQ(submitted.status, 200) << submitted.raw;
    EXPECT_EQ(submitted.body["items"][0]["state"], "submitted");
    Reply forwarded = fx_->call("POST", path + "/forward", &dost, json::object());
    ASSERT_EQ(forwarded.status, 200) << forwarded.raw;
    EXPECT_EQ(forwarded.body["state"], "forwarded");
}

TEST_F(Api, RejectionNeedsAReason) {
    Caller officer = fx_->sign_in("officer");
    Caller head = fx_->sign_in("head");
    const std::int64_t id = add_renewal(officer);
    const std::string path = "/api/v1/requests/" + std::to_string(id) + "/reject";
    Reply none = fx_->call("POST", path, &head, json::object());
    EXPECT_EQ(none.status, 400) << none.raw;
    EXPECT_EQ(none.field(), "comment");
    Reply ok = fx_->call("POST", path, &head, json{{"comment", "hồ sơ thiếu"}});
    EXPECT_EQ(ok.status, 200) << ok.raw;
    EXPECT_EQ(ok.body["state"], "rejected");
    EXPECT_EQ(ok.body["reject_reason"], "hồ sơ thiếu");
}

TEST_F(Api, AddRequestErrorsNameTheField) {
    Caller officer = fx_->sign_in("officer");
    Reply kind = fx_->call("POST", "/api/v1/requests", &officer, json{{"kind", "nope"}});
    EXPECT_EQ(kind.status, 400);
    EXPECT_EQ(kind.code(), "server.field_value");
    EXPECT_EQ(kind.field(), "kind");
    Reply missing = fx_->call("POST", "/api/v1/requests", &officer, json::object());
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(missing.field(), "kind");
    Reply holder = fx_->call("POST", "/api/v1/requests", &officer,
                             json{{"kind", "issue"}, {"holder_type", "robot"}, {"holder_id", "x"}});
    EXPECT_EQ(holder.status, 400);
    EXPECT_EQ(holder.field(), "holder_type");
    Reply unknown = fx_->call("POST", "/api/v1/requests", &officer,
                              json{{"kind", "renew"}, {"certificate", "ABCDEF0123"}});
    EXPECT_GE(unknown.status, 400);
    EXPECT_LT(unknown.status, 500);
    EXPECT_FALSE(unknown.body["error"]["message"].get<std::string>().empty());
}

TEST_F(Api, ListsShowOnlyTheUsersSubtreeAndBoundThePage) {
    Caller officer = fx_->sign_in("officer");
    Caller outsider = fx_->sign_in("outsider");
    Caller auditor = fx_->sign_in("auditor");
    const std::int64_t id = add_renewal(officer);
    Reply mine = fx_->call("GET", "/api/v1/requests?state=draft", &officer);
    ASSERT_EQ(mine.status, 200) << mine.raw;
    EXPECT_EQ(mine.body["total"], 1);
    EXPECT_EQ(fx_->call("GET", "/api/v1/requests", &outsider).body["total"], 0);
    EXPECT_EQ(fx_->call("GET", "/api/v1/requests", &auditor).body["total"], 1);
    // Another subtree's request is answered as one that does not exist: its id cannot be
    // probed (the same 404 and code as for an id no one has).
    Reply theirs = fx_->call("GET", "/api/v1/requests/" + std::to_string(id), &outsider);
    EXPECT_EQ(theirs.status, 404) << theirs.raw;
    EXPECT_EQ(theirs.code(), "request.unknown");
    EXPECT_EQ(fx_->call("GET", "/api/v1/requests/999999", &outsider).code(), "request.unknown");
    Reply big = fx_->call("GET", "/api/v1/requests?size=100000", &officer);
    EXPECT_EQ(big.status, 400);
    EXPECT_EQ(big.field(), "size");
    Reply state = fx_->call("GET", "/api/v1/requests?state=xyz", &officer);
    EXPECT_EQ(state.status, 400);
    EXPECT_EQ(state.field(), "state");
    Reply none = fx_->call("GET", "/api/v1/requests/999999", &officer);
    EXPECT_EQ(none.status, 404);
    Reply bad_id = fx_->call("GET", "/api/v1/requests/abc", &officer);
    EXPECT_EQ(bad_id.status, 400);
    EXPECT_EQ(bad_id.field(), "id");
}

TEST_F(Api, ApprovingADraftIsAConflictOfStateNotARefusal) {
    Caller officer = fx_->sign_in("officer");
    Caller head = fx_->sign_in("head");
    const std::int64_t id = add_renewal(officer);
    const std::string before = fx_->snapshot();
    Reply r = fx_->call("POST", "/api/v1/requests/" + std::to_string(id) + "/approve", &head,
                        json::object());
    EXPECT_EQ(r.status, 409) << r.raw;
    EXPECT_EQ(r.code(), "request.wrong_state");
    const std::string vi = r.body["error"]["message"].get<std::string>();
    EXPECT_NE(vi.find("yêu cầu đang ở trạng thái"), std::string::npos) << vi;
    EXPECT_NE(vi.find("quy trình không có bước"), std::string::npos) << vi;
    Reply bulk = fx_->call("POST", "/api/v1/requests/bulk/approve", &head, json{{"ids", {id}}});
    EXPECT_EQ(bulk.status, 409) << bulk.raw;
    EXPECT_EQ(fx_->snapshot(), before);
}

TEST_F(Api, AnOutsiderCannotMoveAnotherSubtreesRequest) {
    Caller officer = fx_->sign_in("officer");
    Caller outsider = fx_->sign_in("outsider");
    const std::int64_t id = add_renewal(officer);
    const std::string before = fx_->snapshot();
    Reply r = fx_->call("POST", "/api/v1/requests/bulk/submit", &outsider, json{{"ids", {id}}});
    EXPECT_EQ(r.status, 404) << r.raw;
    EXPECT_EQ(r.field(), "ids");
    // Validation too: the id is unknown to them (404, as an id that does not exist).
    Reply v = fx_->call("POST", "/api/v1/requests/validate", &outsider, json{{"ids", {id}}});
    EXPECT_EQ(v.status, 404) << v.raw;
    EXPECT_EQ(v.code(), "request.unknown");
    EXPECT_EQ(v.field(), "ids");
    EXPECT_EQ(fx_->snapshot(), before);
}

}  // namespace

}  // namespace kyso::server::test

// The routes of users, batches, custody, audit, plan and check: each with its success and its
// validation errors (4xx naming the field), against a real server on 127.0.0.1.
#include <gtest/gtest.h>

#include "server_harness.h"

namespace kyso::server::test {

namespace {

using nlohmann::json;

class Routes : public ::testing::Test {
protected:
    void SetUp() override { fx_ = std::make_unique<ServerFixture>(); }
    std::unique_ptr<ServerFixture> fx_;

    // A renewal of the fixture's certificate taken to `approved`; its id.
    std::int64_t approved_renewal(const Caller& officer, const Caller& head) {
        Reply r = fx_->call("POST", "/api/v1/requests", &officer,
                            json{{"kind", "renew"}, {"certificate", fx_->serial()}});
        EXPECT_EQ(r.status, 201) << r.raw;
        const std::int64_t id = r.body.value("id", std::int64_t{0});
        EXPECT_EQ(fx_->call("POST", "/api/v1/requests/validate", &officer, json{{"ids", {id}}})
                      .body["validated"],
                  json::array({id}));
        Reply a = fx_->call("POST", "/api/v1/requests/bulk/approve", &head, json{{"ids", {id}}});
        EXPECT_EQ(a.status, 200) << a.raw;
        return id;
    }
};

TEST_F(Routes, AdminListsAddsAndChangesUsers) {
    Caller admin = fx_->sign_in("admin");
    Reply l = fx_->call("GET", "/api/v1/users?size=3", &admin);
    ASSERT_EQ(l.status, 200) << l.raw;
    EXPECT_EQ(l.body["total"], 8);
    EXPECT_EQ(l.body["items"].size(), 3u);

    Reply added = fx_->call("POST", "/api/v1/users", &admin,
                            json{{"username", "can.bo.moi"},
                                 {"full_name", "Nguyễn Văn Mới"},
                                 {"role", "unit_officer"},
                                 {"org_id", fx_->org()},
                                 {"password", kPassword}});
    ASSERT_EQ(added.status, 201) << added.raw;
    EXPECT_EQ(added.body["org_id"], fx_->org());
    Reply role =
        fx_->call("PUT", "/api/v1/users/can.bo.moi/role", &admin, json{{"role", "unit_head"}});
    ASSERT_EQ(role.status, 200) << role.raw;
    EXPECT_EQ(role.body["role"], "unit_head");
    Reply scope =
        fx_->call("PUT", "/api/v1/users/can.bo.moi/scope", &admin, json{{"org_id", fx_->org()}});
    EXPECT_EQ(scope.status, 200) << scope.raw;
    Reply off = fx_->call("POST", "/api/v1/users/can.bo.moi/disable", &admin);
    ASSERT_EQ(off.status, 200) << off.raw;
    EXPECT_EQ(off.body["disabled"], true);
    Reply refused = fx_->call("POST", "/api/v1/session", nullptr,
                              json{{"username", "can.bo.moi"}, {"password", kPassword}});
    EXPECT_EQ(refused.status, 401);
    Reply on = fx_->call("POST", "/api/v1/users/can.bo.moi/enable", &admin);
    EXPECT_EQ(on.body["disabled"], false);
    Reply pw = fx_->call("PUT", "/api/v1/users/can.bo.moi/password", &admin,
                         json{{"password", "một mật khẩu khác 2026"}});
    EXPECT_EQ(pw.status, 200) << pw.raw;
    Reply link = fx_->call("PUT", "/api/v1/users/can.bo.moi/person", &admin,
                           json{{"person_id", fx_->person()}});
    EXPECT_EQ(link.status, 200) << link.raw;
    EXPECT_EQ(link.body["person_id"], fx_->person());
}

TEST_F(Routes, UserChangesNameTheFieldAtFault) {
    Caller admin = fx_->sign_in("admin");
    Reply name = fx_->call("POST", "/api/v1/users", &admin,
                           json{{"username", "Có Dấu"},
                                {"full_name", "x"},
                                {"role", "auditor"},
                                {"scope_all", true},
                                {"password", kPassword}});
    EXPECT_EQ(name.status, 400) << name.raw;
    EXPECT_EQ(name.field(), "username");
    Reply weak = fx_->call("POST", "/api/v1/users", &admin,
                           json{{"username", "nguoi.moi"},
                                {"full_name", "x"},
                                {"role", "auditor"},
                                {"scope_all", true},
                                {"password", "ngắn"}});
    EXPECT_EQ(weak.status, 400) << weak.raw;
    EXPECT_EQ(weak.field(), "password");
    Reply role = fx_->call("PUT", "/api/v1/users/officer/role", &admin, json{{"role", "boss"}});
    EXPECT_EQ(role.status, 400);
    EXPECT_EQ(role.field(), "role");
    Reply nobody = fx_->call("POST", "/api/v1/users/khong-co/disable", &admin);
    EXPECT_EQ(nobody.status, 404) << nobody.raw;
    Reply person = fx_->call("PUT", "/api/v1/users/officer/person", &admin,
                             json{{"person_id", "khong-co-nguoi-nay"}});
    EXPECT_EQ(person.status, 404) << person.raw;
    EXPECT_EQ(person.field(), "person_id");
    // The last enabled administrator stays.
    Reply last = fx_->call("POST", "/api/v1/users/admin/disable", &admin);
    EXPECT_EQ(last.status, 409) << last.raw;
}

TEST_F(Routes, BatchesAreMadeListedSubmittedAndRendered) {
    Caller officer = fx_->sign_in("officer");
    Caller head = fx_->sign_in("head");
    const std::int64_t id = approved_renewal(officer, head);
    Reply made = fx_->call("POST", "/api/v1/batches", &officer, json{{"kind", "renew"}});
    ASSERT_EQ(made.status, 201) << made.raw;
    ASSERT_EQ(made.body["items"].size(), 1u);
    const std::int64_t batch = made.body["items"][0]["id"];
    const std::string path = "/api/v1/batches/" + std::to_string(batch);
    Reply listed = fx_->call("GET", "/api/v1/batches", &head);
    EXPECT_EQ(listed.body["total"], 1);
    Reply one = fx_->call("GET", path, &officer);
    ASSERT_EQ(one.status, 200);
    EXPECT_EQ(one.body["requests"], json::array({id}));
    Caller outsider = fx_->sign_in("outsider");
    EXPECT_EQ(fx_->call("GET", path, &outsider).status, 404);  // as an id no one has
    EXPECT_EQ(fx_->call("GET", "/api/v1/batches", &outsider).body["total"], 0);

    // The letter names the values the register lacks; given as value=KEY=VALUE, it renders.
    const std::string base = path + "/document?signer=Tr%E1%BA%A7n%20V%C4%83n%20K%C3%BD" +
                             "&signer_title=Gi%C3%A1m%20%C4%91%E1%BB%91c";
    Reply first = fx_->call("GET", base + "&format=pdf", &officer);
    std::string values;
    if (first.status == 400) {
        ASSERT_EQ(first.code(), "letter.missing_values") << first.raw;
        // Each missing value is named as {{key}} in the message.
        const std::string msg = first.body["error"]["message"];
        std::size_t at = 0;
        while ((at = msg.find("{{", at)) != std::string::npos) {
            const std::size_t end = msg.find("}}", at);
            values += "&value=" + msg.substr(at + 2, end - at - 2) + "%3Dx";
            at = end;
        }
    }
    for (const char* format : {"pdf", "docx", "xlsx"}) {
        Reply doc = fx_->call("GET", base + values + "&format=" + format, &officer);
        ASSERT_EQ(doc.status, 200) << format << ": " << doc.raw;
        EXPECT_GT(doc.raw.size(), 500u) << format;
        EXPECT_NE(doc.header("Content-Disposition").find("batch-"), std::string::npos);
    }
    EXPECT_EQ(fx_->call("GET", base + values + "&format=pdf", &officer).raw.substr(0, 5), "%PDF-");
    Reply bad_format = fx_->call("GET", path + "/document?format=exe", &officer);
    EXPECT_EQ(bad_format.status, 400);
    EXPECT_EQ(bad_format.field(), "format");
    Reply traversal = fx_->call("GET", path + "/document?format=..%2F..%2Fetc%2Fpasswd", &officer);
    EXPECT_EQ(traversal.status, 400);

    Reply sent = fx_->call("POST", path + "/submit", &officer);
    ASSERT_EQ(sent.status, 200) << sent.raw;
    EXPECT_EQ(sent.body["batches"], json::array({batch}));
    EXPECT_EQ(fx_->call("GET", "/api/v1/requests/" + std::to_string(id), &officer).body["state"],
              "submitted");
    Reply again = fx_->call("POST", path + "/submit", &officer);
    EXPECT_GE(again.status, 400);
    EXPECT_LT(again.status, 500);
}

TEST_F(Routes, BatchInputErrorsNameTheField) {
    Caller officer = fx_->sign_in("officer");
    Reply kind = fx_->call("POST", "/api/v1/batches", &officer, json{{"kind", "all"}});
    EXPECT_EQ(kind.status, 400);
    EXPECT_EQ(kind.field(), "kind");
    Reply org = fx_->call("POST", "/api/v1/batches", &officer,
                          json{{"kind", "renew"}, {"org_id", "khong-co"}});
    EXPECT_GE(org.status, 400) << org.raw;
    EXPECT_EQ(org.field(), "org_id");
    EXPECT_EQ(fx_->call("GET", "/api/v1/batches/999", &officer).status, 404);
    Caller dost = fx_->sign_in("dost");
    Reply combine = fx_->call("POST", "/api/v1/batches/combine", &dost,
                              json{{"form", "mau-05"}, {"issuer_org", fx_->org()}});
    EXPECT_GE(combine.status, 400) << combine.raw;
    EXPECT_LT(combine.status, 500);
    Reply missing = fx_->call("POST", "/api/v1/batches/combine", &dost, json{{"form", "mau-05"}});
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(missing.field(), "issuer_org");
}

TEST_F(Routes, CustodyListsHandOversAndOverdueDevices) {
    Caller officer = fx_->sign_in("officer");
    Reply l = fx_->call("GET", "/api/v1/custody", &officer);
    ASSERT_EQ(l.status, 200) << l.raw;
    EXPECT_EQ(l.body["total"], 0);
    Reply o = fx_->call("GET", "/api/v1/custody/overdue?days=0", &officer);
    ASSERT_EQ(o.status, 200) << o.raw;
    Reply days = fx_->call("GET", "/api/v1/custody/overdue?days=-3", &officer);
    EXPECT_EQ(days.status, 400);
    EXPECT_EQ(days.field(), "days");
    Reply step = fx_->call("POST", "/api/v1/custody/handover", &officer,
                           json{{"devices", {"d1"}}, {"step", "to_moon"}});
    EXPECT_EQ(step.status, 400);
    EXPECT_EQ(step.field(), "step");
    Reply none = fx_->call("POST", "/api/v1/custody/handover", &officer,
                           json{{"devices", json::array()}, {"step", "to_organization"}});
    EXPECT_EQ(none.status, 400);
    EXPECT_EQ(none.field(), "devices");
    Reply date = fx_->call("POST", "/api/v1/custody/handover", &officer,
                           json{{"devices", {"d1"}}, {"step", "to_organization"}, {"on", "31/12"}});
    EXPECT_EQ(date.status, 400);
    EXPECT_EQ(date.field(), "on");
    // A device no hand-over was requested for is refused, and nothing is recorded.
    const std::string before = fx_->snapshot();
    Reply unknown =
        fx_->call("POST", "/api/v1/custody/handover", &officer,
                  json{{"devices", {"khong-co-thiet-bi"}}, {"step", "to_organization"}});
    EXPECT_GE(unknown.status, 400) << unknown.raw;
    EXPECT_LT(unknown.status, 500);
    EXPECT_EQ(fx_->snapshot(), before);
}

TEST_F(Routes, TheAuditLogIsListedFilteredAndVerified) {
    Caller auditor = fx_->sign_in("auditor");
    Reply l = fx_->call("GET", "/api/v1/audit?size=5", &auditor);
    ASSERT_EQ(l.status, 200) << l.raw;
    EXPECT_EQ(l.body["items"].size(), 5u);
    EXPECT_GT(l.body["total"].get<int>(), 8);
    Reply users = fx_->call("GET", "/api/v1/audit?action=user.", &auditor);
    ASSERT_EQ(users.status, 200);
    for (const auto& e : users.body["items"])
        EXPECT_EQ(e["action"].get<std::string>().rfind("user.", 0), 0u);
    Reply v = fx_->call("GET", "/api/v1/audit/verify", &auditor);
    ASSERT_EQ(v.status, 200) << v.raw;
    EXPECT_EQ(v.body["ok"], true) << v.raw;
    // No password, token or cookie in the log.
    Reply all = fx_->call("GET", "/api/v1/audit?size=200", &auditor);
    ASSERT_EQ(all.status, 200) << all.raw;
    EXPECT_EQ(all.raw.find(kPassword), std::string::npos);
    Reply too_big = fx_->call("GET", "/api/v1/audit?size=201", &auditor);
    EXPECT_EQ(too_big.status, 400);
    EXPECT_EQ(too_big.field(), "size");
    Reply page = fx_->call("GET", "/api/v1/audit?page=0", &auditor);
    EXPECT_EQ(page.status, 400);
    EXPECT_EQ(page.field(), "page");
}

TEST_F(Routes, PlanAndCheckAnswerInJson) {
    Caller dost = fx_->sign_in("ca");  // the plan is the whole register's: a global user
    Reply p = fx_->call("GET", "/api/v1/plan", &dost);
    ASSERT_EQ(p.status, 200) << p.raw.substr(0, 300);
    EXPECT_TRUE(p.body.contains("as_of"));
    Reply asof = fx_->call("GET", "/api/v1/plan?as_of=2030-01-01", &dost);
    ASSERT_EQ(asof.status, 200);
    EXPECT_EQ(asof.body["as_of"], "2030-01-01");
    Reply bad = fx_->call("GET", "/api/v1/plan?as_of=mai", &dost);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.field(), "as_of");
    Reply c = fx_->call("GET", "/api/v1/check", &dost);
    ASSERT_EQ(c.status, 200) << c.raw.substr(0, 300);
    EXPECT_TRUE(c.body.contains("summary"));
}

TEST_F(Routes, APlanOrCheckBeyondTheUsersSubtreeIsRefused) {
    // The plan and the findings name people and certificates of the whole register: a DoST
    // operator scoped to one subtree sees them only when that subtree is the whole register.
    const std::string scope = fx_->users().at("dost").org_id;
    bool whole = true;
    for (const auto& o : fx_->registry().organizations) {
        std::string top = o.id;
        for (int guard = 0; guard < 64; ++guard) {
            const Organization* up = fx_->registry().org(top);
            if (up == nullptr || up->current().superior_id.empty()) break;
            top = up->current().superior_id;
        }
        if (top != scope) whole = false;
    }
    ASSERT_FALSE(whole) << "the fixture has one subtree only";
    Caller dost = fx_->sign_in("dost");
    for (const char* path : {"/api/v1/plan", "/api/v1/plan?format=csv", "/api/v1/check"}) {
        Reply r = fx_->call("GET", path, &dost);
        EXPECT_EQ(r.status, 403) << path << r.raw.substr(0, 200);
        EXPECT_EQ(r.code(), "server.whole_register") << path;
    }
    for (const char* path : {"/api/v1/plan", "/api/v1/check"}) {
        Reply r = fx_->call("POST", path, &dost, json::object());
        EXPECT_EQ(r.status, 403) << path << r.raw.substr(0, 200);
        EXPECT_EQ(r.code(), "server.whole_register") << path;
    }
}

}  // namespace

}  // namespace kyso::server::test

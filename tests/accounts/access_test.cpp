// Who may move a request where: roles, scope, own requests, reasons, finished requests.
#include <gtest/gtest.h>

#include "accounts/access.h"

namespace kyso::accounts {

namespace {

Registry tree() {
    // P (province) ← D (district) ← C (commune); Q another province.
    Registry reg;
    for (auto [id, sup] : {std::pair{"P", ""}, {"D", "P"}, {"C", "D"}, {"Q", ""}}) {
        Organization o;
        o.id = id;
        o.versions.push_back(OrgVersion{});
        o.versions.back().name = std::string("Org ") + id;
        o.versions.back().superior_id = sup;
        reg.organizations.push_back(o);
    }
    reg.reindex();
    return reg;
}

User user(const char* name, Role role, const char* org) {
    User u;
    u.username = name;
    u.role = role;
    u.org_id = org;
    return u;
}

Request request(RequestState state, const char* org = "C", const char* creator = "officer") {
    Request r;
    r.id = 7;
    r.state = state;
    r.managing_org_id = org;
    r.created_by = creator;
    return r;
}

using S = RequestState;

}  // namespace

TEST(Access, ScopeIsTheOrganizationAndEverythingUnderIt) {
    const Registry reg = tree();
    EXPECT_TRUE(within_scope(reg, "C", "C"));
    EXPECT_TRUE(within_scope(reg, "C", "P"));
    EXPECT_TRUE(within_scope(reg, "C", ""));
    EXPECT_FALSE(within_scope(reg, "P", "C"));
    EXPECT_FALSE(within_scope(reg, "C", "Q"));
    EXPECT_FALSE(within_scope(reg, "unknown", "P"));
}

TEST(Access, EachStepHasItsRole) {
    const Registry reg = tree();
    const User officer = user("officer", Role::unit_officer, "C");
    const User head = user("head", Role::unit_head, "C");
    const User dost = user("dost", Role::dost_operator, "P");
    const User ca = user("ca", Role::ca_operator, "");
    const User auditor = user("auditor", Role::auditor, "");
    const User admin = user("admin", Role::admin, "");
    EXPECT_TRUE(may_transition(reg, officer, request(S::draft), S::validated).ok());
    EXPECT_TRUE(may_transition(reg, head, request(S::validated), S::approved).ok());
    EXPECT_FALSE(may_transition(reg, officer, request(S::validated), S::approved).ok());
    EXPECT_TRUE(may_transition(reg, officer, request(S::approved), S::submitted).ok());
    EXPECT_TRUE(may_transition(reg, dost, request(S::submitted), S::forwarded).ok());
    EXPECT_FALSE(may_transition(reg, head, request(S::submitted), S::forwarded).ok());
    EXPECT_TRUE(may_transition(reg, ca, request(S::forwarded), S::completed).ok());
    EXPECT_FALSE(may_transition(reg, dost, request(S::forwarded), S::completed).ok());
    for (S from : {S::draft, S::validated, S::approved, S::submitted, S::forwarded}) {
        for (S to : {S::validated, S::approved, S::submitted, S::forwarded, S::completed}) {
            EXPECT_FALSE(may_transition(reg, auditor, request(from), to).ok());
            EXPECT_FALSE(may_transition(reg, admin, request(from), to).ok());
        }
    }
    // No skipping: a draft cannot be approved, a validated request cannot be forwarded.
    EXPECT_FALSE(may_transition(reg, head, request(S::draft), S::approved).ok());
    EXPECT_FALSE(may_transition(reg, dost, request(S::validated), S::forwarded).ok());
}

TEST(Access, NoOneApprovesTheirOwnRequest) {
    const Registry reg = tree();
    const User head = user("head", Role::unit_head, "C");
    const auto own = may_transition(reg, head, request(S::validated, "C", "head"), S::approved);
    ASSERT_FALSE(own.ok());
    EXPECT_NE(own.error().message.find("chính mình"), std::string::npos);
}

// Issue 12: a refusal names the actor, the role in words and the real reason. An officer who
// may not approve is told that his role may not, and which role does, even for his own request.
TEST(Access, AnOfficerIsToldHisRoleMayNotApproveNotThatTheRequestIsHisOwn) {
    const Registry reg = tree();
    const User officer = user("officer", Role::unit_officer, "C");
    const auto own =
        may_transition(reg, officer, request(S::validated, "C", "officer"), S::approved);
    ASSERT_FALSE(own.ok());
    const std::string& vi = own.error().message;
    EXPECT_EQ(vi,
              "officer (vai trò cán bộ đơn vị (unit_officer)) không được phê duyệt yêu cầu đang ở "
              "trạng thái \"đã kiểm tra\": vai trò cán bộ đơn vị (unit_officer) không được phê "
              "duyệt; ở trạng thái \"đã kiểm tra\" việc này do thủ trưởng đơn vị (unit_head) làm");
    EXPECT_EQ(vi.find("chính"), std::string::npos) << vi;
    EXPECT_EQ(own.error().message_en,
              "officer (role unit officer (unit_officer)) may not approve a request in state "
              "\"validated\": the role unit officer (unit_officer) may not approve; in state "
              "\"validated\" this is done by unit head (unit_head)");
    EXPECT_EQ(own.error().where.id, "7");
}

TEST(Access, AHeadIsToldTheRequestIsHisOwnByName) {
    const Registry reg = tree();
    const User head = user("head", Role::unit_head, "C");
    const auto own = may_transition(reg, head, request(S::validated, "C", "head"), S::approved);
    ASSERT_FALSE(own.ok());
    EXPECT_NE(own.error().message.find(
                  "yêu cầu này do head lập; không ai được phê duyệt yêu cầu do chính mình lập"),
              std::string::npos)
        << own.error().message;
    EXPECT_NE(own.error().message_en.find("head made this request"), std::string::npos)
        << own.error().message_en;
}

TEST(Access, EachRefusalSaysItsOwnReason) {
    const Registry reg = tree();
    const User head = user("head", Role::unit_head, "Q");
    const User dost = user("dost", Role::dost_operator, "P");
    const User auditor = user("audit", Role::auditor, "");
    // Outside the scope: which organization, and which scope.
    auto r = may_transition(reg, head, request(S::validated), S::approved);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("\"C\", nằm ngoài phạm vi được giao (\"Q\""),
              std::string::npos)
        << r.error().message;
    // A rejection at the CA's step by the DoST: the CA operator does that.
    r = may_transition(reg, dost, request(S::forwarded), S::rejected, "sai");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("không được từ chối"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("cán bộ Cục Chứng thực số và Bảo mật thông tin (ca_operator)"),
              std::string::npos)
        << r.error().message;
    // An auditor moves nothing: the submitting roles are named.
    r = may_transition(reg, auditor, request(S::approved), S::submitted);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message_en.find("role auditor (auditor) may not submit to the DoST; in "
                                        "state \"approved\" this is done by unit officer "
                                        "(unit_officer) or unit head (unit_head)"),
              std::string::npos)
        << r.error().message_en;
    // No such step, finished, no reason: said so.
    r = may_transition(reg, dost, request(S::validated), S::forwarded);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message_en.find("no step from \"validated\" to \"forwarded"),
              std::string::npos)
        << r.error().message_en;
    EXPECT_EQ(r.error().code, "request.wrong_state");  // a conflict of state (HTTP 409)
    r = may_transition(reg, dost, request(S::completed), S::forwarded);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message_en.find("the request is finished"), std::string::npos);
    EXPECT_EQ(r.error().code, "request.wrong_state");
    r = may_transition(reg, dost, request(S::submitted), S::rejected, " ");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message_en.find("a rejection needs a reason"), std::string::npos);
}

TEST(Access, ARoleRefusalNamesTheRolesThatMay) {
    const User officer = user("officer", Role::unit_officer, "C");
    const Error e = role_refused(officer, "batch combine", {Role::dost_operator});
    EXPECT_EQ(e.code, "access.role");
    EXPECT_EQ(e.message,
              "officer (vai trò cán bộ đơn vị (unit_officer)) không được thực hiện \"batch "
              "combine\"; việc này do cán bộ Sở Khoa học và Công nghệ (dost_operator) làm");
    EXPECT_EQ(e.message_en,
              "officer (role unit officer (unit_officer)) may not do \"batch combine\"; this is "
              "done by DoST operator (dost_operator)");
}

TEST(Access, OutsideTheScopeIsRefused) {
    const Registry reg = tree();
    EXPECT_FALSE(
        may_transition(reg, user("h", Role::unit_head, "Q"), request(S::validated), S::approved)
            .ok());
    EXPECT_TRUE(
        may_transition(reg, user("h", Role::unit_head, "D"), request(S::validated), S::approved)
            .ok());
}

TEST(Access, RejectionNeedsAReasonAndTheRoleOfThatStep) {
    const Registry reg = tree();
    const User head = user("head", Role::unit_head, "C");
    const User dost = user("dost", Role::dost_operator, "P");
    const User ca = user("ca", Role::ca_operator, "");
    EXPECT_FALSE(may_transition(reg, head, request(S::validated), S::rejected, "  ").ok());
    EXPECT_TRUE(may_transition(reg, head, request(S::validated), S::rejected, "Sai tên").ok());
    EXPECT_FALSE(may_transition(reg, head, request(S::submitted), S::rejected, "x").ok());
    EXPECT_TRUE(may_transition(reg, dost, request(S::submitted), S::rejected, "x").ok());
    EXPECT_TRUE(may_transition(reg, ca, request(S::forwarded), S::rejected, "x").ok());
    EXPECT_FALSE(may_transition(reg, ca, request(S::completed), S::rejected, "x").ok());
    EXPECT_FALSE(may_transition(reg, head, request(S::rejected), S::validated).ok());
}

}  // namespace kyso::accounts

// Who may move a request where: roles, scope, own requests, reasons, finished requests.
#include <gtest/gtest.h>

#include "workflow/access.h"

namespace kyso::workflow {

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

}  // namespace kyso::workflow

// Who issues a letter (issue 12): requests, batches and letters of an organization that has
// ceased belong to the organization carrying on its work — its successor, else its superior.
#include <gtest/gtest.h>

#include "../reorg/plan_fixture.h"
#include "reorg/replay.h"
#include "workflow/parties.h"
#include "workflow/requests_from_plan.h"

namespace kyso::workflow {

namespace {

using testing::PlanFixture;

// Tỉnh Sông Lam: P (province committee) with departments A, B, C and district H with commune X.
PlanFixture province() {
    PlanFixture f;
    f.org("P", "Ủy ban nhân dân tỉnh Sông Lam")
        .org("A", "Sở Tài chính tỉnh Sông Lam", "P")
        .org("B", "Sở Kế hoạch và Đầu tư tỉnh Sông Lam", "P")
        .org("C", "Sở Xây dựng tỉnh Sông Lam", "P")
        .org("H", "Ủy ban nhân dân huyện Hưng Nguyên", "P")
        .org("X", "Ủy ban nhân dân xã Hưng Tây", "H");
    return f;
}

// The requests from-plan makes, every stored organization known (as the store holds them, the
// ceased ones included): plan_key → managing organization.
std::map<std::string, std::string> managing(PlanFixture& f) {
    const Registry& reg = f.reg;
    auto rp = reorg::replay(reg, f.evs, reorg::default_as_of(f.evs));
    EXPECT_TRUE(rp) << rp.error().describe(true);
    const reorg::Plan plan = reorg::derive_plan(reg, *rp);
    const auto made = requests_from_plan(
        reg, *rp, plan, [&](std::string_view id) { return reg.org(id) != nullptr; });
    std::map<std::string, std::string> out;
    for (const Request& r : made.requests) out[r.plan_key] = r.managing_org_id;
    return out;
}

Registry ceased_registry() {
    Registry reg = province().reg;
    for (Organization& o : reg.organizations) {
        if (o.id == "H") o.ceased_on = Date::parse("2025-07-01");  // dissolved, no successor
        if (o.id == "B") {                                         // merged into A
            o.ceased_on = Date::parse("2025-03-01");
            o.successor_id = "A";
        }
        if (o.id == "A") {  // ... which later merged into C: the chain is followed
            o.ceased_on = Date::parse("2025-05-01");
            o.successor_id = "C";
        }
    }
    reg.reindex();
    return reg;
}

}  // namespace

TEST(Issuer, ADissolvedOrganizationsRequestsGoToItsSuperiorNotToItself) {
    auto f = province();
    f.device("t1", DeviceKind::usb_token, HolderType::org, "H")
        .cert("0H", HolderType::org, "H", "t1")
        .cert("0X", HolderType::org, "X");
    f.events(R"([{"id":"E1","type":"dissolve","effective_date":"2025-07-01","org":"H"}])");
    const auto m = managing(f);
    ASSERT_EQ(m.count("revoke:0H"), 1u);
    EXPECT_EQ(m.at("revoke:0H"), "P");  // H is stored, but has ceased: its superior sends
    ASSERT_EQ(m.count("return_device:t1"), 1u);
    EXPECT_EQ(m.at("return_device:t1"), "P");
    ASSERT_EQ(m.count("change_info:0X"), 1u);
    EXPECT_EQ(m.at("change_info:0X"), "X");  // a live organization sends its own
}

TEST(Issuer, ADissolvedOrganizationWithASuccessorHandsItsRequestsToTheSuccessor) {
    auto f = province();
    f.device("t1", DeviceKind::usb_token, HolderType::org, "H")
        .cert("0H", HolderType::org, "H", "t1");
    f.events(R"([{"id":"E1","type":"dissolve","effective_date":"2025-07-01","org":"H",
                  "successor":"C"}])");
    const auto m = managing(f);
    ASSERT_EQ(m.count("revoke:0H"), 1u);
    EXPECT_EQ(m.at("revoke:0H"), "C");
    EXPECT_EQ(m.at("return_device:t1"), "C");
}

TEST(Issuer, AnOrganizationMergedAwaySendsNothingItsSuccessorDoes) {
    auto f = province();
    f.cert("0A", HolderType::org, "A").cert("0B", HolderType::org, "B");
    f.events(R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","B"],
                  "keep":"A"}])");
    const auto m = managing(f);
    ASSERT_EQ(m.count("revoke:0B"), 1u) << "B's certificate is revoked";
    EXPECT_EQ(m.at("revoke:0B"), "A");
    for (const auto& [key, org] : m) EXPECT_NE(org, "B") << key;
}

TEST(Issuer, TheContinuingOrganizationIsTheSuccessorElseTheSuperiorFollowedWhileCeased) {
    const Registry reg = ceased_registry();
    EXPECT_EQ(continuing_org(reg, "X"), "X");  // live
    EXPECT_EQ(continuing_org(reg, "H"), "P");  // no successor: superior
    EXPECT_EQ(continuing_org(reg, "A"), "C");
    EXPECT_EQ(continuing_org(reg, "B"), "C");  // B → A (ceased too) → C
    EXPECT_EQ(continuing_org(reg, "nowhere"), "");
}

TEST(Issuer, NamingACeasedOrganizationIsRefusedNamingTheOneCarryingOn) {
    const Registry reg = ceased_registry();
    EXPECT_TRUE(check_not_ceased(reg, "X").ok());
    const auto b = check_not_ceased(reg, "B");
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(b.error().code, "request.ceased_org");
    EXPECT_NE(b.error().message.find("Sở Xây dựng tỉnh Sông Lam"), std::string::npos)
        << b.error().message;
    EXPECT_NE(b.error().message.find("2025-03-01"), std::string::npos) << b.error().message;
    EXPECT_NE(b.error().message_en.find("\"C\""), std::string::npos) << b.error().message_en;
    Registry lonely = reg;
    for (Organization& o : lonely.organizations) {
        if (o.id == "P") o.ceased_on = Date::parse("2025-08-01");
    }
    lonely.reindex();
    EXPECT_EQ(continuing_org(lonely, "H"), "");  // H → P, ceased without successor or superior
    EXPECT_EQ(check_not_ceased(lonely, "H").error().code, "request.ceased_org_none");
}

TEST(Issuer, ACeasedDoSTIsRefusedAsCeasedNotAsSomethingElse) {
    PlanFixture f = province();
    f.org("K", "Sở Khoa học và Công nghệ tỉnh Sông Lam", "P")
        .org("K2", "Sở Khoa học và Công nghệ tỉnh Hồng Lĩnh");
    Registry reg = f.reg;
    for (Organization& o : reg.organizations) {
        if (o.id == "K") {  // the province merged: its DoST into the other's
            o.ceased_on = Date::parse("2025-07-01");
            o.successor_id = "K2";
        }
    }
    reg.reindex();
    User dost;
    dost.username = "sokhcn";
    dost.role = Role::dost_operator;
    const auto refused = check_party(reg, dost, "K", Party::dost);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "request.ceased_org");
    EXPECT_NE(refused.error().message.find("Sở Khoa học và Công nghệ tỉnh Hồng Lĩnh"),
              std::string::npos)
        << refused.error().message;
    EXPECT_TRUE(check_party(reg, dost, "K2", Party::dost).ok());
    EXPECT_EQ(check_party(reg, dost, "A", Party::dost).error().code, "access.party_not_dost");
}

}  // namespace kyso::workflow

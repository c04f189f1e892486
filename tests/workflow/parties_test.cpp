// Every organization an action names: exists, in the actor's scope, and a DoST where a DoST is
// meant (issue 11).
#include <gtest/gtest.h>

#include "workflow/parties.h"

namespace kyso::workflow {

namespace {

// Province P with its DoST P-skhcn and another department P-stc; province Q with its DoST.
Registry provinces() {
    Registry reg;
    for (auto [id, sup, name] : {std::tuple{"P", "", "Ủy ban nhân dân tỉnh Sông Lam"},
                                 {"P-skhcn", "P", "Sở Khoa học và Công nghệ tỉnh Sông Lam"},
                                 {"P-stc", "P", "Sở Tài chính tỉnh Sông Lam"},
                                 {"Q", "", "Ủy ban nhân dân tỉnh Hồng Lĩnh"},
                                 {"Q-skhcn", "Q", "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH HỒNG LĨNH"}}) {
        Organization o;
        o.id = id;
        o.versions.push_back(OrgVersion{});
        o.versions.back().name = name;
        o.versions.back().superior_id = sup;
        reg.organizations.push_back(o);
    }
    reg.reindex();
    return reg;
}

User dost_of(const char* org) {
    User u;
    u.username = "dost";
    u.role = Role::dost_operator;
    u.org_id = org;
    return u;
}

}  // namespace

TEST(Parties, ADostIsKnownByItsNameInAnyCaseAndNotOnceCeased) {
    Registry reg = provinces();
    EXPECT_TRUE(is_dost(*reg.org("P-skhcn")));
    EXPECT_TRUE(is_dost(*reg.org("Q-skhcn")));
    EXPECT_FALSE(is_dost(*reg.org("P-stc")));
    EXPECT_FALSE(is_dost(*reg.org("P")));
    Organization ceased = *reg.org("P-skhcn");
    ceased.ceased_on = Date::parse("2025-07-01");
    EXPECT_FALSE(is_dost(ceased));
}

TEST(Parties, TheIssuerOfAProvincialLetterIsADostInTheActorsScope) {
    const Registry reg = provinces();
    const User p = dost_of("P");
    EXPECT_TRUE(check_party(reg, p, "P-skhcn", Party::issuer).ok());
    const auto other = check_party(reg, p, "Q-skhcn", Party::issuer);
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code, "access.party_out_of_scope");
    EXPECT_NE(other.error().message_en.find("Q-skhcn"), std::string::npos);
    EXPECT_NE(other.error().message_en.find("scope: \"P\""), std::string::npos)
        << other.error().message_en;
    const auto finance = check_party(reg, p, "P-stc", Party::issuer);
    ASSERT_FALSE(finance.ok());
    EXPECT_EQ(finance.error().code, "access.party_not_dost");
    EXPECT_EQ(check_party(reg, p, "nowhere", Party::issuer).error().code, "request.unknown_org");
}

TEST(Parties, TheDostOfAHandOverIsADostAndOtherPartiesOnlyNeedTheScope) {
    const Registry reg = provinces();
    const User p = dost_of("P");
    EXPECT_TRUE(check_party(reg, p, "P-skhcn", Party::dost).ok());
    EXPECT_EQ(check_party(reg, p, "P-stc", Party::dost).error().code, "access.party_not_dost");
    EXPECT_EQ(check_party(reg, p, "Q-skhcn", Party::dost).error().code,
              "access.party_out_of_scope");
    for (Party any : {Party::managing, Party::holder, Party::batch, Party::receiver}) {
        EXPECT_TRUE(check_party(reg, p, "P-stc", any).ok());
        EXPECT_EQ(check_party(reg, p, "Q", any).error().code, "access.party_out_of_scope");
    }
    User everywhere = p;
    everywhere.role = Role::ca_operator;
    everywhere.org_id.clear();  // --scope all
    EXPECT_TRUE(check_party(reg, everywhere, "Q-skhcn", Party::dost).ok());
    EXPECT_FALSE(check_party(reg, everywhere, "Q", Party::dost).ok());
}

}  // namespace kyso::workflow

// Tests: the registry after the events (what `kyso events apply` stores), history kept.
#include "reorg/outcome.h"
#include "plan_fixture.h"

using kyso::Date;
using kyso::HolderType;
using kyso::testing::PlanFixture;

namespace {

const kyso::Organization* find_org(const kyso::reorg::RegistryUpdate& up, const std::string& id) {
    for (const auto& o : up.organizations) {
        if (o.id == id) return &o;
    }
    return nullptr;
}

kyso::reorg::RegistryUpdate update_of(PlanFixture& f) {
    auto rp = kyso::reorg::replay(f.reg, f.evs, kyso::reorg::default_as_of(f.evs));
    EXPECT_TRUE(rp);
    return kyso::reorg::registry_update(f.reg, *rp);
}

}  // namespace

TEST(Outcome, MergeUnderNewNameCreatesAnOrganizationAndEndsTheSources) {
    PlanFixture f;
    f.org("P", "UBND tỉnh")
        .org("A", "Sở A", "P")
        .org("B", "Sở B", "P")
        .org("A1", "Chi cục A1", "A");
    f.person("u1", "Nguyễn Văn An", "B");
    f.events(R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","B"],
                  "new":{"id":"N","name":"Sở Mới"}}])");
    auto up = update_of(f);
    const auto* n = find_org(up, "N");
    ASSERT_NE(n, nullptr);
    ASSERT_EQ(n->versions.size(), 1u);
    EXPECT_EQ(n->versions[0].name, "Sở Mới");
    EXPECT_EQ(n->versions[0].superior_id, "P");
    EXPECT_EQ(n->versions[0].valid_from.str(), "2025-03-01");
    EXPECT_EQ(n->versions[0].event_id, "E1");
    const auto* a = find_org(up, "A");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->ceased_on->str(), "2025-03-01");
    EXPECT_EQ(a->successor_id, "N");
    EXPECT_EQ(a->ceased_by_event, "E1");
    // The child keeps its history and gets a version under the new superior.
    const auto* a1 = find_org(up, "A1");
    ASSERT_NE(a1, nullptr);
    ASSERT_EQ(a1->versions.size(), 2u);
    EXPECT_EQ(a1->versions[0].superior_id, "A");
    EXPECT_EQ(a1->versions[1].superior_id, "N");
    ASSERT_EQ(up.people.size(), 1u);
    EXPECT_EQ(up.people[0].org_id, "N");
    EXPECT_EQ(find_org(up, "P"), nullptr);  // untouched organizations are not rewritten
}

TEST(Outcome, OneVersionPerEventAndDay) {
    PlanFixture f;
    f.org("P", "UBND tỉnh", "", "Tỉnh A").org("X", "Sở X", "P", "Tỉnh A");
    f.events(R"([{"id":"E1","type":"rename","effective_date":"2025-03-01","org":"X","name":"Sở Y"},
                 {"id":"E2","type":"rename","effective_date":"2025-03-01","org":"X","name":"Sở Z"},
                 {"id":"E3","type":"merge_province","effective_date":"2025-07-01","sources":["Tỉnh A"],"into":"Tỉnh B"}])");
    auto up = update_of(f);
    const auto* x = find_org(up, "X");
    ASSERT_NE(x, nullptr);
    ASSERT_EQ(x->versions.size(), 3u);  // registered, 2025-03-01 (last of the day), 2025-07-01
    EXPECT_EQ(x->versions[1].name, "Sở Z");
    EXPECT_EQ(x->versions[2].province, "Tỉnh B");
    EXPECT_EQ(x->as_of(*Date::parse("2025-05-01"))->name, "Sở Z");
    EXPECT_EQ(x->as_of(*Date::parse("2025-08-01"))->province, "Tỉnh B");
}

TEST(Outcome, DissolveWithoutSuccessorKeepsPeopleWhereTheyWere) {
    PlanFixture f;
    f.org("P", "UBND tỉnh").org("H", "UBND huyện", "P").person("u1", "Lê Thị Hoa", "H");
    f.events(R"([{"id":"E1","type":"dissolve","effective_date":"2025-07-01","org":"H"}])");
    auto up = update_of(f);
    EXPECT_TRUE(up.people.empty());
    EXPECT_TRUE(find_org(up, "H")->ceased_on.has_value());
    EXPECT_EQ(find_org(up, "H")->successor_id, "");
}

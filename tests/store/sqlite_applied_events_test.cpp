// Tests: the SQLite store records applied events and keeps people's history (`kyso events apply`).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store_fixture.h"
#include "store_test_data.h"

using namespace kyso;
using namespace kyso::store_test;

class StoreAppliedEvents : public StoreTest {};
KYSO_STORE_BACKENDS(StoreAppliedEvents);
using kyso::store::PersonMove;

namespace {

using Ids = std::vector<std::string>;

// MOI, made by E2 on 2025-03-01 (the store does not replay events: any consistent data will do).
Organization new_org_moi() {
    return Organization{
        "MOI",
        {version("2025-03-01", "Sở Tài chính và Kế hoạch", "UBT", OrgKind::department, "E2")},
        {},
        {},
        {}};
}

}  // namespace

TEST_P(StoreAppliedEvents, AppliedEventsAreRecordedInEventOrder) {
    import(sample_registry(), sample_events());
    EXPECT_EQ(store_->applied_event_ids().value(), Ids{});

    // Given out of order: read back by effective_date (E2 2025-03-01, E1 2025-07-01), then
    // file order (E3 and E4 share 2025-08-01).
    ASSERT_TRUE(store_->apply_events({}, {}, {"E4", "E1", "E2"}, day("2025-08-01"), "tester"));
    EXPECT_EQ(store_->applied_event_ids().value(), (Ids{"E2", "E1", "E4"}));
    ASSERT_TRUE(store_->apply_events({}, {}, {"E3"}, day("2025-08-01"), "tester"));
    EXPECT_EQ(store_->applied_event_ids().value(), (Ids{"E2", "E1", "E3", "E4"}));

    // Kept across connections.
    store_.reset();
    store_ = open();
    EXPECT_EQ(store_->applied_event_ids().value(), (Ids{"E2", "E1", "E3", "E4"}));
}

TEST_P(StoreAppliedEvents, ApplyingAnEventTwiceOrAnUnknownEventIsRefused) {
    import(sample_registry(), sample_events());
    ASSERT_TRUE(store_->apply_events({}, {}, {"E2"}, day("2025-03-01"), "tester"));

    const auto twice = store_->apply_events({}, {}, {"E1", "E2"}, day("2025-07-01"), "tester");
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, "store.event_applied");
    EXPECT_EQ(twice.error().where.id, "E2");

    const auto unknown = store_->apply_events({}, {}, {"E9"}, day("2025-07-01"), "tester");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, "store.foreign_key");
    EXPECT_EQ(unknown.error().where.field, "event_id");
    EXPECT_EQ(unknown.error().where.id, "E9");

    // E1 was written before E2 failed, in the same transaction: rolled back with it.
    EXPECT_EQ(store_->applied_event_ids().value(), Ids{"E2"});
}

TEST_P(StoreAppliedEvents, ApplyEventsIsOneTransaction) {
    import(sample_registry(), sample_events());
    const Registry before = load();
    Organization stc = *before.org("STC");
    stc.ceased_on = day("2025-03-01");
    stc.ceased_by_event = "E2";
    stc.successor_id = "MOI";
    // Everything valid but the last move, which names an organization that does not exist.
    const std::vector<PersonMove> moves{{"p1", day("2025-03-01"), "MOI", "E2"},
                                        {"p3", day("2025-03-01"), "NOWHERE", "E2"}};
    const auto st =
        store_->apply_events({stc, new_org_moi()}, moves, {"E2"}, day("2025-03-01"), "tester");
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, "store.foreign_key");
    EXPECT_EQ(st.error().where.id, "p3");
    EXPECT_EQ(st.error().where.field, "org_id");

    // Nothing of it stayed: no MOI, no cessation, no move, E2 not applied.
    expect_same_registry(before, load());
    EXPECT_EQ(store_->applied_event_ids().value(), Ids{});

    // A move of a person the database does not know names the person.
    const auto nobody = store_->apply_events({}, {{"p9", day("2025-03-01"), "STC", "E2"}}, {"E2"},
                                             day("2025-03-01"), "tester");
    ASSERT_FALSE(nobody);
    EXPECT_EQ(nobody.error().where.field, "person_id");
    EXPECT_EQ(nobody.error().where.id, "p9");
}

TEST_P(StoreAppliedEvents, LoadAsOfGivesPeopleWhereTheyWereThatDay) {
    import(sample_registry(), sample_events());
    // p1: STC (registered) → MOI on 2025-03-01 → UBT on 2025-08-01; p2: unassigned → UBT.
    ASSERT_TRUE(store_->apply_events({new_org_moi()}, {{"p1", day("2025-03-01"), "MOI", "E2"}},
                                     {"E2"}, day("2025-03-01"), "tester"));
    ASSERT_TRUE(store_->apply_events(
        {}, {{"p1", day("2025-08-01"), "UBT", "E3"}, {"p2", day("2025-08-01"), "UBT", "E4"}},
        {"E1", "E3", "E4"}, day("2025-08-01"), "tester"));

    const Registry before = load(day("2025-02-28"));
    EXPECT_EQ(before.person("p1")->org_id, "STC");
    EXPECT_EQ(before.person("p2")->org_id, "");
    EXPECT_EQ(before.org("MOI"), nullptr);
    const Registry spring = load(day("2025-03-01"));
    EXPECT_EQ(spring.person("p1")->org_id, "MOI");
    EXPECT_EQ(spring.person("p2")->org_id, "");
    EXPECT_EQ(load(day("2025-07-31")).person("p1")->org_id, "MOI");
    const Registry autumn = load(day("2025-08-01"));
    EXPECT_EQ(autumn.person("p1")->org_id, "UBT");
    EXPECT_EQ(autumn.person("p2")->org_id, "UBT");
    const Registry now = load();
    EXPECT_EQ(now.person("p1")->org_id, "UBT");
    EXPECT_EQ(now.person("p2")->org_id, "UBT");
    EXPECT_EQ(now.person("p3")->org_id, "UBT");  // never moved: registered organization
    // Everything else about a person is the registered record.
    EXPECT_EQ(now.person("p1")->email, "an@stc.gov.vn");
    EXPECT_EQ(now.people.size(), 3u);
}

TEST_P(StoreAppliedEvents, MoveOnTheDayOfAStoredOneReplacesIt) {
    import(sample_registry(), sample_events());
    ASSERT_TRUE(store_->apply_events({}, {{"p1", day("2025-08-01"), "UBT", "E3"}}, {"E3"},
                                     day("2025-08-01"), "tester"));
    // E4 on the same day, applied later: the state of that day is the last one.
    ASSERT_TRUE(store_->apply_events({}, {{"p1", day("2025-08-01"), "STC", "E4"}}, {"E4"},
                                     day("2025-08-01"), "tester"));
    EXPECT_EQ(load().person("p1")->org_id, "STC");
    EXPECT_EQ(load(day("2025-08-01")).person("p1")->org_id, "STC");
}

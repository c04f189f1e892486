// Tests: the SQLite store keeps organization history: as_of loads, re-imports, applied events.
#include <gtest/gtest.h>

#include <string>

#include "store_fixture.h"
#include "store_test_data.h"

using namespace kyso;
using namespace kyso::store_test;

class StoreHistory : public StoreTest {};
KYSO_STORE_BACKENDS(StoreHistory);
using kyso::store::ImportStats;
using kyso::store::RowStats;

TEST_P(StoreHistory, LoadAsOfGivesTheVersionInForceThatDay) {
    Registry reg = sample_registry();
    reg.organizations.push_back(
        Organization{"MOI", {version("2025-03-01", "Sở mới", "UBT")}, {}, {}, {}});
    import(reg);

    const Registry early = load(day("2020-03-01"));
    ASSERT_EQ(early.organizations.size(), 3u);  // MOI did not exist yet
    EXPECT_EQ(early.org("MOI"), nullptr);
    EXPECT_EQ(early.org("UBT")->current().name, "Ủy ban nhân dân tỉnh Sông Lam");
    EXPECT_EQ(early.org("UBT")->versions.size(), 1u);
    EXPECT_FALSE(early.org("HUYEN")->ceased_on);  // ceased later, on 2020-06-01
    EXPECT_TRUE(early.org("HUYEN")->successor_id.empty());

    const Registry ceasing_day = load(day("2020-06-01"));
    EXPECT_EQ(ceasing_day.org("HUYEN")->ceased_on, day("2020-06-01"));
    EXPECT_EQ(ceasing_day.org("HUYEN")->successor_id, "UBT");

    const Registry renamed = load(day("2025-07-01"));
    EXPECT_EQ(renamed.org("UBT")->current().name, "Ủy ban nhân dân tỉnh Hồng Lĩnh");
    EXPECT_EQ(renamed.org("UBT")->current().event_id, "E1");
    EXPECT_NE(renamed.org("MOI"), nullptr);

    EXPECT_TRUE(load(day("2019-12-31")).organizations.empty());
    EXPECT_EQ(load(day("2025-06-30")).org("UBT")->current().name, "Ủy ban nhân dân tỉnh Sông Lam");
}

TEST_P(StoreHistory, ReimportWithNewCurrentVersionAppendsIt) {
    import(sample_registry());
    Registry reg = sample_registry();
    reg.org("STC")->versions = {version("2025-09-01", "Sở Tài chính và Kế hoạch", "UBT")};
    const ImportStats stats = import(reg);
    EXPECT_EQ(stats.organizations, (RowStats{0, 1, 2}));
    EXPECT_EQ(stats.org_versions, (RowStats{1, 0, 3}));

    const Registry loaded = load();
    const Organization* stc = loaded.org("STC");
    ASSERT_EQ(stc->versions.size(), 2u);  // the old version is history, not overwritten
    EXPECT_EQ(stc->versions[0].name, "Sở Tài chính");
    EXPECT_EQ(stc->current().name, "Sở Tài chính và Kế hoạch");
    EXPECT_EQ(load(day("2025-08-31")).org("STC")->current().name, "Sở Tài chính");
}

TEST_P(StoreHistory, ReimportOnTheSameDateCorrectsTheVersion) {
    import(sample_registry());
    Registry reg = sample_registry();
    reg.org("STC")->versions[0].name = "Sở Tài chính tỉnh Sông Lam";
    const ImportStats stats = import(reg);
    EXPECT_EQ(stats.org_versions, (RowStats{0, 1, 3}));
    const Registry loaded = load();
    ASSERT_EQ(loaded.org("STC")->versions.size(), 1u);
    EXPECT_EQ(loaded.org("STC")->current().name, "Sở Tài chính tỉnh Sông Lam");
}

TEST_P(StoreHistory, ApplyEventsKeepsOrganizationHistory) {
    import(sample_registry(), sample_events());
    Registry state = load();
    // The result of applying events: STC renamed by E2, then merged by E3 into a new
    // organization MOI, and a person moved there.
    Organization* stc = state.org("STC");
    stc->versions.push_back(
        version("2025-03-01", "Sở Tài chính (đổi tên)", "UBT", OrgKind::department, "E2"));
    stc->ceased_on = day("2025-08-01");
    stc->ceased_by_event = "E3";
    stc->successor_id = "MOI";
    Organization moi{
        "MOI",
        {version("2025-08-01", "Sở Tài chính và Kế hoạch", "UBT", OrgKind::department, "E3")},
        {},
        {},
        {}};
    const std::vector<store::PersonMove> moves{{"p1", day("2025-08-01"), "MOI", "E3"}};
    // STC comes before MOI although its successor names MOI: order must not matter.
    const auto st =
        store_->apply_events({*stc, moi}, moves, {"E2", "E3"}, day("2025-08-01"), "tester");
    ASSERT_TRUE(st) << st.error().describe(true);

    const Registry after = load();
    ASSERT_EQ(after.org("STC")->versions.size(), 2u);
    EXPECT_EQ(after.org("STC")->versions[0].name, "Sở Tài chính");
    EXPECT_EQ(after.org("STC")->versions[1].event_id, "E2");
    EXPECT_EQ(after.org("STC")->successor_id, "MOI");
    EXPECT_EQ(after.org("MOI")->current().name, "Sở Tài chính và Kế hoạch");
    EXPECT_EQ(after.person("p1")->org_id, "MOI");
    EXPECT_EQ(load(day("2025-02-28")).org("STC")->current().name, "Sở Tài chính");
    EXPECT_EQ(load(day("2025-07-15")).org("STC")->current().name, "Sở Tài chính (đổi tên)");
    EXPECT_FALSE(load(day("2025-07-15")).org("STC")->ceased_on);

    // Importing the original bundle again keeps the history, the cessation and the move.
    const ImportStats again = import(sample_registry(), sample_events());
    EXPECT_EQ(again.organizations, (RowStats{0, 0, 3}));
    EXPECT_EQ(again.people, (RowStats{0, 0, 3}));
    const Registry reimported = load();
    EXPECT_EQ(reimported.org("STC")->versions.size(), 2u);
    EXPECT_EQ(reimported.org("STC")->ceased_on, day("2025-08-01"));
    EXPECT_EQ(reimported.person("p1")->org_id, "MOI");
}

TEST_P(StoreHistory, ApplyWithUnknownSuperiorRollsBack) {
    import(sample_registry(), sample_events());
    const Registry before = load();
    Organization stc = *before.org("STC");
    stc.versions.push_back(version("2025-08-01", "Sở Tài chính", "NOWHERE"));
    const std::vector<store::PersonMove> moves{{"p2", day("2025-08-01"), "STC", "E4"}};
    const auto st = store_->apply_events({stc}, moves, {"E4"}, day("2025-08-01"), "tester");
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, "store.foreign_key");
    EXPECT_EQ(st.error().where.id, "STC");
    EXPECT_EQ(st.error().where.field, "superior_id");
    expect_same_registry(before, load());
    EXPECT_TRUE(store_->applied_event_ids().value().empty());
}

TEST_P(StoreHistory, BundleRegisteredVersionDatedYearOneRoundTrips) {
    // bundle_reader dates the registered state 0001-01-01: in force on every later day.
    Registry reg = sample_registry();
    reg.org("STC")->versions[0].valid_from = Date{1, 1, 1};
    import(reg);
    expect_same_registry(reg, load());
    EXPECT_EQ(load(day("1900-01-01")).org("STC")->current().name, "Sở Tài chính");
    EXPECT_EQ(load(day("1900-01-01")).organizations.size(), 1u);
}

// Tests: the SQLite store: round trips, idempotent re-import, all-or-nothing writes, counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "bundle/events_json.h"
#include "store_fixture.h"
#include "store_test_data.h"

using namespace kyso;
using namespace kyso::store_test;

class StoreBasics : public StoreTest {};
KYSO_STORE_BACKENDS(StoreBasics);
using kyso::store::ImportStats;
using kyso::store::RowStats;

TEST_P(StoreBasics, HandBuiltRegistryRoundTrips) {
    const Registry reg = sample_registry();
    const ImportStats stats = import(reg, sample_events());
    EXPECT_EQ(stats.organizations, (RowStats{3, 0, 0}));
    EXPECT_EQ(stats.org_versions, (RowStats{4, 0, 0}));
    EXPECT_EQ(stats.people, (RowStats{3, 0, 0}));
    EXPECT_EQ(stats.devices, (RowStats{3, 0, 0}));
    EXPECT_EQ(stats.certificates, (RowStats{3, 0, 0}));
    EXPECT_EQ(stats.events, (RowStats{4, 0, 0}));

    const Registry loaded = load();
    expect_same_registry(reg, loaded);
    ASSERT_NE(loaded.certificate("0A1B"), nullptr);
    EXPECT_EQ(loaded.certificate("0A1B")->der, reg.certificates[0].der);
    EXPECT_TRUE(loaded.certificate("0C")->device_id.empty());
    EXPECT_TRUE(loaded.person("p2")->org_id.empty());
}

TEST_P(StoreBasics, EventsLoadByEffectiveDateThenFileOrder) {
    import(sample_registry(), sample_events());
    auto events = store_->load_events();
    ASSERT_TRUE(events) << events.error().describe(true);
    ASSERT_EQ(events->size(), 4u);
    EXPECT_EQ((*events)[0].id, "E2");
    EXPECT_EQ((*events)[1].id, "E1");
    EXPECT_EQ((*events)[2].id, "E3");
    EXPECT_EQ((*events)[3].id, "E4");
    // Every field survives: the JSON form is identical, and file order is kept.
    for (const auto& original : sample_events()) {
        const auto it = std::find_if(events->begin(), events->end(),
                                     [&](const ReorgEvent& e) { return e.id == original.id; });
        ASSERT_NE(it, events->end());
        EXPECT_EQ(bundle::event_to_json(*it), bundle::event_to_json(original));
        EXPECT_EQ(it->file_order, original.file_order);
    }
}

TEST_P(StoreBasics, ReimportingTheSameDataChangesNothing) {
    import(sample_registry(), sample_events());
    const Registry first = load();
    const std::string before = db_state();

    const ImportStats again = import(sample_registry(), sample_events());
    EXPECT_FALSE(again.changed());
    EXPECT_EQ(again.organizations, (RowStats{0, 0, 3}));
    EXPECT_EQ(again.org_versions, (RowStats{0, 0, 4}));
    EXPECT_EQ(again.people, (RowStats{0, 0, 3}));
    EXPECT_EQ(again.devices, (RowStats{0, 0, 3}));
    EXPECT_EQ(again.certificates, (RowStats{0, 0, 3}));
    EXPECT_EQ(again.events, (RowStats{0, 0, 4}));
    EXPECT_EQ(db_state(), before);  // nothing was written at all
    expect_same_registry(first, load());
}

TEST_P(StoreBasics, ReimportUpdatesOnlyTheRowsThatDiffer) {
    import(sample_registry(), sample_events());
    Registry changed = sample_registry();
    changed.people[0].phone = "0911111111";
    changed.certificates[1].status = CertStatus::valid;
    changed.devices.push_back(
        Device{"d4", DeviceKind::usb_token, "TK-9", "", "", {HolderType::person, "p2"}});
    const ImportStats stats = import(changed, sample_events());
    EXPECT_EQ(stats.people, (RowStats{0, 1, 2}));
    EXPECT_EQ(stats.certificates, (RowStats{0, 1, 2}));
    EXPECT_EQ(stats.devices, (RowStats{1, 0, 3}));
    EXPECT_EQ(stats.organizations, (RowStats{0, 0, 3}));
    expect_same_registry(changed, load());
}

TEST_P(StoreBasics, FailedImportLeavesTheDatabaseAsBefore) {
    import(sample_registry(), sample_events());
    const Registry before = load();
    const auto counts_before = store_->counts();
    ASSERT_TRUE(counts_before);

    // Valid changes first (a new organization, a changed certificate), then a person whose
    // organization does not exist: all of it must be undone.
    Registry bad = sample_registry();
    bad.organizations.push_back(
        Organization{"MOI", {version("2025-03-01", "Sở mới", "UBT")}, {}, {}, {}});
    bad.certificates[0].status = CertStatus::revoked;
    bad.people.push_back(Person{"p9", "Phạm Văn Dũng", "040080012349", "1980-02-02", "", "",
                                "KHONG_CO", "", "", ""});
    auto result = store_->import_registry(bad, sample_events(), "tester", "test");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, "store.foreign_key");
    EXPECT_EQ(result.error().where.id, "p9");
    EXPECT_EQ(result.error().where.field, "org_id");
    EXPECT_NE(result.error().describe(true).find("KHONG_CO"), std::string::npos);

    expect_same_registry(before, load());
    EXPECT_EQ(store_->counts().value(), counts_before.value());
}

TEST_P(StoreBasics, CertificateOnUnknownDeviceIsRefusedWithItsSerial) {
    import(sample_registry());
    Certificate c = sample_registry().certificates[0];
    c.serial = "FF01";
    c.device_id = "no-such-device";
    const auto st = store_->upsert_certificates({c}, "tester", "test");
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, "store.foreign_key");
    EXPECT_EQ(st.error().where.id, "FF01");
    EXPECT_EQ(st.error().where.field, "device_id");
    EXPECT_EQ(load().certificate("FF01"), nullptr);
}

TEST_P(StoreBasics, IdGivenTwiceIsRefusedInEmptyAndFilledDatabases) {
    Registry dup = sample_registry();
    dup.certificates.push_back(dup.certificates[0]);
    auto fresh = store_->import_registry(dup, {}, "tester", "test");  // empty table: the fast path
    ASSERT_FALSE(fresh);
    EXPECT_EQ(fresh.error().code, "store.duplicate_id");
    EXPECT_EQ(fresh.error().where.id, "0A1B");
    EXPECT_TRUE(load().organizations.empty());

    import(sample_registry());
    auto filled =
        store_->import_registry(dup, {}, "tester", "test");  // rows exist: the compare path
    ASSERT_FALSE(filled);
    EXPECT_EQ(filled.error().code, "store.duplicate_id");
    EXPECT_EQ(filled.error().where.id, "0A1B");
}

TEST_P(StoreBasics, OrganizationWithoutVersionIsRefused) {
    Registry reg = sample_registry();
    reg.organizations.push_back(Organization{"EMPTY", {}, {}, {}, {}});
    auto result = store_->import_registry(reg, {}, "tester", "test");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, "store.no_versions");
    EXPECT_EQ(result.error().where.id, "EMPTY");
}

TEST_P(StoreBasics, CountsSummarizeTheRegistry) {
    import(sample_registry(), sample_events());
    auto c = store_->counts();
    ASSERT_TRUE(c) << c.error().describe(true);
    EXPECT_EQ(c->organizations, 3);
    EXPECT_EQ(c->active_organizations, 2);  // HUYEN ceased in 2020
    EXPECT_EQ(c->people, 3);
    EXPECT_EQ(c->usb_tokens, 1);
    EXPECT_EQ(c->pki_sims, 1);
    EXPECT_EQ(c->hsms, 1);
    EXPECT_EQ(c->valid_certificates, 2);
    EXPECT_EQ(c->revoked_certificates, 1);
    EXPECT_EQ(c->events, 4);
}

// Tests: the SQLite store (round trips, idempotent import, rollback, history, migrations).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "bundle/events_json.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "store_test_data.h"

namespace fs = std::filesystem;
using namespace kyso;
using namespace kyso::store_test;
using kyso::store::ImportStats;
using kyso::store::RowStats;
using kyso::store::Store;

namespace {

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs SQL on the database file behind the store's back (to set up odd states).
void execute_sql(const fs::path& path, const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* msg = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &msg);
    const std::string why = msg != nullptr ? msg : "";
    sqlite3_free(msg);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << why;
}

class SqliteStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device rd;
        dir_ = fs::temp_directory_path() / ("kyso-store-test-" + std::to_string(rd()));
        fs::create_directories(dir_);
        path_ = dir_ / "kyso.db";
        store_ = open();
    }
    void TearDown() override {
        store_.reset();
        fs::remove_all(dir_);
    }

    std::unique_ptr<Store> open() {
        auto s = store::sqlite::open_sqlite_store(path_.string());
        EXPECT_TRUE(s) << s.error().describe(true);
        return s ? std::move(*s) : nullptr;
    }
    Registry load(std::optional<Date> as_of = {}) {
        auto r = store_->load_registry(as_of);
        EXPECT_TRUE(r) << r.error().describe(true);
        return r ? std::move(*r) : Registry{};
    }
    ImportStats import(const Registry& r, const std::vector<ReorgEvent>& events = {}) {
        auto s = store_->import_registry(r, events);
        EXPECT_TRUE(s) << s.error().describe(true);
        return s ? *s : ImportStats{};
    }
    // The database and its write-ahead log, byte for byte.
    std::string file_bytes() const {
        return read_bytes(path_) + "|" + read_bytes(path_.string() + "-wal");
    }

    fs::path dir_;
    fs::path path_;
    std::unique_ptr<Store> store_;
};

}  // namespace

TEST_F(SqliteStoreTest, HandBuiltRegistryRoundTrips) {
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

TEST_F(SqliteStoreTest, EventsLoadByEffectiveDateThenFileOrder) {
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

TEST_F(SqliteStoreTest, ReimportingTheSameDataChangesNothing) {
    import(sample_registry(), sample_events());
    const Registry first = load();
    const std::string before = file_bytes();

    const ImportStats again = import(sample_registry(), sample_events());
    EXPECT_FALSE(again.changed());
    EXPECT_EQ(again.organizations, (RowStats{0, 0, 3}));
    EXPECT_EQ(again.org_versions, (RowStats{0, 0, 4}));
    EXPECT_EQ(again.people, (RowStats{0, 0, 3}));
    EXPECT_EQ(again.devices, (RowStats{0, 0, 3}));
    EXPECT_EQ(again.certificates, (RowStats{0, 0, 3}));
    EXPECT_EQ(again.events, (RowStats{0, 0, 4}));
    EXPECT_EQ(file_bytes(), before);  // nothing was written at all
    expect_same_registry(first, load());
}

TEST_F(SqliteStoreTest, ReimportUpdatesOnlyTheRowsThatDiffer) {
    import(sample_registry(), sample_events());
    Registry changed = sample_registry();
    changed.people[0].phone = "0911111111";
    changed.certificates[1].status = CertStatus::valid;
    changed.devices.push_back(Device{"d4", DeviceKind::usb_token, "TK-9", "", "",
                                     {HolderType::person, "p2"}});
    const ImportStats stats = import(changed, sample_events());
    EXPECT_EQ(stats.people, (RowStats{0, 1, 2}));
    EXPECT_EQ(stats.certificates, (RowStats{0, 1, 2}));
    EXPECT_EQ(stats.devices, (RowStats{1, 0, 3}));
    EXPECT_EQ(stats.organizations, (RowStats{0, 0, 3}));
    expect_same_registry(changed, load());
}

TEST_F(SqliteStoreTest, FailedImportLeavesTheDatabaseAsBefore) {
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
    auto result = store_->import_registry(bad, sample_events());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, "store.foreign_key");
    EXPECT_EQ(result.error().where.id, "p9");
    EXPECT_EQ(result.error().where.field, "org_id");
    EXPECT_NE(result.error().describe(true).find("KHONG_CO"), std::string::npos);

    expect_same_registry(before, load());
    EXPECT_EQ(store_->counts().value(), counts_before.value());
}

TEST_F(SqliteStoreTest, CertificateOnUnknownDeviceIsRefusedWithItsSerial) {
    import(sample_registry());
    Certificate c = sample_registry().certificates[0];
    c.serial = "FF01";
    c.device_id = "no-such-device";
    const auto st = store_->upsert_certificates({c});
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, "store.foreign_key");
    EXPECT_EQ(st.error().where.id, "FF01");
    EXPECT_EQ(st.error().where.field, "device_id");
    EXPECT_EQ(load().certificate("FF01"), nullptr);
}

TEST_F(SqliteStoreTest, IdGivenTwiceIsRefusedInEmptyAndFilledDatabases) {
    Registry dup = sample_registry();
    dup.certificates.push_back(dup.certificates[0]);
    auto fresh = store_->import_registry(dup, {});  // empty table: the fast path
    ASSERT_FALSE(fresh);
    EXPECT_EQ(fresh.error().code, "store.duplicate_id");
    EXPECT_EQ(fresh.error().where.id, "0A1B");
    EXPECT_TRUE(load().organizations.empty());

    import(sample_registry());
    auto filled = store_->import_registry(dup, {});  // rows exist: the compare path
    ASSERT_FALSE(filled);
    EXPECT_EQ(filled.error().code, "store.duplicate_id");
    EXPECT_EQ(filled.error().where.id, "0A1B");
}

TEST_F(SqliteStoreTest, OrganizationWithoutVersionIsRefused) {
    Registry reg = sample_registry();
    reg.organizations.push_back(Organization{"EMPTY", {}, {}, {}, {}});
    auto result = store_->import_registry(reg, {});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, "store.no_versions");
    EXPECT_EQ(result.error().where.id, "EMPTY");
}

TEST_F(SqliteStoreTest, LoadAsOfGivesTheVersionInForceThatDay) {
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

TEST_F(SqliteStoreTest, ReimportWithNewCurrentVersionAppendsIt) {
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

TEST_F(SqliteStoreTest, ReimportOnTheSameDateCorrectsTheVersion) {
    import(sample_registry());
    Registry reg = sample_registry();
    reg.org("STC")->versions[0].name = "Sở Tài chính tỉnh Sông Lam";
    const ImportStats stats = import(reg);
    EXPECT_EQ(stats.org_versions, (RowStats{0, 1, 3}));
    const Registry loaded = load();
    ASSERT_EQ(loaded.org("STC")->versions.size(), 1u);
    EXPECT_EQ(loaded.org("STC")->current().name, "Sở Tài chính tỉnh Sông Lam");
}

TEST_F(SqliteStoreTest, ApplyOrganizationVersionsKeepsHistory) {
    import(sample_registry(), sample_events());
    Registry state = load();
    // The result of applying events: STC renamed, a new organization that STC merges into,
    // and a person moved there.
    Organization* stc = state.org("STC");
    stc->versions.push_back(version("2025-08-01", "Sở Tài chính (đổi tên)", "UBT",
                                    OrgKind::department, "E5"));
    stc->ceased_on = day("2025-09-01");
    stc->ceased_by_event = "E6";
    stc->successor_id = "MOI";
    Organization moi{"MOI", {version("2025-09-01", "Sở Tài chính và Kế hoạch", "UBT",
                                     OrgKind::department, "E6")}, {}, {}, {}};
    Person moved = *state.person("p1");
    moved.org_id = "MOI";
    // STC comes before MOI although its successor names MOI: order must not matter.
    const auto st = store_->apply_organization_versions({*stc, moi}, {moved});
    ASSERT_TRUE(st) << st.error().describe(true);

    const Registry after = load();
    ASSERT_EQ(after.org("STC")->versions.size(), 2u);
    EXPECT_EQ(after.org("STC")->versions[0].name, "Sở Tài chính");
    EXPECT_EQ(after.org("STC")->versions[1].event_id, "E5");
    EXPECT_EQ(after.org("STC")->successor_id, "MOI");
    EXPECT_EQ(after.org("MOI")->current().name, "Sở Tài chính và Kế hoạch");
    EXPECT_EQ(after.person("p1")->org_id, "MOI");
    EXPECT_EQ(load(day("2025-07-15")).org("STC")->current().name, "Sở Tài chính");
    EXPECT_FALSE(load(day("2025-08-15")).org("STC")->ceased_on);

    // Importing the original bundle again keeps the history and the cessation.
    const ImportStats again = import(sample_registry(), sample_events());
    EXPECT_EQ(again.organizations, (RowStats{0, 0, 3}));
    const Registry reimported = load();
    EXPECT_EQ(reimported.org("STC")->versions.size(), 2u);
    EXPECT_EQ(reimported.org("STC")->ceased_on, day("2025-09-01"));
}

TEST_F(SqliteStoreTest, ApplyWithUnknownSuperiorRollsBack) {
    import(sample_registry());
    const Registry before = load();
    Organization stc = *before.org("STC");
    stc.versions.push_back(version("2025-08-01", "Sở Tài chính", "NOWHERE"));
    Person moved = *before.person("p2");
    moved.org_id = "STC";
    const auto st = store_->apply_organization_versions({stc}, {moved});
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, "store.foreign_key");
    EXPECT_EQ(st.error().where.id, "STC");
    EXPECT_EQ(st.error().where.field, "superior_id");
    expect_same_registry(before, load());
}

TEST_F(SqliteStoreTest, CountsSummarizeTheRegistry) {
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

TEST_F(SqliteStoreTest, MigrationsAreRecordedOnceAndNotRerunOnReopen) {
    auto applied = store_->applied_migrations();
    ASSERT_TRUE(applied);
    ASSERT_FALSE(applied->empty());
    EXPECT_EQ(applied->front().version, 1);
    EXPECT_EQ(applied->front().name, "0001_init");
    EXPECT_EQ(store_->schema_version().value(), applied->back().version);
    import(sample_registry(), sample_events());

    store_.reset();
    store_ = open();
    ASSERT_NE(store_, nullptr);
    EXPECT_EQ(store_->applied_migrations().value(), applied.value());  // same rows, same times
    expect_same_registry(sample_registry(), load());
}

TEST_F(SqliteStoreTest, DatabaseFromNewerKysoIsRefused) {
    store_.reset();
    execute_sql(path_, "INSERT INTO schema_migrations (version, name) VALUES (999, '0999_x')");
    auto reopened = store::sqlite::open_sqlite_store(path_.string());
    ASSERT_FALSE(reopened);
    EXPECT_EQ(reopened.error().code, "store.schema_newer");
}

TEST_F(SqliteStoreTest, FileThatIsNotADatabaseIsRefused) {
    const fs::path other = dir_ / "notes.txt";
    std::ofstream(other) << "this is not a database, just some text that is long enough\n";
    auto s = store::sqlite::open_sqlite_store(other.string());
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, "store.open");
    auto missing = store::sqlite::open_sqlite_store((dir_ / "no/such/dir/x.db").string());
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "store.open");
}

TEST_F(SqliteStoreTest, OpenStoreChoosesTheBackEndByLocation) {
    store_.reset();
    auto s = store::open_store("sqlite:" + path_.string());
    ASSERT_TRUE(s) << s.error().describe(true);
    EXPECT_EQ((*s)->description(), "sqlite:" + path_.string());
    auto pg = store::open_store("postgresql://localhost/kyso");
    ASSERT_FALSE(pg);
    EXPECT_EQ(pg.error().code, "store.unsupported");
}

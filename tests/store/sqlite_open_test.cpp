// Tests: opening stores: migrations (both back-ends), refusals, back-end choice, locking
// between SQLite connections.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "store/postgres/connection.h"
#include "store_fixture.h"
#include "store_test_data.h"

using namespace kyso;
using namespace kyso::store_test;

class StoreOpen : public StoreTest {};
KYSO_STORE_BACKENDS(StoreOpen);

TEST_P(StoreOpen, MigrationsAreRecordedOnceAndNotRerunOnReopen) {
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

TEST_P(StoreOpen, DatabaseFromNewerKysoIsRefused) {
    store_.reset();
    ASSERT_EQ(raw_sql("INSERT INTO schema_migrations (version, name) VALUES (999, '0999_x')"), "");
    auto reopened = store::open_store(location_);
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
    // PostgreSQL by URI or keyword string; a server that is not there is store.open, and
    // neither the message nor the description holds the password.
    for (const std::string loc :
         {"postgresql://kyso:s3cret-pw@127.0.0.1:1/kyso",
          "postgres://kyso:s3cret-pw@127.0.0.1:1/kyso",
          "host=127.0.0.1 port=1 dbname=kyso user=kyso password=s3cret-pw"}) {
        EXPECT_TRUE(store::postgres::is_postgres_location(loc)) << loc;
        auto pg = store::open_store(
            loc + (loc.starts_with("host") ? " connect_timeout=2" : "?connect_timeout=2"));
        ASSERT_FALSE(pg) << loc;
        EXPECT_EQ(pg.error().code, "store.open") << loc;
        EXPECT_EQ(pg.error().message_en.find("s3cret-pw"), std::string::npos)
            << pg.error().message_en;
        EXPECT_EQ(store::postgres::describe_location(loc), "postgresql://127.0.0.1:1/kyso");
    }
    EXPECT_FALSE(store::postgres::is_postgres_location("kyso.db"));
    EXPECT_FALSE(store::postgres::is_postgres_location("sqlite:/srv/host=x.db"));
}

TEST_P(StoreOpen, DescriptionNamesTheBackEndAndNeverAPassword) {
    const std::string d = store_->description();
    if (pg()) {
        EXPECT_EQ(d.rfind("postgresql://", 0), 0u) << d;
        EXPECT_NE(d.find(database_->name()), std::string::npos) << d;
    } else {
        EXPECT_EQ(d, "sqlite:" + location_);
    }
}

// Two processes starting at once on a new database: the migrator's lock makes one migrate and
// the other find the migrations done (each recorded once).
TEST_P(StoreOpen, StoresOpenedAtOnceMigrateOnce) {
    std::optional<ScratchDatabase> fresh;
    std::string loc = (dir_ / "fresh.db").string();
    if (pg()) {
        fresh.emplace(test_pg_server());
        loc = fresh->location();
    }
    std::vector<std::unique_ptr<store::Store>> opened(4);
    std::vector<std::thread> threads;
    for (auto& slot : opened) {
        threads.emplace_back([&slot, &loc] {
            auto s = store::open_store(loc);
            if (s) slot = std::move(*s);
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& s : opened) ASSERT_NE(s, nullptr);
    opened.resize(1);
    const auto applied = opened[0]->applied_migrations().value();
    std::set<int> versions;
    for (const auto& m : applied) EXPECT_TRUE(versions.insert(m.version).second) << m.version;
    EXPECT_EQ(static_cast<int>(applied.size()), applied.back().version);
}

TEST_F(SqliteStoreTest, WriteWaitsForAnotherWriterThenSaysBusy) {
    store_.reset();
    auto s = store::sqlite::open_sqlite_store(path_.string(), {.busy_timeout_ms = 50});
    ASSERT_TRUE(s) << s.error().describe(true);
    RawConnection other(path_);
    ASSERT_EQ(other.exec("BEGIN IMMEDIATE"), kSqliteOk);
    auto busy = (*s)->import_registry(sample_registry(), {}, "tester", "test");
    ASSERT_FALSE(busy);
    EXPECT_EQ(busy.error().code, "store.busy");
    ASSERT_EQ(other.exec("COMMIT"), kSqliteOk);
    EXPECT_TRUE((*s)->import_registry(sample_registry(), {}, "tester", "test"));
}

TEST_F(SqliteStoreTest, ReadersSeeCommittedDataWhileAnotherConnectionWrites) {
    import(sample_registry());
    RawConnection other(path_);
    ASSERT_EQ(other.exec("BEGIN IMMEDIATE; DELETE FROM certificates;"), kSqliteOk);
    EXPECT_EQ(load().certificates.size(), 3u);  // not blocked; the open delete is not seen
    ASSERT_EQ(other.exec("COMMIT"), kSqliteOk);
    EXPECT_TRUE(load().certificates.empty());
}

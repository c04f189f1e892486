// Tests: opening SQLite stores: migrations, refusals, back-end choice, locking between connections.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "sqlite_fixture.h"
#include "store_test_data.h"

using namespace kyso;
using namespace kyso::store_test;

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

// Tests: opening stores: migrations (both back-ends), refusals, back-end choice, locking
// between SQLite connections, the statements a SQLite connection keeps for reuse.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "store/postgres/connection.h"
#include "store/sqlite/connection.h"
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

namespace {

// The statements a SQLite connection has prepared and not finalized (sqlite3_next_stmt), and
// how many of them are in the middle of a run.
struct StatementCount {
    int alive = 0;
    int busy = 0;
};
StatementCount statements_of(const store::sqlite::Connection& db) {
    StatementCount n;
    for (sqlite3_stmt* s = sqlite3_next_stmt(db.handle(), nullptr); s != nullptr;
         s = sqlite3_next_stmt(db.handle(), s)) {
        ++n.alive;
        if (sqlite3_stmt_busy(s)) ++n.busy;
    }
    return n;
}

}  // namespace

TEST_F(SqliteStoreTest, AStatementIsKeptForItsTextAndReusedWithoutItsBindingsOrItsRun) {
    auto db = store::sqlite::Connection::open(path_.string(), 1000);
    ASSERT_TRUE(db) << db.error().describe(true);
    ASSERT_TRUE(db->exec("CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('a'), ('b')"));
    const int before = statements_of(*db).alive;  // those opening the connection used
    const std::string sql = "SELECT ?1, (SELECT count(*) FROM t)";
    {
        auto st = db->prepare(sql);
        ASSERT_TRUE(st);
        st->bind(1, "bound before");
        ASSERT_TRUE(st->step().value());
        EXPECT_EQ(st->string(0), "bound before");
        // Ends in the middle of its run (a row is current).
    }
    EXPECT_EQ(statements_of(*db).alive, before + 1);  // kept, not finalized
    EXPECT_EQ(statements_of(*db).busy, 0);            // and reset: it holds no read transaction
    {
        auto again = db->prepare(sql);
        ASSERT_TRUE(again);
        EXPECT_EQ(statements_of(*db).alive, before + 1);  // the same one, not a second
        ASSERT_TRUE(again->step().value());
        EXPECT_TRUE(again->is_null(0));  // the earlier binding is gone
        EXPECT_EQ(again->int64(1), 2);
        // The same text while it is in use: a statement of its own.
        auto nested = db->prepare(sql);
        ASSERT_TRUE(nested);
        EXPECT_EQ(statements_of(*db).alive, before + 2);
        nested->bind(1, "nested");
        ASSERT_TRUE(nested->step().value());
        EXPECT_EQ(nested->string(0), "nested");
        EXPECT_TRUE(again->is_null(0));
    }
    EXPECT_EQ(statements_of(*db).alive, before + 2);
    // A write from another connection is not blocked by anything kept.
    auto other = store::sqlite::Connection::open(path_.string(), 1000);
    ASSERT_TRUE(other);
    EXPECT_TRUE(other->exec("INSERT INTO t VALUES ('c')"));
    auto count = db->prepare(sql);
    ASSERT_TRUE(count);
    ASSERT_TRUE(count->step().value());
    EXPECT_EQ(count->int64(1), 3);  // a kept statement reads the database as it is now
}

TEST_F(SqliteStoreTest, AConnectionKeepsABoundedNumberOfStatements) {
    auto db = store::sqlite::Connection::open(path_.string(), 1000);
    ASSERT_TRUE(db);
    for (int i = 0; i < 400; ++i) {
        auto st = db->prepare("SELECT " + std::to_string(i));
        ASSERT_TRUE(st);
        ASSERT_TRUE(st->step().value());
        EXPECT_EQ(st->int64(0), i);
    }
    const int kept = statements_of(*db).alive;
    EXPECT_GT(kept, 0);
    EXPECT_LE(kept, 256);
    // Once full, keeping starts again: the last one used is kept and comes back as itself.
    {
        auto st = db->prepare("SELECT 399");
        ASSERT_TRUE(st);
        EXPECT_EQ(statements_of(*db).alive, kept);  // not one more: the kept one
        ASSERT_TRUE(st->step().value());
        EXPECT_EQ(st->int64(0), 399);
    }
    // A statement that does not prepare is an error, and nothing is kept of it.
    auto bad = db->prepare("SELEKT 1");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "store.sqlite");
    EXPECT_EQ(statements_of(*db).alive, kept);
}

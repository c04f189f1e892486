// Tests: a fixture with a fresh store on each back-end — SQLite always, PostgreSQL when the
// environment variable KYSO_TEST_PG holds a libpq connection string to a server where the user
// may create databases (scripts/pg-test-server.sh). Each PostgreSQL test makes its own
// database kyso_t_<random> and drops it afterwards.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <vector>

#include "sqlite_fixture.h"
#include "store/audit_key.h"
#include "store/pg_scratch.h"
#include "store/postgres/connection.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::store_test {

enum class Backend { sqlite, postgres };

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
    return info.param == Backend::sqlite ? "sqlite" : "postgres";
}

class StoreTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        std::random_device rd;
        dir_ = fs::temp_directory_path() / ("kyso-store-test-" + std::to_string(rd()));
        fs::create_directories(dir_);
        if (pg()) {
            const std::string server = test_pg_server();
            if (server.empty())
                GTEST_SKIP() << "PostgreSQL case skipped: set KYSO_TEST_PG to a libpq connection "
                                "string (scripts/pg-test-server.sh start prints one)";
            database_.emplace(server);
            location_ = database_->location();
            // A PostgreSQL database keeps its audit key in a named file (docs/audit.md).
            store::set_audit_key_file((dir_ / "pg.auditkey").string());
        } else {
            location_ = (dir_ / "kyso.db").string();
        }
        store_ = open();
    }
    void TearDown() override {
        store_.reset();
        store::set_audit_key_file("");
        database_.reset();
        fs::remove_all(dir_);
    }

    [[nodiscard]] bool pg() const { return GetParam() == Backend::postgres; }

    std::unique_ptr<store::Store> open() {
        auto s = store::open_store(location_);
        EXPECT_TRUE(s) << s.error().describe(true);
        return s ? std::move(*s) : nullptr;
    }
    std::unique_ptr<store::WorkflowStore> workflow() {
        auto w = store::open_workflow_store(location_);
        EXPECT_TRUE(w) << w.error().describe(true);
        return w ? std::move(*w) : nullptr;
    }
    Registry load(std::optional<Date> as_of = {}) {
        auto r = store_->load_registry(as_of);
        EXPECT_TRUE(r) << r.error().describe(true);
        return r ? std::move(*r) : Registry{};
    }
    store::ImportStats import(const Registry& r, const std::vector<ReorgEvent>& events = {}) {
        auto s = store_->import_registry(r, events, "tester", "test");
        EXPECT_TRUE(s) << s.error().describe(true);
        return s ? *s : store::ImportStats{};
    }

    // The audit key and head files of the database.
    [[nodiscard]] fs::path key_file() const {
        return pg() ? dir_ / "pg.auditkey" : fs::path(location_ + ".auditkey");
    }
    [[nodiscard]] fs::path head_file() const {
        return (pg() ? key_file().string() : location_) + ".audithead";
    }

    // Runs SQL behind the store's back (another process, in effect); "" when it succeeded,
    // else the error.
    std::string raw_sql(const std::string& sql) {
        if (!pg()) {
            RawConnection db(location_);
            const std::string rc = db.exec(sql.c_str());
            return rc == kSqliteOk ? "" : rc;
        }
        try {
            pqxx::connection c(location_);
            pqxx::work tx(c);
            tx.exec(sql);
            tx.commit();
            return "";
        } catch (const std::exception& e) {
            return e.what();
        }
    }

    // What the database holds, so that "nothing was written" can be checked: SQLite's file and
    // write-ahead log byte for byte; in PostgreSQL each row's version (xmin changes when a row
    // is written, even with the same values) and the audit log's length.
    std::string db_state() {
        if (!pg()) {
            return read_bytes(location_) + "|" + read_bytes(location_ + "-wal");
        }
        pqxx::connection c(location_);
        pqxx::work tx(c);
        std::string out;
        for (const char* table : {"organizations", "org_versions", "people", "devices",
                                  "certificates", "events", "audit_log", "audit_head"}) {
            auto r = tx.exec(std::string("SELECT coalesce(string_agg(xmin::text || ':' || "
                                         "ctid::text, ',' ORDER BY ctid), '') FROM ") +
                             table);
            out += std::string(table) + "=" + r[0][0].c_str() + ";";
        }
        return out;
    }

    fs::path dir_;
    std::string location_;
    std::optional<ScratchDatabase> database_;
    std::unique_ptr<store::Store> store_;
};

#define KYSO_STORE_BACKENDS(Fixture)            \
    INSTANTIATE_TEST_SUITE_P(Backends, Fixture, \
                             ::testing::Values(Backend::sqlite, Backend::postgres), backend_name)

}  // namespace kyso::store_test

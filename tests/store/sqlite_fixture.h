// Tests: a fixture with a fresh SQLite store in a temporary folder, and raw-SQL helpers.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace kyso::store_test {

namespace fs = std::filesystem;

inline std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A second connection to the database file, outside the store: another process, in effect.
class RawConnection {
public:
    explicit RawConnection(const fs::path& path) { sqlite3_open(path.c_str(), &db_); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;
    ~RawConnection() { sqlite3_close(db_); }

    // The SQLite result code, with the message on failure.
    std::string exec(const char* sql) {
        char* msg = nullptr;
        const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &msg);
        std::string out = sqlite3_errstr(rc);
        if (msg != nullptr) out += std::string(": ") + msg;
        sqlite3_free(msg);
        return out;
    }

private:
    sqlite3* db_ = nullptr;
};

constexpr const char* kSqliteOk = "not an error";  // sqlite3_errstr(SQLITE_OK)

// Runs SQL on the database file behind the store's back (to set up odd states).
inline void execute_sql(const fs::path& path, const char* sql) {
    RawConnection db(path);
    ASSERT_EQ(db.exec(sql), kSqliteOk);
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

    std::unique_ptr<store::Store> open() {
        auto s = store::sqlite::open_sqlite_store(path_.string());
        EXPECT_TRUE(s) << s.error().describe(true);
        return s ? std::move(*s) : nullptr;
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
    // The database and its write-ahead log, byte for byte.
    std::string file_bytes() const {
        return read_bytes(path_) + "|" + read_bytes(path_.string() + "-wal");
    }

    fs::path dir_;
    fs::path path_;
    std::unique_ptr<store::Store> store_;
};

}  // namespace kyso::store_test

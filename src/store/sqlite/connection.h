// kyso store — an open SQLite database (RAII) and its transactions.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/sqlite/statement.h"

namespace kyso::store::sqlite {

struct DatabaseCloser {
    // _v2: closing waits for statements still alive instead of failing with SQLITE_BUSY.
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DatabaseHandle = std::unique_ptr<sqlite3, DatabaseCloser>;

class Connection {
public:
    // Opens (creating if needed) the database file and sets the connection's PRAGMAs:
    // WAL journal, foreign keys on, synchronous=NORMAL, a busy timeout, a larger page cache.
    static Result<Connection> open(const std::string& path, int busy_timeout_ms);

    // Runs one or more statements that return nothing of interest (PRAGMA, DDL, BEGIN).
    // A lock still held by another connection after the busy timeout is store.busy.
    Status exec(std::string_view sql);
    // A statement for `sql`: one kept from an earlier use of the same text, else prepared now
    // (store.sqlite on a syntax error). Given back to this connection when it ends.
    Result<Statement> prepare(std::string_view sql);
    // Runs a query returning one integer (e.g. SELECT count(*)); NULL or no row reads as 0.
    Result<std::int64_t> query_int(std::string_view sql);
    Result<bool> table_is_empty(std::string_view table);

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] sqlite3* handle() const { return db_.get(); }
    [[nodiscard]] int busy_timeout_ms() const { return busy_timeout_ms_; }

private:
    Connection(DatabaseHandle db, std::string path, int busy_timeout_ms)
        : db_(std::move(db)), path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}

    DatabaseHandle db_;
    std::string path_;
    int busy_timeout_ms_ = 0;
    // After db_: destroyed first, finalizing the kept statements before the database closes.
    std::shared_ptr<StatementCache> statements_ = std::make_shared<StatementCache>();
};

// A transaction that rolls back unless commit() succeeded, also when an early `return` leaves
// the scope with an error. Writers use BEGIN IMMEDIATE: they take the write lock at once (or
// wait for it, up to the busy timeout) instead of failing later when a read turns into a write.
// Readers use a deferred BEGIN so all their SELECTs see one snapshot.
// Writers of one process to one file also queue in the process (a lock per path, taken in
// order): SQLite's busy handler polls with sleeps of up to 100 ms, so many threads waiting for
// the write lock through it each wait far longer than the writes ahead of them take. Another
// process still waits through the busy handler. The wait is bounded by the busy timeout
// (store.busy, as SQLite's own).
class Transaction {
public:
    enum class Mode { read, write };

    static Result<Transaction> begin(Connection& db, Mode mode);
    Status commit();

    Transaction(Transaction&& other) noexcept : db_(other.db_), writer_(std::move(other.writer_)) {
        other.db_ = nullptr;
    }
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

private:
    explicit Transaction(Connection* db) : db_(db) {}

    Connection* db_;                                       // null once committed or rolled back
    std::unique_lock<std::recursive_timed_mutex> writer_;  // this process's writers of the file
};

}  // namespace kyso::store::sqlite

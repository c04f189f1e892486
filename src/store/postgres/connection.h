// kyso store — an open PostgreSQL connection (libpqxx 6), its transactions and statements.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace pqxx {
class connection_base;
class dbtransaction;
class result;
}  // namespace pqxx

namespace kyso::store::postgres {

class Connection;

// Whether `location` names a PostgreSQL database: a "postgresql://" or "postgres://" URI, or a
// libpq keyword string ("host=… dbname=…", libpq "Connection Strings").
bool is_postgres_location(std::string_view location);

// "postgresql://HOST[:PORT]/DBNAME" for messages and logs: never the user's password (nor the
// user, nor other parameters). A socket folder as host is written as it is.
std::string describe_location(const std::string& location);

// The database name of `location` (libpq dbname, "" when not given).
std::string database_name(const std::string& location);
// `location` with its database name replaced by `dbname` (a keyword string in any case).
std::string with_database(const std::string& location, const std::string& dbname);

// `sql` with SQLite's numbered parameters ?N (outside quotes) written as PostgreSQL's $N.
std::string dollar_parameters(std::string_view sql);

// A prepared statement of one Connection. Parameters are $1..$N, 1-based, bound as text (what
// libpq sends anyway); columns are 0-based. The same calls as sqlite::Statement, so the
// back-ends read alike: reset(), bind(...), then step() until false, or run() for a write.
class Statement {
public:
    Statement() = default;
    Statement(Connection* db, std::string name, std::string sql);

    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::int64_t value);
    Statement& bind_null(int index);
    // Empty text → NULL: absent optional references, so that foreign keys do not apply.
    Statement& bind_or_null(int index, std::string_view text);
    // As bind / bind_or_null (the text is copied: libpq sends it from a buffer of its own).
    Statement& bind_unowned(int index, std::string_view text) { return bind(index, text); }
    Statement& bind_unowned_or_null(int index, std::string_view text) {
        return bind_or_null(index, text);
    }
    // bytea in hex form ("\x…"); empty → NULL.
    Statement& bind_unowned_blob(int index, const std::vector<std::uint8_t>& bytes);
    // A buffer for computed values, one per parameter (as sqlite::Statement::scratch). The
    // reference stays valid while the statement lives: asking for a higher index later
    // never moves the earlier buffers (a std::vector here once did, a use-after-free).
    std::string& scratch(int index);

    // Runs the statement at the first call; true while a row is current.
    Result<bool> step();
    // Runs a statement that returns no row; affected() then says how many rows it changed.
    Status run();
    void reset();

    [[nodiscard]] std::string_view text(int column) const;
    [[nodiscard]] std::string string(int column) const { return std::string(text(column)); }
    [[nodiscard]] std::int64_t int64(int column) const;
    [[nodiscard]] bool is_null(int column) const;
    // The number of columns of the current result's rows (0 before the statement ran).
    [[nodiscard]] int column_count() const;
    [[nodiscard]] std::vector<std::uint8_t> blob(int column) const;  // from bytea hex output

    [[nodiscard]] std::size_t affected() const { return affected_; }
    // The SQLSTATE of the last failure (e.g. "23503" foreign key, "23505" unique), "" if none.
    [[nodiscard]] const std::string& last_error() const { return last_error_; }
    // PostgreSQL's message for it (first line and DETAIL).
    [[nodiscard]] const std::string& last_message() const { return last_message_; }
    [[nodiscard]] const std::string& sql() const { return sql_; }

private:
    Status execute();

    Connection* db_ = nullptr;
    std::string name_;
    std::string sql_;
    std::vector<std::string> values_;
    std::vector<bool> nulls_;
    std::deque<std::string> scratch_;
    std::shared_ptr<pqxx::result> result_;
    std::size_t row_ = 0;
    bool executed_ = false;
    std::size_t affected_ = 0;
    std::string last_error_;
    std::string last_message_;
};

// One connection to one database. Outside a Transaction each statement commits on its own.
// Use from one thread at a time.
class Connection {
public:
    // Connects to `location` (URI or keyword string). Errors: store.open (naming the database
    // by describe_location, never with its password).
    static Result<Connection> open(const std::string& location);

    Connection(Connection&&) noexcept;
    Connection& operator=(Connection&&) noexcept;
    ~Connection();

    // Runs SQL text without parameters (one or more statements: DDL, a migration file).
    Status exec(std::string_view sql);
    // A statement prepared on the server once per connection and SQL text. Parameters are
    // written $N, or ?N as SQLite writes them (SQL text shared with the SQLite back-end).
    Result<Statement> prepare(std::string_view sql);
    // A query returning one integer; NULL or no row reads as 0.
    Result<std::int64_t> query_int(std::string_view sql);
    Result<bool> table_is_empty(std::string_view table);

    [[nodiscard]] const std::string& description() const { return description_; }
    [[nodiscard]] bool in_transaction() const { return tx_ != nullptr; }

    // Internal to Statement and Transaction.
    Result<pqxx::result> execute(const std::string& name, const std::string& sql,
                                 const std::vector<std::string>& values,
                                 const std::vector<bool>& nulls, std::string& sqlstate,
                                 std::string& message);
    Status begin(bool write);
    Status commit();
    void rollback() noexcept;

private:
    // libpqxx 6's connection_base has no virtual destructor: the handle is deleted as the
    // pqxx::connection it was made as (deleting the base was a new/delete size mismatch).
    struct DeleteConnection {
        void operator()(pqxx::connection_base* conn) const noexcept;
    };
    using Handle = std::unique_ptr<pqxx::connection_base, DeleteConnection>;

    Connection(Handle conn, std::string description);

    Handle conn_;
    std::unique_ptr<pqxx::dbtransaction> tx_;
    std::map<std::string, std::string, std::less<>> prepared_;  // sql → statement name
    std::string description_;
};

// A transaction that rolls back unless commit() succeeded. A write transaction first takes
// the database's write lock (pg_advisory_xact_lock(kWriteLock), released at its end): kyso's
// writes are serialized as SQLite's BEGIN IMMEDIATE serializes them, so every check made
// inside one (a request's state, a free letter number, the audit chain's head, "no user yet")
// still holds when it commits, across any number of processes. A read transaction is
// REPEATABLE READ, READ ONLY: all its queries see one snapshot.
class Transaction {
public:
    enum class Mode { read, write };
    static Result<Transaction> begin(Connection& db, Mode mode);
    Status commit();

    Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

private:
    explicit Transaction(Connection* db) : db_(db) {}
    Connection* db_;
};

// The advisory lock keys kyso takes (pg_advisory_lock / pg_advisory_xact_lock), arbitrary but
// fixed: one for the migrator (held by the session while it migrates), one for writes.
inline constexpr std::int64_t kMigrationLock = 0x6b79736f'00000001;  // "kyso" 1
inline constexpr std::int64_t kWriteLock = 0x6b79736f'00000002;      // "kyso" 2

}  // namespace kyso::store::postgres

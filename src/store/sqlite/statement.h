// kyso store — a prepared SQLite statement: bind, step, read columns; given back to its
// connection's cache (or finalized) by its owner.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kyso::store::sqlite {

// The prepared statements of one connection kept for reuse (Connection::prepare): preparing
// a list query again for each request was an eighth of the server's time (perf under
// bench/serve.sh at 1M). A statement given back is reset and its bindings cleared; at most
// kMaxIdle are kept (when full, all are finalized and keeping starts again). Used by the
// connection's one thread at a time.
class StatementCache {
public:
    StatementCache() = default;
    ~StatementCache();
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    // A kept statement prepared from exactly `sql`, now the caller's; nullptr when none is.
    sqlite3_stmt* take(std::string_view sql);
    // Keeps `stmt` (prepared from `sql`) for a later take(); when kMaxIdle are kept already,
    // those are finalized first.
    void give(std::string sql, sqlite3_stmt* stmt);

private:
    static constexpr std::size_t kMaxIdle = 256;
    std::map<std::string, std::vector<sqlite3_stmt*>, std::less<>> idle_;
    std::size_t count_ = 0;
};

// Ends a statement: back to its connection's cache while the connection lives, else finalized.
struct StatementFinalizer {
    std::weak_ptr<StatementCache> cache;  // empty: always finalized
    std::string sql;                      // the text it was prepared from (the cache's key)
    void operator()(sqlite3_stmt* stmt) const;
};
using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// Usage: reset(), bind(...), then step() until it returns false (or read one row and reset()).
// Parameters are 1-based (`?1`), columns 0-based, as in the SQLite API. A failed bind is kept
// and reported by the next step(), so call sites bind without checking each one.
class Statement {
public:
    Statement() = default;
    Statement(sqlite3* db, StatementHandle stmt) : db_(db), stmt_(std::move(stmt)) {}

    // Text and blobs are copied (SQLITE_TRANSIENT), so temporaries are safe to bind.
    Statement& bind(int index, std::string_view text);
    // Not copied (SQLITE_STATIC): `text` must stay alive and unchanged until the statement has
    // run. Row binders use it for the record being written: no allocation per value, which is
    // measurable at a million rows.
    Statement& bind_unowned(int index, std::string_view text);
    Statement& bind_unowned_or_null(int index, std::string_view text);
    // A buffer owned by the statement for computed values (one per parameter, reused from row
    // to row so it allocates once); fill it, then bind_unowned(index, scratch(index)).
    std::string& scratch(int index);
    Statement& bind(int index, std::int64_t value);
    Statement& bind_null(int index);
    // Empty text → NULL: absent optional references, so that foreign keys do not apply.
    Statement& bind_or_null(int index, std::string_view text);
    // Empty → NULL; not copied, like bind_unowned.
    Statement& bind_unowned_blob(int index, const std::vector<std::uint8_t>& bytes);

    // true: a row is ready; false: done (the statement is then reset). An error also resets.
    Result<bool> step();
    // Steps a statement that returns no row (INSERT, UPDATE) and resets it.
    Status run();
    // Ends the current execution and forgets failed binds; bindings stay until rebound.
    void reset();

    // Column readers, valid while the row is current. NULL reads as "" / 0 / empty.
    [[nodiscard]] std::string_view text(int column) const;
    [[nodiscard]] std::string string(int column) const { return std::string(text(column)); }
    [[nodiscard]] std::int64_t int64(int column) const;
    [[nodiscard]] bool is_null(int column) const;
    // The number of columns of the statement's rows.
    [[nodiscard]] int column_count() const;
    [[nodiscard]] std::vector<std::uint8_t> blob(int column) const;

    // The extended result code of the last failed step (e.g. SQLITE_CONSTRAINT_FOREIGNKEY).
    [[nodiscard]] int last_error() const { return last_error_; }
    // SQLite's own text for it, e.g. "FOREIGN KEY constraint failed".
    [[nodiscard]] const std::string& last_message() const { return last_message_; }
    [[nodiscard]] std::string_view sql() const;

private:
    void note_bind(int rc);
    Statement& bind_text(int index, std::string_view text, sqlite3_destructor_type lifetime);

    sqlite3* db_ = nullptr;
    StatementHandle stmt_;
    int bind_error_ = SQLITE_OK;
    int last_error_ = SQLITE_OK;
    std::string last_message_;
    std::vector<std::string> scratch_;
};

// A store.sqlite error from the connection's last failure, e.g. "… (while: COMMIT)".
Error sqlite_error(sqlite3* db, std::string_view context = {});
// The same, for a result code when the connection has no message (open failures).
Error sqlite_error_code(int rc, std::string_view context = {});

}  // namespace kyso::store::sqlite

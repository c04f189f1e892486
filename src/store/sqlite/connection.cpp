// kyso store — an open SQLite database (RAII) and its transactions.
#include "store/sqlite/connection.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>

#include "core/messages.h"

namespace kyso::store::sqlite {

namespace {

// Set on every connection (these PRAGMAs are per connection, except journal_mode).
// - WAL: readers do not block the writer and a crash never leaves a half-written database.
// - synchronous=NORMAL: in WAL mode the database stays consistent on power loss; only the
//   last commits may be lost. A bulk import gains nothing from OFF here (a WAL commit is not
//   synced at NORMAL either; only checkpoints are), while OFF could corrupt the file on power
//   loss during a checkpoint, so we never use it.
// - foreign_keys: SQLite leaves them off unless asked, per connection.
// - cache_size -65536: 64 MiB of page cache (allocated only when used) keeps the indexes of a
//   million-row import in memory instead of re-reading pages.
// - mmap_size 0 (no memory map; SQLite "Memory-Mapped I/O"): in WAL mode a connection whose
//   snapshot changed (another connection wrote) unmaps the whole file when its next read
//   begins, and the next reads fault its pages in again; with a server's connections and a few
//   writes a second, unmapping and faults took about 30 % of the server's time (perf under
//   bench/serve.sh at 1M: mixed workload 313 requests/s with the map, 927 without). Reads go
//   through the page cache above and the operating system's (`kyso plan --db` at 1M: 25.0 s
//   with a 2 GiB map, 25.6 s without).
constexpr std::string_view kPragmas =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = NORMAL;"
    "PRAGMA foreign_keys = ON;"
    "PRAGMA cache_size = -65536;"
    "PRAGMA mmap_size = 0;"
    "PRAGMA temp_store = MEMORY;";

// Creates the database file `path`, empty and readable by its owner only (0600), unless it
// exists. SQLite gives the -wal and -shm files it makes later the mode of the database file, so
// they are 0600 too. O_EXCL: never through a symbolic link or over a file made meanwhile.
Status create_private(const std::string& path) {
    if (path.empty() || path == ":memory:" || path.starts_with("file:")) return Ok{};
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return Ok{};
        return make_error("store.open", Location{path, 0, {}, {}}, {path, std::strerror(errno)});
    }
    // The mode asked for is cut by the umask, never widened: set it exactly.
    const bool ok = ::fchmod(fd, 0600) == 0;
    ::close(fd);
    if (!ok)
        return make_error("store.open", Location{path, 0, {}, {}}, {path, std::strerror(errno)});
    return Ok{};
}

}  // namespace

Result<Connection> Connection::open(const std::string& path, int busy_timeout_ms) {
    // No memory statistics: with them every allocation of every connection takes one global
    // mutex (SQLite "Configuration Options", SQLITE_CONFIG_MEMSTATUS), and the server's
    // threads each have their own connections. Only possible before SQLite initializes; when
    // something initialized it already, it simply keeps its default.
    static std::once_flag configured;
    std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
    if (auto made = create_private(path); !made) return made.error();
    sqlite3* raw = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    DatabaseHandle db(raw);  // owns the handle even when opening failed
    if (rc != SQLITE_OK) {
        const std::string why = db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc);
        return make_error("store.open", Location{path, 0, {}, {}}, {path, why});
    }
    sqlite3_extended_result_codes(db.get(), 1);
    sqlite3_busy_timeout(db.get(), busy_timeout_ms);
    Connection conn(std::move(db), path, busy_timeout_ms);
    // The first statement reads the file header: a file that is not a database fails here.
    if (auto st = conn.exec(kPragmas); !st) {
        return make_error("store.open", Location{path, 0, {}, {}}, {path, st.error().message_en});
    }
    auto fk = conn.query_int("PRAGMA foreign_keys");
    if (!fk) return fk.error();
    if (*fk != 1) {
        return make_error("store.open", Location{path, 0, {}, {}},
                          {path, "this SQLite library cannot enforce foreign keys"});
    }
    return conn;
}

Status Connection::exec(std::string_view sql) {
    const std::string text(sql);  // sqlite3_exec needs a terminated string
    char* msg = nullptr;
    const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &msg);
    if (rc == SQLITE_OK) return Ok{};
    const std::string why = msg != nullptr ? msg : sqlite3_errstr(rc);
    sqlite3_free(msg);
    if ((rc & 0xff) == SQLITE_BUSY) return make_error("store.busy", Location{path_, 0, {}, {}}, {});
    const std::string context = text.substr(0, 80) + (text.size() > 80 ? "..." : "");
    return make_error("store.sqlite", Location{}, {why + " (" + context + ")"});
}

Result<Statement> Connection::prepare(std::string_view sql) {
    StatementFinalizer end{statements_, std::string(sql)};
    if (sqlite3_stmt* kept = statements_->take(sql))
        return Statement(db_.get(), StatementHandle(kept, std::move(end)));
    sqlite3_stmt* raw = nullptr;
    // PERSISTENT: these statements are reused for many rows, and kept for the next use.
    const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    if (rc != SQLITE_OK) {
        Error e = sqlite_error(db_.get(), sql);
        sqlite3_finalize(raw);
        return e;
    }
    return Statement(db_.get(), StatementHandle(raw, std::move(end)));
}

Result<std::int64_t> Connection::query_int(std::string_view sql) {
    auto stmt = prepare(sql);
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    const std::int64_t value = *row ? stmt->int64(0) : 0;
    stmt->reset();
    return value;
}

Result<bool> Connection::table_is_empty(std::string_view table) {
    auto any = query_int("SELECT EXISTS (SELECT 1 FROM " + std::string(table) + ")");
    if (!any) return any.error();
    return *any == 0;
}

namespace {

// The writers' lock of each database file this process writes (Transaction's comment); kept
// for the process's life (one per file). Recursive: a thread that begins a second write
// transaction meets SQLite's own refusal, as before, instead of waiting for itself.
std::recursive_timed_mutex& writer_lock(const std::string& path) {
    static std::mutex guard;
    static std::map<std::string, std::unique_ptr<std::recursive_timed_mutex>, std::less<>> locks;
    const std::lock_guard<std::mutex> lock(guard);
    auto& slot = locks[path];
    if (!slot) slot = std::make_unique<std::recursive_timed_mutex>();
    return *slot;
}

}  // namespace

Result<Transaction> Transaction::begin(Connection& db, Mode mode) {
    std::unique_lock<std::recursive_timed_mutex> writer;
    if (mode == Mode::write) {
        writer =
            std::unique_lock<std::recursive_timed_mutex>(writer_lock(db.path()), std::defer_lock);
        if (!writer.try_lock_for(std::chrono::milliseconds(db.busy_timeout_ms())))
            return make_error("store.busy", Location{db.path(), 0, {}, {}}, {});
    }
    auto st = db.exec(mode == Mode::write ? "BEGIN IMMEDIATE" : "BEGIN");
    if (!st) return st.error();
    Transaction tx(&db);
    tx.writer_ = std::move(writer);
    return tx;
}

Status Transaction::commit() {
    if (db_ == nullptr) return make_error("store.sqlite", Location{}, {"no open transaction"});
    auto st = db_->exec("COMMIT");
    if (!st) return st;  // the destructor rolls back
    db_ = nullptr;
    if (writer_.owns_lock()) writer_.unlock();
    return Ok{};
}

Transaction::~Transaction() {
    // The error of a failed ROLLBACK has nowhere to go; SQLite then rolls back on close.
    if (db_ != nullptr) sqlite3_exec(db_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace kyso::store::sqlite

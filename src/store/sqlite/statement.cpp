// kyso store — a prepared SQLite statement and the cache of a connection's statements.
#include "store/sqlite/statement.h"

#include <limits>

#include "core/messages.h"

namespace kyso::store::sqlite {

namespace {

int length_of(std::size_t size) {
    // SQLite takes int lengths; larger values are over its limit anyway (SQLITE_TOOBIG).
    return size > static_cast<std::size_t>(std::numeric_limits<int>::max())
               ? -1
               : static_cast<int>(size);
}

// "message (context)"; a long SQL text as context is cut, the start says enough.
std::string with_context(std::string message, std::string_view context) {
    constexpr std::size_t kMaxContext = 80;
    if (!context.empty()) {
        message += " (";
        message += context.substr(0, kMaxContext);
        if (context.size() > kMaxContext) message += "...";
        message += ')';
    }
    return message;
}

}  // namespace

StatementCache::~StatementCache() {
    for (auto& [sql, stmts] : idle_)
        for (sqlite3_stmt* stmt : stmts) sqlite3_finalize(stmt);
}

sqlite3_stmt* StatementCache::take(std::string_view sql) {
    const auto it = idle_.find(sql);
    if (it == idle_.end() || it->second.empty()) return nullptr;
    sqlite3_stmt* stmt = it->second.back();
    it->second.pop_back();
    --count_;
    return stmt;
}

void StatementCache::give(std::string sql, sqlite3_stmt* stmt) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);  // nothing points at a caller's (bind_unowned) buffers
    if (count_ >= kMaxIdle) {
        // Full: start again rather than refuse, so that statements used often get back in
        // even after many used once.
        for (auto& [text, stmts] : idle_)
            for (sqlite3_stmt* s : stmts) sqlite3_finalize(s);
        idle_.clear();
        count_ = 0;
    }
    idle_[std::move(sql)].push_back(stmt);
    ++count_;
}

void StatementFinalizer::operator()(sqlite3_stmt* stmt) const {
    if (auto kept = cache.lock()) {
        kept->give(sql, stmt);
    } else {
        sqlite3_finalize(stmt);
    }
}

Error sqlite_error(sqlite3* db, std::string_view context) {
    const char* msg = db != nullptr ? sqlite3_errmsg(db) : "no database connection";
    return make_error("store.sqlite", Location{}, {with_context(msg, context)});
}

Error sqlite_error_code(int rc, std::string_view context) {
    return make_error("store.sqlite", Location{}, {with_context(sqlite3_errstr(rc), context)});
}

void Statement::note_bind(int rc) {
    if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

Statement& Statement::bind_text(int index, std::string_view text,
                                sqlite3_destructor_type lifetime) {
    const int n = length_of(text.size());
    if (n < 0) {
        note_bind(SQLITE_TOOBIG);
        return *this;
    }
    // A zero-length text must not be bound from a null pointer: that would be NULL.
    note_bind(sqlite3_bind_text(stmt_.get(), index, text.empty() ? "" : text.data(), n, lifetime));
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    return bind_text(index, text, SQLITE_TRANSIENT);
}

Statement& Statement::bind_unowned(int index, std::string_view text) {
    return bind_text(index, text, SQLITE_STATIC);
}

Statement& Statement::bind_unowned_or_null(int index, std::string_view text) {
    return text.empty() ? bind_null(index) : bind_unowned(index, text);
}

std::string& Statement::scratch(int index) {
    // Sized once: growing later would move short strings and leave earlier binds dangling.
    if (scratch_.empty()) {
        scratch_.resize(static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt_.get())) + 2);
    }
    const auto i = static_cast<std::size_t>(index);
    if (index < 1 || i + 1 >= scratch_.size()) {
        note_bind(SQLITE_RANGE);
        return scratch_.back();
    }
    return scratch_[i];
}

Statement& Statement::bind(int index, std::int64_t value) {
    note_bind(sqlite3_bind_int64(stmt_.get(), index, value));
    return *this;
}

Statement& Statement::bind_null(int index) {
    note_bind(sqlite3_bind_null(stmt_.get(), index));
    return *this;
}

Statement& Statement::bind_or_null(int index, std::string_view text) {
    return text.empty() ? bind_null(index) : bind(index, text);
}

Statement& Statement::bind_unowned_blob(int index, const std::vector<std::uint8_t>& bytes) {
    if (bytes.empty()) return bind_null(index);
    const int n = length_of(bytes.size());
    if (n < 0) {
        note_bind(SQLITE_TOOBIG);
        return *this;
    }
    note_bind(sqlite3_bind_blob(stmt_.get(), index, bytes.data(), n, SQLITE_STATIC));
    return *this;
}

Result<bool> Statement::step() {
    if (bind_error_ != SQLITE_OK) {
        last_error_ = bind_error_;
        last_message_ = sqlite3_errstr(bind_error_);
        Error e = sqlite_error_code(bind_error_, sql());
        reset();
        return e;
    }
    const int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) {
        sqlite3_reset(stmt_.get());
        return false;
    }
    // The extended code and message describe this failure only until the reset.
    last_error_ = sqlite3_extended_errcode(db_);
    last_message_ = sqlite3_errmsg(db_);
    Error e = sqlite_error(db_, sql());
    sqlite3_reset(stmt_.get());
    return e;
}

Status Statement::run() {
    auto r = step();
    if (!r) return r.error();
    if (*r) reset();  // a statement that unexpectedly returned a row
    return Ok{};
}

void Statement::reset() {
    sqlite3_reset(stmt_.get());
    bind_error_ = SQLITE_OK;
}

std::string_view Statement::text(int column) const {
    // sqlite3_column_text before sqlite3_column_bytes: the documented order for text.
    const auto* p = sqlite3_column_text(stmt_.get(), column);
    if (p == nullptr) return {};
    const int n = sqlite3_column_bytes(stmt_.get(), column);
    return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)};
}

std::int64_t Statement::int64(int column) const {
    return sqlite3_column_int64(stmt_.get(), column);
}

int Statement::column_count() const {
    return sqlite3_column_count(stmt_.get());
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

std::vector<std::uint8_t> Statement::blob(int column) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_.get(), column));
    if (p == nullptr) return {};
    const int n = sqlite3_column_bytes(stmt_.get(), column);
    return {p, p + n};
}

std::string_view Statement::sql() const {
    const char* s = stmt_ ? sqlite3_sql(stmt_.get()) : nullptr;
    return s != nullptr ? std::string_view(s) : std::string_view();
}

}  // namespace kyso::store::sqlite

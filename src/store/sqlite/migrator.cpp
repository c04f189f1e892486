// kyso store — applies numbered schema migrations to a SQLite database, each exactly once.
#include "store/sqlite/migrator.h"

#include <string>

#include "core/messages.h"
#include "store/sqlite/migration_checks.h"

namespace kyso::store::sqlite {

namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY NOT NULL,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
    ") STRICT";

Error migration_error(const Migration& m, const Error& cause) {
    return make_error("store.migration", Location{std::string(m.name), 0, {}, {}},
                      {m.name, cause.message_en});
}

Result<bool> is_applied(Connection& db, int version) {
    auto n = db.query_int("SELECT count(*) FROM schema_migrations WHERE version = " +
                          std::to_string(version));
    if (!n) return n.error();
    return *n > 0;
}

Status apply(Connection& db, const Migration& m) {
    auto tx = Transaction::begin(db, Transaction::Mode::write);
    if (!tx) return migration_error(m, tx.error());
    // Checked again under the write lock: another process may have applied it meanwhile.
    auto done = is_applied(db, m.version);
    if (!done) return migration_error(m, done.error());
    if (*done) return Ok{};
    if (auto st = check_before_migration(db, m.version); !st) return migration_error(m, st.error());
    if (auto st = db.exec(m.sql); !st) return migration_error(m, st.error());
    auto record = db.prepare("INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)");
    if (!record) return migration_error(m, record.error());
    record->bind(1, std::int64_t{m.version}).bind(2, m.name);
    if (auto st = record->run(); !st) return migration_error(m, st.error());
    if (auto st = tx->commit(); !st) return migration_error(m, st.error());
    return Ok{};
}

}  // namespace

Status migrate(Connection& db, std::span<const Migration> migrations) {
    if (auto st = db.exec(kCreateTable); !st) return st;
    auto newest = db.query_int("SELECT max(version) FROM schema_migrations");
    if (!newest) return newest.error();
    const int known = migrations.empty() ? 0 : migrations.back().version;
    if (*newest > known) {
        return make_error("store.schema_newer", Location{db.path(), 0, {}, {}},
                          {std::to_string(*newest), std::to_string(known)});
    }
    for (const Migration& m : migrations) {
        auto done = is_applied(db, m.version);
        if (!done) return done.error();
        if (*done) continue;
        if (auto st = apply(db, m); !st) return st;
    }
    return Ok{};
}

Result<std::vector<AppliedMigration>> applied_migrations(Connection& db) {
    auto stmt =
        db.prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
    if (!stmt) return stmt.error();
    std::vector<AppliedMigration> out;
    while (true) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back(
            AppliedMigration{static_cast<int>(stmt->int64(0)), stmt->string(1), stmt->string(2)});
    }
    return out;
}

}  // namespace kyso::store::sqlite

// kyso store — applies the numbered PostgreSQL migrations, each exactly once, under an
// advisory lock so that servers starting together never migrate twice.
#include "store/postgres/migrator.h"

#include <string>

#include "core/messages.h"

namespace kyso::store::postgres {

namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY NOT NULL,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL"
    "  DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))";

Error migration_error(const Migration& m, const Error& cause) {
    return make_error("store.migration", Location{std::string(m.name), 0, {}, {}},
                      {m.name, cause.message_en});
}

Status apply(Connection& db, const Migration& m) {
    auto tx = Transaction::begin(db, Transaction::Mode::write);
    if (!tx) return migration_error(m, tx.error());
    if (auto st = db.exec(m.sql); !st) return migration_error(m, st.error());
    auto record = db.prepare("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)");
    if (!record) return migration_error(m, record.error());
    record->bind(1, std::int64_t{m.version}).bind(2, m.name);
    if (auto st = record->run(); !st) return migration_error(m, st.error());
    if (auto st = tx->commit(); !st) return migration_error(m, st.error());
    return Ok{};
}

Status migrate_locked(Connection& db, std::span<const Migration> migrations) {
    if (auto st = db.exec(kCreateTable); !st) return st;
    auto newest = db.query_int("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!newest) return newest.error();
    const int known = migrations.empty() ? 0 : migrations.back().version;
    if (*newest > known) {
        return make_error("store.schema_newer", Location{db.description(), 0, {}, {}},
                          {std::to_string(*newest), std::to_string(known)});
    }
    for (const Migration& m : migrations) {
        if (m.version <= *newest) continue;  // versions are applied in order, without gaps
        if (auto st = apply(db, m); !st) return st;
    }
    return Ok{};
}

}  // namespace

Status migrate(Connection& db, std::span<const Migration> migrations) {
    // Session-level: held across the migrations' own transactions, released below (and by the
    // server should this process die).
    const std::string key = std::to_string(kMigrationLock);
    if (auto st = db.exec("SELECT pg_advisory_lock(" + key + ")"); !st) return st;
    auto st = migrate_locked(db, migrations);
    auto unlocked = db.exec("SELECT pg_advisory_unlock(" + key + ")");
    if (!st) return st;
    return unlocked;
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

}  // namespace kyso::store::postgres

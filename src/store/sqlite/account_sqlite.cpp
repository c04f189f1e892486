// kyso store — the SQLite back-end of AccountStore (migration 0008): sessions, API tokens,
// sign-in failures and the user → person link, each audited write one transaction with its
// audit entry.
#include <nlohmann/json.hpp>

#include "core/messages.h"
#include "store/account_store.h"
#include "store/migrations/migration.h"
#include "store/sqlite/audit_log.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/guarded.h"
#include "store/sqlite/migrator.h"

namespace kyso::store::sqlite {

namespace {

constexpr std::string_view kUserColumns =
    "u.id, u.username, u.full_name, u.role, COALESCE(u.org_id, ''), u.position, u.disabled";
constexpr int kUserColumnCount = 7;

Result<User> read_user_at(const Statement& st, int first) {
    User u;
    u.id = st.int64(first);
    u.username = st.string(first + 1);
    u.full_name = st.string(first + 2);
    const auto role = parse_role(st.text(first + 3));
    if (!role) return make_error("store.corrupt_row", Location{}, {"users", u.username, "role"});
    u.role = *role;
    u.org_id = st.string(first + 4);
    u.position = st.string(first + 5);
    u.disabled = st.int64(first + 6) != 0;
    return u;
}

ApiToken read_token_at(const Statement& st, int first) {
    ApiToken t;
    t.id = st.int64(first);
    t.name = st.string(first + 1);
    t.username = st.string(first + 2);
    t.created_at = st.int64(first + 3);
    t.last_used_at = st.int64(first + 4);
    t.revoked_at = st.int64(first + 5);
    t.revoked_by = st.string(first + 6);
    return t;
}

constexpr std::string_view kTokenColumns =
    "t.id, t.name, u.username, t.created_at, t.last_used_at, t.revoked_at, t.revoked_by";
constexpr int kTokenColumnCount = 7;

class SqliteAccountStore final : public AccountStore {
public:
    explicit SqliteAccountStore(Connection db) : db_(std::move(db)) {}

    Result<std::int64_t> create_session(const SessionRecord& s, const AuditNote& note) override {
        return guarded([&]() -> Result<std::int64_t> {
            std::int64_t id = 0;
            auto w = in_write([&]() -> Status {
                auto user_id = user_id_of(s.username);
                if (!user_id) return user_id.error();
                auto st = db_.prepare(
                    "INSERT INTO sessions (token_hash, user_id, method, address, created_at, "
                    "last_seen_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
                if (!st) return st.error();
                st->bind(1, s.token_hash)
                    .bind(2, *user_id)
                    .bind(3, s.method)
                    .bind(4, s.address)
                    .bind(5, s.created_at)
                    .bind(6, s.last_seen_at)
                    .bind(7, s.expires_at);
                if (auto r = st->run(); !r) return r;
                id = sqlite3_last_insert_rowid(db_.handle());
                return audit(note);
            });
            if (!w) return w.error();
            return id;
        });
    }

    Result<std::optional<SessionWithUser>> find_session(const std::string& token_hash) override {
        return guarded([&]() -> Result<std::optional<SessionWithUser>> {
            auto st = db_.prepare(
                "SELECT s.id, s.token_hash, s.method, s.address, s.created_at, s.last_seen_at, "
                "s.expires_at, " +
                std::string(kUserColumns) +
                " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1");
            if (!st) return st.error();
            st->bind(1, token_hash);
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) return std::optional<SessionWithUser>{};
            SessionWithUser out;
            out.session.id = st->int64(0);
            out.session.token_hash = st->string(1);
            out.session.method = st->string(2);
            out.session.address = st->string(3);
            out.session.created_at = st->int64(4);
            out.session.last_seen_at = st->int64(5);
            out.session.expires_at = st->int64(6);
            auto u = read_user_at(*st, 7);
            st->reset();
            if (!u) return u.error();
            out.user = std::move(*u);
            out.session.username = out.user.username;
            return std::optional<SessionWithUser>(std::move(out));
        });
    }

    Status touch_session(const std::string& token_hash, std::int64_t now) override {
        return guarded([&]() -> Status {
            return run(
                "UPDATE sessions SET last_seen_at = max(last_seen_at, ?2) WHERE "
                "token_hash = ?1",
                [&](Statement& st) { st.bind(1, token_hash).bind(2, now); });
        });
    }

    Result<bool> delete_session(const std::string& token_hash, const AuditNote& note) override {
        return guarded([&]() -> Result<bool> {
            bool deleted = false;
            auto w = in_write([&]() -> Status {
                auto r = run("DELETE FROM sessions WHERE token_hash = ?1",
                             [&](Statement& st) { st.bind(1, token_hash); });
                if (!r) return r;
                deleted = sqlite3_changes(db_.handle()) > 0;
                return deleted ? audit(note) : Status(Ok{});
            });
            if (!w) return w.error();
            return deleted;
        });
    }

    Result<std::int64_t> delete_user_sessions(const std::string& username,
                                              const std::string& keep_hash) override {
        return guarded([&]() -> Result<std::int64_t> {
            auto r = run(
                "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?1) "
                "AND token_hash <> ?2",
                [&](Statement& st) { st.bind(1, username).bind(2, keep_hash); });
            if (!r) return r.error();
            return std::int64_t{sqlite3_changes(db_.handle())};
        });
    }

    Result<std::int64_t> purge_sessions(std::int64_t now, std::int64_t idle_before) override {
        return guarded([&]() -> Result<std::int64_t> {
            auto r = run("DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen_at < ?2",
                         [&](Statement& st) { st.bind(1, now).bind(2, idle_before); });
            if (!r) return r.error();
            return std::int64_t{sqlite3_changes(db_.handle())};
        });
    }

    Status change_password(const std::string& username, const std::string& password_hash,
                           const std::string& keep_hash, const AuditNote& note) override {
        return guarded([&]() -> Status {
            return in_write([&]() -> Status {
                auto user_id = user_id_of(username);
                if (!user_id) return user_id.error();
                auto r = run("UPDATE users SET password_hash = ?2 WHERE id = ?1",
                             [&](Statement& st) { st.bind(1, *user_id).bind(2, password_hash); });
                if (!r) return r;
                r = run("DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2",
                        [&](Statement& st) { st.bind(1, *user_id).bind(2, keep_hash); });
                if (!r) return r;
                return audit(note);
            });
        });
    }

    Result<std::int64_t> add_token(const ApiToken& t, const std::string& token_hash,
                                   const AuditNote& note) override {
        return guarded([&]() -> Result<std::int64_t> {
            std::int64_t id = 0;
            auto w = in_write([&]() -> Status {
                auto user_id = user_id_of(t.username);
                if (!user_id) return user_id.error();
                auto st = db_.prepare(
                    "INSERT INTO api_tokens (token_hash, user_id, name, created_at) "
                    "VALUES (?1, ?2, ?3, ?4)");
                if (!st) return st.error();
                st->bind(1, token_hash).bind(2, *user_id).bind(3, t.name).bind(4, t.created_at);
                if (auto r = st->run(); !r) return r;
                id = sqlite3_last_insert_rowid(db_.handle());
                AuditNote n = note;
                if (n.object.empty()) n.object = "token:" + std::to_string(id);
                return audit(n);
            });
            if (!w) return w.error();
            return id;
        });
    }

    Result<std::optional<TokenWithUser>> find_token(const std::string& token_hash) override {
        return guarded([&]() -> Result<std::optional<TokenWithUser>> {
            auto st = db_.prepare("SELECT " + std::string(kTokenColumns) + ", " +
                                  std::string(kUserColumns) +
                                  " FROM api_tokens t JOIN users u ON u.id = t.user_id "
                                  "WHERE t.token_hash = ?1");
            if (!st) return st.error();
            st->bind(1, token_hash);
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) return std::optional<TokenWithUser>{};
            TokenWithUser out;
            out.token = read_token_at(*st, 0);
            auto u = read_user_at(*st, kTokenColumnCount);
            st->reset();
            if (!u) return u.error();
            out.user = std::move(*u);
            return std::optional<TokenWithUser>(std::move(out));
        });
    }

    Result<std::optional<ApiToken>> token(std::int64_t id) override {
        return guarded([&]() -> Result<std::optional<ApiToken>> {
            auto list = select_tokens("t.id = ?1", [&](Statement& st) { st.bind(1, id); });
            if (!list) return list.error();
            if (list->empty()) return std::optional<ApiToken>{};
            return std::optional<ApiToken>(list->front());
        });
    }

    Status touch_token(std::int64_t id, std::int64_t now) override {
        return guarded([&]() -> Status {
            return run("UPDATE api_tokens SET last_used_at = max(last_used_at, ?2) WHERE id = ?1",
                       [&](Statement& st) { st.bind(1, id).bind(2, now); });
        });
    }

    Result<std::vector<ApiToken>> tokens(const std::string& username) override {
        return guarded([&]() -> Result<std::vector<ApiToken>> {
            return select_tokens("u.username = ?1", [&](Statement& st) { st.bind(1, username); });
        });
    }

    Status revoke_token(std::int64_t id, std::int64_t now, const AuditNote& note) override {
        return guarded([&]() -> Status {
            return in_write([&]() -> Status {
                auto found = db_.prepare("SELECT revoked_at FROM api_tokens WHERE id = ?1");
                if (!found) return found.error();
                found->bind(1, id);
                auto row = found->step();
                if (!row) return row.error();
                if (!*row)
                    return make_error("store.token_unknown", Location{}, {std::to_string(id)});
                const bool revoked = found->int64(0) != 0;
                found->reset();
                if (revoked) return Ok{};
                auto r =
                    run("UPDATE api_tokens SET revoked_at = ?2, revoked_by = ?3 WHERE id = ?1",
                        [&](Statement& st) { st.bind(1, id).bind(2, now).bind(3, note.actor); });
                if (!r) return r;
                return audit(note);
            });
        });
    }

    Status record_failures(const std::vector<std::string>& keys, std::int64_t at,
                           const AuditNote& note) override {
        return guarded([&]() -> Status {
            return in_write([&]() -> Status {
                auto st = db_.prepare("INSERT INTO sign_in_failures (key, at) VALUES (?1, ?2)");
                if (!st) return st.error();
                for (const std::string& key : keys) {
                    st->bind(1, key).bind(2, at);
                    if (auto r = st->run(); !r) return r;
                }
                return audit(note);
            });
        });
    }

    Result<FailureCount> failures_since(const std::string& key, std::int64_t since) override {
        return guarded([&]() -> Result<FailureCount> {
            auto st = db_.prepare(
                "SELECT count(*), COALESCE(min(at), 0) FROM sign_in_failures "
                "WHERE key = ?1 AND at >= ?2");
            if (!st) return st.error();
            st->bind(1, key).bind(2, since);
            auto row = st->step();
            if (!row) return row.error();
            FailureCount out;
            if (*row) {
                out.count = st->int64(0);
                out.oldest = st->int64(1);
                st->reset();
            }
            return out;
        });
    }

    Status clear_failures(const std::string& key) override {
        return guarded([&]() -> Status {
            return run("DELETE FROM sign_in_failures WHERE key = ?1",
                       [&](Statement& st) { st.bind(1, key); });
        });
    }

    Result<std::int64_t> purge_failures(std::int64_t before) override {
        return guarded([&]() -> Result<std::int64_t> {
            auto r = run("DELETE FROM sign_in_failures WHERE at < ?1",
                         [&](Statement& st) { st.bind(1, before); });
            if (!r) return r.error();
            return std::int64_t{sqlite3_changes(db_.handle())};
        });
    }

    Status link_person(const std::string& username, const std::string& person_id,
                       const AuditNote& note) override {
        return guarded([&]() -> Status {
            return in_write([&]() -> Status {
                auto user_id = user_id_of(username);
                if (!user_id) return user_id.error();
                if (!person_id.empty()) {
                    auto st = db_.prepare("SELECT count(*) FROM people WHERE id = ?1");
                    if (!st) return st.error();
                    st->bind(1, person_id);
                    auto row = st->step();
                    if (!row) return row.error();
                    const bool known = *row && st->int64(0) > 0;
                    st->reset();
                    if (!known) return make_error("store.person_unknown", Location{}, {person_id});
                    auto other = user_of_person(person_id);
                    if (!other) return other.error();
                    if (*other && (*other)->username != username)
                        return make_error("store.person_linked", Location{},
                                          {person_id, (*other)->username});
                }
                auto r = run("UPDATE users SET person_id = ?2 WHERE id = ?1", [&](Statement& st) {
                    st.bind(1, *user_id).bind_or_null(2, person_id);
                });
                if (!r) return r;
                return audit(note);
            });
        });
    }

    Result<std::string> person_of(const std::string& username) override {
        return guarded([&]() -> Result<std::string> {
            auto st = db_.prepare("SELECT COALESCE(person_id, '') FROM users WHERE username = ?1");
            if (!st) return st.error();
            st->bind(1, username);
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) return make_error("store.user_unknown", Location{}, {username});
            std::string out = st->string(0);
            st->reset();
            return out;
        });
    }

    Result<std::optional<User>> user_of_person(const std::string& person_id) override {
        return guarded([&]() -> Result<std::optional<User>> {
            return one_user("u.person_id = ?1", person_id);
        });
    }

    Result<std::optional<User>> user(const std::string& username) override {
        return guarded(
            [&]() -> Result<std::optional<User>> { return one_user("u.username = ?1", username); });
    }

    Result<std::optional<StoredCertificate>> certificate(const std::string& serial) override {
        return guarded([&]() -> Result<std::optional<StoredCertificate>> {
            auto st = db_.prepare(
                "SELECT serial, holder_type, holder_id, status, subject_text, sha256_cert, "
                "not_after_date, revoked_on FROM certificates WHERE serial = ?1");
            if (!st) return st.error();
            st->bind(1, serial);
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) return std::optional<StoredCertificate>{};
            StoredCertificate c;
            c.serial = st->string(0);
            c.holder_type = st->string(1);
            c.holder_id = st->string(2);
            c.status = st->string(3);
            c.subject_text = st->string(4);
            c.sha256_cert = st->string(5);
            c.not_after_date = st->string(6);
            c.revoked_on = st->string(7);
            st->reset();
            return std::optional<StoredCertificate>(std::move(c));
        });
    }

    Status append_audit(const AuditNote& note) override {
        return guarded([&]() -> Status { return in_write([&] { return audit(note); }); });
    }

private:
    template <typename Write>
    Status in_write(Write&& write) {
        audit_log_.begin();
        auto tx = Transaction::begin(db_, Transaction::Mode::write);
        if (!tx) return tx.error();
        if (auto st = write(); !st) return st;  // ~Transaction rolls back
        if (auto st = tx->commit(); !st) return st;
        return audit_log_.anchor();
    }

    // Writes `n`; a note without an action writes nothing.
    Status audit(const AuditNote& n) {
        if (n.action.empty()) return Ok{};
        return audit_log_.append(n.actor, n.action, n.object, n.detail.empty() ? "{}" : n.detail);
    }

    // Runs one statement that returns no row.
    template <typename Bind>
    Status run(std::string_view sql, Bind&& bind) {
        auto st = db_.prepare(sql);
        if (!st) return st.error();
        bind(*st);
        return st->run();
    }

    Result<std::int64_t> user_id_of(const std::string& username) {
        auto st = db_.prepare("SELECT id FROM users WHERE username = ?1");
        if (!st) return st.error();
        st->bind(1, username);
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) return make_error("store.user_unknown", Location{}, {username});
        const std::int64_t id = st->int64(0);
        st->reset();
        return id;
    }

    Result<std::optional<User>> one_user(std::string_view where, const std::string& value) {
        auto st = db_.prepare("SELECT " + std::string(kUserColumns) + " FROM users u WHERE " +
                              std::string(where));
        if (!st) return st.error();
        st->bind(1, value);
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) return std::optional<User>{};
        auto u = read_user_at(*st, 0);
        st->reset();
        if (!u) return u.error();
        return std::optional<User>(std::move(*u));
    }

    template <typename Bind>
    Result<std::vector<ApiToken>> select_tokens(std::string_view where, Bind&& bind) {
        auto st = db_.prepare("SELECT " + std::string(kTokenColumns) +
                              " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE " +
                              std::string(where) + " ORDER BY t.id");
        if (!st) return st.error();
        bind(*st);
        std::vector<ApiToken> out;
        while (true) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            out.push_back(read_token_at(*st, 0));
        }
        return out;
    }

    Connection db_;
    AuditLog audit_log_{db_};
};

static_assert(kUserColumnCount == 7);

}  // namespace

Result<std::unique_ptr<AccountStore>> open_sqlite_account_store(const std::string& path) {
    return guarded([&]() -> Result<std::unique_ptr<AccountStore>> {
        auto db = Connection::open(path, 10'000);
        if (!db) return db.error();
        if (auto st = migrate(*db, sqlite_migrations()); !st) return st.error();
        return std::unique_ptr<AccountStore>(std::make_unique<SqliteAccountStore>(std::move(*db)));
    });
}

}  // namespace kyso::store::sqlite

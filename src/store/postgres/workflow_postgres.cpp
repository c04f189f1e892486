// kyso store — the PostgreSQL back-end of WorkflowStore: users, requests, transitions, batches,
// custody and the hash-chained audit log, each write one transaction with its audit entries.
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <type_traits>
#include <variant>

#include "core/date.h"
#include "core/interrupt.h"
#include "core/messages.h"
#include "store/migrations/migration.h"
#include "store/postgres/audit_log.h"
#include "store/postgres/connection.h"
#include "store/postgres/errors.h"
#include "store/postgres/migrator.h"
#include "store/postgres/postgres_store.h"
#include "store/postgres/registry_writer.h"
#include "store/postgres/search_index.h"
#include "store/workflow_store.h"

namespace kyso::store::postgres {

namespace {

constexpr std::string_view kRequestColumns =
    "id, kind, state, managing_org_id, holder_type, holder_id, certificate, device_id, rule, "
    "event_id, old_subject, new_subject, revocation_reason, COALESCE(plan_key, ''), created_by, "
    "created_at, COALESCE(batch_id, 0), result_serial, reject_reason, completed_at";

Result<Request> read_request(const Statement& st) {
    Request r;
    r.id = st.int64(0);
    const auto kind = parse_request_kind(st.text(1));
    const auto state = parse_request_state(st.text(2));
    if (!kind || !state)
        return make_error("store.corrupt_row", Location{},
                          {"requests", std::to_string(r.id), "kind/state"});
    r.kind = *kind;
    r.state = *state;
    r.managing_org_id = st.string(3);
    r.holder_type = st.string(4);
    r.holder_id = st.string(5);
    r.certificate = st.string(6);
    r.device_id = st.string(7);
    r.rule = st.string(8);
    r.event_id = st.string(9);
    r.old_subject = st.string(10);
    r.new_subject = st.string(11);
    r.revocation_reason = st.string(12);
    r.plan_key = st.string(13);
    r.created_by = st.string(14);
    r.created_at = st.string(15);
    r.batch_id = st.int64(16);
    r.result_serial = st.string(17);
    r.reject_reason = st.string(18);
    r.completed_at = st.string(19);
    return r;
}

Result<User> read_user(const Statement& st) {
    User u;
    u.id = st.int64(0);
    u.username = st.string(1);
    u.full_name = st.string(2);
    const auto role = parse_role(st.text(3));
    if (!role) return make_error("store.corrupt_row", Location{}, {"users", u.username, "role"});
    u.role = *role;
    u.org_id = st.string(4);
    u.position = st.string(5);
    u.disabled = st.int64(6) != 0;
    return u;
}

Batch read_batch(const Statement& st) {
    Batch b;
    b.id = st.int64(0);
    b.org_id = st.string(1);
    b.kind = parse_request_kind(st.text(2)).value_or(RequestKind::change_info);
    b.form = st.string(3);
    b.level = st.string(4);
    b.parent_id = st.int64(5);
    b.number = st.string(6);
    b.symbol = st.string(7);
    b.created_by = st.string(8);
    b.created_at = st.string(9);
    return b;
}

constexpr std::string_view kCustodyColumns =
    "id, device_id, COALESCE(request_id, 0), step, from_party, to_party, handed_by, "
    "received_by, handed_on, document, recorded_by, recorded_at, dost_org_id";

CustodyRecord read_custody(const Statement& st) {
    CustodyRecord c;
    c.id = st.int64(0);
    c.device_id = st.string(1);
    c.request_id = st.int64(2);
    c.step = parse_custody_step(st.text(3)).value_or(CustodyStep::to_organization);
    c.from_party = st.string(4);
    c.to_party = st.string(5);
    c.handed_by = st.string(6);
    c.received_by = st.string(7);
    c.handed_on = st.string(8);
    c.document = st.string(9);
    c.recorded_by = st.string(10);
    c.recorded_at = st.string(11);
    c.dost_org_id = st.string(12);
    return c;
}

constexpr std::string_view kAuditColumns =
    "seq, at, actor, action, object, detail, prev_hash, hash";

AuditEntry read_audit(const Statement& st) {
    return AuditEntry{st.int64(0),  st.string(1), st.string(2), st.string(3),
                      st.string(4), st.string(5), st.string(6), st.string(7)};
}

constexpr std::string_view kUserColumns =
    "id, username, full_name, role, COALESCE(org_id, ''), position, disabled";

constexpr std::string_view kBatchColumns =
    "id, org_id, kind, form, level, COALESCE(parent_id, 0), number, symbol, created_by, "
    "created_at";

// Reads every row of `sql` (bound by `bind`) with `read`.
template <typename T, typename Bind, typename Read>
Result<std::vector<T>> query_all(Connection& db, std::string_view sql, Bind&& bind, Read&& read) {
    auto st = db.prepare(sql);
    if (!st) return st.error();
    bind(*st);
    std::vector<T> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        if constexpr (std::is_same_v<decltype(read(*st)), T>) {
            out.push_back(read(*st));
        } else {
            auto v = read(*st);
            if (!v) return v.error();
            out.push_back(std::move(*v));
        }
    }
    return out;
}

class PgWorkflowStore final : public WorkflowStore {
public:
    explicit PgWorkflowStore(Connection db) : db_(std::move(db)) {}

    Result<User> add_user(const User& user, const std::string& password_hash,
                          const std::string& actor) override {
        return guarded([&]() -> Result<User> {
            User out = user;
            auto s = in_write([&] { return insert_user(out, password_hash, actor); });
            if (!s) return s.error();
            return out;
        });
    }

    Result<User> add_first_user(const User& user, const std::string& password_hash,
                                const std::string& actor) override {
        return guarded([&]() -> Result<User> {
            User out = user;
            // The check and the insert under the write lock: a second process waits for the
            // first one's commit and then sees its user.
            auto s = in_write([&]() -> Status {
                auto empty = db_.table_is_empty("users");
                if (!empty) return empty.error();
                if (!*empty) return make_error("store.users_exist", Location{}, {});
                return insert_user(out, password_hash, actor);
            });
            if (!s) return s.error();
            return out;
        });
    }

    Status update_user(const std::string& username, const UserChange& change,
                       const std::string& actor) override {
        return guarded([&]() -> Status {
            return in_write([&]() -> Status {
                auto before = find_user(username);
                if (!before) return before.error();
                if (!*before) return make_error("store.user_unknown", Location{}, {username});
                User u = (*before)->first;
                std::string action;
                nlohmann::json detail = nlohmann::json::object();
                if (change.role) {
                    u.role = *change.role;
                    action = "user.role";
                    detail = {{"role", to_string(u.role)},
                              {"was", to_string((*before)->first.role)}};
                } else if (change.org_id) {
                    u.org_id = *change.org_id;
                    action = "user.scope";
                    detail = {{"org_id", u.org_id}, {"was", (*before)->first.org_id}};
                } else if (change.disabled) {
                    u.disabled = *change.disabled;
                    action = u.disabled ? "user.disable" : "user.enable";
                    detail = {{"disabled", u.disabled}};
                } else if (change.password_hash) {
                    action = "user.password_reset";  // the hash is a secret: not in the log
                } else {
                    return Ok{};
                }
                auto st = db_.prepare(
                    "UPDATE users SET role = $2, org_id = $3, disabled = $4, "
                    "password_hash = COALESCE($5, password_hash) WHERE username = $1");
                if (!st) return st.error();
                st->bind(1, username)
                    .bind(2, to_string(u.role))
                    .bind_or_null(3, u.org_id)
                    .bind(4, std::int64_t{u.disabled ? 1 : 0});
                if (change.password_hash) {
                    st->bind(5, *change.password_hash);
                } else {
                    st->bind_null(5);
                }
                if (auto r = st->run(); !r) return r;
                // An enabled administrator of the whole register must stay: admins scoped to
                // a subtree cannot grant the whole register nor reach users outside theirs.
                auto admins = db_.query_int(
                    "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND "
                    "org_id IS NULL");
                if (!admins) return admins.error();
                if (*admins == 0) return make_error("store.last_admin", Location{}, {username});
                // A disabled account or a reset password ends the user's sessions at once
                // (migration 0008); API tokens stay, refused while the account is disabled.
                if (u.disabled || change.password_hash) {
                    auto end = db_.prepare(
                        "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE "
                        "username = $1)");
                    if (!end) return end.error();
                    end->bind(1, username);
                    if (auto r = end->run(); !r) return r;
                }
                return audit(actor, action, "user:" + username, detail.dump());
            });
        });
    }

    Result<std::optional<std::pair<User, std::string>>> find_user(
        const std::string& username) override {
        return guarded([&]() -> Result<std::optional<std::pair<User, std::string>>> {
            auto st = db_.prepare(
                "SELECT id, username, full_name, role, COALESCE(org_id, ''), position, "
                "disabled, password_hash FROM users WHERE username = $1");
            if (!st) return st.error();
            st->bind(1, username);
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) return std::optional<std::pair<User, std::string>>{};
            auto u = read_user(*st);
            if (!u) return u.error();
            return std::optional<std::pair<User, std::string>>{{std::move(*u), st->string(7)}};
        });
    }

    Result<std::vector<User>> users() override {
        return guarded([&] {
            return query_all<User>(
                db_,
                "SELECT id, username, full_name, role, COALESCE(org_id, ''), position, disabled "
                "FROM users ORDER BY id",
                [](Statement&) {}, read_user);
        });
    }

    Result<std::vector<std::int64_t>> add_requests(const std::vector<Request>& requests,
                                                   const std::string& actor) override {
        return guarded([&]() -> Result<std::vector<std::int64_t>> {
            std::vector<std::int64_t> created;
            auto s = in_write([&]() -> Status {
                auto st = db_.prepare(
                    "INSERT INTO requests (kind, state, managing_org_id, holder_type, holder_id, "
                    "certificate, device_id, rule, event_id, old_subject, new_subject, "
                    "revocation_reason, plan_key, created_by, created_at) VALUES ($1, $2, $3, "
                    "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
                    "ON CONFLICT (plan_key) DO NOTHING RETURNING id");
                if (!st) return st.error();
                const std::string now = utc_timestamp();
                for (const Request& r : requests) {
                    st->bind(1, to_string(r.kind))
                        .bind(2, to_string(r.state))
                        .bind_unowned(3, r.managing_org_id)
                        .bind_unowned(4, r.holder_type)
                        .bind_unowned(5, r.holder_id)
                        .bind_unowned(6, r.certificate)
                        .bind_unowned(7, r.device_id)
                        .bind_unowned(8, r.rule)
                        .bind_unowned(9, r.event_id)
                        .bind_unowned(10, r.old_subject)
                        .bind_unowned(11, r.new_subject)
                        .bind_unowned(12, r.revocation_reason)
                        .bind_unowned_or_null(13, r.plan_key)
                        .bind_unowned(14, actor)
                        .bind_unowned(15, now);
                    auto row = st->step();
                    if (!row) {
                        return make_error("store.write", Location{{}, 0, {}, r.plan_key},
                                          {"request", r.plan_key, st->last_message()});
                    }
                    if (!*row) continue;  // its plan_key is stored: skipped
                    const std::int64_t id = st->int64(0);
                    st->reset();
                    created.push_back(id);
                    if (auto a = audit(actor, "request.create", "request:" + std::to_string(id),
                                       nlohmann::json{{"kind", to_string(r.kind)},
                                                      {"state", to_string(r.state)},
                                                      {"org", r.managing_org_id},
                                                      {"certificate", r.certificate},
                                                      {"device", r.device_id},
                                                      {"plan_key", r.plan_key}}
                                           .dump());
                        !a)
                        return a;
                }
                return Ok{};
            });
            if (!s) return s.error();
            return created;
        });
    }

    Result<std::optional<Request>> request(std::int64_t id) override {
        return guarded([&]() -> Result<std::optional<Request>> {
            auto all = query_all<Request>(
                db_, "SELECT " + std::string(kRequestColumns) + " FROM requests WHERE id = $1",
                [&](Statement& st) { st.bind(1, id); }, read_request);
            if (!all) return all.error();
            if (all->empty()) return std::optional<Request>{};
            return std::optional<Request>{std::move(all->front())};
        });
    }

    Result<std::vector<Request>> requests(const RequestFilter& f) override {
        return guarded([&] {
            const std::string sql =
                "SELECT " + std::string(kRequestColumns) +
                " FROM requests WHERE ($1 = '' OR state = $1) AND ($2 = '' OR kind = $2) AND "
                "($3 = '' OR managing_org_id = $3) AND ($4 = 0 OR batch_id = $4) ORDER BY id";
            return query_all<Request>(
                db_, sql,
                [&](Statement& st) {
                    st.bind(1, f.state ? to_string(*f.state) : "")
                        .bind(2, f.kind ? to_string(*f.kind) : "")
                        .bind(3, f.managing_org_id)
                        .bind(4, f.batch_id);
                },
                read_request);
        });
    }

    Result<std::vector<Transition>> transitions(std::int64_t request_id) override {
        return guarded([&] {
            return query_all<Transition>(
                db_,
                "SELECT request_id, from_state, to_state, actor, at, comment FROM "
                "request_transitions WHERE request_id = $1 ORDER BY id",
                [&](Statement& st) { st.bind(1, request_id); },
                [](const Statement& st) {
                    Transition t;
                    t.request_id = st.int64(0);
                    t.from = parse_request_state(st.text(1)).value_or(RequestState::draft);
                    t.to = parse_request_state(st.text(2)).value_or(RequestState::draft);
                    t.actor = st.string(3);
                    t.at = st.string(4);
                    t.comment = st.string(5);
                    return t;
                });
        });
    }

    Status transition(const Request& after, RequestState from, const std::string& actor,
                      const std::string& comment,
                      const std::optional<Completion>& completion) override {
        return guarded([&] {
            return in_write([&] { return move_one(after, from, actor, comment, completion); });
        });
    }

    Status transition_all(const std::vector<Request>& after, RequestState from,
                          const std::string& actor, const std::string& comment) override {
        return guarded([&] {
            return in_write([&]() -> Status {
                for (const Request& r : after) {
                    if (auto s = move_one(r, from, actor, comment, std::nullopt); !s) return s;
                }
                return Ok{};
            });
        });
    }

    Result<std::int64_t> create_batch(const Batch& batch,
                                      const std::vector<std::int64_t>& request_ids,
                                      const std::string& actor) override {
        return guarded([&]() -> Result<std::int64_t> {
            std::int64_t id = 0;
            auto s = in_write([&]() -> Status {
                Batch numbered = batch;
                auto made = insert_batch(numbered, actor);
                if (!made) return made.error();
                id = *made;
                auto st = db_.prepare(
                    "UPDATE requests SET batch_id = $1 WHERE id = $2 AND batch_id IS NULL");
                if (!st) return st.error();
                for (const auto rid : request_ids) {
                    st->bind(1, id).bind(2, rid);
                    if (auto r = st->run(); !r) return r;
                    if (st->affected() != 1)
                        return make_error("store.request_batched", Location{},
                                          {std::to_string(rid)});
                }
                return audit(actor, "batch.create", "batch:" + std::to_string(id),
                             nlohmann::json{{"org", batch.org_id},
                                            {"kind", to_string(batch.kind)},
                                            {"requests", request_ids}}
                                 .dump());
            });
            if (!s) return s.error();
            return id;
        });
    }

    Result<std::int64_t> combine_batches(const Batch& batch,
                                         const std::vector<std::int64_t>& batch_ids,
                                         const std::string& actor) override {
        return guarded([&]() -> Result<std::int64_t> {
            std::int64_t id = 0;
            auto s = in_write([&]() -> Status {
                Batch numbered = batch;
                auto made = insert_batch(numbered, actor);
                if (!made) return made.error();
                id = *made;
                auto st = db_.prepare(
                    "UPDATE batches SET parent_id = $1 WHERE id = $2 AND parent_id IS NULL AND "
                    "level = 'organization'");
                if (!st) return st.error();
                for (const auto bid : batch_ids) {
                    st->bind(1, id).bind(2, bid);
                    if (auto r = st->run(); !r) return r;
                    if (st->affected() != 1)
                        return make_error("store.batch_combined", Location{},
                                          {std::to_string(bid)});
                }
                return audit(
                    actor, "batch.combine", "batch:" + std::to_string(id),
                    nlohmann::json{
                        {"org", batch.org_id}, {"number", numbered.number}, {"batches", batch_ids}}
                        .dump());
            });
            if (!s) return s.error();
            return id;
        });
    }

    Result<std::optional<Batch>> batch(std::int64_t id) override {
        return guarded([&]() -> Result<std::optional<Batch>> {
            auto all = query_all<Batch>(
                db_, std::string(kBatchSelect) + " WHERE id = $1",
                [&](Statement& st) { st.bind(1, id); }, read_batch);
            if (!all) return all.error();
            if (all->empty()) return std::optional<Batch>{};
            return std::optional<Batch>{all->front()};
        });
    }

    Result<std::vector<Batch>> child_batches(std::int64_t parent_id) override {
        return guarded([&] {
            return query_all<Batch>(
                db_, std::string(kBatchSelect) + " WHERE parent_id = $1 ORDER BY id",
                [&](Statement& st) { st.bind(1, parent_id); }, read_batch);
        });
    }

    Result<std::vector<Batch>> batches() override {
        return guarded([&] {
            return query_all<Batch>(
                db_, std::string(kBatchSelect) + " ORDER BY id", [](Statement&) {}, read_batch);
        });
    }

    Result<std::vector<std::int64_t>> add_custody(const std::vector<CustodyRecord>& records,
                                                  const std::string& actor) override {
        return guarded([&]() -> Result<std::vector<std::int64_t>> {
            std::vector<std::int64_t> ids;
            auto s = in_write([&]() -> Status {
                for (const CustodyRecord& c : records) {
                    auto id = insert_custody(c, actor);
                    if (!id) return id.error();
                    ids.push_back(*id);
                }
                return Ok{};
            });
            if (!s) return s.error();
            return ids;
        });
    }

    // One custody row with its audit entry; inside the caller's transaction.
    Result<std::int64_t> insert_custody(const CustodyRecord& c, const std::string& actor) {
        auto st = db_.prepare(
            "INSERT INTO custody (device_id, request_id, step, from_party, to_party, "
            "handed_by, received_by, handed_on, document, recorded_by, recorded_at, "
            "dost_org_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id");
        if (!st) return st.error();
        st->bind(1, c.device_id);
        if (c.request_id != 0) {
            st->bind(2, c.request_id);
        } else {
            st->bind_null(2);
        }
        st->bind(3, to_string(c.step))
            .bind(4, c.from_party)
            .bind(5, c.to_party)
            .bind(6, c.handed_by)
            .bind(7, c.received_by)
            .bind(8, c.handed_on)
            .bind(9, c.document)
            .bind(10, actor)
            .bind(11, utc_timestamp())
            .bind(12, c.dost_org_id);
        auto row = st->step();
        if (!row) return row.error();
        const std::int64_t id = st->int64(0);
        st->reset();
        if (auto a =
                audit(actor, "custody." + std::string(to_string(c.step)), "device:" + c.device_id,
                      nlohmann::json{{"from", c.from_party},
                                     {"to", c.to_party},
                                     {"handed_by", c.handed_by},
                                     {"received_by", c.received_by},
                                     {"on", c.handed_on},
                                     {"document", c.document},
                                     {"dost", c.dost_org_id}}
                          .dump());
            !a)
            return a.error();
        return id;
    }

    Result<std::vector<CustodyRecord>> custody(const std::string& device_id) override {
        return guarded([&] {
            return query_all<CustodyRecord>(
                db_,
                "SELECT id, device_id, COALESCE(request_id, 0), step, from_party, to_party, "
                "handed_by, received_by, handed_on, document, recorded_by, recorded_at, "
                "dost_org_id FROM custody WHERE $1 = '' OR device_id = $1 ORDER BY device_id, "
                "handed_on, id",
                [&](Statement& st) { st.bind(1, device_id); }, read_custody);
        });
    }

    Status append_audit(const std::string& actor, const std::string& action,
                        const std::string& object, const std::string& detail) override {
        return guarded(
            [&] { return in_write([&] { return audit(actor, action, object, detail); }); });
    }

    Result<std::vector<AuditEntry>> audit_entries() override {
        return guarded([&] {
            return query_all<AuditEntry>(
                db_,
                "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit_log "
                "ORDER BY seq",
                [](Statement&) {},
                [](const Statement& st) {
                    return AuditEntry{st.int64(0),  st.string(1), st.string(2), st.string(3),
                                      st.string(4), st.string(5), st.string(6), st.string(7)};
                });
        });
    }

    static constexpr Dialect kListDialect = Dialect::postgres;
#include "store/workflow_list_body.inc"

public:
    Result<std::pair<std::int64_t, std::string>> audit_head() override {
        return guarded([&] { return audit_log_.head(); });
    }

    Result<AuditSeal> audit_seal() override {
        return guarded([&] { return audit_log_.seal(); });
    }

private:
    Status move_one(const Request& after, RequestState from, const std::string& actor,
                    const std::string& comment, const std::optional<Completion>& completion) {
        auto st_found = prepared(
            "UPDATE requests SET state = $2, reject_reason = $3, result_serial = $4, "
            "completed_at = $5 WHERE id = $1 AND state = $6");
        if (!st_found) return st_found.error();
        Statement* st = *st_found;
        st->bind(1, after.id)
            .bind(2, to_string(after.state))
            .bind(3, after.reject_reason)
            .bind(4, after.result_serial)
            .bind(5, after.completed_at)
            .bind(6, to_string(from));
        if (auto r = st->run(); !r) return r;
        if (st->affected() != 1)
            return make_error("store.request_moved", Location{},
                              {std::to_string(after.id), to_string(from)});
        const std::string now = utc_timestamp();
        auto tr_found = prepared(
            "INSERT INTO request_transitions (request_id, from_state, to_state, actor, "
            "at, comment) VALUES ($1, $2, $3, $4, $5, $6)");
        if (!tr_found) return tr_found.error();
        Statement* tr = *tr_found;
        tr->bind(1, after.id)
            .bind(2, to_string(from))
            .bind(3, to_string(after.state))
            .bind(4, actor)
            .bind(5, now)
            .bind(6, comment);
        if (auto r = tr->run(); !r) return r;
        if (completion) {
            if (auto c = complete(after, *completion, actor); !c) return c;
        }
        nlohmann::json detail{
            {"from", to_string(from)}, {"to", to_string(after.state)}, {"comment", comment}};
        if (!after.result_serial.empty()) detail["result_serial"] = after.result_serial;
        return audit(actor, "request." + std::string(to_string(after.state)),
                     "request:" + std::to_string(after.id), detail.dump());
    }

    static constexpr std::string_view kBatchSelect =
        "SELECT id, org_id, kind, form, level, COALESCE(parent_id, 0), number, symbol, "
        "created_by, created_at FROM batches";

    // Inserts `u` (its id set) with its audit entry; inside the caller's transaction.
    Status insert_user(User& u, const std::string& password_hash, const std::string& actor) {
        auto st = db_.prepare(
            "INSERT INTO users (username, full_name, role, org_id, password_hash, position, "
            "created_at, disabled) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id");
        if (!st) return st.error();
        st->bind(1, u.username)
            .bind(2, u.full_name)
            .bind(3, to_string(u.role))
            .bind_or_null(4, u.org_id)
            .bind(5, password_hash)
            .bind(6, u.position)
            .bind(7, utc_timestamp())
            .bind(8, std::int64_t{u.disabled ? 1 : 0});
        auto row = st->step();
        if (!row) {
            if (st->last_error() == kUniqueViolation)
                return make_error("store.user_exists", Location{}, {u.username});
            return row.error();
        }
        u.id = st->int64(0);
        st->reset();
        // The hash is a secret: the audit names the user, role and scope only.
        return audit(actor, "user.add", "user:" + u.username,
                     nlohmann::json{{"role", to_string(u.role)}, {"org_id", u.org_id}}.dump());
    }

    template <typename Write>
    Status in_write(Write&& write) {
        audit_log_.begin();
        auto tx = Transaction::begin(db_, Transaction::Mode::write);
        if (!tx) return tx.error();
        if (auto st = write(); !st) return st;  // ~Transaction rolls back
        if (auto st = refresh_search_index(db_); !st) return st;
        if (auto st = tx->commit(); !st) return st;
        return audit_log_.anchor();  // after the commit: the head file may lag, never lead
    }

    // The letter number of `b` in its issuer's register for this year: `b.number` when it is free
    // (batch.number_taken otherwise; "15" and "015" are the same number), the next one after the
    // highest numeric one when empty. Inside the caller's write transaction, so two writers
    // cannot take the same number.
    Result<std::string> letter_number(const Batch& b, const std::string& year) {
        auto st = db_.prepare(
            "SELECT id, number FROM batches WHERE org_id = $1 AND substr(created_at, 1, 4) = $2 "
            "AND number <> ''");
        if (!st) return st.error();
        st->bind(1, b.org_id).bind(2, year);
        const auto as_int = [](std::string_view t) -> std::optional<std::int64_t> {
            if (t.empty() || t.size() > 15) return std::nullopt;
            std::int64_t n = 0;
            for (const char c : t) {
                if (c < '0' || c > '9') return std::nullopt;
                n = n * 10 + (c - '0');
            }
            return n;
        };
        const auto wanted = as_int(b.number);
        std::int64_t highest = 0;
        for (;;) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            const std::string used = st->string(1);
            const auto n = as_int(used);
            if (n && *n > highest) highest = *n;
            if (!b.number.empty() && (used == b.number || (n && wanted && *n == *wanted)))
                return make_error("batch.number_taken", Location{"--number", 0, {}, {}},
                                  {b.number, b.org_id, year, std::to_string(st->int64(0))});
        }
        return b.number.empty() ? std::to_string(highest + 1) : b.number;
    }

    Result<std::int64_t> insert_batch(Batch& b, const std::string& actor) {
        const std::string now = utc_timestamp();
        auto number = letter_number(b, now.substr(0, 4));
        if (!number) return number.error();
        b.number = std::move(*number);
        auto st = db_.prepare(
            "INSERT INTO batches (org_id, kind, form, level, parent_id, number, symbol, "
            "created_by, created_at) VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8) RETURNING id");
        if (!st) return st.error();
        st->bind(1, b.org_id)
            .bind(2, to_string(b.kind))
            .bind(3, b.form)
            .bind(4, b.level)
            .bind(5, b.number)
            .bind(6, b.symbol)
            .bind(7, actor)
            .bind(8, now);
        auto row = st->step();
        if (!row) return row.error();
        const std::int64_t id = st->int64(0);
        st->reset();
        return id;
    }

    // The registry side of a completed request (DOMAIN.md: completing a change of information
    // or an issue links the new certificate; completing a revocation records time and reason).
    Status complete(const Request& r, const Completion& c, const std::string& actor) {
        // What the completion does to certificates, for the audit replay: serial -> [status,
        // holder] (holder null: unchanged).
        nlohmann::ordered_json changed = nlohmann::ordered_json::object();
        if (c.new_certificate) {
            if (!writer_) {
                auto writer = RegistryWriter::prepare(db_);
                if (!writer) return writer.error();
                writer_.emplace(std::move(*writer));
            }
            RowStats stats;
            if (auto w = writer_->write_certificates({*c.new_certificate}, stats); !w) return w;
            changed[c.new_certificate->serial] = {std::string(to_string(c.new_certificate->status)),
                                                  audit_holder(*c.new_certificate)};
        }
        const bool revoke = r.kind == RequestKind::revoke;
        const bool replaced = c.new_certificate && !r.certificate.empty();
        if (revoke || replaced) {
            auto st_found = prepared(
                "UPDATE certificates SET status = 'revoked', revoked_on = $2, "
                "revocation_reason = $3 WHERE serial = $1");
            if (!st_found) return st_found.error();
            Statement* st = *st_found;
            st->bind(1, r.certificate)
                .bind(2, c.revoked_on.empty() ? Date::today().str() : c.revoked_on)
                .bind(3, revoke ? r.revocation_reason : std::string("superseded"));
            if (auto run = st->run(); !run) return run;
            if (st->affected() == 1) changed[r.certificate] = {"revoked", nullptr};
        }
        if (changed.empty()) return Ok{};
        return audit(actor, "registry.certificates", "certificates",
                     nlohmann::ordered_json{{"source", "request:" + std::to_string(r.id)},
                                            {"certificates", std::move(changed)}}
                         .dump());
    }

    Status audit(const std::string& actor, const std::string& action, const std::string& object,
                 const std::string& detail) {
        return audit_log_.append(actor, action, object, detail);
    }

    // Statements of the per-request path (moves, completions, audit entries), prepared once per
    // connection: a batch of 50,000 requests would otherwise prepare 250,000.
    Result<Statement*> prepared(std::string_view sql) {
        auto it = statements_.find(sql);
        if (it == statements_.end()) {
            auto st = db_.prepare(sql);
            if (!st) return st.error();
            it = statements_.emplace(std::string(sql), std::move(*st)).first;
        }
        return &it->second;
    }

    Connection db_;
    // Declared after db_, so they are finalized before the connection closes.
    std::map<std::string, Statement, std::less<>> statements_;
    std::optional<RegistryWriter> writer_;
    AuditLog audit_log_{db_};
};

}  // namespace

Result<std::unique_ptr<WorkflowStore>> open_postgres_workflow_store(const std::string& location) {
    return guarded([&]() -> Result<std::unique_ptr<WorkflowStore>> {
        auto db = Connection::open(location);
        if (!db) return db.error();
        if (auto st = migrate(*db, postgres_migrations()); !st) return st.error();
        return std::unique_ptr<WorkflowStore>(std::make_unique<PgWorkflowStore>(std::move(*db)));
    });
}

}  // namespace kyso::store::postgres

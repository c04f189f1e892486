// kyso store — the SQLite back-end of JobStore: each method one transaction; a claim takes the
// write lock first (BEGIN IMMEDIATE), so two workers never claim the same job.
#include "store/sqlite/job_store_sqlite.h"

#include <utility>

#include "core/messages.h"
#include "store/migrations/migration.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/guarded.h"
#include "store/sqlite/migrator.h"

namespace kyso::store::sqlite {

namespace {

constexpr std::string_view kColumns =
    "id, kind, actor, scope_org_id, params, state, done, total, result, error, "
    "cancel_requested, owner, heartbeat_at, created_at, started_at, finished_at";

std::string now() {
    return job_time(std::chrono::system_clock::now());
}

Result<Job> read_job(const Statement& st) {
    Job j;
    j.id = st.int64(0);
    j.kind = st.string(1);
    j.actor = st.string(2);
    j.scope_org_id = st.string(3);
    j.params = st.string(4);
    const auto state = parse_job_state(st.text(5));
    if (!state) {
        return make_error("store.corrupt_row", Location{"jobs", 0, {}, std::to_string(j.id)},
                          {"jobs", std::to_string(j.id), "state"});
    }
    j.state = *state;
    j.done = st.int64(6);
    j.total = st.int64(7);
    j.result = st.string(8);
    j.error = st.string(9);
    j.cancel_requested = st.int64(10) != 0;
    j.owner = st.string(11);
    j.heartbeat_at = st.string(12);
    j.created_at = st.string(13);
    j.started_at = st.string(14);
    j.finished_at = st.string(15);
    return j;
}

Error job_not_found(std::int64_t id) {
    return make_error("store.not_found", Location{"jobs", 0, {}, std::to_string(id)},
                      {"job", std::to_string(id)});
}

class SqliteJobStore final : public JobStore {
public:
    explicit SqliteJobStore(Connection db) : db_(std::move(db)) {}

    Result<std::int64_t> create(const Job& job, const std::vector<JobFile>& files) override {
        return guarded([&]() -> Result<std::int64_t> {
            auto tx = Transaction::begin(db_, Transaction::Mode::write);
            if (!tx) return tx.error();
            auto ins = db_.prepare(
                "INSERT INTO jobs (kind, actor, scope_org_id, params, created_at)"
                " VALUES (?1, ?2, ?3, ?4, ?5)");
            if (!ins) return ins.error();
            ins->bind(1, job.kind).bind(2, job.actor).bind(3, job.scope_org_id);
            ins->bind(4, job.params.empty() ? std::string("{}") : job.params).bind(5, now());
            if (auto st = ins->run(); !st) return st.error();
            const std::int64_t id = sqlite3_last_insert_rowid(db_.handle());
            auto file = db_.prepare(
                "INSERT INTO job_files (job_id, name, content) VALUES (?1, ?2, CAST(?3 AS BLOB))");
            if (!file) return file.error();
            for (const JobFile& f : files) {
                file->reset();
                file->bind(1, id).bind(2, f.name).bind(3, f.content);
                if (auto st = file->run(); !st) return st.error();
            }
            if (auto st = tx->commit(); !st) return st.error();
            return id;
        });
    }

    Result<Job> job(std::int64_t id) override {
        return guarded([&]() -> Result<Job> { return find(id); });
    }

    Result<ListPage<Job>> jobs(const JobQuery& q) override {
        ListQuery paging;
        paging.page = q.page;
        paging.page_size = q.page_size;
        if (auto st = check_list_query(paging, {}); !st) return st.error();
        return guarded([&]() -> Result<ListPage<Job>> {
            std::string where = " WHERE 1 = 1";
            std::vector<std::string> params;
            auto add = [&](const char* column, std::string value) {
                params.push_back(std::move(value));
                where += std::string(" AND ") + column + " = ?" + std::to_string(params.size());
            };
            if (!q.actor.empty()) add("actor", q.actor);
            if (q.state) add("state", std::string(to_string(*q.state)));
            if (!q.kind.empty()) add("kind", q.kind);
            auto tx = Transaction::begin(db_, Transaction::Mode::read);
            if (!tx) return tx.error();
            ListPage<Job> page;
            page.page = q.page;
            page.page_size = q.page_size;
            auto count = db_.prepare("SELECT count(*) FROM jobs" + where);
            if (!count) return count.error();
            for (std::size_t i = 0; i < params.size(); ++i)
                count->bind(static_cast<int>(i + 1), params[i]);
            auto has = count->step();
            if (!has) return has.error();
            page.total = count->int64(0);
            count->reset();
            auto rows =
                db_.prepare("SELECT " + std::string(kColumns) + " FROM jobs" + where +
                            " ORDER BY id DESC LIMIT " + std::to_string(q.page_size) + " OFFSET " +
                            std::to_string(static_cast<std::int64_t>(q.page - 1) * q.page_size));
            if (!rows) return rows.error();
            for (std::size_t i = 0; i < params.size(); ++i)
                rows->bind(static_cast<int>(i + 1), params[i]);
            while (true) {
                auto row = rows->step();
                if (!row) return row.error();
                if (!*row) break;
                auto j = read_job(*rows);
                if (!j) return j.error();
                page.items.push_back(std::move(*j));
            }
            if (auto st = tx->commit(); !st) return st.error();
            return page;
        });
    }

    Result<std::vector<JobFile>> files(std::int64_t id) override {
        return guarded([&]() -> Result<std::vector<JobFile>> {
            auto st =
                db_.prepare("SELECT name, content FROM job_files WHERE job_id = ?1 ORDER BY name");
            if (!st) return st.error();
            st->bind(1, id);
            std::vector<JobFile> out;
            while (true) {
                auto row = st->step();
                if (!row) return row.error();
                if (!*row) break;
                const auto bytes = st->blob(1);
                out.push_back(JobFile{st->string(0), std::string(bytes.begin(), bytes.end())});
            }
            return out;
        });
    }

    Result<std::optional<Job>> claim(const std::string& owner,
                                     const std::vector<std::string>& kinds) override {
        return guarded([&]() -> Result<std::optional<Job>> {
            if (kinds.empty()) return std::optional<Job>{};
            auto tx = Transaction::begin(db_, Transaction::Mode::write);
            if (!tx) return tx.error();
            std::string in;
            for (std::size_t i = 0; i < kinds.size(); ++i)
                in += (i ? ", ?" : "?") + std::to_string(i + 1);
            auto pick = db_.prepare("SELECT id FROM jobs WHERE state = 'queued' AND kind IN (" +
                                    in + ") ORDER BY id LIMIT 1");
            if (!pick) return pick.error();
            for (std::size_t i = 0; i < kinds.size(); ++i)
                pick->bind(static_cast<int>(i + 1), kinds[i]);
            auto row = pick->step();
            if (!row) return row.error();
            if (!*row) return std::optional<Job>{};
            const std::int64_t id = pick->int64(0);
            pick->reset();
            const std::string t = now();
            auto take = db_.prepare(
                "UPDATE jobs SET state = 'running', owner = ?2, started_at = ?3,"
                " heartbeat_at = ?3 WHERE id = ?1 AND state = 'queued'");
            if (!take) return take.error();
            take->bind(1, id).bind(2, owner).bind(3, t);
            if (auto st = take->run(); !st) return st.error();
            auto j = find(id);
            if (!j) return j.error();
            if (auto st = tx->commit(); !st) return st.error();
            return std::optional<Job>{std::move(*j)};
        });
    }

    Result<bool> progress(std::int64_t id, const std::string& owner, std::int64_t done,
                          std::int64_t total) override {
        return guarded([&]() -> Result<bool> {
            auto tx = Transaction::begin(db_, Transaction::Mode::write);
            if (!tx) return tx.error();
            auto st = db_.prepare(
                "UPDATE jobs SET done = ?3, total = ?4, heartbeat_at = ?5"
                " WHERE id = ?1 AND owner = ?2 AND state = 'running'");
            if (!st) return st.error();
            st->bind(1, id).bind(2, owner).bind(3, done).bind(4, total).bind(5, now());
            if (auto r = st->run(); !r) return r.error();
            if (sqlite3_changes(db_.handle()) == 0) return not_owner(id);
            auto flag =
                db_.query_int("SELECT cancel_requested FROM jobs WHERE id = " + std::to_string(id));
            if (!flag) return flag.error();
            if (auto r = tx->commit(); !r) return r.error();
            return *flag != 0;
        });
    }

    Status finish(std::int64_t id, const std::string& owner, JobState state,
                  const std::string& result, const std::string& error) override {
        return guarded([&]() -> Status {
            auto tx = Transaction::begin(db_, Transaction::Mode::write);
            if (!tx) return tx.error();
            auto st = db_.prepare(
                "UPDATE jobs SET state = ?3, result = ?4, error = ?5, finished_at = ?6,"
                " heartbeat_at = ?6 WHERE id = ?1 AND owner = ?2 AND state = 'running'");
            if (!st) return st.error();
            st->bind(1, id).bind(2, owner).bind(3, to_string(state)).bind(4, result);
            st->bind(5, error).bind(6, now());
            if (auto r = st->run(); !r) return r;
            if (sqlite3_changes(db_.handle()) == 0) return not_owner(id);
            return tx->commit();
        });
    }

    Status beat(const std::string& owner) override {
        return guarded([&]() -> Status {
            auto st = db_.prepare(
                "UPDATE jobs SET heartbeat_at = ?2 WHERE owner = ?1 AND state = 'running'");
            if (!st) return st.error();
            st->bind(1, owner).bind(2, now());
            return st->run();
        });
    }

    Result<Job> cancel(std::int64_t id) override {
        return guarded([&]() -> Result<Job> {
            auto tx = Transaction::begin(db_, Transaction::Mode::write);
            if (!tx) return tx.error();
            auto j = find(id);
            if (!j) return j.error();
            if (j->state == JobState::queued) {
                auto st = db_.prepare(
                    "UPDATE jobs SET state = 'cancelled', cancel_requested = 1, finished_at = ?2"
                    " WHERE id = ?1");
                if (!st) return st.error();
                st->bind(1, id).bind(2, now());
                if (auto r = st->run(); !r) return r.error();
            } else if (j->state == JobState::running) {
                auto st = db_.prepare("UPDATE jobs SET cancel_requested = 1 WHERE id = ?1");
                if (!st) return st.error();
                st->bind(1, id);
                if (auto r = st->run(); !r) return r.error();
            }
            auto now_job = find(id);
            if (!now_job) return now_job.error();
            if (auto r = tx->commit(); !r) return r.error();
            return now_job;
        });
    }

    Result<std::int64_t> fail_stale(std::chrono::milliseconds stale_after,
                                    const std::string& error) override {
        return guarded([&]() -> Result<std::int64_t> {
            auto tx = Transaction::begin(db_, Transaction::Mode::write);
            if (!tx) return tx.error();
            const auto cutoff = std::chrono::system_clock::now() - stale_after;
            auto st = db_.prepare(
                "UPDATE jobs SET state = 'failed', error = ?2, finished_at = ?3"
                " WHERE state = 'running' AND heartbeat_at < ?1");
            if (!st) return st.error();
            st->bind(1, job_time(cutoff)).bind(2, error).bind(3, now());
            if (auto r = st->run(); !r) return r.error();
            const std::int64_t n = sqlite3_changes(db_.handle());
            if (auto r = tx->commit(); !r) return r.error();
            return n;
        });
    }

private:
    Result<Job> find(std::int64_t id) {
        auto st = db_.prepare("SELECT " + std::string(kColumns) + " FROM jobs WHERE id = ?1");
        if (!st) return st.error();
        st->bind(1, id);
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) return job_not_found(id);
        auto j = read_job(*st);
        st->reset();
        return j;
    }

    static Error not_owner(std::int64_t id) {
        return make_error("store.job_owner", Location{"jobs", 0, {}, std::to_string(id)},
                          {std::to_string(id)});
    }

    Connection db_;
};

}  // namespace

Result<std::unique_ptr<JobStore>> open_sqlite_job_store(const std::string& path) {
    return guarded([&]() -> Result<std::unique_ptr<JobStore>> {
        auto db = Connection::open(path, 10'000);
        if (!db) return db.error();
        if (auto st = migrate(*db, sqlite_migrations()); !st) return st.error();
        return std::unique_ptr<JobStore>(std::make_unique<SqliteJobStore>(std::move(*db)));
    });
}

}  // namespace kyso::store::sqlite

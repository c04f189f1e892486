// kyso store — the JobStore interface: background jobs kept in the database (issue 13 "Long
// work"), so that any server process can list them, and a job whose server stopped is known.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/registry_query.h"

namespace kyso::store {

enum class JobState { queued, running, succeeded, failed, cancelled };
std::string_view to_string(JobState s);
std::optional<JobState> parse_job_state(std::string_view s);
// succeeded, failed and cancelled: the job will not change any more.
bool finished(JobState s);

struct Job {
    std::int64_t id = 0;
    std::string kind;           // e.g. "import.bundle", "check", "plan"
    std::string actor;          // who asked for it
    std::string scope_org_id;   // the actor's scope ("" = everything)
    std::string params = "{}";  // JSON
    JobState state = JobState::queued;
    std::int64_t done = 0;
    std::int64_t total = 0;  // 0: not known yet
    std::string result;      // JSON, once succeeded
    std::string error;       // JSON {"code", "message", "message_en"}, once failed or cancelled
    bool cancel_requested = false;
    std::string owner;                                              // the worker running it
    std::string heartbeat_at, created_at, started_at, finished_at;  // job_time() texts
};

// An input file of a job (an uploaded bundle archive, certificate files, a spreadsheet).
struct JobFile {
    std::string name;  // a plain file name, no folder
    std::string content;
};

// An audit entry a job writes with its success (JobStore::finish): action, object, detail JSON.
struct JobAudit {
    std::string action, object, detail;
};

// Jobs by id, newest first. Sort is fixed; pages as in ListQuery.
struct JobQuery {
    std::string actor;  // "" = anyone's
    std::optional<JobState> state;
    std::string kind;
    int page = 1;
    int page_size = kDefaultPageSize;
};

// Each method is one transaction; no method throws. Errors: store.not_found (no such job),
// store.job_owner (a worker writes to a job it no longer owns: it was marked failed as stale or
// claimed by another), store.invalid_query, and the back-end's. One connection: use from one
// thread at a time (each worker opens its own).
class JobStore {
public:
    JobStore() = default;
    JobStore(const JobStore&) = delete;
    JobStore& operator=(const JobStore&) = delete;
    virtual ~JobStore() = default;

    // Queues a job (kind, actor, scope_org_id, params of `job`; the rest is ignored) with its
    // files; returns its id.
    virtual Result<std::int64_t> create(const Job& job, const std::vector<JobFile>& files) = 0;
    virtual Result<Job> job(std::int64_t id) = 0;
    virtual Result<ListPage<Job>> jobs(const JobQuery& q) = 0;
    virtual Result<std::vector<JobFile>> files(std::int64_t id) = 0;

    // Takes the oldest queued job of one of `kinds` for `owner`: running, started and beaten
    // now. nullopt when none is queued. Two workers never take the same job.
    virtual Result<std::optional<Job>> claim(const std::string& owner,
                                             const std::vector<std::string>& kinds) = 0;
    // Progress and heartbeat of a running job; returns whether cancel was requested.
    virtual Result<bool> progress(std::int64_t id, const std::string& owner, std::int64_t done,
                                  std::int64_t total) = 0;
    // Ends a running job: succeeded with `result`, failed or cancelled with `error`. With
    // `audit`, that entry is appended to the audit log (under the job's actor) in the same
    // transaction: a job killed before this has no entry, a succeeded one always has it.
    virtual Status finish(std::int64_t id, const std::string& owner, JobState state,
                          const std::string& result, const std::string& error,
                          const std::optional<JobAudit>& audit) = 0;
    Status finish(std::int64_t id, const std::string& owner, JobState state,
                  const std::string& result, const std::string& error) {
        return finish(id, owner, state, result, error, std::nullopt);
    }
    // Heartbeat of every running job of `owner` (the runner beats while its handlers work).
    virtual Status beat(const std::string& owner) = 0;
    // Asks a job to stop: a queued one is cancelled at once, a running one is flagged (its
    // worker stops at the next progress report). Returns the job as it is now; a finished job
    // is returned unchanged.
    virtual Result<Job> cancel(std::int64_t id) = 0;
    // Whether a stop was asked for job `id` (a read only: a running handler checks it inside its
    // own write transaction). store.not_found for no such job.
    virtual Result<bool> cancel_requested(std::int64_t id) = 0;
    // At server start: every running job whose heartbeat is older than `stale_after` is failed
    // with `error` (its worker stopped with the server). Returns how many.
    virtual Result<std::int64_t> fail_stale(std::chrono::milliseconds stale_after,
                                            const std::string& error) = 0;
};

// Opens the jobs of the store at `location` (as open_registry_query).
Result<std::unique_ptr<JobStore>> open_job_store(const std::string& location);

// A time as jobs store it: UTC, "YYYY-MM-DDThh:mm:ss.sssZ" (sorts as text).
std::string job_time(std::chrono::system_clock::time_point t);

}  // namespace kyso::store

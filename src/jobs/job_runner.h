// kyso jobs — runs background jobs (store/job_store.h) on worker threads: claims queued jobs,
// reports their progress with a heartbeat, honours cancel, writes the result or the error, and
// at start marks failed the jobs a stopped server left running (issue 13 "Long work").
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "store/job_store.h"

namespace kyso::jobs {

// What a running job's handler sees. Not shared between threads.
class JobContext {
public:
    JobContext(store::JobStore& jobs, store::Job job, std::string location,
               const std::atomic<bool>& stopping, const std::atomic<bool>* cancelled = nullptr)
        : jobs_(&jobs),
          job_(std::move(job)),
          location_(std::move(location)),
          stopping_(&stopping),
          cancelled_(cancelled) {}

    const store::Job& job() const { return job_; }
    // The database the job works on (open_store, open_workflow_store ...).
    const std::string& location() const { return location_; }
    // Records done/total (and beats); false once the job was asked to stop (cancel, or the
    // server stopping): the handler then returns job_stopped() without writing anything.
    bool progress(std::int64_t done, std::int64_t total);
    // Whether the job was asked to stop (as last seen; progress() refreshes it).
    bool stop_requested() const {
        return cancel_seen_ || stopping_->load() || (cancelled_ != nullptr && cancelled_->load());
    }
    // The check a handler's long loops make once per chunk of rows (core/interrupt.h, installed
    // by the runner around the handler): whether the job was asked to stop, from this process
    // (JobRunner::request_cancel, the server stopping) or, at most every 100 ms, from the
    // database (a cancel through another server); a read only, so that it works inside the
    // handler's own write transaction. KYSO_JOB_PAUSE_MS (tests only): the first check waits
    // that long for a cancel.
    bool interrupt_check();
    // The job's input files.
    Result<std::vector<store::JobFile>> files() { return jobs_->files(job_.id); }
    // The error a handler returns when it stops because stop_requested().
    Error job_stopped() const;
    // An audit entry written with the job's success, in the same transaction (JobStore::finish),
    // not by the handler: a job killed before it is marked succeeded leaves no entry.
    void audit_on_success(store::JobAudit entry) { audit_ = std::move(entry); }
    const std::optional<store::JobAudit>& success_audit() const { return audit_; }

private:
    store::JobStore* jobs_;
    store::Job job_;
    std::string location_;
    const std::atomic<bool>* stopping_;
    const std::atomic<bool>* cancelled_;
    bool cancel_seen_ = false;
    bool paused_ = false;
    std::optional<store::JobAudit> audit_;
    std::chrono::steady_clock::time_point last_read_{};
};

// A job kind's work: returns the result (JSON text) or the error. Each handler writes its
// changes in one transaction at its end (or into a temporary folder moved into place at once),
// so a job killed in the middle leaves nothing half-written.
using JobHandler = std::function<Result<std::string>(JobContext&)>;

// What the runners of a process have done, for /metrics: jobs finished by kind and state, and
// jobs running by kind. Thread-safe.
class JobCounters {
public:
    void started(const std::string& kind);
    void finished(const std::string& kind, store::JobState state);
    // {(kind, state): count} of the finished jobs (succeeded, failed, cancelled).
    std::map<std::pair<std::string, std::string>, std::uint64_t> finished_counts() const;
    // {kind: count} of the running jobs.
    std::map<std::string, std::int64_t> running_counts() const;

private:
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, std::uint64_t> finished_;
    std::map<std::string, std::int64_t> running_;
};

struct RunnerOptions {
    int workers = 1;
    std::chrono::milliseconds poll{500};         // how often idle workers look for jobs
    std::chrono::milliseconds heartbeat{2'000};  // how often running jobs are beaten
    // A running job not beaten for this long belongs to a stopped server: failed at start and
    // at every heartbeat round (of any server on the database).
    std::chrono::milliseconds stale_after{15'000};
    // Counted into when set (the server's /metrics).
    std::shared_ptr<JobCounters> counters;
};

// One runner per server process. Its workers each open their own JobStore connection.
class JobRunner {
public:
    JobRunner(std::string location, std::map<std::string, JobHandler> handlers,
              RunnerOptions options = {});
    JobRunner(const JobRunner&) = delete;
    JobRunner& operator=(const JobRunner&) = delete;
    ~JobRunner();

    // Marks failed (job.server_stopped) the running jobs of a process of this host that is gone
    // (a server killed and restarted) and the stale ones, then starts the workers and the
    // heartbeat. Errors: opening the job store.
    Status start();
    // Stops taking jobs; a running job is asked to stop and ends failed (job.server_stopped)
    // unless it finishes first. Waits for the workers. Idempotent.
    void stop();
    // Wakes an idle worker (a job was just queued).
    void notify();
    // Asks job `id` to stop if one of this runner's workers runs it (seen at its next check, even
    // inside a write transaction that keeps the database's cancel flag from being written);
    // whether it runs here. The caller also sets the flag in the database (JobStore::cancel).
    bool request_cancel(std::int64_t id);

    // The id this runner writes as the owner of the jobs it runs (host, process, random).
    const std::string& owner() const { return owner_; }
    // Job kinds this runner has handlers for.
    std::vector<std::string> kinds() const;

private:
    void work();
    void beat();
    void run_one(store::JobStore& jobs, const store::Job& job);
    // Writes the end of a job from its handler's result; the state it ended in.
    store::JobState finish(store::JobStore& jobs, const store::Job& job, const JobContext& ctx,
                           Result<std::string> result);

    std::string location_;
    std::map<std::string, JobHandler> handlers_;
    RunnerOptions options_;
    std::string owner_;
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<std::thread> threads_;
    std::map<std::int64_t, std::shared_ptr<std::atomic<bool>>> running_;  // under mutex_
};

// The error JSON of a failed job: {"code", "message", "message_en"}.
std::string error_json(const Error& e);

}  // namespace kyso::jobs

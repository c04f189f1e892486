// kyso jobs — runs background jobs on worker threads (job_runner.h).
#include "jobs/job_runner.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <thread>

#include "core/interrupt.h"
#include "core/messages.h"

namespace kyso::jobs {

namespace {

std::string make_owner() {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    std::random_device rd;
    return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(rd());
}

// Fails the running jobs whose owner was a process of this host that no longer exists (a
// server killed, even with SIGKILL, and started again): no need to wait for their heartbeat to
// grow stale. Jobs of live processes and of other hosts are left to fail_stale.
void fail_dead_local_owners(store::JobStore& jobs, const std::string& error) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    const std::string prefix = std::string(host) + ":";
    std::vector<store::Job> dead;  // all pages read first: failing one changes the pages
    for (int page = 1; page <= 100; ++page) {
        store::JobQuery q;
        q.state = store::JobState::running;
        q.page = page;
        q.page_size = 200;
        auto running = jobs.jobs(q);
        if (!running) break;
        for (const store::Job& j : running->items) {
            if (j.owner.rfind(prefix, 0) != 0) continue;
            const long pid = std::strtol(j.owner.c_str() + prefix.size(), nullptr, 10);
            if (pid <= 0 || pid == static_cast<long>(getpid())) continue;
            if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
            dead.push_back(j);
        }
        if (static_cast<int>(running->items.size()) < q.page_size) break;
    }
    for (const store::Job& j : dead)
        (void)jobs.finish(j.id, j.owner, store::JobState::failed, "", error);
}

// `text` without the job folders kyso makes under the system's temporary folder: a job's error
// is shown to its user. "/tmp/kyso.Ab12Cd/certs/x.pem" becomes "certs/x.pem", the folder alone
// `folder_name` ("the uploaded files").
std::string without_temp_folders(const std::string& text, const std::string& folder_name) {
    static const std::string pattern = [] {
        std::string tmp = std::filesystem::temp_directory_path().string();
        while (tmp.size() > 1 && tmp.back() == '/') tmp.pop_back();
        std::string escaped;
        for (char c : tmp) {
            if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos)
                escaped += '\\';
            escaped += c;
        }
        return escaped + R"(/kyso[.\-][^/\s"']*)";
    }();
    static const std::regex inside(pattern + "/"), alone(pattern);
    return std::regex_replace(std::regex_replace(text, inside, ""), alone, folder_name);
}

}  // namespace

std::string error_json(const Error& e) {
    return nlohmann::json{{"code", e.code}, {"message", e.message}, {"message_en", e.message_en}}
        .dump();
}

bool JobContext::progress(std::int64_t done, std::int64_t total) {
    auto cancel = jobs_->progress(job_.id, job_.owner, done, total);
    // A failed progress write (a busy database) does not stop the job; a lost job does.
    if (!cancel && cancel.error().code == "store.job_owner") cancel_seen_ = true;
    if (cancel && *cancel) cancel_seen_ = true;
    return !stop_requested();
}

bool JobContext::interrupt_check() {
    if (!paused_) {
        paused_ = true;
        const char* env = std::getenv("KYSO_JOB_PAUSE_MS");
        const long ms = env != nullptr ? std::strtol(env, nullptr, 10) : 0;
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (std::chrono::steady_clock::now() < until && !interrupt_check())
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (stop_requested()) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_read_ < std::chrono::milliseconds(100)) return false;
    last_read_ = now;
    auto flag = jobs_->cancel_requested(job_.id);
    if (flag && *flag) cancel_seen_ = true;  // a failed read (a busy database): the next one
    return stop_requested();
}

Error JobContext::job_stopped() const {
    return make_error("job.stopped", Location{{}, 0, {}, std::to_string(job_.id)},
                      {std::to_string(job_.id)});
}

void JobCounters::started(const std::string& kind) {
    std::lock_guard lock(mutex_);
    ++running_[kind];
}

void JobCounters::finished(const std::string& kind, store::JobState state) {
    std::lock_guard lock(mutex_);
    --running_[kind];
    ++finished_[{kind, std::string(store::to_string(state))}];
}

std::map<std::pair<std::string, std::string>, std::uint64_t> JobCounters::finished_counts() const {
    std::lock_guard lock(mutex_);
    return finished_;
}

std::map<std::string, std::int64_t> JobCounters::running_counts() const {
    std::lock_guard lock(mutex_);
    return running_;
}

JobRunner::JobRunner(std::string location, std::map<std::string, JobHandler> handlers,
                     RunnerOptions options)
    : location_(std::move(location)),
      handlers_(std::move(handlers)),
      options_(options),
      owner_(make_owner()) {}

JobRunner::~JobRunner() {
    stop();
}

std::vector<std::string> JobRunner::kinds() const {
    std::vector<std::string> out;
    for (const auto& [kind, handler] : handlers_) out.push_back(kind);
    return out;
}

Status JobRunner::start() {
    auto jobs = store::open_job_store(location_);
    if (!jobs) return jobs.error();
    const Error stopped = make_error("job.server_stopped", Location{}, {});
    fail_dead_local_owners(**jobs, error_json(stopped));
    if (auto n = (*jobs)->fail_stale(options_.stale_after, error_json(stopped)); !n)
        return n.error();
    stopping_ = false;
    for (int i = 0; i < std::max(1, options_.workers); ++i)
        threads_.emplace_back([this] { work(); });
    threads_.emplace_back([this] { beat(); });
    return Ok{};
}

void JobRunner::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) {
        if (t.joinable()) t.join();
    }
    threads_.clear();
}

void JobRunner::notify() {
    wake_.notify_one();
}

bool JobRunner::request_cancel(std::int64_t id) {
    std::lock_guard lock(mutex_);
    const auto it = running_.find(id);
    if (it == running_.end()) return false;
    *it->second = true;
    return true;
}

void JobRunner::work() {
    auto jobs = store::open_job_store(location_);
    if (!jobs) return;  // the heartbeat thread's open reports nothing either: start() checked
    const std::vector<std::string> kinds = this->kinds();
    while (!stopping_) {
        auto job = (*jobs)->claim(owner_, kinds);
        if (job && *job) {
            run_one(**jobs, **job);
            continue;
        }
        std::unique_lock lock(mutex_);
        if (stopping_) break;
        wake_.wait_for(lock, options_.poll);
    }
}

void JobRunner::beat() {
    auto jobs = store::open_job_store(location_);
    if (!jobs) return;
    const std::string stopped = error_json(make_error("job.server_stopped", Location{}, {}));
    while (!stopping_) {
        {
            std::unique_lock lock(mutex_);
            if (wake_.wait_for(lock, options_.heartbeat, [this] { return stopping_.load(); }))
                break;
        }
        (void)(*jobs)->beat(owner_);  // a busy database: the next beat will do
        // Jobs of a server that stopped (here or on another server on the same database).
        (void)(*jobs)->fail_stale(options_.stale_after, stopped);
    }
}

void JobRunner::run_one(store::JobStore& jobs, const store::Job& job) {
    auto cancelled = std::make_shared<std::atomic<bool>>(false);
    {
        std::lock_guard lock(mutex_);
        running_[job.id] = cancelled;
    }
    if (options_.counters) options_.counters->started(job.kind);
    JobContext ctx(jobs, job, location_, stopping_, cancelled.get());
    const auto it = handlers_.find(job.kind);
    Result<std::string> result = make_error("job.unknown_kind", Location{}, {job.kind});
    if (it != handlers_.end()) {
        InterruptScope scope([&ctx] { return ctx.interrupt_check(); });
        try {
            result = it->second(ctx);
        } catch (const std::exception& e) {  // a handler must not take the worker down
            result = make_error("job.crashed", Location{}, {e.what()});
        }
    }
    {
        std::lock_guard lock(mutex_);
        running_.erase(job.id);
    }
    const store::JobState end = finish(jobs, job, ctx, std::move(result));
    if (options_.counters) options_.counters->finished(job.kind, end);
}

store::JobState JobRunner::finish(store::JobStore& jobs, const store::Job& job,
                                  const JobContext& ctx, Result<std::string> result) {
    // A loop of the layers below stopped by the check (its transaction rolled back).
    if (!result && result.error().code == "work.interrupted") result = ctx.job_stopped();
    if (result) {
        auto done = jobs.finish(job.id, owner_, store::JobState::succeeded, *result, "",
                                ctx.success_audit());
        if (done || !ctx.success_audit() || done.error().code == "store.job_owner")
            return store::JobState::succeeded;
        // Its audit entry could not be written (nor, in the same transaction, the success).
        result = done.error();
    }
    store::JobState end = store::JobState::failed;
    Error err = result.error();
    if (err.code == "job.stopped") {
        if (stopping_) {
            err = make_error("job.server_stopped", Location{}, {});
        } else {
            end = store::JobState::cancelled;
        }
    }
    err.message = without_temp_folders(err.message, message("job.upload_folder", {}, false));
    err.message_en = without_temp_folders(err.message_en, message("job.upload_folder", {}, true));
    (void)jobs.finish(job.id, owner_, end, "", error_json(err));
    return end;
}

}  // namespace kyso::jobs

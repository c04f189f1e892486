// kyso server — connection workers that grow with the connections waiting (slowloris).
#include "server/worker_pool.h"

#include <algorithm>

namespace kyso::server {

WorkerPool::WorkerPool(std::size_t core, std::size_t max, std::chrono::milliseconds idle)
    : core_(std::max<std::size_t>(core, 1)),
      max_(std::max(max, std::max<std::size_t>(core, 1))),
      idle_(idle) {
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < core_; ++i) spawn_locked();
}

WorkerPool::~WorkerPool() {
    bool running = false;
    {
        std::lock_guard lock(mu_);
        running = !threads_.empty();
    }
    if (running) shutdown();
}

void WorkerPool::spawn_locked() {
    threads_.emplace_back([this] { work(); });
}

void WorkerPool::reap(std::vector<std::thread>& out) {
    // Under the lock: moves the threads that ended out, to be joined without it.
    for (const std::thread::id id : ended_) {
        auto it = std::find_if(threads_.begin(), threads_.end(),
                               [&](const std::thread& t) { return t.get_id() == id; });
        if (it == threads_.end()) continue;
        out.push_back(std::move(*it));
        threads_.erase(it);
    }
    ended_.clear();
}

void WorkerPool::enqueue(std::function<void()> fn) {
    std::vector<std::thread> ended;
    {
        std::lock_guard lock(mu_);
        jobs_.push_back(std::move(fn));
        reap(ended);
        if (jobs_.size() > waiting_ && threads_.size() < max_) spawn_locked();
    }
    cv_.notify_one();
    for (std::thread& t : ended) t.join();
}

void WorkerPool::work() {
    std::unique_lock lock(mu_);
    for (;;) {
        ++waiting_;
        const bool extra = threads_.size() - ended_.size() > core_;
        bool woke = true;
        if (extra)
            woke = cv_.wait_for(lock, idle_, [&] { return !jobs_.empty() || shutdown_; });
        else
            cv_.wait(lock, [&] { return !jobs_.empty() || shutdown_; });
        --waiting_;
        if (jobs_.empty()) {
            if (shutdown_) return;
            // Idle past the limit with more threads than the core: this one ends (joined by the
            // next enqueue or by shutdown). Another thread may have taken the job it woke for.
            if (!woke && threads_.size() - ended_.size() > core_) {
                ended_.push_back(std::this_thread::get_id());
                return;
            }
            continue;
        }
        std::function<void()> fn = std::move(jobs_.front());
        jobs_.pop_front();
        lock.unlock();
        fn();
        fn = nullptr;
        lock.lock();
    }
}

void WorkerPool::shutdown() {
    std::list<std::thread> all;
    {
        std::lock_guard lock(mu_);
        shutdown_ = true;
    }
    cv_.notify_all();
    // Threads may still end on their own meanwhile: join everything there is, under no lock.
    {
        std::lock_guard lock(mu_);
        all.swap(threads_);
        ended_.clear();
    }
    for (std::thread& t : all)
        if (t.joinable()) t.join();
}

std::size_t WorkerPool::threads() const {
    std::lock_guard lock(mu_);
    return threads_.size() - ended_.size();
}

}  // namespace kyso::server

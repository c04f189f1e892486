// kyso server — the connection workers: httplib gives each connection a thread from its task
// queue for the connection's whole life (the header, the body, keep-alive), so a fixed pool of N
// threads is tied up by N clients that send their header byte by byte (slowloris). This pool
// keeps `core` threads and grows one thread per waiting connection up to `max`, so a slow client
// holds only its own thread; threads above `core` end after `idle` without work.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

namespace kyso::server {

class WorkerPool : public httplib::TaskQueue {
public:
    // `core` ≥ 1 threads started now, at most `max` (≥ core) at once.
    WorkerPool(std::size_t core, std::size_t max, std::chrono::milliseconds idle);
    ~WorkerPool() override;

    // Runs `fn` on an idle thread, on a new one when none is idle and fewer than `max` run, else
    // as soon as a thread is free (connections beyond `max` wait in order).
    void enqueue(std::function<void()> fn) override;
    // Runs what is queued, then ends and joins every thread.
    void shutdown() override;

    // Threads running now (for tests and the logs).
    std::size_t threads() const;

private:
    void work();
    void spawn_locked();
    void reap(std::vector<std::thread>& out);

    const std::size_t core_, max_;
    const std::chrono::milliseconds idle_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> jobs_;
    std::list<std::thread> threads_;
    std::vector<std::thread::id> ended_;  // threads above core that ended (joined later)
    std::size_t waiting_ = 0;             // threads waiting for a job
    bool shutdown_ = false;
};

}  // namespace kyso::server

// kyso server — lets at most N requests be handled at once, the others waiting in arrival order.
// std::counting_semaphore was used before: libstdc++'s release wakes every waiter, and each
// spins with sched_yield before sleeping again, so a hundred waiting connections took much of
// two cores from the requests being handled (measured with perf under bench/serve.sh). Here a
// leaving request wakes exactly the one whose turn it is.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace kyso::server {

class Gate {
public:
    // `capacity` ≥ 1 requests at once.
    explicit Gate(std::size_t capacity) : free_(capacity == 0 ? 1 : capacity) {}

    // Holds a place for its life: waits (in arrival order) until one is free.
    class Pass {
    public:
        explicit Pass(Gate& gate);
        ~Pass();
        Pass(const Pass&) = delete;
        Pass& operator=(const Pass&) = delete;

    private:
        Gate& gate_;
    };

private:
    struct Waiter {
        std::condition_variable cv;
        bool admitted = false;
    };
    std::mutex mu_;
    std::size_t free_;
    std::deque<Waiter*> waiting_;  // in arrival order; a leaving pass hands its place to the first
};

}  // namespace kyso::server

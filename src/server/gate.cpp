// kyso server — at most N requests handled at once, in arrival order (gate.h).
#include "server/gate.h"

namespace kyso::server {

Gate::Pass::Pass(Gate& gate) : gate_(gate) {
    std::unique_lock<std::mutex> lock(gate_.mu_);
    if (gate_.free_ > 0 && gate_.waiting_.empty()) {
        --gate_.free_;
        return;
    }
    Waiter me;
    gate_.waiting_.push_back(&me);
    me.cv.wait(lock, [&] { return me.admitted; });
}

Gate::Pass::~Pass() {
    const std::lock_guard<std::mutex> lock(gate_.mu_);
    if (gate_.waiting_.empty()) {
        ++gate_.free_;
        return;
    }
    Waiter* next = gate_.waiting_.front();
    gate_.waiting_.pop_front();
    next->admitted = true;  // this place passes to it, free_ unchanged
    next->cv.notify_one();  // under the lock: `next` lives until it sees `admitted`
}

}  // namespace kyso::server

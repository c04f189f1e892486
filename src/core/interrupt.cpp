// kyso core — a stop request for long work on the current thread (interrupt.h).
#include "core/interrupt.h"

namespace kyso {

namespace {
thread_local const std::function<bool()>* current = nullptr;
}  // namespace

InterruptScope::InterruptScope(std::function<bool()> check)
    : check_(std::move(check)), outer_(current) {
    current = &check_;
}

InterruptScope::~InterruptScope() {
    current = outer_;
}

bool interrupted() {
    return current != nullptr && *current && (*current)();
}

Error interrupted_error() {
    return make_error("work.interrupted", Location{}, {});
}

}  // namespace kyso

// kyso core — a stop request for long work on the current thread: a background job installs a
// check (InterruptScope) around its handler, and long loops of the layers below (the row writes
// of an import, the rows of a CA results file) call interrupted() once per chunk of rows and,
// when it answers true, return interrupted_error() so that their transaction rolls back and
// nothing is written (issue 13 "Long work": cancel).
#pragma once

#include <cstddef>
#include <functional>

#include "core/messages.h"
#include "core/result.h"

namespace kyso {

// How many rows a loop handles between two calls of interrupted().
inline constexpr std::size_t kInterruptChunk = 256;

// Installs `check` for the current thread while it lives (scopes nest; the inner one wins).
class InterruptScope {
public:
    explicit InterruptScope(std::function<bool()> check);
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;
    ~InterruptScope();

private:
    std::function<bool()> check_;
    const std::function<bool()>* outer_;
};

// Whether the current thread's work was asked to stop; false without an InterruptScope.
bool interrupted();

// The error a loop returns when interrupted() (code "work.interrupted").
Error interrupted_error();

}  // namespace kyso

// kyso store — the boundary of the SQLite back-end: no exception leaves it.
#pragma once

#include <exception>

#include "core/messages.h"
#include "core/result.h"

namespace kyso::store::sqlite {

// Nothing in this layer throws on purpose, but the standard library can (std::bad_alloc while
// loading a million rows): it becomes an error value here, and the open transaction rolls
// back as the exception unwinds through its guard.
template <typename F>
auto guarded(F&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const std::exception& e) {
        return make_error("store.sqlite", Location{}, {e.what()});
    }
}

}  // namespace kyso::store::sqlite

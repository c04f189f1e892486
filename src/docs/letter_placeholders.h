// kyso docs — the placeholders a letter template may use, and how to find them in a line.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace kyso::docs {

struct PlaceholderInfo {
    std::string_view name;
    bool may_be_empty = false;  // e.g. no superior body, no "KT." line
};

// nullptr when kyso supplies no such value.
const PlaceholderInfo* find_placeholder(std::string_view name);

// One "{{ name }}" in a line: [begin, end) spans the braces, `name` is trimmed.
struct PlaceholderUse {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::string_view name;
};

// Calls `visit` for each placeholder of `line` in order; stops and returns false when `visit`
// does. Returns false as well on "{{" without "}}" (then `unclosed` is set).
bool for_each_placeholder(std::string_view line,
                          const std::function<bool(const PlaceholderUse&)>& visit,
                          bool* unclosed = nullptr);

}  // namespace kyso::docs

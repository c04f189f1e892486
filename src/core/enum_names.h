// kyso core — enums named by a table of strings (request kinds, roles, custody steps, fields).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace kyso {

// The enum value whose name, in `names` indexed by the value, is `s`.
template <typename E, std::size_t N>
std::optional<E> enum_from_name(const std::array<std::string_view, N>& names, std::string_view s) {
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == s) return static_cast<E>(i);
    }
    return std::nullopt;
}

}  // namespace kyso

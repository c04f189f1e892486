// kyso core — the message catalog: every text a user reads, in Vietnamese and English.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/result.h"

namespace kyso {

// True when KYSO_LANG=en; Vietnamese otherwise.
bool english_ui();

// Looks up `code` in the catalog and fills {0}, {1}, ... with `args`.
// Unknown codes render as the code itself followed by the arguments, never silently empty.
std::string message(std::string_view code, std::initializer_list<std::string_view> args = {},
                    bool english = english_ui());

// Builds an Error with both languages filled from the catalog.
Error make_error(std::string_view code, Location where,
                 std::initializer_list<std::string_view> args = {});

}  // namespace kyso

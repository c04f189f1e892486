// kyso core — the words people read for enum codes (request kinds, states, roles, custody
// steps): one catalog family per enum, the codes themselves stay the input and the machine
// formats' values.
#pragma once

#include <string>
#include <string_view>

#include "core/messages.h"
#include "core/request.h"

namespace kyso {

// The catalog entry "<family>.<code>" (families: "kind" request kinds, "state" request states,
// "role" user roles, "custody_step" hand-over steps), in the user's language; the code itself
// when the catalog has no such entry, so a new code still prints.
std::string enum_word(std::string_view family, std::string_view code, bool english = english_ui());

// The same for kyso's own enums (core/request.h).
std::string word(RequestKind k, bool english = english_ui());
std::string word(RequestState s, bool english = english_ui());
std::string word(Role r, bool english = english_ui());

}  // namespace kyso

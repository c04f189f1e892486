// kyso core — the words people read for enum codes (one catalog family per enum).
#include "core/enum_words.h"

namespace kyso {

std::string enum_word(std::string_view family, std::string_view code, bool english) {
    const std::string key = std::string(family) + "." + std::string(code);
    std::string text = message(key, {}, english);
    // messages.h: an unknown code renders as the code itself.
    return text == key ? std::string(code) : text;
}

std::string word(RequestKind k, bool english) {
    return enum_word("kind", to_string(k), english);
}

std::string word(RequestState s, bool english) {
    return enum_word("state", to_string(s), english);
}

std::string word(Role r, bool english) {
    return enum_word("role", to_string(r), english);
}

}  // namespace kyso

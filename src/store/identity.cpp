// kyso store — the identity rule shared by bundle import and intake (see identity.h).
#include "store/identity.h"

#include "text/nfc.h"

namespace kyso::store {

// Case and spacing away, tone marks kept: each word capitalized as Vietnamese names are.
std::string name_key(std::string_view name) {
    return text::title_case(text::collapse_spaces(name));
}

bool same_name(std::string_view a, std::string_view b) {
    return a == b || name_key(a) == name_key(b);
}

bool different_person(const Person& stored, const Person& incoming) {
    const bool names_differ = !stored.full_name.empty() && !incoming.full_name.empty() &&
                              !same_name(stored.full_name, incoming.full_name);
    const bool births_differ = !stored.date_of_birth.empty() && !incoming.date_of_birth.empty() &&
                               stored.date_of_birth != incoming.date_of_birth;
    return names_differ && births_differ;
}

std::string device_serial_key(std::string_view serial) {
    std::string key;
    key.reserve(serial.size());
    for (const char c : serial) {
        if (c == ' ' || c == '\t' || c == ':' || c == '.' || c == '-') continue;
        key += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return key;
}

bool different_device(const Device& stored, const Device& incoming) {
    return !stored.serial.empty() && !incoming.serial.empty() &&
           device_serial_key(stored.serial) != device_serial_key(incoming.serial);
}

}  // namespace kyso::store

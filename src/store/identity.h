// kyso store — when a record arriving under a stored key is someone (or something) else: the
// identity rule that `kyso import --bundle` and `kyso intake --registry` share (issue 10).
#pragma once

#include <string>
#include <string_view>

#include "core/registry.h"

namespace kyso::store {

// Two full names are the same name when they agree after NFC, with case and runs of white space
// ignored; tone marks count ("Hương" and "Hường" are different names).
bool same_name(std::string_view a, std::string_view b);
// The form same_name compares: NFC, runs of white space as one, each word capitalized.
std::string name_key(std::string_view name);

// A stored person and a record under the same key (id or CCCD) are different people when both
// their full names (same_name) and their dates of birth differ. A value empty on either side is
// not a difference: it is being filled in, or left as it was.
bool different_person(const Person& stored, const Person& incoming);

// A device serial (token serial, SIM ICCID) as a comparison key: upper case, without spaces,
// colons, dots or dashes. "tk-1000 0001" → "TK10000001".
std::string device_serial_key(std::string_view serial);

// A stored device and a record under the same id are different devices when both have a serial
// and the serials differ (device_serial_key).
bool different_device(const Device& stored, const Device& incoming);

}  // namespace kyso::store

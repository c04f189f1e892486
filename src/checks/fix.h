// kyso checks — `kyso fix`: apply the safe repairs of `kyso check` to a copy of a bundle.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace kyso::checks {

// One value changed by a fix.
struct Fix {
    std::string file;
    std::int64_t row = 0;
    std::string field;
    std::string id;
    std::string before;
    std::string after;
    std::string code;  // legacy_encoding or not_nfc
};

// Copies the bundle folder `from` to `to` (which must not exist or be empty), repairs names in a
// legacy encoding (FORMATS.md §5 suggestion) and normalizes every value to NFC, and writes the
// list of changes to `to`/fixes.csv. The source folder is never changed.
Result<std::vector<Fix>> fix_bundle(const std::string& from, const std::string& to);

}  // namespace kyso::checks

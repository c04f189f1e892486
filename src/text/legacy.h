// kyso text — Vietnamese typed in legacy encodings (TCVN3/ABC, VNI) or read with the wrong code
// page.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kyso::text {

// FORMATS.md §5: every character an ASCII letter or digit, one of ` -'.,()/`, or a letter of the
// Vietnamese alphabet (with its tone marks, either case); and no capital right after a small
// letter.
bool plausible_vietnamese(std::string_view utf8);

// FORMATS.md §5 repair: each character back to its Windows-1252 byte, then those bytes decoded
// as UTF-8, as TCVN3 (glibc TCVN5712-1) or as VNI-Windows; the first plausible result, in NFC.
// nullopt when the text is already plausible or no decoding makes it so.
std::optional<std::string> repair_legacy(std::string_view utf8);

}  // namespace kyso::text

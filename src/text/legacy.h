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

// Whose name a repair is for: it decides the capitalization a capitals-font repair gets.
enum class NameKind { person, organization };

// FORMATS.md §5 repair: each character back to its Windows-1252 byte, then those bytes decoded
// as UTF-8, as TCVN3 (glibc TCVN5712-1) or as VNI-Windows; the first plausible result, in NFC.
// nullopt when the text is already plausible or no decoding makes it so.
// TCVN3's capitals fonts (.VnTimeH, .VnArialH ...) draw the small letters' codes as capitals,
// so a name typed in one decodes to small letters, or to small letters mixed with the few
// capitals TCVN3 has ("NGUYễN VĂN A"). Such a decoding (all small letters, or plausible once in
// capitals) is given proper case: a person's name each word capitalized ("Nguyễn Văn A", ICU
// Vietnamese title case), an organization's name its first letter ("Sở tài chính").
std::optional<std::string> repair_legacy(std::string_view utf8, NameKind kind = NameKind::person);

}  // namespace kyso::text

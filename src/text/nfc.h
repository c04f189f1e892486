// kyso text — Unicode normalization (ICU): kyso stores and writes NFC only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kyso::text {

// NFC form of UTF-8 text. Invalid UTF-8 sequences become U+FFFD.
std::string to_nfc(std::string_view utf8);
// In place; fast path for ASCII and text already in NFC.
void normalize_nfc(std::string& utf8);
bool is_nfc(std::string_view utf8);
bool valid_utf8(std::string_view bytes);
// Length of the leading run of ASCII bytes (read eight at a time: most CSV text is ASCII).
std::size_t ascii_prefix(std::string_view bytes);

// Offset of the first control character in valid UTF-8 text, or npos: C0 (U+0000–U+001F) other
// than TAB, LF and CR, DEL (U+007F) and C1 (U+0080–U+009F). No such character is ever a value in
// a register: NUL cuts C strings short, the others hide text or move the terminal cursor.
std::size_t first_control_char(std::string_view utf8);
// "U+0000" for the character at `offset` (as found by first_control_char).
std::string code_point_name(std::string_view utf8, std::size_t offset);

// A key for matching what people type in headings and names: lower case, without tone or vowel
// marks (đ → d), runs of white space as one space, trimmed. "Họ và  tên " → "ho va ten".
std::string fold_for_matching(std::string_view utf8);

// Leading and trailing white space away, each run of white space as one space.
std::string collapse_spaces(std::string_view utf8);

// True when the text has at least two letters and no small one ("NGUYỄN VĂN AN").
bool all_capitals(std::string_view utf8);
// Each word's first letter capital, the rest small, by Vietnamese rules ("Nguyễn Văn An").
std::string title_case(std::string_view utf8);

}  // namespace kyso::text

// kyso cli — lists on the terminal: columns as wide as their content.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kyso::cli {

// Display width of UTF-8 text as kyso counts it: code points of its NFC form (Vietnamese letters
// with their marks are one code point each in NFC).
std::size_t display_width(std::string_view utf8);

// The text with its first letter in upper case ("đã phê duyệt" → "Đã phê duyệt").
std::string capitalized(std::string_view utf8);

// Prints `headings` then `rows` to stdout, each column padded to its widest cell (display_width)
// and separated by two spaces; the last column is not padded and no line ends in spaces.
// The headings alone when `rows` is empty.
void print_columns(const std::vector<std::string>& headings,
                   const std::vector<std::vector<std::string>>& rows);

}  // namespace kyso::cli

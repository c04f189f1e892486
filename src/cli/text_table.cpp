// kyso cli — lists on the terminal: columns as wide as their content.
#include "cli/text_table.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdio>

#include "text/nfc.h"

namespace kyso::cli {

std::size_t display_width(std::string_view utf8) {
    const std::string nfc = text::to_nfc(utf8);
    std::size_t n = 0;
    for (const char c : nfc) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

std::string capitalized(std::string_view utf8) {
    if (utf8.empty()) return {};
    const auto* s = reinterpret_cast<const std::uint8_t*>(utf8.data());
    const auto length = static_cast<std::int32_t>(utf8.size());
    std::int32_t i = 0;
    UChar32 c = 0;
    U8_NEXT(s, i, length, c);
    if (c < 0) return std::string(utf8);
    char buf[U8_MAX_LENGTH];
    std::int32_t n = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<std::uint8_t*>(buf), n, U8_MAX_LENGTH, u_toupper(c), error);
    if (error) return std::string(utf8);
    return std::string(buf, static_cast<std::size_t>(n)) +
           std::string(utf8.substr(static_cast<std::size_t>(i)));
}

void print_columns(const std::vector<std::string>& headings,
                   const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths(headings.size(), 0);
    auto measure = [&](const std::vector<std::string>& line) {
        for (std::size_t i = 0; i < line.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], display_width(line[i]));
    };
    measure(headings);
    for (const auto& r : rows) measure(r);
    auto print = [&](const std::vector<std::string>& line) {
        std::string out;
        std::size_t pending = 0;  // spaces owed before the next non-empty cell
        for (std::size_t i = 0; i < line.size() && i < widths.size(); ++i) {
            if (i > 0) pending += 2;
            if (!line[i].empty()) {
                out.append(pending, ' ');
                pending = 0;
                out += line[i];
            }
            pending += widths[i] - display_width(line[i]);
        }
        std::printf("%s\n", out.c_str());
    };
    print(headings);
    for (const auto& r : rows) print(r);
}

}  // namespace kyso::cli

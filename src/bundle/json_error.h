// kyso bundle — JSON syntax errors as a user reads them: the line and column of the fault and
// what is wrong with it in the user's words (issue 12: "JSON syntax errors are reported in
// Vietnamese with line and column").
#pragma once

#include <cstddef>
#include <string_view>

#include "core/result.h"

namespace kyso::bundle {

// Line and column (1-based; the column counts characters, not bytes) of the character at byte
// `offset` (0-based) of the UTF-8 `text`. An offset past the end is the position after the last
// character.
struct TextPosition {
    std::size_t line = 1;
    std::size_t column = 1;
};
TextPosition text_position(std::string_view text, std::size_t offset);

// Error json.syntax for a parse error of nlohmann::json in `text` read from `file`: `byte` is the
// parse_error's byte (1-based, the character where reading stopped), `what` its English text.
// The message names the file, line and column, and says what is wrong (a missing comma or colon,
// a comma too many, an unquoted name or value, a raw line break in a string, the end of the file
// before the document closes), from the parser's description.
Error json_syntax_error(std::string_view text, std::string_view file, std::size_t byte,
                        std::string_view what);

}  // namespace kyso::bundle

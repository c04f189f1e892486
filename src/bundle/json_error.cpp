// kyso bundle — JSON syntax errors with line, column and a description in the user's words.
#include "bundle/json_error.h"

#include <string>

#include "core/messages.h"

namespace kyso::bundle {

TextPosition text_position(std::string_view text, std::size_t offset) {
    TextPosition p;
    const std::size_t end = offset < text.size() ? offset : text.size();
    for (std::size_t i = 0; i < end; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++p.line;
            p.column = 1;
        } else if ((c & 0xC0) != 0x80) {  // a UTF-8 lead byte or ASCII: one character
            ++p.column;
        }
    }
    return p;
}

namespace {

bool has(std::string_view s, std::string_view part) {
    return s.find(part) != std::string_view::npos;
}

// The catalog code of what nlohmann's description says (json_error.h).
std::string_view fault_code(std::string_view what) {
    if (has(what, "unexpected end of input; expected end of input")) return "json.fault_other";
    if (has(what, "unexpected end of input")) return "json.fault_end";
    if (has(what, "invalid string")) return "json.fault_string";
    if (has(what, "while parsing object separator")) return "json.fault_colon";
    if (has(what, "while parsing object key")) {
        return has(what, "unexpected '}'") ? "json.fault_trailing_comma" : "json.fault_key";
    }
    if (has(what, "while parsing value - unexpected ']'")) return "json.fault_trailing_comma";
    if (has(what, "expected end of input")) return "json.fault_after_end";
    if (has(what, "while parsing object - unexpected") ||
        has(what, "while parsing array - unexpected"))
        return "json.fault_comma";
    if (has(what, "invalid literal")) return "json.fault_literal";
    if (has(what, "invalid number")) return "json.fault_number";
    if (has(what, "invalid BOM")) return "json.fault_encoding";
    return "json.fault_other";
}

}  // namespace

Error json_syntax_error(std::string_view text, std::string_view file, std::size_t byte,
                        std::string_view what) {
    const TextPosition at = text_position(text, byte == 0 ? 0 : byte - 1);
    const std::string_view code = fault_code(what);
    const std::string line = std::to_string(at.line);
    const std::string column = std::to_string(at.column);
    const std::string vi = message(code, {}, false);
    const std::string en = message(code, {}, true);
    return Error{"json.syntax", message("json.syntax", {file, line, column, vi}, false),
                 message("json.syntax", {file, line, column, en}, true), Location{}};
}

}  // namespace kyso::bundle

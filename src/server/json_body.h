// kyso server — reading a request's JSON body safely: valid UTF-8 only, nesting bounded, an
// object at the top (issue 13 "bad input": bad JSON, deep nesting, invalid UTF-8 → 400).
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace kyso::server {

inline constexpr std::size_t kMaxJsonDepth = 32;

// The byte offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), or npos.
std::size_t first_invalid_utf8(std::string_view bytes);

// The body as a JSON object. Errors: server.invalid_utf8 (with the offset), server.bad_json
// (with the parser's position), server.too_deep (more than kMaxJsonDepth levels),
// server.not_object (an array, string, number at the top).
Result<nlohmann::json> parse_json_body(std::string_view body);

}  // namespace kyso::server

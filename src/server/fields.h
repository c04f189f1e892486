// kyso server — reading the fields of a JSON body and the query: each error names the field
// (issue 13: "a Vietnamese message naming the field"), in the catalog's server.field_* words.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "server/route.h"

namespace kyso::server {

// server.field_unknown for the first member of `body` not in `known`.
Status only_fields(const nlohmann::json& body, std::initializer_list<std::string_view> known);

// A string member: server.field_missing when required and absent (or null), server.field_type
// when not a string, server.field_too_long over `max_chars` characters (UTF-8 code points).
// Absent and optional: "".
Result<std::string> string_field(const nlohmann::json& body, std::string_view name, bool required,
                                 std::size_t max_chars = 1000);
// A boolean member; absent → nullopt.
Result<std::optional<bool>> bool_field(const nlohmann::json& body, std::string_view name);
// A non-empty array of positive integer ids (at most `max` of them).
Result<std::vector<std::int64_t>> ids_field(const nlohmann::json& body, std::string_view name,
                                            bool required, std::size_t max = 10000);

// page and size of a list (?page=1&size=50): page ≥ 1, 1 ≤ size ≤ store::kMaxPageSize (200), as
// for the register's lists (server.page_bounds).
struct Page {
    std::size_t page = 1;
    std::size_t size = 50;
};
Result<Page> page_of(const Context& ctx);
// The query parameters page and size, for route tables.
std::vector<Param> page_params();

// One page of `all` as {"items":[…],"page","size","total"}.
nlohmann::json page_body(const nlohmann::json& all, const Page& page);
// The JSON Schema of such a page of `item`.
nlohmann::json page_schema(const nlohmann::json& item);

// The strong ETag of a JSON value: "\"" + 16 hex digits of its hash + "\"".
std::string etag_of(const nlohmann::json& value);

}  // namespace kyso::server

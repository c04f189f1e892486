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
#include "store/registry_query.h"

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

// The page, size, sort and order (asc, desc) of a list run in the database (?page&size&sort&
// order) into `q`, with the signed-in user's organization as its scope. Errors name the
// parameter (server.page_bounds, server.query_value); a sort key the list does not have is the
// store's store.invalid_query (400, field "sort").
Status read_list_query(const Context& ctx, store::ListQuery& q, bool newest_first = false);
// The query parameters of such a list: page, size, sort (one of `sort_keys`) and order.
std::vector<Param> list_query_params(const std::vector<std::string>& sort_keys);

// A page from the store as {"items":[…],"page","size","total"}, each item by `to_json`.
template <typename T, typename ToJson>
nlohmann::json list_page_body(const store::ListPage<T>& p, ToJson&& to_json) {
    nlohmann::json items = nlohmann::json::array();
    for (const T& item : p.items) items.push_back(to_json(item));
    return {
        {"items", std::move(items)}, {"page", p.page}, {"size", p.page_size}, {"total", p.total}};
}

// One page of `all` as {"items":[…],"page","size","total"}.
nlohmann::json page_body(const nlohmann::json& all, const Page& page);
// The JSON Schema of such a page of `item`.
nlohmann::json page_schema(const nlohmann::json& item);

// The strong ETag of a JSON value: "\"" + 16 hex digits of its hash + "\"".
std::string etag_of(const nlohmann::json& value);

}  // namespace kyso::server

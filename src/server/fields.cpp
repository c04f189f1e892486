// kyso server — JSON fields and query parameters read with errors that name them.
#include "server/fields.h"

#include <charconv>
#include <cstdio>

#include "core/messages.h"
#include "store/registry_query.h"

namespace kyso::server {

namespace {

Error field_error(std::string_view code, std::string_view name,
                  std::initializer_list<std::string_view> args) {
    return make_error(code, Location{{}, 0, std::string(name), {}}, args);
}

std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

}  // namespace

Status only_fields(const nlohmann::json& body, std::initializer_list<std::string_view> known) {
    if (!body.is_object()) return Ok{};
    for (const auto& [key, value] : body.items()) {
        bool ok = false;
        for (std::string_view k : known) ok = ok || k == key;
        if (!ok) return field_error("server.field_unknown", key, {key});
    }
    return Ok{};
}

Result<std::string> string_field(const nlohmann::json& body, std::string_view name, bool required,
                                 std::size_t max_chars) {
    const std::string key(name);
    if (!body.is_object() || !body.contains(key) || body[key].is_null()) {
        if (required) return field_error("server.field_missing", name, {name});
        return std::string();
    }
    const auto& v = body[key];
    if (!v.is_string())
        return field_error("server.field_type", name, {name, message("server.type_string")});
    std::string s = v.get<std::string>();
    if (required && s.empty()) return field_error("server.field_missing", name, {name});
    if (code_points(s) > max_chars)
        return field_error("server.field_too_long", name, {name, std::to_string(max_chars)});
    return s;
}

Result<std::optional<bool>> bool_field(const nlohmann::json& body, std::string_view name) {
    const std::string key(name);
    if (!body.is_object() || !body.contains(key) || body[key].is_null())
        return std::optional<bool>{};
    if (!body[key].is_boolean())
        return field_error("server.field_type", name, {name, message("server.type_bool")});
    return std::optional<bool>{body[key].get<bool>()};
}

Result<std::vector<std::int64_t>> ids_field(const nlohmann::json& body, std::string_view name,
                                            bool required, std::size_t max) {
    const std::string key(name);
    std::vector<std::int64_t> ids;
    if (!body.is_object() || !body.contains(key) || body[key].is_null()) {
        if (required) return field_error("server.field_missing", name, {name});
        return ids;
    }
    const auto& v = body[key];
    if (!v.is_array() || v.size() > max)
        return field_error("server.field_type", name, {name, message("server.type_ids")});
    for (const auto& x : v) {
        if (!x.is_number_integer() || x.get<std::int64_t>() <= 0)
            return field_error("server.field_type", name, {name, message("server.type_ids")});
        ids.push_back(x.get<std::int64_t>());
    }
    if (required && ids.empty()) return field_error("server.field_missing", name, {name});
    return ids;
}

namespace {

Result<std::size_t> bounded(const Context& ctx, const std::string& name, std::size_t fallback,
                            std::size_t lo, std::size_t hi) {
    const auto v = ctx.query_value(name);
    if (!v) return fallback;
    std::size_t n = 0;
    const auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc{} || p != v->data() + v->size() || n < lo || n > hi)
        return field_error("server.page_bounds", name,
                           {name, std::to_string(lo), std::to_string(hi)});
    return n;
}

}  // namespace

Result<Page> page_of(const Context& ctx) {
    auto page = bounded(ctx, "page", 1, 1, 1000000);
    if (!page) return page.error();
    auto size = bounded(ctx, "size", 50, 1, store::kMaxPageSize);
    if (!size) return size.error();
    return Page{*page, *size};
}

std::vector<Param> page_params() {
    return {Param{"page", "query", {{"type", "integer"}, {"minimum", 1}}, false, "1-based page"},
            Param{"size",
                  "query",
                  {{"type", "integer"}, {"minimum", 1}, {"maximum", store::kMaxPageSize}},
                  false,
                  "items per page (default 50)"}};
}

Status read_list_query(const Context& ctx, store::ListQuery& q, bool newest_first) {
    auto page = page_of(ctx);
    if (!page) return page.error();
    q.page = static_cast<int>(page->page);
    q.page_size = static_cast<int>(page->size);
    q.scope = ctx.user().org_id;
    if (auto s = ctx.query_value("sort")) q.sort = *s;
    q.descending = newest_first;
    if (auto o = ctx.query_value("order")) {
        if (*o != "asc" && *o != "desc")
            return make_error("server.query_value", Location{{}, 0, "order", {}},
                              {"order", *o, "asc, desc"});
        q.descending = *o == "desc";
    }
    return Ok{};
}

std::vector<Param> list_query_params(const std::vector<std::string>& sort_keys) {
    std::vector<Param> p = page_params();
    nlohmann::json keys = nlohmann::json::array();
    for (const auto& k : sort_keys) keys.push_back(k);
    p.push_back(Param{"sort", "query", {{"type", "string"}, {"enum", keys}}, false, "sort key"});
    p.push_back(Param{
        "order", "query", {{"type", "string"}, {"enum", {"asc", "desc"}}}, false, "sort order"});
    return p;
}

nlohmann::json page_body(const nlohmann::json& all, const Page& page) {
    nlohmann::json items = nlohmann::json::array();
    const std::size_t from = (page.page - 1) * page.size;
    for (std::size_t i = from; i < all.size() && i < from + page.size; ++i) items.push_back(all[i]);
    return {{"items", items}, {"page", page.page}, {"size", page.size}, {"total", all.size()}};
}

nlohmann::json page_schema(const nlohmann::json& item) {
    return {{"type", "object"},
            {"required", {"items", "page", "size", "total"}},
            {"properties",
             {{"items", {{"type", "array"}, {"items", item}}},
              {"page", {{"type", "integer"}}},
              {"size", {{"type", "integer"}}},
              {"total", {{"type", "integer"}}}}}};
}

std::string etag_of(const nlohmann::json& value) {
    // FNV-1a 64 over the compact text: stable across processes (std::hash is not).
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : value.dump()) {
        h ^= c;
        h *= 1099511628211ull;
    }
    char buf[24];
    std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
    return buf;
}

}  // namespace kyso::server

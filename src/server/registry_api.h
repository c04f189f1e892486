// kyso server — what the registry and job routes share: the JSON Schemas of registry records,
// the list query parameters, and the scope check of one record (in the database, never by
// loading the registry).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/route.h"
#include "store/job_store.h"
#include "store/registry_query.h"

namespace kyso::server {

nlohmann::json organization_schema(bool history);
nlohmann::json organization_history_schema();
nlohmann::json person_schema(bool detail);
nlohmann::json certificate_schema();
nlohmann::json device_schema();
nlohmann::json job_schema();
// One job as the jobs routes answer it (job_schema).
nlohmann::json job_to_json(const store::Job& job);

// The parameters every registry list takes: page, size (1..200), q, org, sort (`sort_keys`),
// order (asc, desc).
std::vector<Param> list_params(const std::vector<std::string>& sort_keys);
// Reads them into `q` with the user's scope; a 400 naming the parameter otherwise.
std::optional<Response> read_list_query(Context& ctx, store::ListQuery& q);

// The record `id` of `kind` exists and lies in the user's subtree: nullopt; else the 404 or
// 403 response.
std::optional<Response> check_record_scope(Context& ctx, store::RecordKind kind,
                                           const std::string& id);

// A JSON page body from a store page.
template <typename T, typename ToJson>
nlohmann::json page_json(const store::ListPage<T>& page, ToJson to_json) {
    nlohmann::json items = nlohmann::json::array();
    for (const T& item : page.items) items.push_back(to_json(item));
    return {{"items", items}, {"page", page.page}, {"size", page.page_size}, {"total", page.total}};
}

// PATCH and DELETE of registry records (routes_registry_edit.cpp).
void add_registry_edit_routes(RouteTable& table);

// "\"<etag>\"": the header form of a store ETag.
std::string quoted_etag(const std::string& etag);

}  // namespace kyso::server

// kyso server — the OpenAPI 3.1 document, generated from the route table.
#include "server/openapi.h"

#include <algorithm>
#include <cctype>

namespace kyso::server {

namespace {

using nlohmann::json;

// "/api/v1/requests/{id}/approve" + POST → "post_requests_id_approve".
std::string operation_id(const Route& r) {
    std::string id;
    for (char c : std::string(to_string(r.method))) id += static_cast<char>(std::tolower(c));
    std::string_view p = r.path;
    if (p.substr(0, 8) == "/api/v1/") p.remove_prefix(7);
    for (char c : p) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            id += c;
        } else if (c == '/' || c == '-' || c == '_') {
            if (id.back() != '_') id += '_';
        }
    }
    while (!id.empty() && id.back() == '_') id.pop_back();
    return id;
}

json error_response(const std::string& description) {
    return {{"description", description},
            {"content",
             {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

}  // namespace

json openapi_document(const RouteTable& table) {
    json paths = json::object();
    for (const Route& r : table.routes()) {
        json op = {{"operationId", operation_id(r)},
                   {"summary", r.summary},
                   {"tags", json::array({r.tag})}};
        json roles = json::array();
        for (Role role : r.roles) roles.push_back(std::string(to_string(role)));
        op["x-kyso-roles"] = roles;
        op["x-kyso-csrf"] = r.changes_state;
        json params = json::array();
        // Path parameters from the pattern, described by the route when it names them.
        std::size_t at = 0;
        while ((at = r.path.find('{', at)) != std::string::npos) {
            const std::size_t end = r.path.find('}', at);
            const std::string name = r.path.substr(at + 1, end - at - 1);
            json p = {{"name", name},
                      {"in", "path"},
                      {"required", true},
                      {"schema", {{"type", "string"}}}};
            for (const Param& given : r.params)
                if (given.in == "path" && given.name == name) {
                    p["schema"] = given.schema;
                    if (!given.description.empty()) p["description"] = given.description;
                }
            params.push_back(p);
            at = end;
        }
        for (const Param& given : r.params) {
            if (given.in == "path") continue;
            json p = {{"name", given.name},
                      {"in", given.in},
                      {"required", given.required},
                      {"schema", given.schema}};
            if (!given.description.empty()) p["description"] = given.description;
            params.push_back(p);
        }
        if (!params.empty()) op["parameters"] = params;
        if (!r.request_schema.is_null())
            op["requestBody"] = {
                {"required", !r.body_optional},
                {"content", {{"application/json", {{"schema", r.request_schema}}}}}};
        json responses = json::object();
        json ok = {{"description", "OK"}};
        if (r.response_media == "application/json") {
            if (!r.response_schema.is_null())
                ok["content"] = {{"application/json", {{"schema", r.response_schema}}}};
        } else {
            ok["content"] = json::object();
            // A download may come in several media types (pdf, docx, xlsx; json, csv).
            std::string media = r.response_media;
            std::size_t start = 0;
            while (start <= media.size()) {
                const std::size_t comma = std::min(media.find(',', start), media.size());
                const std::string m = media.substr(start, comma - start);
                if (m == "application/json" && !r.response_schema.is_null())
                    ok["content"][m] = {{"schema", r.response_schema}};
                else
                    ok["content"][m] = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
                start = comma + 1;
            }
        }
        responses[std::to_string(r.success_status)] = ok;
        responses["4XX"] = error_response("Refused: the error names the field at fault");
        responses["5XX"] = error_response("Server or database fault");
        op["responses"] = responses;
        if (r.is_public)
            op["security"] = json::array();
        else
            op["security"] =
                json::array({{{"session", json::array()}}, {{"token", json::array()}}});
        std::string method;
        for (char c : std::string(to_string(r.method)))
            method += static_cast<char>(std::tolower(c));
        paths[r.path][method] = op;
    }
    // OPTIONS on every path: its methods in Allow, nothing else (no CORS: same origin only).
    for (auto& [path, ops] : paths.items()) {
        Route shape;
        shape.path = path;
        json options = {
            {"operationId", "options" + operation_id(shape).substr(3)},
            {"summary", "The methods of this path (Allow); no CORS headers: same origin only"},
            {"tags", ops.begin().value()["tags"]},
            {"security", json::array()},
            {"responses",
             {{"204",
               {{"description", "The path's methods"},
                {"headers",
                 {{"Allow",
                   {{"description", "e.g. \"GET, HEAD, OPTIONS\""},
                    {"schema", {{"type", "string"}}}}}}}}},
              {"4XX", error_response("No such path")}}}};
        json params = json::array();
        for (const json& p : ops.begin().value().value("parameters", json::array()))
            if (p["in"] == "path") params.push_back(p);
        if (!params.empty()) options["parameters"] = params;
        ops["options"] = options;
    }
    return {{"openapi", "3.1.0"},
            {"info",
             {{"title", "kyso API"},
              {"version", "1"},
              {"description",
               "kyso serve: the register of public-service digital-signature certificates, its "
               "requests, batches, custody and audit. Errors are {\"error\":{\"code\",\"message\","
               "\"field\"}}, in Vietnamese unless Accept-Language asks for English."}}},
            {"paths", paths},
            {"components",
             {{"schemas",
               {{"Error",
                 {{"type", "object"},
                  {"required", json::array({"error"})},
                  {"properties",
                   {{"error",
                     {{"type", "object"},
                      {"required", json::array({"code", "message", "field"})},
                      {"properties",
                       {{"code", {{"type", "string"}}},
                        {"message", {{"type", "string"}}},
                        {"field", {{"type", json::array({"string", "null"})}}}}}}}}}}}}},
              {"securitySchemes",
               {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "kyso_session"}}},
                {"token", {{"type", "http"}, {"scheme", "bearer"}}}}}}}};
}

}  // namespace kyso::server

// kyso server — the one table of HTTP routes (issue 13): for each route its method, path pattern,
// the roles allowed (deny by default), whether it changes state (CSRF), its OpenAPI description
// and its handler. The server dispatches through this table, /api/openapi.json is generated
// from it, and the role × route test matrix is generated from it too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/request.h"
#include "core/result.h"

namespace kyso::store {
class Store;
class WorkflowStore;
class AccountStore;   // h/auth: accounts, sessions, tokens (store/account_store.h)
class RegistryQuery;  // registry lists, details, corrections (store/registry_query.h)
class JobStore;       // background jobs (store/job_store.h)
}  // namespace kyso::store

namespace kyso::server {

struct ServerState;  // server_state.h: options, metrics, session policy of the running server

enum class Method { get, post, put, patch, del };
std::string_view to_string(Method m);  // "GET", "POST", ... (HTTP spelling)

// Every role, for routes any signed-in user may use (auditors included: reads only).
inline const std::vector<Role> kAllRoles = {Role::unit_officer,  Role::unit_head,
                                            Role::dost_operator, Role::ca_operator,
                                            Role::auditor,       Role::admin};

// One path or query parameter, for the OpenAPI document and for reading it in a handler.
struct Param {
    std::string name;
    std::string in = "query";  // "path" or "query"
    nlohmann::json schema = {{"type", "string"}};
    bool required = false;
    std::string description;
};

// A JSON error the handlers return (and the server writes as
// {"error":{"code","message","field"}}): `code` is the catalog code of the message, `message`
// in Vietnamese and `message_en` in English (the server picks by Accept-Language), `field` the
// JSON field or parameter at fault (may be empty).
struct ApiError {
    int status = 400;
    std::string code;
    std::string message;
    std::string message_en;
    std::string field;
};

// What a handler gives back: JSON (`body`) or bytes (`bytes` with `content_type`, e.g. a PDF
// download), the status and extra headers (ETag, Content-Disposition, Location).
struct Response {
    int status = 200;
    nlohmann::json body = nlohmann::json::object();
    std::optional<std::string> bytes;  // set: sent as is with content_type
    std::string content_type = "application/json";
    std::map<std::string, std::string> headers;
    std::optional<ApiError>
        error;  // set: the server writes the error body in the client's language

    static Response json(nlohmann::json body, int status = 200);
    static Response failure(ApiError e);
};

// The stores a request uses, lent to it from the server's pool (server/store_pool.h).
struct Stores {
    store::Store* registry = nullptr;
    store::WorkflowStore* workflow = nullptr;
    store::AccountStore* accounts = nullptr;  // null until h/auth's store lands
    store::RegistryQuery* query = nullptr;
    store::JobStore* jobs = nullptr;
};

// Who sent the request, once the auth middleware has accepted it.
struct Principal {
    User user;                  // username empty: not signed in (public routes only)
    std::string method;         // "session", "token" or "certificate"
    std::string session_token;  // raw cookie value (sign-out, password change); never logged
    std::string csrf_token;     // of the session; empty for tokens
};

// Everything a handler reads: the signed-in user, the parsed body, the path and query
// parameters, the worker's stores, the language, and helpers that build errors.
class Context {
public:
    Principal principal;
    nlohmann::json body;                             // null when the request had no body
    std::map<std::string, std::string> path_params;  // {id} → "42"
    std::multimap<std::string, std::string> query;   // ?state=draft&state=validated
    std::map<std::string, std::string> headers;      // lower-case names (If-Match, ...)
    Stores stores;
    const ServerState* state = nullptr;
    bool english = false;           // Accept-Language: en
    std::string request_id;         // X-Request-Id (given or generated)
    std::string peer_address;       // the client's address (rate limits)
    std::string templates_dir;      // letter templates (batch documents)
    std::string tls_peer_cert_pem;  // mutual TLS: the client's certificate, PEM (else empty)

    const User& user() const { return principal.user; }

    // A path parameter (always present: the pattern matched).
    const std::string& path(const std::string& name) const;
    // A path parameter that must be a positive integer id; ApiError 400 server.bad_id naming
    // `name` otherwise.
    Result<std::int64_t> path_id(const std::string& name) const;
    // The first value of query parameter `name`, if given.
    std::optional<std::string> query_value(const std::string& name) const;
    // Every value of query parameter `name`, in order.
    std::vector<std::string> query_values(const std::string& name) const;
    // A header by lower-case name, if given.
    std::optional<std::string> header(const std::string& name) const;

    // An error response: the catalog message `code` filled with `args`, in both languages, with
    // `field` named (FORMATS-style "naming the field").
    Response fail(int status, std::string_view code, std::initializer_list<std::string_view> args,
                  std::string field = {}) const;
    // An error from a lower layer: its code and messages as they are; the HTTP status from its
    // code (server/errors.h status_of) unless `status` is given.
    Response fail(const Error& e, int status = 0, std::string field = {}) const;
};

using Handler = std::function<Response(Context&)>;

// One route. Deny by default: a route whose `roles` is empty and that is not `is_public` is
// unreachable (403 for everyone).
struct Route {
    Method method = Method::get;
    std::string path;                // "/api/v1/requests/{id}"
    std::vector<Role> roles;         // who may call it (after sign-in)
    bool is_public = false;          // only /healthz, /readyz, /metrics, POST /api/v1/session,
                                     // /api/openapi.json
    bool changes_state = false;      // a cookie session must send X-CSRF-Token
    std::string tag;                 // OpenAPI tag: "session", "requests", ...
    std::string summary;             // one line (OpenAPI summary)
    std::vector<Param> params;       // path and query parameters
    nlohmann::json request_schema;   // JSON Schema of the body (null: no body)
    bool body_optional = false;      // with a schema: an empty body is let through (body null)
    nlohmann::json response_schema;  // JSON Schema of the 2xx JSON body (null: not JSON)
    int success_status = 200;
    std::string response_media = "application/json";  // e.g. "application/pdf" for downloads
    std::size_t body_limit = 1 << 20;  // bytes; uploads raise it (server default 64 MiB max)
    // Example values for the generated tests: path parameters ({"id":"1"}) and a body that
    // passes the schema. Only shape, never real data.
    std::map<std::string, std::string> example_path;
    nlohmann::json example_body;
    Handler handler;

    bool allows(Role r) const;
};

// The table: routes in the order added. Adding two routes with the same method and path is a
// programming error (throws std::logic_error at start-up, so the tests catch it).
class RouteTable {
public:
    void add(Route route);
    const std::vector<Route>& routes() const { return routes_; }

    struct Match {
        const Route* route = nullptr;
        std::map<std::string, std::string> params;
        bool path_known = false;      // some route has this path (405 rather than 404)
        std::vector<Method> allowed;  // the methods of the routes with this path (Allow)
    };
    // The route for `method` and `path` ("/api/v1/requests/42"), with its path parameters.
    Match match(Method method, std::string_view path) const;

private:
    std::vector<Route> routes_;
};

// The whole table of kyso serve: every routes_*.cpp adds its routes (server/routes.h).
const RouteTable& route_table();

}  // namespace kyso::server

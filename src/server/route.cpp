// kyso server — the route table: matching paths, and the Context helpers handlers use.
#include "server/route.h"

#include <algorithm>

#include <charconv>
#include <stdexcept>

#include "core/messages.h"
#include "server/errors.h"
#include "server/routes.h"

namespace kyso::server {

std::string_view to_string(Method m) {
    switch (m) {
        case Method::get:
            return "GET";
        case Method::post:
            return "POST";
        case Method::put:
            return "PUT";
        case Method::patch:
            return "PATCH";
        case Method::del:
            return "DELETE";
    }
    return "GET";
}

Response Response::json(nlohmann::json body, int status) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

Response Response::failure(ApiError e) {
    Response r;
    r.status = e.status;
    r.error = std::move(e);
    return r;
}

const std::string& Context::path(const std::string& name) const {
    static const std::string empty;
    const auto it = path_params.find(name);
    return it == path_params.end() ? empty : it->second;
}

Result<std::int64_t> Context::path_id(const std::string& name) const {
    const std::string& s = path(name);
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v <= 0) {
        Error e = make_error("server.bad_id", Location{{}, 0, name, {}}, {name, s});
        return e;
    }
    return v;
}

std::optional<std::string> Context::query_value(const std::string& name) const {
    const auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> Context::query_values(const std::string& name) const {
    std::vector<std::string> out;
    const auto [b, e] = query.equal_range(name);
    for (auto it = b; it != e; ++it) out.push_back(it->second);
    return out;
}

std::optional<std::string> Context::header(const std::string& name) const {
    const auto it = headers.find(name);
    if (it == headers.end()) return std::nullopt;
    return it->second;
}

Response Context::fail(int status, std::string_view code,
                       std::initializer_list<std::string_view> args, std::string field) const {
    return Response::failure(ApiError{status, std::string(code), message(code, args, false),
                                      message(code, args, true), std::move(field)});
}

Response Context::fail(const Error& e, int status, std::string field) const {
    if (field.empty()) field = e.where.field;
    // A stale ETag is the If-Match header's fault, whichever layer found it.
    if (field.empty() && e.code == "store.etag_mismatch") field = "If-Match";
    return Response::failure(
        ApiError{status != 0 ? status : status_of(e), e.code, e.message, e.message_en, field});
}

bool Route::allows(Role r) const {
    for (Role x : roles)
        if (x == r) return true;
    return false;
}

namespace {

// "/api/v1/requests/{id}" against "/api/v1/requests/42": segment by segment; a {name} segment
// takes any non-empty segment.
bool match_path(std::string_view pattern, std::string_view path,
                std::map<std::string, std::string>& params) {
    std::size_t i = 0, j = 0;
    while (i < pattern.size() && j < path.size()) {
        const std::size_t pe = std::min(pattern.find('/', i), pattern.size());
        const std::size_t qe = std::min(path.find('/', j), path.size());
        const std::string_view ps = pattern.substr(i, pe - i);
        const std::string_view qs = path.substr(j, qe - j);
        if (ps.size() >= 2 && ps.front() == '{' && ps.back() == '}') {
            if (qs.empty()) return false;
            params[std::string(ps.substr(1, ps.size() - 2))] = std::string(qs);
        } else if (ps != qs) {
            return false;
        }
        i = pe + 1;
        j = qe + 1;
        if (pe == pattern.size() || qe == path.size()) {
            return pe == pattern.size() && qe == path.size();
        }
    }
    return i >= pattern.size() && j >= path.size();
}

}  // namespace

void RouteTable::add(Route route) {
    for (const Route& r : routes_)
        if (r.method == route.method && r.path == route.path)
            throw std::logic_error("route added twice: " + route.path);
    routes_.push_back(std::move(route));
}

RouteTable::Match RouteTable::match(Method method, std::string_view path) const {
    Match m;
    for (const Route& r : routes_) {
        std::map<std::string, std::string> params;
        if (!match_path(r.path, path, params)) continue;
        m.path_known = true;
        if (std::find(m.allowed.begin(), m.allowed.end(), r.method) == m.allowed.end())
            m.allowed.push_back(r.method);
        if (r.method != method) continue;
        // A literal route wins over a pattern (/requests/bulk before /requests/{id}).
        const bool literal = r.path.find('{') == std::string::npos;
        if (m.route == nullptr || literal) {
            m.route = &r;
            m.params = std::move(params);
            if (literal) break;
        }
    }
    return m;
}

const RouteTable& route_table() {
    static const RouteTable table = [] {
        RouteTable t;
        add_health_routes(t);
        add_session_routes(t);
        add_users_routes(t);
        add_requests_routes(t);
        add_batches_routes(t);
        add_batch_render_routes(t);
        add_custody_routes(t);
        add_audit_routes(t);
        add_plan_routes(t);
        add_registry_routes(t);
        add_jobs_routes(t);
        add_events_routes(t);
        return t;
    }();
    return table;
}

}  // namespace kyso::server

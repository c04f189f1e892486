// kyso server — routes for operations: /healthz, /readyz, /metrics and /api/openapi.json.
#include <string>

#include "core/messages.h"
#include "server/openapi.h"
#include "server/routes.h"
#include "server/server_state.h"
#include "store/migrations/migration.h"
#include "store/store.h"

namespace kyso::server {

namespace {

using nlohmann::json;

const json kStatusSchema = {{"type", "object"},
                            {"required", {"status"}},
                            {"properties", {{"status", {{"type", "string"}}}}}};

Response readyz(Context& ctx) {
    if (ctx.state != nullptr && ctx.state->stopping)
        return ctx.fail(503, "server.not_ready", {message("server.stopping", {}, ctx.english)});
    auto version = ctx.stores.registry->schema_version();
    if (!version)
        return ctx.fail(503, "server.not_ready",
                        {ctx.english ? version.error().message_en : version.error().message});
    // Migrations current: the database is at the newest migration this binary knows.
    const std::string backend = ctx.stores.registry->description();
    if (backend.rfind("sqlite", 0) == 0) {
        const auto known = store::sqlite_migrations();
        const int newest = known.empty() ? 0 : known.back().version;
        if (*version != newest)
            return ctx.fail(
                503, "server.not_ready",
                {"schema " + std::to_string(*version) + " / " + std::to_string(newest)});
    }
    return Response::json({{"status", "ready"}, {"schema_version", *version}});
}

}  // namespace

void add_health_routes(RouteTable& t) {
    Route healthz;
    healthz.method = Method::get;
    healthz.path = "/healthz";
    healthz.is_public = true;
    healthz.tag = "operations";
    healthz.summary = "The process is alive";
    healthz.response_schema = kStatusSchema;
    healthz.handler = [](Context&) { return Response::json({{"status", "ok"}}); };
    t.add(healthz);

    Route ready;
    ready.method = Method::get;
    ready.path = "/readyz";
    ready.is_public = true;
    ready.tag = "operations";
    ready.summary = "The database is reachable and its migrations are current";
    ready.response_schema = {
        {"type", "object"},
        {"required", {"status", "schema_version"}},
        {"properties",
         {{"status", {{"type", "string"}}}, {"schema_version", {{"type", "integer"}}}}}};
    ready.handler = readyz;
    t.add(ready);

    Route metrics;
    metrics.method = Method::get;
    metrics.path = "/metrics";
    metrics.is_public = true;
    metrics.tag = "operations";
    metrics.summary = "Prometheus metrics: requests by route and status, latency, jobs";
    metrics.response_media = "text/plain";
    metrics.handler = [](Context& ctx) {
        Response r;
        r.bytes = ctx.state != nullptr ? ctx.state->metrics.render() : std::string();
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        return r;
    };
    t.add(metrics);

    Route openapi;
    openapi.method = Method::get;
    openapi.path = "/api/openapi.json";
    openapi.is_public = true;
    openapi.tag = "operations";
    openapi.summary = "This OpenAPI 3.1 document, generated from the route table";
    openapi.response_schema = {{"type", "object"}, {"required", {"openapi", "paths"}}};
    openapi.handler = [](Context&) { return Response::json(openapi_document(route_table())); };
    t.add(openapi);
}

}  // namespace kyso::server

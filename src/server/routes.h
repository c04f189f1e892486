// kyso server — the route files: each concept adds its routes to the one table (route.h).
// A new file of routes declares its add_*_routes here and is called from route_table().
#pragma once

#include "server/route.h"

namespace kyso::server {

void add_health_routes(RouteTable& table);    // /healthz, /readyz, /metrics, /api/openapi.json
void add_session_routes(RouteTable& table);   // sign-in, sign-out, password, API tokens
void add_users_routes(RouteTable& table);     // users (admin)
void add_requests_routes(RouteTable& table);  // requests and their moves
void add_batches_routes(RouteTable& table);   // batches and their documents
void add_custody_routes(RouteTable& table);   // device custody
void add_audit_routes(RouteTable& table);     // audit log
void add_plan_routes(RouteTable& table);      // plan and check
void add_registry_routes(RouteTable& table);  // organizations, people, certificates, devices
void add_jobs_routes(RouteTable& table);      // imports, check, plan as jobs; jobs
void add_events_routes(RouteTable& table);    // reorganization events: list, add, validate, apply
// A batch's documents (PDF, DOCX, XLSX) rendered as a background job.
void add_batch_render_routes(RouteTable& table);

}  // namespace kyso::server

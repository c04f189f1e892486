// kyso server — the OpenAPI 3.1 document of the API (/api/openapi.json), generated from the
// route table (route.h) so that it cannot drift from what the server does.
#pragma once

#include <nlohmann/json.hpp>

#include "server/route.h"

namespace kyso::server {

// OpenAPI 3.1.0: one operation per route with its parameters, body and response schemas, the
// roles allowed (x-kyso-roles) and whether it needs the CSRF header (x-kyso-csrf); errors share
// components.schemas.Error; security: the session cookie or a bearer API token, none for public
// routes.
nlohmann::json openapi_document(const RouteTable& table);

}  // namespace kyso::server

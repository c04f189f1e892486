// kyso server — requests routes.
#include "server/routes.h"

namespace kyso::server {

void add_requests_routes(RouteTable&) {}

}  // namespace kyso::server

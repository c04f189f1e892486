// kyso server — audit routes.
#include "server/routes.h"

namespace kyso::server {

void add_audit_routes(RouteTable&) {}

}  // namespace kyso::server

// kyso server — plan routes.
#include "server/routes.h"

namespace kyso::server {

void add_plan_routes(RouteTable&) {}

}  // namespace kyso::server

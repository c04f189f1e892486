// kyso server — users routes.
#include "server/routes.h"

namespace kyso::server {

void add_users_routes(RouteTable&) {}

}  // namespace kyso::server

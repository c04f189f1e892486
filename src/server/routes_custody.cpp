// kyso server — custody routes.
#include "server/routes.h"

namespace kyso::server {

void add_custody_routes(RouteTable&) {}

}  // namespace kyso::server

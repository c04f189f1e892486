// kyso server — batches routes.
#include "server/routes.h"

namespace kyso::server {

void add_batches_routes(RouteTable&) {}

}  // namespace kyso::server

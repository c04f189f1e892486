// kyso server — the organization subtree a signed-in user sees (accounts/access.h within_scope),
// asked of the database for each organization a handler meets (WorkflowStore::org_within: a
// few index lookups up the superior chain), never by loading the registry.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "server/route.h"

namespace kyso::server {

// The plan and the data check cover the whole register: a user scoped to one subtree is refused
// (403 server.whole_register, naming `what` and the user's scope) until they can be cut to a
// subtree; nullopt for a user whose scope is the whole register.
std::optional<Response> require_whole_register(const Context& ctx, std::string_view what);

class ScopeCheck {
public:
    explicit ScopeCheck(Context& ctx) : ctx_(ctx) {}
    // Whether `org_id` lies in the user's subtree (a global user sees everything); each
    // organization is asked once per check. Store errors are returned.
    Result<bool> sees(std::string_view org_id);

private:
    Context& ctx_;
    std::map<std::string, bool, std::less<>> known_;
};

}  // namespace kyso::server

// kyso server — the organization subtree a signed-in user sees (workflow/access.h within_scope):
// the registry is loaded once per request and every record a handler touches is checked.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/registry.h"
#include "core/result.h"
#include "server/route.h"

namespace kyso::server {

class ScopeCheck {
public:
    explicit ScopeCheck(Context& ctx) : ctx_(ctx) {}
    // Whether `org_id` lies in the user's subtree (a global user sees everything). Loads the
    // current registry on first use (store errors are returned).
    Result<bool> sees(std::string_view org_id);
    // 403 access.out_of_scope_org naming the organization and the user, as a Response.
    Response refuse(std::string_view org_id) const;
    // The registry loaded (after sees()).
    const Registry* registry() const { return registry_ ? &*registry_ : nullptr; }

private:
    Context& ctx_;
    std::optional<Registry> registry_;
};

}  // namespace kyso::server

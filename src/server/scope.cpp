// kyso server — the user's organization subtree, checked on every record a handler touches.
#include "server/scope.h"

#include "store/store.h"
#include "workflow/access.h"

namespace kyso::server {

Result<bool> ScopeCheck::sees(std::string_view org_id) {
    if (ctx_.user().org_id.empty()) return true;  // global scope
    if (!registry_) {
        auto reg = ctx_.stores.registry->load_registry();
        if (!reg) return reg.error();
        registry_ = std::move(*reg);
    }
    return workflow::within_scope(*registry_, org_id, ctx_.user().org_id);
}

Response ScopeCheck::refuse(std::string_view org_id) const {
    return ctx_.fail(403, "access.out_of_scope_org", {ctx_.user().username, org_id});
}

}  // namespace kyso::server

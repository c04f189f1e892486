// kyso server — the user's organization subtree, checked in SQL on every record a handler
// touches.
#include "server/scope.h"

#include "store/workflow_store.h"

namespace kyso::server {

Result<bool> ScopeCheck::sees(std::string_view org_id) {
    if (ctx_.user().org_id.empty()) return true;  // global scope
    if (auto it = known_.find(org_id); it != known_.end()) return it->second;
    auto within = ctx_.stores.workflow->org_within(std::string(org_id), ctx_.user().org_id);
    if (!within) return within.error();
    known_.emplace(std::string(org_id), *within);
    return *within;
}

}  // namespace kyso::server

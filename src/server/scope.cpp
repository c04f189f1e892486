// kyso server — the user's organization subtree, checked in SQL on every record a handler
// touches.
#include "server/scope.h"

#include "store/registry_query.h"

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

std::optional<Response> require_whole_register(const Context& ctx, std::string_view what) {
    if (ctx.user().org_id.empty()) return std::nullopt;
    // A scope whose subtree holds every organization (the province of a one-province
    // register) sees the whole register: two counts in the database.
    store::OrganizationQuery all;
    all.page_size = 1;
    store::OrganizationQuery mine = all;
    mine.scope = ctx.user().org_id;
    auto everything = ctx.stores.query->organizations(all);
    if (!everything) return ctx.fail(everything.error());
    auto subtree = ctx.stores.query->organizations(mine);
    if (!subtree) return ctx.fail(subtree.error());
    if (subtree->total == everything->total) return std::nullopt;
    return ctx.fail(403, "server.whole_register", {what, ctx.user().username, ctx.user().org_id});
}

}  // namespace kyso::server

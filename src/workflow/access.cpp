// kyso workflow — who may move a request where.
#include "workflow/access.h"

#include <algorithm>
#include <initializer_list>
#include <vector>

#include "core/messages.h"

namespace kyso::workflow {

bool within_scope(const Registry& registry, std::string_view org_id, std::string_view root) {
    if (root.empty()) return true;
    std::string_view id = org_id;
    for (std::size_t steps = 0; steps <= registry.organizations.size() && !id.empty(); ++steps) {
        if (id == root) return true;
        const Organization* o = registry.org(id);
        if (o == nullptr) return false;
        id = o->current().superior_id;
    }
    return false;
}

namespace {

Error refused(const User& actor, const Request& r, RequestState to, std::string_view why_code) {
    return make_error("access.refused", Location{{}, 0, {}, std::to_string(r.id)},
                      {actor.username, to_string(actor.role), to_string(r.state), to_string(to),
                       message(why_code)});
}

}  // namespace

Status may_transition(const Registry& registry, const User& actor, const Request& r,
                      RequestState to, std::string_view reason) {
    using S = RequestState;
    if (is_final(r.state)) return refused(actor, r, to, "access.final");
    std::vector<Role> allowed;
    auto allow = [&](std::initializer_list<Role> roles) { allowed.assign(roles); };
    if (to == S::rejected) {
        if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos)
            return refused(actor, r, to, "access.reason_required");
        if (r.state == S::draft || r.state == S::validated) allow({Role::unit_head});
        if (r.state == S::approved || r.state == S::submitted) allow({Role::dost_operator});
        if (r.state == S::forwarded) allow({Role::ca_operator});
    } else if (r.state == S::draft && to == S::validated) {
        allow({Role::unit_officer, Role::unit_head});
    } else if (r.state == S::validated && to == S::approved) {
        allow({Role::unit_head});
        if (actor.username == r.created_by) return refused(actor, r, to, "access.own_request");
    } else if (r.state == S::approved && to == S::submitted) {
        allow({Role::unit_officer, Role::unit_head});
    } else if (r.state == S::submitted && to == S::forwarded) {
        allow({Role::dost_operator});
    } else if (r.state == S::forwarded && to == S::completed) {
        allow({Role::ca_operator});
    } else {
        return refused(actor, r, to, "access.no_such_step");
    }
    if (std::find(allowed.begin(), allowed.end(), actor.role) == allowed.end())
        return refused(actor, r, to, "access.wrong_role");
    if (!within_scope(registry, r.managing_org_id, actor.org_id))
        return refused(actor, r, to, "access.out_of_scope");
    return Ok{};
}

}  // namespace kyso::workflow

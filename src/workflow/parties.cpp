// kyso workflow — every organization an action names: exists, in the actor's scope, right kind.
#include "workflow/parties.h"

#include <string>

#include "accounts/access.h"
#include "core/messages.h"
#include "text/nfc.h"

namespace kyso::workflow {

namespace {

std::string_view label_code(Party p) {
    switch (p) {
        case Party::managing:
            return "party.managing";
        case Party::holder:
            return "party.holder";
        case Party::batch:
            return "party.batch";
        case Party::issuer:
            return "party.issuer";
        case Party::dost:
            return "party.dost";
        case Party::receiver:
            return "party.receiver";
    }
    return "party.managing";
}

}  // namespace

bool is_dost(const Organization& org) {
    if (org.ceased_on) return false;
    return text::fold_for_matching(org.current().name).starts_with("so khoa hoc va cong nghe");
}

Status check_party(const Registry& registry, const User& actor, std::string_view org_id,
                   Party party) {
    const Organization* o = registry.org(org_id);
    if (o == nullptr) return make_error("request.unknown_org", Location{}, {org_id});
    const std::string label = message(label_code(party));
    if (!accounts::within_scope(registry, org_id, actor.org_id))
        return make_error("access.party_out_of_scope", Location{},
                          {label, org_id, actor.username, actor.org_id});
    if ((party == Party::issuer || party == Party::dost) && !is_dost(*o)) {
        // A DoST that has ceased (merged into another province's) is refused for that reason,
        // naming the one carrying on its work.
        if (auto ceased = check_not_ceased(registry, org_id); !ceased) return ceased;
        return make_error("access.party_not_dost", Location{}, {label, org_id, o->current().name});
    }
    return Ok{};
}

std::string continuing_org(const Registry& registry, std::string_view org_id) {
    std::string id(org_id);
    // Each step leaves a ceased organization; a cycle in bad data ends after every one was seen.
    for (std::size_t steps = 0; steps <= registry.organizations.size(); ++steps) {
        const Organization* o = registry.org(id);
        if (o == nullptr) return {};
        if (!o->ceased_on) return id;
        id = !o->successor_id.empty() ? o->successor_id : o->current().superior_id;
        if (id.empty()) return {};
    }
    return {};
}

Status check_not_ceased(const Registry& registry, std::string_view org_id) {
    const Organization* o = registry.org(org_id);
    if (o == nullptr || !o->ceased_on) return Ok{};
    const std::string next = continuing_org(registry, org_id);
    if (next.empty())
        return make_error("request.ceased_org_none", Location{},
                          {org_id, o->current().name, o->ceased_on->str()});
    return make_error(
        "request.ceased_org", Location{},
        {org_id, o->current().name, o->ceased_on->str(), next, registry.org(next)->current().name});
}

}  // namespace kyso::workflow

// kyso reorg — the registry after the events: new organization versions, cessations, moves.
#include "reorg/outcome.h"

namespace kyso::reorg {

RegistryUpdate registry_update(const Registry& reg, const Replay& rp) {
    RegistryUpdate up;
    for (const OrgState& s : rp.orgs) {
        if (s.history.empty() && !s.ceased_on) continue;
        Organization o;
        if (const Organization* known = reg.org(s.id)) o = *known;
        o.id = s.id;
        for (const OrgVersion& v : s.history) {
            // A version on the same day as the last stored one replaces it (the state of that day).
            if (!o.versions.empty() && o.versions.back().valid_from == v.valid_from)
                o.versions.pop_back();
            o.versions.push_back(v);
        }
        if (s.ceased_on) {
            o.ceased_on = s.ceased_on;
            o.ceased_by_event = s.ceased_by;
            o.successor_id = s.successor;
        }
        up.organizations.push_back(std::move(o));
    }
    for (std::size_t i = 0; i < reg.people.size(); ++i) {
        const PersonState& ps = rp.people[i];
        if (ps.org_id.empty() || ps.org_id == reg.people[i].org_id) continue;
        Person p = reg.people[i];
        p.org_id = std::string(ps.org_id);
        up.people.push_back(std::move(p));
    }
    return up;
}

}  // namespace kyso::reorg

// kyso accounts — which part of the register a scoped user may change.
#include "accounts/register_scope.h"

#include <string>
#include <string_view>
#include <unordered_set>

#include "accounts/access.h"
#include "core/messages.h"

namespace kyso::accounts {

namespace {

class ScopeCheck {
public:
    ScopeCheck(const Registry& current, const Registry& incoming, const User& actor)
        : current_(current), incoming_(incoming), actor_(actor) {}

    // `org_id` in scope now (when stored) and after the write (through `incoming` first).
    Status org(std::string_view org_id, std::string_view what) const {
        if (org_id.empty()) return Ok{};
        if (current_.org(org_id) != nullptr && !within_scope(current_, org_id, actor_.org_id))
            return refused(what, org_id);
        if (!within_after(org_id)) return refused(what, org_id);
        return Ok{};
    }

    Status holder(const HolderRef& h, std::string_view what) const {
        if (h.id.empty()) return Ok{};
        if (h.type == HolderType::org) return org(h.id, what);
        return person(h.id, what);
    }

    // A person's organization now and after the write.
    Status person(std::string_view person_id, std::string_view what) const {
        if (const Person* now = current_.person(person_id)) {
            if (auto s = org(now->org_id, what); !s) return s;
        }
        if (const Person* after = incoming_.person(person_id)) {
            if (auto s = org(after->org_id, what); !s) return s;
        }
        return Ok{};
    }

private:
    // The superior of `id` after the write: `incoming`'s version when it has the organization,
    // else the stored one's; nullopt when neither knows it.
    std::optional<std::string_view> superior_after(std::string_view id) const {
        if (const Organization* o = incoming_.org(id); o != nullptr && !o->versions.empty())
            return std::string_view(o->current().superior_id);
        if (const Organization* o = current_.org(id); o != nullptr && !o->versions.empty())
            return std::string_view(o->current().superior_id);
        return std::nullopt;
    }

    bool within_after(std::string_view org_id) const {
        std::string_view id = org_id;
        const std::size_t bound = current_.organizations.size() + incoming_.organizations.size();
        for (std::size_t steps = 0; steps <= bound && !id.empty(); ++steps) {
            if (id == actor_.org_id) return true;
            auto up = superior_after(id);
            if (!up) return false;
            id = *up;
        }
        return false;
    }

    Error refused(std::string_view what, std::string_view org_id) const {
        return make_error("access.register_out_of_scope", Location{},
                          {std::string(what), std::string(org_id), actor_.username, actor_.org_id});
    }

    const Registry& current_;
    const Registry& incoming_;
    const User& actor_;
};

Status check_event(const ScopeCheck& scope, const ReorgEvent& e) {
    const std::string what = message("register.event", {e.id});
    for (const auto& id : e.sources)
        if (auto s = scope.org(id, what); !s) return s;
    for (const auto& id : e.parts_from)
        if (auto s = scope.org(id, what); !s) return s;
    for (std::string_view id :
         {std::string_view(e.keep), std::string_view(e.into), std::string_view(e.org),
          std::string_view(e.successor), std::string_view(e.to_org)}) {
        if (auto s = scope.org(id, what); !s) return s;
    }
    if (e.superior_id)
        if (auto s = scope.org(*e.superior_id, what); !s) return s;
    if (e.new_org && e.new_org->superior_id)
        if (auto s = scope.org(*e.new_org->superior_id, what); !s) return s;
    if (!e.person.empty())
        if (auto s = scope.person(e.person, what); !s) return s;
    return Ok{};
}

}  // namespace

Status check_register_scope(const Registry& current, const Registry& incoming,
                            const std::vector<ReorgEvent>& events, const User& actor) {
    if (actor.org_id.empty()) return Ok{};
    const ScopeCheck scope(current, incoming, actor);
    for (const Organization& o : incoming.organizations) {
        const std::string what = message("register.org", {o.id});
        if (auto s = scope.org(o.id, what); !s) return s;
        // A new superior must be in scope too: the scope's own root is not moved elsewhere.
        const Organization* now = current.org(o.id);
        if (now != nullptr && !o.versions.empty() &&
            o.current().superior_id != now->current().superior_id)
            if (auto s = scope.org(o.current().superior_id, what); !s) return s;
    }
    for (const Person& p : incoming.people)
        if (auto s = scope.person(p.id, message("register.person", {p.id})); !s) return s;
    for (const Device& d : incoming.devices) {
        const std::string what = message("register.device", {d.id});
        if (auto s = scope.holder(d.holder, what); !s) return s;
        if (const Device* now = current.device(d.id))
            if (auto s = scope.holder(now->holder, what); !s) return s;
    }
    for (const Certificate& c : incoming.certificates) {
        const std::string what = message("register.certificate", {c.serial});
        if (auto s = scope.holder(c.holder, what); !s) return s;
        if (const Certificate* now = current.certificate(c.serial))
            if (auto s = scope.holder(now->holder, what); !s) return s;
    }
    for (const ReorgEvent& e : events)
        if (auto s = check_event(scope, e); !s) return s;
    return Ok{};
}

namespace {

bool same_org(const Organization& a, const Organization& b) {
    const OrgVersion& x = a.current();
    const OrgVersion& y = b.current();
    return x.name == y.name && x.superior_id == y.superior_id && x.province == y.province &&
           x.agency_code == y.agency_code && x.admin_unit == y.admin_unit && x.kind == y.kind;
}

bool same_certificate(const Certificate& a, const Certificate& b) {
    return a.holder == b.holder && a.device_id == b.device_id && a.status == b.status &&
           a.subject_text == b.subject_text && a.not_before == b.not_before &&
           a.not_after == b.not_after;
}

}  // namespace

RegisterChange changed_records(const Registry& registered,
                               const std::vector<ReorgEvent>& registered_events,
                               const Registry& incoming,
                               const std::vector<ReorgEvent>& incoming_events) {
    RegisterChange out;
    for (const Organization& o : incoming.organizations) {
        const Organization* now = registered.org(o.id);
        if (now == nullptr || o.versions.empty() || now->versions.empty() || !same_org(o, *now))
            out.registry.organizations.push_back(o);
    }
    for (const Person& p : incoming.people) {
        const Person* now = registered.person(p.id);
        if (now == nullptr || !(*now == p)) out.registry.people.push_back(p);
    }
    for (const Device& d : incoming.devices) {
        const Device* now = registered.device(d.id);
        if (now == nullptr || !(*now == d)) out.registry.devices.push_back(d);
    }
    for (const Certificate& c : incoming.certificates) {
        const Certificate* now = registered.certificate(c.serial);
        if (now == nullptr || !same_certificate(c, *now)) out.registry.certificates.push_back(c);
    }
    std::unordered_set<std::string_view> known;
    for (const ReorgEvent& e : registered_events) known.insert(e.id);
    for (const ReorgEvent& e : incoming_events)
        if (known.count(e.id) == 0) out.events.push_back(e);
    out.registry.reindex();
    return out;
}

}  // namespace kyso::accounts

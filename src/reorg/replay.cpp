// kyso reorg — replaying reorganization events over a registry (FORMATS.md §2, §3 "Events").
#include "reorg/replay.h"

#include <algorithm>
#include <unordered_set>

#include "core/messages.h"
#include "core/values.h"

namespace kyso::reorg {

const OrgState* Replay::org(std::string_view id) const {
    const auto* it = org_index.find(id);
    return it == nullptr ? nullptr : &orgs[it->second];
}

Date default_as_of(const std::vector<ReorgEvent>& events) {
    if (events.empty()) return Date::today();
    Date latest = events.front().effective_date;
    for (const auto& e : events) latest = std::max(latest, e.effective_date);
    return latest;
}

namespace {

class Replayer {
public:
    Replayer(const Registry& reg, Replay& out) : reg_(reg), r_(out) {}

    void init() {
        r_.orgs.reserve(reg_.organizations.size() + 64);
        for (const auto& o : reg_.organizations) {
            const OrgVersion& v = o.current();
            OrgState s;
            s.id = o.id;
            s.name = v.name;
            s.superior_id = v.superior_id;
            s.province = v.province;
            s.agency_code = v.agency_code;
            s.admin_unit = v.admin_unit;
            s.kind = v.kind;
            s.active = !o.ceased_on.has_value();
            r_.org_index.emplace(o.id, r_.orgs.size());
            r_.orgs.push_back(std::move(s));
        }
        for (std::size_t i = 0; i < r_.orgs.size(); ++i) {
            if (auto* sup = find(r_.orgs[i].superior_id)) sup->children.push_back(i);
        }
        r_.people.resize(reg_.people.size());
        for (std::size_t i = 0; i < reg_.people.size(); ++i) {
            r_.people[i].org_id = reg_.people[i].org_id;
            if (auto* o = find(reg_.people[i].org_id)) o->people.push_back(i);
        }
        r_.certs.resize(reg_.certificates.size());
        for (std::size_t i = 0; i < reg_.certificates.size(); ++i) {
            const Certificate& c = reg_.certificates[i];
            CertState& s = r_.certs[i];
            // FORMATS.md §3 scope: valid, and not_after's UTC date on or after as-of; an unlinked
            // certificate (no holder, §1) is never considered.
            // An organization certificate whose holder is not in the registry belongs to an
            // organization an event creates (checked in replay()): considered, so that the issue
            // it answered is not owed again, but not planned (plan.cpp skips it).
            s.considered =
                c.status == CertStatus::valid && !(c.not_after_date < r_.as_of) && !c.unlinked() &&
                (c.holder_pos != Certificate::kNoPos || c.holder.type == HolderType::org);
            if (c.holder.type == HolderType::org) {
                s.org_holder = c.holder.id;
                if (s.considered && c.holder_pos != Certificate::kNoPos)
                    r_.orgs[c.holder_pos].org_certs.push_back(i);
            }
        }
        // Each person's considered certificates, as one flat list with per-person offsets.
        person_cert_start_.assign(reg_.people.size() + 1, 0);
        auto personal = [&](std::size_t i) {
            const Certificate& c = reg_.certificates[i];
            return c.holder.type == HolderType::person && r_.certs[i].considered &&
                   c.holder_pos != Certificate::kNoPos;
        };
        for (std::size_t i = 0; i < reg_.certificates.size(); ++i) {
            if (personal(i)) ++person_cert_start_[reg_.certificates[i].holder_pos + 1];
        }
        for (std::size_t p = 0; p < reg_.people.size(); ++p)
            person_cert_start_[p + 1] += person_cert_start_[p];
        person_certs_.assign(person_cert_start_.back(), 0);
        std::vector<std::uint32_t> fill(person_cert_start_.begin(), person_cert_start_.end() - 1);
        for (std::size_t i = 0; i < reg_.certificates.size(); ++i) {
            if (personal(i))
                person_certs_[fill[reg_.certificates[i].holder_pos]++] =
                    static_cast<std::uint32_t>(i);
        }
    }

    Status apply(const ReorgEvent& e) {
        switch (e.type) {
            case EventType::merge:
                return merge(e);
            case EventType::create:
                return create(e);
            case EventType::rename:
                return rename(e);
            case EventType::change_superior:
                return change_superior(e);
            case EventType::merge_province:
                return merge_province(e);
            case EventType::dissolve:
                return dissolve(e);
            case EventType::transfer:
                return transfer(e);
            case EventType::person_leaves:
                return person_leaves(e);
        }
        return Ok{};
    }

private:
    OrgState* find(std::string_view id) {
        if (id.empty()) return nullptr;
        const auto* it = r_.org_index.find(id);
        return it == nullptr ? nullptr : &r_.orgs[it->second];
    }
    std::size_t index_of(const OrgState* o) const {
        return static_cast<std::size_t>(o - r_.orgs.data());
    }

    Error unknown(const ReorgEvent& e, std::string_view field, std::string_view value) const {
        return make_error("event.unknown_reference",
                          Location{"events.json", 0, std::string(field), e.id},
                          {e.id, field, value});
    }
    Error ceased(const ReorgEvent& e, std::string_view field, std::string_view value) const {
        return make_error("event.ceased", Location{"events.json", 0, std::string(field), e.id},
                          {e.id, value});
    }

    // An organization the event may act on: known and not ceased.
    Result<OrgState*> active_org(const ReorgEvent& e, std::string_view field, std::string_view id) {
        OrgState* o = find(id);
        if (o == nullptr) return unknown(e, field, id);
        if (!o->active) return ceased(e, field, id);
        return o;
    }

    Result<std::size_t> person(const ReorgEvent& e, std::string_view id) const {
        const auto* it = reg_.person_index.find(id);
        if (it == nullptr) return unknown(e, "person", id);
        return it->second;
    }

    void end_cert(std::size_t cert, std::string_view rule, std::string_view reason,
                  const ReorgEvent& e) {
        CertState& s = r_.certs[cert];
        if (s.end) return;
        s.end = CertEnd{rule, reason, e.id};
    }

    // Org certificates of `o` still in play (its own, or carried into it).
    std::vector<std::size_t> certs_in_play(const OrgState& o) const {
        std::vector<std::size_t> out;
        for (std::size_t c : o.org_certs) {
            const CertState& s = r_.certs[c];
            if (s.considered && !s.end && s.org_holder == std::string_view(o.id)) out.push_back(c);
        }
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        return out;
    }

    // Records the organization's state after event `e` changed it (one version per event).
    static void touch(OrgState& o, const ReorgEvent& e) {
        o.last_event = e.id;
        if (!o.history.empty() && o.history.back().event_id == e.id) o.history.pop_back();
        o.history.push_back(OrgVersion{e.effective_date, o.name, o.superior_id, o.province,
                                       o.agency_code, o.admin_unit, o.kind, e.id});
    }

    // FORMATS.md §3: an organization never becomes its own superior; when re-parenting would make
    // it so, it takes the ceasing organization's superior instead. `ceasing` are the organizations
    // ending in the current event.
    std::string resolve_superior(std::string target, const std::string& self,
                                 const std::unordered_set<std::string>& ceasing) {
        for (std::size_t guard = 0; guard <= r_.orgs.size() && ceasing.count(target) > 0; ++guard) {
            const OrgState* t = find(target);
            std::string next = t->successor;
            if (next.empty() || next == self) next = t->superior_id;
            target = next;
        }
        if (target == self) target.clear();
        return target;
    }

    // `o` ceases in event `e`; people and children go to `successor` (may be empty).
    // `successor` must be a string of the event or the registry (people keep a view of it).
    void cease(OrgState& o, const std::string& successor, const ReorgEvent& e,
               const std::unordered_set<std::string>& ceasing) {
        o.active = false;
        o.ceased_by = e.id;
        o.ceased_on = e.effective_date;
        o.successor = successor;
        OrgState* succ = find(successor);
        const std::size_t self = index_of(&o);
        for (std::size_t pi : o.people) {
            PersonState& p = r_.people[pi];
            if (p.org_id != o.id) continue;
            p.org_id = successor;
            p.last_event = e.id;
            if (succ != nullptr) {
                succ->people.push_back(pi);
            } else {
                p.unassigned_by = e.id;
            }
        }
        for (std::size_t ci : o.children) {
            OrgState& child = r_.orgs[ci];
            if (child.superior_id != o.id || ci == self) continue;
            if (ceasing.count(child.id) > 0) continue;  // ceasing in the same event
            child.superior_id = resolve_superior(o.id, child.id, ceasing);
            touch(child, e);
            if (OrgState* sup = find(child.superior_id)) sup->children.push_back(ci);
        }
    }

    Status merge(const ReorgEvent& e) {
        std::unordered_set<std::string> seen;
        std::vector<OrgState*> sources;
        for (const auto& id : e.sources) {
            if (!seen.insert(id).second) {
                return make_error("event.duplicate_source",
                                  Location{"events.json", 0, "sources", e.id}, {e.id, id});
            }
            auto o = active_org(e, "sources", id);
            if (!o) return o.error();
            sources.push_back(*o);
        }
        if (e.keep.empty() == !e.new_org.has_value()) {
            return make_error("event.keep_and_new", Location{"events.json", 0, "keep", e.id},
                              {e.id});
        }
        if (auto s = check_parts_from(e); !s) return s;
        if (!e.keep.empty() && seen.count(e.keep) == 0) {
            return make_error("event.not_a_source", Location{"events.json", 0, "keep", e.id},
                              {e.id, "keep", e.keep});
        }
        if (!e.cert_carrier.empty() && seen.count(e.cert_carrier) == 0) {
            if (find(e.cert_carrier) == nullptr) return unknown(e, "cert_carrier", e.cert_carrier);
            return make_error("event.not_a_source",
                              Location{"events.json", 0, "cert_carrier", e.id},
                              {e.id, "cert_carrier", e.cert_carrier});
        }
        std::unordered_set<std::string> ceasing;
        for (const auto* s : sources) {
            if (s->id != e.keep) ceasing.insert(s->id);
        }
        if (!e.keep.empty()) return merge_keep(e, sources, ceasing);
        return merge_new(e, sources, ceasing);
    }

    // Rule 1.1b: the kept organization's certificates continue; the others' are revoked.
    Status merge_keep(const ReorgEvent& e, const std::vector<OrgState*>& sources,
                      const std::unordered_set<std::string>& ceasing) {
        for (OrgState* s : sources) {
            if (s->id == e.keep) continue;
            for (std::size_t c : certs_in_play(*s)) end_cert(c, "1.1b", "cessationOfOperation", e);
        }
        for (OrgState* s : sources) {
            if (s->id != e.keep) cease(*s, e.keep, e, ceasing);
        }
        return Ok{};
    }

    // Rule 1.1a: one certificate of one source is carried to the new organization.
    Status merge_new(const ReorgEvent& e, const std::vector<OrgState*>& sources,
                     const std::unordered_set<std::string>& ceasing) {
        const NewOrganization& n = *e.new_org;
        if (find(n.id) != nullptr) {
            return make_error("event.new_exists", Location{"events.json", 0, "new.id", e.id},
                              {e.id, n.id});
        }
        const OrgState& first = *sources.front();
        OrgState created;
        created.id = n.id;
        created.name = n.name;
        created.province = n.province.value_or(first.province);
        created.agency_code = n.agency_code;
        created.admin_unit = n.admin_unit;
        created.kind = first.kind;
        created.last_event = e.id;
        std::string superior = n.superior_id.value_or(first.superior_id);
        if (!superior.empty()) {
            auto sup = find(superior);
            if (sup == nullptr) return unknown(e, "new.superior_id", superior);
            if (!sup->active) return ceased(e, "new.superior_id", superior);
        }
        // Carrier: cert_carrier if it has a certificate in play, else the first source with one.
        const OrgState* carrier = nullptr;
        std::vector<std::size_t> carrier_certs;
        if (!e.cert_carrier.empty()) {
            const OrgState* c = find(e.cert_carrier);
            auto certs = certs_in_play(*c);
            if (!certs.empty()) {
                carrier = c;
                carrier_certs = std::move(certs);
            }
        }
        for (std::size_t i = 0; carrier == nullptr && i < sources.size(); ++i) {
            auto certs = certs_in_play(*sources[i]);
            if (!certs.empty()) {
                carrier = sources[i];
                carrier_certs = std::move(certs);
            }
        }
        // Of the carrier's certificates: the latest not_after is carried (ties: smallest serial).
        std::size_t carried = SIZE_MAX;
        for (std::size_t c : carrier_certs) {
            if (carried == SIZE_MAX) {
                carried = c;
                continue;
            }
            const Certificate& a = reg_.certificates[c];
            const Certificate& b = reg_.certificates[carried];
            const auto ta = Date::parse_date_or_datetime(a.not_after);
            const auto tb = Date::parse_date_or_datetime(b.not_after);
            const int cmp_date = ta == tb ? 0 : (ta < tb ? -1 : 1);
            const int cmp_time = cmp_date != 0 ? cmp_date : not_after_compare(a, b);
            if (cmp_time > 0 || (cmp_time == 0 && compare_serials(a.serial, b.serial) < 0))
                carried = c;
        }
        for (const OrgState* s : sources) {
            for (std::size_t c : certs_in_play(*s)) {
                if (c == carried) continue;
                end_cert(c, "1.1a", s == carrier ? "superseded" : "cessationOfOperation", e);
            }
        }
        const std::size_t new_index = r_.orgs.size();
        r_.org_index.emplace(created.id, new_index);
        r_.orgs.push_back(std::move(created));
        OrgState& made = r_.orgs[new_index];
        made.superior_id = resolve_superior(superior, made.id, ceasing);
        touch(made, e);
        if (OrgState* sup = find(made.superior_id)) sup->children.push_back(new_index);
        if (carried != SIZE_MAX) {
            CertState& cs = r_.certs[carried];
            cs.org_holder = n.id;  // the event's string: stable, unlike the OrgState
            cs.carried = true;
            cs.carried_by = e.id;
            r_.orgs[new_index].org_certs.push_back(carried);
        } else {
            r_.issues.push_back(PendingIssue{made.id, e.id});
        }
        for (std::size_t i = 0; i < sources.size(); ++i) {
            cease(r_.orgs[r_.org_index.find(e.sources[i])->second], n.id, e, ceasing);
        }
        return Ok{};
    }

    // FORMATS.md §2 `parts_from`: organizations that give part of themselves and continue. Lineage
    // only (no effect on certificates or people), but each must exist and not have ceased.
    Status check_parts_from(const ReorgEvent& e) {
        for (const auto& id : e.parts_from) {
            if (auto o = active_org(e, "parts_from", id); !o) return o.error();
        }
        return Ok{};
    }

    // FORMATS.md §2 `create`: a new organization made only from parts of others, which continue.
    // Planned like a merge under a new name without a carrier: an `issue` (rule 1.1a) is owed if
    // it still exists after all events. An absent superior_id or province takes the first
    // parts_from organization's (none / an error without one).
    Status create(const ReorgEvent& e) {
        const NewOrganization& n = *e.new_org;
        if (auto s = check_parts_from(e); !s) return s;
        if (find(n.id) != nullptr) {
            return make_error("event.new_exists", Location{"events.json", 0, "new.id", e.id},
                              {e.id, n.id});
        }
        const OrgState* first = e.parts_from.empty() ? nullptr : find(e.parts_from.front());
        OrgState created;
        created.id = n.id;
        created.name = n.name;
        if (n.province) {
            created.province = *n.province;
        } else if (first != nullptr) {
            created.province = first->province;
        }
        if (created.province.empty()) {
            return make_error("event.missing_field",
                              Location{"events.json", 0, "new.province", e.id},
                              {e.id, "new.province"});
        }
        created.agency_code = n.agency_code;
        created.admin_unit = n.admin_unit;
        created.last_event = e.id;
        const std::string superior =
            n.superior_id.value_or(first != nullptr ? first->superior_id : std::string());
        if (!superior.empty()) {
            auto sup = active_org(e, "new.superior_id", superior);
            if (!sup) return sup.error();
        }
        created.superior_id = superior;
        const std::size_t new_index = r_.orgs.size();
        r_.org_index.emplace(created.id, new_index);
        r_.orgs.push_back(std::move(created));
        touch(r_.orgs[new_index], e);
        if (OrgState* sup = find(superior)) sup->children.push_back(new_index);
        r_.issues.push_back(PendingIssue{n.id, e.id});
        return Ok{};
    }

    // Exact comparison of two not_after values when their dates tie (date-times may differ).
    static int not_after_compare(const Certificate& a, const Certificate& b) {
        auto norm = [](const std::string& t) { return t.size() == 10 ? t + "T00:00:00Z" : t; };
        const std::string x = norm(a.not_after);
        const std::string y = norm(b.not_after);
        return x == y ? 0 : (x < y ? -1 : 1);
    }

    Status rename(const ReorgEvent& e) {
        auto o = active_org(e, "org", e.org);
        if (!o) return o.error();
        (*o)->name = e.name;
        touch(**o, e);
        return Ok{};
    }

    Status change_superior(const ReorgEvent& e) {
        auto o = active_org(e, "org", e.org);
        if (!o) return o.error();
        const std::string sup = e.superior_id.value_or("");
        if (!sup.empty()) {
            auto s = active_org(e, "superior_id", sup);
            if (!s) return s.error();
            // The new superior must not be the organization itself or one of its descendants.
            for (const OrgState* walk = *s; walk != nullptr; walk = find(walk->superior_id)) {
                if (walk == *o) {
                    return make_error("event.bad_field",
                                      Location{"events.json", 0, "superior_id", e.id},
                                      {e.id, "superior_id", "would make a cycle of superiors"});
                }
            }
            (*s)->children.push_back(index_of(*o));
        }
        (*o)->superior_id = sup;
        touch(**o, e);
        return Ok{};
    }

    Status merge_province(const ReorgEvent& e) {
        const std::unordered_set<std::string> sources(e.sources.begin(), e.sources.end());
        if (sources.size() != e.sources.size()) {
            return make_error("event.duplicate_source", Location{"events.json", 0, "sources", e.id},
                              {e.id, e.sources.front()});
        }
        // Naming a province no organization has is not an error (FORMATS.md §3).
        for (OrgState& o : r_.orgs) {
            if (o.province != e.into && sources.count(o.province) > 0) {
                o.province = e.into;
                if (o.active) touch(o, e);
            }
        }
        return Ok{};
    }

    // Rule 2.1: a dissolved organization's certificates are revoked.
    Status dissolve(const ReorgEvent& e) {
        auto o = active_org(e, "org", e.org);
        if (!o) return o.error();
        if (!e.successor.empty()) {
            auto s = active_org(e, "successor", e.successor);
            if (!s) return s.error();
            if (*s == *o) {
                return make_error("event.bad_field", Location{"events.json", 0, "successor", e.id},
                                  {e.id, "successor", "an organization cannot succeed itself"});
            }
        }
        for (std::size_t c : certs_in_play(**o)) end_cert(c, "2.1", "cessationOfOperation", e);
        const std::unordered_set<std::string> ceasing{(*o)->id};
        cease(**o, e.successor, e, ceasing);
        return Ok{};
    }

    Status transfer(const ReorgEvent& e) {
        auto p = person(e, e.person);
        if (!p) return p.error();
        auto to = active_org(e, "to_org", e.to_org);
        if (!to) return to.error();
        PersonState& ps = r_.people[*p];
        ps.org_id = e.to_org;
        ps.unassigned_by = {};
        ps.last_event = e.id;
        (*to)->people.push_back(*p);
        return Ok{};
    }

    // Rule 1.2 (2.3 on a PKI SIM): a person who left is revoked; final.
    Status person_leaves(const ReorgEvent& e) {
        auto p = person(e, e.person);
        if (!p) return p.error();
        PersonState& ps = r_.people[*p];
        ps.left = true;
        ps.last_event = e.id;
        for (std::uint32_t k = person_cert_start_[*p]; k < person_cert_start_[*p + 1]; ++k) {
            const std::size_t c = person_certs_[k];
            const Certificate& cert = reg_.certificates[c];
            const Device* d =
                cert.device_pos == Certificate::kNoPos ? nullptr : &reg_.devices[cert.device_pos];
            end_cert(c, d != nullptr && d->kind == DeviceKind::pki_sim ? "2.3" : "1.2",
                     "cessationOfOperation", e);
        }
        return Ok{};
    }

    const Registry& reg_;
    Replay& r_;
    std::vector<std::uint32_t> person_cert_start_;
    std::vector<std::uint32_t> person_certs_;
};

}  // namespace

Result<Replay> replay(const Registry& registry, const std::vector<ReorgEvent>& events, Date as_of) {
    Replay r;
    r.as_of = as_of;
    std::vector<const ReorgEvent*> order;
    order.reserve(events.size());
    for (const auto& e : events) order.push_back(&e);
    std::stable_sort(order.begin(), order.end(),
                     [](const ReorgEvent* a, const ReorgEvent* b) { return event_before(*a, *b); });
    // FORMATS.md §3 input errors: a holder or device a certificate names must exist (a bundle's
    // reader checks this; a database is checked here, so that no certificate points nowhere).
    // An organization an event creates exists too: the CA may have answered its `issue`.
    std::unordered_set<std::string_view> created;
    add_created_organization_ids(events, created);
    for (const Certificate& c : registry.certificates) {
        const bool created_holder =
            c.holder.type == HolderType::org && created.count(c.holder.id) != 0;
        if (!c.unlinked() && c.holder_pos == Certificate::kNoPos && !created_holder) {
            return make_error("bundle.unknown_reference",
                              Location{"certificates.csv", 0, "holder_id", c.serial},
                              {c.holder.id});
        }
        if (!c.device_id.empty() && c.device_pos == Certificate::kNoPos) {
            return make_error("bundle.unknown_reference",
                              Location{"certificates.csv", 0, "device_id", c.serial},
                              {c.device_id});
        }
    }
    Replayer rp(registry, r);
    rp.init();
    for (const ReorgEvent* e : order) {
        if (as_of < e->effective_date) break;
        if (auto s = rp.apply(*e); !s) return s.error();
        r.applied.push_back(e);
    }
    return r;
}

Status validate_events(const Registry& registry, const std::vector<ReorgEvent>& events) {
    if (events.empty()) return Ok{};
    auto r = replay(registry, events, default_as_of(events));
    if (!r) return r.error();
    return Ok{};
}

}  // namespace kyso::reorg

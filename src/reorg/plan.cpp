// kyso reorg — the plan: what must be done for every certificate and device (FORMATS.md §3).
#include "reorg/plan.h"

#include <algorithm>
#include <unordered_map>

#include "core/subject_profile.h"
#include "core/values.h"

namespace kyso::reorg {

std::string_view to_string(ActionKind k) {
    switch (k) {
        case ActionKind::change_info: return "change_info";
        case ActionKind::revoke: return "revoke";
        case ActionKind::issue: return "issue";
        case ActionKind::review: return "review";
        case ActionKind::return_device: return "return_device";
    }
    return "";
}

namespace {

std::optional<OrgView> replay_lookup(const void* ctx, std::string_view id) {
    const OrgState* o = static_cast<const Replay*>(ctx)->org(id);
    if (o == nullptr) return std::nullopt;
    return OrgView{o->name, o->superior_id, o->province};
}

// FORMATS.md §4: values over their X.520 bound, e.g. "CN: 71 > 64"; empty when none.
std::string too_long(const Subject& s) {
    std::string detail;
    for (const Rdn& r : s) {
        const std::size_t bound = attribute_upper_bound(r.type);
        const std::size_t len = utf8_length(r.value);
        if (bound > 0 && len > bound) {
            if (!detail.empty()) detail += "; ";
            detail += r.type + ": " + std::to_string(len) + " > " + std::to_string(bound);
        }
    }
    return detail;
}

bool on_pki_sim(const Registry& reg, const Certificate& c) {
    const Device* d = c.device_id.empty() ? nullptr : reg.device(c.device_id);
    return d != nullptr && d->kind == DeviceKind::pki_sim;
}

// The most recent event that changed an organization's chain (memoized per organization).
class ChainEvents {
public:
    explicit ChainEvents(const Replay& rp) : rp_(rp) {
        for (std::size_t i = 0; i < rp.applied.size(); ++i) pos_.emplace(rp.applied[i]->id, i);
    }

    // The later of the chain's last event and `person_event`.
    std::string last(std::string_view org_id, const std::string& person_event) {
        const auto& [ev, p] = chain(org_id, 0);
        const std::size_t pp = position(person_event);
        if (pp != SIZE_MAX && (p == SIZE_MAX || pp > p)) return person_event;
        return ev;
    }

private:
    std::size_t position(const std::string& id) const {
        const auto it = pos_.find(id);
        return it == pos_.end() ? SIZE_MAX : it->second;
    }
    const std::pair<std::string, std::size_t>& chain(std::string_view org_id, std::size_t depth) {
        static const std::pair<std::string, std::size_t> kNone{"", SIZE_MAX};
        const auto it = rp_.org_index.find(std::string(org_id));
        if (it == rp_.org_index.end() || depth > rp_.orgs.size()) return kNone;
        if (auto m = memo_.find(it->second); m != memo_.end()) return m->second;
        const OrgState& o = rp_.orgs[it->second];
        std::pair<std::string, std::size_t> best{o.last_event, position(o.last_event)};
        const auto& up = chain(o.superior_id, depth + 1);
        if (up.second != SIZE_MAX && (best.second == SIZE_MAX || up.second > best.second)) best = up;
        return memo_.emplace(it->second, std::move(best)).first->second;
    }

    const Replay& rp_;
    std::unordered_map<std::string, std::size_t> pos_;
    std::unordered_map<std::size_t, std::pair<std::string, std::size_t>> memo_;
};

}  // namespace

Plan derive_plan(const Registry& reg, const Replay& rp) {
    Plan plan;
    plan.as_of = rp.as_of;
    std::vector<bool> revoked(reg.certificates.size(), false);
    ChainEvents chain_events(rp);

    for (std::size_t i = 0; i < reg.certificates.size(); ++i) {
        const Certificate& c = reg.certificates[i];
        const CertState& cs = rp.certs[i];
        if (!cs.considered) {
            ++plan.summary.skipped;
            continue;
        }
        ++plan.summary.considered;
        const bool sim = on_pki_sim(reg, c);
        const bool is_org = c.holder.type == HolderType::org;

        // Warning: the subject differs from the one the registry gives before any event.
        if (const auto registered = registry_holder_subject(reg, c.holder);
            registered && !same_subject(*registered, c.subject)) {
            plan.warnings.push_back({"subject_mismatch", c.serial, std::nullopt,
                                     c.subject_text + " ≠ " + format_rfc4514(*registered)});
        }

        PlanAction a;
        a.certificate = c.serial;
        a.holder = c.holder;
        if (cs.end) {
            // Revocation carries the rule of the event that ended it.
            a.action = ActionKind::revoke;
            a.rule = cs.end->rule;
            a.reason = cs.end->reason;
            a.event = cs.end->event;
            revoked[i] = true;
            ++plan.summary.revoke;
            plan.actions.push_back(std::move(a));
            continue;
        }
        std::optional<Subject> final_subject;
        std::string event;
        if (is_org) {
            final_subject = org_subject(cs.org_holder, replay_lookup, &rp);
            event = cs.carried ? cs.carried_by : chain_events.last(cs.org_holder, {});
        } else {
            const Person& p = *reg.person(c.holder.id);
            const PersonState& ps = rp.people[reg.person_index.at(p.id)];
            if (ps.org_id.empty()) {
                // Rule 1.2: left without organization by a dissolve and not transferred later.
                a.action = ActionKind::review;
                a.rule = sim ? "2.3" : "1.2";
                a.event = ps.unassigned_by;
                ++plan.summary.review;
                plan.actions.push_back(std::move(a));
                continue;
            }
            final_subject = person_subject(p.full_name, p.email, ps.org_id, replay_lookup, &rp);
            event = chain_events.last(ps.org_id, ps.last_event);
        }
        if (!final_subject || same_subject(*final_subject, c.subject)) {
            ++plan.summary.unchanged;
            continue;
        }
        a.action = ActionKind::change_info;
        a.rule = is_org ? (cs.carried ? "1.1a" : "1.1c") : (sim ? "2.3" : "1.2");
        a.event = event;
        a.old_subject = c.subject;
        a.new_subject = std::move(final_subject);
        if (auto detail = too_long(*a.new_subject); !detail.empty()) {
            plan.warnings.push_back({"value_too_long", c.serial, c.holder, std::move(detail)});
        }
        ++plan.summary.change_info;
        plan.actions.push_back(std::move(a));
    }

    // Rule 1.1a: a new organization without any carried certificate that still exists gets one.
    for (const PendingIssue& pi : rp.issues) {
        const OrgState* o = rp.org(pi.org_id);
        if (o == nullptr || !o->active) continue;
        PlanAction a;
        a.action = ActionKind::issue;
        a.rule = "1.1a";
        a.event = pi.event;
        a.holder = HolderRef{HolderType::org, o->id};
        a.new_subject = org_subject(o->id, replay_lookup, &rp);
        if (auto detail = too_long(*a.new_subject); !detail.empty()) {
            plan.warnings.push_back({"value_too_long", {}, a.holder, std::move(detail)});
        }
        ++plan.summary.issue;
        plan.actions.push_back(std::move(a));
    }

    // Rules 2.1/2.2: a token or HSM whose considered certificates are all revoked goes back.
    std::unordered_map<std::string_view, std::vector<std::size_t>> by_device;
    for (std::size_t i = 0; i < reg.certificates.size(); ++i) {
        const Certificate& c = reg.certificates[i];
        if (rp.certs[i].considered && !c.device_id.empty()) by_device[c.device_id].push_back(i);
    }
    for (const Device& d : reg.devices) {
        if (d.kind == DeviceKind::pki_sim) continue;  // rule 2.3: the SIM stays with its holder
        const auto it = by_device.find(d.id);
        if (it == by_device.end()) continue;
        const auto& certs = it->second;
        if (!std::all_of(certs.begin(), certs.end(), [&](std::size_t i) { return revoked[i]; })) continue;
        PlanAction a;
        a.action = ActionKind::return_device;
        a.device = d.id;
        a.rule = d.holder.type == HolderType::person ? "2.2" : "2.1";
        for (std::size_t i : certs) a.certificates.push_back(reg.certificates[i].serial);
        std::sort(a.certificates.begin(), a.certificates.end(), SerialLess{});
        a.certificates.erase(std::unique(a.certificates.begin(), a.certificates.end()), a.certificates.end());
        // The event that revoked the last of its certificates.
        for (std::size_t i : certs) {
            if (rp.certs[i].end) a.event = rp.certs[i].end->event;
        }
        ++plan.summary.return_device;
        plan.actions.push_back(std::move(a));
    }

    // FORMATS.md §3 order: by serial as a number (actions without one first), then device, holder.
    std::stable_sort(plan.actions.begin(), plan.actions.end(), [](const PlanAction& x, const PlanAction& y) {
        if (x.certificate.empty() != y.certificate.empty()) return x.certificate.empty();
        if (const int c = compare_serials(x.certificate, y.certificate); !x.certificate.empty() && c != 0) return c < 0;
        if (x.device != y.device) return x.device < y.device;
        const std::string& hx = x.holder ? x.holder->id : x.device;
        const std::string& hy = y.holder ? y.holder->id : y.device;
        if (hx != hy) return hx < hy;
        return x.action < y.action;
    });
    std::stable_sort(plan.warnings.begin(), plan.warnings.end(), [](const PlanWarning& x, const PlanWarning& y) {
        if (x.code != y.code) return x.code < y.code;
        if (x.certificate.empty() != y.certificate.empty()) return x.certificate.empty();
        if (const int c = compare_serials(x.certificate, y.certificate); !x.certificate.empty() && c != 0) return c < 0;
        const std::string hx = x.holder ? x.holder->id : "";
        const std::string hy = y.holder ? y.holder->id : "";
        return hx < hy;
    });
    return plan;
}

Result<Plan> make_plan(const Registry& registry, const std::vector<ReorgEvent>& events, std::optional<Date> as_of) {
    auto rp = replay(registry, events, as_of.value_or(default_as_of(events)));
    if (!rp) return rp.error();
    return derive_plan(registry, *rp);
}

}  // namespace kyso::reorg

// kyso workflow — a plan turned into requests, one per action, under the organization that
// must send each (`kyso requests from-plan`).
#include "workflow/requests_from_plan.h"

#include <algorithm>

namespace kyso::workflow {

namespace {

class ManagingOrg {
public:
    ManagingOrg(const Registry& reg, const reorg::Replay& rp,
                const std::function<bool(std::string_view)>& known)
        : reg_(reg), rp_(rp), known_(known) {}

    // The holder's organization after the events.
    std::string of_holder(const HolderRef& h, const Certificate* cert) const {
        if (h.type == HolderType::person) {
            const Person* p = reg_.person(h.id);
            if (p == nullptr) return {};
            const std::size_t i = static_cast<std::size_t>(p - reg_.people.data());
            const std::string_view now = rp_.people[i].org_id;
            return resolve(now.empty() ? std::string_view(p->org_id) : now);
        }
        if (cert != nullptr) {
            const std::size_t i = static_cast<std::size_t>(cert - reg_.certificates.data());
            if (!rp_.certs[i].org_holder.empty()) return resolve(rp_.certs[i].org_holder);
        }
        return resolve(h.id);
    }

    std::string resolve(std::string_view id) const {
        for (std::size_t steps = 0; steps <= rp_.orgs.size() * 2 && !id.empty(); ++steps) {
            const reorg::OrgState* o = rp_.org(id);
            if (o == nullptr) return known_(id) ? std::string(id) : std::string();
            if (!o->active) {  // ceased: its successor carries on, else its superior
                id = !o->successor.empty() ? std::string_view(o->successor)
                                           : std::string_view(o->superior_id);
                continue;
            }
            if (known_(id)) return std::string(id);
            id = o->superior_id;
        }
        return {};
    }

private:
    const Registry& reg_;
    const reorg::Replay& rp_;
    const std::function<bool(std::string_view)>& known_;
};

std::string subject_text(const std::optional<Subject>& s) {
    return s ? format_rfc4514(*s) : std::string();
}

}  // namespace

std::string sending_org(const Registry& registry, const reorg::Replay& replay,
                        const reorg::PlanAction& a,
                        const std::function<bool(std::string_view)>& known) {
    const ManagingOrg managing(registry, replay, known);
    if (a.action == reorg::ActionKind::issue) return a.holder ? managing.resolve(a.holder->id) : "";
    if (a.action == reorg::ActionKind::return_device) {
        const Device* d = registry.device(a.device);
        return d != nullptr && !d->holder.id.empty() ? managing.of_holder(d->holder, nullptr) : "";
    }
    if (!a.holder) return {};
    const Certificate* cert = a.certificate.empty() ? nullptr : registry.certificate(a.certificate);
    return managing.of_holder(*a.holder, cert);
}

FromPlan requests_from_plan(const Registry& registry, const reorg::Replay& replay,
                            const reorg::Plan& plan,
                            const std::function<bool(std::string_view)>& known) {
    const ManagingOrg managing(registry, replay, known);
    FromPlan out;
    for (const reorg::PlanAction& a : plan.actions) {
        Request r;
        r.rule = a.rule;
        r.event_id = a.event;
        r.certificate = a.certificate;
        if (a.holder) {
            r.holder_type = std::string(to_string(a.holder->type));
            r.holder_id = a.holder->id;
        }
        const Certificate* cert =
            a.certificate.empty() ? nullptr : registry.certificate(a.certificate);
        switch (a.action) {
            case reorg::ActionKind::review:
                ++out.reviews;
                continue;
            case reorg::ActionKind::change_info:
                r.kind = RequestKind::change_info;
                r.old_subject =
                    cert != nullptr ? cert->subject_text : subject_text(a.old_subject());
                r.new_subject = subject_text(a.new_subject());
                r.plan_key = "change_info:" + a.certificate;
                break;
            case reorg::ActionKind::revoke:
                r.kind = RequestKind::revoke;
                r.revocation_reason = a.reason;
                if (cert != nullptr) r.old_subject = cert->subject_text;
                r.plan_key = "revoke:" + a.certificate;
                break;
            case reorg::ActionKind::issue:
                r.kind = RequestKind::issue;
                r.new_subject = subject_text(a.new_subject());
                r.plan_key = "issue:" + r.holder_id;
                break;
            case reorg::ActionKind::return_device: {
                r.kind = RequestKind::device_handover;
                r.device_id = a.device;
                const Device* d = registry.device(a.device);
                if (d != nullptr) {
                    r.holder_type = std::string(to_string(d->holder.type));
                    r.holder_id = d->holder.id;
                }
                r.certificate = a.certificates.empty() ? std::string() : a.certificates.front();
                r.plan_key = "return_device:" + a.device;
                break;
            }
        }
        if (cert != nullptr && r.device_id.empty()) r.device_id = cert->device_id;
        if (a.action == reorg::ActionKind::issue) {
            r.managing_org_id = managing.resolve(r.holder_id);
        } else if (!r.holder_id.empty()) {
            const HolderRef h{r.holder_type == "org" ? HolderType::org : HolderType::person,
                              r.holder_id};
            r.managing_org_id = managing.of_holder(h, cert);
        }
        if (r.managing_org_id.empty()) {
            ++out.unplaced;  // no stored organization can send it
            continue;
        }
        out.requests.push_back(std::move(r));
    }
    std::stable_sort(
        out.requests.begin(), out.requests.end(),
        [](const Request& a, const Request& b) { return a.managing_org_id < b.managing_org_id; });
    return out;
}

}  // namespace kyso::workflow

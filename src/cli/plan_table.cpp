// kyso cli — the plan as a list for people: one row per action, grouped by managing organization.
#include "cli/plan_table.h"

#include <map>

#include "core/messages.h"

namespace kyso::cli {

namespace {

std::string managing_org(const Registry& reg, const HolderRef& h) {
    if (h.type == HolderType::org) return h.id;
    const Person* p = reg.person(h.id);
    return p != nullptr ? p->org_id : std::string();
}

std::string holder_name(const Registry& reg, const HolderRef& h) {
    if (h.type == HolderType::person) {
        const Person* p = reg.person(h.id);
        return p != nullptr ? p->full_name : h.id;
    }
    const Organization* o = reg.org(h.id);
    return o != nullptr ? o->current().name : h.id;
}

}  // namespace

docs::Table plan_table(const Registry& reg, const reorg::Plan& plan) {
    docs::Table t;
    t.title = message("plan.sheet", {plan.as_of.str()});
    t.headings = {message("plan.col_no"),          message("plan.col_action"),
                  message("plan.col_rule"),        message("plan.col_reason"),
                  message("plan.col_serial"),      message("plan.col_device"),
                  message("plan.col_holder_type"), message("plan.col_holder_id"),
                  message("plan.col_holder_name"), message("plan.col_old"),
                  message("plan.col_new"),         message("plan.col_event")};
    t.widths = {6, 18, 8, 22, 36, 12, 10, 14, 28, 60, 60, 10};
    // Group key: the managing organization's position in the registry (new ones last).
    std::map<std::pair<std::size_t, std::string>, docs::TableGroup> groups;
    std::map<std::string, std::size_t> counters;
    for (const auto& a : plan.actions) {
        HolderRef h;
        if (a.holder) {
            h = *a.holder;
        } else if (const Device* d = reg.device(a.device)) {
            h = d->holder;
        }
        const std::string org_id = managing_org(reg, h);
        const auto idx = reg.org_index.find(org_id);
        const std::size_t order = idx == reg.org_index.end() ? SIZE_MAX : idx->second;
        const Organization* o = reg.org(org_id);
        auto& g = groups[{order, org_id}];
        if (g.title.empty())
            g.title = o != nullptr ? o->current().name + " (" + org_id + ")" : org_id;
        std::vector<std::string> row;
        row.push_back(std::to_string(++counters[org_id]));
        row.push_back(message("plan.action_" + std::string(reorg::to_string(a.action))));
        row.push_back(a.rule);
        row.push_back(
            a.reason.empty() ? "" : message("plan.reason_" + a.reason) + " (" + a.reason + ")");
        std::string serials = a.certificate;
        for (const auto& s : a.certificates) serials += (serials.empty() ? "" : ", ") + s;
        row.push_back(serials);
        row.push_back(a.device);
        row.push_back(
            message(h.type == HolderType::org ? "plan.holder_org" : "plan.holder_person"));
        row.push_back(h.id);
        const auto new_subject = a.new_subject();
        row.push_back(a.action == reorg::ActionKind::issue ? new_subject->back().value
                                                           : holder_name(reg, h));
        row.push_back(a.cert != nullptr ? a.cert->subject_text : "");
        row.push_back(new_subject ? format_rfc4514(*new_subject) : "");
        row.push_back(a.event);
        g.rows.push_back(std::move(row));
    }
    for (auto& [key, g] : groups) t.groups.push_back(std::move(g));
    return t;
}

}  // namespace kyso::cli

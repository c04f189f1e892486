// kyso workflow — the plan as a list for people: one row per action, grouped by the organization
// that will send the request.
#include "workflow/plan_table.h"

#include <map>

#include "core/messages.h"
#include "workflow/requests_from_plan.h"

namespace kyso::workflow {

namespace {

std::string holder_name(const Registry& reg, const HolderRef& h) {
    if (h.type == HolderType::person) {
        const Person* p = reg.person(h.id);
        return p != nullptr ? p->full_name : h.id;
    }
    const Organization* o = reg.org(h.id);
    return o != nullptr ? o->current().name : h.id;
}

// The serial number printed on the device (a token's serial, a SIM's ICCID); the internal id
// when the registry has no serial for it.
std::string device_serial(const Registry& reg, std::string_view device_id) {
    if (device_id.empty()) return {};
    const Device* d = reg.device(device_id);
    if (d == nullptr) return std::string(device_id);
    return d->serial.empty() ? d->id : d->serial;
}

}  // namespace

std::string subject_reading_order(const Subject& subject) {
    std::string out;
    for (const Rdn& r : subject) {
        if (!out.empty()) out += r.joins_previous ? " + " : ", ";
        out += r.type;
        out += '=';
        append_rfc4514_value(out, r.value);
    }
    return out;
}

docs::Table plan_table(const Registry& reg, const reorg::Replay& replay, const reorg::Plan& plan,
                       bool english) {
    const auto text = [english](const std::string& code,
                                std::initializer_list<std::string_view> args = {}) {
        return message(code, args, english);
    };
    docs::Table t;
    t.title = text("plan.sheet", {plan.as_of.str()});
    t.headings = {
        text("plan.col_no"),          text("plan.col_action"),    text("plan.col_rule"),
        text("plan.col_reason"),      text("plan.col_serial"),    text("plan.col_token_serial"),
        text("plan.col_holder_type"), text("plan.col_holder_id"), text("plan.col_holder_name"),
        text("plan.col_old"),         text("plan.col_new"),       text("plan.col_event")};
    t.widths = {6, 18, 8, 22, 36, 16, 10, 14, 28, 60, 60, 10};
    // An organization the registry or the events know (the store holds both once the events
    // are applied: the same organizations `requests from-plan` may send from).
    const std::function<bool(std::string_view)> known = [&](std::string_view id) {
        return reg.org(id) != nullptr || replay.org(id) != nullptr;
    };
    // Group key: the sending organization's position in the replay (registry organizations
    // first, then those the events created); actions no organization can send last.
    std::map<std::pair<std::size_t, std::string>, docs::TableGroup> groups;
    std::map<std::string, std::size_t> counters;
    for (const auto& a : plan.actions) {
        HolderRef h;
        if (a.holder) {
            h = *a.holder;
        } else if (const Device* d = reg.device(a.device)) {
            h = d->holder;
        }
        const std::string org_id = sending_org(reg, replay, a, known);
        const reorg::OrgState* o = replay.org(org_id);
        const std::size_t order =
            o != nullptr ? static_cast<std::size_t>(o - replay.orgs.data()) : SIZE_MAX;
        auto& g = groups[{order, org_id}];
        if (g.title.empty())
            g.title = o != nullptr ? o->name + " (" + org_id + ")"
                                   : (org_id.empty() ? text("plan.no_sender") : org_id);
        std::vector<std::string> row;
        row.push_back(std::to_string(++counters[org_id]));
        row.push_back(text("plan.action_" + std::string(reorg::to_string(a.action))));
        row.push_back(a.rule);
        row.push_back(a.reason.empty() ? ""
                                       : text("plan.reason_" + a.reason) + " (" + a.reason + ")");
        std::string serials = a.certificate;
        for (const auto& s : a.certificates) serials += (serials.empty() ? "" : ", ") + s;
        row.push_back(serials);
        const Certificate* cert = a.certificate.empty() ? nullptr : reg.certificate(a.certificate);
        row.push_back(device_serial(reg, !a.device.empty() ? std::string_view(a.device)
                                         : cert != nullptr ? std::string_view(cert->device_id)
                                                           : std::string_view()));
        row.push_back(text(h.type == HolderType::org ? "plan.holder_org" : "plan.holder_person"));
        row.push_back(h.id);
        const auto new_subject = a.new_subject();
        row.push_back(a.action == reorg::ActionKind::issue && new_subject
                          ? new_subject->back().value
                          : holder_name(reg, h));
        std::optional<Subject> old_subject;
        if (a.cert != nullptr || cert != nullptr) {
            auto parsed = parse_rfc4514((a.cert != nullptr ? a.cert : cert)->subject_text);
            if (parsed) old_subject = std::move(*parsed);
        }
        row.push_back(old_subject ? subject_reading_order(*old_subject) : "");
        row.push_back(new_subject ? subject_reading_order(*new_subject) : "");
        row.push_back(a.event);
        g.rows.push_back(std::move(row));
    }
    for (auto& [key, g] : groups) t.groups.push_back(std::move(g));
    return t;
}

}  // namespace kyso::workflow

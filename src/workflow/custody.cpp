// kyso workflow — device custody: holder → managing organization → DoST → national CA.
#include "workflow/custody.h"

#include <filesystem>
#include <map>
#include <optional>
#include <tuple>

#include "accounts/access.h"
#include "core/messages.h"
#include "core/output_dir.h"
#include "docs/letter.h"
#include "workflow/batch_render.h"
#include "workflow/parties.h"

namespace kyso::workflow {

namespace fs = std::filesystem;

namespace {

struct DeviceContext {
    const Device* device = nullptr;
    std::string managing_org;
    std::int64_t request_id = 0;
    std::string holder_name;
    std::string holder_org;  // the holder's organization (its name), or the holder itself
};

Result<std::map<std::string, DeviceContext>> contexts(const Registry& reg,
                                                      store::WorkflowStore& workflow,
                                                      const std::vector<std::string>& ids) {
    store::RequestFilter f;
    f.kind = RequestKind::device_handover;
    auto requests = workflow.requests(f);
    if (!requests) return requests.error();
    std::map<std::string, DeviceContext> out;
    for (const auto& id : ids) {
        DeviceContext c;
        c.device = reg.device(id);
        if (c.device == nullptr) return make_error("custody.unknown_device", Location{}, {id});
        const HolderRef& h = c.device->holder;
        if (h.type == HolderType::person) {
            const Person* p = reg.person(h.id);
            c.holder_name = p != nullptr ? p->full_name : h.id;
            c.managing_org = p != nullptr ? p->org_id : "";
            const Organization* o = p != nullptr ? reg.org(p->org_id) : nullptr;
            c.holder_org = o != nullptr ? o->current().name : c.managing_org;
        } else {
            const Organization* o = reg.org(h.id);
            c.holder_name = o != nullptr ? o->current().name : h.id;
            c.holder_org = c.holder_name;
            c.managing_org = h.id;
        }
        for (const Request& r : *requests) {
            if (r.device_id == id && r.state != RequestState::rejected) {
                c.managing_org = r.managing_org_id;
                c.request_id = r.id;
            }
        }
        // A ceased organization receives nothing: the one carrying on its work does.
        if (std::string next = continuing_org(reg, c.managing_org); !next.empty())
            c.managing_org = std::move(next);
        out.emplace(id, std::move(c));
    }
    return out;
}

std::string org_name(const Registry& reg, const std::string& id) {
    const Organization* o = reg.org(id);
    return o != nullptr ? o->current().name : id;
}

std::string national_ca() {
    return message("custody.national_ca", {}, false);
}

// Who hands a device over and who receives it at this step: holder → managing organization →
// DoST → national CA.
std::pair<std::string, std::string> parties(const Registry& reg, const Handover& h,
                                            const DeviceContext& c) {
    const std::string managing = org_name(reg, c.managing_org);
    const std::string dost = org_name(reg, h.dost_org_id);
    switch (h.step) {
        case store::CustodyStep::to_organization:
            return {c.holder_name, managing};
        case store::CustodyStep::to_dost:
            return {managing, dost};
        case store::CustodyStep::to_ca:
            break;
    }
    return {dost, national_ca()};
}

}  // namespace

namespace {

// The DoST device `id` was handed to at to_dost: the id recorded with it, or for a record made
// before the id was kept (migration 0006), `named` when its name is the one recorded.
std::string dost_of(const Registry& reg, const std::vector<store::CustodyRecord>& history,
                    const std::string& named) {
    for (const auto& r : history) {
        if (r.step != store::CustodyStep::to_dost) continue;
        if (!r.dost_org_id.empty()) return r.dost_org_id;
        return !named.empty() && org_name(reg, named) == r.to_party ? named : r.to_party;
    }
    return {};
}

// check_handover over the loaded registry and device contexts.
Status check_loaded(const Registry& reg, const std::map<std::string, DeviceContext>& ctx,
                    store::WorkflowStore& workflow, const User& actor, Handover& h) {
    using store::CustodyStep;
    const bool role_ok = h.step == CustodyStep::to_organization
                             ? (actor.role == Role::unit_officer || actor.role == Role::unit_head)
                         : h.step == CustodyStep::to_dost ? actor.role == Role::dost_operator
                                                          : (actor.role == Role::dost_operator ||
                                                             actor.role == Role::ca_operator);
    if (!role_ok)
        return make_error("access.role", Location{},
                          {actor.username, to_string(actor.role), to_string(h.step)});
    if (h.step == CustodyStep::to_organization) h.dost_org_id.clear();
    for (const auto& [id, c] : ctx) {
        if (auto ok = check_party(reg, actor, c.managing_org, Party::managing); !ok) return ok;
        auto history = workflow.custody(id);
        if (!history) return history.error();
        const auto expected = static_cast<CustodyStep>(history->size());
        if (history->size() >= 3 || expected != h.step)
            return make_error(
                "custody.order", Location{{}, 0, {}, id},
                {id, to_string(h.step), history->empty() ? "-" : to_string(history->back().step)});
        if (!history->empty() && Date::parse(history->back().handed_on) &&
            *Date::parse(history->back().handed_on) > h.on)
            return make_error("custody.date", Location{{}, 0, {}, id},
                              {id, history->back().handed_on});
        if (h.step == CustodyStep::to_ca) {
            const std::string received = dost_of(reg, *history, h.dost_org_id);
            if (h.dost_org_id.empty()) h.dost_org_id = received;
            if (received != h.dost_org_id)
                return make_error("access.dost_mismatch", Location{{}, 0, {}, id},
                                  {id, received, h.dost_org_id});
        }
    }
    if (h.step != CustodyStep::to_organization) {
        if (h.dost_org_id.empty() || reg.org(h.dost_org_id) == nullptr)
            return make_error("custody.dost", Location{}, {h.dost_org_id});
        if (auto ok = check_party(reg, actor, h.dost_org_id, Party::dost); !ok) return ok;
    }
    return Ok{};
}

// The registry and the devices' contexts of `h`, loaded once.
Status load_and_check(store::Store& registry, store::WorkflowStore& workflow, const User& actor,
                      Handover& h, Registry& reg, std::map<std::string, DeviceContext>& ctx) {
    if (h.devices.empty()) return make_error("custody.no_device", Location{}, {});
    if (h.handed_by.empty() || h.received_by.empty())
        return make_error("custody.people", Location{}, {});
    auto loaded = registry.load_registry();
    if (!loaded) return loaded.error();
    reg = std::move(*loaded);
    auto found = contexts(reg, workflow, h.devices);
    if (!found) return found.error();
    ctx = std::move(*found);
    return check_loaded(reg, ctx, workflow, actor, h);
}

}  // namespace

Status check_handover(store::Store& registry, store::WorkflowStore& workflow, const User& actor,
                      Handover& h) {
    Registry reg;
    std::map<std::string, DeviceContext> ctx;
    return load_and_check(registry, workflow, actor, h, reg, ctx);
}

Result<std::vector<std::int64_t>> record_handover(store::Store& registry,
                                                  store::WorkflowStore& workflow, const User& actor,
                                                  const Handover& handover) {
    Handover h = handover;
    Registry reg;
    std::map<std::string, DeviceContext> ctx;
    if (auto ok = load_and_check(registry, workflow, actor, h, reg, ctx); !ok) return ok.error();
    std::vector<store::CustodyRecord> records;
    for (const auto& [id, c] : ctx) {
        store::CustodyRecord r;
        r.device_id = id;
        r.request_id = c.request_id;
        r.step = h.step;
        std::tie(r.from_party, r.to_party) = parties(reg, h, c);
        r.handed_by = h.handed_by;
        r.received_by = h.received_by;
        r.handed_on = h.on.str();
        r.document = h.document;
        r.dost_org_id = h.dost_org_id;
        records.push_back(std::move(r));
    }
    return workflow.add_custody(records, actor.username);  // one transaction: all or none
}

namespace {

// The record of `h` (checked) as DOCX and PDF in a staging folder for `out_dir`, not yet in place.
Result<OutputDir> stage_record(const Registry& reg, const std::map<std::string, DeviceContext>& ctx,
                               const Handover& h, const std::string& templates_dir,
                               const std::string& out_dir) {
    auto tpl = docs::load_letter_template(templates_dir + "/bien-ban-ban-giao.txt");
    if (!tpl) return tpl.error();
    if (h.document.empty()) return make_error("custody.document_needed", Location{}, {});
    docs::LetterData data;
    auto& v = data.values;
    const auto& first = ctx.begin()->second;
    using store::CustodyStep;
    const auto [giver, taker] = parties(reg, h, first);
    // The receiving side draws up the record: the managing organization, then the DoST (which
    // also draws up what it hands to the national CA).
    const std::string issuer_id =
        h.step == CustodyStep::to_organization ? first.managing_org : h.dost_org_id;
    const Organization* issuer = reg.org(issuer_id);
    if (issuer == nullptr) {
        return make_error(
            h.step == CustodyStep::to_organization ? "request.unknown_org" : "custody.dost",
            Location{}, {issuer_id});
    }
    // One record names one giving organization: devices of several are one record each.
    auto giving = [&](const DeviceContext& c) {
        return h.step == CustodyStep::to_organization ? c.holder_org : parties(reg, h, c).first;
    };
    for (const auto& [id, c] : ctx) {
        if (giving(c) != giving(first)) {
            return make_error("custody.record_mixed", Location{{}, 0, {}, id},
                              {ctx.begin()->first, giving(first), id, giving(c)});
        }
    }
    fill_letter_head(reg, *issuer, h.on, {}, v);
    v["dia_diem"] = taker;
    v["so"] = h.document;
    v["ky_hieu"] = "";
    v["giao_ho_ten"] = h.handed_by;
    v["giao_chuc_vu"] = h.handed_by_title;
    // The organization lines name organizations: at the first step the holder hands the device
    // over for the organization it works in (a person's name is not an organization).
    v["giao_co_quan"] = h.step == CustodyStep::to_organization ? first.holder_org : giver;
    v["nhan_ho_ten"] = h.received_by;
    v["nhan_chuc_vu"] = h.received_by_title;
    v["nhan_co_quan"] = taker;
    for (const auto& id : h.devices) {
        const DeviceContext& c = ctx.at(id);
        std::map<std::string, std::string> row;
        row["ho_ten"] = c.holder_name;
        row["co_quan_cong_tac"] = c.holder_org;
        row["loai_thiet_bi"] = device_kind_label(c.device->kind);
        row["so_hieu_thiet_bi"] = c.device->serial;
        row["tinh_trang"] = message("letter.device_state", {}, false);
        data.rows.push_back(std::move(row));
    }
    auto letter = docs::resolve_letter(*tpl, data);
    if (!letter) return letter.error();
    // The DOCX and the PDF are one set, put in place whole (core/output_dir.h).
    auto staged = OutputDir::create(out_dir, {"bien-ban.docx", "bien-ban.pdf"});
    if (!staged) return staged.error();
    if (auto s = docs::write_letter_docx(*letter, staged->path("bien-ban.docx")); !s)
        return s.error();
    if (auto s = docs::write_letter_pdf(*letter, staged->path("bien-ban.pdf")); !s)
        return s.error();
    return staged;
}

}  // namespace

Result<std::vector<std::int64_t>> handover(store::Store& registry, store::WorkflowStore& workflow,
                                           const User& actor, const Handover& handover,
                                           const std::string& templates_dir,
                                           const std::string& out_dir) {
    Handover h = handover;
    Registry reg;
    std::map<std::string, DeviceContext> ctx;
    // Refused (role, scope, order, date, DoST): nothing is written, no row and no file.
    if (auto ok = load_and_check(registry, workflow, actor, h, reg, ctx); !ok) return ok.error();
    std::optional<OutputDir> staged;
    if (!out_dir.empty()) {  // the record is made first: nothing is recorded if it cannot be
        auto made = stage_record(reg, ctx, h, templates_dir, out_dir);
        if (!made) return made.error();
        staged.emplace(std::move(*made));
    }
    auto ids = record_handover(registry, workflow, actor, h);
    if (!ids) return ids.error();  // the staged record is removed with `staged`
    if (staged) {
        if (auto s = staged->commit(); !s) return s.error();
    }
    return ids;
}

Result<std::vector<OverdueDevice>> overdue_devices(store::Store& registry,
                                                   store::WorkflowStore& workflow, int days,
                                                   Date today) {
    auto reg = registry.load_registry();
    if (!reg) return reg.error();
    store::RequestFilter revokes;
    revokes.kind = RequestKind::revoke;
    revokes.state = RequestState::completed;
    auto done = workflow.requests(revokes);
    if (!done) return done.error();
    std::map<std::string, std::string> revoked_on;  // serial -> date
    for (const Request& r : *done) revoked_on[r.certificate] = r.completed_at.substr(0, 10);
    store::RequestFilter handovers;
    handovers.kind = RequestKind::device_handover;
    auto requests = workflow.requests(handovers);
    if (!requests) return requests.error();
    // The latest completed revocation of each device's certificates, in one pass.
    std::map<std::string, std::string> device_revoked;  // device -> date
    for (const Certificate& c : reg->certificates) {
        if (c.device_id.empty()) continue;
        if (auto it = revoked_on.find(c.serial); it != revoked_on.end()) {
            std::string& latest = device_revoked[c.device_id];
            if (it->second > latest) latest = it->second;
        }
    }
    std::vector<OverdueDevice> out;
    for (const Request& r : *requests) {
        if (r.state == RequestState::rejected || r.device_id.empty()) continue;
        const auto found = device_revoked.find(r.device_id);
        const std::string latest = found == device_revoked.end() ? "" : found->second;
        const auto when = Date::parse(latest);
        if (!when || today.days() - when->days() < days) continue;
        auto history = workflow.custody(r.device_id);
        if (!history) return history.error();
        if (!history->empty() && history->back().step == store::CustodyStep::to_ca) continue;
        OverdueDevice d;
        d.device_id = r.device_id;
        d.holder = r.holder_type + ":" + r.holder_id;
        d.managing_org = r.managing_org_id;
        d.revoked_on = latest;
        d.days = today.days() - when->days();
        d.last_step = history->empty() ? "" : std::string(to_string(history->back().step));
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace kyso::workflow

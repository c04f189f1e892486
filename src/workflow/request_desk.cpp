// kyso workflow — the request desk: requests from a plan, validation, approvals,
// batches, each step checked against the actor's role and scope and recorded (audit log).
#include "workflow/request_desk.h"

#include <map>
#include <set>
#include <unordered_map>

#include "accounts/access.h"
#include "checks/check.h"
#include "core/messages.h"
#include "core/subject_profile.h"
#include "core/values.h"
#include "reorg/plan.h"
#include "reorg/replay.h"
#include "store/registered_state.h"
#include "workflow/parties.h"
#include "workflow/requests_from_plan.h"

namespace kyso::workflow {

namespace {

bool one_of(Role r, std::initializer_list<Role> roles) {
    return std::find(roles.begin(), roles.end(), r) != roles.end();
}

}  // namespace

std::string RequestDesk::form_of(RequestKind kind, const std::string& holder_type) {
    switch (kind) {
        case RequestKind::issue:
            return holder_type == "org" ? "mau-02" : "mau-01";
        case RequestKind::renew:
        case RequestKind::change_info:
            return "mau-04";
        case RequestKind::revoke:
            return "mau-05";
        case RequestKind::device_restore:
            return "mau-06";
        case RequestKind::device_handover:
            return "ban-giao-thiet-bi";
    }
    return "mau-04";
}

Result<Registry> RequestDesk::current_registry() {
    return registry_.load_registry();
}

Result<FromPlanReport> RequestDesk::from_plan(const User& actor) {
    if (!one_of(actor.role, {Role::unit_officer, Role::unit_head, Role::dost_operator}))
        return accounts::role_refused(actor, "requests from-plan",
                                      {Role::unit_officer, Role::unit_head, Role::dost_operator});
    auto state = store::load_registered_state(registry_);
    if (!state) return state.error();
    auto current = current_registry();
    if (!current) return current.error();
    auto rp = reorg::replay(state->registry, state->events, reorg::default_as_of(state->events));
    if (!rp) return rp.error();
    const reorg::Plan plan = reorg::derive_plan(state->registry, *rp);
    const Registry& now = *current;
    auto made = requests_from_plan(state->registry, *rp, plan,
                                   [&](std::string_view id) { return now.org(id) != nullptr; });
    FromPlanReport report;
    report.reviews = made.reviews;
    report.unplaced = made.unplaced;
    std::vector<Request> mine;
    for (Request& r : made.requests) {
        if (!accounts::within_scope(now, r.managing_org_id, actor.org_id)) {
            ++report.out_of_scope;
            continue;
        }
        mine.push_back(std::move(r));
    }
    report.planned = mine.size();
    auto created = workflow_.add_requests(mine, actor.username);
    if (!created) return created.error();
    report.created = created->size();
    return report;
}

Result<std::int64_t> RequestDesk::add_request(const User& actor, Request r) {
    if (!one_of(actor.role, {Role::unit_officer, Role::unit_head, Role::dost_operator}))
        return accounts::role_refused(actor, "requests add",
                                      {Role::unit_officer, Role::unit_head, Role::dost_operator});
    auto reg = current_registry();
    if (!reg) return reg.error();
    if (!r.certificate.empty()) {
        // FORMATS.md §1: the registry keys certificates by the serial's normal form.
        if (auto normal = normalize_serial(r.certificate)) {
            if (!serial_fits(*normal))  // RFC 5280 §4.1.2.2
                return make_error("request.serial_too_long", Location{"--certificate", 0, {}, {}},
                                  {r.certificate, std::to_string(serial_octets(*normal))});
            r.certificate = std::move(*normal);
        }
        const Certificate* c = reg->certificate(r.certificate);
        if (c == nullptr)
            return make_error("request.unknown_certificate", Location{}, {r.certificate});
        r.holder_type = std::string(to_string(c->holder.type));
        r.holder_id = c->holder.id;
        if (r.device_id.empty()) r.device_id = c->device_id;
        r.old_subject = c->subject_text;
    } else if (!r.device_id.empty()) {
        const Device* d = reg->device(r.device_id);
        if (d == nullptr) return make_error("custody.unknown_device", Location{}, {r.device_id});
        r.holder_type = std::string(to_string(d->holder.type));
        r.holder_id = d->holder.id;
    }
    const auto type = parse_holder_type(r.holder_type);
    if (!type || r.holder_id.empty())
        return make_error("request.no_subject_of_request", Location{}, {to_string(r.kind)});
    const HolderRef holder{*type, r.holder_id};
    const Person* person = *type == HolderType::person ? reg->person(r.holder_id) : nullptr;
    if ((*type == HolderType::person && person == nullptr) ||
        (*type == HolderType::org && reg->org(r.holder_id) == nullptr))
        return make_error("request.unknown_holder", Location{}, {r.holder_type, r.holder_id});
    const bool needs_certificate = r.kind == RequestKind::renew ||
                                   r.kind == RequestKind::change_info ||
                                   r.kind == RequestKind::revoke;
    if (needs_certificate && r.certificate.empty())
        return make_error("request.needs_certificate", Location{}, {to_string(r.kind)});
    if (r.kind == RequestKind::revoke && !is_crl_reason(r.revocation_reason))
        return make_error("request.bad_reason", Location{}, {r.revocation_reason});
    if (r.kind != RequestKind::revoke) r.revocation_reason.clear();
    if (r.kind == RequestKind::issue || r.kind == RequestKind::change_info ||
        r.kind == RequestKind::renew) {
        auto subject = registry_holder_subject(*reg, holder);
        if (!subject) return make_error("request.no_subject", Location{}, {r.holder_id});
        r.new_subject = format_rfc4514(*subject);
    }
    if (r.managing_org_id.empty()) {
        // The holder's organization, or the one carrying on its work when it has ceased.
        const std::string own = person != nullptr ? person->org_id : r.holder_id;
        r.managing_org_id = continuing_org(*reg, own);
        if (r.managing_org_id.empty()) {
            if (auto ok = check_not_ceased(*reg, own); !ok) return ok.error();
            r.managing_org_id = own;
        }
    } else if (auto ok = check_not_ceased(*reg, r.managing_org_id); !ok) {
        return ok.error();  // named by the user: refused, naming the one that carries on
    }
    // Both organizations the request names: who manages it, and whose holder it is.
    if (auto ok = check_party(*reg, actor, r.managing_org_id, Party::managing); !ok)
        return ok.error();
    if (auto ok = check_party(*reg, actor, person != nullptr ? person->org_id : r.holder_id,
                              Party::holder);
        !ok)
        return ok.error();
    r.state = RequestState::draft;
    r.plan_key.clear();
    auto added = workflow_.add_requests({r}, actor.username);
    if (!added) return added.error();
    return added->front();
}

Result<ValidationReport> RequestDesk::validate(const User& actor,
                                               const std::vector<std::int64_t>& ids) {
    auto reg = current_registry();
    if (!reg) return reg.error();
    std::vector<Request> drafts;
    if (ids.empty()) {
        store::RequestFilter f;
        f.state = RequestState::draft;
        auto all = workflow_.requests(f);
        if (!all) return all.error();
        for (auto& r : *all) {
            if (accounts::within_scope(*reg, r.managing_org_id, actor.org_id))
                drafts.push_back(std::move(r));
        }
    } else {
        for (const auto id : ids) {
            auto r = workflow_.request(id);
            if (!r) return r.error();
            if (!*r) return make_error("request.unknown", Location{}, {std::to_string(id)});
            drafts.push_back(std::move(**r));
        }
    }
    // FORMATS.md §5 over the stored records, once for all the requests.
    checks::TempDir temp;
    if (temp.path().empty()) return make_error("cli.temp_dir", Location{}, {"mkdtemp"});
    auto findings = checks::check_store(registry_, temp.path());
    if (!findings) return findings.error();
    std::unordered_map<std::string, const checks::Finding*> errors;  // "file:id" -> first error
    for (const checks::Finding& f : findings->items) {
        if (f.severity == checks::Severity::error) errors.emplace(f.file + ":" + f.id, &f);
    }
    auto blocking = [&](const Request& r) -> const checks::Finding* {
        std::vector<std::string> keys;
        if (r.holder_type == "person") keys.push_back("people.csv:" + r.holder_id);
        if (r.holder_type == "org") keys.push_back("organizations.csv:" + r.holder_id);
        if (!r.certificate.empty()) keys.push_back("certificates.csv:" + r.certificate);
        if (!r.device_id.empty()) keys.push_back("devices.csv:" + r.device_id);
        std::string org = r.managing_org_id;
        if (r.holder_type == "person") {
            if (const Person* p = reg->person(r.holder_id)) org = p->org_id;
        }
        for (std::size_t steps = 0; !org.empty() && steps <= reg->organizations.size(); ++steps) {
            keys.push_back("organizations.csv:" + org);
            const Organization* o = reg->org(org);
            if (o == nullptr) break;
            org = o->current().superior_id;
        }
        for (const auto& k : keys) {
            if (auto it = errors.find(k); it != errors.end()) return it->second;
        }
        return nullptr;
    };
    ValidationReport report;
    std::vector<Request> moving;
    for (Request& r : drafts) {
        if (auto ok = accounts::may_transition(*reg, actor, r, RequestState::validated); !ok) {
            report.blocked.emplace_back(r.id, ok.error().message);
            continue;
        }
        if (const checks::Finding* f = blocking(r)) {
            report.blocked.emplace_back(
                r.id, message("request.blocked_by_finding",
                              {f->file, std::to_string(f->row), f->field, f->code, f->message}));
            continue;
        }
        r.state = RequestState::validated;
        report.validated.push_back(r.id);
        moving.push_back(std::move(r));
    }
    if (auto s = workflow_.transition_all(moving, RequestState::draft, actor.username,
                                          message("request.validated_comment", {}, false));
        !s)
        return s.error();
    return report;
}

Result<Request> RequestDesk::move(const User& actor, std::int64_t id, RequestState to,
                                  const std::string& comment) {
    auto moved = move_all(actor, {id}, to, comment);
    if (!moved) return moved.error();
    return std::move(moved->front());
}

Result<std::vector<Request>> RequestDesk::move_all(const User& actor,
                                                   const std::vector<std::int64_t>& ids,
                                                   RequestState to, const std::string& comment) {
    if (to == RequestState::validated)
        return make_error("request.validate_with_checks", Location{}, {});
    // Every request is checked before any moves: all or none. The scope is asked of the
    // database per managing organization (a few index lookups), not of a loaded registry.
    std::map<RequestState, std::vector<Request>> by_state;
    std::map<std::string, bool> in_scope;
    for (const auto id : ids) {
        auto found = workflow_.request(id);
        if (!found) return found.error();
        if (!*found) return make_error("request.unknown", Location{}, {std::to_string(id)});
        Request r = std::move(**found);
        auto known = in_scope.find(r.managing_org_id);
        if (known == in_scope.end()) {
            auto within = workflow_.org_within(r.managing_org_id, actor.org_id);
            if (!within) return within.error();
            known = in_scope.emplace(r.managing_org_id, *within).first;
        }
        if (auto ok = accounts::may_transition(known->second, actor, r, to, comment); !ok)
            return ok.error();
        const RequestState from = r.state;
        r.state = to;
        if (to == RequestState::rejected) r.reject_reason = comment;
        by_state[from].push_back(std::move(r));
    }
    std::vector<Request> moved;
    for (auto& [from, rs] : by_state) {
        if (auto s = workflow_.transition_all(rs, from, actor.username, comment); !s)
            return s.error();
        for (auto& r : rs) moved.push_back(std::move(r));
    }
    return moved;
}

Result<std::vector<std::int64_t>> RequestDesk::create_batches(const User& actor,
                                                              const std::string& org_id,
                                                              RequestKind kind,
                                                              const std::string& number,
                                                              const std::string& symbol) {
    if (!one_of(actor.role, {Role::unit_officer, Role::unit_head}))
        return accounts::role_refused(actor, "batch create", {Role::unit_officer, Role::unit_head});
    auto reg = current_registry();
    if (!reg) return reg.error();
    if (!org_id.empty()) {
        if (auto ok = check_party(*reg, actor, org_id, Party::batch); !ok) return ok.error();
        if (auto ok = check_not_ceased(*reg, org_id); !ok) return ok.error();
    }
    store::RequestFilter f;
    f.state = RequestState::approved;
    f.kind = kind;
    auto waiting = workflow_.requests(f);
    if (!waiting) return waiting.error();
    // A request stored under an organization that has ceased since goes into the letter of the
    // one carrying on its work (parties.h continuing_org); the ceased body issues nothing.
    std::map<std::pair<std::string, std::string>, std::vector<std::int64_t>> by_org_form;
    for (const Request& r : *waiting) {
        if (r.batch_id != 0 || !accounts::within_scope(*reg, r.managing_org_id, actor.org_id))
            continue;
        std::string issuer = continuing_org(*reg, r.managing_org_id);
        if (issuer.empty()) {
            if (auto ok = check_not_ceased(*reg, r.managing_org_id); !ok) return ok.error();
            issuer = r.managing_org_id;
        }
        if (!org_id.empty() && issuer != org_id) continue;  // --org: that issuer's letters only
        if (auto ok = check_party(*reg, actor, issuer, Party::batch); !ok) return ok.error();
        by_org_form[{issuer, form_of(r.kind, r.holder_type)}].push_back(r.id);
    }
    // A number given by hand names one letter: it is refused when several would be made
    // (several organizations or forms), and when its issuer already used it this year (store).
    if (!number.empty() && by_org_form.size() > 1) {
        std::string which;
        for (const auto& [org_form, ids] : by_org_form)
            which += (which.empty() ? "" : ", ") + org_form.first + " " + org_form.second;
        return make_error("batch.number_several", Location{"--number", 0, {}, {}},
                          {number, std::to_string(by_org_form.size()), which});
    }
    std::vector<std::int64_t> made;
    for (const auto& [org_form, ids] : by_org_form) {
        const auto& [org, form] = org_form;
        store::Batch b;
        b.org_id = org;
        b.kind = kind;
        b.form = form;
        b.level = "organization";
        b.number = number;
        b.symbol = symbol;
        auto id = workflow_.create_batch(b, ids, actor.username);
        if (!id) return id.error();
        made.push_back(*id);
    }
    return made;
}

Result<std::vector<std::int64_t>> RequestDesk::submit_batch(const User& actor,
                                                            std::int64_t batch_id) {
    auto reg = current_registry();
    if (!reg) return reg.error();
    store::RequestFilter f;
    f.batch_id = batch_id;  // 0: every batch
    if (batch_id == 0) f.state = RequestState::approved;
    auto requests = workflow_.requests(f);
    if (!requests) return requests.error();
    std::vector<Request> moving;
    for (Request& r : *requests) {
        if (batch_id == 0 &&
            (r.batch_id == 0 || !accounts::within_scope(*reg, r.managing_org_id, actor.org_id)))
            continue;
        if (auto ok = accounts::may_transition(*reg, actor, r, RequestState::submitted); !ok)
            return ok.error();
        r.state = RequestState::submitted;
        moving.push_back(std::move(r));
    }
    if (moving.empty()) {
        if (batch_id == 0) return make_error("request.nothing_to_submit", Location{}, {});
        return make_error("request.empty_batch", Location{}, {std::to_string(batch_id)});
    }
    std::set<std::int64_t> batches;
    for (const Request& r : moving) batches.insert(r.batch_id);
    std::string list;
    for (const auto id : batches) list += (list.empty() ? "" : ", ") + std::to_string(id);
    if (auto s =
            workflow_.transition_all(moving, RequestState::approved, actor.username,
                                     message(batches.size() == 1 ? "request.submitted_comment"
                                                                 : "request.submitted_all_comment",
                                             {list}, false));
        !s)
        return s.error();
    return std::vector<std::int64_t>(batches.begin(), batches.end());
}

Result<std::int64_t> RequestDesk::combine_batches(const User& actor, const std::string& form,
                                                  const std::string& issuer_org,
                                                  const std::string& number,
                                                  const std::string& symbol) {
    if (actor.role != Role::dost_operator)
        return accounts::role_refused(actor, "batch combine", {Role::dost_operator});
    auto reg = current_registry();
    if (!reg) return reg.error();
    // The letter goes out in the issuer's name: a DoST, in the operator's own scope.
    if (auto ok = check_party(*reg, actor, issuer_org, Party::issuer); !ok) return ok.error();
    store::RequestFilter f;
    f.state = RequestState::submitted;
    auto submitted = workflow_.requests(f);
    if (!submitted) return submitted.error();
    std::map<std::int64_t, std::vector<Request>> by_batch;
    std::optional<RequestKind> kind;
    std::map<std::int64_t, std::optional<store::Batch>> batches;  // looked up once each
    for (Request& r : *submitted) {
        if (r.batch_id == 0 || !accounts::within_scope(*reg, r.managing_org_id, actor.org_id))
            continue;
        auto cached = batches.find(r.batch_id);
        if (cached == batches.end()) {
            auto b = workflow_.batch(r.batch_id);
            if (!b) return b.error();
            cached = batches.emplace(r.batch_id, std::move(*b)).first;
        }
        const std::optional<store::Batch>& b = cached->second;
        if (!b || b->form != form || b->parent_id != 0) continue;
        kind = b->kind;
        by_batch[r.batch_id].push_back(std::move(r));
    }
    if (by_batch.empty()) return make_error("request.nothing_to_combine", Location{}, {form});
    std::vector<std::int64_t> batch_ids;
    std::vector<Request> forwarding;
    for (auto& [id, rs] : by_batch) {
        batch_ids.push_back(id);
        for (Request& r : rs) {
            if (auto ok = accounts::may_transition(*reg, actor, r, RequestState::forwarded); !ok)
                return ok.error();
            r.state = RequestState::forwarded;
            forwarding.push_back(std::move(r));
        }
    }
    store::Batch province;
    province.org_id = issuer_org;
    province.kind = *kind;
    province.form = form;
    province.level = "province";
    province.number = number;
    province.symbol = symbol;
    auto id = workflow_.combine_batches(province, batch_ids, actor.username);
    if (!id) return id.error();
    if (auto s = workflow_.transition_all(
            forwarding, RequestState::submitted, actor.username,
            message("request.forwarded_comment", {std::to_string(*id)}, false));
        !s)
        return s.error();
    return *id;
}

Status RequestDesk::may_render(const User& actor, std::int64_t batch_id,
                               const std::string& receiver_id) {
    auto reg = current_registry();
    if (!reg) return reg.error();
    auto b = workflow_.batch(batch_id);
    if (!b) return b.error();
    if (!*b) return make_error("batch.unknown", Location{}, {std::to_string(batch_id)});
    if (auto ok = check_party(*reg, actor, (*b)->org_id, Party::batch); !ok) return ok;
    if (receiver_id.empty()) return Ok{};
    const Person* p = reg->person(receiver_id);
    if (p == nullptr) return make_error("batch.unknown_receiver", Location{}, {receiver_id});
    return check_party(*reg, actor, p->org_id, Party::receiver);
}

}  // namespace kyso::workflow

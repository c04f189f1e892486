// kyso reorg — the plan: what must be done for every certificate and device (FORMATS.md §3).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/registry.h"
#include "core/result.h"
#include "core/subject.h"
#include "reorg/replay.h"

namespace kyso::reorg {

enum class ActionKind { change_info, revoke, issue, review, return_device };
std::string_view to_string(ActionKind k);

// A subject the plan computed, kept compactly: the organization part is shared by everyone in
// the same organization; a person's CN and E point into the registry.
struct SubjectRef {
    std::shared_ptr<const Subject> base;  // organizations: the whole subject
    std::string_view cn;                  // people: full name
    std::string_view email;               // people: e-mail (omitted when empty)

    explicit operator bool() const { return base != nullptr; }
    Subject materialize() const;
    // The same RDNs (attribute names are canonical on both sides).
    bool operator==(const SubjectRef& other) const;
};

// One action. It refers to the registry it was planned from, which must outlive it.
struct PlanAction {
    ActionKind action = ActionKind::change_info;
    std::string certificate;  // serial; empty for issue / return_device
    std::string rule;         // section of the guiding letter: 1.1a, 1.1b, 1.1c, 1.2, 2.1, 2.2, 2.3
    std::string event;        // informative
    std::optional<HolderRef> holder;    // absent for return_device
    std::string reason;                 // revoke: RFC 5280 CRLReason name
    const Certificate* cert = nullptr;  // change_info: the certificate (its subject is the old one)
    SubjectRef source;                  // change_info: the old subject, when the subject column is
                                        // exactly what the registry gave before the events
    SubjectRef target;                  // change_info, issue: the new subject
    std::string device;                 // return_device
    std::vector<std::string> certificates;  // return_device, sorted as numbers

    // change_info: the subject column, parsed (FORMATS.md §3 `old_subject`).
    std::optional<Subject> old_subject() const;
    // change_info, issue: the subject computed from the final state.
    std::optional<Subject> new_subject() const;
};

struct PlanWarning {
    std::string code;  // subject_mismatch, value_too_long
    std::string certificate;
    std::optional<HolderRef> holder;
    std::string detail;
};

struct PlanSummary {
    std::size_t considered = 0, change_info = 0, revoke = 0, issue = 0, review = 0,
                return_device = 0, unchanged = 0, skipped = 0;
};

// A plan refers to the registry it was made from (certificates, names, e-mails): keep that
// registry alive while the plan is used.
struct Plan {
    Date as_of;
    PlanSummary summary;
    std::vector<PlanAction> actions;  // ordered as FORMATS.md §3 "Order"
    std::vector<PlanWarning> warnings;
};

// Replays the events and derives the plan. Pure: no I/O.
Result<Plan> make_plan(const Registry& registry, const std::vector<ReorgEvent>& events,
                       std::optional<Date> as_of = std::nullopt);
// The plan from a finished replay.
Plan derive_plan(const Registry& registry, const Replay& replay);

}  // namespace kyso::reorg

// kyso reorg — the plan: what must be done for every certificate and device (FORMATS.md §3).
#pragma once

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

struct PlanAction {
    ActionKind action = ActionKind::change_info;
    std::string certificate;             // serial; empty for issue / return_device
    std::string rule;                    // section of the guiding letter: 1.1a, 1.1b, 1.1c, 1.2, 2.1, 2.2, 2.3
    std::string event;                   // informative
    std::optional<HolderRef> holder;     // absent for return_device
    std::string reason;                  // revoke: RFC 5280 CRLReason name
    std::optional<Subject> old_subject;  // change_info
    std::optional<Subject> new_subject;  // change_info, issue
    std::string device;                  // return_device
    std::vector<std::string> certificates;  // return_device, sorted as numbers
};

struct PlanWarning {
    std::string code;  // subject_mismatch, value_too_long
    std::string certificate;
    std::optional<HolderRef> holder;
    std::string detail;
};

struct PlanSummary {
    std::size_t considered = 0, change_info = 0, revoke = 0, issue = 0, review = 0, return_device = 0,
                unchanged = 0, skipped = 0;
};

struct Plan {
    Date as_of;
    PlanSummary summary;
    std::vector<PlanAction> actions;   // ordered as FORMATS.md §3 "Order"
    std::vector<PlanWarning> warnings;
};

// Replays the events and derives the plan. Pure: no I/O.
Result<Plan> make_plan(const Registry& registry, const std::vector<ReorgEvent>& events,
                       std::optional<Date> as_of = std::nullopt);
// The plan from a finished replay.
Plan derive_plan(const Registry& registry, const Replay& replay);

}  // namespace kyso::reorg

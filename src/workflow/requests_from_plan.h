// kyso workflow — a plan turned into requests, one per action, under the organization that
// must send each (`kyso requests from-plan`).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/request.h"
#include "reorg/plan.h"
#include "reorg/replay.h"

namespace kyso::workflow {

struct FromPlan {
    std::vector<Request> requests;  // draft, grouped by managing organization then plan order
    std::size_t reviews = 0;        // `review` actions: someone must decide; no request made
    std::size_t unplaced = 0;       // actions no stored organization can send
};

// change_info → change_info (Mẫu 04), revoke → revoke with its RFC 5280 reason (Mẫu 05), issue
// → issue (Mẫu 02), return_device → device_handover. Each request's plan_key names its action
// and object ("revoke:5403A1…", "return_device:D17", "issue:N9"), so running from-plan again on
// the same or a later plan creates nothing twice.
//
// The managing organization (cơ quan quản lý trực tiếp) is the holder's organization after the
// events — the person's, or the organization certificate's owner — and, while it has ceased
// (dissolved, merged away), the one that carries on its work: its successor, else its superior;
// then up its superiors until `known` (an organization the store holds). A ceased organization
// never manages a request, even when the store holds it.
FromPlan requests_from_plan(const Registry& registry, const reorg::Replay& replay,
                            const reorg::Plan& plan,
                            const std::function<bool(std::string_view)>& known);

// The organization that sends the request for one action, by the rule above (issue: the new
// organization itself; return_device: the device's holder; the others: the action's holder and
// certificate); empty when no organization `known` can. For the plan as people read it
// (workflow/plan_table.h) as for requests_from_plan.
std::string sending_org(const Registry& registry, const reorg::Replay& replay,
                        const reorg::PlanAction& action,
                        const std::function<bool(std::string_view)>& known);

}  // namespace kyso::workflow

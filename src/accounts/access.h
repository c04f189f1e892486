// kyso accounts — who may move a request where (DOMAIN.md roles; issue: approval by the head of
// the managing organization, then DoST; rejection at any step with a reason; no one approves
// their own request).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/messages.h"
#include "core/registry.h"
#include "core/request.h"
#include "core/result.h"

namespace kyso::accounts {

// True when `org_id` is `root` or under it in the registry's current superior chain (an empty
// root is everything). A cycle or an unknown organization ends the walk.
bool within_scope(const Registry& registry, std::string_view org_id, std::string_view root);

// The allowed moves:
//   draft → validated      unit_officer, unit_head (and no error-level finding: the caller)
//   validated → approved   unit_head, not the request's creator
//   approved → submitted   unit_officer, unit_head (the letter goes to DoST)
//   submitted → forwarded  dost_operator (DoST sends it on to the national CA)
//   forwarded → completed  ca_operator (the national CA's answer)
//   any open → rejected    who acts at that step: unit_head (draft, validated),
//                          dost_operator (approved, submitted), ca_operator (forwarded);
//                          a reason is required
// Every actor must have the request's managing organization in their scope. Auditors and
// admins move nothing.
// Errors (access.refused; request.wrong_state, see below) name the actor, the role in words, the
// step, the request's state and the real reason: the role may not take the step (and which role
// does), the request is the actor's own, it is outside the actor's scope (which scope), it is
// finished, no such step.
Status may_transition(const Registry& registry, const User& actor, const Request& request,
                      RequestState to, std::string_view reason = {});
// The same with the scope already decided: `in_scope` is whether the request's managing
// organization lies in the actor's subtree (store::WorkflowStore::org_within, one query instead
// of the registry). A request not in a state the step starts from (finished, or no such step,
// e.g. approving a draft) is refused with request.wrong_state (HTTP 409), with the same words
// as access.refused.
Status may_transition(bool in_scope, const User& actor, const Request& request, RequestState to,
                      std::string_view reason = {});

// A role in words with its code, "thủ trưởng đơn vị (unit_head)" ("unit head (unit_head)" in
// English): what a refusal names.
std::string role_words(Role role, bool english = english_ui());

// access.role: `actor` may not do `what` (a command, "batch create"); the roles that may are
// named ("việc này do … làm"). Both languages filled.
Error role_refused(const User& actor, std::string_view what, std::initializer_list<Role> allowed);

}  // namespace kyso::accounts

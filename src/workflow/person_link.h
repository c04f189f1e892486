// kyso workflow — linking a user account to the registered person whose certificate signs it in
// over mutual TLS (issue 13 "Sign-in"; Sessions::sign_in_certificate). Set by an administrator.
#pragma once

#include <string>

#include "core/request.h"
#include "core/result.h"
#include "store/account_store.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::workflow {

// Links `username` to the person `person_id` ("" removes the link), audited user.person under
// `actor` with the person and the one before. Only an enabled administrator may
// (access.role); a scoped one only for a user whose scope is within its own and a person of an
// organization within it (account.user_out_of_scope, access.party_out_of_scope).
// Errors of the store: store.user_unknown, store.person_unknown, store.person_linked.
Status link_person(store::Store& registry, store::WorkflowStore& workflow,
                   store::AccountStore& accounts, const User& actor, const std::string& username,
                   const std::string& person_id);

}  // namespace kyso::workflow

// kyso accounts — signing in: a username and password checked against the stored accounts.
// The CLI (--as) and the coming HTTP server both go through here.
#pragma once

#include <string>

#include "core/request.h"
#include "core/result.h"
#include "store/workflow_store.h"

namespace kyso::accounts {

// The user of `users` named `username`, when `password` matches its argon2id hash (auth.failed
// otherwise: it does not say which part was wrong, and an unknown user costs the same time);
// auth.disabled for a disabled account with the right password.
Result<User> sign_in(store::WorkflowStore& users, const std::string& username,
                     const std::string& password);

}  // namespace kyso::accounts

// kyso accounts — user accounts (issue 11 "Real accounts"): adding users, changing their role or
// scope, disabling and enabling them, resetting passwords. Only an administrator changes
// accounts (the first user of an empty database is its administrator); every change is one
// transaction with its audit entry under the real actor, and the password or its hash never
// reaches the log. The CLI and the coming HTTP server both go through here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/request.h"
#include "core/result.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::accounts {

// Where a user may act: one organization and those under it, or everything.
struct Scope {
    std::string org_id;  // must name a stored organization
    bool all = false;    // global: only admin, auditor and ca_operator (--scope all)
};

// Whether `role` may have `scope`: exactly one of org_id and all (account.scope_both,
// account.scope_missing); org_id a stored organization (request.unknown_org); all only for
// admin, auditor and ca_operator (account.scope_all_role).
Status check_scope(const Registry& registry, Role role, const Scope& scope);

// Whether `username` may name a new account: 2–64 characters of lowercase ASCII letters, digits,
// '.', '_' and '-', starting with a letter or a digit (account.username_format); "kyso-setup"
// and every name starting with "system" are kyso's own audit actors (account.username_reserved).
// Existing accounts sign in as before.
Status check_username(std::string_view username);

// An administrator scoped to an organization (org_id non-empty) administers only that subtree:
// the scopes it gives lie within its own (access.party_out_of_scope) and are never --scope all
// (account.grant_all); the users it changes have a scope within its own, so a global user is out
// of its reach (account.user_out_of_scope); it changes neither its own role nor its own scope
// (account.own_scope). A global administrator (--scope all) may do all of it. A refusal writes
// nothing, not even an audit entry.
class Accounts {
public:
    Accounts(store::Store& registry, store::WorkflowStore& workflow)
        : registry_(registry), workflow_(workflow) {}

    // Adds `user` with `scope` and `password` (check_username, check_new_password). `actor` is the
    // signed-in administrator (access.role for another role), or nullopt on a database without
    // users: then the user must be an admin (account.first_admin) and is added only if still no
    // user exists when the write transaction starts (store.users_exist), audited as "kyso-setup".
    Result<User> add(const std::optional<User>& actor, User user, const Scope& scope,
                     std::string_view password);
    // An administrator's changes of an existing account (store.user_unknown otherwise), each
    // audited (user.role, user.scope, user.disable, user.enable, user.password_reset). A role
    // change keeps the scope, which must suit the new role (check_scope). None may leave the
    // database without an enabled administrator (store.last_admin).
    Status set_role(const User& actor, const std::string& username, Role role);
    Status set_scope(const User& actor, const std::string& username, const Scope& scope);
    Status set_disabled(const User& actor, const std::string& username, bool disabled);
    Status reset_password(const User& actor, const std::string& username,
                          std::string_view password);

private:
    Status require_admin(const User& actor, std::string_view what);
    Result<User> existing(const std::string& username);
    // account.own_scope when a scoped `actor` names itself.
    Status not_self(const User& actor, const std::string& username);
    // The existing user `username` (store.user_unknown), within a scoped actor's reach.
    Status in_reach(const User& actor, const std::string& username);

    store::Store& registry_;
    store::WorkflowStore& workflow_;
};

}  // namespace kyso::accounts

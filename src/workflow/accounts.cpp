// kyso workflow — user accounts: added, changed, disabled and reset by an administrator.
#include "workflow/accounts.h"

#include "core/messages.h"
#include "workflow/password.h"

namespace kyso::workflow {

Status check_scope(const Registry& registry, Role role, const Scope& scope) {
    const std::string role_name(to_string(role));
    if (!scope.org_id.empty() && scope.all)
        return make_error("account.scope_both", Location{}, {scope.org_id});
    if (scope.all) {
        if (role != Role::admin && role != Role::auditor && role != Role::ca_operator)
            return make_error("account.scope_all_role", Location{}, {role_name});
        return Ok{};
    }
    if (scope.org_id.empty()) return make_error("account.scope_missing", Location{}, {role_name});
    if (registry.org(scope.org_id) == nullptr)
        return make_error("request.unknown_org", Location{}, {scope.org_id});
    return Ok{};
}

Status Accounts::require_admin(const User& actor, std::string_view what) {
    if (actor.role != Role::admin || actor.disabled)
        return make_error("access.role", Location{}, {actor.username, to_string(actor.role), what});
    return Ok{};
}

Result<User> Accounts::existing(const std::string& username) {
    auto found = workflow_.find_user(username);
    if (!found) return found.error();
    if (!*found) return make_error("store.user_unknown", Location{}, {username});
    return (*found)->first;
}

Result<User> Accounts::add(const std::optional<User>& actor, User user, const Scope& scope,
                           std::string_view password) {
    if (actor) {
        if (auto ok = require_admin(*actor, "users add"); !ok) return ok.error();
    } else if (user.role != Role::admin) {
        return make_error("account.first_admin", Location{}, {});
    }
    auto reg = registry_.load_registry();
    if (!reg) return reg.error();
    if (auto ok = check_scope(*reg, user.role, scope); !ok) return ok.error();
    user.org_id = scope.all ? std::string() : scope.org_id;
    user.disabled = false;
    auto nfc = check_new_password(password, user.username);
    if (!nfc) return nfc.error();
    auto hash = hash_password(*nfc);
    if (!hash) return hash.error();
    if (!actor) return workflow_.add_first_user(user, *hash, "kyso-setup");
    return workflow_.add_user(user, *hash, actor->username);
}

Status Accounts::set_role(const User& actor, const std::string& username, Role role) {
    if (auto ok = require_admin(actor, "users set-role"); !ok) return ok;
    auto u = existing(username);
    if (!u) return u.error();
    auto reg = registry_.load_registry();
    if (!reg) return reg.error();
    if (auto ok = check_scope(*reg, role, Scope{u->org_id, u->org_id.empty()}); !ok) return ok;
    store::UserChange change;
    change.role = role;
    return workflow_.update_user(username, change, actor.username);
}

Status Accounts::set_scope(const User& actor, const std::string& username, const Scope& scope) {
    if (auto ok = require_admin(actor, "users set-scope"); !ok) return ok;
    auto u = existing(username);
    if (!u) return u.error();
    auto reg = registry_.load_registry();
    if (!reg) return reg.error();
    if (auto ok = check_scope(*reg, u->role, scope); !ok) return ok;
    store::UserChange change;
    change.org_id = scope.all ? std::string() : scope.org_id;
    return workflow_.update_user(username, change, actor.username);
}

Status Accounts::set_disabled(const User& actor, const std::string& username, bool disabled) {
    if (auto ok = require_admin(actor, disabled ? "users disable" : "users enable"); !ok) return ok;
    if (auto u = existing(username); !u) return u.error();
    store::UserChange change;
    change.disabled = disabled;
    return workflow_.update_user(username, change, actor.username);
}

Status Accounts::reset_password(const User& actor, const std::string& username,
                                std::string_view password) {
    if (auto ok = require_admin(actor, "users reset-password"); !ok) return ok;
    if (auto u = existing(username); !u) return u.error();
    auto nfc = check_new_password(password, username);
    if (!nfc) return nfc.error();
    auto hash = hash_password(*nfc);
    if (!hash) return hash.error();
    store::UserChange change;
    change.password_hash = std::move(*hash);
    return workflow_.update_user(username, change, actor.username);
}

}  // namespace kyso::workflow

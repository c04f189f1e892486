// kyso accounts — user accounts: added, changed, disabled and reset by an administrator.
#include "accounts/accounts.h"

#include "accounts/access.h"
#include "accounts/password.h"
#include "core/messages.h"

namespace kyso::accounts {

Status check_username(std::string_view username) {
    auto allowed = [](char c, bool first) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        return alnum || (!first && (c == '.' || c == '_' || c == '-'));
    };
    bool ok = username.size() >= 2 && username.size() <= 64;
    for (std::size_t i = 0; ok && i < username.size(); ++i) ok = allowed(username[i], i == 0);
    if (!ok) return make_error("account.username_format", Location{}, {});
    if (username == "kyso-setup" || username.starts_with("system"))
        return make_error("account.username_reserved", Location{}, {username});
    return Ok{};
}

namespace {

std::string scope_label(const std::string& org_id) {
    return org_id.empty() ? "*" : org_id;
}

// What an administrator scoped to an organization may give: an organization within its own
// scope (access.party_out_of_scope), never the whole register (account.grant_all). A global
// administrator (empty org_id) may give any scope.
Status grantable(const Registry& registry, const User& actor, const Scope& scope) {
    if (actor.org_id.empty()) return Ok{};
    if (scope.all)
        return make_error("account.grant_all", Location{}, {actor.username, actor.org_id});
    if (!within_scope(registry, scope.org_id, actor.org_id))
        return make_error("access.party_out_of_scope", Location{},
                          {message("party.user_org"), scope.org_id, actor.username, actor.org_id});
    return Ok{};
}

// Whether `target` lies within a scoped administrator's reach: its scope an organization within
// the actor's (a global user is out of reach: account.user_out_of_scope).
Status reachable(const Registry& registry, const User& actor, const User& target) {
    if (actor.org_id.empty()) return Ok{};
    if (target.org_id.empty() || !within_scope(registry, target.org_id, actor.org_id))
        return make_error(
            "account.user_out_of_scope", Location{},
            {target.username, scope_label(target.org_id), actor.username, actor.org_id});
    return Ok{};
}

}  // namespace

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
    if (actor.disabled) {  // the real reason: an administrator, but disabled
        return Error{"access.role",
                     message("access.role",
                             {actor.username, role_words(actor.role, false), what,
                              message("access.account_disabled", {}, false)},
                             false),
                     message("access.role",
                             {actor.username, role_words(actor.role, true), what,
                              message("access.account_disabled", {}, true)},
                             true),
                     Location{}};
    }
    if (actor.role != Role::admin) return role_refused(actor, what, {Role::admin});
    return Ok{};
}

Status Accounts::not_self(const User& actor, const std::string& username) {
    if (!actor.org_id.empty() && actor.username == username)
        return make_error("account.own_scope", Location{}, {actor.username, actor.org_id});
    return Ok{};
}

Status Accounts::in_reach(const User& actor, const std::string& username) {
    auto u = existing(username);
    if (!u) return u.error();
    if (actor.org_id.empty()) return Ok{};
    auto reg = registry_.load_registry();
    if (!reg) return reg.error();
    return reachable(*reg, actor, *u);
}

Result<User> Accounts::existing(const std::string& username) {
    auto found = workflow_.find_user(username);
    if (!found) return found.error();
    if (!*found) return make_error("store.user_unknown", Location{}, {username});
    return (*found)->first;
}

Result<User> Accounts::add(const std::optional<User>& actor, User user, const Scope& scope,
                           std::string_view password) {
    if (auto ok = check_username(user.username); !ok) return ok.error();
    if (actor) {
        if (auto ok = require_admin(*actor, "users add"); !ok) return ok.error();
    } else if (user.role != Role::admin) {
        return make_error("account.first_admin", Location{}, {});
    }
    auto reg = registry_.load_registry();
    if (!reg) return reg.error();
    if (auto ok = check_scope(*reg, user.role, scope); !ok) return ok.error();
    if (actor) {
        if (auto ok = grantable(*reg, *actor, scope); !ok) return ok.error();
    }
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
    if (auto ok = not_self(actor, username); !ok) return ok;
    auto u = existing(username);
    if (!u) return u.error();
    auto reg = registry_.load_registry();
    if (!reg) return reg.error();
    if (auto ok = reachable(*reg, actor, *u); !ok) return ok;
    if (auto ok = check_scope(*reg, role, Scope{u->org_id, u->org_id.empty()}); !ok) return ok;
    store::UserChange change;
    change.role = role;
    return workflow_.update_user(username, change, actor.username);
}

Status Accounts::set_scope(const User& actor, const std::string& username, const Scope& scope) {
    if (auto ok = require_admin(actor, "users set-scope"); !ok) return ok;
    if (auto ok = not_self(actor, username); !ok) return ok;
    auto u = existing(username);
    if (!u) return u.error();
    auto reg = registry_.load_registry();
    if (!reg) return reg.error();
    if (auto ok = reachable(*reg, actor, *u); !ok) return ok;
    if (auto ok = check_scope(*reg, u->role, scope); !ok) return ok;
    if (auto ok = grantable(*reg, actor, scope); !ok) return ok;
    store::UserChange change;
    change.org_id = scope.all ? std::string() : scope.org_id;
    return workflow_.update_user(username, change, actor.username);
}

Status Accounts::set_disabled(const User& actor, const std::string& username, bool disabled) {
    if (auto ok = require_admin(actor, disabled ? "users disable" : "users enable"); !ok) return ok;
    if (auto ok = in_reach(actor, username); !ok) return ok;
    store::UserChange change;
    change.disabled = disabled;
    return workflow_.update_user(username, change, actor.username);
}

Status Accounts::reset_password(const User& actor, const std::string& username,
                                std::string_view password) {
    if (auto ok = require_admin(actor, "users reset-password"); !ok) return ok;
    if (auto ok = in_reach(actor, username); !ok) return ok;
    auto nfc = check_new_password(password, username);
    if (!nfc) return nfc.error();
    auto hash = hash_password(*nfc);
    if (!hash) return hash.error();
    store::UserChange change;
    change.password_hash = std::move(*hash);
    return workflow_.update_user(username, change, actor.username);
}

}  // namespace kyso::accounts

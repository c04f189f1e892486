// kyso workflow — linking a user account to a registered person (certificate sign-in).
#include "workflow/person_link.h"

#include <nlohmann/json.hpp>

#include "core/messages.h"
#include "workflow/access.h"

namespace kyso::workflow {

Status link_person(store::Store& registry, store::WorkflowStore& workflow,
                   store::AccountStore& accounts, const User& actor, const std::string& username,
                   const std::string& person_id) {
    if (actor.disabled || actor.role != Role::admin)
        return role_refused(actor, "users link", {Role::admin});
    auto found = workflow.find_user(username);
    if (!found) return found.error();
    if (!*found) return make_error("store.user_unknown", Location{}, {username});
    const User& target = (*found)->first;
    if (!actor.org_id.empty()) {
        auto reg = registry.load_registry();
        if (!reg) return reg.error();
        if (target.org_id.empty() || !within_scope(*reg, target.org_id, actor.org_id))
            return make_error("account.user_out_of_scope", Location{},
                              {target.username, target.org_id.empty() ? "*" : target.org_id,
                               actor.username, actor.org_id});
        if (!person_id.empty()) {
            const Person* p = reg->person(person_id);
            if (p == nullptr) return make_error("store.person_unknown", Location{}, {person_id});
            if (p->org_id.empty() || !within_scope(*reg, p->org_id, actor.org_id))
                return make_error(
                    "access.party_out_of_scope", Location{},
                    {message("party.holder"), p->org_id, actor.username, actor.org_id});
        }
    }
    auto before = accounts.person_of(username);
    if (!before) return before.error();
    const nlohmann::json detail = {{"person_id", person_id}, {"was", *before}};
    return accounts.link_person(username, person_id,
                                {actor.username, "user.person", "user:" + username, detail.dump()});
}

}  // namespace kyso::workflow

// kyso accounts — who may move a request where.
#include "accounts/access.h"

#include <algorithm>
#include <initializer_list>
#include <vector>

#include "core/messages.h"

namespace kyso::accounts {

bool within_scope(const Registry& registry, std::string_view org_id, std::string_view root) {
    if (root.empty()) return true;
    std::string_view id = org_id;
    for (std::size_t steps = 0; steps <= registry.organizations.size() && !id.empty(); ++steps) {
        if (id == root) return true;
        const Organization* o = registry.org(id);
        if (o == nullptr) return false;
        id = o->current().superior_id;
    }
    return false;
}

namespace {

// Both languages of a message whose arguments are themselves words of the catalog: `args(en)`
// gives the arguments in that language.
template <typename Args>
Error bilingual(std::string_view code, Location where, Args args) {
    auto text = [&](bool en) {
        const std::vector<std::string> a = args(en);
        switch (a.size()) {
            case 3:
                return message(code, {a[0], a[1], a[2]}, en);
            case 4:
                return message(code, {a[0], a[1], a[2], a[3]}, en);
            case 5:
                return message(code, {a[0], a[1], a[2], a[3], a[4]}, en);
            default:
                return message(code, {a.at(0), a.at(1)}, en);
        }
    };
    return Error{std::string(code), text(false), text(true), std::move(where)};
}

std::string state_words(RequestState s, bool en) {
    return message("state." + std::string(to_string(s)), {}, en);
}

// "thủ trưởng đơn vị (unit_head) hoặc cán bộ đơn vị (unit_officer)".
std::string roles_words(const std::vector<Role>& roles, bool en) {
    std::string out;
    for (std::size_t i = 0; i < roles.size(); ++i) {
        if (i > 0) out += message("access.or", {}, en);
        out += role_words(roles[i], en);
    }
    return out;
}

// access.refused: `actor` may not take request `r` to `to`; `why(en)` is the reason.
// `code` request.wrong_state: the request is not in a state the step starts from (HTTP 409).
template <typename Why>
Error refused(const User& actor, const Request& r, RequestState to, Why why,
              std::string_view code = "access.refused") {
    return bilingual(code, Location{{}, 0, {}, std::to_string(r.id)}, [&](bool en) {
        return std::vector<std::string>{actor.username, role_words(actor.role, en),
                                        message("step." + std::string(to_string(to)), {}, en),
                                        state_words(r.state, en), why(en)};
    });
}

auto plain(std::string_view code) {
    return [code](bool en) { return message(code, {}, en); };
}

}  // namespace

std::string role_words(Role role, bool english) {
    const std::string code(to_string(role));
    return message("role." + code, {}, english) + " (" + code + ")";
}

Error role_refused(const User& actor, std::string_view what, std::initializer_list<Role> allowed) {
    const std::vector<Role> roles(allowed);
    return bilingual("access.role", Location{}, [&](bool en) {
        return std::vector<std::string>{
            actor.username, role_words(actor.role, en), std::string(what),
            roles.empty() ? std::string()
                          : message("access.who_does", {roles_words(roles, en)}, en)};
    });
}

Status may_transition(const Registry& registry, const User& actor, const Request& r,
                      RequestState to, std::string_view reason) {
    return may_transition(within_scope(registry, r.managing_org_id, actor.org_id), actor, r, to,
                          reason);
}

Status may_transition(bool in_scope, const User& actor, const Request& r, RequestState to,
                      std::string_view reason) {
    using S = RequestState;
    if (is_final(r.state))
        return refused(actor, r, to, plain("access.final"), "request.wrong_state");
    std::vector<Role> allowed;
    auto allow = [&](std::initializer_list<Role> roles) { allowed.assign(roles); };
    if (to == S::rejected) {
        if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos)
            return refused(actor, r, to, plain("access.reason_required"));
        if (r.state == S::draft || r.state == S::validated) allow({Role::unit_head});
        if (r.state == S::approved || r.state == S::submitted) allow({Role::dost_operator});
        if (r.state == S::forwarded) allow({Role::ca_operator});
    } else if (r.state == S::draft && to == S::validated) {
        allow({Role::unit_officer, Role::unit_head});
    } else if (r.state == S::validated && to == S::approved) {
        allow({Role::unit_head});
    } else if (r.state == S::approved && to == S::submitted) {
        allow({Role::unit_officer, Role::unit_head});
    } else if (r.state == S::submitted && to == S::forwarded) {
        allow({Role::dost_operator});
    } else if (r.state == S::forwarded && to == S::completed) {
        allow({Role::ca_operator});
    } else {
        return refused(
            actor, r, to,
            [&](bool en) {
                return message("access.no_such_step",
                               {state_words(r.state, en), state_words(to, en)}, en);
            },
            "request.wrong_state");
    }
    // The role first: an officer who may not approve is told so, whoever made the request.
    if (std::find(allowed.begin(), allowed.end(), actor.role) == allowed.end()) {
        return refused(actor, r, to, [&](bool en) {
            return message(
                "access.wrong_role",
                {role_words(actor.role, en), message("step." + std::string(to_string(to)), {}, en),
                 roles_words(allowed, en), state_words(r.state, en)},
                en);
        });
    }
    if (to == S::approved && actor.username == r.created_by)
        return refused(actor, r, to, [&](bool en) {
            return message("access.own_request", {actor.username}, en);
        });
    if (!in_scope) {
        return refused(actor, r, to, [&](bool en) {
            return message("access.out_of_scope", {r.managing_org_id, actor.org_id}, en);
        });
    }
    return Ok{};
}

}  // namespace kyso::accounts

// kyso server — user accounts, for administrators only, through accounts::Accounts exactly as
// `kyso users` calls it (a scoped administrator reaches only its subtree; every change audited):
// list, add, role, scope, disable, enable, password reset, and the link to a registered person
// (certificate sign-in).
#include "accounts/accounts.h"
#include "accounts/person_link.h"
#include "core/messages.h"
#include "core/registry.h"
#include "server/fields.h"
#include "server/records.h"
#include "server/routes.h"
#include "store/account_store.h"

namespace kyso::server {

namespace {

using nlohmann::json;

const std::vector<std::string> kRoleNames = {"unit_officer", "unit_head", "dost_operator",
                                             "ca_operator",  "auditor",   "admin"};

accounts::Accounts accounts_of(Context& ctx) {
    return accounts::Accounts(*ctx.stores.registry, *ctx.stores.workflow);
}

const std::vector<std::string> kSortKeys = {"id", "username", "role"};

// Users whose scope lies in the caller's subtree (a scoped administrator does not see users of
// global scope), in the database (store UserQuery).
Response list(Context& ctx) {
    store::UserQuery q;
    if (auto ok = read_list_query(ctx, q); !ok) return ctx.fail(ok.error());
    if (auto r = ctx.query_value("role")) {
        q.role = parse_role(*r);
        if (!q.role)
            return ctx.fail(
                400, "server.query_value",
                {"role", *r, "unit_officer, unit_head, dost_operator, ca_operator, auditor, admin"},
                "role");
    }
    auto page = ctx.stores.workflow->list_users(q);
    if (!page) return ctx.fail(page.error());
    return Response::json(list_page_body(*page, user_json));
}

Result<Role> role_field(const json& body) {
    auto r = string_field(body, "role", true, 32);
    if (!r) return r.error();
    auto role = parse_role(*r);
    if (!role)
        return make_error(
            "server.field_value", Location{{}, 0, "role", {}},
            {"role", *r, "unit_officer, unit_head, dost_operator, ca_operator, auditor, admin"});
    return *role;
}

// {"org_id": "…"} or {"scope_all": true}.
Result<accounts::Scope> scope_field(const json& body) {
    auto org = string_field(body, "org_id", false, 200);
    if (!org) return org.error();
    auto all = bool_field(body, "scope_all");
    if (!all) return all.error();
    return accounts::Scope{*org, all->value_or(false)};
}

Response add(Context& ctx) {
    if (auto ok = only_fields(ctx.body, {"username", "full_name", "role", "org_id", "scope_all",
                                         "position", "password"});
        !ok)
        return ctx.fail(ok.error());
    User u;
    auto name = string_field(ctx.body, "username", true, 64);
    if (!name) return ctx.fail(name.error());
    u.username = *name;
    auto full = string_field(ctx.body, "full_name", true, 200);
    if (!full) return ctx.fail(full.error());
    u.full_name = *full;
    auto role = role_field(ctx.body);
    if (!role) return ctx.fail(role.error());
    u.role = *role;
    auto position = string_field(ctx.body, "position", false, 200);
    if (!position) return ctx.fail(position.error());
    u.position = *position;
    auto scope = scope_field(ctx.body);
    if (!scope) return ctx.fail(scope.error());
    u.org_id = scope->org_id;
    auto password = string_field(ctx.body, "password", true, 1024);
    if (!password) return ctx.fail(password.error());
    auto added = accounts_of(ctx).add(ctx.user(), u, *scope, *password);
    if (!added) {
        const std::string& c = added.error().code;
        std::string field = c.rfind("password.", 0) == 0          ? "password"
                            : c.rfind("account.username", 0) == 0 ? "username"
                            : c == "store.user_exists"            ? "username"
                            : c.rfind("account.scope", 0) == 0 || c == "request.unknown_org"
                                ? "org_id"
                                : "";
        return ctx.fail(added.error(), 0, field);
    }
    Response r = Response::json(user_json(*added), 201);
    r.headers["Location"] = "/api/v1/users/" + added->username;
    return r;
}

// A user outside a scoped administrator's reach is answered as one that does not exist (404
// store.user_unknown), so usernames elsewhere cannot be probed.
Error hidden(const Error& e, const std::string& username) {
    if (e.code == "account.user_out_of_scope")
        return make_error("store.user_unknown", Location{{}, 0, "username", {}}, {username});
    return e;
}

Response changed(Context& ctx, const Status& done, const std::string& field) {
    if (!done) {
        const Error e = hidden(done.error(), ctx.path("username"));
        return ctx.fail(e, 0, e.where.field.empty() ? field : "");
    }
    auto found = ctx.stores.workflow->find_user(ctx.path("username"));
    if (!found || !*found) return ctx.fail(500, "server.internal", {ctx.request_id});
    return Response::json(user_json((*found)->first));
}

Response set_role(Context& ctx) {
    if (auto ok = only_fields(ctx.body, {"role"}); !ok) return ctx.fail(ok.error());
    auto role = role_field(ctx.body);
    if (!role) return ctx.fail(role.error());
    return changed(ctx, accounts_of(ctx).set_role(ctx.user(), ctx.path("username"), *role), "role");
}

Response set_scope(Context& ctx) {
    if (auto ok = only_fields(ctx.body, {"org_id", "scope_all"}); !ok) return ctx.fail(ok.error());
    auto scope = scope_field(ctx.body);
    if (!scope) return ctx.fail(scope.error());
    return changed(ctx, accounts_of(ctx).set_scope(ctx.user(), ctx.path("username"), *scope),
                   "org_id");
}

Response set_disabled(Context& ctx, bool disabled) {
    return changed(ctx, accounts_of(ctx).set_disabled(ctx.user(), ctx.path("username"), disabled),
                   "username");
}

Response reset_password(Context& ctx) {
    if (auto ok = only_fields(ctx.body, {"password"}); !ok) return ctx.fail(ok.error());
    auto password = string_field(ctx.body, "password", true, 1024);
    if (!password) return ctx.fail(password.error());
    return changed(ctx,
                   accounts_of(ctx).reset_password(ctx.user(), ctx.path("username"), *password),
                   "password");
}

Response link_person(Context& ctx) {
    if (auto ok = only_fields(ctx.body, {"person_id"}); !ok) return ctx.fail(ok.error());
    auto person = string_field(ctx.body, "person_id", false, 200);
    if (!person) return ctx.fail(person.error());
    const std::string& username = ctx.path("username");
    if (auto ok = accounts::link_person(*ctx.stores.registry, *ctx.stores.workflow,
                                        *ctx.stores.accounts, ctx.user(), username, *person);
        !ok) {
        const std::string& c = ok.error().code;
        return ctx.fail(hidden(ok.error(), username), 0,
                        c == "store.user_unknown" || c == "account.user_out_of_scope"
                            ? "username"
                            : "person_id");
    }
    return Response::json({{"username", username}, {"person_id", *person}});
}

Route admin_route(Method m, std::string path, std::string summary, Handler h) {
    Route r;
    r.method = m;
    r.path = std::move(path);
    r.roles = {Role::admin};
    r.changes_state = m != Method::get;
    r.tag = "users";
    r.summary = std::move(summary);
    r.handler = std::move(h);
    if (r.path.find("{username}") != std::string::npos) {
        r.params = {Param{"username", "path", str_schema(), true, "the account"}};
        r.example_path = {{"username", "officer"}};
    }
    return r;
}

}  // namespace

void add_users_routes(RouteTable& t) {
    Route l = admin_route(Method::get, "/api/v1/users",
                          "User accounts within the administrator's reach", list);
    l.params = list_query_params(kSortKeys);
    l.params.push_back(Param{"role", "query", enum_schema(kRoleNames), false, "only this role"});
    l.response_schema = page_schema(user_schema());
    t.add(l);

    Route a = admin_route(Method::post, "/api/v1/users", "Add a user account", add);
    a.request_schema = object_schema({{"username", str_schema()},
                                      {"full_name", str_schema()},
                                      {"role", enum_schema(kRoleNames)},
                                      {"org_id", str_schema()},
                                      {"scope_all", bool_schema()},
                                      {"position", str_schema()},
                                      {"password", str_schema()}},
                                     {"username", "full_name", "role", "password"});
    a.response_schema = user_schema();
    a.success_status = 201;
    a.example_body = {{"username", "new.user"},
                      {"full_name", "x"},
                      {"role", "auditor"},
                      {"scope_all", true},
                      {"password", "mật khẩu đủ dài 2026"}};
    t.add(a);

    Route role =
        admin_route(Method::put, "/api/v1/users/{username}/role", "Change a user's role", set_role);
    role.request_schema = object_schema({{"role", enum_schema(kRoleNames)}}, {"role"});
    role.response_schema = user_schema();
    role.example_body = {{"role", "unit_head"}};
    t.add(role);

    Route scope = admin_route(Method::put, "/api/v1/users/{username}/scope",
                              "Change a user's scope (an organization, or all)", set_scope);
    scope.request_schema =
        object_schema({{"org_id", str_schema()}, {"scope_all", bool_schema()}}, {});
    scope.response_schema = user_schema();
    scope.example_body = {{"scope_all", true}};
    t.add(scope);

    Route dis = admin_route(Method::post, "/api/v1/users/{username}/disable", "Disable an account",
                            [](Context& ctx) { return set_disabled(ctx, true); });
    dis.response_schema = user_schema();
    t.add(dis);
    Route en = admin_route(Method::post, "/api/v1/users/{username}/enable", "Enable an account",
                           [](Context& ctx) { return set_disabled(ctx, false); });
    en.response_schema = user_schema();
    t.add(en);

    Route pw = admin_route(Method::put, "/api/v1/users/{username}/password",
                           "Reset a user's password", reset_password);
    pw.request_schema = object_schema({{"password", str_schema()}}, {"password"});
    pw.response_schema = user_schema();
    pw.example_body = {{"password", "mật khẩu đủ dài 2026"}};
    t.add(pw);

    Route person = admin_route(
        Method::put, "/api/v1/users/{username}/person",
        "Link the user to a registered person (certificate sign-in); empty unlinks", link_person);
    person.request_schema = object_schema({{"person_id", str_schema()}}, {"person_id"});
    person.response_schema = object_schema(
        {{"username", str_schema()}, {"person_id", str_schema()}}, {"username", "person_id"});
    person.example_body = {{"person_id", "x"}};
    t.add(person);
}

}  // namespace kyso::server

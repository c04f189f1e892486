// kyso server — sign-in and what a user does with their own account: POST/GET/DELETE
// /api/v1/session, certificate sign-in over mutual TLS, password change, API tokens. The rules
// (rate limits, timeouts, hashing, audit) are accounts::Sessions'.
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "accounts/sessions.h"
#include "server/auth.h"
#include "server/fields.h"
#include "server/records.h"
#include "server/routes.h"
#include "server/server_state.h"

namespace kyso::server {

namespace {

using nlohmann::json;

accounts::Sessions sessions_of(const Context& ctx) {
    return accounts::Sessions(*ctx.stores.registry, *ctx.stores.workflow, *ctx.stores.accounts,
                              ctx.state->options.sessions);
}

json session_schema() {
    return object_schema({{"user", user_schema()},
                          {"method", str_schema()},
                          {"csrf_token", str_schema()},
                          {"expires_at", int_schema()}},
                         {"user", "method", "csrf_token"});
}

// The answer to a sign-in: the user, the CSRF token, the session cookie.
Response signed_in(const Context& ctx, const accounts::SignedIn& s) {
    Response r = Response::json({{"user", user_json(s.user)},
                                 {"method", s.method},
                                 {"csrf_token", s.csrf_token},
                                 {"expires_at", s.expires_at}},
                                201);
    const long max_age = static_cast<long>(ctx.state->options.sessions.absolute_timeout.count());
    r.headers["Set-Cookie"] = session_cookie(s.session_token, ctx.state->tls, max_age);
    return r;
}

// A refused sign-in: 429 with Retry-After (seconds, RFC 9110 §10.2.3) when rate-limited, a
// 500 for a store error, 401 otherwise.
Response refused(const Context& ctx, const Error& e) {
    if (e.code != "auth.rate_limited") return ctx.fail(e, e.code.rfind("auth.", 0) == 0 ? 401 : 0);
    Response r = ctx.fail(e, 429);
    r.headers["Retry-After"] = e.where.id.empty() ? "60" : e.where.id;
    return r;
}

Response sign_in(Context& ctx) {
    if (auto ok = only_fields(ctx.body, {"username", "password"}); !ok) return ctx.fail(ok.error());
    auto username = string_field(ctx.body, "username", true, 64);
    if (!username) return ctx.fail(username.error());
    auto password = string_field(ctx.body, "password", true, 1024);
    if (!password) return ctx.fail(password.error());
    auto s = sessions_of(ctx).sign_in_password(*username, *password, ctx.peer_address);
    if (!s) return refused(ctx, s.error());
    return signed_in(ctx, *s);
}

Response sign_in_certificate(Context& ctx) {
    if (ctx.tls_peer_cert_pem.empty()) return ctx.fail(401, "auth.certificate_refused", {});
    BIO* bio = BIO_new_mem_buf(ctx.tls_peer_cert_pem.data(),
                               static_cast<int>(ctx.tls_peer_cert_pem.size()));
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        bio != nullptr ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr, X509_free);
    if (bio != nullptr) BIO_free(bio);
    if (!cert) return ctx.fail(401, "auth.certificate_refused", {});
    auto s = sessions_of(ctx).sign_in_certificate(cert.get(), ctx.peer_address);
    if (!s) return refused(ctx, s.error());
    return signed_in(ctx, *s);
}

Response who_am_i(Context& ctx) {
    return Response::json({{"user", user_json(ctx.user())},
                           {"method", ctx.principal.method},
                           {"csrf_token", ctx.principal.csrf_token}});
}

Response sign_out(Context& ctx) {
    if (ctx.principal.method == "session") {
        if (auto ok = sessions_of(ctx).sign_out(ctx.principal.session_token); !ok)
            return ctx.fail(ok.error());
    }
    Response r;
    r.status = 204;
    r.headers["Set-Cookie"] = session_cookie("", ctx.state->tls, 0);
    return r;
}

Response change_password(Context& ctx) {
    if (auto ok = only_fields(ctx.body, {"old_password", "new_password"}); !ok)
        return ctx.fail(ok.error());
    auto old_pw = string_field(ctx.body, "old_password", true, 1024);
    if (!old_pw) return ctx.fail(old_pw.error());
    auto new_pw = string_field(ctx.body, "new_password", true, 1024);
    if (!new_pw) return ctx.fail(new_pw.error());
    auto done =
        sessions_of(ctx).change_password(ctx.user(), *old_pw, *new_pw, ctx.principal.session_token);
    if (!done) {
        Error e = done.error();
        if (e.where.field.empty())
            e.where.field = e.code.rfind("password.", 0) == 0 || e.code == "auth.same_password"
                                ? "new_password"
                                : "old_password";
        const bool bad_input = e.code == "auth.failed" || e.code == "auth.old_password" ||
                               e.code == "auth.same_password";
        return ctx.fail(e, bad_input ? 400 : 0);
    }
    Response r;
    r.status = 204;
    return r;
}

json token_json(const store::ApiToken& t) {
    return {{"id", t.id},
            {"name", t.name},
            {"username", t.username},
            {"created_at", t.created_at},
            {"last_used_at", t.last_used_at == 0 ? json() : json(t.last_used_at)},
            {"revoked_at", t.revoked_at == 0 ? json() : json(t.revoked_at)}};
}

json token_schema() {
    return object_schema({{"id", int_schema()},
                          {"name", str_schema()},
                          {"username", str_schema()},
                          {"created_at", int_schema()},
                          {"last_used_at", {{"type", {"integer", "null"}}}},
                          {"revoked_at", {{"type", {"integer", "null"}}}}},
                         {"id", "name", "username", "created_at"});
}

Response list_tokens(Context& ctx) {
    auto ts = sessions_of(ctx).api_tokens(ctx.user());
    if (!ts) return ctx.fail(ts.error());
    json items = json::array();
    for (const auto& t : *ts) items.push_back(token_json(t));
    return Response::json({{"items", items}});
}

Response create_token(Context& ctx) {
    if (auto ok = only_fields(ctx.body, {"name"}); !ok) return ctx.fail(ok.error());
    auto name = string_field(ctx.body, "name", true, 100);
    if (!name) return ctx.fail(name.error());
    auto t = sessions_of(ctx).create_api_token(ctx.user(), *name);
    if (!t) return ctx.fail(t.error(), 0, "name");
    return Response::json({{"id", t->id}, {"name", *name}, {"token", t->token}}, 201);
}

Response revoke_token(Context& ctx) {
    auto id = ctx.path_id("id");
    if (!id) return ctx.fail(id.error());
    if (auto ok = sessions_of(ctx).revoke_api_token(ctx.user(), *id); !ok)
        return ctx.fail(ok.error());
    Response r;
    r.status = 204;
    return r;
}

Route route(Method m, std::string path, std::string summary, Handler h) {
    Route r;
    r.method = m;
    r.path = std::move(path);
    r.tag = "session";
    r.summary = std::move(summary);
    r.roles = kAllRoles;
    r.changes_state = m != Method::get;
    r.handler = std::move(h);
    return r;
}

}  // namespace

void add_session_routes(RouteTable& t) {
    Route in =
        route(Method::post, "/api/v1/session", "Sign in with a username and password", sign_in);
    in.is_public = true;
    in.roles = {};
    in.changes_state = false;  // no session yet: nothing to forge
    in.request_schema = object_schema({{"username", str_schema()}, {"password", str_schema()}},
                                      {"username", "password"});
    in.response_schema = session_schema();
    in.success_status = 201;
    in.example_body = {{"username", "example"}, {"password", "example-password"}};
    t.add(in);

    Route cert = route(Method::post, "/api/v1/session/certificate",
                       "Sign in with the client certificate of a mutual-TLS connection",
                       sign_in_certificate);
    cert.is_public = true;
    cert.roles = {};
    cert.changes_state = false;
    cert.response_schema = session_schema();
    cert.success_status = 201;
    t.add(cert);

    Route me = route(Method::get, "/api/v1/session",
                     "Who is signed in, and the CSRF token for state-changing requests", who_am_i);
    me.response_schema = object_schema(
        {{"user", user_schema()}, {"method", str_schema()}, {"csrf_token", str_schema()}},
        {"user", "method", "csrf_token"});
    t.add(me);

    Route out = route(Method::del, "/api/v1/session", "Sign out (ends this session)", sign_out);
    out.success_status = 204;
    t.add(out);

    Route pw = route(Method::put, "/api/v1/session/password",
                     "Change one's own password (other sessions end)", change_password);
    pw.request_schema =
        object_schema({{"old_password", str_schema()}, {"new_password", str_schema()}},
                      {"old_password", "new_password"});
    pw.success_status = 204;
    pw.example_body = {{"old_password", "x"}, {"new_password", "y"}};
    t.add(pw);

    Route lt = route(Method::get, "/api/v1/tokens", "One's own API tokens (never their values)",
                     list_tokens);
    lt.response_schema =
        object_schema({{"items", {{"type", "array"}, {"items", token_schema()}}}}, {"items"});
    t.add(lt);

    Route ct = route(Method::post, "/api/v1/tokens",
                     "A new API token for scripts: its value is shown once", create_token);
    ct.request_schema = object_schema({{"name", str_schema()}}, {"name"});
    ct.response_schema =
        object_schema({{"id", int_schema()}, {"name", str_schema()}, {"token", str_schema()}},
                      {"id", "name", "token"});
    ct.success_status = 201;
    ct.example_body = {{"name", "script"}};
    t.add(ct);

    Route rt = route(Method::del, "/api/v1/tokens/{id}",
                     "Revoke an API token (its owner or an administrator)", revoke_token);
    rt.success_status = 204;
    rt.params = {Param{"id", "path", {{"type", "integer"}}, true, "token id"}};
    rt.example_path = {{"id", "1"}};
    t.add(rt);
}

}  // namespace kyso::server

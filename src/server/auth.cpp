// kyso server — session cookies, API tokens and CSRF tokens on every request.
#include "server/auth.h"

#include <openssl/crypto.h>

#include "core/messages.h"
#include "server/server_state.h"
#include "workflow/sessions.h"

namespace kyso::server {

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        const std::size_t semi = header.find(';');
        std::string_view part = header.substr(0, semi);
        header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        const std::size_t eq = part.find('=');
        if (eq == std::string_view::npos) continue;
        if (part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
    }
    return std::nullopt;
}

std::string session_cookie(std::string_view token, bool secure, long max_age_s) {
    std::string c = std::string(kSessionCookie) + "=" + std::string(token) +
                    "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                    std::to_string(token.empty() ? 0 : max_age_s);
    if (secure) c += "; Secure";
    return c;
}

Result<Principal> authenticate(const ServerState& state, const Stores& stores,
                               std::string_view cookie_header, std::string_view authorization) {
    workflow::Sessions sessions(*stores.registry, *stores.workflow, *stores.accounts,
                                state.options.sessions);
    Principal p;
    constexpr std::string_view bearer = "Bearer ";
    if (!authorization.empty()) {
        if (authorization.substr(0, bearer.size()) != bearer)
            return make_error("auth.token_invalid", Location{}, {});
        auto s = sessions.sign_in_token(authorization.substr(bearer.size()));
        if (!s) return s.error();
        p.user = s->user;
        p.method = "token";
        return p;
    }
    if (auto token = cookie_value(cookie_header, kSessionCookie); token && !token->empty()) {
        auto s = sessions.resume(*token);
        if (!s) return s.error();
        p.user = s->user;
        p.method = "session";
        p.session_token = *token;
        p.csrf_token = s->csrf_token;
        return p;
    }
    return make_error("server.sign_in_needed", Location{}, {});
}

Status check_csrf(const Principal& principal, std::string_view presented) {
    if (principal.method != "session") return Ok{};
    const std::string& expected = principal.csrf_token;
    if (!expected.empty() && presented.size() == expected.size() &&
        CRYPTO_memcmp(presented.data(), expected.data(), expected.size()) == 0)
        return Ok{};
    return make_error("server.csrf", Location{{}, 0, "X-CSRF-Token", {}}, {});
}

}  // namespace kyso::server

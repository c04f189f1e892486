// kyso server — the auth middleware (issue 13 "Sign-in"): a request signs in with the session
// cookie `kyso_session` or with `Authorization: Bearer kyso_…` (an API token); a state-changing
// request under a cookie session must carry the session's CSRF token in `X-CSRF-Token`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "server/route.h"

namespace kyso::server {

inline constexpr std::string_view kSessionCookie = "kyso_session";

// The value of cookie `name` in a Cookie header ("a=1; kyso_session=xyz"), if present.
std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name);

// The Set-Cookie value that keeps a session: HttpOnly, SameSite=Strict, Path=/, Secure over TLS,
// Max-Age up to the session's absolute end. An empty token clears the cookie (Max-Age=0).
std::string session_cookie(std::string_view token, bool secure, long max_age_s);

// Who is calling: the Bearer token when given (auth.token_invalid, auth.disabled), else the
// session cookie (auth.session_expired, auth.disabled), else server.sign_in_needed. Never
// logs or returns a credential in an error.
Result<Principal> authenticate(const ServerState& state, const Stores& stores,
                               std::string_view cookie_header, std::string_view authorization);

// Whether a state-changing request may go on: always for an API token (no cookie, so no
// cross-site forgery); for a cookie session only when `presented` is its CSRF token
// (server.csrf otherwise).
Status check_csrf(const Principal& principal, std::string_view presented);

}  // namespace kyso::server

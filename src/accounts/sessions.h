// kyso accounts — signing in (issue 13 "Sign-in"): password and client-certificate sign-in into
// server-side sessions, their idle and absolute timeouts, CSRF tokens, sign-out, password
// change, API tokens for scripts, and the rate limit on failed sign-ins per account and per
// address. The HTTP server and the CLI both sign in through here. Raw session ids and tokens
// are only ever returned to the caller (for the cookie or to show once); the database holds
// their SHA-256 hashes (store/account_store.h).
#pragma once

#include <openssl/x509.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/request.h"
#include "core/result.h"
#include "store/account_store.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::accounts {

struct SessionPolicy {
    std::chrono::seconds idle_timeout{30 * 60};           // ends after this long unused
    std::chrono::seconds absolute_timeout{12 * 60 * 60};  // ends this long after sign-in
    int max_failures_per_account = 5;   // failed sign-ins of one account within the window
    int max_failures_per_address = 20;  // failed sign-ins from one address within the window
    std::chrono::seconds failure_window{15 * 60};
};

// A signed-in user and what the client keeps.
struct SignedIn {
    User user;
    std::string session_token;    // raw, for the cookie; empty for an API token
    std::string csrf_token;       // to send back with every state-changing request
    std::string method;           // "password", "certificate" or "token"
    std::int64_t expires_at = 0;  // Unix seconds: the absolute end (0 for an API token)
};

// An API token as created: its id and the raw value, shown once.
struct NewApiToken {
    std::int64_t id = 0;
    std::string token;  // "kyso_" + 43 characters of base64url (32 random bytes)
};

// Unix seconds now; tests inject their own.
using Clock = std::function<std::int64_t()>;
std::int64_t system_clock_now();

class Sessions {
public:
    Sessions(store::Store& registry, store::WorkflowStore& workflow, store::AccountStore& accounts,
             SessionPolicy policy = {}, Clock clock = system_clock_now);

    // Password sign-in of a local account into a new session. `address` is the client's
    // address ("" when not known, e.g. the CLI: then only the per-account limit applies).
    // Errors: auth.rate_limited {minutes to wait; where.id the seconds} when the account or the
    // address has reached its limit of failures within the window (checked before the password, and
    // audited); auth.failed — the same whether the user or the password was wrong — recorded
    // as a failure under "user:<name>" and "addr:<address>" and audited session.sign_in_failed
    // with the address (never the password); auth.disabled for a disabled account with the
    // right password. Success clears the account's failures and is audited session.sign_in.
    Result<SignedIn> sign_in_password(std::string_view username, std::string_view password,
                                      std::string_view address);

    // The same checks without creating a session (the CLI signs in for one command):
    // rate limit, failures recorded and audited; the success is not audited.
    Result<User> check_password(std::string_view username, std::string_view password,
                                std::string_view address);

    // Sign-in with a client certificate whose chain the TLS layer has verified to --client-ca.
    // It must be in the registry under its serial with the same fingerprint (or, when the
    // registry has no certificate file, the same subject), valid (not revoked), inside its
    // validity period now, held by a person, and that person linked to an enabled user.
    // Otherwise auth.certificate_refused, the reason only in the audit entry
    // (session.sign_in_failed, detail "reason": unknown, mismatch, revoked, expired,
    // not_yet_valid, not_a_person, not_linked, disabled). Refusals count against the address.
    Result<SignedIn> sign_in_certificate(X509* client_cert, std::string_view address);

    // The session of a raw token: its user as stored now, its last use moved to now.
    // auth.session_expired when unknown, idle longer than idle_timeout or older than
    // absolute_timeout (an expired session is deleted); auth.disabled when the user is disabled.
    Result<SignedIn> resume(std::string_view session_token);

    // Whether `presented` is the session's CSRF token (constant-time comparison).
    bool csrf_ok(const SignedIn& session, std::string_view presented) const;

    // Ends the session (audited session.sign_out); an unknown token is not an error.
    Status sign_out(std::string_view session_token);

    // The user's own password change: `old_password` must match (auth.failed), `new_password`
    // passes check_new_password. Ends every other session of the user (the one of
    // `keep_session_token`, when given, stays). Audited user.password_change.
    Status change_password(const User& user, std::string_view old_password,
                           std::string_view new_password, std::string_view keep_session_token = {});

    // A new API token for `user` named `name` (1–100 characters: auth.token_name), audited
    // token.create. The raw token is returned once and never stored.
    Result<NewApiToken> create_api_token(const User& user, std::string_view name);
    // The owner of a raw API token: auth.token_invalid when unknown or revoked, auth.disabled
    // when the owner is disabled. Moves its last use to now.
    Result<User> resume_api_token(std::string_view token);
    Result<SignedIn> sign_in_token(std::string_view token);  // the same as a SignedIn
    // The user's tokens (never their values), revoked ones too.
    Result<std::vector<store::ApiToken>> api_tokens(const User& user);
    // Revokes token `id`: its owner or an administrator may (auth.token_unknown for anyone
    // else, as for a token that does not exist). Audited token.revoke.
    Status revoke_api_token(const User& actor, std::int64_t id);

    // Deletes expired sessions and old failures (a server calls it now and then).
    Status purge();

    [[nodiscard]] const SessionPolicy& policy() const { return policy_; }

private:
    Status rate_limited(const std::string& username, const std::string& address,
                        std::string_view method);
    Status record_failure(const std::string& username, const std::string& address,
                          std::string_view method, std::string_view reason);
    Result<SignedIn> open_session(const User& user, std::string_view method,
                                  std::string_view address, std::string detail_extra);

    store::Store& registry_;
    store::WorkflowStore& workflow_;
    store::AccountStore& accounts_;
    SessionPolicy policy_;
    Clock clock_;
};

// The CSRF token of a session: base64url of SHA-256 over a fixed label and the raw session
// token, so it needs no storage and cannot be computed without the session token.
std::string csrf_token_of(std::string_view session_token);
// `bytes` random bytes (OpenSSL RAND_bytes) as base64url without padding; auth.random on failure.
Result<std::string> random_token(std::size_t bytes);

}  // namespace kyso::accounts

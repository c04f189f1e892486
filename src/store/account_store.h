// kyso store — the AccountStore interface (issue 13 "Sign-in"): server-side sessions, API tokens,
// sign-in failures for rate limiting, the link of a user to a registered person (certificate
// sign-in) and what certificate sign-in needs of a stored certificate. Kept in the database so
// that several `kyso serve` processes share them. Session ids and API tokens are stored only as
// SHA-256 hashes (lowercase hex): the database never holds a value that signs anyone in.
// Times are Unix seconds (UTC). No method throws.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/request.h"
#include "core/result.h"

namespace kyso::store {

// The audit entry written in the same transaction as a change (actor, action, object, detail
// JSON), as WorkflowStore::append_audit takes it.
struct AuditNote {
    std::string actor;
    std::string action;  // e.g. "session.sign_in"
    std::string object;  // e.g. "user:an.nv"
    std::string detail;  // JSON object text
};

// One server-side session (migration 0008 table `sessions`).
struct SessionRecord {
    std::int64_t id = 0;
    std::string token_hash;  // SHA-256 hex of the raw session token (the cookie's value)
    std::string username;
    std::string method;   // "password" or "certificate"
    std::string address;  // the client's address when it signed in ("" unknown)
    std::int64_t created_at = 0;
    std::int64_t last_seen_at = 0;  // moved by touch_session
    std::int64_t expires_at = 0;    // absolute end: created_at + the absolute timeout
};

// A session with its user as stored now (find_session): disabled, role and scope are current.
struct SessionWithUser {
    SessionRecord session;
    User user;
};

// An API token for scripts (table `api_tokens`); its hash is never handed out by listings.
struct ApiToken {
    std::int64_t id = 0;
    std::string name;      // the owner's label, e.g. "nightly import"
    std::string username;  // the owner
    std::int64_t created_at = 0;
    std::int64_t last_used_at = 0;  // 0: never used
    std::int64_t revoked_at = 0;    // 0: active
    std::string revoked_by;
};

struct TokenWithUser {
    ApiToken token;
    User user;
};

// Failed sign-ins under one key within a window (failures_since).
struct FailureCount {
    std::int64_t count = 0;
    std::int64_t oldest = 0;  // time of the oldest counted failure; 0 when count is 0
};

// What certificate sign-in compares with the presented certificate (table `certificates`).
struct StoredCertificate {
    std::string serial;       // FORMATS.md §1 normal form
    std::string holder_type;  // "person", "org" or "" (unlinked)
    std::string holder_id;
    std::string status;          // "valid" or "revoked"
    std::string subject_text;    // RFC 4514 as written
    std::string sha256_cert;     // lowercase hex SHA-256 of the DER; "" when the file is unknown
    std::string not_after_date;  // YYYY-MM-DD
    std::string revoked_on;
};

// One connection to the database (use it from one thread at a time; open one per thread).
// Every audited write is one transaction with its audit entry in the shared hash-chained log.
class AccountStore {
public:
    AccountStore() = default;
    AccountStore(const AccountStore&) = delete;
    AccountStore& operator=(const AccountStore&) = delete;
    virtual ~AccountStore() = default;

    // --- sessions ---
    // Stores a new session (its token_hash must be unique) with `note` audited in the same
    // transaction (session.sign_in). Returns its id. store.user_unknown when no such user.
    virtual Result<std::int64_t> create_session(const SessionRecord& session,
                                                const AuditNote& note) = 0;
    // The session whose token hashes to `token_hash`, with its user; nullopt when none.
    virtual Result<std::optional<SessionWithUser>> find_session(const std::string& token_hash) = 0;
    // Sets last_seen_at = `now` (not audited: it happens on every request).
    virtual Status touch_session(const std::string& token_hash, std::int64_t now) = 0;
    // Deletes one session (sign-out), audited with `note` when one was deleted; true if it was.
    virtual Result<bool> delete_session(const std::string& token_hash, const AuditNote& note) = 0;
    // Deletes every session of `username` except the one hashing to `keep_hash` ("" keeps none).
    // Returns how many were deleted. Not audited by itself (the caller's change is).
    virtual Result<std::int64_t> delete_user_sessions(const std::string& username,
                                                      const std::string& keep_hash) = 0;
    // Deletes the sessions past their absolute end (expires_at <= now) or idle since
    // `idle_before` (last_seen_at < idle_before). Returns how many.
    virtual Result<std::int64_t> purge_sessions(std::int64_t now, std::int64_t idle_before) = 0;

    // --- passwords ---
    // A user's own password change in one transaction: the new argon2id hash, the user's other
    // sessions deleted (all but `keep_hash`), audited with `note` (user.password_change; the hash
    // never goes into the detail). store.user_unknown when no such user.
    virtual Status change_password(const std::string& username, const std::string& password_hash,
                                   const std::string& keep_hash, const AuditNote& note) = 0;

    // --- API tokens ---
    // Stores `token` (id, revoked_* ignored) with the hash of its raw value, audited
    // (token.create). Returns its id. store.user_unknown when the owner is not a user.
    virtual Result<std::int64_t> add_token(const ApiToken& token, const std::string& token_hash,
                                           const AuditNote& note) = 0;
    // The token (revoked ones too: the caller refuses them) with its owner; nullopt when none.
    virtual Result<std::optional<TokenWithUser>> find_token(const std::string& token_hash) = 0;
    virtual Result<std::optional<ApiToken>> token(std::int64_t id) = 0;
    // Sets last_used_at (not audited).
    virtual Status touch_token(std::int64_t id, std::int64_t now) = 0;
    // The tokens of `username`, revoked ones too, by id.
    virtual Result<std::vector<ApiToken>> tokens(const std::string& username) = 0;
    // Marks the token revoked at `now` by note.actor, audited (token.revoke). store.token_unknown
    // when there is no such token; revoking a revoked token changes nothing and succeeds.
    virtual Status revoke_token(std::int64_t id, std::int64_t now, const AuditNote& note) = 0;

    // --- sign-in failures (rate limiting) ---
    // Records one failure at `at` under each key ("user:<name>", "addr:<ip>") and, in the same
    // transaction, `note` (session.sign_in_failed) when its action is not empty.
    virtual Status record_failures(const std::vector<std::string>& keys, std::int64_t at,
                                   const AuditNote& note) = 0;
    // The failures under `key` at or after `since`.
    virtual Result<FailureCount> failures_since(const std::string& key, std::int64_t since) = 0;
    // Forgets the failures under `key` (a successful sign-in of the account).
    virtual Status clear_failures(const std::string& key) = 0;
    // Forgets every failure older than `before`. Returns how many.
    virtual Result<std::int64_t> purge_failures(std::int64_t before) = 0;

    // --- users and people (certificate sign-in) ---
    // Links `username` to the registered person `person_id` ("" removes the link), audited
    // (user.person). Errors: store.user_unknown, store.person_unknown, store.person_linked (the
    // person is already linked to another user).
    virtual Status link_person(const std::string& username, const std::string& person_id,
                               const AuditNote& note) = 0;
    // The person linked to `username` ("" none); store.user_unknown when no such user.
    virtual Result<std::string> person_of(const std::string& username) = 0;
    // The user linked to `person_id`, nullopt when none.
    virtual Result<std::optional<User>> user_of_person(const std::string& person_id) = 0;
    // The stored certificate with this serial (FORMATS.md §1 normal form); nullopt when none.
    virtual Result<std::optional<StoredCertificate>> certificate(const std::string& serial) = 0;
    // The user `username` (as WorkflowStore::find_user without the hash); nullopt when none.
    virtual Result<std::optional<User>> user(const std::string& username) = 0;

    // An audit entry for something that changes nothing stored here (e.g. a refused
    // certificate sign-in).
    virtual Status append_audit(const AuditNote& note) = 0;
};

// Opens the account store at `location` ("sqlite:PATH" or a path; "postgresql://..." is not
// available yet: store.unsupported), migrating the database as open_store does.
Result<std::unique_ptr<AccountStore>> open_account_store(const std::string& location);

// Lowercase hex SHA-256 of a raw session id or API token: the only form stored.
std::string token_hash(std::string_view raw);

}  // namespace kyso::store

// kyso accounts — signing in: sessions, rate limit, password change, API tokens, certificates.
#include "accounts/sessions.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "accounts/access.h"
#include "accounts/password.h"
#include "accounts/sign_in.h"
#include "core/messages.h"
#include "core/subject.h"
#include "text/nfc.h"
#include "x509/certificate.h"
#include "x509/handles.h"

namespace kyso::accounts {

namespace {

// The audit actor of a sign-in that failed: nobody is signed in. Names starting with "system"
// are never usernames (check_username).
constexpr std::string_view kAnonymous = "system:sign-in";
// Bytes of a username kept in failure keys and audit entries (usernames have at most 64).
constexpr std::size_t kMaxNameBytes = 64;
constexpr std::size_t kMaxTokenName = 100;
constexpr std::size_t kTokenBytes = 32;
constexpr std::string_view kTokenPrefix = "kyso_";
// A session's or token's last use is written at most this often (seconds): not on every request.
constexpr std::int64_t kTouchEvery = 30;

std::string base64url(const unsigned char* data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    const int n =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<std::size_t>(n));
    while (!out.empty() && out.back() == '=') out.pop_back();
    std::replace(out.begin(), out.end(), '+', '-');
    std::replace(out.begin(), out.end(), '/', '_');
    return out;
}

// What of an untrusted name goes into keys and the audit log: at most kMaxNameBytes, valid
// UTF-8, no control characters.
std::string clean_name(std::string_view name) {
    std::string out(name.substr(0, kMaxNameBytes));
    if (!text::valid_utf8(out)) return "(invalid UTF-8)";
    std::erase_if(out, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
    return out;
}

// Failure keys are case-blind: "An.NV" and "an.nv" count together.
std::string account_key(const std::string& name) {
    std::string lower = name;
    for (char& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return "user:" + lower;
}

std::string json_text(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool same_bytes(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::int64_t system_clock_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Result<std::string> random_token(std::size_t bytes) {
    std::vector<unsigned char> buf(bytes);
    if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1)
        return make_error("auth.random", Location{}, {});
    return base64url(buf.data(), buf.size());
}

std::string csrf_token_of(std::string_view session_token) {
    static constexpr std::string_view kLabel = "kyso-csrf\n";
    std::string input(kLabel);
    input += session_token;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(input.data(), input.size(), digest, &size, EVP_sha256(), nullptr) != 1)
        return {};
    return base64url(digest, size);
}

Sessions::Sessions(store::Store& registry, store::WorkflowStore& workflow,
                   store::AccountStore& accounts, SessionPolicy policy, Clock clock)
    : registry_(registry),
      workflow_(workflow),
      accounts_(accounts),
      policy_(policy),
      clock_(clock ? std::move(clock) : Clock(system_clock_now)) {}

Status Sessions::rate_limited(const std::string& username, const std::string& address,
                              std::string_view method) {
    const std::int64_t now = clock_();
    const std::int64_t window = policy_.failure_window.count();
    std::int64_t wait = 0;
    auto check = [&](const std::string& key, int limit) -> Status {
        // Failures of the last `window` seconds: the oldest one stops counting `window` after it.
        auto f = accounts_.failures_since(key, now - window + 1);
        if (!f) return f.error();
        if (f->count >= limit) wait = std::max(wait, f->oldest + window - now);
        return Ok{};
    };
    if (!username.empty()) {
        if (auto s = check(account_key(username), policy_.max_failures_per_account); !s) return s;
    }
    if (!address.empty()) {
        if (auto s = check("addr:" + address, policy_.max_failures_per_address); !s) return s;
    }
    if (wait <= 0) return Ok{};
    const std::int64_t minutes = std::max<std::int64_t>(1, (wait + 59) / 60);
    store::AuditNote note{
        std::string(kAnonymous), "session.sign_in_failed",
        username.empty() ? "session" : "user:" + username,
        json_text({{"method", method}, {"address", address}, {"reason", "rate_limited"}})};
    if (auto s = accounts_.record_failures({}, now, note); !s) return s;
    // The seconds to wait in where.id, for the HTTP Retry-After header (RFC 9110 §10.2.3).
    return make_error("auth.rate_limited", Location{{}, 0, {}, std::to_string(wait)},
                      {std::to_string(minutes)});
}

Status Sessions::record_failure(const std::string& username, const std::string& address,
                                std::string_view method, std::string_view reason) {
    std::vector<std::string> keys;
    if (!username.empty()) keys.push_back(account_key(username));
    if (!address.empty()) keys.push_back("addr:" + address);
    store::AuditNote note{
        std::string(kAnonymous), "session.sign_in_failed",
        username.empty() ? "session" : "user:" + username,
        json_text({{"method", method}, {"address", address}, {"reason", reason}})};
    return accounts_.record_failures(keys, clock_(), note);
}

Result<SignedIn> Sessions::open_session(const User& user, std::string_view method,
                                        std::string_view address, std::string detail_extra) {
    auto token = random_token(kTokenBytes);
    if (!token) return token.error();
    const std::int64_t now = clock_();
    store::SessionRecord rec;
    rec.token_hash = store::token_hash(*token);
    rec.username = user.username;
    rec.method = std::string(method);
    rec.address = std::string(address);
    rec.created_at = now;
    rec.last_seen_at = now;
    rec.expires_at = now + policy_.absolute_timeout.count();
    nlohmann::json detail = {{"method", method}, {"address", address}};
    if (!detail_extra.empty()) detail["certificate"] = detail_extra;
    auto id = accounts_.create_session(
        rec, {user.username, "session.sign_in", "user:" + user.username, json_text(detail)});
    if (!id) return id.error();
    SignedIn out;
    out.user = user;
    out.session_token = std::move(*token);
    out.csrf_token = csrf_token_of(out.session_token);
    out.method = std::string(method);
    out.expires_at = rec.expires_at;
    return out;
}

Result<User> Sessions::check_password(std::string_view username_in, std::string_view password,
                                      std::string_view address_in) {
    const std::string username = clean_name(username_in);
    const std::string address = clean_name(address_in);
    if (auto s = rate_limited(username, address, "password"); !s) return s.error();
    // The password check itself (accounts::sign_in): the same answer and the same time whether
    // the user or the password was wrong.
    auto user = sign_in(workflow_, std::string(username_in), std::string(password));
    if (!user && user.error().code == "auth.failed") {
        if (auto s = record_failure(username, address, "password", "wrong_password"); !s)
            return s.error();
        return user.error();
    }
    if (!user && user.error().code == "auth.disabled") {
        // The right password: not a guess, so not counted; audited all the same.
        store::AuditNote note{
            std::string(kAnonymous), "session.sign_in_failed", "user:" + username,
            json_text({{"method", "password"}, {"address", address}, {"reason", "disabled"}})};
        if (auto s = accounts_.record_failures({}, clock_(), note); !s) return s.error();
        return user.error();
    }
    if (!user) return user.error();
    if (auto s = accounts_.clear_failures(account_key(username)); !s) return s.error();
    return user;
}

Result<SignedIn> Sessions::sign_in_password(std::string_view username, std::string_view password,
                                            std::string_view address) {
    auto user = check_password(username, password, address);
    if (!user) return user.error();
    return open_session(*user, "password", clean_name(address), {});
}

Result<SignedIn> Sessions::resume(std::string_view session_token) {
    if (session_token.empty() || session_token.size() > 256)
        return make_error("auth.session_expired", Location{}, {});
    const std::string hash = store::token_hash(session_token);
    auto found = accounts_.find_session(hash);
    if (!found) return found.error();
    if (!*found) return make_error("auth.session_expired", Location{}, {});
    const store::SessionRecord& s = (*found)->session;
    const User& user = (*found)->user;
    const std::int64_t now = clock_();
    const bool expired =
        now >= s.expires_at || now - s.last_seen_at >= policy_.idle_timeout.count();
    if (expired || user.disabled) {
        auto d = accounts_.delete_session(hash, {});  // not audited: it simply ended
        if (!d) return d.error();
        if (expired) return make_error("auth.session_expired", Location{}, {});
        return make_error("auth.disabled", Location{}, {user.username});
    }
    if (now - s.last_seen_at >= kTouchEvery) {
        if (auto t = accounts_.touch_session(hash, now); !t) return t.error();
    }
    SignedIn out;
    out.user = user;
    out.session_token = std::string(session_token);
    out.csrf_token = csrf_token_of(session_token);
    out.method = s.method;
    out.expires_at = s.expires_at;
    return out;
}

bool Sessions::csrf_ok(const SignedIn& session, std::string_view presented) const {
    if (session.session_token.empty() || presented.empty()) return false;
    return same_bytes(csrf_token_of(session.session_token), presented);
}

Status Sessions::sign_out(std::string_view session_token) {
    if (session_token.empty() || session_token.size() > 256) return Ok{};
    const std::string hash = store::token_hash(session_token);
    auto found = accounts_.find_session(hash);
    if (!found) return found.error();
    if (!*found) return Ok{};
    const std::string& name = (*found)->user.username;
    auto d = accounts_.delete_session(hash, {name, "session.sign_out", "user:" + name, "{}"});
    if (!d) return d.error();
    return Ok{};
}

Status Sessions::change_password(const User& user, std::string_view old_password,
                                 std::string_view new_password,
                                 std::string_view keep_session_token) {
    if (auto s = rate_limited(user.username, {}, "password_change"); !s) return s;
    auto found = workflow_.find_user(user.username);
    if (!found) return found.error();
    if (!*found) return make_error("store.user_unknown", Location{}, {user.username});
    if ((*found)->first.disabled) return make_error("auth.disabled", Location{}, {user.username});
    const std::string& stored = (*found)->second;
    if (!verify_password(old_password, stored)) {
        if (auto s = record_failure(user.username, {}, "password_change", "wrong_password"); !s)
            return s;
        return make_error("auth.old_password", Location{}, {});
    }
    auto nfc = check_new_password(new_password, user.username);
    if (!nfc) return nfc.error();
    if (verify_password(*nfc, stored)) return make_error("auth.same_password", Location{}, {});
    auto hash = hash_password(*nfc);
    if (!hash) return hash.error();
    const std::string keep =
        keep_session_token.empty() ? std::string() : store::token_hash(keep_session_token);
    return accounts_.change_password(
        user.username, *hash, keep,
        {user.username, "user.password_change", "user:" + user.username,
         json_text({{"other_sessions_ended", true}})});
}

Result<NewApiToken> Sessions::create_api_token(const User& user, std::string_view name_in) {
    const std::string name = text::valid_utf8(name_in) ? text::to_nfc(name_in) : std::string();
    const std::size_t chars = utf8_length(name);
    const bool blank = name.find_first_not_of(" \t\r\n") == std::string::npos;
    if (blank || chars > kMaxTokenName || std::any_of(name.begin(), name.end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x20;
        }))
        return make_error("auth.token_name", Location{}, {std::to_string(kMaxTokenName)});
    auto random = random_token(kTokenBytes);
    if (!random) return random.error();
    NewApiToken out;
    out.token = std::string(kTokenPrefix) + *random;
    store::ApiToken t;
    t.name = name;
    t.username = user.username;
    t.created_at = clock_();
    auto id = accounts_.add_token(t, store::token_hash(out.token),
                                  {user.username, "token.create", "", json_text({{"name", name}})});
    if (!id) return id.error();
    out.id = *id;
    return out;
}

Result<User> Sessions::resume_api_token(std::string_view token) {
    if (!token.starts_with(kTokenPrefix) || token.size() > 256)
        return make_error("auth.token_invalid", Location{}, {});
    auto found = accounts_.find_token(store::token_hash(token));
    if (!found) return found.error();
    if (!*found || (*found)->token.revoked_at != 0)
        return make_error("auth.token_invalid", Location{}, {});
    const User& user = (*found)->user;
    if (user.disabled) return make_error("auth.disabled", Location{}, {user.username});
    const std::int64_t now = clock_();
    if (now - (*found)->token.last_used_at >= kTouchEvery) {
        if (auto t = accounts_.touch_token((*found)->token.id, now); !t) return t.error();
    }
    return user;
}

Result<SignedIn> Sessions::sign_in_token(std::string_view token) {
    auto user = resume_api_token(token);
    if (!user) return user.error();
    SignedIn out;
    out.user = std::move(*user);
    out.method = "token";
    return out;
}

Result<std::vector<store::ApiToken>> Sessions::api_tokens(const User& user) {
    return accounts_.tokens(user.username);
}

Status Sessions::revoke_api_token(const User& actor, std::int64_t id) {
    auto t = accounts_.token(id);
    if (!t) return t.error();
    const auto unknown = [&] {
        return make_error("auth.token_unknown", Location{}, {std::to_string(id)});
    };
    if (!*t || actor.disabled) return unknown();
    if ((*t)->username != actor.username) {
        if (actor.role != Role::admin) return unknown();
        if (!actor.org_id.empty()) {  // a scoped administrator: owners within its scope only
            auto owner = accounts_.user((*t)->username);
            if (!owner) return owner.error();
            auto reg = registry_.load_registry();
            if (!reg) return reg.error();
            if (!*owner || (*owner)->org_id.empty() ||
                !within_scope(*reg, (*owner)->org_id, actor.org_id))
                return unknown();
        }
    }
    return accounts_.revoke_token(id, clock_(),
                                  {actor.username, "token.revoke", "token:" + std::to_string(id),
                                   json_text({{"owner", (*t)->username}, {"name", (*t)->name}})});
}

Status Sessions::purge() {
    const std::int64_t now = clock_();
    auto s = accounts_.purge_sessions(now, now - policy_.idle_timeout.count());
    if (!s) return s.error();
    auto f = accounts_.purge_failures(now - policy_.failure_window.count());
    if (!f) return f.error();
    return Ok{};
}

}  // namespace kyso::accounts

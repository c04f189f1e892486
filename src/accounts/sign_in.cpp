// kyso accounts — signing in: a username and password checked against the stored accounts.
#include "accounts/sign_in.h"

#include "accounts/password.h"
#include "core/messages.h"

namespace kyso::accounts {

Result<User> sign_in(store::WorkflowStore& users, const std::string& username,
                     const std::string& password) {
    auto found = users.find_user(username);
    if (!found) return found.error();
    // Verify against a hash of the same cost even for an unknown user, so the time taken does not
    // tell which part was wrong. A fixed one: hashing a fresh one would cost every sign-in an
    // argon2id run of its own.
    static const std::string kDummy =
        "$argon2id$v=19$m=65536,t=3,p=1$a3lzby1kdW1teS1zYWx0IQ$"
        "R/bkKFrVPHD9xpubjqiK0MMAoo8EMqIn01Y1aEOOeTE";
    const bool ok = verify_password(password, *found ? (*found)->second : kDummy);
    if (!*found || !ok) return make_error("auth.failed", Location{}, {username});
    // Said only to whoever knows the password: it tells nothing to someone guessing.
    if ((*found)->first.disabled) return make_error("auth.disabled", Location{}, {username});
    return (*found)->first;
}

}  // namespace kyso::accounts

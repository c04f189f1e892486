// kyso workflow — user passwords: argon2id hashes (PHC strings), never stored or logged in clear.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace kyso::workflow {

// Passwords shorter than this are refused (a clear error, not a weak account).
inline constexpr std::size_t kMinPasswordLength = 10;
inline constexpr std::size_t kMaxPasswordLength = 1024;

// argon2id with a random 16-byte salt: t=3, m=64 MiB, p=1 (RFC 9106's second recommended
// option), encoded as "$argon2id$v=19$m=65536,t=3,p=1$salt$hash".
Result<std::string> hash_password(std::string_view password);
// Constant-time verification against a stored PHC string.
bool verify_password(std::string_view password, const std::string& encoded);

}  // namespace kyso::workflow

// kyso accounts — user passwords: argon2id hashes (PHC strings), never stored or logged in clear.
// A password is used in its Unicode NFC form, so the same password typed on a keyboard that
// sends decomposed letters (NFD, e.g. "ê" + combining acute) signs in too.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace kyso::accounts {

// Passwords shorter than this many characters (Unicode code points after NFC) are refused.
inline constexpr std::size_t kMinPasswordLength = 10;
// Bytes: a bound on what is read and hashed, whatever the file or variable holds.
inline constexpr std::size_t kMaxPasswordLength = 1024;

// The password a user may choose, in NFC (issue 11 "Real accounts"): valid UTF-8
// (password.utf8), not blank or white space only (password.blank), at least kMinPasswordLength
// characters after NFC (password.too_short), at most kMaxPasswordLength bytes
// (password.too_long), not one character repeated (password.one_character), not the username
// (compared after NFC and Unicode case folding: password.is_username).
Result<std::string> check_new_password(std::string_view password, std::string_view username);

// argon2id with a random 16-byte salt: t=3, m=64 MiB, p=1 (RFC 9106's second recommended
// option), encoded as "$argon2id$v=19$m=65536,t=3,p=1$salt$hash", over the password's NFC
// form. Refuses passwords shorter than kMinPasswordLength characters or longer than
// kMaxPasswordLength bytes (check_new_password applies the other rules).
Result<std::string> hash_password(std::string_view password);
// Constant-time verification of the password's NFC form against a stored PHC string (and, for
// a hash made before passwords were normalized, of the bytes as typed).
bool verify_password(std::string_view password, const std::string& encoded);

}  // namespace kyso::accounts

// kyso workflow — user passwords: argon2id hashes (PHC strings), never stored or logged in clear.
#include "workflow/password.h"

#include <argon2.h>

#include <array>
#include <random>
#include <vector>

#include "core/messages.h"

namespace kyso::workflow {

namespace {
constexpr std::uint32_t kTime = 3;
constexpr std::uint32_t kMemoryKiB = 64 * 1024;
constexpr std::uint32_t kLanes = 1;
constexpr std::size_t kSalt = 16;
constexpr std::size_t kHash = 32;
}  // namespace

Result<std::string> hash_password(std::string_view password) {
    if (password.size() < kMinPasswordLength)
        return make_error("password.too_short", Location{}, {std::to_string(kMinPasswordLength)});
    if (password.size() > kMaxPasswordLength)
        return make_error("password.too_long", Location{}, {std::to_string(kMaxPasswordLength)});
    // std::random_device reads the kernel's CSPRNG (getrandom) with libstdc++ on Linux.
    std::array<unsigned char, kSalt> salt{};
    try {
        std::random_device rd;
        for (auto& b : salt) b = static_cast<unsigned char>(rd());
    } catch (const std::exception&) {
        return make_error("password.random", Location{}, {});
    }
    std::vector<char> encoded(
        argon2_encodedlen(kTime, kMemoryKiB, kLanes, kSalt, kHash, Argon2_id));
    const int rc =
        argon2id_hash_encoded(kTime, kMemoryKiB, kLanes, password.data(), password.size(),
                              salt.data(), salt.size(), kHash, encoded.data(), encoded.size());
    if (rc != ARGON2_OK) return make_error("password.hash", Location{}, {argon2_error_message(rc)});
    return std::string(encoded.data());
}

bool verify_password(std::string_view password, const std::string& encoded) {
    if (password.size() > kMaxPasswordLength || encoded.rfind("$argon2id$", 0) != 0) return false;
    return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace kyso::workflow

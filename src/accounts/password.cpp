// kyso accounts — user passwords: argon2id hashes (PHC strings), never stored or logged in clear.
#include "accounts/password.h"

#include <argon2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <random>
#include <vector>

#include "core/messages.h"
#include "text/nfc.h"

namespace kyso::accounts {

namespace {
constexpr std::uint32_t kTime = 3;
constexpr std::uint32_t kMemoryKiB = 64 * 1024;
constexpr std::uint32_t kLanes = 1;
constexpr std::size_t kSalt = 16;
constexpr std::size_t kHash = 32;

icu::UnicodeString unicode(std::string_view utf8) {
    return icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
}

// The checks every stored password passes: size in bytes, then characters after NFC.
Result<std::string> normalized(std::string_view password) {
    if (password.size() > kMaxPasswordLength)
        return make_error("password.too_long", Location{}, {std::to_string(kMaxPasswordLength)});
    if (!text::valid_utf8(password)) return make_error("password.utf8", Location{}, {});
    std::string nfc = text::to_nfc(password);
    const auto chars = static_cast<std::size_t>(unicode(nfc).countChar32());
    if (chars < kMinPasswordLength)
        return make_error("password.too_short", Location{}, {std::to_string(kMinPasswordLength)});
    return nfc;
}

bool argon2_matches(std::string_view password, const std::string& encoded) {
    return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace

Result<std::string> check_new_password(std::string_view password, std::string_view username) {
    if (password.size() <= kMaxPasswordLength && text::valid_utf8(password)) {
        const icu::UnicodeString u = unicode(password);
        bool blank = true;
        for (std::int32_t i = 0; i < u.length() && blank; i = u.moveIndex32(i, 1))
            blank = u_isUWhiteSpace(u.char32At(i)) != 0;
        if (blank) return make_error("password.blank", Location{}, {});
    }
    auto nfc = normalized(password);
    if (!nfc) return nfc.error();
    const icu::UnicodeString u = unicode(*nfc);
    bool one = true;
    const UChar32 first = u.char32At(0);
    for (std::int32_t i = 0; i < u.length() && one; i = u.moveIndex32(i, 1))
        one = u.char32At(i) == first;
    if (one) return make_error("password.one_character", Location{}, {});
    icu::UnicodeString folded = u;
    icu::UnicodeString name = unicode(text::to_nfc(username));
    if (folded.foldCase() == name.foldCase())
        return make_error("password.is_username", Location{}, {});
    return nfc;
}

Result<std::string> hash_password(std::string_view password) {
    auto nfc = normalized(password);
    if (!nfc) return nfc.error();
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
        argon2id_hash_encoded(kTime, kMemoryKiB, kLanes, nfc->data(), nfc->size(), salt.data(),
                              salt.size(), kHash, encoded.data(), encoded.size());
    if (rc != ARGON2_OK) return make_error("password.hash", Location{}, {argon2_error_message(rc)});
    return std::string(encoded.data());
}

bool verify_password(std::string_view password, const std::string& encoded) {
    if (password.size() > kMaxPasswordLength || encoded.rfind("$argon2id$", 0) != 0) return false;
    const std::string nfc = text::to_nfc(password);
    if (argon2_matches(nfc, encoded)) return true;
    // Hashes made before passwords were normalized hold the bytes as typed.
    return nfc != password && argon2_matches(password, encoded);
}

}  // namespace kyso::accounts

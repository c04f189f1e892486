// kyso text — Unicode normalization (ICU): kyso stores and writes NFC only.
#include "text/nfc.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace kyso::text {

namespace {

const icu::Normalizer2* nfc_instance() {
    UErrorCode status = U_ZERO_ERROR;
    static const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
    return U_SUCCESS(status) || n != nullptr ? n : nullptr;
}

}  // namespace

std::size_t ascii_prefix(std::string_view s) {
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, s.data() + i, 8);
        if ((word & 0x8080808080808080ull) != 0) break;
    }
    while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
    return i;
}

std::size_t first_control_char(std::string_view s) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    constexpr std::uint64_t kHighs = 0x8080808080808080ull;
    // Whether a byte of `w` is below 0x20 / equal to `c` (the usual SWAR tests; no false
    // negatives, and a hit only sends the eight bytes to the exact test below).
    auto below_space = [](std::uint64_t w) { return (w - kOnes * 0x20) & ~w & kHighs; };
    auto has = [](std::uint64_t w, std::uint8_t c) {
        const std::uint64_t v = w ^ (kOnes * c);
        return (v - kOnes) & ~v & kHighs;
    };
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            std::uint64_t w = 0;
            std::memcpy(&w, p + i, 8);
            if ((below_space(w) | has(w, 0x7F) | has(w, 0xC2)) == 0) {
                i += 8;
                continue;
            }
        }
        const std::size_t end = std::min(n, i + 8);
        for (; i < end; ++i) {
            const std::uint8_t b = p[i];
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') return i;
            if (b == 0x7F) return i;
            // C1 controls are U+0080..U+009F: C2 80..C2 9F in UTF-8.
            if (b == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F) return i;
        }
    }
    return std::string_view::npos;
}

std::string code_point_name(std::string_view s, std::size_t offset) {
    if (offset >= s.size()) return "U+?";
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    auto i = static_cast<std::int32_t>(offset);
    UChar32 c = 0;
    U8_NEXT(p, i, static_cast<std::int32_t>(s.size()), c);
    if (c < 0) return "U+?";
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
    return buf;
}

bool valid_utf8(std::string_view s) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    const auto n = static_cast<std::int32_t>(s.size());
    auto i = static_cast<std::int32_t>(ascii_prefix(s));  // ASCII runs are the common case
    while (i < n) {
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        UChar32 c = 0;
        U8_NEXT(p, i, n, c);
        if (c < 0) return false;
    }
    return true;
}

namespace {

// True when every code point of valid UTF-8 text is one whose NFC quick check is "yes" for sure:
// below U+0300 (Latin, no combining marks) or a precomposed letter of Latin Extended Additional
// (U+1E00–U+1EFF, where Vietnamese lives). Anything else goes to ICU.
bool surely_nfc(std::string_view s) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    const std::size_t n = s.size();
    auto cont = [&](std::size_t i) { return i < n && (p[i] & 0xC0) == 0x80; };
    for (std::size_t i = ascii_prefix(s); i < n;) {
        const std::uint8_t b = p[i];
        if (b < 0x80) {
            ++i;
        } else if (b >= 0xC2 && b < 0xCC && cont(i + 1)) {
            i += 2;  // U+0080..U+02FF: no combining marks (they start at U+0300, lead 0xCC)
        } else if (b == 0xE1 && i + 1 < n && p[i + 1] >= 0xB8 && p[i + 1] <= 0xBB && cont(i + 2)) {
            i += 3;  // U+1E00..U+1EFF: precomposed Vietnamese letters
        } else {
            return false;  // anything else, invalid UTF-8 included, takes the ICU path
        }
    }
    return true;
}

}  // namespace

bool is_nfc(std::string_view s) {
    if (surely_nfc(s)) return true;  // ASCII included
    if (!valid_utf8(s)) return false;
    UErrorCode status = U_ZERO_ERROR;
    const bool yes = nfc_instance()->isNormalizedUTF8(
        icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size())), status);
    return U_SUCCESS(status) && yes;
}

std::string to_nfc(std::string_view s) {
    std::string out(s);
    normalize_nfc(out);
    return out;
}

void normalize_nfc(std::string& s) {
    // surely_nfc also checks that the bytes are valid UTF-8; invalid bytes become U+FFFD
    // through ICU's conversion below.
    if (surely_nfc(s)) return;
    const icu::Normalizer2* n = nfc_instance();
    UErrorCode status = U_ZERO_ERROR;
    // Most stored text is already NFC: check the UTF-8 directly, without a UTF-16 copy.
    if (valid_utf8(s) &&
        n->isNormalizedUTF8(icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size())),
                            status) &&
        U_SUCCESS(status)) {
        return;
    }
    status = U_ZERO_ERROR;
    const icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size())));
    const icu::UnicodeString normalized = n->normalize(u, status);
    if (U_FAILURE(status)) return;
    s.clear();
    normalized.toUTF8String(s);
}

std::string fold_for_matching(std::string_view utf8) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
    if (nfd != nullptr && U_SUCCESS(status)) text = nfd->normalize(text, status);
    text.toLower(icu::Locale::getRoot());
    icu::UnicodeString out;
    bool space = false;
    for (std::int32_t i = 0; i < text.length();) {
        UChar32 c = text.char32At(i);
        i += U16_LENGTH(c);
        if (u_charType(c) == U_NON_SPACING_MARK) continue;
        if (u_isUWhiteSpace(c)) {
            space = !out.isEmpty();
            continue;
        }
        if (space) out.append(u' ');
        space = false;
        out.append(c == 0x0111 ? UChar32{'d'} : c);  // đ has no decomposition
    }
    std::string result;
    out.toUTF8String(result);
    return result;
}

std::string collapse_spaces(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

bool all_capitals(std::string_view utf8) {
    // Almost every name has a small ASCII letter: no need to ask ICU.
    if (std::any_of(utf8.begin(), utf8.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        return false;
    const icu::UnicodeString text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
    int capitals = 0;
    for (std::int32_t i = 0; i < text.length();) {
        const UChar32 c = text.char32At(i);
        i += U16_LENGTH(c);
        if (u_islower(c)) return false;
        if (u_isupper(c)) ++capitals;
    }
    return capitals >= 2;
}

std::string title_case(std::string_view utf8) {
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
    text.toTitle(nullptr, icu::Locale("vi"));
    std::string out;
    text.toUTF8String(out);
    return to_nfc(out);
}

}  // namespace kyso::text

// kyso text — Unicode normalization (ICU): kyso stores and writes NFC only.
#include "text/nfc.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>

namespace kyso::text {

namespace {

const icu::Normalizer2* nfc_instance() {
    UErrorCode status = U_ZERO_ERROR;
    static const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
    return U_SUCCESS(status) || n != nullptr ? n : nullptr;
}

bool ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

bool valid_utf8(std::string_view s) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    const auto n = static_cast<std::int32_t>(s.size());
    std::int32_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {  // ASCII runs are the common case
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
    for (std::size_t i = 0; i < n;) {
        const std::uint8_t b = p[i];
        if (b < 0x80) {
            ++i;
        } else if (b < 0xE0) {  // two bytes: U+0080..U+07FF; below U+0300 means lead byte < 0xCC
            if (b >= 0xCC) return false;
            i += 2;
        } else if (b == 0xE1 && i + 1 < n && p[i + 1] >= 0xB8 && p[i + 1] <= 0xBB) {
            i += 3;  // U+1E00..U+1EFF
        } else {
            return false;
        }
    }
    return true;
}

}  // namespace

bool is_nfc(std::string_view s) {
    if (ascii(s)) return true;
    if (!valid_utf8(s)) return false;
    if (surely_nfc(s)) return true;
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
    if (ascii(s)) return;
    if (!valid_utf8(s)) {
        // Invalid bytes become U+FFFD through ICU's conversion below.
    } else if (surely_nfc(s)) {
        return;
    }
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

}  // namespace kyso::text

// kyso text — Vietnamese typed in legacy encodings (TCVN3/ABC, VNI) or read with the wrong code
// page.
#include "text/legacy.h"

#include <iconv.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "text/nfc.h"

namespace kyso::text {

namespace {

std::vector<char32_t> code_points(std::string_view s) {
    std::vector<char32_t> out;
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    const auto n = static_cast<std::int32_t>(s.size());
    std::int32_t i = 0;
    while (i < n) {
        UChar32 c = 0;
        U8_NEXT(p, i, n, c);
        out.push_back(c < 0 ? 0xFFFD : static_cast<char32_t>(c));
    }
    return out;
}

// The Vietnamese letters beyond ASCII: đ and the vowels a ă â e ê i o ô ơ u ư y with each of
// the five tone marks (or none), precomposed, both cases.
const std::unordered_set<char32_t>& vietnamese_letters() {
    static const std::unordered_set<char32_t> letters = [] {
        std::unordered_set<char32_t> set{0x0111, 0x0110};
        const std::array<const char*, 12> vowels{"a", "ă", "â", "e", "ê", "i",
                                                 "o", "ô", "ơ", "u", "ư", "y"};
        const std::array<const char*, 6> tones{"",         "\xCC\x80", "\xCC\x81",
                                               "\xCC\x89", "\xCC\x83", "\xCC\xA3"};
        for (const char* v : vowels) {
            for (const char* t : tones) {
                const auto lower = code_points(to_nfc(std::string(v) + t));
                if (lower.size() == 1) set.insert(lower[0]);
            }
        }
        std::vector<char32_t> capitals;
        for (char32_t c : set)
            capitals.push_back(static_cast<char32_t>(u_toupper(static_cast<UChar32>(c))));
        set.insert(capitals.begin(), capitals.end());
        return set;
    }();
    return letters;
}

bool is_lower(char32_t c) {
    return u_islower(static_cast<UChar32>(c)) != 0;
}
bool is_upper(char32_t c) {
    return u_isupper(static_cast<UChar32>(c)) != 0;
}

// Windows-1252 bytes 0x80..0x9F (0 where the code page leaves the byte undefined).
constexpr std::array<char32_t, 32> kCp1252High{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

std::optional<std::string> to_cp1252_bytes(std::string_view utf8) {
    std::string bytes;
    for (char32_t c : code_points(utf8)) {
        if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) {
            bytes += static_cast<char>(c);
            continue;
        }
        // The five undefined bytes arrive as the C1 controls of the same value.
        if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D) {
            bytes += static_cast<char>(c);
            continue;
        }
        const auto* it = std::find(kCp1252High.begin(), kCp1252High.end(), c);
        if (c == 0 || it == kCp1252High.end()) return std::nullopt;
        bytes += static_cast<char>(0x80 + (it - kCp1252High.begin()));
    }
    return bytes;
}

std::optional<std::string> iconv_decode(const std::string& bytes, const char* from) {
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::unique_ptr<void, int (*)(iconv_t)> guard(cd, iconv_close);
    std::string in = bytes;
    std::string out(bytes.size() * 4 + 16, '\0');
    char* ip = in.data();
    std::size_t il = in.size();
    char* op = out.data();
    std::size_t ol = out.size();
    if (iconv(cd, &ip, &il, &op, &ol) == static_cast<std::size_t>(-1)) return std::nullopt;
    if (iconv(cd, nullptr, nullptr, &op, &ol) == static_cast<std::size_t>(-1)) return std::nullopt;
    out.resize(out.size() - ol);
    return out;
}

// VNI-Windows: a base letter followed by a mark byte (or a single byte for ơ ư đ and the tones
// of i, and ỵ). The table is built from its regular shape: lower case bytes below, upper case
// bytes 0x20 lower, as the fonts lay them out.
class VniTable {
public:
    VniTable() {
        const char* tones[6] = {"", "\xCC\x81", "\xCC\x80", "\xCC\x89", "\xCC\x83", "\xCC\xA3"};
        const unsigned char plain[6] = {0, 0xF9, 0xF8, 0xFB, 0xF5, 0xEF};
        const unsigned char circumflex[6] = {0xE2, 0xE1, 0xE0, 0xE5, 0xE3, 0xE4};
        const unsigned char breve[6] = {0xEA, 0xE9, 0xE8, 0xFA, 0xFC, 0xEB};
        auto add = [&](unsigned char base, const unsigned char* marks, const std::string& letter,
                       bool skip_dot) {
            for (int t = 0; t < 6; ++t) {
                if (skip_dot && t == 5) continue;
                std::string key(1, static_cast<char>(base));
                if (marks[t] != 0) key += static_cast<char>(marks[t]);
                insert(key, to_nfc(letter + tones[t]));
                // Upper case: base and mark 0x20 lower (ASCII bases: their capital).
                std::string upper(1,
                                  static_cast<char>(base >= 0x80 ? base - 0x20 : base - 'a' + 'A'));
                if (marks[t] != 0) upper += static_cast<char>(marks[t] - 0x20);
                insert(upper, capital(to_nfc(letter + tones[t])));
            }
        };
        add('a', plain, "a", false);
        add('a', circumflex, "â", false);
        add('a', breve, "ă", false);
        add('e', plain, "e", false);
        add('e', circumflex, "ê", false);
        add('o', plain, "o", false);
        add('o', circumflex, "ô", false);
        add(0xF4, plain, "ơ", false);
        add('u', plain, "u", false);
        add(0xF6, plain, "ư", false);
        add('y', plain, "y", true);
        const std::pair<unsigned char, const char*> singles[] = {
            {0xED, "í"}, {0xEC, "ì"}, {0xE6, "ỉ"}, {0xF3, "ĩ"},
            {0xF2, "ị"}, {0xEE, "ỵ"}, {0xF1, "đ"}};
        for (const auto& [byte, letter] : singles) {
            insert(std::string(1, static_cast<char>(byte)), letter);
            insert(std::string(1, static_cast<char>(byte - 0x20)), capital(letter));
        }
    }

    // Decodes Windows-1252 bytes typed in VNI; nullopt when a byte is not VNI.
    std::optional<std::string> decode(const std::string& bytes) const {
        std::string out;
        for (std::size_t i = 0; i < bytes.size();) {
            if (i + 1 < bytes.size()) {
                if (auto it = map_.find(bytes.substr(i, 2)); it != map_.end()) {
                    out += it->second;
                    i += 2;
                    continue;
                }
            }
            if (auto it = map_.find(bytes.substr(i, 1)); it != map_.end()) {
                out += it->second;
            } else if (static_cast<unsigned char>(bytes[i]) < 0x80) {
                out += bytes[i];
            } else {
                return std::nullopt;
            }
            ++i;
        }
        return out;
    }

private:
    static std::string capital(const std::string& utf8) {
        std::string out;
        for (char32_t c : code_points(utf8)) {
            const UChar32 u = u_toupper(static_cast<UChar32>(c));
            char buf[4];
            std::int32_t n = 0;
            UBool error = 0;
            U8_APPEND(reinterpret_cast<std::uint8_t*>(buf), n, 4, u, error);
            if (error) continue;  // not representable: cannot happen for these letters
            out.append(buf, static_cast<std::size_t>(n));
        }
        return out;
    }
    void insert(const std::string& key, const std::string& value) { map_.emplace(key, value); }

    std::unordered_map<std::string, std::string> map_;
};

bool has_capital(std::string_view utf8) {
    const auto cps = code_points(utf8);
    return std::any_of(cps.begin(), cps.end(), is_upper);
}

std::string to_nfd(std::string_view utf8) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    if (nfd == nullptr || U_FAILURE(status)) return std::string(utf8);
    const icu::UnicodeString text =
        nfd->normalize(icu::UnicodeString::fromUTF8(
                           icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size()))),
                       status);
    if (U_FAILURE(status)) return std::string(utf8);
    std::string out;
    text.toUTF8String(out);
    return out;
}

// Could be TCVN3 typed in a capitals font: its only capitals are those TCVN3 (VN3) has (ASCII
// and Ă Â Ê Ô Ơ Ư Đ; glibc's table also has VN1's toned capitals, which VN3 fonts never type),
// and each word carries at most one tone mark, as a Vietnamese syllable does.
bool typed_in_capitals_font(std::string_view utf8) {
    static const std::u32string kVn3Capitals = U"ĂÂÊÔƠƯĐ";
    for (char32_t c : code_points(utf8)) {
        if (c >= 0x80 && is_upper(c) && kVn3Capitals.find(c) == std::u32string::npos) return false;
    }
    int tones = 0;
    for (char32_t c : code_points(to_nfd(utf8))) {
        if (c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323) {
            if (++tones > 1) return false;
        } else if (u_isalpha(static_cast<UChar32>(c)) == 0 &&
                   u_getCombiningClass(static_cast<UChar32>(c)) == 0) {
            tones = 0;  // a space or punctuation ends the word
        }
    }
    return true;
}

icu::UnicodeString unicode(std::string_view utf8) {
    return icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
}

std::string utf8_nfc(const icu::UnicodeString& text) {
    std::string out;
    text.toUTF8String(out);
    return to_nfc(out);
}

std::string upper_case(std::string_view utf8) {
    icu::UnicodeString text = unicode(utf8);
    text.toUpper(icu::Locale("vi"));
    return utf8_nfc(text);
}

// A person: every word capitalized. An organization: its first letter only, as Vietnamese
// writes the names of bodies ("Sở tài chính"; proper names inside cannot be told apart).
std::string proper_case(std::string_view utf8, NameKind kind) {
    if (kind == NameKind::person) return title_case(utf8);
    icu::UnicodeString text = unicode(utf8);
    text.toLower(icu::Locale("vi"));
    for (std::int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
        const UChar32 c = text.char32At(i);
        if (u_isalpha(c) == 0) continue;
        text.replace(i, U16_LENGTH(c), static_cast<UChar32>(u_totitle(c)));
        break;
    }
    return utf8_nfc(text);
}

}  // namespace

bool plausible_vietnamese(std::string_view utf8) {
    if (!valid_utf8(utf8)) return false;
    const auto cps = code_points(utf8);
    for (std::size_t i = 0; i < cps.size(); ++i) {
        const char32_t c = cps[i];
        const bool ascii_ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                              (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '\'' ||
                              c == '.' || c == ',' || c == '(' || c == ')' || c == '/';
        if (!ascii_ok && !vietnamese_letters().count(c)) return false;
        if (i > 0 && is_upper(c) && is_lower(cps[i - 1])) return false;
    }
    return true;
}

std::optional<std::string> repair_legacy(std::string_view utf8, NameKind kind) {
    if (plausible_vietnamese(utf8)) return std::nullopt;
    const auto bytes = to_cp1252_bytes(utf8);
    if (!bytes) return std::nullopt;
    auto accept = [](std::optional<std::string> s) -> std::optional<std::string> {
        if (!s) return std::nullopt;
        std::string nfc = to_nfc(*s);
        if (!plausible_vietnamese(nfc)) return std::nullopt;
        return nfc;
    };
    if (valid_utf8(*bytes)) {
        if (auto r = accept(*bytes)) return r;
    }
    if (auto tcvn = iconv_decode(*bytes, "TCVN5712-1")) {
        const std::string nfc = to_nfc(*tcvn);
        const bool capitals_font = typed_in_capitals_font(nfc);
        if (plausible_vietnamese(nfc)) {
            if (capitals_font && !has_capital(nfc)) return proper_case(nfc, kind);
            return nfc;
        }
        if (std::string upper = upper_case(nfc); capitals_font && plausible_vietnamese(upper))
            return proper_case(upper, kind);
    }
    static const VniTable vni;  // glibc has no VNI table
    return accept(vni.decode(*bytes));
}

}  // namespace kyso::text

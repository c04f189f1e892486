// kyso core — value checks for identity numbers, phones, e-mails and certificate serials.
#include "core/values.h"

#include <algorithm>
#include <array>

namespace kyso {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_alnum(char c) {
    return is_digit(c) || is_alpha(c);
}

// FORMATS.md §5: CCCD province codes of the old 63 provinces (they do not change in 2025).
constexpr std::array<int, 63> kProvinceCodes{
    1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33,
    34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66,
    67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96};

}  // namespace

bool cccd_well_formed(std::string_view cccd) {
    return cccd.size() == 12 && std::all_of(cccd.begin(), cccd.end(), is_digit);
}

bool cccd_province_known(std::string_view cccd) {
    if (!cccd_well_formed(cccd)) return false;
    const int code = (cccd[0] - '0') * 100 + (cccd[1] - '0') * 10 + (cccd[2] - '0');
    return std::binary_search(kProvinceCodes.begin(), kProvinceCodes.end(), code);
}

bool cccd_matches_birth(std::string_view cccd, const Date& dob) {
    if (!cccd_well_formed(cccd)) return false;
    // 0/1: 1900s, 2/3: 2000s, 4/5: 2100s, 6/7: 2200s, 8/9: 2300s.
    const int century = 1900 + ((cccd[3] - '0') / 2) * 100;
    const int yy = (cccd[4] - '0') * 10 + (cccd[5] - '0');
    return dob.year == century + yy;
}

bool phone_valid(std::string_view p) {
    if (p.starts_with("+84")) {
        p.remove_prefix(3);
    } else if (p.starts_with("0")) {
        p.remove_prefix(1);
    } else {
        return false;
    }
    if (p.size() != 9 || !std::all_of(p.begin(), p.end(), is_digit)) return false;
    const char a = p[0];
    const char b = p[1];
    switch (a) {
        case '3':
            return b >= '2' && b <= '9';
        case '5':
            return b == '2' || b == '5' || b == '6' || b == '8' || b == '9';
        case '7':
            return b == '0' || (b >= '6' && b <= '9');
        case '8':
            return b >= '1' && b <= '9';
        case '9':
            return b != '5';
        default:
            return false;
    }
}

bool email_valid(std::string_view e) {
    const auto at = e.find('@');
    if (at == std::string_view::npos || at == 0) return false;
    for (char c : e.substr(0, at)) {
        if (!(is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-')) {
            return false;
        }
    }
    const std::string_view domain = e.substr(at + 1);
    // Labels of [A-Za-z0-9-]+ separated by single dots; at least two labels; last is alpha{2,}.
    std::size_t labels = 0;
    std::size_t start = 0;
    while (true) {
        const auto dot = domain.find('.', start);
        const std::string_view label = domain.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty()) return false;
        for (char c : label) {
            if (!(is_alnum(c) || c == '-')) return false;
        }
        ++labels;
        if (dot == std::string_view::npos) {
            return labels >= 2 && label.size() >= 2 &&
                   std::all_of(label.begin(), label.end(), is_alpha);
        }
        start = dot + 1;
    }
}

bool serial_valid(std::string_view s) {
    if (s.starts_with('-')) {
        s.remove_prefix(1);
        if (s == "00") return false;  // zero has no sign
    }
    if (s.empty() || s.size() % 2 != 0) return false;
    if (s.size() > 2 && s[0] == '0' && s[1] == '0') return false;  // an extra leading byte
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return is_digit(c) || (c >= 'A' && c <= 'F'); });
}

std::optional<std::string> normalize_serial(std::string_view text) {
    auto blank = [](char c) { return c == ' ' || c == '\t'; };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    bool negative = false;
    if (text.starts_with('-')) {
        negative = true;
        text.remove_prefix(1);
        while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    }
    if (text.starts_with("0x") || text.starts_with("0X")) text.remove_prefix(2);
    std::string digits;
    digits.reserve(text.size() + 2);
    for (char c : text) {
        if (c == ':' || blank(c)) continue;
        if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
        if (!(is_digit(c) || (c >= 'A' && c <= 'F'))) return std::nullopt;
        if (digits.empty() && c == '0') continue;  // leading zeros: the integer is the same
        digits += c;
    }
    if (text.empty() || text.find_first_not_of(": \t") == std::string_view::npos)
        return std::nullopt;
    if (digits.empty()) return std::string("00");  // zero, whatever sign was written
    std::string out;
    out.reserve(digits.size() + 2);
    if (negative) out += '-';
    if (digits.size() % 2 != 0) out += '0';
    out += digits;
    return out;
}

std::size_t serial_octets(std::string_view s) {
    if (!serial_valid(s)) return 0;
    if (s.starts_with('-')) s.remove_prefix(1);
    return s.size() / 2;
}

int compare_serials(std::string_view a, std::string_view b) {
    // Usually both are in normal form; anything else is normalized first.
    std::string a_norm, b_norm;
    if (!serial_valid(a)) {
        if (auto n = normalize_serial(a)) a = a_norm = std::move(*n);
    }
    if (!serial_valid(b)) {
        if (auto n = normalize_serial(b)) b = b_norm = std::move(*n);
    }
    const bool a_neg = a.starts_with('-');
    const bool b_neg = b.starts_with('-');
    if (a_neg != b_neg) return a_neg ? -1 : 1;
    if (a_neg) {
        a.remove_prefix(1);
        b.remove_prefix(1);
    }
    auto strip = [](std::string_view s) {
        while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
        return s;
    };
    a = strip(a);
    b = strip(b);
    int magnitude = 0;
    if (a.size() != b.size()) {
        magnitude = a.size() < b.size() ? -1 : 1;
    } else {
        const int c = a.compare(b);
        magnitude = c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    return a_neg ? -magnitude : magnitude;
}

}  // namespace kyso

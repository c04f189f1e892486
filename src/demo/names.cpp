// kyso demo — invented Vietnamese names: people, provinces, districts and communes (all NFC).
#include "demo/names.h"

#include <array>
#include <cstdint>

namespace kyso::demo {

namespace {

struct Weighted {
    std::string_view text;
    unsigned weight;
};

// Rough shares of the most common surnames (per mille); the tail shares the rest.
constexpr std::array<Weighted, 36> kSurnames{{
    {"Nguyễn", 370}, {"Trần", 110}, {"Lê", 95},    {"Phạm", 70}, {"Hoàng", 45}, {"Huỳnh", 40},
    {"Phan", 40},    {"Vũ", 35},    {"Võ", 35},    {"Đặng", 20}, {"Bùi", 20},   {"Đỗ", 15},
    {"Hồ", 13},      {"Ngô", 13},   {"Dương", 10}, {"Lý", 5},    {"Đinh", 5},   {"Trịnh", 5},
    {"Lương", 4},    {"Mai", 4},    {"Cao", 4},    {"Đoàn", 4},  {"Tạ", 3},     {"Hà", 4},
    {"Tô", 3},       {"Chu", 3},    {"Lâm", 3},    {"Kiều", 2},  {"Vương", 2},  {"Quách", 2},
    {"Thái", 2},     {"Triệu", 2},  {"Đào", 4},    {"La", 2},    {"Phùng", 2},  {"Lưu", 3},
}};

constexpr std::array<std::string_view, 25> kMaleMiddle{
    "Văn", "Hữu",   "Đức",  "Minh",  "Quang", "Công", "Thanh", "Xuân", "Ngọc",
    "Anh", "Tuấn",  "Đình", "Trọng", "Quốc",  "Mạnh", "Thế",   "Bá",   "Duy",
    "Gia", "Hoàng", "Tiến", "Việt",  "Trung", "Hải",  "Nhật"};
constexpr std::array<std::string_view, 20> kFemaleMiddle{
    "Ngọc", "Thu",   "Thanh", "Minh", "Phương", "Hồng", "Thúy", "Kim",   "Mai", "Bảo",
    "Diệu", "Khánh", "Hoài",  "Thùy", "Mỹ",     "Lan",  "Bích", "Quỳnh", "Hải", "Như"};
constexpr std::array<std::string_view, 58> kMaleGiven{
    "An",    "Anh",    "Bảo",   "Bình",  "Chiến", "Cường",  "Dũng",  "Duy",   "Đạt",  "Định",
    "Đông",  "Đức",    "Giang", "Hải",   "Hiếu",  "Hiệp",   "Hòa",   "Hoàng", "Hùng", "Huy",
    "Khải",  "Khang",  "Khánh", "Khoa",  "Kiên",  "Lâm",    "Lộc",   "Long",  "Luân", "Minh",
    "Nam",   "Nghĩa",  "Nhân",  "Phong", "Phúc",  "Phương", "Quân",  "Quang", "Quý",  "Sơn",
    "Tài",   "Tân",    "Thái",  "Thắng", "Thành", "Thịnh",  "Thuận", "Tiến",  "Toàn", "Trí",
    "Trung", "Trường", "Tú",    "Tuấn",  "Tùng",  "Việt",   "Vinh",  "Vũ"};
constexpr std::array<std::string_view, 47> kFemaleGiven{
    "An",     "Anh",   "Bích",  "Chi",  "Diệp", "Dung",  "Duyên", "Giang", "Hà",    "Hạnh",
    "Hằng",   "Hiền",  "Hoa",   "Hồng", "Huệ",  "Hương", "Huyền", "Lan",   "Liên",  "Linh",
    "Loan",   "Ly",    "Mai",   "My",   "Nga",  "Ngân",  "Ngọc",  "Nhàn",  "Nhung", "Oanh",
    "Phương", "Quyên", "Quỳnh", "Tâm",  "Thảo", "Thoa",  "Thu",   "Thủy",  "Thư",   "Trang",
    "Trinh",  "Tuyết", "Uyên",  "Vân",  "Vy",   "Xuân",  "Yến"};

// Invented for the demo; real province names are avoided so nobody mistakes the data.
constexpr std::array<std::string_view, 64> kProvinces{
    "Trường Sơn",  "Ngân Hà",   "Bích Động",  "Thanh Lâm",  "Phú Xuyên", "Vĩnh Hưng", "An Khê",
    "Hòa Lạc",     "Trà Lĩnh",  "Long Thành", "Đông Triều", "Nam Sơn",   "Bắc Hà",    "Quế Lâm",
    "Tam Đảo",     "Ba Vì",     "Hương Sơn",  "Ngàn Phố",   "Sông Đà",   "Sông Mã",   "Sông Cầu",
    "Lam Sơn",     "Hoành Sơn", "Thạch Hãn",  "Ngọc Lĩnh",  "Yên Thế",   "Đồng Văn",  "Mường Thanh",
    "Tân Cương",   "Cẩm Giang", "Phong Nha",  "Vân Đồn",    "Côn Sơn",   "Ngũ Hành",  "Hoàng Liên",
    "Bến Hải",     "Thu Bồn",   "Trà Khúc",   "Sa Huỳnh",   "Đà Rằng",   "Sông Hậu",  "Sông Tiền",
    "Lang Biang",  "Tây Sơn",   "Đông Sơn",   "Mộc Châu",   "Hoa Lư",    "Yên Tử",    "Kinh Bắc",
    "Thượng Ngàn", "Hồng Hà",   "Tuy An",     "Đại Lãnh",   "Ninh Chữ",  "Vàm Cỏ",    "Năm Căn",
    "U Minh",      "Thất Sơn",  "Cát Tiên",   "Lạc Dương",  "Hàm Rồng",  "Kỳ Sơn",    "Hương Trà",
    "Bạch Đằng"};

constexpr std::array<std::string_view, 44> kPlaceFirst{
    "Tân", "Phú", "Vĩnh",  "Hòa",   "An",    "Bình",  "Thạnh", "Long", "Mỹ",    "Đông",  "Tây",
    "Nam", "Bắc", "Trung", "Hưng",  "Thuận", "Quang", "Cẩm",   "Kim",  "Ngọc",  "Thạch", "Hương",
    "Yên", "Đại", "Xuân",  "Thanh", "Phước", "Hiệp",  "Tiên",  "Lạc",  "Hồng",  "Minh",  "Tam",
    "Đức", "Gia", "Hải",   "Sơn",   "Cát",   "Định",  "Hoàng", "Quế",  "Triệu", "Vạn",   "Diễn"};
constexpr std::array<std::string_view, 40> kPlaceSecond{
    "Sơn",  "Hà",    "Lộc",  "Phú",   "Hòa",  "Thành", "Lợi",   "Hưng", "Thịnh", "An",
    "Bình", "Mỹ",    "Long", "Điền",  "Lâm",  "Khê",   "Giang", "Thủy", "Phong", "Trung",
    "Tiến", "Lập",   "Đông", "Tân",   "Xuân", "Hải",   "Châu",  "Ninh", "Yên",   "Phúc",
    "Quý",  "Tường", "Hiệp", "Nghĩa", "Đức",  "Vinh",  "Cường", "Thái", "Khánh", "Liên"};

constexpr std::array<std::string_view, 18> kNamesakes{
    "Nguyễn Du",      "Lê Quý Đôn",     "Trần Phú",       "Phan Bội Châu",
    "Chu Văn An",     "Nguyễn Trãi",    "Quang Trung",    "Lê Lợi",
    "Nguyễn Huệ",     "Trần Hưng Đạo",  "Lý Thường Kiệt", "Nguyễn Bỉnh Khiêm",
    "Lương Thế Vinh", "Phan Chu Trinh", "Hùng Vương",     "Nguyễn Thị Minh Khai",
    "Võ Thị Sáu",     "Lê Hồng Phong"};

std::string_view draw_surname(Rng& rng) {
    static const unsigned total = [] {
        unsigned t = 0;
        for (const auto& s : kSurnames) t += s.weight;
        return t;
    }();
    auto r = static_cast<unsigned>(rng.below(total));
    for (const auto& s : kSurnames) {
        if (r < s.weight) return s.text;
        r -= s.weight;
    }
    return kSurnames[0].text;
}

// Base letter of U+1EA0..U+1EF9 (Vietnamese letters with tone marks), in code point order.
constexpr std::string_view kExtendedAdditionalBase =
    "aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy";
// Base letter of U+00C0..U+00FF; '?' where there is none worth keeping.
constexpr std::string_view kLatin1Base =
    "aaaaaa?ceeeeiiiidnooooo??uuuuy??aaaaaa?ceeeeiiiidnooooo??uuuuy?y";

// Decodes one UTF-8 code point at `i` (advancing it); invalid bytes decode as themselves.
char32_t decode(std::string_view s, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    auto cont = [&](std::size_t k) { return static_cast<char32_t>(s[i + k]) & 0x3F; };
    if (b0 < 0x80 || i + 1 >= s.size()) {
        ++i;
        return b0;
    }
    if ((b0 & 0xE0) == 0xC0) {
        const char32_t cp = ((b0 & 0x1F) << 6) | cont(1);
        i += 2;
        return cp;
    }
    if ((b0 & 0xF0) == 0xE0 && i + 2 < s.size()) {
        const char32_t cp = ((b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2);
        i += 3;
        return cp;
    }
    ++i;
    return b0;
}

void encode(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

char32_t upper(char32_t cp) {
    if (cp >= 'a' && cp <= 'z') return cp - 0x20;
    if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) return cp - 0x20;
    switch (cp) {
        case 0x0103:
        case 0x0111:
        case 0x0129:
        case 0x0169:
            return cp - 1;  // ă đ ĩ ũ
        case 0x01A1:
            return 0x01A0;  // ơ
        case 0x01B0:
            return 0x01AF;  // ư
        default:
            break;
    }
    // Latin Extended Additional: capitals at even, small letters at odd code points.
    if (cp >= 0x1EA0 && cp <= 0x1EF9 && (cp & 1) == 1) return cp - 1;
    return cp;
}

char base_letter(char32_t cp) {
    if (cp < 0x80) {
        const auto c = static_cast<char>(cp);
        if (c >= 'A' && c <= 'Z') return static_cast<char>(c + 0x20);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return c;
        return 0;
    }
    if (cp >= 0xC0 && cp <= 0xFF) {
        const char c = kLatin1Base[cp - 0xC0];
        return c == '?' ? 0 : c;
    }
    if (cp >= 0x1EA0 && cp <= 0x1EF9) return kExtendedAdditionalBase[cp - 0x1EA0];
    switch (cp) {
        case 0x0102:
        case 0x0103:
            return 'a';
        case 0x0110:
        case 0x0111:
            return 'd';
        case 0x0128:
        case 0x0129:
            return 'i';
        case 0x0168:
        case 0x0169:
            return 'u';
        case 0x01A0:
        case 0x01A1:
            return 'o';
        case 0x01AF:
        case 0x01B0:
            return 'u';
        default:
            return 0;
    }
}

}  // namespace

Gender draw_person_name(Rng& rng, std::string& full, std::string& ascii) {
    const Gender g = rng.per_mille(480) ? Gender::female : Gender::male;
    full.clear();
    full += draw_surname(rng);
    full += ' ';
    if (g == Gender::female) {
        // "Thị" is the usual middle name of women; some have a second one ("Thị Thu").
        const unsigned r = static_cast<unsigned>(rng.below(100));
        if (r < 55) {
            full += "Thị ";
        } else if (r < 63) {
            full += "Thị ";
            full += rng.pick(kFemaleMiddle);
            full += ' ';
        } else {
            full += rng.pick(kFemaleMiddle);
            full += ' ';
        }
        full += rng.pick(kFemaleGiven);
    } else {
        full += rng.pick(kMaleMiddle);
        full += ' ';
        full += rng.pick(kMaleGiven);
    }
    ascii.clear();
    append_ascii_fold(ascii, full);
    return g;
}

std::span<const std::string_view> province_names() {
    return kProvinces;
}

std::string draw_place_name(Rng& rng, std::unordered_set<std::string>& used) {
    std::string name;
    auto compose = [&](std::size_t a, std::size_t b) {
        name.assign(kPlaceFirst[a]);
        name += ' ';
        name += kPlaceSecond[b];
        return kPlaceFirst[a] != kPlaceSecond[b] && !used.contains(name);
    };
    for (int attempt = 0; attempt < 64; ++attempt) {
        const std::size_t first = rng.below(kPlaceFirst.size());  // one draw per statement
        if (compose(first, rng.below(kPlaceSecond.size()))) {
            used.insert(name);
            return name;
        }
    }
    // Crowded: walk every pair from a random start, then fall back to three syllables.
    const std::size_t pairs = kPlaceFirst.size() * kPlaceSecond.size();
    const std::size_t start = rng.below(pairs);
    for (std::size_t k = 0; k < pairs; ++k) {
        const std::size_t p = (start + k) % pairs;
        if (compose(p / kPlaceSecond.size(), p % kPlaceSecond.size())) {
            used.insert(name);
            return name;
        }
    }
    for (std::size_t k = 0;; ++k) {
        const std::size_t p = (start + k) % pairs;
        compose(p / kPlaceSecond.size(), p % kPlaceSecond.size());
        name += ' ';
        name += kPlaceSecond[(k / pairs + p) % kPlaceSecond.size()];
        if (!used.contains(name)) {
            used.insert(name);
            return name;
        }
    }
}

std::string_view draw_namesake(Rng& rng) {
    return rng.pick(kNamesakes);
}

void append_ascii_fold(std::string& out, std::string_view utf8) {
    std::size_t i = 0;
    while (i < utf8.size()) {
        const char c = base_letter(decode(utf8, i));
        if (c != 0) out += c;
    }
}

std::string vietnamese_upper(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    std::size_t i = 0;
    while (i < utf8.size()) encode(out, upper(decode(utf8, i)));
    return out;
}

}  // namespace kyso::demo

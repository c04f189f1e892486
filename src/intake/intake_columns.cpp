// kyso intake — which column of an agency's sheet holds which field: Vietnamese headings and
// an explicit mapping file.
#include "intake/intake_columns.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/enum_names.h"
#include "core/messages.h"
#include "text/nfc.h"

namespace kyso::intake {

namespace {

constexpr std::array<std::string_view, kIntakeFieldCount> kKeys = {
    "full_name",   "cccd",          "date_of_birth", "email",          "phone",
    "org",         "position",      "serial",        "cccd_issued_on", "cccd_issued_by",
    "device_kind", "device_serial", "carrier",       "holder_type"};

struct Synonym {
    std::string_view folded;
    IntakeField field;
};

// Headings seen on agencies' lists and the national CA's forms, folded (fold_heading: no marks,
// lower case, no spaces around ',' and '/').
constexpr Synonym kSynonyms[] = {
    {"ho va ten", IntakeField::full_name},
    {"ho ten", IntakeField::full_name},
    {"ho va ten thue bao", IntakeField::full_name},
    {"ho ten thue bao", IntakeField::full_name},
    {"ho va ten chu thue bao", IntakeField::full_name},
    {"ho va ten nguoi su dung", IntakeField::full_name},
    {"ho ten nguoi su dung", IntakeField::full_name},
    {"ten nguoi su dung", IntakeField::full_name},
    {"ten can bo", IntakeField::full_name},
    {"ho va ten can bo", IntakeField::full_name},
    {"ho ten can bo", IntakeField::full_name},
    {"so cccd", IntakeField::cccd},
    {"cccd", IntakeField::cccd},
    {"so dinh danh ca nhan", IntakeField::cccd},
    {"so dinh danh", IntakeField::cccd},
    {"ma dinh danh ca nhan", IntakeField::cccd},
    {"ma so dinh danh ca nhan", IntakeField::cccd},
    {"so can cuoc cong dan", IntakeField::cccd},
    {"so can cuoc", IntakeField::cccd},
    {"can cuoc cong dan", IntakeField::cccd},
    {"so the can cuoc", IntakeField::cccd},
    {"so cmnd/cccd", IntakeField::cccd},
    {"so cccd/cmnd", IntakeField::cccd},
    {"cmnd/cccd", IntakeField::cccd},
    {"cccd/cmnd", IntakeField::cccd},
    {"so cmnd", IntakeField::cccd},
    {"so cccd/ho chieu", IntakeField::cccd},
    {"so cmnd/cccd/ho chieu", IntakeField::cccd},
    {"so cccd/cmnd/ho chieu", IntakeField::cccd},
    {"ngay sinh", IntakeField::date_of_birth},
    {"ngay thang nam sinh", IntakeField::date_of_birth},
    {"ngay,thang,nam sinh", IntakeField::date_of_birth},
    {"ngay/thang/nam sinh", IntakeField::date_of_birth},
    {"sinh ngay", IntakeField::date_of_birth},
    {"email", IntakeField::email},
    {"e-mail", IntakeField::email},
    {"email cong vu", IntakeField::email},
    {"thu dien tu", IntakeField::email},
    {"thu dien tu cong vu", IntakeField::email},
    {"dia chi email", IntakeField::email},
    {"dia chi email cong vu", IntakeField::email},
    {"dia chi thu dien tu", IntakeField::email},
    {"dia chi thu dien tu cong vu", IntakeField::email},
    {"so dien thoai", IntakeField::phone},
    {"so dien thoai di dong", IntakeField::phone},
    {"so dien thoai lien he", IntakeField::phone},
    {"dien thoai", IntakeField::phone},
    {"dien thoai di dong", IntakeField::phone},
    {"so di dong", IntakeField::phone},
    {"sdt", IntakeField::phone},
    {"so dt", IntakeField::phone},
    {"don vi", IntakeField::organization},
    {"don vi cong tac", IntakeField::organization},
    {"ten don vi", IntakeField::organization},
    {"ten don vi cong tac", IntakeField::organization},
    {"co quan", IntakeField::organization},
    {"ten co quan", IntakeField::organization},
    {"co quan cong tac", IntakeField::organization},
    {"noi cong tac", IntakeField::organization},
    {"noi lam viec", IntakeField::organization},
    {"co quan,don vi cong tac", IntakeField::organization},
    {"ten co quan,don vi cong tac", IntakeField::organization},
    {"ten co quan cong tac", IntakeField::organization},
    {"ten don vi/co quan", IntakeField::organization},
    {"to chuc", IntakeField::organization},
    {"ten to chuc", IntakeField::organization},
    {"co quan,to chuc", IntakeField::organization},
    {"co quan/to chuc", IntakeField::organization},
    {"ten co quan,to chuc", IntakeField::organization},
    {"ten co quan/to chuc", IntakeField::organization},
    {"ten co quan,to chuc cong tac", IntakeField::organization},
    {"co quan,don vi", IntakeField::organization},
    {"co quan/don vi", IntakeField::organization},
    {"ten co quan,don vi", IntakeField::organization},
    {"ten co quan/don vi", IntakeField::organization},
    {"don vi,co quan", IntakeField::organization},
    {"don vi/co quan", IntakeField::organization},
    {"co quan,to chuc,don vi", IntakeField::organization},
    {"ten co quan,to chuc,don vi", IntakeField::organization},
    {"chuc vu", IntakeField::position},
    {"chuc danh", IntakeField::position},
    {"chuc vu/chuc danh", IntakeField::position},
    {"chuc danh/chuc vu", IntakeField::position},
    {"so serial", IntakeField::serial},
    {"serial", IntakeField::serial},
    {"so seri", IntakeField::serial},
    {"so se-ri", IntakeField::serial},
    {"so seri chung thu so", IntakeField::serial},
    {"serial cua chung thu so", IntakeField::serial},
    {"so serial cua chung thu so", IntakeField::serial},
    {"serial number", IntakeField::serial},
    {"serial cts", IntakeField::serial},
    {"so serial cts", IntakeField::serial},
    {"serial cts cu", IntakeField::serial},
    {"so serial cts cu", IntakeField::serial},
    {"so hieu cts", IntakeField::serial},
    {"so hieu chung thu", IntakeField::serial},
    {"so hieu chung thu so", IntakeField::serial},
    {"so hieu chung thu cu", IntakeField::serial},
    {"so serial chung thu", IntakeField::serial},
    {"so serial chung thu so", IntakeField::serial},
    {"so serial chung thu cu", IntakeField::serial},
    {"serial chung thu", IntakeField::serial},
    {"serial chung thu so", IntakeField::serial},
    {"so seri chung thu", IntakeField::serial},
    {"seri chung thu", IntakeField::serial},
    {"ngay cap", IntakeField::cccd_issued_on},
    {"ngay cap cccd", IntakeField::cccd_issued_on},
    {"ngay cap cmnd/cccd", IntakeField::cccd_issued_on},
    {"ngay cap cccd/cmnd", IntakeField::cccd_issued_on},
    {"noi cap", IntakeField::cccd_issued_by},
    {"noi cap cccd", IntakeField::cccd_issued_by},
    {"noi cap cmnd/cccd", IntakeField::cccd_issued_by},
    {"noi cap cccd/cmnd", IntakeField::cccd_issued_by},
    {"loai thiet bi", IntakeField::device_kind},
    {"thiet bi", IntakeField::device_kind},
    {"loai token", IntakeField::device_kind},
    {"so hieu thiet bi", IntakeField::device_serial},
    {"serial thiet bi", IntakeField::device_serial},
    {"so serial thiet bi", IntakeField::device_serial},
    {"serial token", IntakeField::device_serial},
    {"so serial token", IntakeField::device_serial},
    {"so seri token", IntakeField::device_serial},
    {"so hieu token", IntakeField::device_serial},
    {"ma token", IntakeField::device_serial},
    {"iccid", IntakeField::device_serial},
    {"so iccid", IntakeField::device_serial},
    {"serial sim", IntakeField::device_serial},
    {"so serial sim", IntakeField::device_serial},
    {"serial token/iccid", IntakeField::device_serial},
    {"so serial token/iccid", IntakeField::device_serial},
    {"serial token/sim", IntakeField::device_serial},
    {"so serial token/sim", IntakeField::device_serial},
    {"so hieu token/sim", IntakeField::device_serial},
    {"nha mang", IntakeField::carrier},
    {"nha mang di dong", IntakeField::carrier},
    {"loai chung thu", IntakeField::holder_type},
    {"loai chung thu so", IntakeField::holder_type},
    {"loai cts", IntakeField::holder_type},
    {"doi tuong", IntakeField::holder_type},
    {"doi tuong cap", IntakeField::holder_type},
    {"doi tuong su dung", IntakeField::holder_type},
    {"loai doi tuong", IntakeField::holder_type},
    {"loai thue bao", IntakeField::holder_type},
    {"ca nhan/to chuc", IntakeField::holder_type},
    {"to chuc/ca nhan", IntakeField::holder_type},
};

// Row numbers and the like: read by nobody, and not worth a line in the report.
constexpr std::string_view kIgnored[] = {"stt", "tt", "so tt", "so thu tu", "thu tu"};

}  // namespace

std::string fold_heading(std::string_view heading) {
    std::string h;
    for (const char c : text::fold_for_matching(heading)) {
        if ((c == ',' || c == '/') && !h.empty() && h.back() == ' ') h.pop_back();
        if (c == ' ' && !h.empty() && (h.back() == ',' || h.back() == '/')) continue;
        h += c;
    }
    for (bool changed = true; changed;) {
        changed = false;
        while (!h.empty() &&
               (h.back() == ':' || h.back() == '*' || h.back() == '.' || h.back() == ' ')) {
            h.pop_back();
            changed = true;
        }
        if (!h.empty() && h.back() == ')') {
            if (const auto open = h.rfind('('); open != std::string::npos && open > 0) {
                h.erase(open);
                changed = true;
            }
        }
    }
    return h;
}

std::string_view field_key(IntakeField field) {
    return kKeys[static_cast<std::size_t>(field)];
}

std::optional<IntakeField> field_from_key(std::string_view key) {
    return enum_from_name<IntakeField>(kKeys, key);
}

std::optional<IntakeField> recognize_heading(std::string_view heading) {
    const std::string folded = fold_heading(heading);
    for (const Synonym& s : kSynonyms) {
        if (s.folded == folded) return s.field;
    }
    return std::nullopt;
}

bool ignored_heading(std::string_view heading) {
    const std::string folded = fold_heading(heading);
    return std::find(std::begin(kIgnored), std::end(kIgnored), folded) != std::end(kIgnored);
}

Result<ColumnMapping> load_mapping(const std::string& path) {
    constexpr std::size_t kMaxMapping = 64 << 10;
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error("intake.mapping_open", Location{path, 0, {}, {}}, {path});
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string content = buffer.str();
    if (content.size() > kMaxMapping)
        return make_error("intake.mapping_too_large", Location{path, 0, {}, {}},
                          {std::to_string(kMaxMapping)});
    if (!text::valid_utf8(content))
        return make_error("csv.invalid_utf8", Location{path, 0, {}, {}}, {});
    ColumnMapping mapping;
    std::istringstream lines(content);
    std::string line;
    std::int64_t number = 0;
    while (std::getline(lines, line)) {
        ++number;
        if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
        if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        const auto eq = line.rfind('=');
        if (eq == std::string::npos)
            return make_error("intake.mapping_syntax", Location{path, number, {}, {}}, {line});
        std::string key = line.substr(eq + 1);
        std::erase_if(key, [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
        const auto field = field_from_key(key);
        if (!field)
            return make_error("intake.mapping_field", Location{path, number, key, {}}, {key});
        const std::string heading = fold_heading(line.substr(0, eq));
        if (heading.empty())
            return make_error("intake.mapping_syntax", Location{path, number, {}, {}}, {line});
        mapping.entries.emplace_back(heading, *field);
    }
    return mapping;
}

ColumnMap map_columns(const std::vector<std::string>& header, const ColumnMapping* mapping) {
    ColumnMap columns;
    std::vector<bool> taken(header.size(), false);
    // The mapping wins over the known headings: it is what the user said.
    if (mapping != nullptr) {
        for (std::size_t c = 0; c < header.size(); ++c) {
            const std::string folded = fold_heading(header[c]);
            for (const auto& [heading, f] : mapping->entries) {
                auto& slot = columns[static_cast<std::size_t>(f)];
                if (heading == folded && !slot && !taken[c]) {
                    slot = c;
                    taken[c] = true;
                }
            }
        }
    }
    for (std::size_t c = 0; c < header.size(); ++c) {
        if (taken[c]) continue;
        const auto field = recognize_heading(header[c]);
        if (field && !columns[static_cast<std::size_t>(*field)])
            columns[static_cast<std::size_t>(*field)] = c;
    }
    return columns;
}

std::size_t mapped_count(const ColumnMap& columns) {
    return static_cast<std::size_t>(
        std::count_if(columns.begin(), columns.end(), [](const auto& c) { return c.has_value(); }));
}

std::vector<UnreadColumn> unread_columns(const std::vector<std::string>& header,
                                         const ColumnMap& columns) {
    std::vector<UnreadColumn> out;
    for (std::size_t c = 0; c < header.size(); ++c) {
        const bool mapped = std::any_of(columns.begin(), columns.end(),
                                        [&](const auto& col) { return col && *col == c; });
        if (mapped || ignored_heading(header[c])) continue;
        if (header[c].find_first_not_of(" \t\r\n") == std::string::npos) continue;
        out.push_back({c, header[c]});
    }
    return out;
}

std::string column_letter(std::size_t column) {
    std::string letters;
    for (std::size_t n = column + 1; n > 0; n = (n - 1) / 26)
        letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
    return letters;
}

}  // namespace kyso::intake

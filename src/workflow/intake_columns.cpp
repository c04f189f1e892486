// kyso workflow — which column of an agency's sheet holds which field: Vietnamese headings and
// an explicit mapping file.
#include "workflow/intake_columns.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/enum_names.h"
#include "core/messages.h"
#include "text/nfc.h"

namespace kyso::workflow {

namespace {

constexpr std::array<std::string_view, kIntakeFieldCount> kKeys = {
    "full_name",   "cccd",          "date_of_birth", "email",          "phone",
    "org",         "position",      "serial",        "cccd_issued_on", "cccd_issued_by",
    "device_kind", "device_serial", "carrier"};

struct Synonym {
    std::string_view folded;
    IntakeField field;
};

// Headings seen on agencies' lists and the national CA's forms, folded (fold_heading).
constexpr Synonym kSynonyms[] = {
    {"ho va ten", IntakeField::full_name},
    {"ho ten", IntakeField::full_name},
    {"ho va ten thue bao", IntakeField::full_name},
    {"ho ten thue bao", IntakeField::full_name},
    {"ho va ten nguoi su dung", IntakeField::full_name},
    {"ten can bo", IntakeField::full_name},
    {"so cccd", IntakeField::cccd},
    {"cccd", IntakeField::cccd},
    {"so dinh danh ca nhan", IntakeField::cccd},
    {"so dinh danh", IntakeField::cccd},
    {"ma dinh danh ca nhan", IntakeField::cccd},
    {"so can cuoc cong dan", IntakeField::cccd},
    {"so can cuoc", IntakeField::cccd},
    {"can cuoc cong dan", IntakeField::cccd},
    {"so cmnd/cccd", IntakeField::cccd},
    {"so cccd/cmnd", IntakeField::cccd},
    {"cmnd/cccd", IntakeField::cccd},
    {"cccd/cmnd", IntakeField::cccd},
    {"ngay sinh", IntakeField::date_of_birth},
    {"ngay thang nam sinh", IntakeField::date_of_birth},
    {"email", IntakeField::email},
    {"e-mail", IntakeField::email},
    {"email cong vu", IntakeField::email},
    {"thu dien tu", IntakeField::email},
    {"thu dien tu cong vu", IntakeField::email},
    {"dia chi email", IntakeField::email},
    {"dia chi thu dien tu", IntakeField::email},
    {"dia chi thu dien tu cong vu", IntakeField::email},
    {"so dien thoai", IntakeField::phone},
    {"so dien thoai di dong", IntakeField::phone},
    {"dien thoai", IntakeField::phone},
    {"dien thoai di dong", IntakeField::phone},
    {"sdt", IntakeField::phone},
    {"so dt", IntakeField::phone},
    {"don vi", IntakeField::organization},
    {"don vi cong tac", IntakeField::organization},
    {"co quan", IntakeField::organization},
    {"co quan cong tac", IntakeField::organization},
    {"co quan, to chuc", IntakeField::organization},
    {"ten co quan, to chuc", IntakeField::organization},
    {"ten co quan, to chuc cong tac", IntakeField::organization},
    {"chuc vu", IntakeField::position},
    {"chuc danh", IntakeField::position},
    {"so serial", IntakeField::serial},
    {"serial", IntakeField::serial},
    {"serial cts", IntakeField::serial},
    {"serial cts cu", IntakeField::serial},
    {"so hieu chung thu", IntakeField::serial},
    {"so hieu chung thu cu", IntakeField::serial},
    {"ngay cap", IntakeField::cccd_issued_on},
    {"ngay cap cccd", IntakeField::cccd_issued_on},
    {"noi cap", IntakeField::cccd_issued_by},
    {"noi cap cccd", IntakeField::cccd_issued_by},
    {"loai thiet bi", IntakeField::device_kind},
    {"thiet bi", IntakeField::device_kind},
    {"so hieu thiet bi", IntakeField::device_serial},
    {"serial thiet bi", IntakeField::device_serial},
    {"serial token", IntakeField::device_serial},
    {"so serial token", IntakeField::device_serial},
    {"iccid", IntakeField::device_serial},
    {"nha mang", IntakeField::carrier},
};

// Folds a heading for comparison: case and marks away, then "(*)" (required-field marks) and a
// trailing parenthesis such as "(dd/mm/yyyy)" or "(nếu có)", and trailing ':' or '*'.
std::string fold_heading(std::string_view heading) {
    std::string h = text::fold_for_matching(heading);
    for (bool changed = true; changed;) {
        changed = false;
        while (!h.empty() && (h.back() == ':' || h.back() == '*' || h.back() == ' ')) {
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

}  // namespace

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

}  // namespace kyso::workflow

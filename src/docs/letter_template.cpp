// kyso docs — reading a letter template file: sections, lines, placeholders checked on load.
#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "core/messages.h"
#include "docs/letter.h"
#include "docs/letter_placeholders.h"
#include "text/nfc.h"

namespace kyso::docs {

namespace {

// Every value kyso can supply (templates/letters/README.md lists them with their meaning).
constexpr std::array<PlaceholderInfo, 29> kPlaceholders{{
    {"cac_van_ban", false},
    {"chuc_vu_ky", false},
    {"co_quan", false},
    {"co_quan_cap_tren", true},
    {"dia_ban", false},
    {"dia_danh", false},
    {"dia_diem", false},
    {"giao_chuc_vu", false},
    {"giao_co_quan", false},
    {"giao_ho_ten", false},
    {"ky_hieu", false},
    {"nam", false},
    {"ngay", false},
    {"nguoi_ky", false},
    {"nhan_chuc_vu", false},
    {"nhan_co_quan", false},
    {"nhan_dia_chi", false},
    {"nhan_dien_thoai", false},
    {"nhan_email", false},
    {"nhan_ho_ten", false},
    {"nhan_ngay_cap", false},
    {"nhan_noi_cap", false},
    {"nhan_so_dinh_danh", false},
    {"quyen_han_ky", true},
    {"so", false},
    {"so_khcn", false},
    {"so_luong", false},
    {"thang", false},
    {"tinh", false},
}};

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

bool is_key(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

enum class Section {
    none,
    kind,
    superior_body,
    issuing_body,
    number,
    subject,
    place_date,
    title,
    recipients,
    opening,
    body,
    table,
    org_table,
    appendix,
    closing,
    copies_to,
    signature
};

struct SectionName {
    std::string_view name;
    Section section;
};

constexpr std::array<SectionName, 16> kSections{{
    {"kind", Section::kind},
    {"co_quan_cap_tren", Section::superior_body},
    {"co_quan", Section::issuing_body},
    {"so", Section::number},
    {"trich_yeu", Section::subject},
    {"ngay_thang", Section::place_date},
    {"tieu_de", Section::title},
    {"kinh_gui", Section::recipients},
    {"mo_dau", Section::opening},
    {"than", Section::body},
    {"bang", Section::table},
    {"bang_to_chuc", Section::org_table},
    {"phu_luc", Section::appendix},
    {"ket", Section::closing},
    {"noi_nhan", Section::copies_to},
    {"ky", Section::signature},
}};

Error error_at(const std::string& path, int line, std::string_view code,
               std::initializer_list<std::string_view> args, std::string field = {}) {
    return make_error(code, Location{path, line, std::move(field), {}}, args);
}

// Section name → seen (line of first header), to report duplicates and missing sections.
struct Parser {
    LetterTemplate tpl;
    std::vector<TemplateLine> kind_lines;
    std::array<int, kSections.size()> seen{};

    std::vector<TemplateLine>* lines_of(Section s) {
        switch (s) {
            case Section::kind:
                return &kind_lines;
            case Section::superior_body:
                return &tpl.superior_body;
            case Section::issuing_body:
                return &tpl.issuing_body;
            case Section::number:
                return &tpl.number;
            case Section::subject:
                return &tpl.subject;
            case Section::place_date:
                return &tpl.place_date;
            case Section::title:
                return &tpl.title;
            case Section::recipients:
                return &tpl.recipients;
            case Section::opening:
                return &tpl.opening;
            case Section::body:
                return &tpl.body;
            case Section::appendix:
                return &tpl.appendix_title;
            case Section::closing:
                return &tpl.closing;
            case Section::copies_to:
                return &tpl.copies_to;
            case Section::signature:
                return &tpl.signatures.back();
            case Section::table:
            case Section::org_table:
            case Section::none:
                break;
        }
        return nullptr;
    }
};

Status check_placeholders(const std::string& path, int line, std::string_view text) {
    Status status = Ok{};
    bool unclosed = false;
    const bool all = for_each_placeholder(
        text,
        [&](const PlaceholderUse& use) {
            if (find_placeholder(use.name) != nullptr) return true;
            status = error_at(path, line, "letter.unknown_placeholder", {use.name},
                              std::string(use.name));
            return false;
        },
        &unclosed);
    if (!all && unclosed) return error_at(path, line, "letter.unclosed_placeholder", {text});
    return status;
}

// A line of [bang] or [bang_to_chuc]: "Heading | key1; key2" is a column; "**Title**" a title
// line printed above that list.
Status add_table_line(Parser& p, bool org, int line, std::string_view text) {
    ListTemplate& list = org ? p.tpl.org_table : p.tpl.table;
    if (text.size() > 4 && text.starts_with("**") && text.ends_with("**")) {
        list.title.push_back(TemplateLine{std::string(text), line});
        return Ok{};
    }
    const auto bar = text.find('|');
    if (bar == std::string_view::npos || text.find('|', bar + 1) != std::string_view::npos) {
        return error_at(p.tpl.path, line, "letter.bad_table_line", {text});
    }
    TableColumn col;
    col.heading = std::string(trim(text.substr(0, bar)));
    col.line = line;
    std::string_view keys = text.substr(bar + 1);
    while (true) {
        const auto semi = keys.find(';');
        const auto key = trim(keys.substr(0, semi));
        if (!is_key(key)) return error_at(p.tpl.path, line, "letter.bad_table_line", {text});
        col.keys.emplace_back(key);
        if (semi == std::string_view::npos) break;
        keys.remove_prefix(semi + 1);
    }
    if (col.heading.empty()) return error_at(p.tpl.path, line, "letter.bad_table_line", {text});
    list.columns.push_back(std::move(col));
    return Ok{};
}

Status check_sections(Parser& p) {
    const auto& path = p.tpl.path;
    if (p.kind_lines.empty()) return error_at(path, 0, "letter.missing_section", {"kind"});
    const TemplateLine& kind_line = p.kind_lines.back();
    if (p.kind_lines.size() > 1 || (kind_line.text != "letter" && kind_line.text != "record")) {
        return error_at(path, kind_line.line, "letter.bad_kind", {kind_line.text}, "kind");
    }
    p.tpl.kind = kind_line.text == "letter" ? LetterKind::letter : LetterKind::record;
    const bool letter = p.tpl.kind == LetterKind::letter;
    // The sections each kind needs (with at least one line), and those of the other kind only.
    struct Rule {
        Section section;
        bool wanted;
    };
    const std::vector<Rule> rules =
        letter ? std::vector<Rule>{{Section::issuing_body, true}, {Section::number, true},
                                   {Section::subject, true},      {Section::place_date, true},
                                   {Section::recipients, true},   {Section::closing, true},
                                   {Section::title, false}}
               : std::vector<Rule>{{Section::issuing_body, true},  // [so] optional
                                   {Section::title, true},
                                   {Section::subject, false}};
    for (const auto& [section, wanted] : rules) {
        const auto it = std::find_if(kSections.begin(), kSections.end(),
                                     [&](const SectionName& s) { return s.section == section; });
        const int line = p.seen[static_cast<std::size_t>(it - kSections.begin())];
        if (wanted && p.lines_of(section)->empty()) {
            return error_at(path, line, "letter.missing_section", {it->name});
        }
        if (!wanted && line != 0) {
            return error_at(path, line, "letter.section_kind", {it->name, kind_line.text});
        }
    }
    if (!p.tpl.appendix_title.empty() && p.tpl.table.columns.empty()) {
        return error_at(path, p.tpl.appendix_title.front().line, "letter.missing_section",
                        {"bang"});
    }
    if (!p.tpl.org_table.title.empty() && p.tpl.org_table.columns.empty()) {
        return error_at(path, p.tpl.org_table.title.front().line, "letter.missing_section",
                        {"bang_to_chuc"});
    }
    if (!p.tpl.table.title.empty() && p.tpl.table.columns.empty()) {
        return error_at(path, p.tpl.table.title.front().line, "letter.missing_section", {"bang"});
    }
    if (!p.tpl.org_table.columns.empty() && p.tpl.table.columns.empty()) {
        return error_at(path, p.tpl.org_table.columns.front().line, "letter.missing_section",
                        {"bang"});
    }
    const std::size_t signatures = letter ? 1 : 2;
    if (p.tpl.signatures.size() != signatures) {
        return error_at(path, 0, "letter.signature_count",
                        {std::to_string(signatures), std::to_string(p.tpl.signatures.size())});
    }
    for (const auto& block : p.tpl.signatures) {
        if (block.empty()) return error_at(path, 0, "letter.missing_section", {"ky"});
    }
    return Ok{};
}

}  // namespace

const PlaceholderInfo* find_placeholder(std::string_view name) {
    for (const auto& p : kPlaceholders) {
        if (p.name == name) return &p;
    }
    return nullptr;
}

bool for_each_placeholder(std::string_view line,
                          const std::function<bool(const PlaceholderUse&)>& visit, bool* unclosed) {
    std::size_t pos = 0;
    while ((pos = line.find("{{", pos)) != std::string_view::npos) {
        const auto close = line.find("}}", pos + 2);
        if (close == std::string_view::npos) {
            if (unclosed != nullptr) *unclosed = true;
            return false;
        }
        if (!visit(PlaceholderUse{pos, close + 2, trim(line.substr(pos + 2, close - pos - 2))})) {
            return false;
        }
        pos = close + 2;
    }
    return true;
}

Result<LetterTemplate> load_letter_template(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return error_at(path, 0, "letter.template_unreadable", {path});
    if (size > kMaxTemplateBytes)
        return error_at(path, 0, "letter.template_too_large", {std::to_string(kMaxTemplateBytes)});
    std::ifstream in(path, std::ios::binary);
    if (!in) return error_at(path, 0, "letter.template_unreadable", {path});
    std::ostringstream buf;
    buf << in.rdbuf();
    return parse_letter_template(buf.str(), path);
}

Result<LetterTemplate> parse_letter_template(std::string content, const std::string& path) {
    if (content.size() > kMaxTemplateBytes)
        return error_at(path, 0, "letter.template_too_large", {std::to_string(kMaxTemplateBytes)});
    if (content.starts_with("\xEF\xBB\xBF")) content.erase(0, 3);
    if (!text::valid_utf8(content)) return error_at(path, 0, "letter.not_utf8", {path});
    content = text::to_nfc(content);

    Parser p;
    p.tpl.path = path;
    Section current = Section::none;
    std::string_view rest = content;
    int number = 0;
    while (!rest.empty()) {
        const auto nl = rest.find('\n');
        const std::string_view raw = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        ++number;
        const std::string_view line = trim(raw);
        if (line.empty() || line.starts_with('#')) continue;
        if (line.starts_with('[') && line.ends_with(']')) {
            const auto name = trim(line.substr(1, line.size() - 2));
            const auto it = std::find_if(kSections.begin(), kSections.end(),
                                         [&](const SectionName& s) { return s.name == name; });
            if (it == kSections.end()) {
                return error_at(path, number, "letter.unknown_section", {name});
            }
            int& seen = p.seen[static_cast<std::size_t>(it - kSections.begin())];
            if (seen != 0 && it->section != Section::signature) {
                return error_at(path, number, "letter.duplicate_section",
                                {name, std::to_string(seen)});
            }
            if (seen == 0) seen = number;
            current = it->section;
            if (current == Section::signature) p.tpl.signatures.emplace_back();
            continue;
        }
        if (current == Section::none) {
            return error_at(path, number, "letter.text_outside_section", {line});
        }
        if (auto s = check_placeholders(path, number, line); !s) return s.error();
        if (current == Section::table || current == Section::org_table) {
            if (auto s = add_table_line(p, current == Section::org_table, number, line); !s)
                return s.error();
            continue;
        }
        p.lines_of(current)->push_back(TemplateLine{std::string(line), number});
    }
    if (auto s = check_sections(p); !s) return s.error();
    return std::move(p.tpl);
}

}  // namespace kyso::docs

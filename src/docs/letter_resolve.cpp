// kyso docs — filling a letter template with values and rows: what the writers print.
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/messages.h"
#include "docs/letter.h"
#include "docs/letter_placeholders.h"
#include "text/nfc.h"

namespace kyso::docs {

namespace {

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

// Vietnamese upper case (ICU, locale "vi"): "Sở Khoa học" → "SỞ KHOA HỌC".
std::string upper(std::string_view s) {
    auto u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
    u.toUpper(icu::Locale("vi"));
    std::string out;
    u.toUTF8String(out);
    return out;
}

// Values as one line of NFC text: line breaks inside a value become spaces.
std::string one_line(std::string_view value) {
    std::string out = text::to_nfc(value);
    for (char& c : out) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    return std::string(trim(out));
}

class Resolver {
public:
    Resolver(const LetterTemplate& tpl, const LetterData& data) : tpl_(tpl), data_(data) {
        values_ = data.values;
        if (!values_.contains("so_luong")) {
            char count[32];
            std::snprintf(count, sizeof count, "%02zu", data.rows.size() + data.org_rows.size());
            values_["so_luong"] = count;
        }
    }

    // The line with every placeholder replaced; empty when only empty optional values remain.
    // A value missing (or empty where it may not be) is noted and left out, so that one render
    // reports every missing value at once (missing_error()).
    Result<std::string> fill(const TemplateLine& line) const {
        std::string out;
        std::size_t done = 0;
        for_each_placeholder(line.text, [&](const PlaceholderUse& use) {
            out.append(line.text, done, use.begin - done);
            done = use.end;
            const auto it = values_.find(std::string(use.name));
            const PlaceholderInfo* info = find_placeholder(use.name);
            if (it == values_.end() ||
                (trim(it->second).empty() && (info == nullptr || !info->may_be_empty))) {
                note_missing(std::string(use.name), line.line);
            } else {
                out += one_line(it->second);
            }
            return true;
        });
        out.append(line.text, done);
        return std::string(trim(out));
    }

    // One error listing every missing value by its description, in the order of the template;
    // its location is the first one's line. Ok when nothing is missing.
    Status missing_error() const {
        if (missing_.empty()) return Ok{};
        auto missing = missing_;
        std::stable_sort(missing.begin(), missing.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; });
        std::string vi;
        std::string en;
        for (const auto& [name, line] : missing) {
            const std::string code = "letter.field." + name;
            const std::string n = std::to_string(line);
            vi += (vi.empty() ? "" : "; ") +
                  message("letter.missing_item", {message(code, {}, false), name, n}, false);
            en += (en.empty() ? "" : "; ") +
                  message("letter.missing_item", {message(code, {}, true), name, n}, true);
        }
        const std::string count = std::to_string(missing.size());
        Error e = make_error("letter.missing_values",
                             Location{tpl_.path, missing.front().second, missing.front().first, {}},
                             {count, vi});
        e.message_en = message("letter.missing_values", {count, en}, true);
        return e;
    }

    // Lines filled; lines left empty by optional values are dropped.
    Result<std::vector<std::string>> fill_all(const std::vector<TemplateLine>& lines) const {
        std::vector<std::string> out;
        for (const auto& line : lines) {
            auto text = fill(line);
            if (!text) return text.error();
            if (!text->empty()) out.push_back(std::move(*text));
        }
        return out;
    }

    // "**text**" is a bold line; "(text)" an italic note when `notes` is set.
    Result<std::vector<StyledText>> styled(const std::vector<TemplateLine>& lines,
                                           bool notes = false) const {
        std::vector<StyledText> out;
        for (const auto& line : lines) {
            TemplateLine inner = line;
            StyledText styled;
            const std::string_view t = line.text;
            if (t.size() > 4 && t.starts_with("**") && t.ends_with("**")) {
                inner.text = std::string(trim(t.substr(2, t.size() - 4)));
                styled.bold = true;
            } else if (notes && t.starts_with('(') && t.ends_with(')')) {
                styled.italic = true;
            }
            auto text = fill(inner);
            if (!text) return text.error();
            if (text->empty()) continue;
            styled.text = std::move(*text);
            out.push_back(std::move(styled));
        }
        return out;
    }

    Result<std::string> joined(const std::vector<TemplateLine>& lines) const {
        auto all = fill_all(lines);
        if (!all) return all.error();
        std::string out;
        for (const auto& s : *all) out += (out.empty() ? "" : " ") + s;
        return out;
    }

    // The people's list and the organizations' (when the template has one), each numbered
    // from 1; lists without rows are left out, but one stays when there are no rows at all.
    Status tables(RenderedLetter& out) const {
        if (tpl_.table.columns.empty()) return Ok{};
        std::vector<const std::map<std::string, std::string>*> people;
        std::vector<const std::map<std::string, std::string>*> orgs;
        for (const auto& row : data_.rows) people.push_back(&row);
        for (const auto& row : data_.org_rows) {
            (tpl_.org_table.columns.empty() ? people : orgs).push_back(&row);
        }
        if (!people.empty() || orgs.empty()) {
            auto list = table(tpl_.table, people);
            if (!list) return list.error();
            out.lists.push_back(std::move(*list));
        }
        if (!orgs.empty()) {
            auto list = table(tpl_.org_table, orgs);
            if (!list) return list.error();
            out.lists.push_back(std::move(*list));
        }
        return Ok{};
    }

    Result<RenderedList> table(
        const ListTemplate& list,
        const std::vector<const std::map<std::string, std::string>*>& rows) const {
        RenderedList out;
        auto title = styled(list.title);
        if (!title) return title.error();
        out.title = std::move(*title);
        for (auto& t : out.title) t.bold = true;
        for (const auto& col : list.columns) {
            auto heading = fill(TemplateLine{col.heading, col.line});
            if (!heading) return heading.error();
            out.headings.push_back(std::move(*heading));
        }
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const auto& row = *rows[r];
            std::vector<std::string> cells;
            for (const auto& col : list.columns) {
                std::string cell;
                for (const auto& key : col.keys) {
                    std::string value;
                    if (key == "stt") {
                        value = std::to_string(r + 1);
                    } else if (const auto it = row.find(key); it != row.end()) {
                        value = text::to_nfc(trim(it->second));
                    } else {
                        return at(TemplateLine{col.heading, col.line}, "letter.missing_row_value",
                                  {key, std::to_string(r + 1)}, key);
                    }
                    if (!cell.empty() && !value.empty()) cell += '\n';
                    cell += value;
                }
                cells.push_back(std::move(cell));
            }
            out.rows.push_back(std::move(cells));
        }
        return out;
    }

    Result<SignatureBlock> signature(const std::vector<TemplateLine>& lines) const {
        // The last line is the signer's name; the lines above are titles and notes.
        std::vector<TemplateLine> head(lines.begin(), lines.end() - 1);
        auto styled_lines = styled(head, true);
        if (!styled_lines) return styled_lines.error();
        auto name = fill(lines.back());
        if (!name) return name.error();
        SignatureBlock block;
        for (auto& l : *styled_lines) {
            if (!l.italic) {
                l.bold = true;
                l.text = upper(l.text);
            }
            block.lines.push_back(std::move(l));
        }
        block.name = std::move(*name);
        return block;
    }

private:
    void note_missing(std::string name, int line) const {
        for (const auto& m : missing_) {
            if (m.first == name) return;
        }
        missing_.emplace_back(std::move(name), line);
    }

    Error at(const TemplateLine& line, std::string_view code,
             std::initializer_list<std::string_view> args, std::string_view field) const {
        return make_error(code, Location{tpl_.path, line.line, std::string(field), {}}, args);
    }

    const LetterTemplate& tpl_;
    const LetterData& data_;
    std::map<std::string, std::string> values_;
    mutable std::vector<std::pair<std::string, int>> missing_;  // name, first line
};

// Recipients and copies as printed: a template may write the dashes or not. Several become a
// dash list, each item ending with ";" and the last with "." (Decree 30, Appendix I); a single
// recipient stands alone on the "Kính gửi:" line.
std::vector<std::string> dash_list(std::vector<std::string> lines, bool single_plain) {
    for (auto& l : lines) {
        if (l.starts_with("- ")) l = std::string(trim(std::string_view(l).substr(2)));
    }
    if (single_plain && lines.size() == 1) return lines;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string& l = lines[i];
        const bool ends = !l.empty() && (l.back() == ';' || l.back() == '.' || l.back() == ':');
        l = "- " + l + (ends ? "" : i + 1 == lines.size() ? "." : ";");
    }
    return lines;
}

}  // namespace

Result<RenderedLetter> resolve_letter(const LetterTemplate& tpl, const LetterData& data) {
    const Resolver r(tpl, data);
    RenderedLetter out;
    out.kind = tpl.kind;
    // The letter itself is always Vietnamese, whatever language the user interface speaks.
    out.national_title = message("letter.national_title", {}, false);
    out.motto = message("letter.motto", {}, false);
    out.recipients_label = message("letter.recipients_label", {}, false);
    out.copies_label = message("letter.copies_label", {}, false);

    auto superior = r.joined(tpl.superior_body);
    auto issuing = r.joined(tpl.issuing_body);
    auto number = r.joined(tpl.number);
    auto subject = r.joined(tpl.subject);
    auto place_date = r.joined(tpl.place_date);
    for (auto* part : {&superior, &issuing, &number, &subject, &place_date}) {
        if (!*part) return part->error();
    }
    out.superior_body = upper(*superior);
    out.issuing_body = upper(*issuing);
    out.number = std::move(*number);
    out.subject = std::move(*subject);
    out.place_date = std::move(*place_date);

    // Title lines are bold unless they are notes in parentheses.
    auto titled = [](std::vector<StyledText> lines) {
        for (auto& t : lines) t.bold = t.bold || !t.italic;
        return lines;
    };
    auto title = r.styled(tpl.title, true);
    auto appendix = r.styled(tpl.appendix_title, true);
    auto recipients = r.fill_all(tpl.recipients);
    auto opening = r.styled(tpl.opening);
    auto body = r.styled(tpl.body);
    auto closing = r.styled(tpl.closing);
    auto copies = r.fill_all(tpl.copies_to);
    if (!title) return title.error();
    if (!appendix) return appendix.error();
    if (!recipients) return recipients.error();
    if (!opening) return opening.error();
    if (!body) return body.error();
    if (!closing) return closing.error();
    if (!copies) return copies.error();
    out.title = titled(std::move(*title));
    out.appendix_title = titled(std::move(*appendix));
    out.recipients = dash_list(std::move(*recipients), true);
    out.body = std::move(*opening);
    out.body.insert(out.body.end(), body->begin(), body->end());
    out.closing = std::move(*closing);
    // A letter is never copied to the body that issues it (a DoST's own letter does not go to
    // the DoST "để tổng hợp"): a "Nơi nhận" line that is the issuer's name, alone or followed by a
    // note in parentheses, is left out.
    if (const auto issuer = data.values.find("co_quan");
        issuer != data.values.end() && !issuer->second.empty()) {
        std::erase_if(*copies, [&](const std::string& line) {
            if (!line.starts_with(issuer->second)) return false;
            const std::string_view rest = std::string_view(line).substr(issuer->second.size());
            return rest.empty() || rest.starts_with(" (") || rest.starts_with(";");
        });
    }
    out.copies_to = dash_list(std::move(*copies), false);

    if (auto s = r.tables(out); !s) return s.error();
    for (const auto& lines : tpl.signatures) {
        auto block = r.signature(lines);
        if (!block) return block.error();
        out.signatures.push_back(std::move(*block));
    }
    if (auto s = r.missing_error(); !s) return s.error();
    return out;
}

}  // namespace kyso::docs

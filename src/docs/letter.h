// kyso docs — official letters and hand-over records (Decree 30/2020 layout) from editable
// templates.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace kyso::docs {

// A letter (công văn: number, "V/v" subject line, recipients) or a record (biên bản: a centred
// title instead, two signature blocks side by side).
enum class LetterKind { letter, record };

// One content line of a template file, with its 1-based line number for error messages.
struct TemplateLine {
    std::string text;
    int line = 0;
};

// One column of the list: "Heading | key" or "Heading | key1; key2" (values one per line in the
// cell). The key "stt" is numbered by the renderer.
struct TableColumn {
    std::string heading;
    std::vector<std::string> keys;
    int line = 0;
};

// A list of the letter: its title lines ("**...**", printed above it) and its columns.
struct ListTemplate {
    std::vector<TemplateLine> title;
    std::vector<TableColumn> columns;
};

// A parsed template file (format: templates/letters/README.md). Every section keeps its lines in
// order; placeholders ({{name}}) are checked against the known names when loading.
struct LetterTemplate {
    LetterKind kind = LetterKind::letter;
    std::vector<TemplateLine> superior_body;            // [co_quan_cap_tren]
    std::vector<TemplateLine> issuing_body;             // [co_quan]
    std::vector<TemplateLine> number;                   // [so]          letter only
    std::vector<TemplateLine> subject;                  // [trich_yeu]   letter only
    std::vector<TemplateLine> place_date;               // [ngay_thang]
    std::vector<TemplateLine> title;                    // [tieu_de]     record only
    std::vector<TemplateLine> recipients;               // [kinh_gui]
    std::vector<TemplateLine> opening;                  // [mo_dau]
    std::vector<TemplateLine> body;                     // [than]
    ListTemplate table;                                 // [bang]: people (or every row)
    ListTemplate org_table;                             // [bang_to_chuc]: organizations
    std::vector<TemplateLine> appendix_title;           // [phu_luc]: the list, landscape
    std::vector<TemplateLine> closing;                  // [ket]
    std::vector<TemplateLine> copies_to;                // [noi_nhan]
    std::vector<std::vector<TemplateLine>> signatures;  // each [ky]
    std::string path;
};

// Reads and checks a template: UTF-8 (normalized to NFC), known sections, known placeholders,
// the sections its kind needs. Errors name the file and line.
Result<LetterTemplate> load_letter_template(const std::string& path);
// The same from the file's text; `path` names it in errors.
Result<LetterTemplate> parse_letter_template(std::string content, const std::string& path);
// A template is a page of text; anything far larger is not one.
inline constexpr std::size_t kMaxTemplateBytes = 256u << 10;

struct LetterData {
    std::map<std::string, std::string> values;             // placeholder -> text (NFC UTF-8)
    std::vector<std::map<std::string, std::string>> rows;  // field_key -> text; STT is numbered
    // Rows of organizations' certificates: listed under [bang_to_chuc] when the template has
    // it (a list of their own, numbered from 1), else after `rows` under [bang].
    std::vector<std::map<std::string, std::string>> org_rows;
};

struct StyledText {
    std::string text;
    bool bold = false;
    bool italic = false;
};

// Title lines (bold, upper case) and notes (italic, in parentheses), then the signer's name.
struct SignatureBlock {
    std::vector<StyledText> lines;
    std::string name;
};

// One list as printed: its title lines, column headings and rows.
struct RenderedList {
    std::vector<StyledText> title;
    std::vector<std::string> headings;
    std::vector<std::vector<std::string>> rows;
};

// Everything a writer prints, resolved: placeholders filled, header lines upper-cased, table cells
// numbered. Cells may hold several lines separated by '\n'.
struct RenderedLetter {
    LetterKind kind = LetterKind::letter;
    std::string national_title;           // Quốc hiệu
    std::string motto;                    // Tiêu ngữ
    std::string superior_body;            // upper case; may be empty
    std::string issuing_body;             // upper case
    std::string number;                   // "Số: 12/SKHCN-CĐS"; empty in a record
    std::string subject;                  // "V/v ..."; empty in a record
    std::string place_date;               // italic; may be empty in a record
    std::vector<StyledText> title;        // record title, centred
    std::string recipients_label;         // "Kính gửi:"
    std::vector<std::string> recipients;  // one: as is; several: "- X;" ... "- Z."
    std::vector<StyledText> body;         // [mo_dau] then [than]: justified, first-line indent
    // The lists: people's then organizations'; a list without rows is left out (the first one
    // stays, with its headings only, when there are no rows at all).
    std::vector<RenderedList> lists;
    // Empty: the list stands in the body, after [than]. Otherwise it follows the signature on
    // landscape pages under these centred lines ("DANH SÁCH ...", "(Kèm theo Công văn ...)").
    std::vector<StyledText> appendix_title;
    std::vector<StyledText> closing;     // [ket]
    std::string copies_label;            // "Nơi nhận:"
    std::vector<std::string> copies_to;  // "- Như trên;" ... "- Lưu: VT."
    std::vector<SignatureBlock> signatures;
};

// Fills the template. {{so_luong}} defaults to the number of rows (both lists), two digits
// ("05"). Used placeholders without a value, or with an empty value where one may not be empty,
// are one error letter.missing_values listing them all by description, naming the template
// file and the first one's line; a row without a value for a column key is an error naming the
// row and the template line.
Result<RenderedLetter> resolve_letter(const LetterTemplate& tpl, const LetterData& data);

// A minimal OOXML package (A4, Decree 30 margins, Times New Roman 14 pt, page numbers from page 2).
Status write_letter_docx(const RenderedLetter& letter, const std::string& path);

// PDF with embedded Liberation Serif (metric-compatible with Times New Roman, Vietnamese glyphs).
Status write_letter_pdf(const RenderedLetter& letter, const std::string& path);

}  // namespace kyso::docs

// kyso checks — the human report of `kyso check`: an XLSX with the problem cells highlighted.
#include "checks/findings_report.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>

#include "core/messages.h"
#include "docs/marked_sheet.h"
#include "text/csv.h"

namespace kyso::checks {

namespace {

// Excel holds 1,048,576 rows; one is the heading row.
constexpr std::size_t kMaxSheetRows = 1'048'575;

constexpr std::array<std::string_view, 4> kFiles = {"organizations.csv", "people.csv",
                                                    "devices.csv", "certificates.csv"};

std::string note_of(const Finding& f) {
    std::string note =
        (f.severity == Severity::error ? message("report.error") : message("report.warning")) +
        " [" + f.code + "] " + f.message;
    if (f.suggestion) note += " → " + *f.suggestion;
    return note;
}

docs::MarkedSheet summary_sheet(const Findings& findings) {
    docs::MarkedSheet s;
    s.name = message("report.summary_sheet");
    s.notes_column = false;
    s.headings = {message("report.h_severity"), message("report.h_file"),
                  message("report.h_row"),      message("report.h_field"),
                  message("report.h_id"),       message("report.h_code"),
                  message("report.h_message"),  message("report.h_suggestion")};
    for (const Finding& f : findings.items) {
        if (s.rows.size() == kMaxSheetRows - 1) {
            s.rows.push_back({message("report.truncated", {std::to_string(kMaxSheetRows - 1)})});
            break;
        }
        const bool error = f.severity == Severity::error;
        s.marks.push_back({s.rows.size(), 0, error ? docs::Mark::error : docs::Mark::warning, ""});
        s.rows.push_back({error ? message("report.error") : message("report.warning"), f.file,
                          std::to_string(f.row), f.field, f.id, f.code, f.message,
                          f.suggestion.value_or("")});
    }
    return s;
}

// The records of one file that have findings, with their problem cells marked.
Result<docs::MarkedSheet> file_sheet(std::string_view file, const std::string& dir,
                                     const std::vector<const Finding*>& of_file) {
    auto reader = text::CsvReader::open(dir + "/" + std::string(file), std::string(file));
    if (!reader) return reader.error();
    docs::MarkedSheet s;
    s.name = message("report.sheet_" + std::string(file.substr(0, file.find('.'))));
    s.headings.push_back(message("report.h_row"));
    for (const auto& h : reader->header()) s.headings.push_back(h);
    std::size_t next = 0;  // of_file is in row order (FORMATS.md §5)
    while (next < of_file.size() && s.rows.size() < kMaxSheetRows) {
        auto more = reader->next();
        if (!more) return more.error();
        if (!*more) break;
        if (reader->row() < of_file[next]->row) continue;
        std::vector<std::string> row{std::to_string(reader->row())};
        row.insert(row.end(), reader->fields().begin(), reader->fields().end());
        for (; next < of_file.size() && of_file[next]->row == reader->row(); ++next) {
            const Finding& f = *of_file[next];
            const auto col = reader->column(f.field);
            s.marks.push_back(
                {s.rows.size(), col ? *col + 1 : 0,
                 f.severity == Severity::error ? docs::Mark::error : docs::Mark::warning,
                 note_of(f)});
        }
        s.rows.push_back(std::move(row));
    }
    return s;
}

}  // namespace

Status write_findings_xlsx(const Findings& findings, const std::string& bundle_dir,
                           const std::string& path) {
    std::vector<docs::MarkedSheet> sheets;
    sheets.push_back(summary_sheet(findings));
    std::map<std::string_view, std::vector<const Finding*>> by_file;
    for (const Finding& f : findings.items) by_file[f.file].push_back(&f);
    for (std::string_view file : kFiles) {
        if (!std::filesystem::exists(bundle_dir + "/" + std::string(file))) continue;
        auto& of_file = by_file[file];
        std::stable_sort(of_file.begin(), of_file.end(),
                         [](const Finding* a, const Finding* b) { return a->row < b->row; });
        auto sheet = file_sheet(file, bundle_dir, of_file);
        if (!sheet) return sheet.error();
        sheets.push_back(std::move(*sheet));
    }
    return docs::write_marked_xlsx(sheets, path);
}

}  // namespace kyso::checks

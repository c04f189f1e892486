// kyso text — RFC 4180 CSV writing (quotes only where needed, LF line ends).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/atomic_file.h"
#include "core/result.h"

namespace kyso::text {

// Appends `value` to `out`, quoted when it holds a comma, quote, CR or LF (quotes doubled).
void append_csv_field(std::string& out, std::string_view value);

// `value` as a spreadsheet program may show it without running it (OWASP "CSV injection"): a
// value starting with '=', '+', '-', '@', a tab or a CR gets a leading apostrophe ('), which
// spreadsheet programs take as "text"; a plain number ("-5", "+84912345678", "-1.5") and every
// other value are returned unchanged.
std::string neutralize_formula(std::string_view value);

// A buffered CSV file writer, all or nothing (core/atomic_file.h): the file appears at `path`
// complete on close(), and an unclosed writer leaves the old file. Errors are reported by close().
class CsvWriter {
public:
    // For spreadsheet programs: a UTF-8 BOM first, CRLF line ends, and every field passed
    // through neutralize_formula (files meant for people, never data kyso reads back).
    struct ForSpreadsheets {};
    // A log for people to read (intake.csv, fixes.csv): LF line ends and no BOM as usual, but
    // every field passed through neutralize_formula (the values come from agencies' files).
    struct Neutralized {};
    explicit CsvWriter(std::string path);
    CsvWriter(std::string path, ForSpreadsheets);
    CsvWriter(std::string path, Neutralized);
    CsvWriter(const CsvWriter&) = delete;
    CsvWriter& operator=(const CsvWriter&) = delete;
    ~CsvWriter();

    void row(std::initializer_list<std::string_view> fields);
    void row(const std::vector<std::string>& fields);
    // Flushes, closes and puts the file in place; an error names the file.
    Status close();

private:
    void flush();
    std::string path_;
    std::optional<AtomicFile> file_;
    Error error_;
    std::string buffer_;
    bool failed_ = false;
    std::string_view line_end_ = "\n";
    bool neutralize_ = false;
};

}  // namespace kyso::text

// kyso text — RFC 4180 CSV writing (quotes only where needed, LF line ends).
#pragma once

#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kyso::text {

// Appends `value` to `out`, quoted when it holds a comma, quote, CR or LF (quotes doubled).
void append_csv_field(std::string& out, std::string_view value);

// A buffered CSV file writer. Errors are reported by close().
class CsvWriter {
public:
    // For spreadsheet programs: a UTF-8 BOM first, and CRLF line ends.
    struct ForSpreadsheets {};
    explicit CsvWriter(std::string path);
    CsvWriter(std::string path, ForSpreadsheets);
    CsvWriter(const CsvWriter&) = delete;
    CsvWriter& operator=(const CsvWriter&) = delete;
    ~CsvWriter();

    void row(std::initializer_list<std::string_view> fields);
    void row(const std::vector<std::string>& fields);
    // Flushes and closes; an error names the file.
    Status close();

private:
    void flush();
    std::string path_;
    std::FILE* file_ = nullptr;
    std::string buffer_;
    bool failed_ = false;
    std::string_view line_end_ = "\n";
};

}  // namespace kyso::text

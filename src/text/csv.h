// kyso text — strict RFC 4180 CSV reading with file/row/column errors and size limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kyso::text {

// Every limit is checked while scanning, before the bytes it guards are copied: a cell is refused
// at its first byte over max_cell, however long it runs on (docs/security.md, "Input limits").
// The file is mapped, not read: pages already read are given back, so memory follows the record,
// not the file.
struct CsvLimits {
    std::size_t max_file = std::size_t{2} << 30;  // bytes (2 GiB): csv.file_too_large
    std::size_t max_record = 1 << 20;             // bytes of one record (1 MiB): csv.row_too_large
    std::size_t max_cell = 64 << 10;              // bytes of one value (64 KiB): csv.cell_too_large
};

// How the fields are laid out. The defaults are RFC 4180, which bundles use (FORMATS.md §1);
// agencies' CSV files may use another separator (csv_dialect.h) and rows of any length.
struct CsvOptions {
    char separator = ',';  // ',', ';' or '\t'; never '"', CR or LF
    bool ragged = false;   // records may have fewer or more fields than the header
};

// Reads one CSV file record by record. RFC 4180: comma separator (or options.separator),
// double-quoted values with
// "" for a quote, CRLF or LF line ends, quoted values may span lines. A UTF-8 BOM is skipped;
// blank lines are skipped and not counted. Every record must have as many fields as the header
// (unless options.ragged). Values must be valid UTF-8 (csv.invalid_utf8) without control
// characters other than TAB, LF and CR (csv.control_char, nfc.h first_control_char).
class CsvReader {
public:
    // Maps the file; `display_name` is what errors call it (e.g. "people.csv").
    static Result<CsvReader> open(const std::string& path, std::string display_name,
                                  CsvLimits limits = {}, CsvOptions options = {});
    static Result<CsvReader> from_string(std::string data, std::string display_name,
                                         CsvLimits limits = {}, CsvOptions options = {});

    CsvReader(CsvReader&&) noexcept;
    CsvReader& operator=(CsvReader&&) noexcept;
    ~CsvReader();

    const std::vector<std::string>& header() const { return header_; }
    // Index of a header column, if present (exact match).
    std::optional<std::size_t> column(std::string_view name) const;

    // Reads the next record. true: a record is in fields(); false: end of file; error: malformed.
    Result<bool> next();
    const std::vector<std::string>& fields() const { return fields_; }
    std::vector<std::string>& mutable_fields() { return fields_; }
    // 1-based number of the current data record (header and blank lines not counted).
    std::int64_t row() const { return row_; }
    // 1-based physical line where the current record starts.
    std::int64_t line() const { return line_; }
    const std::string& name() const { return name_; }
    // Bytes consumed so far and the total size, for progress reports.
    std::size_t offset() const { return pos_; }
    std::size_t size() const;

private:
    struct Source;
    CsvReader(std::unique_ptr<Source> src, std::string name, CsvLimits limits, CsvOptions options);
    // Reads the header row; a file without one is an error.
    static Result<CsvReader> start(CsvReader reader);
    Result<bool> read_record(std::vector<std::string>& out);
    void release_consumed();
    Error error_at(std::string_view code, std::initializer_list<std::string_view> args,
                   std::size_t field_index) const;

    std::unique_ptr<Source> src_;
    std::string name_;
    CsvLimits limits_;
    CsvOptions options_;
    std::size_t pos_ = 0;
    std::size_t released_ = 0;  // mapped bytes already given back to the kernel
    std::int64_t row_ = 0;
    std::int64_t line_ = 0;
    std::int64_t next_line_ = 1;
    std::vector<std::string> header_;
    std::vector<std::string> fields_;
};

}  // namespace kyso::text

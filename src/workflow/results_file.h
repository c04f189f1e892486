// kyso workflow — the national CA's results file (danh sách kết quả): which columns are which,
// and its processing dates, read into rows that `kyso results import` applies (docs/results.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace kyso::workflow {

enum class ResultColumn { request_id, serial, outcome, reason, new_serial, date };

// The column a heading names, and how sure it is (0 best; several columns may name a date, the
// best one is used: "Ngày xử lý" before "Ngày thu hồi" before "Ngày cấp" before a bare "Ngày").
// Headings are compared folded (case, tone marks and spaces ignored). nullopt: not a column of
// the results file (a date of birth or of expiry is not a processing date).
struct ColumnMatch {
    ResultColumn column;
    int rank = 0;
};
std::optional<ColumnMatch> result_column(std::string_view heading);

// A processing date as the CA writes it: ISO "yyyy-mm-dd" (a time after it, "T…" or " …", is
// ignored), "dd/mm/yyyy" day first (also with '-' or '.', one-digit day or month, a time after
// it), or an Excel serial day number (1900 date system). nullopt when it is none of these.
// Years from kMinProcessingYear (1900) to 9999; a time must be a time of day (core
// valid_time_of_day: "25:00" makes the whole text no date).
std::optional<Date> parse_processing_date(std::string_view text);
inline constexpr int kMinProcessingYear = 1900;

// The outcome "hoàn thành" / "completed" (true) or "từ chối" / "rejected" (false), and the
// wordings people use for them ("Đã cấp", "Đã thu hồi", "Đã thay đổi", "Không thực hiện" …,
// docs/results.md), with or without tone marks, in any case, with extra spaces or a final stop;
// nullopt when unknown (an empty cell too).
std::optional<bool> parse_outcome(std::string_view text);
// The accepted wordings of one outcome (done: true) as the error lists them, "a, b, c".
std::string outcome_words(bool done);

// One answer of the CA. `row` is the row people see: the spreadsheet's row number, or the CSV
// line (the heading is usually row 1, the first answer row 2).
struct ResultRow {
    std::int64_t row = 0;
    std::string request_id;
    std::string serial;  // the certificate concerned, normalized (core normalize_serial)
    std::string outcome;
    std::string reason;
    std::string new_serial;  // normalized
    std::string date;        // as written; empty when the file has no date column or the cell
};

struct ResultsFile {
    std::vector<ResultRow> rows;  // blank rows left out
    std::string date_heading;     // the heading of the date column used, empty when none
    std::string outcome_heading;  // the heading of the outcome column, as written
};

// Reads a CSV (UTF-8, UTF-16 or Windows-1258) or XLSX (first sheet) results file with a header
// row. Needs an outcome column and a request id or serial column (results.columns).
Result<ResultsFile> read_results_file(const std::string& path);

}  // namespace kyso::workflow

// kyso intake — which column of an agency's sheet holds which field: Vietnamese headings and
// an explicit mapping file.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kyso::intake {

// What intake reads from a sheet (people.csv fields, the unit and the certificate serial).
enum class IntakeField {
    full_name,
    cccd,
    date_of_birth,
    email,
    phone,
    organization,
    position,
    serial,
    cccd_issued_on,
    cccd_issued_by,
    device_kind,    // Loại thiết bị: TOKEN, SIM, HSM
    device_serial,  // the token's serial or the SIM's ICCID
    carrier,        // Nhà mạng (PKI SIM)
    holder_type,  // Loại chứng thư / Đối tượng: Cá nhân, or Tổ chức / Cơ quan (intake_rows.h)
};
inline constexpr std::size_t kIntakeFieldCount = 14;

// "full_name", "cccd", ... as written in mapping files.
std::string_view field_key(IntakeField field);
std::optional<IntakeField> field_from_key(std::string_view key);

// The field a heading names, if it is one agencies use ("Họ và tên", "Số CCCD", "Số định danh
// cá nhân", "Ngày sinh (dd/mm/yyyy)", "Email công vụ", "SĐT", "Đơn vị", "Cơ quan, đơn vị", "Tên
// cơ quan", "Chức vụ", "Số serial chứng thư", "Số hiệu chứng thư", "Số serial token / ICCID",
// "Loại chứng thư", ...). Case, tone marks, spaces around ',' and '/', "(*)" and a trailing
// parenthesis are ignored.
std::optional<IntakeField> recognize_heading(std::string_view heading);

// Folds a heading for comparison: case and marks away, no spaces around ',' and '/', then "(*)"
// (required-field marks) and a trailing parenthesis such as "(dd/mm/yyyy)" or "(nếu có)", and
// trailing ':', '.' or '*'. "Ngày hiệu lực (dd/mm/yyyy)" → "ngay hieu luc".
std::string fold_heading(std::string_view heading);

// Headings of columns intake knows it does not need: row numbers ("STT", "TT", "Số thứ tự").
bool ignored_heading(std::string_view heading);

// An explicit mapping: heading → field, from a UTF-8 text file of lines `Tiêu đề cột = field`
// (`#` starts a comment). Headings compare as recognize_heading does.
struct ColumnMapping {
    std::vector<std::pair<std::string, IntakeField>> entries;  // folded heading, field
};
Result<ColumnMapping> load_mapping(const std::string& path);

// Columns of a header row: for each field, the 0-based column holding it.
using ColumnMap = std::array<std::optional<std::size_t>, kIntakeFieldCount>;

// Recognizes a header row with the mapping first, then the known headings. A heading claimed
// twice keeps its first column.
ColumnMap map_columns(const std::vector<std::string>& header, const ColumnMapping* mapping);
std::size_t mapped_count(const ColumnMap& columns);

// A column of a header row that intake does not read: neither mapped nor an ignored heading
// (and not empty). Listed on the terminal and in intake.csv, never dropped in silence.
struct UnreadColumn {
    std::size_t column = 0;  // 0-based
    std::string heading;     // as written
};
std::vector<UnreadColumn> unread_columns(const std::vector<std::string>& header,
                                         const ColumnMap& columns);

// "A", "B", ..., "Z", "AA", ... for a 0-based column.
std::string column_letter(std::size_t column);

}  // namespace kyso::intake

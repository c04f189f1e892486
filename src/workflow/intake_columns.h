// kyso workflow — which column of an agency's sheet holds which field: Vietnamese headings and
// an explicit mapping file.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kyso::workflow {

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
};
inline constexpr std::size_t kIntakeFieldCount = 13;

// "full_name", "cccd", ... as written in mapping files.
std::string_view field_key(IntakeField field);
std::optional<IntakeField> field_from_key(std::string_view key);

// The field a heading names, if it is one agencies use ("Họ và tên", "Số CCCD", "Số định danh
// cá nhân", "Ngày sinh (dd/mm/yyyy)", "Email công vụ", "SĐT", "Đơn vị", "Chức vụ", "Số serial",
// ...). Case, tone marks, "(*)" and a trailing parenthesis are ignored.
std::optional<IntakeField> recognize_heading(std::string_view heading);

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

}  // namespace kyso::workflow

// kyso intake — decisions as the rows of a spreadsheet (`kyso events import --xlsx|--csv`,
// `kyso events template`): one reorganization event (FORMATS.md §2) per row under Vietnamese
// headings (docs/events.md, "Bảng quyết định").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace kyso::intake {

// The columns of a decisions sheet. Which member of events.json a column fills depends on the
// row's kind (sheet_field): "Cơ quan" is the sources of a merge and the `org` of a rename,
// change of superior or dissolution; "Tên mới" is the new organization's name or a rename's
// name; "Cơ quan cấp trên" the new organization's superior or a change_superior's.
enum class SheetColumn {
    id,           // Mã sự kiện (optional: E00001… given when empty)
    type,         // Loại
    date,         // Ngày hiệu lực
    basis,        // Số quyết định
    org,          // Cơ quan
    keep,         // Cơ quan giữ lại
    new_id,       // Mã cơ quan mới
    new_name,     // Tên mới
    superior,     // Cơ quan cấp trên
    province,     // Tỉnh
    agency_code,  // Mã định danh
    admin_unit,   // Mã đơn vị hành chính
    carrier,      // Cơ quan mang chứng thư
    parts_from,   // Tách một phần từ
    successor,    // Cơ quan kế thừa
    person,       // Cá nhân
    to_org,       // Chuyển đến
    provinces,    // Tỉnh cũ
    into,         // Tỉnh mới
};
inline constexpr std::size_t kSheetColumnCount = 19;

// The heading the template writes for `column`.
std::string_view sheet_heading(SheetColumn column);
// The column a heading names: the template's headings and their usual variants, without tone
// marks, in English and as events.json members (docs/events.md lists them). Compared as intake
// compares headings (fold_heading).
std::optional<SheetColumn> recognize_sheet_heading(std::string_view heading);
// The events.json member `column` fills in a row of kind `type` ("" : the kind has no use for
// it: a value there is an error naming the column).
std::string_view sheet_field(EventType type, SheetColumn column);

// One row read into an event.
struct SheetRow {
    std::size_t row = 0;  // spreadsheet row, 1-based, as Excel shows it
    ReorgEvent event;
};

struct EventsSheet {
    std::string file;
    std::string sheet;                                // the sheet read
    std::vector<std::optional<std::size_t>> columns;  // per SheetColumn: 0-based column
    std::vector<std::string> headings;                // the header row as written
    std::vector<SheetRow> rows;                       // rows that read well
    std::vector<Error> errors;                        // one per wrong row, in order
};

// Reads `path` (.xlsx, or CSV: text/spreadsheet.h): the first visible sheet whose header row
// (among its first 10 rows) has the "Loại" and "Ngày hiệu lực" columns; then every non-empty row
// below it, each read by bundle::event_from_fields (the rules of events.json). Kinds are codes
// or words (bundle::parse_event_kind); dates are YYYY-MM-DD, dd/mm/yyyy or Excel dates; lists
// ("Cơ quan" of a merge, "Tỉnh cũ", "Tách một phần từ") are separated by ',', ';' or line breaks;
// "không" (or "none", "-") in "Cơ quan cấp trên" means no superior. A row without "Mã sự kiện"
// gets next_event_id(`used`); ids are added to `used`. Every row's error is collected (located
// by locate_sheet_error). Errors of the file itself: the spreadsheet readers' and
// events_sheet.no_header.
Result<EventsSheet> read_events_sheet(const std::string& path,
                                      std::unordered_set<std::string>& used);

// `error` (from reading or validating the sheet's events, naming an event id and an events.json
// member) with the sheet's file, the row of that event and the column's heading as written.
Error locate_sheet_error(const EventsSheet& sheet, Error error);

// Writes a blank decisions workbook: the sheet "Quyết định" with every heading (a note on each,
// the kind words offered in "Loại", dates and codes as text) and the sheet "Hướng dẫn" saying
// which columns each kind uses. An existing file is not overwritten (intake.template_exists).
Status write_events_template(const std::string& path);

}  // namespace kyso::intake

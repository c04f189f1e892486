// kyso intake — `kyso intake --template`: a blank workbook with the sheets and headings intake
// reads (intake.h write_intake_template; docs/intake.md, "Template").
#include <xlsxwriter.h>

#include <string_view>

#include "core/messages.h"
#include "intake/blank_workbook.h"
#include "intake/intake.h"

namespace kyso::intake {

namespace {

// A heading, the catalog code of its cell comment (empty: none) and whether the column holds
// digits Excel would turn into numbers (formatted as text).
struct TemplateColumn {
    std::string_view heading;
    std::string_view note;
    bool text = false;
    double width = 18;
};

// Headings as intake_columns.cpp recognizes them (a test reads the template back).
constexpr TemplateColumn kPeople[] = {
    {"STT", "", false, 6},
    {"Họ và tên", "intake.template_name", false, 26},
    {"Số CCCD", "intake.template_cccd", true, 16},
    {"Ngày sinh", "intake.template_date", true, 13},
    {"Ngày cấp CCCD", "intake.template_date", true, 13},
    {"Nơi cấp CCCD", "", false, 22},
    {"Email", "", false, 26},
    {"Số điện thoại", "", true, 14},
    {"Đơn vị", "intake.template_unit", false, 36},
    {"Chức vụ", "", false, 18},
    {"Số serial chứng thư", "intake.template_serial", true, 26},
    {"Loại thiết bị", "intake.template_device_kind", false, 14},
    {"Số serial thiết bị", "intake.template_device_serial", true, 22},
    {"Nhà mạng", "intake.template_carrier", false, 12},
};

constexpr TemplateColumn kOrganizations[] = {
    {"STT", "", false, 6},
    {"Tên cơ quan, tổ chức", "intake.template_org_name", false, 44},
    {"Số serial chứng thư", "intake.template_serial", true, 26},
    {"Loại thiết bị", "intake.template_device_kind", false, 14},
    {"Số serial thiết bị", "intake.template_device_serial", true, 22},
};

constexpr lxw_row_t kTemplateRows = 1000;  // rows formatted and offered the device kinds

lxw_error write_sheet(lxw_workbook* wb, const char* name, const TemplateColumn* columns,
                      std::size_t count) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, name);
    if (ws == nullptr) return LXW_ERROR_SHEETNAME_ALREADY_USED;
    lxw_format* head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_text_wrap(head);
    lxw_format* text = workbook_add_format(wb);
    format_set_num_format(text, "@");  // CCCD, phones and serials keep their leading zeros
    for (std::size_t i = 0; i < count; ++i) {
        const TemplateColumn& c = columns[i];
        const auto col = static_cast<lxw_col_t>(i);
        if (lxw_error e = worksheet_set_column(ws, col, col, c.width, c.text ? text : nullptr))
            return e;
        if (lxw_error e = worksheet_write_string(ws, 0, col, std::string(c.heading).c_str(), head))
            return e;
        if (!c.note.empty()) {
            const std::string note = message(c.note, {}, false);
            if (lxw_error e = worksheet_write_comment(ws, 0, col, note.c_str())) return e;
        }
        if (c.note == "intake.template_device_kind") {
            static const char* kKinds[] = {"TOKEN", "SIM", "HSM", "SOFT", "RSSP", nullptr};
            lxw_data_validation v{};
            v.validate = LXW_VALIDATION_TYPE_LIST;
            v.value_list = const_cast<char**>(kKinds);
            v.show_error = LXW_VALIDATION_OFF;  // a suggestion: other spellings are read too
            if (lxw_error e = worksheet_data_validation_range(ws, 1, col, kTemplateRows, col, &v))
                return e;
        }
    }
    worksheet_freeze_panes(ws, 1, 0);
    return LXW_NO_ERROR;
}

}  // namespace

Status write_intake_template(const std::string& path) {
    return write_blank_workbook(path, [](lxw_workbook* wb) {
        if (lxw_error e = write_sheet(wb, "Cá nhân", kPeople, std::size(kPeople))) return e;
        return write_sheet(wb, "Tổ chức", kOrganizations, std::size(kOrganizations));
    });
}

}  // namespace kyso::intake

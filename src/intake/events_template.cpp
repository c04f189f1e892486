// kyso intake — `kyso events template`: a blank decisions workbook (events_sheet.h
// write_events_template; docs/events.md, "Bảng quyết định").
#include <xlsxwriter.h>

#include <string>
#include <vector>

#include "bundle/event_fields.h"
#include "core/messages.h"
#include "intake/blank_workbook.h"
#include "intake/events_sheet.h"

namespace kyso::intake {

namespace {

constexpr EventType kTypes[] = {
    EventType::merge,          EventType::create,   EventType::rename,   EventType::change_superior,
    EventType::merge_province, EventType::dissolve, EventType::transfer, EventType::person_leaves};

constexpr lxw_row_t kTemplateRows = 1000;  // rows formatted and offered the kind words

lxw_error write_decisions(lxw_workbook* wb, const std::vector<std::string>& kinds) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Quyết định");
    if (ws == nullptr) return LXW_ERROR_SHEETNAME_ALREADY_USED;
    lxw_format* head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_text_wrap(head);
    lxw_format* text = workbook_add_format(wb);
    format_set_num_format(text, "@");  // codes and dates as typed
    for (std::size_t i = 0; i < kSheetColumnCount; ++i) {
        const auto column = static_cast<SheetColumn>(i);
        const auto col = static_cast<lxw_col_t>(i);
        const double width = column == SheetColumn::new_name ? 36 : 18;
        if (lxw_error e = worksheet_set_column(ws, col, col, width, text)) return e;
        const std::string heading(sheet_heading(column));
        if (lxw_error e = worksheet_write_string(ws, 0, col, heading.c_str(), head)) return e;
        const std::string note = message("events_sheet.note_" + std::to_string(i), {}, false);
        if (lxw_error e = worksheet_write_comment(ws, 0, col, note.c_str())) return e;
    }
    std::vector<const char*> list;
    for (const auto& k : kinds) list.push_back(k.c_str());
    list.push_back(nullptr);
    lxw_data_validation v{};
    v.validate = LXW_VALIDATION_TYPE_LIST;
    v.value_list = const_cast<char**>(list.data());
    v.show_error = LXW_VALIDATION_OFF;  // a suggestion: codes and other spellings are read too
    const auto type_col = static_cast<lxw_col_t>(SheetColumn::type);
    if (lxw_error e = worksheet_data_validation_range(ws, 1, type_col, kTemplateRows, type_col, &v))
        return e;
    worksheet_freeze_panes(ws, 1, 0);
    return LXW_NO_ERROR;
}

// One row per kind: its word, its code and the columns it uses.
lxw_error write_guide(lxw_workbook* wb, const std::vector<std::string>& kinds) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Hướng dẫn");
    if (ws == nullptr) return LXW_ERROR_SHEETNAME_ALREADY_USED;
    lxw_format* head = workbook_add_format(wb);
    format_set_bold(head);
    const char* titles[] = {"Loại", "Mã loại (events.json)", "Các cột dùng"};
    for (lxw_col_t c = 0; c < 3; ++c) {
        if (lxw_error e = worksheet_write_string(ws, 0, c, titles[c], head)) return e;
    }
    worksheet_set_column(ws, 0, 0, 24, nullptr);
    worksheet_set_column(ws, 1, 1, 22, nullptr);
    worksheet_set_column(ws, 2, 2, 110, nullptr);
    for (std::size_t t = 0; t < std::size(kTypes); ++t) {
        std::string used;
        for (std::size_t i = 0; i < kSheetColumnCount; ++i) {
            const auto column = static_cast<SheetColumn>(i);
            if (column == SheetColumn::id || column == SheetColumn::type) continue;
            if (sheet_field(kTypes[t], column).empty()) continue;
            if (!used.empty()) used += "; ";
            used += std::string(sheet_heading(column)) + " (" +
                    std::string(sheet_field(kTypes[t], column)) + ")";
        }
        const auto row = static_cast<lxw_row_t>(t + 1);
        if (lxw_error e = worksheet_write_string(ws, row, 0, kinds[t].c_str(), nullptr)) return e;
        const std::string code(to_string(kTypes[t]));
        if (lxw_error e = worksheet_write_string(ws, row, 1, code.c_str(), nullptr)) return e;
        if (lxw_error e = worksheet_write_string(ws, row, 2, used.c_str(), nullptr)) return e;
    }
    const std::string note = message("events_sheet.guide_note", {}, false);
    return worksheet_write_string(ws, static_cast<lxw_row_t>(std::size(kTypes) + 2), 0,
                                  note.c_str(), nullptr);
}

}  // namespace

Status write_events_template(const std::string& path) {
    std::vector<std::string> kinds;
    for (EventType t : kTypes) kinds.push_back(bundle::event_kind_word(t, false));
    // Excel's list of choices is separated by commas: one word each, "Sáp nhập" added.
    std::vector<std::string> choices = kinds;
    choices[0] = "Hợp nhất";
    choices.insert(choices.begin() + 1, "Sáp nhập");
    return write_blank_workbook(path, [&](lxw_workbook* wb) {
        if (lxw_error e = write_decisions(wb, choices)) return e;
        return write_guide(wb, kinds);
    });
}

}  // namespace kyso::intake

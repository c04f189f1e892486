// kyso docs — a workbook for people fixing data: rows with their problem cells highlighted.
#include "docs/marked_sheet.h"

#include <xlsxwriter.h>

#include <map>
#include <memory>
#include <utility>

#include "core/atomic_file.h"
#include "core/messages.h"

namespace kyso::docs {

std::string sheet_name(std::string_view wanted) {
    std::string out;
    std::size_t chars = 0;
    for (std::size_t i = 0; i < wanted.size() && chars < 31;) {
        const auto lead = static_cast<unsigned char>(wanted[i]);
        const std::size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        std::string piece(wanted.substr(i, len));
        if (piece.size() == 1 && std::string_view("[]:*?/\\").find(piece[0]) != std::string::npos)
            piece = "-";
        out += piece;
        i += len;
        ++chars;
    }
    return out.empty() ? "Sheet" : out;
}

namespace {

struct WorkbookCloser {
    void operator()(lxw_workbook* wb) const { workbook_close(wb); }
};

Error write_error(const std::string& path, std::string_view why) {
    return make_error("docs.write", Location{path, 0, {}, {}}, {why});
}

struct Formats {
    lxw_format* head;
    lxw_format* text;
    lxw_format* warning;
    lxw_format* error;
};

Formats make_formats(lxw_workbook* wb) {
    Formats f{};
    f.head = workbook_add_format(wb);
    format_set_bold(f.head);
    format_set_bg_color(f.head, 0xDDEBF7);
    format_set_border(f.head, LXW_BORDER_THIN);
    format_set_text_wrap(f.head);
    f.text = workbook_add_format(wb);
    format_set_num_format(f.text, "@");  // text: serials and CCCD keep their leading zeros
    f.warning = workbook_add_format(wb);
    format_set_num_format(f.warning, "@");
    format_set_bg_color(f.warning, 0xFFEB9C);
    f.error = workbook_add_format(wb);
    format_set_num_format(f.error, "@");
    format_set_bg_color(f.error, 0xFFC7CE);
    format_set_font_color(f.error, 0x9C0006);
    return f;
}

lxw_error write_sheet(lxw_workbook* wb, const Formats& f, const MarkedSheet& s) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name(s.name).c_str());
    if (ws == nullptr) return LXW_ERROR_SHEETNAME_ALREADY_USED;
    // (row, column) -> mark; notes of a row in column order for the "Ghi chú" column.
    std::map<std::pair<std::size_t, std::size_t>, const CellMark*> marks;
    std::map<std::size_t, std::string> row_notes;
    for (const auto& m : s.marks) {
        auto [it, fresh] = marks.emplace(std::pair{m.row, m.column}, &m);
        if (!fresh && m.mark > it->second->mark) it->second = &m;
        if (m.note.empty()) continue;
        auto& notes = row_notes[m.row];
        if (!notes.empty()) notes += "\n";
        notes += m.note;
    }
    const auto ncols = static_cast<lxw_col_t>(s.headings.size());
    for (lxw_col_t c = 0; c < ncols; ++c) {
        worksheet_write_string(ws, 0, c, s.headings[c].c_str(), f.head);
        worksheet_set_column(ws, c, c, 18, nullptr);
    }
    if (s.notes_column) {
        worksheet_write_string(ws, 0, ncols, message("docs.notes_heading").c_str(), f.head);
        worksheet_set_column(ws, ncols, ncols, 60, nullptr);
    }
    worksheet_freeze_panes(ws, 1, 0);
    for (std::size_t r = 0; r < s.rows.size(); ++r) {
        const auto row = static_cast<lxw_row_t>(r + 1);
        for (std::size_t c = 0; c < s.rows[r].size() && c < s.headings.size(); ++c) {
            const auto it = marks.find({r, c});
            lxw_format* fmt = f.text;
            if (it != marks.end()) fmt = it->second->mark == Mark::error ? f.error : f.warning;
            if (lxw_error e = worksheet_write_string(ws, row, static_cast<lxw_col_t>(c),
                                                     s.rows[r][c].c_str(), fmt))
                return e;
            if (it != marks.end() && !it->second->note.empty())
                worksheet_write_comment(ws, row, static_cast<lxw_col_t>(c),
                                        it->second->note.c_str());
        }
        if (auto n = row_notes.find(r); s.notes_column && n != row_notes.end())
            worksheet_write_string(ws, row, ncols, n->second.c_str(), f.text);
    }
    return LXW_NO_ERROR;
}

Status write_marked_xlsx_to(const std::vector<MarkedSheet>& sheets, const std::string& path) {
    std::unique_ptr<lxw_workbook, WorkbookCloser> wb(workbook_new(path.c_str()));
    if (!wb) return write_error(path, "cannot create workbook");
    const Formats f = make_formats(wb.get());
    for (const auto& s : sheets) {
        if (lxw_error e = write_sheet(wb.get(), f, s)) return write_error(path, lxw_strerror(e));
    }
    if (const lxw_error e = workbook_close(wb.release()); e != LXW_NO_ERROR)
        return write_error(path, lxw_strerror(e));
    return Ok{};
}

}  // namespace

Status write_marked_xlsx(const std::vector<MarkedSheet>& sheets, const std::string& path) {
    return write_file_atomically_via(
        path, [&](const std::string& temp) { return write_marked_xlsx_to(sheets, temp); });
}

}  // namespace kyso::docs

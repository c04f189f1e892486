// kyso docs — a list to hand to people: rows under Vietnamese headings, written as CSV or XLSX.
#include "docs/table.h"

#include <xlsxwriter.h>

#include <cstdio>
#include <memory>

#include "core/atomic_file.h"
#include "core/messages.h"
#include "text/csv_writer.h"

namespace kyso::docs {

Status write_csv(const Table& table, const std::string& path) {  // CsvWriter: atomic
    text::CsvWriter out(path, text::CsvWriter::ForSpreadsheets{});
    out.row(table.headings);
    for (const auto& g : table.groups) {
        if (!g.title.empty()) {
            std::vector<std::string> title(table.headings.size());
            if (!title.empty()) title[0] = g.title;
            out.row(title);
        }
        for (const auto& r : g.rows) out.row(r);
    }
    return out.close();
}

namespace {
struct WorkbookCloser {
    void operator()(lxw_workbook* wb) const { workbook_close(wb); }
};

Status write_xlsx_to(const Table& table, const std::string& path) {
    std::unique_ptr<lxw_workbook, WorkbookCloser> wb(workbook_new(path.c_str()));
    if (!wb) return make_error("docs.write", Location{path, 0, {}, {}}, {"cannot create workbook"});
    // Sheet names: at most 31 characters, none of []:*?/\ .
    std::string sheet_name = table.title.empty() ? "Sheet1" : table.title;
    for (char& c : sheet_name) {
        if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = '-';
    }
    if (sheet_name.size() > 31) sheet_name.resize(31);
    lxw_worksheet* ws = workbook_add_worksheet(wb.get(), sheet_name.c_str());
    if (ws == nullptr) ws = workbook_add_worksheet(wb.get(), nullptr);
    lxw_format* head = workbook_add_format(wb.get());
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_text_wrap(head);
    format_set_num_format(head, "@");
    lxw_format* group = workbook_add_format(wb.get());
    format_set_bold(group);
    format_set_bg_color(group, 0xF2F2F2);
    lxw_format* cell = workbook_add_format(wb.get());
    format_set_num_format(cell, "@");
    format_set_text_wrap(cell);
    format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);

    const auto ncols = static_cast<lxw_col_t>(table.headings.size());
    for (lxw_col_t c = 0; c < ncols; ++c) {
        worksheet_write_string(ws, 0, c, table.headings[c].c_str(), head);
        const double w = c < table.widths.size() ? table.widths[c] : 18.0;
        worksheet_set_column(ws, c, c, w, cell);
    }
    worksheet_freeze_panes(ws, 1, 0);
    lxw_row_t row = 1;
    for (const auto& g : table.groups) {
        if (g.title.empty()) {
            // an untitled group (a plain list): no title row
        } else if (ncols > 1) {
            worksheet_merge_range(ws, row, 0, row, ncols - 1, g.title.c_str(), group);
            ++row;
        } else {
            worksheet_write_string(ws, row, 0, g.title.c_str(), group);
            ++row;
        }
        for (const auto& r : g.rows) {
            for (lxw_col_t c = 0; c < ncols && c < r.size(); ++c) {
                if (!r[c].empty()) worksheet_write_string(ws, row, c, r[c].c_str(), cell);
            }
            ++row;
        }
    }
    if (ncols > 0) worksheet_autofilter(ws, 0, 0, row - 1, ncols - 1);
    const lxw_error err = workbook_close(wb.release());
    if (err != LXW_NO_ERROR)
        return make_error("docs.write", Location{path, 0, {}, {}}, {lxw_strerror(err)});
    return Ok{};
}

}  // namespace

Status write_xlsx(const Table& table, const std::string& path) {
    return write_file_atomically_via(
        path, [&](const std::string& temp) { return write_xlsx_to(table, temp); });
}

}  // namespace kyso::docs

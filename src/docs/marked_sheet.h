// kyso docs — a workbook for people fixing data: rows with their problem cells highlighted.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace kyso::docs {

enum class Mark { none, warning, error };

// One highlighted cell: its row and column in `MarkedSheet::rows`, and what is wrong with it.
struct CellMark {
    std::size_t row = 0;
    std::size_t column = 0;
    Mark mark = Mark::error;
    std::string note;  // shown as the cell's comment and in the sheet's last column; may be empty
};

struct MarkedSheet {
    std::string name;  // at most 31 characters are kept (Excel's limit)
    std::vector<std::string> headings;
    std::vector<std::vector<std::string>> rows;
    std::vector<CellMark> marks;
    bool notes_column = true;  // the last column "Ghi chú" with the notes of each row
};

// XLSX: one sheet per MarkedSheet, bold frozen headings, every cell as text; an error cell is
// filled red and a warning cell yellow, each with its note as a comment, and a last column
// "Ghi chú" gathers the notes of the row so they print.
Status write_marked_xlsx(const std::vector<MarkedSheet>& sheets, const std::string& path);

// Excel's sheet-name rules: at most 31 characters, none of []:*?/\ ; a UTF-8 character is
// never cut.
std::string sheet_name(std::string_view wanted);

}  // namespace kyso::docs

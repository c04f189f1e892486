// kyso docs — a list to hand to people: rows under Vietnamese headings, written as CSV or XLSX.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace kyso::docs {

// A titled group of rows (e.g. the actions of one managing organization); an empty title writes
// no title row.
struct TableGroup {
    std::string title;
    std::vector<std::vector<std::string>> rows;
};

struct Table {
    std::string title;                  // sheet name / first line
    std::vector<std::string> headings;  // Vietnamese column headings
    std::vector<double> widths;         // column widths in characters (XLSX), optional
    std::vector<TableGroup> groups;
};

// CSV (RFC 4180, UTF-8 with BOM so spreadsheet programs show Vietnamese): a heading row, then
// for each group a row holding only its title in the first column, then its rows.
Status write_csv(const Table& table, const std::string& path);

// XLSX: bold frozen heading row, each group as a bold merged title row, every cell as text
// (serials and numbers keep their leading zeros).
Status write_xlsx(const Table& table, const std::string& path);

}  // namespace kyso::docs

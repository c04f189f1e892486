// kyso checks — one CSV file of a bundle held for checking: chosen columns, NFC, in one arena.
#include "checks/raw_table.h"

#include <algorithm>

#include "core/messages.h"
#include "text/csv.h"
#include "text/nfc.h"

namespace kyso::checks {

namespace fs = std::filesystem;

std::size_t RawTable::col(std::string_view name) const {
    return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) -
                                    columns.begin());
}

std::string_view RawTable::raw_name(std::size_t row) const {
    const std::uint64_t packed = raw_names_[row];
    return packed == kSameAsNfc ? at(row, name_col_) : cell(raw_text_, packed);
}

std::uint64_t RawTable::append(std::string& text, std::string_view value) {
    const std::uint64_t packed = (static_cast<std::uint64_t>(text.size()) << 24) | value.size();
    text.append(value);
    return packed;
}

Result<std::optional<RawTable>> RawTable::read(const fs::path& dir, const char* file,
                                               const std::vector<std::string>& required,
                                               const std::vector<std::string>& optional,
                                               bool must_exist) {
    std::error_code ec;
    if (!fs::exists(dir / file, ec)) {
        if (must_exist)
            return make_error("bundle.no_organizations", Location{file, 0, {}, {}}, {dir.string()});
        return std::optional<RawTable>{};
    }
    text::CsvLimits limits;
    limits.max_cell = std::min<std::size_t>(limits.max_cell, 0xFFFFFF);  // fits the packing
    auto reader = text::CsvReader::open((dir / file).string(), file, limits);
    if (!reader) return reader.error();
    RawTable t;
    t.file = file;
    std::vector<std::optional<std::size_t>> index;
    for (const auto& c : required) {
        auto i = reader->column(c);
        if (!i) return make_error("csv.missing_column", Location{file, 0, c, {}}, {c});
        t.columns.push_back(c);
        index.push_back(i);
    }
    for (const auto& c : optional) {
        t.columns.push_back(c);
        index.push_back(reader->column(c));
    }
    if (t.file == "organizations.csv") t.name_col_ = t.col("name");
    if (t.file == "people.csv") t.name_col_ = t.col("full_name");
    t.text_.reserve(reader->size());
    std::string raw;
    while (true) {
        auto more = reader->next();
        if (!more) return more.error();
        if (!*more) break;
        auto& fields = reader->mutable_fields();
        for (std::size_t k = 0; k < index.size(); ++k) {
            if (!index[k]) {
                t.cells_.push_back(0);
                continue;
            }
            std::string& v = fields[*index[k]];
            if (k == t.name_col_) raw = v;
            text::normalize_nfc(v);
            t.cells_.push_back(append(t.text_, v));
            if (k == t.name_col_)
                t.raw_names_.push_back(raw == v ? kSameAsNfc : append(t.raw_text_, raw));
        }
    }
    return std::optional<RawTable>{std::move(t)};
}

}  // namespace kyso::checks

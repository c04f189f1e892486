// kyso checks — one CSV file of a bundle held for checking: chosen columns, NFC, in one arena.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kyso::checks {

// The columns asked for, by name, of every record, NFC; the name column (where the file has
// one) also as written, for not_nfc and legacy_encoding. Cells are views into one text buffer,
// so a million records cost a few allocations, not millions.
class RawTable {
public:
    std::string file;
    std::vector<std::string> columns;  // required, then optional (absent ones read as "")

    std::size_t rows() const { return columns.empty() ? 0 : cells_.size() / columns.size(); }
    // Index of a column asked for (always present: absent optional columns read as "").
    std::size_t col(std::string_view name) const;
    std::string_view at(std::size_t row, std::size_t column) const {
        return cell(text_, cells_[row * columns.size() + column]);
    }
    std::string_view get(std::size_t row, std::string_view name) const {
        return at(row, col(name));
    }
    bool has_names() const { return name_col_ != SIZE_MAX; }
    std::size_t name_col() const { return name_col_; }
    // The name column as written (before NFC).
    std::string_view raw_name(std::size_t row) const;

    // Reads `dir/file`. nullopt: the file is absent and not `must_exist`.
    static Result<std::optional<RawTable>> read(const std::filesystem::path& dir, const char* file,
                                                const std::vector<std::string>& required,
                                                const std::vector<std::string>& optional,
                                                bool must_exist);

private:
    static std::string_view cell(const std::string& text, std::uint64_t packed) {
        return std::string_view(text).substr(packed >> 24, packed & 0xFFFFFF);
    }
    static std::uint64_t append(std::string& text, std::string_view value);

    std::string text_;
    std::vector<std::uint64_t> cells_;  // offset << 24 | length (cells are at most 64 KiB)
    std::size_t name_col_ = SIZE_MAX;
    std::string raw_text_;
    std::vector<std::uint64_t> raw_names_;  // kSameAsNfc when the name was already NFC
    static constexpr std::uint64_t kSameAsNfc = ~std::uint64_t{0};
};

}  // namespace kyso::checks

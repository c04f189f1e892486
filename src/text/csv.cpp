// kyso text — strict RFC 4180 CSV reading with file/row/column errors and size limits.
#include "text/csv.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include "core/messages.h"
#include "text/nfc.h"

namespace kyso::text {

// The bytes of the file: either a read-only mapping or an owned string.
struct CsvReader::Source {
    std::string owned;
    const char* data = nullptr;
    std::size_t size = 0;
    void* map = nullptr;
    std::size_t map_size = 0;

    Source() = default;
    Source(const Source&) = delete;
    Source& operator=(const Source&) = delete;
    ~Source() {
        if (map != nullptr) munmap(map, map_size);
    }
    std::string_view view() const { return {data, size}; }
};

CsvReader::CsvReader(std::unique_ptr<Source> src, std::string name, CsvLimits limits,
                     CsvOptions options)
    : src_(std::move(src)), name_(std::move(name)), limits_(limits), options_(options) {}
CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;
CsvReader::~CsvReader() = default;

Result<CsvReader> CsvReader::start(CsvReader reader) {
    auto header = reader.read_record(reader.header_);
    if (!header) return header.error();
    if (!*header) return make_error("csv.empty", Location{reader.name_, 0, {}, {}});
    return reader;
}

Result<CsvReader> CsvReader::open(const std::string& path, std::string display_name,
                                  CsvLimits limits, CsvOptions options) {
    auto src = std::make_unique<Source>();
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return make_error("csv.open", Location{display_name, 0, {}, {}}, {std::strerror(errno)});
    }
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return make_error("csv.open", Location{display_name, 0, {}, {}}, {"not a regular file"});
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    if (size > limits.max_file) {
        ::close(fd);
        return make_error("csv.file_too_large", Location{display_name, 0, {}, {}},
                          {std::to_string(limits.max_file)});
    }
    if (size > 0) {
        void* m = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            ::close(fd);
            return make_error("csv.open", Location{display_name, 0, {}, {}},
                              {std::strerror(errno)});
        }
        madvise(m, size, MADV_SEQUENTIAL);
        src->map = m;
        src->map_size = size;
        src->data = static_cast<const char*>(m);
        src->size = size;
    }
    ::close(fd);
    return start(CsvReader(std::move(src), std::move(display_name), limits, options));
}

Result<CsvReader> CsvReader::from_string(std::string data, std::string display_name,
                                         CsvLimits limits, CsvOptions options) {
    if (data.size() > limits.max_file) {
        return make_error("csv.file_too_large", Location{display_name, 0, {}, {}},
                          {std::to_string(limits.max_file)});
    }
    auto src = std::make_unique<Source>();
    src->owned = std::move(data);
    src->data = src->owned.data();
    src->size = src->owned.size();
    return start(CsvReader(std::move(src), std::move(display_name), limits, options));
}

std::size_t CsvReader::size() const {
    return src_->size;
}

void CsvReader::release_consumed() {
    // Records are copied out, so the pages already read can go: a large file then never sits
    // in memory whole (FORMATS.md bundles reach hundreds of megabytes).
    constexpr std::size_t kStep = std::size_t{16} << 20;
    if (src_->map == nullptr || pos_ < released_ + kStep) return;
    const std::size_t page = 4096;
    const std::size_t upto = (pos_ / page) * page;
    if (upto <= released_) return;
    madvise(static_cast<char*>(src_->map) + released_, upto - released_, MADV_DONTNEED);
    released_ = upto;
}

std::optional<std::size_t> CsvReader::column(std::string_view name) const {
    for (std::size_t i = 0; i < header_.size(); ++i) {
        if (header_[i] == name) return i;
    }
    return std::nullopt;
}

Error CsvReader::error_at(std::string_view code, std::initializer_list<std::string_view> args,
                          std::size_t field_index) const {
    Location where{name_, header_.empty() ? 0 : row_, {}, {}};
    if (!header_.empty() && field_index < header_.size()) where.field = header_[field_index];
    if (header_.empty()) where.field = "header";
    return make_error(code, std::move(where), args);
}

Result<bool> CsvReader::next() {
    release_consumed();
    auto r = read_record(fields_);
    if (!r || !*r) return r;
    if (!options_.ragged && fields_.size() != header_.size()) {
        return error_at("csv.wrong_field_count",
                        {std::to_string(fields_.size()), std::to_string(header_.size())}, SIZE_MAX);
    }
    return true;
}

namespace {

// Index of the first separator, `"`, CR or LF at or after `i` (or the size): eight bytes at a
// time, as most of a bundle is long runs of plain text.
std::size_t next_special(std::string_view s, std::size_t i, char sep) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    constexpr std::uint64_t kHighs = 0x8080808080808080ull;
    auto has = [](std::uint64_t w, std::uint8_t c) {
        const std::uint64_t v = w ^ (kOnes * c);
        return (v - kOnes) & ~v & kHighs;
    };
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, s.data() + i, 8);
        if ((has(w, static_cast<std::uint8_t>(sep)) | has(w, '"') | has(w, '\n') | has(w, '\r')) !=
            0)
            break;
    }
    while (i < s.size() && s[i] != sep && s[i] != '"' && s[i] != '\n' && s[i] != '\r') ++i;
    return i;
}

}  // namespace

Result<bool> CsvReader::read_record(std::vector<std::string>& out) {
    const std::string_view s = src_->view();
    const char sep = options_.separator;
    if (pos_ == 0 && s.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    // Skip blank lines (they are not records and do not count as rows).
    while (pos_ < s.size() && (s[pos_] == '\n' || s[pos_] == '\r')) {
        if (s[pos_] == '\n') ++next_line_;
        ++pos_;
    }
    if (pos_ >= s.size()) return false;
    const bool is_header = &out == &header_;
    if (!is_header) ++row_;
    line_ = next_line_;
    const std::size_t record_start = pos_;
    std::size_t n = 0;  // fields used in `out`
    auto cell = [&]() -> std::string& {
        if (n == out.size()) out.emplace_back();
        std::string& c = out[n++];
        c.clear();
        return c;
    };
    while (true) {
        std::string& value = cell();
        const std::size_t field_index = n - 1;
        // Limits are checked while scanning: no byte past max_cell is looked at or copied, so a
        // cell of gigabytes costs no more than one of max_cell + 1 bytes.
        if (pos_ < s.size() && s[pos_] == '"') {
            ++pos_;
            while (true) {
                const std::size_t room = limits_.max_cell - value.size();  // value <= max_cell
                const std::size_t window = std::min(s.size() - pos_, room + 1);
                const std::size_t q = s.substr(pos_, window).find('"');
                if (q == std::string_view::npos) {
                    if (pos_ + window == s.size() && window <= room)
                        return error_at("csv.unterminated_quote", {}, field_index);
                    return error_at("csv.cell_too_large", {std::to_string(limits_.max_cell)},
                                    field_index);
                }
                for (std::size_t i = pos_; i < pos_ + q; ++i) {
                    if (s[i] == '\n') ++next_line_;
                }
                value.append(s.data() + pos_, q);
                pos_ += q + 1;
                if (pos_ < s.size() && s[pos_] == '"') {
                    value += '"';
                    ++pos_;
                    if (value.size() > limits_.max_cell) break;  // reported below
                    continue;
                }
                break;
            }
            if (value.size() <= limits_.max_cell && pos_ < s.size() && s[pos_] != sep &&
                s[pos_] != '\n' && s[pos_] != '\r') {
                return error_at("csv.bad_quote", {}, field_index);
            }
        } else {
            const std::size_t window = std::min(s.size(), pos_ + limits_.max_cell + 1);
            const std::size_t e = next_special(s.substr(0, window), pos_, sep);
            if (e - pos_ > limits_.max_cell) {
                return error_at("csv.cell_too_large", {std::to_string(limits_.max_cell)},
                                field_index);
            }
            if (e < s.size() && s[e] == '"') return error_at("csv.bad_quote", {}, field_index);
            value.assign(s.data() + pos_, e - pos_);
            pos_ = e;
        }
        if (value.size() > limits_.max_cell) {
            return error_at("csv.cell_too_large", {std::to_string(limits_.max_cell)}, field_index);
        }
        if (pos_ - record_start > limits_.max_record) {
            return error_at("csv.row_too_large", {std::to_string(limits_.max_record)}, SIZE_MAX);
        }
        if (ascii_prefix(value) != value.size() && !valid_utf8(value))
            return error_at("csv.invalid_utf8", {}, field_index);
        if (const std::size_t c = first_control_char(value); c != std::string_view::npos) {
            return error_at("csv.control_char", {code_point_name(value, c), std::to_string(c + 1)},
                            field_index);
        }
        if (pos_ >= s.size()) break;
        if (s[pos_] == sep) {
            ++pos_;
            continue;
        }
        // End of record: CRLF, LF or a lone CR.
        if (s[pos_] == '\r') ++pos_;
        if (pos_ < s.size() && s[pos_] == '\n') ++pos_;
        ++next_line_;
        break;
    }
    out.resize(n);
    return true;
}

}  // namespace kyso::text

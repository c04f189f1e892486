// kyso core — the message catalog: every text a user reads, in Vietnamese and English.
#include "core/messages.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

namespace kyso {

namespace {

struct Entry {
    std::string_view code;
    std::string_view vi;
    std::string_view en;
};

// Sorted by code (checked at first use).
constexpr Entry kCatalog[] = {
    {"bundle.bad_date", "ngày không hợp lệ \"{0}\" (cần YYYY-MM-DD)", "invalid date \"{0}\" (expected YYYY-MM-DD)"},
    {"bundle.bad_datetime", "ngày/giờ không hợp lệ \"{0}\" (cần YYYY-MM-DD hoặc ISO 8601 UTC)", "invalid date/time \"{0}\" (expected YYYY-MM-DD or ISO 8601)"},
    {"bundle.bad_enum", "giá trị \"{0}\" không hợp lệ; cho phép: {1}", "invalid value \"{0}\"; allowed: {1}"},
    {"bundle.bad_serial", "số serial \"{0}\" không phải dạng hex viết hoa", "serial \"{0}\" is not uppercase hex"},
    {"bundle.duplicate_id", "mã \"{0}\" bị trùng (đã có ở dòng {1})", "duplicate id \"{0}\" (first at row {1})"},
    {"bundle.empty_value", "trường bắt buộc bị bỏ trống", "required value is empty"},
    {"bundle.no_dir", "không tìm thấy thư mục bộ dữ liệu \"{0}\"", "bundle folder \"{0}\" not found"},
    {"bundle.no_organizations", "thiếu tệp organizations.csv trong \"{0}\"", "organizations.csv is missing in \"{0}\""},
    {"bundle.pem_mismatch", "tệp chứng thư \"{0}\" không khớp với dòng: {1}", "certificate file \"{0}\" disagrees with the row: {1}"},
    {"bundle.pem_unreadable", "không đọc được tệp chứng thư \"{0}\": {1}", "cannot read certificate file \"{0}\": {1}"},
    {"bundle.superior_cycle", "vòng lặp cơ quan cấp trên: {0}", "superior chain has a cycle: {0}"},
    {"bundle.unknown_reference", "tham chiếu \"{0}\" không tồn tại", "reference \"{0}\" names nothing"},
    {"csv.bad_quote", "dấu ngoặc kép không đúng chỗ", "misplaced double quote"},
    {"csv.cell_too_large", "ô quá lớn (trên {0} byte)", "cell too large (over {0} bytes)"},
    {"csv.duplicate_column", "cột \"{0}\" xuất hiện hai lần", "column \"{0}\" appears twice"},
    {"csv.empty", "tệp rỗng, thiếu dòng tiêu đề", "empty file, no header row"},
    {"csv.file_too_large", "tệp quá lớn (trên {0} byte)", "file too large (over {0} bytes)"},
    {"csv.invalid_utf8", "văn bản không phải UTF-8 hợp lệ", "text is not valid UTF-8"},
    {"csv.missing_column", "thiếu cột bắt buộc \"{0}\"", "missing required column \"{0}\""},
    {"csv.open", "không mở được tệp: {0}", "cannot open file: {0}"},
    {"csv.row_too_large", "dòng quá lớn (trên {0} byte)", "row too large (over {0} bytes)"},
    {"csv.unknown_column", "cột \"{0}\" không được dùng, bỏ qua", "unknown column \"{0}\" ignored"},
    {"csv.unterminated_quote", "thiếu dấu ngoặc kép đóng", "unterminated quoted value"},
    {"csv.wrong_field_count", "dòng có {0} trường, tiêu đề có {1}", "row has {0} fields, header has {1}"},
    {"event.bad_field", "sự kiện {0}: trường \"{1}\" không hợp lệ: {2}", "event {0}: field \"{1}\" is invalid: {2}"},
    {"event.ceased", "sự kiện {0}: cơ quan \"{1}\" đã chấm dứt hoạt động trước đó", "event {0}: organization \"{1}\" has already ceased"},
    {"event.duplicate_id", "mã sự kiện \"{0}\" bị trùng", "duplicate event id \"{0}\""},
    {"event.duplicate_source", "sự kiện {0}: nguồn \"{1}\" được liệt kê hai lần", "event {0}: source \"{1}\" is listed twice"},
    {"event.json", "events.json không hợp lệ tại byte {0}: {1}", "events.json is malformed at byte {0}: {1}"},
    {"event.keep_and_new", "sự kiện {0}: hợp nhất phải có đúng một trong \"keep\" và \"new\"", "event {0}: a merge needs exactly one of \"keep\" and \"new\""},
    {"event.missing_field", "sự kiện {0}: thiếu trường \"{1}\"", "event {0}: missing field \"{1}\""},
    {"event.new_exists", "sự kiện {0}: mã cơ quan mới \"{1}\" đã tồn tại", "event {0}: new organization id \"{1}\" already exists"},
    {"event.not_a_source", "sự kiện {0}: \"{1}\" = \"{2}\" không nằm trong \"sources\"", "event {0}: \"{1}\" = \"{2}\" is not among \"sources\""},
    {"event.too_large", "events.json quá lớn (trên {0} byte)", "events.json too large (over {0} bytes)"},
    {"event.unknown_reference", "sự kiện {0}: \"{1}\" = \"{2}\" không tồn tại", "event {0}: \"{1}\" = \"{2}\" names nothing"},
    {"event.unknown_type", "sự kiện {0}: loại \"{1}\" không được hỗ trợ", "event {0}: unknown type \"{1}\""},
    {"loc.field", "trường {0}", "field {0}"},
    {"loc.id", "mã {0}", "id {0}"},
    {"loc.row", "dòng {0}", "row {0}"},
    {"subject.syntax", "subject \"{0}\" sai cú pháp RFC 4514 ({1}, vị trí {2})", "subject \"{0}\" is not valid RFC 4514 ({1}, at {2})"},
};

const Entry* find(std::string_view code) {
    static const bool sorted = std::is_sorted(std::begin(kCatalog), std::end(kCatalog),
        [](const Entry& a, const Entry& b) { return a.code < b.code; });
    if (sorted) {
        const auto* it = std::lower_bound(std::begin(kCatalog), std::end(kCatalog), code,
            [](const Entry& e, std::string_view c) { return e.code < c; });
        if (it != std::end(kCatalog) && it->code == code) return it;
        return nullptr;
    }
    for (const auto& e : kCatalog) {
        if (e.code == code) return &e;
    }
    return nullptr;
}

std::string fill(std::string_view pattern, std::initializer_list<std::string_view> args) {
    std::string out;
    out.reserve(pattern.size() + 32);
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
            pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
            const std::size_t n = static_cast<std::size_t>(pattern[i + 1] - '0');
            if (n < args.size()) out += *(args.begin() + n);
            i += 2;
        } else {
            out += pattern[i];
        }
    }
    return out;
}

}  // namespace

bool english_ui() {
    const char* lang = std::getenv("KYSO_LANG");
    return lang != nullptr && std::string_view(lang).starts_with("en");
}

std::string message(std::string_view code, std::initializer_list<std::string_view> args, bool english) {
    const Entry* e = find(code);
    if (e == nullptr) {
        std::string out(code);
        for (auto a : args) {
            out += ' ';
            out += a;
        }
        return out;
    }
    return fill(english ? e->en : e->vi, args);
}

Error make_error(std::string_view code, Location where, std::initializer_list<std::string_view> args) {
    return Error{std::string(code), message(code, args, false), message(code, args, true), std::move(where)};
}

}  // namespace kyso

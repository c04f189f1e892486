// kyso workflow — the national CA's results file: columns by heading, processing dates, rows.
#include "workflow/results_file.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <utility>
#include <vector>

#include "core/messages.h"
#include "core/values.h"
#include "text/nfc.h"
#include "text/spreadsheet.h"

namespace kyso::workflow {

namespace {

bool has_any(std::string_view h, std::initializer_list<std::string_view> words) {
    return std::any_of(words.begin(), words.end(),
                       [&](std::string_view w) { return h.find(w) != std::string_view::npos; });
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view s) {
    int n = 0;
    for (char c : s) n = n * 10 + (c - '0');
    return n;
}

std::optional<Date> real_date(int year, int month, int day) {
    if (year < kMinProcessingYear || year > kMaxYear || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month))
        return std::nullopt;
    return Date{year, month, day};
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<ColumnMatch> result_column(std::string_view heading) {
    const std::string h = text::fold_for_matching(heading);
    if (h.empty() || h == "stt") return std::nullopt;
    // Dates that are not the processing date: of birth, of validity, of expiry.
    const bool other_date =
        has_any(h, {"sinh", "birth", "het han", "hieu luc", "expir", "valid", "not_after",
                    "not_before", "not after", "not before", "bat dau", "ket thuc"});
    const bool dated = h.starts_with("ngay") || h.starts_with("thoi gian") ||
                       h.starts_with("thoi diem") ||
                       has_any(h, {"date", "processed", "processing", "revoked on", "issued on"});
    if (dated) {
        if (other_date) return std::nullopt;
        if (has_any(h, {"xu ly", "thuc hien", "hoan thanh", "tra ket qua", "tra loi", "processed",
                        "processing", "completed", "done"}))
            return ColumnMatch{ResultColumn::date, 0};
        if (has_any(h, {"thu hoi", "revoc", "revoked"})) return ColumnMatch{ResultColumn::date, 1};
        if (has_any(h, {"cap", "issue"}) && !has_any(h, {"cap nhat"}))  // cập nhật: updated
            return ColumnMatch{ResultColumn::date, 2};
        return ColumnMatch{ResultColumn::date, 3};
    }
    if (has_any(
            h, {"serial", "so hieu", "seri", "so chung thu", "ma chung thu", "so cts", "ma cts"})) {
        // A token's or SIM's serial is not a certificate's, nor a letter's number.
        if (has_any(h, {"thiet bi", "token", "device", "usb", "sim", "iccid", "van ban", "cong van",
                        "quyet dinh"}))
            return std::nullopt;
        if (has_any(h, {"moi", "new"})) return ColumnMatch{ResultColumn::new_serial, 0};
        return ColumnMatch{ResultColumn::serial, has_any(h, {"cu", "old"}) ? 0 : 1};
    }
    if (has_any(h, {"ma yeu cau", "so yeu cau", "id yeu cau", "request"}))
        return ColumnMatch{ResultColumn::request_id, 0};
    if (has_any(h, {"ket qua", "outcome", "result", "trang thai", "tinh trang", "status"}))
        return ColumnMatch{ResultColumn::outcome, 0};
    if (has_any(h, {"ly do", "reason", "nguyen nhan"})) return ColumnMatch{ResultColumn::reason, 0};
    if (has_any(h, {"ghi chu", "note", "comment"})) return ColumnMatch{ResultColumn::reason, 1};
    return std::nullopt;
}

std::optional<Date> parse_processing_date(std::string_view text) {
    std::string_view s = trim(text);
    if (s.empty()) return std::nullopt;
    if (auto d = Date::parse_date_or_datetime(s)) return real_date(d->year, d->month, d->day);
    // A time after the date ("2025-07-20 14:30", "20/07/2025 14:30:00", "2025-07-20T14:30"):
    // ignored, but it must be a time of day ("25:00" is not).
    std::string_view time;
    bool timed = true;
    if (const auto space = s.find(' '); space != std::string_view::npos) {
        time = trim(s.substr(space + 1));
        s = s.substr(0, space);
    } else if (s.size() > 10 && s[10] == 'T') {
        time = s.substr(11);
        s = s.substr(0, 10);
    } else {
        timed = false;
    }
    if (time.ends_with('Z')) time.remove_suffix(1);
    if (timed && !valid_time_of_day(time)) return std::nullopt;
    if (auto d = Date::parse(s)) return real_date(d->year, d->month, d->day);
    // dd/mm/yyyy (also '-' or '.'), day first as Vietnamese write it; yyyy/mm/dd.
    for (const char sep : {'/', '-', '.'}) {
        const auto a = s.find(sep);
        const auto b = a == std::string_view::npos ? a : s.find(sep, a + 1);
        if (b == std::string_view::npos || s.find(sep, b + 1) != std::string_view::npos) continue;
        const auto x = s.substr(0, a), y = s.substr(a + 1, b - a - 1), z = s.substr(b + 1);
        if (!all_digits(x) || !all_digits(y) || !all_digits(z) || y.size() > 2) continue;
        if (x.size() <= 2 && z.size() == 4) return real_date(to_int(z), to_int(y), to_int(x));
        if (x.size() == 4 && z.size() <= 2) return real_date(to_int(x), to_int(y), to_int(z));
    }
    // An Excel serial day number: days after 1899-12-30 (Excel counts 1900-02-29, which never
    // was). Below 10000 (1927) a number is more likely something else.
    const auto dot = s.find('.');
    const auto whole = s.substr(0, dot);
    if (all_digits(whole) && whole.size() <= 7 &&
        (dot == std::string_view::npos || all_digits(s.substr(dot + 1)))) {
        const int serial = to_int(whole);
        if (serial >= 10000 && serial <= 2958465)
            return Date::from_days(Date{1899, 12, 30}.days() + serial);
    }
    return std::nullopt;
}

namespace {

// The wordings of each outcome, as people write them (compared folded: case, tone marks and
// spaces ignored, so "Da thu hoi" and "ĐÃ THU HỒI" are "Đã thu hồi").
constexpr std::array<std::string_view, 20> kDoneWords = {
    "Hoàn thành",  "Đã hoàn thành", "Đã xử lý",   "Đã thực hiện", "Thực hiện xong",
    "Thành công",  "Đã cấp",        "Đã cấp mới", "Đã cấp lại",   "Đã gia hạn",
    "Đã thay đổi", "Đã điều chỉnh", "Đã thu hồi", "Đã khôi phục", "Đồng ý",
    "completed",   "complete",      "done",       "success",      "ok"};
constexpr std::array<std::string_view, 14> kRejectedWords = {
    "Từ chối",          "Đã từ chối",   "Bị từ chối",   "Không thực hiện",
    "Không xử lý",      "Không đồng ý", "Không duyệt",  "Không chấp nhận",
    "Không thành công", "Thất bại",     "Không hợp lệ", "rejected",
    "reject",           "failed"};

// The folded wordings, each with its outcome; folded once (a file may hold 50,000 rows).
const std::vector<std::pair<std::string, bool>>& folded_outcomes() {
    static const auto folded = [] {
        std::vector<std::pair<std::string, bool>> v;
        for (const auto w : kDoneWords) v.emplace_back(text::fold_for_matching(w), true);
        for (const auto w : kRejectedWords) v.emplace_back(text::fold_for_matching(w), false);
        return v;
    }();
    return folded;
}

template <std::size_t N>
std::string joined(const std::array<std::string_view, N>& words) {
    std::string out;
    for (const auto w : words) {
        if (!out.empty()) out += ", ";
        out += w;
    }
    return out;
}

}  // namespace

std::optional<bool> parse_outcome(std::string_view text) {
    std::string o = text::fold_for_matching(text);
    // "Hoàn thành." or "Từ chối!" as a sentence: the final stop is not part of the word.
    while (!o.empty() && (o.back() == '.' || o.back() == '!' || o.back() == ';')) o.pop_back();
    while (!o.empty() && o.back() == ' ') o.pop_back();
    if (o.empty()) return std::nullopt;
    for (const auto& [word, done] : folded_outcomes())
        if (word == o) return done;
    return std::nullopt;
}

std::string outcome_words(bool done) {
    return done ? joined(kDoneWords) : joined(kRejectedWords);
}

Result<ResultsFile> read_results_file(const std::string& path) {
    auto sheets = text::read_spreadsheet(path);
    if (!sheets) return sheets.error();
    static const std::vector<std::vector<std::string>> kNone;
    const auto& rows = sheets->empty() ? kNone : sheets->front().rows;
    auto blank = [](const std::vector<std::string>& row) {
        return std::all_of(row.begin(), row.end(),
                           [](const std::string& s) { return trim(s).empty(); });
    };
    std::size_t head = 0;
    while (head < rows.size() && blank(rows[head])) ++head;
    if (head == rows.size()) return make_error("csv.empty", Location{path, 0, {}, {}}, {});

    // The best-ranked column of each kind; the first of equal rank.
    constexpr std::size_t kKinds = 6;
    std::array<std::optional<std::size_t>, kKinds> col;
    std::array<int, kKinds> rank{};
    const auto& header = rows[head];
    for (std::size_t c = 0; c < header.size(); ++c) {
        const auto m = result_column(header[c]);
        if (!m) continue;
        const auto k = static_cast<std::size_t>(m->column);
        if (!col[k] || m->rank < rank[k]) {
            col[k] = c;
            rank[k] = m->rank;
        }
    }
    auto at = [&](ResultColumn k) { return col[static_cast<std::size_t>(k)]; };
    if (!at(ResultColumn::outcome) || (!at(ResultColumn::request_id) && !at(ResultColumn::serial)))
        return make_error("results.columns", Location{path, 0, {}, {}}, {});

    ResultsFile out;
    if (const auto d = at(ResultColumn::date)) out.date_heading = header[*d];
    out.outcome_heading = header[*at(ResultColumn::outcome)];
    // The CA cannot have acted after today (tomorrow in UTC+7 is still today's UTC date + 1).
    const Date tomorrow = Date::from_days(Date::today().days() + 1);
    for (std::size_t i = head + 1; i < rows.size(); ++i) {
        const auto& row = rows[i];
        if (blank(row)) continue;
        auto cell = [&](ResultColumn k) {
            const auto c = at(k);
            return c && *c < row.size() ? std::string(trim(row[*c])) : std::string();
        };
        ResultRow r;
        r.row = static_cast<std::int64_t>(i + 1);
        r.request_id = cell(ResultColumn::request_id);
        // A serial over 20 octets or an impossible date refuses the whole file, naming the row
        // and column: nothing of it is applied.
        auto where = [&](ResultColumn k) { return Location{path, r.row, header[*at(k)], {}}; };
        for (const auto k : {ResultColumn::serial, ResultColumn::new_serial}) {
            std::string& serial = k == ResultColumn::serial ? r.serial : r.new_serial;
            serial = cell(k);
            if (auto n = normalize_serial(serial)) {
                if (!serial_fits(*n))
                    return make_error("results.serial_too_long", where(k),
                                      {serial, std::to_string(serial_octets(*n))});
                serial = std::move(*n);
            }
        }
        r.outcome = cell(ResultColumn::outcome);
        r.reason = cell(ResultColumn::reason);
        r.date = cell(ResultColumn::date);
        if (!r.date.empty()) {
            const auto d = parse_processing_date(r.date);
            if (!d)
                return make_error("results.bad_date", where(ResultColumn::date),
                                  {r.date, header[*at(ResultColumn::date)]});
            if (*d > tomorrow)
                return make_error("results.future_date", where(ResultColumn::date),
                                  {r.date, d->str()});
        }
        out.rows.push_back(std::move(r));
    }
    return out;
}

}  // namespace kyso::workflow

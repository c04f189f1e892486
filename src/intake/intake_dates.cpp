// kyso intake — dates as agencies' sheets hold them: Excel serial numbers in either date
// system, ISO dates and date-times, and dates typed as text with the day/month order decided per
// column.
#include "intake/intake_dates.h"

#include <algorithm>
#include <charconv>

#include "core/date.h"
#include "text/nfc.h"

namespace kyso::intake {

namespace {

constexpr std::size_t kMaxDateText = 64;

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view s) {
    int v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

CleanValue changed(std::string value, std::string_view cell, const char* reason) {
    if (value == cell) return {std::string(cell), {}, {}};
    return {std::move(value), reason, {}};
}

std::optional<Date> make_date(int year, int month, int day) {
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
    return Date{year, month, day};
}

// "hh:mm", "hh:mm:ss" or "hh:mm:ss.fff", then optionally "Z" or "±hh:mm" (ISO 8601 and what
// Excel appends to a date-time it saves as CSV: "12/04/1985 0:00").
bool is_time(std::string_view t) {
    if (!t.empty() && t.back() == 'Z') t.remove_suffix(1);
    if (t.size() > 6 && (t[t.size() - 6] == '+' || t[t.size() - 6] == '-') &&
        t[t.size() - 3] == ':')
        t.remove_suffix(6);
    const std::size_t dot = t.find('.');
    if (dot != std::string_view::npos) {
        if (!all_digits(t.substr(dot + 1))) return false;
        t = t.substr(0, dot);
    }
    int parts = 0;
    while (!t.empty()) {
        const std::size_t colon = t.find(':');
        const std::string_view part = t.substr(0, colon);
        if (!all_digits(part) || part.size() > 2 || to_int(part) > (parts == 0 ? 23 : 59))
            return false;
        ++parts;
        if (colon == std::string_view::npos) break;
        t.remove_prefix(colon + 1);
        if (t.empty()) return false;
    }
    return parts >= 2 && parts <= 3;
}

// The date part of a value, its time (if any) checked and dropped.
std::string_view without_time(std::string_view s) {
    const std::size_t cut = s.find_first_of("T ");
    if (cut == std::string_view::npos) return s;
    if (!is_time(s.substr(cut + 1))) return {};
    return s.substr(0, cut);
}

// "YYYY-MM-DD", "YYYY/MM/DD" or "YYYY.MM.DD" (one-digit month and day allowed).
std::optional<Date> year_first(std::string_view s) {
    if (s.size() < 8 || !all_digits(s.substr(0, 4))) return std::nullopt;
    const char sep = s[4];
    if (sep != '-' && sep != '/' && sep != '.') return std::nullopt;
    const std::size_t b = s.find(sep, 5);
    if (b == std::string_view::npos) return std::nullopt;
    const auto m = s.substr(5, b - 5), d = s.substr(b + 1);
    if (!all_digits(m) || !all_digits(d) || m.size() > 2 || d.size() > 2) return std::nullopt;
    return make_date(to_int(s.substr(0, 4)), to_int(m), to_int(d));
}

// Reads differently as d/m and as m/d: both numbers could be a month and they differ.
bool ambiguous(const TypedDate& t) {
    return t.first <= 12 && t.second <= 12 && t.first != t.second;
}

// An Excel serial day number ("32217", "32217.5": a time of day is dropped).
std::optional<Date> serial_date(std::string_view s, bool date1904) {
    const std::size_t point = s.find('.');
    const std::string_view whole = s.substr(0, point);
    if (!all_digits(whole) || whole.size() > 7) return std::nullopt;
    if (point != std::string_view::npos && !all_digits(s.substr(point + 1))) return std::nullopt;
    const long serial = to_int(whole);
    if (serial < 10000) return std::nullopt;
    return text::excel_serial_date(serial, date1904);
}

}  // namespace

std::optional<TypedDate> typed_date(std::string_view text) {
    if (text.size() > kMaxDateText) return std::nullopt;
    const std::string_view s = without_time(text);
    const std::size_t a = s.find_first_of("/-.");
    if (a == std::string_view::npos) return std::nullopt;
    const char sep = s[a];
    const std::size_t b = s.find(sep, a + 1);
    if (b == std::string_view::npos || s.find(sep, b + 1) != std::string_view::npos)
        return std::nullopt;
    const auto p = s.substr(0, a), q = s.substr(a + 1, b - a - 1), y = s.substr(b + 1);
    if (!all_digits(p) || !all_digits(q) || !all_digits(y) || p.size() > 2 || q.size() > 2 ||
        (y.size() != 4 && y.size() != 2))
        return std::nullopt;
    int year = to_int(y);
    // Excel's two-digit year rule: 00–29 are 2000–2029, 30–99 are 1930–1999.
    if (y.size() == 2) year += year < 30 ? 2000 : 1900;
    return TypedDate{to_int(p), to_int(q), year};
}

DateColumn read_date_column(const std::vector<std::string_view>& cells, bool date1904) {
    std::size_t day_first = 0;
    std::size_t month_first = 0;
    for (const std::string_view cell : cells) {
        const auto t = typed_date(text::collapse_spaces(cell));
        if (!t) continue;
        if (t->first > 12 && t->first <= 31 && t->second <= 12) ++day_first;
        if (t->second > 12 && t->second <= 31 && t->first <= 12) ++month_first;
    }
    DateColumn column;
    column.date1904 = date1904;
    column.settled = day_first > 0 || month_first > 0;
    column.conflicting = day_first > 0 && month_first > 0;
    column.month_first = month_first > day_first;
    return column;
}

DateColumn read_date_column(const text::Sheet& sheet, std::size_t first_row,
                            std::optional<std::size_t> column) {
    std::vector<std::string_view> cells;
    for (std::size_t r = first_row; column && r < sheet.rows.size(); ++r) {
        if (*column < sheet.rows[r].size()) cells.emplace_back(sheet.rows[r][*column]);
    }
    return read_date_column(cells, sheet.date1904);
}

CleanValue clean_date(std::string_view cell, const DateColumn& column) {
    CleanValue text = clean_text(cell);
    const std::string_view s = text.value;
    if (s.size() > kMaxDateText || Date::parse(s)) return text;
    if (auto d = year_first(without_time(s))) return changed(d->str(), cell, "intake.date_ymd");
    if (auto t = typed_date(s)) {
        const int day = column.month_first ? t->second : t->first;
        const int month = column.month_first ? t->first : t->second;
        auto d = make_date(t->year, month, day);
        if (!d) return text;
        CleanValue out =
            changed(d->str(), cell, column.month_first ? "intake.date_mdy" : "intake.date_dmy");
        if (!column.settled && ambiguous(*t)) out.problem = "date_order_assumed";
        return out;
    }
    if (auto d = serial_date(s, column.date1904)) {
        return changed(d->str(), cell,
                       column.date1904 ? "intake.excel_date_1904" : "intake.excel_date");
    }
    return text;
}

}  // namespace kyso::intake

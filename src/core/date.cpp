// kyso core — calendar dates (proleptic Gregorian, UTC) and ISO 8601 parsing.
#include "core/date.h"

#include <chrono>
#include <cstdio>

namespace kyso {

bool is_leap_year(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// Howard Hinnant's days_from_civil.
std::int64_t Date::days() const {
    const std::int64_t y = year - (month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t mp = (month + 9) % 12;
    const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Date Date::from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const int y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
    return Date{y, m, d};
}

std::string Date::str() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}

std::optional<Date> parse_prefix(std::string_view t) {
    Date d;
    if (t.size() < 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    if (!digits(t, 0, 4, d.year) || !digits(t, 5, 2, d.month) || !digits(t, 8, 2, d.day)) {
        return std::nullopt;
    }
    if (d.year < kMinYear || d.year > kMaxYear || d.month < 1 || d.month > 12 || d.day < 1 ||
        d.day > days_in_month(d.year, d.month)) {
        return std::nullopt;
    }
    return d;
}

}  // namespace

bool valid_time_of_day(std::string_view t) {
    const auto colon = t.find(':');
    if (colon != 1 && colon != 2) return false;
    int hh = 0, mi = 0, ss = 0;
    if (!digits(t, 0, colon, hh) || !digits(t, colon + 1, 2, mi) || hh > 23 || mi > 59)
        return false;
    std::size_t p = colon + 3;
    if (p == t.size()) return true;
    if (t[p] != ':' || !digits(t, p + 1, 2, ss) || ss > 60) return false;
    p += 3;
    if (p == t.size()) return true;
    if (t[p] != '.' || p + 1 == t.size()) return false;
    for (++p; p < t.size(); ++p)
        if (t[p] < '0' || t[p] > '9') return false;
    return true;
}

std::optional<Date> Date::parse(std::string_view text) {
    if (text.size() != 10) return std::nullopt;
    return parse_prefix(text);
}

std::optional<Date> Date::parse_date_or_datetime(std::string_view t) {
    auto d = parse_prefix(t);
    if (!d) return std::nullopt;
    if (t.size() == 10) return d;
    // FORMATS.md §5: YYYY-MM-DDThh:mm:ss, optional fraction, then Z or ±hh:mm.
    int hh = 0, mi = 0, ss = 0;
    if (t.size() < 20 || t[10] != 'T' || t[13] != ':' || t[16] != ':') return std::nullopt;
    if (!digits(t, 11, 2, hh) || !digits(t, 14, 2, mi) || !digits(t, 17, 2, ss)) {
        return std::nullopt;
    }
    if (hh > 23 || mi > 59 || ss > 60) return std::nullopt;
    std::size_t p = 19;
    if (p < t.size() && t[p] == '.') {
        ++p;
        const std::size_t start = p;
        while (p < t.size() && t[p] >= '0' && t[p] <= '9') ++p;
        if (p == start) return std::nullopt;
    }
    if (p >= t.size()) return std::nullopt;
    int offset_min = 0;
    if (t[p] == 'Z') {
        if (p + 1 != t.size()) return std::nullopt;
    } else if (t[p] == '+' || t[p] == '-') {
        int oh = 0, om = 0;
        if (p + 6 != t.size() || t[p + 3] != ':' || !digits(t, p + 1, 2, oh) ||
            !digits(t, p + 4, 2, om) || oh > 23 || om > 59) {
            return std::nullopt;
        }
        offset_min = (oh * 60 + om) * (t[p] == '+' ? 1 : -1);
    } else {
        return std::nullopt;
    }
    // Local time minus offset = UTC.
    const std::int64_t minutes = d->days() * 1440 + hh * 60 + mi - offset_min;
    const std::int64_t day = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
    return from_days(day);
}

Date Date::today() {
    const auto now = std::chrono::system_clock::now();
    const auto days = std::chrono::duration_cast<std::chrono::days>(now.time_since_epoch()).count();
    return from_days(days);
}

std::string utc_timestamp() {
    const auto now = std::chrono::system_clock::now();
    const auto secs =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    const Date d = Date::from_days(secs / 86400);
    const long long in_day = secs % 86400;
    char buf[16];
    std::snprintf(buf, sizeof buf, "T%02lld:%02lld:%02lldZ", in_day / 3600, in_day / 60 % 60,
                  in_day % 60);
    return d.str() + buf;
}

}  // namespace kyso

// kyso workflow — what spreadsheets do to values, undone: Excel dates and numbers, dropped
// leading zeros, spaces typed into numbers.
#include "workflow/intake_values.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/date.h"
#include "core/values.h"
#include "text/nfc.h"

namespace kyso::workflow {

namespace {

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

CleanValue changed(std::string value, std::string_view cell, const char* reason) {
    if (value == cell) return {std::string(cell), {}};
    return {std::move(value), reason};
}

// A number as Excel writes it in <v>: "1088012345", "1088012345.0", "1.088012345E+10". Returns
// its digits when it is a whole number of at most 15 significant digits (Excel's precision).
std::optional<std::string> excel_integer(std::string_view s) {
    if (all_digits(s)) return std::string(s);
    if (s.empty() || s.size() > 32) return std::nullopt;
    const bool numeric = std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == '.' || c == 'E' || c == 'e' || c == '+';
    });
    if (!numeric) return std::nullopt;
    char* end = nullptr;
    const std::string copy(s);
    const double v = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || !(v >= 0) || v >= 1e15 || std::floor(v) != v)
        return std::nullopt;
    return std::to_string(static_cast<long long>(v));
}

int to_int(std::string_view s) {
    int v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

// "d/m/yyyy" with '/', '-' or '.' between the parts.
std::optional<Date> day_month_year(std::string_view s) {
    std::size_t a = s.find_first_of("/-.");
    if (a == std::string_view::npos) return std::nullopt;
    const char sep = s[a];
    std::size_t b = s.find(sep, a + 1);
    if (b == std::string_view::npos || s.find(sep, b + 1) != std::string_view::npos)
        return std::nullopt;
    const auto d = s.substr(0, a), m = s.substr(a + 1, b - a - 1), y = s.substr(b + 1);
    if (!all_digits(d) || !all_digits(m) || !all_digits(y) || d.size() > 2 || m.size() > 2 ||
        y.size() != 4)
        return std::nullopt;
    const Date date{to_int(y), to_int(m), to_int(d)};
    if (date.month < 1 || date.month > 12 || date.day < 1 ||
        date.day > days_in_month(date.year, date.month))
        return std::nullopt;
    return date;
}

}  // namespace

CleanValue clean_date(std::string_view cell) {
    const CleanValue text = clean_text(cell);
    const std::string_view s = text.value;
    if (Date::parse(s)) return text;
    if (auto d = day_month_year(s)) return changed(d->str(), cell, "intake.date_dmy");
    // Excel's 1900 date system counts 1900-02-29, which never was, so later serials are days
    // after 1899-12-30.
    if (auto digits = excel_integer(s.substr(0, s.find('.')));
        digits && s.find_first_not_of("0123456789.") == std::string_view::npos &&
        digits->size() <= 7) {
        // Below 10000 (1927-05-18) a number is more likely a year or a typo than a date.
        const long serial = std::stol(*digits);
        if (serial >= 10000 && serial <= 2958465) {
            const Date excel_epoch{1899, 12, 30};
            const Date d = Date::from_days(excel_epoch.days() + serial);
            return changed(d.str(), cell, "intake.excel_date");
        }
    }
    return text;
}

CleanValue clean_cccd(std::string_view cell) {
    std::string s(cell);
    std::erase_if(s, [](char c) { return c == ' ' || c == '\t' || c == '\''; });
    if (s != cell && all_digits(s) && s.size() == 12) return changed(s, cell, "intake.spaces");
    if (auto digits = excel_integer(s)) {
        // Every province code starts with 0 (001-096), so Excel drops one or two zeros.
        if (digits->size() == 10 || digits->size() == 11)
            return changed(std::string(12 - digits->size(), '0') + *digits, cell,
                           "intake.leading_zero");
        if (*digits != cell) return changed(*digits, cell, "intake.excel_number");
    }
    return {std::string(cell), {}};
}

CleanValue clean_phone(std::string_view cell) {
    std::string s(cell);
    std::erase_if(s,
                  [](char c) { return c == ' ' || c == '.' || c == '-' || c == '(' || c == ')'; });
    if (s.empty()) return {std::string(cell), {}};
    if (auto digits = excel_integer(s)) s = *digits;
    if (all_digits(s) && s.size() == 11 && s.rfind("84", 0) == 0) s = "+" + s;
    if (all_digits(s) && s.size() == 9 && s[0] != '0')
        return changed("0" + s, cell, "intake.leading_zero");
    return changed(s, cell, "intake.phone_separators");
}

CleanValue clean_text(std::string_view cell) {
    return changed(text::collapse_spaces(cell), cell, "intake.spaces");
}

CleanValue clean_serial(std::string_view cell) {
    const CleanValue text = clean_text(cell);
    if (text.value.empty()) return text;
    if (auto n = normalize_serial(text.value)) return changed(*n, cell, "intake.serial_format");
    return text;
}

}  // namespace kyso::workflow

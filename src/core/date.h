// kyso core — calendar dates (proleptic Gregorian, UTC) and ISO 8601 parsing.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kyso {

struct Date {
    int year = 1970;
    int month = 1;
    int day = 1;

    auto operator<=>(const Date&) const = default;

    // Days since 1970-01-01.
    [[nodiscard]] std::int64_t days() const;
    static Date from_days(std::int64_t days);
    // "YYYY-MM-DD"
    [[nodiscard]] std::string str() const;

    // Strict "YYYY-MM-DD" naming a real day.
    static std::optional<Date> parse(std::string_view text);
    // "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)"; returns the UTC calendar date.
    static std::optional<Date> parse_date_or_datetime(std::string_view text);
    // Today's UTC date.
    static Date today();
};

// Now, UTC, as "YYYY-MM-DDThh:mm:ssZ".
std::string utc_timestamp();

bool is_leap_year(int year);
int days_in_month(int year, int month);

}  // namespace kyso

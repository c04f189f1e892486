// kyso core — calendar dates (proleptic Gregorian, UTC) and ISO 8601 parsing.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kyso {

// The years kyso reads in a date: 1 to 9999, four digits (ISO 8601 without expansion). Year 0
// (ISO's 1 BC, which nobody writes for a date of theirs) and five-digit years are refused; 9999
// is RFC 5280 §4.1.2.5's "no expiry" (99991231235959Z); 0001-01-01 is the date the store gives
// a bundle's registered state. Readers of dates people write narrow this further (a CA's
// processing date: kMinProcessingYear, workflow/results_file.h).
inline constexpr int kMinYear = 1;
inline constexpr int kMaxYear = 9999;

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

    // Strict "YYYY-MM-DD" naming a real day of a year from kMinYear to kMaxYear (no 02-30, no
    // month 13, no year 0).
    static std::optional<Date> parse(std::string_view text);
    // "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)" (hh 00–23, mm 00–59, ss 00–60,
    // offset at most ±23:59); returns the UTC calendar date. The same years as parse.
    static std::optional<Date> parse_date_or_datetime(std::string_view text);
    // Today's UTC date.
    static Date today();
};

// Now, UTC, as "YYYY-MM-DDThh:mm:ssZ".
std::string utc_timestamp();

// "hh:mm" or "hh:mm:ss" with an optional ".fraction": a time of day (hh 00–23, one digit allowed;
// mm 00–59; ss 00–60, a leap second). False for "25:00", "12:60", "" and anything else.
bool valid_time_of_day(std::string_view text);

bool is_leap_year(int year);
int days_in_month(int year, int month);

}  // namespace kyso

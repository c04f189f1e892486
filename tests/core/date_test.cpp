// Tests: core dates and ISO 8601 parsing.
#include <gtest/gtest.h>

#include "core/date.h"

using kyso::Date;

TEST(Date, ParsesStrictIsoDates) {
    auto d = Date::parse("2025-07-01");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->year, 2025);
    EXPECT_EQ(d->month, 7);
    EXPECT_EQ(d->day, 1);
    EXPECT_EQ(d->str(), "2025-07-01");
}

TEST(Date, RejectsImpossibleAndMalformedDates) {
    EXPECT_FALSE(Date::parse("2025-02-29"));
    EXPECT_TRUE(Date::parse("2024-02-29"));
    EXPECT_FALSE(Date::parse("1900-02-29"));
    EXPECT_FALSE(Date::parse("2025-13-01"));
    EXPECT_FALSE(Date::parse("2025-7-1"));
    EXPECT_FALSE(Date::parse("01/07/2025"));
    EXPECT_FALSE(Date::parse("2025-07-01 "));
    EXPECT_FALSE(Date::parse(""));
}

TEST(Date, DaysRoundTrip) {
    EXPECT_EQ((Date{1970, 1, 1}.days()), 0);
    EXPECT_EQ((Date{2000, 3, 1}.days()), 11017);
    for (std::int64_t d = -800000; d < 800000; d += 997) {
        EXPECT_EQ(Date::from_days(d).days(), d);
    }
}

TEST(Date, DateTimeGivesUtcCalendarDate) {
    EXPECT_EQ(Date::parse_date_or_datetime("2025-06-30T23:59:59Z")->str(), "2025-06-30");
    // 01:00 at +07:00 is 18:00 the day before in UTC.
    EXPECT_EQ(Date::parse_date_or_datetime("2025-07-01T01:00:00+07:00")->str(), "2025-06-30");
    EXPECT_EQ(Date::parse_date_or_datetime("2025-06-30T20:00:00-05:00")->str(), "2025-07-01");
    EXPECT_EQ(Date::parse_date_or_datetime("2025-06-30T20:00:00.123Z")->str(), "2025-06-30");
    EXPECT_FALSE(Date::parse_date_or_datetime("2025-06-30T20:00:00"));
    EXPECT_FALSE(Date::parse_date_or_datetime("2025-06-30T20:00Z"));
    EXPECT_FALSE(Date::parse_date_or_datetime("2025-06-30T25:00:00Z"));
    EXPECT_FALSE(Date::parse_date_or_datetime("2025-06-30T20:00:00.Z"));
}

TEST(Date, YearZeroAndImpossibleDaysAreRefused) {
    for (const char* t : {"0000-01-01", "0000-12-31", "2025-02-30", "2025-00-10", "2025-04-31",
                          "2025-01-00", "2025-01-32", "10000-01-01", "-001-01-01"})
        EXPECT_FALSE(Date::parse(t)) << t;
    EXPECT_FALSE(Date::parse_date_or_datetime("0000-01-01T00:00:00Z"));
    EXPECT_TRUE(Date::parse("0001-01-01"));  // the store's date of a bundle's registered state
    EXPECT_TRUE(Date::parse("9999-12-31"));  // RFC 5280 §4.1.2.5 "no expiry"
    EXPECT_TRUE(Date::parse_date_or_datetime("9999-12-31T23:59:59Z"));
}

TEST(Date, TimesOfDayAreChecked) {
    for (const char* t : {"00:00", "9:05", "23:59", "14:30:00", "23:59:60", "08:00:00.250"})
        EXPECT_TRUE(kyso::valid_time_of_day(t)) << t;
    for (const char* t : {"", "25:00", "24:00", "12:60", "12:30:61", "123:00", "12:3",
                          "12:30:", "12:30:00.", "12:30 ", "1230", "ab:cd"})
        EXPECT_FALSE(kyso::valid_time_of_day(t)) << t;
    EXPECT_FALSE(Date::parse_date_or_datetime("2025-06-30T23:60:00Z"));
    EXPECT_FALSE(Date::parse_date_or_datetime("2025-06-30T20:00:00+24:00"));
}

// Intake: dates as sheets hold them — serials in the 1900 and 1904 systems, ISO dates and
// date-times, dates typed as text, and the day/month order decided per column.
#include <gtest/gtest.h>

#include "intake/intake_dates.h"

namespace kyso::intake {

namespace {

DateColumn column_of(std::vector<std::string_view> cells, bool date1904 = false) {
    return read_date_column(cells, date1904);
}

}  // namespace

TEST(IntakeDates, TypedDatesInEveryShape) {
    EXPECT_EQ(clean_date("02/04/1990").value, "1990-04-02");
    EXPECT_EQ(clean_date("2/4/1990").value, "1990-04-02");
    EXPECT_EQ(clean_date("02-04-1990").value, "1990-04-02");
    EXPECT_EQ(clean_date("02.04.1990").value, "1990-04-02");
    EXPECT_EQ(clean_date("2/4/90").value, "1990-04-02");           // Excel: 30–99 are the 1900s
    EXPECT_EQ(clean_date("2/4/05").value, "2005-04-02");           // and 00–29 the 2000s
    EXPECT_EQ(clean_date("12/04/1985 0:00").value, "1985-04-12");  // Excel's CSV date-time
    EXPECT_EQ(clean_date("12/04/1985 00:00:00").value, "1985-04-12");
    EXPECT_EQ(clean_date("1990-04-02").value, "1990-04-02");
    EXPECT_TRUE(clean_date("1990-04-02").reason.empty());
    EXPECT_EQ(clean_date("1990/4/2").value, "1990-04-02");
    EXPECT_EQ(clean_date("1990.04.02").value, "1990-04-02");
    EXPECT_EQ(clean_date("1990/4/2").reason, "intake.date_ymd");
    // Not dates: kept as written for `kyso check` to report.
    EXPECT_EQ(clean_date("31/02/1990").value, "31/02/1990");
    EXPECT_EQ(clean_date("12/04/1985 25:00").value, "12/04/1985 25:00");
    EXPECT_EQ(clean_date("1/2/3/1990").value, "1/2/3/1990");
    EXPECT_EQ(clean_date("02/04/199").value, "02/04/199");
    EXPECT_EQ(clean_date("1990").value, "1990");
    EXPECT_EQ(clean_date("abc").value, "abc");
    EXPECT_EQ(clean_date(std::string(100, '1')).value, std::string(100, '1'));
}

TEST(IntakeDates, IsoDatesOfTypedDateCells) {
    // t="d" cells hold ISO 8601 text; the date is taken as written, without time-zone shifts.
    EXPECT_EQ(clean_date("1985-04-12T00:00:00").value, "1985-04-12");
    EXPECT_EQ(clean_date("1985-04-12T00:00:00Z").value, "1985-04-12");
    EXPECT_EQ(clean_date("1985-04-12T23:30:00.000+07:00").value, "1985-04-12");
    EXPECT_EQ(clean_date("1985-04-12T00:00").value, "1985-04-12");
    EXPECT_EQ(clean_date("1985-04-12T00:00:00").reason, "intake.date_ymd");
    EXPECT_EQ(clean_date("1985-04-12Tnoon").value, "1985-04-12Tnoon");
    EXPECT_EQ(clean_date("1985-02-30T00:00:00").value, "1985-02-30T00:00:00");
}

TEST(IntakeDates, SerialsInThe1900And1904Systems) {
    EXPECT_EQ(clean_date("32217").value, "1988-03-15");
    EXPECT_EQ(clean_date("32217").reason, "intake.excel_date");
    EXPECT_EQ(clean_date("45658").value, "2025-01-01");
    EXPECT_EQ(clean_date("45658.5").value, "2025-01-01");  // a time of day is dropped
    // The same serial in a Mac workbook is 1,462 days later.
    DateColumn mac;
    mac.date1904 = true;
    EXPECT_EQ(clean_date("29687", mac).value, "1985-04-12");
    EXPECT_EQ(clean_date("29687", mac).reason, "intake.excel_date_1904");
    EXPECT_EQ(clean_date("29687").value, "1981-04-11");
    // Below 10000 a number is more likely a year than a date.
    EXPECT_EQ(clean_date("9999").value, "9999");
    EXPECT_EQ(clean_date("99999999").value, "99999999");
}

TEST(IntakeDates, OneValueOverTwelveSettlesTheColumnMonthFirst) {
    const DateColumn c = column_of({"03/25/1990", "04/05/1991", "", "Nguyễn", "1988-01-02"});
    EXPECT_TRUE(c.settled);
    EXPECT_TRUE(c.month_first);
    EXPECT_FALSE(c.conflicting);
    EXPECT_EQ(clean_date("03/25/1990", c).value, "1990-03-25");
    const CleanValue v = clean_date("04/05/1991", c);
    EXPECT_EQ(v.value, "1991-04-05");  // April 5th, as the column says
    EXPECT_EQ(v.reason, "intake.date_mdy");
    EXPECT_TRUE(v.problem.empty());
}

TEST(IntakeDates, OneValueOverTwelveSettlesTheColumnDayFirst) {
    const DateColumn c = column_of({"25/03/1990", "04/05/1991"});
    EXPECT_TRUE(c.settled);
    EXPECT_FALSE(c.month_first);
    EXPECT_EQ(clean_date("04/05/1991", c).value, "1991-05-04");
    EXPECT_TRUE(clean_date("04/05/1991", c).problem.empty());
}

TEST(IntakeDates, AColumnNothingSettlesIsReadDayFirstWithAWarning) {
    const DateColumn c = column_of({"04/05/1991", "01/02/1980", "07/07/1977"});
    EXPECT_FALSE(c.settled);
    EXPECT_FALSE(c.month_first);
    const CleanValue v = clean_date("04/05/1991", c);
    EXPECT_EQ(v.value, "1991-05-04");
    EXPECT_EQ(v.problem, "date_order_assumed");
    // The same either way: nothing assumed.
    EXPECT_TRUE(clean_date("07/07/1977", c).problem.empty());
    // Serial and ISO dates are not typed dates: no warning.
    EXPECT_TRUE(clean_date("32217", c).problem.empty());
    EXPECT_TRUE(clean_date("1990-04-02", c).problem.empty());
}

TEST(IntakeDates, AConflictingColumnFollowsTheMajority) {
    const DateColumn c = column_of({"25/03/1990", "13/01/1980", "03/25/1990"});
    EXPECT_TRUE(c.conflicting);
    EXPECT_FALSE(c.month_first);
    EXPECT_EQ(clean_date("03/25/1990", c).value, "03/25/1990");  // impossible day-first: kept
    const DateColumn us = column_of({"03/25/1990", "01/13/1980", "25/03/1990"});
    EXPECT_TRUE(us.month_first);
}

TEST(IntakeDates, TypedDateShape) {
    const auto t = typed_date("3/25/90");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->first, 3);
    EXPECT_EQ(t->second, 25);
    EXPECT_EQ(t->year, 1990);
    EXPECT_FALSE(typed_date("1990/03/25"));  // year first
    EXPECT_FALSE(typed_date("3/25"));
    EXPECT_FALSE(typed_date("3/25-1990"));
}

}  // namespace kyso::intake

// Intake: headings agencies use, and what spreadsheets do to dates and numbers, undone.
#include <gtest/gtest.h>

#include "intake/intake_columns.h"
#include "intake/intake_dates.h"
#include "intake/intake_values.h"

namespace kyso::intake {

TEST(IntakeHeadings, VietnameseHeadingsAreRecognized) {
    EXPECT_EQ(recognize_heading("Họ và tên"), IntakeField::full_name);
    EXPECT_EQ(recognize_heading("HỌ VÀ TÊN (*)"), IntakeField::full_name);
    EXPECT_EQ(recognize_heading("  Họ  tên "), IntakeField::full_name);
    EXPECT_EQ(recognize_heading("Số CCCD"), IntakeField::cccd);
    EXPECT_EQ(recognize_heading("Số định danh cá nhân"), IntakeField::cccd);
    EXPECT_EQ(recognize_heading("Ngày sinh (dd/mm/yyyy)"), IntakeField::date_of_birth);
    EXPECT_EQ(recognize_heading("Email công vụ"), IntakeField::email);
    EXPECT_EQ(recognize_heading("Địa chỉ thư điện tử công vụ"), IntakeField::email);
    EXPECT_EQ(recognize_heading("Số điện thoại"), IntakeField::phone);
    EXPECT_EQ(recognize_heading("SĐT"), IntakeField::phone);
    EXPECT_EQ(recognize_heading("Đơn vị"), IntakeField::organization);
    EXPECT_EQ(recognize_heading("Tên cơ quan, tổ chức công tác"), IntakeField::organization);
    EXPECT_EQ(recognize_heading("Chức vụ"), IntakeField::position);
    EXPECT_EQ(recognize_heading("Số serial"), IntakeField::serial);
    EXPECT_EQ(recognize_heading("Số hiệu chứng thư cũ (nếu có)"), IntakeField::serial);
    EXPECT_EQ(recognize_heading("STT"), std::nullopt);
    EXPECT_EQ(recognize_heading("Ghi chú"), std::nullopt);
}

TEST(IntakeHeadings, FirstColumnOfAFieldWins) {
    const auto cols = map_columns({"STT", "Họ tên", "Họ và tên", "CCCD"}, nullptr);
    EXPECT_EQ(cols[static_cast<std::size_t>(IntakeField::full_name)], 1u);
    EXPECT_EQ(cols[static_cast<std::size_t>(IntakeField::cccd)], 3u);
    EXPECT_EQ(mapped_count(cols), 2u);
}

TEST(IntakeValues, DatesFromSpreadsheets) {
    EXPECT_EQ(clean_date("02/04/1990").value, "1990-04-02");
    EXPECT_EQ(clean_date("2/4/1990").value, "1990-04-02");
    EXPECT_EQ(clean_date("02-04-1990").value, "1990-04-02");
    EXPECT_EQ(clean_date("02.04.1990").value, "1990-04-02");
    EXPECT_EQ(clean_date("1990-04-02").value, "1990-04-02");
    EXPECT_TRUE(clean_date("1990-04-02").reason.empty());
    EXPECT_EQ(clean_date("32217").value, "1988-03-15");  // Excel serial
    EXPECT_EQ(clean_date("32217").reason, "intake.excel_date");
    EXPECT_EQ(clean_date("45658").value, "2025-01-01");
    EXPECT_EQ(clean_date("45658.5").value, "2025-01-01");  // a time of day is dropped
    // Not dates: kept as written for `kyso check` to report.
    EXPECT_EQ(clean_date("31/02/1990").value, "31/02/1990");
    EXPECT_EQ(clean_date("1990").value, "1990");
    EXPECT_EQ(clean_date("abc").value, "abc");
}

TEST(IntakeValues, NumbersExcelMangled) {
    EXPECT_EQ(clean_cccd("1088012345").value, "001088012345");  // two zeros dropped
    EXPECT_EQ(clean_cccd("38088012345").value, "038088012345");
    EXPECT_EQ(clean_cccd("1.088012345E+09").value, "001088012345");
    EXPECT_EQ(clean_cccd("001 088 012 345").value, "001088012345");
    EXPECT_EQ(clean_cccd("001088012345").value, "001088012345");
    EXPECT_TRUE(clean_cccd("001088012345").reason.empty());
    EXPECT_EQ(clean_cccd("12345").value, "12345");  // too short to guess: check reports it
    EXPECT_EQ(clean_phone("912345678").value, "0912345678");
    EXPECT_EQ(clean_phone("0912.345.678").value, "0912345678");
    EXPECT_EQ(clean_phone("84912345678").value, "+84912345678");
    EXPECT_EQ(clean_phone("(+84) 912-345-678").value, "+84912345678");
    EXPECT_EQ(clean_phone("").value, "");
    EXPECT_EQ(clean_serial("54:03:a1:b2").value, "5403A1B2");
    EXPECT_EQ(clean_text("  Nguyễn   Văn  An ").value, "Nguyễn Văn An");
    EXPECT_EQ(clean_text("  Nguyễn   Văn  An ").reason, "intake.spaces");
}

TEST(IntakeValues, ScientificNotationAsExcelWritesIt) {
    const auto a = scientific("3.8185E+10");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->shown, "38185");
    EXPECT_EQ(a->digits, 11u);
    EXPECT_TRUE(a->lost_digits());
    const auto b = scientific("4.01920E+11");  // a trailing zero as written is a shown digit
    ASSERT_TRUE(b);
    EXPECT_EQ(b->shown, "401920");
    EXPECT_EQ(b->digits, 12u);
    EXPECT_TRUE(b->lost_digits());
    const auto c = scientific("3,8185012345E+10");  // decimal comma (Vietnamese Windows)
    ASSERT_TRUE(c);
    EXPECT_FALSE(c->lost_digits());
    EXPECT_EQ(c->whole(), "38185012345");
    EXPECT_EQ(scientific("1E+11")->digits, 12u);
    EXPECT_EQ(scientific("1.50E+1")->whole(), "15");
    EXPECT_EQ(scientific("1.25E+1")->whole(), std::nullopt);  // 12.5: not a whole number
    // Not E-notation: no sign (a hex serial "1E10"), negative exponent, plain numbers, text.
    EXPECT_FALSE(scientific("1E10"));
    EXPECT_FALSE(scientific("1.5E-3"));
    EXPECT_FALSE(scientific("-1.5E+3"));
    EXPECT_FALSE(scientific("038185012345"));
    EXPECT_FALSE(scientific("E+10"));
    EXPECT_FALSE(scientific("3.8185E+"));
    EXPECT_FALSE(scientific("3.8185E+1000"));
    EXPECT_FALSE(scientific(std::string(40, '1') + "E+1"));
}

TEST(IntakeValues, CccdWhoseDigitsExcelLostIsKeptAsWrittenWithAProblem) {
    for (const char* lost : {"3.8185E+10", "1.079E+09", "4.01920E+11", "1E+11", "3,8185E+10"}) {
        const CleanValue v = clean_cccd(lost);
        EXPECT_EQ(v.value, lost) << "never padded with invented zeros";
        EXPECT_EQ(v.problem, "number_digits_lost") << lost;
        EXPECT_TRUE(v.reason.empty());
    }
    // Every digit there: the dropped leading zeros come back, logged.
    const CleanValue whole = clean_cccd("3.8185012345E+10");
    EXPECT_EQ(whole.value, "038185012345");
    EXPECT_EQ(whole.reason, "intake.leading_zero");
    EXPECT_TRUE(whole.problem.empty());
    EXPECT_EQ(clean_cccd("1.23456789012E+11").value, "123456789012");
    EXPECT_EQ(clean_cccd("38185012345").value, "038185012345");
    EXPECT_EQ(clean_cccd("38185012345").reason, "intake.leading_zero");
}

TEST(IntakeValues, PhoneAndSerialsWhoseDigitsExcelLostAreProblems) {
    EXPECT_EQ(clean_phone("9.12346E+08").value, "9.12346E+08");
    EXPECT_EQ(clean_phone("9.12346E+08").problem, "number_digits_lost");
    EXPECT_EQ(clean_phone("9.12345678E+08").value, "0912345678");
    EXPECT_TRUE(clean_phone("0912 345 678").problem.empty());
    EXPECT_EQ(clean_serial("5.40101E+37").problem, "number_digits_lost");
    EXPECT_EQ(clean_serial("5.40101E+37").value, "5.40101E+37");
    EXPECT_EQ(clean_serial("1E10").value, "1E10");  // hex, not a number
    EXPECT_TRUE(clean_serial("1E10").problem.empty());
    EXPECT_EQ(clean_serial("540101234567890123456789").value, "540101234567890123456789");
    // An ICCID Excel stored as a number: 15 digits, then zeros.
    EXPECT_EQ(clean_device_serial("8984012345678900000").problem, "number_digits_lost");
    EXPECT_EQ(clean_device_serial("8.98401E+18").problem, "number_digits_lost");
    EXPECT_TRUE(clean_device_serial("8984012345678901234").problem.empty());
    EXPECT_EQ(clean_device_serial(" TK-00123 ").value, "TK-00123");
}

}  // namespace kyso::intake

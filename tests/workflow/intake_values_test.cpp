// Intake: headings agencies use, and what spreadsheets do to dates and numbers, undone.
#include <gtest/gtest.h>

#include "workflow/intake_columns.h"
#include "workflow/intake_values.h"

namespace kyso::workflow {

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

}  // namespace kyso::workflow

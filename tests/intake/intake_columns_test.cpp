// Intake's columns: the common variants of headings recognized, and every column it does not
// read listed (issue 10, "what the sheet says arrives").
#include <gtest/gtest.h>

#include "intake/intake_columns.h"

namespace kyso::intake {

TEST(IntakeColumns, CommonVariantsOfHeadingsAreRecognized) {
    for (const char* h : {"Số serial chứng thư", "Serial chứng thư số", "Số hiệu chứng thư",
                          "SỐ SERIAL CHỨNG THƯ SỐ (nếu có)", "Số serial CTS", "Serial CTS cũ"})
        EXPECT_EQ(recognize_heading(h), IntakeField::serial) << h;
    for (const char* h :
         {"Cơ quan, đơn vị", "Cơ quan,đơn vị", "Tên đơn vị", "Tên cơ quan", "Đơn vị công tác",
          "Cơ quan / đơn vị", "Tên cơ quan, tổ chức", "Tên tổ chức"})
        EXPECT_EQ(recognize_heading(h), IntakeField::organization) << h;
    for (const char* h : {"Số serial token / ICCID", "Số serial thiết bị", "ICCID", "Serial token"})
        EXPECT_EQ(recognize_heading(h), IntakeField::device_serial) << h;
    for (const char* h : {"Loại chứng thư", "Đối tượng", "Cá nhân / Tổ chức"})
        EXPECT_EQ(recognize_heading(h), IntakeField::holder_type) << h;
    EXPECT_EQ(recognize_heading("Ngày, tháng, năm sinh"), IntakeField::date_of_birth);
    EXPECT_EQ(recognize_heading("Số CMND / CCCD"), IntakeField::cccd);
    EXPECT_EQ(recognize_heading("Ghi chú"), std::nullopt);
    EXPECT_TRUE(ignored_heading("STT"));
    EXPECT_TRUE(ignored_heading("Số TT"));
    EXPECT_FALSE(ignored_heading("Ghi chú"));
}

TEST(IntakeColumns, ColumnsNotReadAreListed) {
    const std::vector<std::string> header = {"STT",     "Họ và tên", "Quê quán", "",
                                             "Số CCCD", "Họ tên",    "Ghi chú"};
    const ColumnMap cols = map_columns(header, nullptr);
    const auto unread = unread_columns(header, cols);
    ASSERT_EQ(unread.size(), 3u);
    EXPECT_EQ(unread[0].heading, "Quê quán");
    EXPECT_EQ(column_letter(unread[0].column), "C");
    EXPECT_EQ(unread[1].heading, "Họ tên") << "a second column of a field is not read either";
    EXPECT_EQ(unread[2].heading, "Ghi chú");
    EXPECT_EQ(column_letter(25), "Z");
    EXPECT_EQ(column_letter(26), "AA");
    EXPECT_EQ(column_letter(701), "ZZ");
}

}  // namespace kyso::intake

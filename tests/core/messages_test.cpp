// Tests: the message catalog renders both languages and errors name their place.
#include <gtest/gtest.h>

#include "core/messages.h"

TEST(Messages, RendersBothLanguagesWithArguments) {
    EXPECT_EQ(kyso::message("csv.missing_column", {"cccd"}, false), "thiếu cột bắt buộc \"cccd\"");
    EXPECT_EQ(kyso::message("csv.missing_column", {"cccd"}, true),
              "missing required column \"cccd\"");
}

TEST(Messages, UnknownCodeIsNeverSilent) {
    EXPECT_EQ(kyso::message("no.such.code", {"x"}, true), "no.such.code x");
}

TEST(Messages, ErrorDescribesLocation) {
    auto e =
        kyso::make_error("bundle.unknown_reference", {"people.csv", 12, "org_id", "u1"}, {"X9"});
    EXPECT_EQ(e.describe(true),
              "people.csv, row 12, field org_id, id u1: reference \"X9\" names nothing");
    EXPECT_EQ(e.describe(false),
              "people.csv, dòng 12, trường org_id, mã u1: tham chiếu \"X9\" không tồn tại");
}

TEST(Messages, PlaceholdersBeyondNine) {
    const std::string s = kyso::message(
        "cli.status", {"db", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}, true);
    EXPECT_NE(s.find("(9 valid, 10 revoked)"), std::string::npos) << s;
}

TEST(Messages, LabelledPlaceholdersShowCodesByTheirNameInTheMessagesLanguage) {
    // {0:record} and {1:role}: a record kind or role code reads as its name, in either
    // language; a value with no such name is shown as given.
    EXPECT_EQ(kyso::message("store.not_found", {"certificate", "0A1B"}, false),
              "không có chứng thư số \"0A1B\" trong sổ đăng ký");
    EXPECT_EQ(kyso::message("store.not_found", {"certificate", "0A1B"}, true),
              "there is no certificate \"0A1B\" in the registry");
    const std::string vi =
        kyso::message("server.forbidden", {"canbo", "unit_officer", "GET", "/api/v1/users"}, false);
    EXPECT_NE(vi.find("vai trò cán bộ đơn vị"), std::string::npos) << vi;
    EXPECT_EQ(vi.find("unit_officer"), std::string::npos) << vi;
    EXPECT_NE(kyso::message("store.not_found", {"thing", "x"}, false).find("không có thing"),
              std::string::npos);
}

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

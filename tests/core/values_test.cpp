// Tests: CCCD, phone, e-mail and serial checks (FORMATS.md §5 patterns).
#include <gtest/gtest.h>

#include "core/values.h"

TEST(Cccd, WellFormedIsTwelveDigits) {
    EXPECT_TRUE(kyso::cccd_well_formed("001088012345"));
    EXPECT_FALSE(kyso::cccd_well_formed("00108801234"));
    EXPECT_FALSE(kyso::cccd_well_formed("0010880123456"));
    EXPECT_FALSE(kyso::cccd_well_formed("00108801234a"));
    EXPECT_FALSE(kyso::cccd_well_formed(""));
}

TEST(Cccd, ProvinceCodesAreTheOld63) {
    EXPECT_TRUE(kyso::cccd_province_known("001088012345"));  // Hà Nội
    EXPECT_TRUE(kyso::cccd_province_known("096088012345"));  // Cà Mau
    EXPECT_FALSE(kyso::cccd_province_known("003088012345"));
    EXPECT_FALSE(kyso::cccd_province_known("097088012345"));
}

TEST(Cccd, CenturyAndYearAgreeWithBirth) {
    EXPECT_TRUE(kyso::cccd_matches_birth("001088012345", kyso::Date{1988, 1, 1}));
    EXPECT_TRUE(kyso::cccd_matches_birth("001188012345", kyso::Date{1988, 1, 1}));  // female
    EXPECT_TRUE(kyso::cccd_matches_birth("001201012345", kyso::Date{2001, 1, 1}));
    EXPECT_TRUE(kyso::cccd_matches_birth("001301012345", kyso::Date{2001, 1, 1}));
    EXPECT_FALSE(kyso::cccd_matches_birth("001088012345", kyso::Date{1990, 4, 2}));
    EXPECT_FALSE(kyso::cccd_matches_birth("001288012345", kyso::Date{1988, 1, 1}));
    EXPECT_TRUE(kyso::cccd_matches_birth("001405012345", kyso::Date{2105, 1, 1}));
}

TEST(Phone, MatchesVietnameseMobilePattern) {
    EXPECT_TRUE(kyso::phone_valid("0912345678"));
    EXPECT_TRUE(kyso::phone_valid("+84912345678"));
    EXPECT_TRUE(kyso::phone_valid("0321234567"));
    EXPECT_TRUE(kyso::phone_valid("0701234567"));
    EXPECT_FALSE(kyso::phone_valid("0711234567"));
    EXPECT_FALSE(kyso::phone_valid("0951234567"));
    EXPECT_FALSE(kyso::phone_valid("0311234567"));
    EXPECT_FALSE(kyso::phone_valid("091234567"));
    EXPECT_FALSE(kyso::phone_valid("84912345678"));
    EXPECT_FALSE(kyso::phone_valid("0912 345 678"));
    EXPECT_FALSE(kyso::phone_valid(""));
}

TEST(Email, MatchesFormatsPattern) {
    EXPECT_TRUE(kyso::email_valid("a.b_c%d+e-f@so-tc.tinh.gov.vn"));
    EXPECT_TRUE(kyso::email_valid("x@y.vn"));
    EXPECT_FALSE(kyso::email_valid("x@y"));
    EXPECT_FALSE(kyso::email_valid("x@y.v"));
    EXPECT_FALSE(kyso::email_valid("x@y..vn"));
    EXPECT_FALSE(kyso::email_valid("x@.vn"));
    EXPECT_FALSE(kyso::email_valid("@y.vn"));
    EXPECT_FALSE(kyso::email_valid("x y@y.vn"));
    EXPECT_FALSE(kyso::email_valid("x@y.v1"));
    EXPECT_FALSE(kyso::email_valid("x@@y.vn"));
}

TEST(Serial, ComparesAsNumbers) {
    EXPECT_LT(kyso::compare_serials("FF", "100"), 0);
    EXPECT_EQ(kyso::compare_serials("00FF", "FF"), 0);
    EXPECT_GT(kyso::compare_serials("B", "A"), 0);
    EXPECT_EQ(*kyso::normalize_serial("0x0a:1b"), "0A1B");
    EXPECT_FALSE(kyso::normalize_serial("xyz"));
    EXPECT_TRUE(kyso::serial_valid("0A1B"));
    EXPECT_FALSE(kyso::serial_valid("0a1b"));
}

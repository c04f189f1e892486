// Tests: CCCD, phone, e-mail and serial checks (FORMATS.md §5 patterns).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

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

// FORMATS.md §1 as amended: the form `openssl x509 -serial` prints.
TEST(Serial, NormalizesToOpensslForm) {
    // Leading zero bytes (a DER sign byte copied as text) and leading zero digits go.
    EXPECT_EQ(*kyso::normalize_serial("009F00AABBCCDDEEFF0011223344556677"),
              "9F00AABBCCDDEEFF0011223344556677");
    EXPECT_EQ(*kyso::normalize_serial("0000000A"), "0A");
    // An odd number of digits gets the leading 0 of its first byte.
    EXPECT_EQ(*kyso::normalize_serial("7277F52"), "07277F52");
    EXPECT_EQ(*kyso::normalize_serial("A"), "0A");
    // Lower case, colons, spaces and tabs as people copy them from certificate viewers.
    EXPECT_EQ(*kyso::normalize_serial("9f:00:aa"), "9F00AA");
    EXPECT_EQ(*kyso::normalize_serial(" 9f 00\taa "), "9F00AA");
    EXPECT_EQ(*kyso::normalize_serial("0X0a1b"), "0A1B");
    // Zero is one byte, without sign.
    EXPECT_EQ(*kyso::normalize_serial("0"), "00");
    EXPECT_EQ(*kyso::normalize_serial("00:00"), "00");
    EXPECT_EQ(*kyso::normalize_serial("-0"), "00");
    // Negative serials: "-" and the magnitude, as OpenSSL's i2a_ASN1_INTEGER writes them.
    EXPECT_EQ(*kyso::normalize_serial("-5"), "-05");
    EXPECT_EQ(*kyso::normalize_serial("-00:ff:00"), "-FF00");
    EXPECT_EQ(*kyso::normalize_serial("-0x80"), "-80");
    // RFC 5280 §4.1.2.2: up to 20 octets, so 40 digits; a 21st sign byte is dropped.
    const std::string twenty = "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";
    EXPECT_EQ(*kyso::normalize_serial(twenty), twenty);
    EXPECT_EQ(*kyso::normalize_serial("00" + twenty), twenty);
    EXPECT_EQ(*kyso::normalize_serial("00FF" + twenty.substr(2)), "FF" + twenty.substr(2));
    // Not serials at all.
    for (const char* bad : {"", " ", ":", "-", "0x", "12G4", "-:", "1-2", "--5", "0x-5"})
        EXPECT_FALSE(kyso::normalize_serial(bad)) << bad;
}

TEST(Serial, ValidMeansAlreadyNormal) {
    for (const char* ok : {"00", "0A", "07277F52", "9F00", "-05", "-FF00", "7F"})
        EXPECT_TRUE(kyso::serial_valid(ok)) << ok;
    for (const char* bad :
         {"", "0", "A", "7277F52", "009F", "0000", "-00", "-5", "9f", "9F:00", "-", "+05"})
        EXPECT_FALSE(kyso::serial_valid(bad)) << bad;
    // Whatever normalize_serial returns is valid.
    for (const char* text : {"0", "-1", "00:9f", "abc", "-0x00ff"})
        EXPECT_TRUE(kyso::serial_valid(*kyso::normalize_serial(text))) << text;
}

TEST(Serial, SameCertificateWhenTheIntegersAreEqual) {
    EXPECT_TRUE(kyso::same_serial("009F00AA", "9F00AA"));
    EXPECT_TRUE(kyso::same_serial("7277F52", "07277F52"));
    EXPECT_TRUE(kyso::same_serial("9f:00:aa", "9F00AA"));
    EXPECT_TRUE(kyso::same_serial("-05", "-5"));
    EXPECT_FALSE(kyso::same_serial("-05", "05"));
    EXPECT_FALSE(kyso::same_serial("9F00AA", "9F00AB"));
}

TEST(Serial, NegativeSerialsOrderBeforePositiveOnes) {
    EXPECT_LT(kyso::compare_serials("-05", "00"), 0);
    EXPECT_LT(kyso::compare_serials("-FF", "-05"), 0);  // -255 < -5
    EXPECT_GT(kyso::compare_serials("-05", "-FF"), 0);
    EXPECT_LT(kyso::compare_serials("-01", "01"), 0);
    EXPECT_EQ(kyso::compare_serials("-0", "00"), 0);
    std::vector<std::string> serials{"0A", "-01", "FF", "00", "-FF00", "0100", "7F"};
    std::sort(serials.begin(), serials.end(), kyso::SerialLess{});
    EXPECT_EQ(serials, (std::vector<std::string>{"-FF00", "-01", "00", "0A", "7F", "FF", "0100"}));
}

// RFC 5280 §4.1.2.2: at most 20 octets, counted on the magnitude (values.h serial_octets).
TEST(Serial, OctetsAreThoseOfTheMagnitudeAndOverTwentyDoNotFit) {
    const std::string twenty_low = "7F" + std::string(38, 'A');
    const std::string twenty_high = "F" + std::string(39, '1');  // DER adds a sign byte
    const std::string twenty_one = "01" + std::string(40, '0');
    EXPECT_EQ(kyso::serial_octets(twenty_low), 20u);
    EXPECT_TRUE(kyso::serial_fits(twenty_low));
    EXPECT_EQ(kyso::serial_octets(twenty_high), 20u);
    EXPECT_TRUE(kyso::serial_fits(twenty_high));
    EXPECT_EQ(kyso::serial_octets(twenty_one), 21u);
    EXPECT_FALSE(kyso::serial_fits(twenty_one));
    EXPECT_FALSE(kyso::serial_fits("-" + twenty_one));
    EXPECT_TRUE(kyso::serial_fits("-" + twenty_high));
    EXPECT_EQ(kyso::serial_octets("00"), 1u);
    EXPECT_EQ(kyso::serial_octets("9F00"), 2u);
    EXPECT_EQ(kyso::serial_octets("not hex"), 0u);
    EXPECT_FALSE(kyso::serial_fits("0A1"));  // not in normal form
}

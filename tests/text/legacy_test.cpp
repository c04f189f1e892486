// Tests: legacy Vietnamese encodings detected and repaired (FORMATS.md §5 legacy_encoding).
#include <gtest/gtest.h>

#include "text/legacy.h"

using kyso::text::plausible_vietnamese;
using kyso::text::repair_legacy;

TEST(Legacy, PlausibleVietnamese) {
    EXPECT_TRUE(plausible_vietnamese("Nguyễn Văn An"));
    EXPECT_TRUE(plausible_vietnamese("Sở Lao động - Thương binh và Xã hội (cũ), tỉnh Đắk Lắk"));
    EXPECT_TRUE(plausible_vietnamese("ĐẶNG THU PHONG"));
    EXPECT_TRUE(plausible_vietnamese("Ư Ơ ư ơ"));
    EXPECT_TRUE(plausible_vietnamese("Vò"));       // may be TCVN3 for "Vũ": never reported
    EXPECT_FALSE(plausible_vietnamese("NguyÔn"));  // capital after a small letter
    EXPECT_FALSE(plausible_vietnamese("V¨n"));     // ¨ is no Vietnamese letter
    EXPECT_FALSE(plausible_vietnamese("Müller"));  // ü neither
    EXPECT_FALSE(plausible_vietnamese("Nguye\xCC\x82\xCC\x83n"));  // NFD: combining marks
}

TEST(Legacy, Utf8ReadAsWindows1252IsRepaired) {
    // "Nguyễn Văn An" in UTF-8, read as Windows-1252.
    EXPECT_EQ(repair_legacy("Nguy\xC3\xA1\xC2\xBB\xE2\x80\xA6n V\xC3\x84\xC6\x92n An"),
              "Nguyễn Văn An");
    // "Sở Tài chính tỉnh Đồng Nai": 0x90 is undefined in Windows-1252 and arrives as U+0090.
    EXPECT_EQ(
        repair_legacy(
            "S\xC3\xA1\xC2\xBB\xC5\xB8 T\xC3\x83\xC2\xA0i ch\xC3\x83\xC2\xADnh "
            "t\xC3\xA1\xC2\xBB\xE2\x80\xB0nh \xC3\x84\xC2\x90\xC3\xA1\xC2\xBB\xE2\x80\x9Cng Nai"),
        "Sở Tài chính tỉnh Đồng Nai");
}

TEST(Legacy, Tcvn3IsRepaired) {
    // TCVN3 bytes 4E 67 75 79 D4 6E 20 56 A8 6E 20 41 6E shown as Windows-1252.
    EXPECT_EQ(repair_legacy("Nguy\xC3\x94n V\xC2\xA8n An"), "Nguyễn Văn An");
    EXPECT_EQ(repair_legacy("Tr\xC3\x87n Th\xC3\x9E Th\xC3\xB1y"), "Trần Thị Thủy");
}

TEST(Legacy, PlausibleOrHopelessTextIsLeftAlone) {
    EXPECT_FALSE(repair_legacy("Nguyễn Văn An"));
    EXPECT_FALSE(repair_legacy("Vò"));
    EXPECT_FALSE(repair_legacy("日本語"));  // not representable in Windows-1252
}

TEST(Legacy, VniIsRepaired) {
    // VNI-Windows "Trần Thị Thủy", "Phạm Thị Hồng" and "ĐẶNG VỮNG", shown as Windows-1252.
    EXPECT_EQ(repair_legacy("Tra\xC3\xA0n Th\xC3\xB2 Thu\xC3\xBBy"), "Trần Thị Thủy");
    EXPECT_EQ(repair_legacy("Pha\xC3\xAFm Th\xC3\xB2 Ho\xC3\xA0ng"), "Phạm Thị Hồng");
    EXPECT_EQ(repair_legacy("\xC3\x91\x41\xC3\x8BNG V\xC3\x96\xC3\x95NG"), "ĐẶNG VỮNG");
}

TEST(Legacy, Tcvn3IsTriedBeforeVni) {
    // FORMATS.md §5: the first plausible decoding wins. VNI "Xin chào các bạn" also decodes to
    // plausible letters as TCVN3, so that is the suggestion (a person confirms it).
    EXPECT_EQ(repair_legacy("Xin cha\xC3\xB8o ca\xC3\xB9\x63 ba\xC3\xAFn"), "Xin chaứo caực baùn");
}

TEST(Legacy, Tcvn3CapitalsFontComesBackInProperCase) {
    using kyso::text::NameKind;
    // .VnTimeH draws the small letters' codes as capitals: "NGUYỄN VĂN A" typed in it is stored
    // as the small letters (bytes 6E 67 75 79 D4 6E 20 76 A8 6E 20 61), shown here as
    // Windows-1252, ...
    EXPECT_EQ(repair_legacy("nguy\xC3\x94n v\xC2\xA8n a"), "Nguyễn Văn A");
    // ... or with ASCII capitals and TCVN3's few capitals (A1 = Ă) among the small letters.
    EXPECT_EQ(repair_legacy("NGUY\xC3\x94N V\xC2\xA1N A"), "Nguyễn Văn A");
    EXPECT_EQ(repair_legacy("TR\xC3\x87N TH\xC3\x9E TH\xC3\xB1Y"), "Trần Thị Thủy");
    // An organization's name gets its first letter capital, not every word.
    EXPECT_EQ(repair_legacy("s\xC3\xAB t\xC2\xB5i ch\xC3\x9Dnh t\xC3\x98nh ph\xC3\xB3 s\xC2\xACn",
                            NameKind::organization),
              "Sở tài chính tỉnh phú sơn");
    EXPECT_EQ(repair_legacy("S\xC3\xAB T\xC2\xB5I CH\xC3\x9DNH", NameKind::organization),
              "Sở tài chính");
    // Typed in the ordinary font with its own capitals: the case as typed is kept.
    EXPECT_EQ(repair_legacy("Nguy\xC3\x94n V\xC2\xA8n An"), "Nguyễn Văn An");
    EXPECT_EQ(repair_legacy("S\xC3\xAB T\xC2\xB5i ch\xC3\x9Dnh", NameKind::organization),
              "Sở Tài chính");
}

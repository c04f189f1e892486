// Tests: NFC normalization of Vietnamese text.
#include <gtest/gtest.h>

#include "text/nfc.h"

TEST(Nfc, ComposesDecomposedVietnamese) {
    const std::string nfd = "Nguye\xCC\x82\xCC\x83n";  // e + circumflex + tilde
    EXPECT_FALSE(kyso::text::is_nfc(nfd));
    EXPECT_EQ(kyso::text::to_nfc(nfd), "Nguyễn");
    EXPECT_TRUE(kyso::text::is_nfc("Nguyễn"));
}

TEST(Nfc, AsciiAndComposedUnchanged) {
    std::string s = "Tran Van A";
    kyso::text::normalize_nfc(s);
    EXPECT_EQ(s, "Tran Van A");
    EXPECT_EQ(kyso::text::to_nfc("Ủy ban nhân dân"), "Ủy ban nhân dân");
}

TEST(Nfc, ValidatesUtf8) {
    EXPECT_TRUE(kyso::text::valid_utf8("Đ"));
    EXPECT_FALSE(kyso::text::valid_utf8("\xC4"));
    EXPECT_FALSE(kyso::text::valid_utf8("\xFF"));
}

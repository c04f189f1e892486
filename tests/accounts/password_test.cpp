// Passwords: argon2id, salted, verified; short ones refused.
#include <gtest/gtest.h>

#include "accounts/password.h"

namespace kyso::accounts {

TEST(Password, Argon2idHashesVerifyAndDiffer) {
    auto a = hash_password("mật-khẩu-đủ-dài");
    auto b = hash_password("mật-khẩu-đủ-dài");
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(a->rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u) << *a;
    EXPECT_NE(*a, *b) << "each hash has its own salt";
    EXPECT_TRUE(verify_password("mật-khẩu-đủ-dài", *a));
    EXPECT_FALSE(verify_password("mật-khẩu-đủ-dàI", *a));
    EXPECT_FALSE(verify_password("mật-khẩu-đủ-dài", "plain-text"));
    EXPECT_FALSE(hash_password("short").ok());
    EXPECT_FALSE(hash_password(std::string(2000, 'x')).ok());
}

}  // namespace kyso::accounts

namespace kyso::accounts {

namespace {
// "Nguyễn Văn Bình" with every letter decomposed (NFD), as some keyboards send it.
const std::string kNfc = "Nguyễn Văn Bình 2025";
const std::string kNfd = "Nguye\xcc\x82\xcc\x83n Va\xcc\x86n Bi\xcc\x80nh 2025";
}  // namespace

TEST(Password, TheSamePasswordTypedDecomposedSignsIn) {
    ASSERT_NE(kNfc, kNfd);
    auto hash = hash_password(kNfd);
    ASSERT_TRUE(hash.ok());
    EXPECT_TRUE(verify_password(kNfc, *hash));
    EXPECT_TRUE(verify_password(kNfd, *hash));
    auto checked = check_new_password(kNfd, "binh");
    ASSERT_TRUE(checked.ok());
    EXPECT_EQ(*checked, kNfc) << "kept in NFC";
}

TEST(Password, LengthIsCountedInCharactersAfterNfc) {
    // Ten characters, 20 bytes in NFC and more in NFD: enough.
    const std::string ten = "ệệệệệaaaaa";
    EXPECT_TRUE(check_new_password(ten, "x").ok());
    // Nine characters of two or three bytes each: 19 bytes, still too short.
    const std::string nine = "ệệệệệaaaa";
    ASSERT_GE(nine.size(), 10u);
    auto r = check_new_password(nine, "x");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "password.too_short");
    EXPECT_EQ(hash_password(nine).error().code, "password.too_short");
}

TEST(Password, BlankOneCharacterAndTheUsernameAreRefused) {
    EXPECT_EQ(check_new_password("", "an").error().code, "password.blank");
    EXPECT_EQ(check_new_password("            \t ", "an").error().code, "password.blank");
    EXPECT_EQ(check_new_password("aaaaaaaaaaaa", "an").error().code, "password.one_character");
    EXPECT_EQ(check_new_password("ééééééééééé", "an").error().code, "password.one_character");
    EXPECT_EQ(check_new_password("NguyenVanAn1", "nguyenvanan1").error().code,
              "password.is_username");
    EXPECT_EQ(check_new_password("ĐẶNGTHỊHOA01", "đặngthịhoa01").error().code,
              "password.is_username");
    EXPECT_EQ(check_new_password(std::string("abc\xff") + "defghijk", "an").error().code,
              "password.utf8");
    EXPECT_TRUE(check_new_password("nguyenvanan1!", "nguyenvanan1").ok());
    EXPECT_TRUE(check_new_password("  spaced out pass  ", "an").ok());
}

}  // namespace kyso::accounts

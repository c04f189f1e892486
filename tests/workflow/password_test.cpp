// Passwords: argon2id, salted, verified; short ones refused.
#include <gtest/gtest.h>

#include "workflow/password.h"

namespace kyso::workflow {

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

}  // namespace kyso::workflow

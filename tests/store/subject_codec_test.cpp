// Tests: the stored form of parsed subjects reads back exactly and rejects malformed text.
#include <gtest/gtest.h>

#include <string>

#include "store/subject_codec.h"

using kyso::Subject;
namespace store = kyso::store;

TEST(SubjectCodec, RoundTripsAnyBytes) {
    const Subject subject{
        {"C", "VN"}, {"CN", "Nguyễn: 12:3"}, {"OU", ""}, {"E", std::string("a\0b", 3)}};
    const auto decoded = store::decode_subject(store::encode_subject(subject));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, subject);
    EXPECT_EQ(store::encode_subject({{"C", "VN"}}), "1:C2:VN");
    EXPECT_TRUE(store::decode_subject("")->empty());
}

TEST(SubjectCodec, RejectsMalformedText) {
    EXPECT_FALSE(store::decode_subject("1:C"));      // no value
    EXPECT_FALSE(store::decode_subject("1:C9:VN"));  // value shorter than its length
    EXPECT_FALSE(store::decode_subject("x:C2:VN"));  // not a length
    EXPECT_FALSE(store::decode_subject(":C2:VN"));   // empty length
}

TEST(SubjectCodec, KeepsMultiValuedRdns) {
    Subject subject{{"C", "VN"}, {"CN", "A"}, {"E", "a@b.vn", true}, {"OU", "+x", false}};
    const std::string text = store::encode_subject(subject);
    EXPECT_EQ(text, "1:C2:VN2:CN1:A2:+E6:a@b.vn2:OU2:+x");
    const auto decoded = store::decode_subject(text);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, subject);
}

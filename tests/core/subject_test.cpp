// Tests: subjects as RDN lists, RFC 4514 format and parse.
#include <gtest/gtest.h>

#include "core/subject.h"

using kyso::Rdn;
using kyso::Subject;

TEST(Subject, FormatsLeafFirstWithEscapes) {
    Subject s{{"C", "VN"}, {"L", "Tỉnh X"}, {"O", "Công ty A, B + C"}, {"CN", " #lead trail "}};
    EXPECT_EQ(kyso::format_rfc4514(s), "CN=\\ #lead trail\\ ,O=Công ty A\\, B \\+ C,L=Tỉnh X,C=VN");
}

TEST(Subject, EscapesEverySpecial) {
    EXPECT_EQ(kyso::escape_rfc4514_value("a\"b\\c<d>e;f"), "a\\\"b\\\\c\\<d\\>e\\;f");
    EXPECT_EQ(kyso::escape_rfc4514_value("#x"), "\\#x");
    EXPECT_EQ(kyso::escape_rfc4514_value("x#"), "x#");
}

TEST(Subject, ParseIsInverseOfFormat) {
    Subject s{{"C", "VN"},
              {"L", "Tỉnh Bạch Mã - Hải Vân"},
              {"O", "A, \"B\"; <C>"},
              {"OU", "x\\y+z"},
              {"CN", " lead#"},
              {"E", "a@b.vn"}};
    auto parsed = kyso::parse_rfc4514(kyso::format_rfc4514(s));
    ASSERT_TRUE(parsed) << parsed.error().message_en;
    EXPECT_EQ(*parsed, s);
}

TEST(Subject, ParsesHexPairsAsUtf8) {
    auto p = kyso::parse_rfc4514("CN=Nguy\\E1\\BB\\85n,C=VN");
    ASSERT_TRUE(p);
    EXPECT_EQ((*p)[1].value, "Nguyễn");
}

TEST(Subject, CanonicalizesAttributeNames) {
    auto p = kyso::parse_rfc4514("emailAddress=a@b.vn,cn=X,2.5.4.6=VN");
    ASSERT_TRUE(p);
    EXPECT_EQ((*p)[0], (Rdn{"C", "VN"}));
    EXPECT_EQ((*p)[1], (Rdn{"CN", "X"}));
    EXPECT_EQ((*p)[2], (Rdn{"E", "a@b.vn"}));
    EXPECT_EQ(kyso::canonical_attribute("1.2.840.113549.1.9.1"), "E");
}

TEST(Subject, RejectsMalformedStrings) {
    EXPECT_FALSE(kyso::parse_rfc4514("CN"));
    EXPECT_FALSE(kyso::parse_rfc4514("CN=a,"));
    EXPECT_FALSE(kyso::parse_rfc4514("CN=a\\"));
    EXPECT_FALSE(kyso::parse_rfc4514("CN=a\\zz"));
    EXPECT_FALSE(kyso::parse_rfc4514("CN=a;b"));
    EXPECT_FALSE(kyso::parse_rfc4514("=a"));
    auto err = kyso::parse_rfc4514("CN=a\"b");
    ASSERT_FALSE(err);
    EXPECT_EQ(err.error().code, "subject.syntax");
}

TEST(Subject, ComparesNamesCaseInsensitivelyValuesExactly) {
    Subject a{{"C", "VN"}, {"emailAddress", "x@y.vn"}};
    Subject b{{"c", "VN"}, {"E", "x@y.vn"}};
    Subject c{{"C", "VN"}, {"E", "X@y.vn"}};
    EXPECT_TRUE(kyso::same_subject(a, b));
    EXPECT_FALSE(kyso::same_subject(a, c));
}

TEST(Subject, CountsCodePointsAndBounds) {
    EXPECT_EQ(kyso::utf8_length("Nguyễn"), 6u);
    EXPECT_EQ(kyso::attribute_upper_bound("CN"), 64u);
    EXPECT_EQ(kyso::attribute_upper_bound("L"), 128u);
    EXPECT_EQ(kyso::attribute_upper_bound("E"), 0u);
}

TEST(Subject, ViewParserAgreesWithTheFullParser) {
    for (std::string text : {"E=a@b.vn,CN=Nguyễn Văn A,OU=Sở X\\, Y,O=UBND,L=Tỉnh Z,C=VN",
                             "CN=\\ lead\\#x\\\\y\\2C,c=VN", "CN=a+OU=b,O=c", ""}) {
        std::vector<kyso::RdnView> views;
        std::string scratch;
        ASSERT_TRUE(kyso::parse_rfc4514_views(text, views, scratch)) << text;
        auto full = kyso::parse_rfc4514(text);
        ASSERT_TRUE(full);
        ASSERT_EQ(views.size(), full->size()) << text;
        for (std::size_t i = 0; i < views.size(); ++i) {
            EXPECT_EQ(kyso::canonical_attribute(views[i].type), (*full)[i].type);
            EXPECT_EQ(views[i].value, (*full)[i].value);
        }
    }
    std::vector<kyso::RdnView> views;
    std::string scratch;
    for (std::string bad : {"CN", "CN=a,", "CN=a\\", "CN=a\\zz", "CN=a;b", "=a", "CN=#01"}) {
        EXPECT_FALSE(kyso::parse_rfc4514_views(bad, views, scratch)) << bad;
    }
    EXPECT_TRUE(kyso::same_attribute("emailAddress", "E"));
    EXPECT_FALSE(kyso::same_attribute("O", "OU"));
}

TEST(Subject, HexEncodedValuesAreDecoded) {
    // RFC 4514 §2.4: '#' + hex of the BER. UTF8String "abc", BMPString "Đ", and an INTEGER that
    // is not a string and so stays as written.
    auto p = kyso::parse_rfc4514("CN=#0C03616263,OU=#1E020110,OID.2.5.4.10=#020101,C=VN");
    ASSERT_TRUE(p) << p.error().message_en;
    ASSERT_EQ(p->size(), 4u);
    EXPECT_EQ((*p)[3], (kyso::Rdn{"CN", "abc"}));
    EXPECT_EQ((*p)[2], (kyso::Rdn{"OU", "Đ"}));
    EXPECT_EQ((*p)[1], (kyso::Rdn{"O", "#020101"}));
    EXPECT_FALSE(kyso::parse_rfc4514("CN=#0C0361"));  // length disagrees
    EXPECT_FALSE(kyso::parse_rfc4514("CN=#0C03ZZ"));  // not hex
}

// --- multi-valued RDNs (RFC 4514 '+', X.501 SET OF attributes) ---

Subject multi_valued_leaf() {
    Subject s{{"C", "VN"}, {"O", "Sở Nội vụ"}, {"CN", "Nguyễn Văn A"}, {"E", "a@b.gov.vn"}};
    s[3].joins_previous = true;  // CN=Nguyễn Văn A+E=a@b.gov.vn
    return s;
}

TEST(Subject, MultiValuedRdnIsWrittenWithPlus) {
    EXPECT_EQ(kyso::format_rfc4514(multi_valued_leaf()),
              "CN=Nguyễn Văn A+E=a@b.gov.vn,O=Sở Nội vụ,C=VN");
    // A multi-valued RDN in the middle keeps its place.
    Subject s{{"C", "VN"}, {"O", "X"}, {"OU", "Y"}, {"CN", "Z"}};
    s[2].joins_previous = true;
    EXPECT_EQ(kyso::format_rfc4514(s), "CN=Z,O=X+OU=Y,C=VN");
}

TEST(Subject, MultiValuedRdnRoundTripsThroughParse) {
    const Subject s = multi_valued_leaf();
    auto parsed = kyso::parse_rfc4514(kyso::format_rfc4514(s));
    ASSERT_TRUE(parsed) << parsed.error().message_en;
    EXPECT_EQ(*parsed, s);
    // Three attributes in one RDN, an escaped '+' in a value, and RDNs either side.
    auto p = kyso::parse_rfc4514("CN=a\\+b+UID=1+E=x@y.vn,OU=P+O=Q,C=VN");
    ASSERT_TRUE(p);
    ASSERT_EQ(p->size(), 6U);
    const Subject want{{"C", "VN"},   {"OU", "P"},        {"O", "Q", true},
                       {"CN", "a+b"}, {"UID", "1", true}, {"E", "x@y.vn", true}};
    EXPECT_EQ(*p, want);
    EXPECT_EQ(kyso::format_rfc4514(*p), "CN=a\\+b+UID=1+E=x@y.vn,OU=P+O=Q,C=VN");
}

TEST(Subject, ViewParserMarksTheJoinedAttributes) {
    std::vector<kyso::RdnView> views;
    std::string scratch;
    ASSERT_TRUE(kyso::parse_rfc4514_views("CN=A+E=a@b.vn,C=VN", views, scratch));
    ASSERT_EQ(views.size(), 3U);
    EXPECT_EQ(views[0].type, "C");
    EXPECT_FALSE(views[0].joins_previous);
    EXPECT_EQ(views[1].type, "CN");
    EXPECT_FALSE(views[1].joins_previous);
    EXPECT_EQ(views[2].type, "E");
    EXPECT_TRUE(views[2].joins_previous);
    // A hex-encoded value ends at '+' too.
    ASSERT_TRUE(kyso::parse_rfc4514_views("CN=#0c0141+E=x,C=VN", views, scratch));
    ASSERT_EQ(views.size(), 3U);
    EXPECT_EQ(views[1].value, "A");
    EXPECT_TRUE(views[2].joins_previous);
}

TEST(Subject, MultiValuedRdnComparesAsASet) {
    const Subject a = multi_valued_leaf();
    Subject b{
        {"C", "VN"}, {"O", "Sở Nội vụ"}, {"emailAddress", "a@b.gov.vn"}, {"cn", "Nguyễn Văn A"}};
    b[3].joins_previous = true;  // E=…+CN=…: the same set in another order
    EXPECT_TRUE(kyso::same_subject(a, b));
    EXPECT_TRUE(kyso::same_subject(b, a));
    // The same attributes as two RDNs are another name (RFC 4517 distinguishedNameMatch).
    Subject flat = a;
    flat[3].joins_previous = false;
    EXPECT_FALSE(kyso::same_subject(a, flat));
    EXPECT_FALSE(kyso::same_subject(flat, a));
    // Same RDN sizes, a different value inside the set.
    Subject other = b;
    other[2].value = "c@b.gov.vn";
    EXPECT_FALSE(kyso::same_subject(a, other));
    // A repeated attribute must match as many times as it occurs.
    Subject twice{{"C", "VN"}, {"OU", "X"}, {"OU", "X", true}};
    Subject once_each{{"C", "VN"}, {"OU", "X"}, {"OU", "Y", true}};
    EXPECT_FALSE(kyso::same_subject(twice, once_each));
    EXPECT_FALSE(kyso::same_subject(once_each, twice));
    // Views compare the same way.
    std::vector<kyso::RdnView> views;
    std::string scratch;
    ASSERT_TRUE(
        kyso::parse_rfc4514_views("E=a@b.gov.vn+CN=Nguyễn Văn A,O=Sở Nội vụ,C=VN", views, scratch));
    EXPECT_TRUE(kyso::same_subject(views, a));
    EXPECT_FALSE(kyso::same_subject(views, flat));
}

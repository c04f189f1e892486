// Tests: building X.509 names from Subjects (string types, NFC), reading them back, RFC 4514.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "core/subject.h"
#include "x509/name.h"

namespace {

using kyso::Subject;
using kyso::x509::build_name;
using kyso::x509::subject_of;

// The ASN.1 string type of each entry, in stored order.
std::vector<int> string_types(const X509_NAME* name) {
    std::vector<int> out;
    for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
        out.push_back(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i))));
    }
    return out;
}

const Subject kPerson{
    {"C", "VN"},
    {"L", "Tỉnh Sông Lam"},
    {"O", "Ủy ban nhân dân tỉnh Sông Lam"},
    {"OU", "Sở Tài chính, Kế hoạch"},
    {"OU", "Phòng A+B \"Thu\" <chi>; #1 "},
    {"CN", "Nguyễn Văn Ấn"},
    {"E", "nguyen.van.an@songlam.gov.vn"},
};

TEST(BuildName, RoundTripsAVietnameseSubjectWithSpecialCharacters) {
    auto name = build_name(kPerson);
    ASSERT_TRUE(name) << name.error().describe(true);
    EXPECT_EQ(subject_of(name->get()), kPerson);
    const std::string text = kyso::x509::rfc4514(name->get());
    EXPECT_EQ(text, kyso::format_rfc4514(kPerson));
    EXPECT_TRUE(text.starts_with("E=nguyen.van.an@songlam.gov.vn,CN=Nguyễn Văn Ấn,OU=")) << text;
    auto parsed = kyso::parse_rfc4514(text);
    ASSERT_TRUE(parsed) << parsed.error().describe(true);
    EXPECT_EQ(*parsed, kPerson);
}

TEST(BuildName, UsesTheFormatsSection4StringTypes) {
    auto name = build_name(kPerson);
    ASSERT_TRUE(name);
    EXPECT_EQ(string_types(name->get()),
              (std::vector<int>{V_ASN1_PRINTABLESTRING, V_ASN1_UTF8STRING, V_ASN1_UTF8STRING,
                                V_ASN1_UTF8STRING, V_ASN1_UTF8STRING, V_ASN1_UTF8STRING,
                                V_ASN1_IA5STRING}));
}

TEST(BuildName, AsciiValuesAreStillUtf8String) {
    // Regression guard: OpenSSL's MBSTRING_* path would choose PrintableString here.
    auto name =
        build_name({{"C", "VN"}, {"O", "UBND"}, {"OU", "IT"}, {"L", "Ha Noi"}, {"CN", "A"}});
    ASSERT_TRUE(name);
    EXPECT_EQ(string_types(name->get()),
              (std::vector<int>{V_ASN1_PRINTABLESTRING, V_ASN1_UTF8STRING, V_ASN1_UTF8STRING,
                                V_ASN1_UTF8STRING, V_ASN1_UTF8STRING}));
    // And the DER really carries tag 12 (UTF8String) for CN.
    unsigned char* der = nullptr;
    const int n = i2d_X509_NAME(name->get(), &der);
    ASSERT_GT(n, 0);
    const std::string bytes(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
    OPENSSL_free(der);
    EXPECT_NE(bytes.find(std::string("\x06\x03\x55\x04\x03\x0C\x01"
                                     "A",
                                     8)),
              std::string::npos);
}

TEST(BuildName, AcceptsAliasesAndOids) {
    auto name = build_name({{"c", "VN"},
                            {"emailAddress", "x@y.vn"},
                            {"1.2.840.113549.1.9.1", "z@y.vn"},
                            {"title", "Chuyên viên"},
                            {"2.5.4.42", "Ấn"},
                            {"uid", "CCCD:001099012345"}});
    ASSERT_TRUE(name) << name.error().describe(true);
    EXPECT_EQ(subject_of(name->get()), (Subject{{"C", "VN"},
                                                {"E", "x@y.vn"},
                                                {"E", "z@y.vn"},
                                                {"2.5.4.12", "Chuyên viên"},
                                                {"2.5.4.42", "Ấn"},
                                                {"UID", "CCCD:001099012345"}}));
}

TEST(BuildName, WritesNfc) {
    auto name = build_name({{"CN", "Nguye\xCC\x82\xCC\x83n"}});  // decomposed "Nguyễn"
    ASSERT_TRUE(name);
    EXPECT_EQ(subject_of(name->get()), (Subject{{"CN", "Nguyễn"}}));
    const ASN1_STRING* raw = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name->get(), 0));
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(raw)),
                          static_cast<std::size_t>(ASN1_STRING_length(raw))),
              "Nguyễn");
}

void expect_build_error(const Subject& s, const std::string& code, const std::string& field) {
    auto name = build_name(s);
    ASSERT_FALSE(name) << code;
    EXPECT_EQ(name.error().code, code);
    EXPECT_EQ(name.error().where.field, field);
    EXPECT_NE(name.error().message.find(field), std::string::npos) << name.error().message;
    EXPECT_EQ(ERR_peek_error(), 0UL);
}

TEST(BuildName, RejectsValuesTheirStringTypeCannotHold) {
    expect_build_error({{"C", "Việt Nam"}}, "x509.bad_printable", "C");
    expect_build_error({{"C", "VN"}, {"E", "ấn@b.vn"}}, "x509.bad_ia5", "E");
    expect_build_error({{"CN", ""}}, "x509.empty_value", "CN");
    expect_build_error({{"CN", "a\xFF"}}, "x509.bad_utf8", "CN");
    expect_build_error({{"NOSUCHATTR", "x"}}, "x509.unknown_attribute", "NOSUCHATTR");
}

TEST(SubjectOf, DecodesOtherStringTypesToUtf8) {
    const auto name = kyso::x509::X509NamePtr(X509_NAME_new());
    ASSERT_TRUE(name);
    const unsigned char bmp[] = {0x1E, 0xA4, 0x00, 0x6E};  // "Ấn" in UCS-2
    ASSERT_EQ(
        X509_NAME_add_entry_by_NID(name.get(), NID_commonName, V_ASN1_BMPSTRING, bmp, 4, -1, 0), 1);
    const unsigned char latin1[] = {'H', 0xE9};  // non-conforming PrintableString, read as Latin-1
    ASSERT_EQ(X509_NAME_add_entry_by_NID(name.get(), NID_organizationName, V_ASN1_PRINTABLESTRING,
                                         latin1, 2, -1, 0),
              1);
    const unsigned char bad[] = {'a', 0xC3};  // truncated UTF-8
    ASSERT_EQ(X509_NAME_add_entry_by_NID(name.get(), NID_organizationalUnitName, V_ASN1_UTF8STRING,
                                         bad, 2, -1, 0),
              1);
    EXPECT_EQ(subject_of(name.get()),
              (Subject{{"CN", "Ấn"}, {"O", "Hé"}, {"OU", "a\xEF\xBF\xBD"}}));
    EXPECT_EQ(ERR_peek_error(), 0UL);
}

TEST(SubjectOf, KeepsMultiValuedRdnsTogether) {
    auto name = build_name({{"C", "VN"}, {"CN", "Trần Bé"}});
    ASSERT_TRUE(name);
    const std::string uid = "MST:0101234567";
    // set = -1: join the previous RDN (CN) as a multi-valued RDN.
    ASSERT_EQ(X509_NAME_add_entry_by_NID(name->get(), NID_userId, V_ASN1_UTF8STRING,
                                         reinterpret_cast<const unsigned char*>(uid.data()),
                                         static_cast<int>(uid.size()), -1, -1),
              1);
    EXPECT_EQ(X509_NAME_ENTRY_set(X509_NAME_get_entry(name->get(), 2)),
              X509_NAME_ENTRY_set(X509_NAME_get_entry(name->get(), 1)));
    EXPECT_EQ(subject_of(name->get()),
              (Subject{{"C", "VN"}, {"CN", "Trần Bé"}, {"UID", uid, true}}));
    EXPECT_EQ(kyso::x509::rfc4514(name->get()), "CN=Trần Bé+UID=MST:0101234567,C=VN");
}

// DER of a name (what a certificate carries), decoded again.
Subject through_der(const X509_NAME* name) {
    unsigned char* der = nullptr;
    const int n = i2d_X509_NAME(name, &der);
    EXPECT_GT(n, 0);
    const unsigned char* p = der;
    X509_NAME* back = d2i_X509_NAME(nullptr, &p, n);
    OPENSSL_free(der);
    EXPECT_NE(back, nullptr);
    Subject out = subject_of(back);
    X509_NAME_free(back);
    return out;
}

TEST(BuildName, MultiValuedRdnBecomesOneSet) {
    // RFC 4514 text → Subject → X509_NAME → DER → Subject: the same RDNs, CN+E one set.
    const std::string text = "CN=Nguyễn Văn Ấn+E=an@songlam.gov.vn,O=Sở Nội vụ,C=VN";
    auto subject = kyso::parse_rfc4514(text);
    ASSERT_TRUE(subject);
    auto name = build_name(*subject);
    ASSERT_TRUE(name) << name.error().describe(true);
    ASSERT_EQ(X509_NAME_entry_count(name->get()), 4);
    EXPECT_EQ(X509_NAME_ENTRY_set(X509_NAME_get_entry(name->get(), 3)),
              X509_NAME_ENTRY_set(X509_NAME_get_entry(name->get(), 2)));
    EXPECT_NE(X509_NAME_ENTRY_set(X509_NAME_get_entry(name->get(), 2)),
              X509_NAME_ENTRY_set(X509_NAME_get_entry(name->get(), 1)));
    const Subject back = through_der(name->get());
    EXPECT_TRUE(kyso::same_subject(back, *subject)) << kyso::format_rfc4514(back);
    ASSERT_EQ(back.size(), 4U);
    EXPECT_FALSE(back[2].joins_previous);
    EXPECT_TRUE(back[3].joins_previous);
    // OpenSSL's own RFC 2253 printer agrees that it is one RDN.
    BIO* bio = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(bio, name->get(), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    const std::string printed(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    EXPECT_NE(printed.find("+"), std::string::npos) << printed;
    EXPECT_EQ(printed.find(",emailAddress"), std::string::npos) << printed;
}

TEST(BuildName, FlatAndMultiValuedNamesDiffer) {
    auto flat = build_name({{"C", "VN"}, {"CN", "A"}, {"E", "a@b.vn"}});
    auto multi = build_name({{"C", "VN"}, {"CN", "A"}, {"E", "a@b.vn", true}});
    ASSERT_TRUE(flat);
    ASSERT_TRUE(multi);
    EXPECT_NE(X509_NAME_cmp(flat->get(), multi->get()), 0);
    EXPECT_FALSE(kyso::same_subject(through_der(flat->get()), through_der(multi->get())));
    // A flag on the first attribute joins nothing.
    auto first = build_name({{"C", "VN", true}, {"CN", "A"}});
    ASSERT_TRUE(first);
    EXPECT_EQ(X509_NAME_entry_count(first->get()), 2);
    EXPECT_EQ(kyso::x509::rfc4514(first->get()), "CN=A,C=VN");
}

TEST(SubjectOf, NullAndEmptyNamesAreEmpty) {
    EXPECT_TRUE(subject_of(nullptr).empty());
    auto name = build_name({});
    ASSERT_TRUE(name);
    EXPECT_TRUE(subject_of(name->get()).empty());
    EXPECT_EQ(kyso::x509::rfc4514(name->get()), "");
}

}  // namespace

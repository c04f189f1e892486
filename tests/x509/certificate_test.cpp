// Tests: reading certificates made by the openssl CLI (PEM, DER, bundles, PKCS#7) and errors.
#include <gtest/gtest.h>
#include <openssl/err.h>

#include <algorithm>
#include <memory>

#include "openssl_cli.h"
#include "text/nfc.h"
#include "x509/certificate.h"

namespace {

using kyso::Rdn;
using kyso::Subject;
using kyso::test::read_file;
using kyso::test::shell;
using kyso::test::trim;
using kyso::test::write_file;
using kyso::x509::CertInfo;
using kyso::x509::read_certificate_file;
using kyso::x509::read_certificates;

const Subject kLeafSubject{
    {"C", "VN"},
    {"L", "Tỉnh Sông Lam"},
    {"O", "Ủy ban nhân dân tỉnh Sông Lam"},
    {"OU", "Sở Tài chính"},
    {"CN", "Nguyễn Văn Ấn"},
    {"E", "a@b.gov.vn"},
};
const Subject kCaSubject{
    {"C", "VN"}, {"O", "Cơ quan chứng thực thử nghiệm"}, {"CN", "CA thử nghiệm"}};

// One CA and three leaves made once by the openssl CLI, in every container format.
class OpenSslCertificates : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<kyso::test::ScratchDir>();
        const auto& d = dir_->path();
        const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
        shell(d, "openssl req -x509 " + ec +
                     " -keyout ca.key -out ca.pem -days 3650 -utf8 "
                     "-subj '/C=VN/O=Cơ quan chứng thực thử nghiệm/CN=CA thử nghiệm'");
        write_file(dir_->file("leaf.ext"),
                   "keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment\n");
        // The high bit of the first serial byte is set: DER adds a 00 sign byte.
        issue("leaf", "0x9A0B1C2D3E4F5061",
              "/C=VN/L=Tỉnh Sông Lam/O=Ủy ban nhân dân tỉnh Sông Lam/OU=Sở Tài chính"
              "/CN=Nguyễn Văn Ấn/emailAddress=a@b.gov.vn");
        // Decomposed (NFD) "Ấn" and a multi-valued RDN.
        issue("nfd", "1", "/C=VN/O=Sở Nội vụ/CN=A\xCC\x82\xCC\x81n+UID=CCCD:001099012345");
        issue("third", "0x7F", "/C=VN/CN=Trần Thị Bé");
        shell(d, "openssl x509 -in leaf.pem -outform DER -out leaf.der");
        shell(d, "cat leaf.pem nfd.pem ca.pem > bundle.pem");
        shell(d, "openssl crl2pkcs7 -nocrl -certfile bundle.pem -out bundle.p7b");
        shell(d, "openssl crl2pkcs7 -nocrl -certfile bundle.pem -outform DER -out bundle.p7c");
    }
    static void TearDownTestSuite() { dir_.reset(); }

    static void issue(const std::string& name, const std::string& serial, const std::string& subj) {
        const auto& d = dir_->path();
        shell(d, "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " +
                     name + ".key -out " + name + ".csr -utf8 -subj '" + subj + "'");
        shell(d, "openssl x509 -req -in " + name + ".csr -CA ca.pem -CAkey ca.key -set_serial " +
                     serial + " -days 365 -extfile leaf.ext -out " + name + ".pem");
    }

    static std::string path(const std::string& name) { return dir_->file(name); }
    static std::string cli(const std::string& command) {
        return trim(shell(dir_->path(), command));
    }

    static CertInfo read_one(const std::string& name) {
        auto certs = read_certificate_file(path(name));
        EXPECT_TRUE(certs) << certs.error().describe(true);
        if (!certs) return {};
        EXPECT_EQ(certs->size(), 1U);
        return certs->empty() ? CertInfo{} : certs->front();
    }

    // What the CLI says about a PEM file.
    static std::string cli_serial(const std::string& pem) {
        return cli("openssl x509 -in " + pem + " -noout -serial")
            .substr(std::string("serial=").size());
    }
    static std::string cli_fingerprint(const std::string& pem) {
        std::string line = cli("openssl x509 -in " + pem + " -noout -fingerprint -sha256");
        line = line.substr(line.find('=') + 1);
        std::erase(line, ':');
        std::transform(line.begin(), line.end(), line.begin(),
                       [](char c) { return std::tolower(c); });
        return line;
    }
    static std::string cli_key_hash(const std::string& pem) {
        const std::string out =
            cli("openssl x509 -in " + pem +
                " -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum");
        return out.substr(0, out.find(' '));
    }
    static std::string cli_date(const std::string& pem, const std::string& which) {
        std::string line = cli("openssl x509 -in " + pem + " -noout -dateopt iso_8601 -" + which);
        line = line.substr(line.find('=') + 1);  // "2026-11-25 15:51:04Z"
        std::replace(line.begin(), line.end(), ' ', 'T');
        return line;
    }

    static std::unique_ptr<kyso::test::ScratchDir> dir_;
};

std::unique_ptr<kyso::test::ScratchDir> OpenSslCertificates::dir_;

TEST_F(OpenSslCertificates, PemCertificateAgreesWithOpenSslCli) {
    const CertInfo c = read_one("leaf.pem");
    EXPECT_EQ(c.serial, "9A0B1C2D3E4F5061");
    EXPECT_EQ(c.serial, cli_serial("leaf.pem"));
    EXPECT_EQ(c.subject, kLeafSubject);
    EXPECT_EQ(c.issuer, kCaSubject);
    EXPECT_EQ(c.not_before, cli_date("leaf.pem", "startdate"));
    EXPECT_EQ(c.not_after, cli_date("leaf.pem", "enddate"));
    EXPECT_EQ(c.not_before_date.str(), c.not_before.substr(0, 10));
    EXPECT_EQ(c.not_after_date.days() - c.not_before_date.days(), 365);
    EXPECT_EQ(c.key_usage,
              (std::vector<std::string>{"digitalSignature", "nonRepudiation", "keyEncipherment"}));
    EXPECT_EQ(c.sha256_cert, cli_fingerprint("leaf.pem"));
    EXPECT_EQ(c.sha256_key, cli_key_hash("leaf.pem"));
    EXPECT_EQ(c.der.size(), read_file(path("leaf.der")).size());
    EXPECT_EQ(ERR_peek_error(), 0UL);
}

TEST_F(OpenSslCertificates, DerCertificateEqualsPem) {
    const CertInfo pem = read_one("leaf.pem");
    const CertInfo der = read_one("leaf.der");
    EXPECT_EQ(der.serial, pem.serial);
    EXPECT_EQ(der.subject, pem.subject);
    EXPECT_EQ(der.sha256_cert, pem.sha256_cert);
    const std::string bytes = read_file(path("leaf.der"));
    EXPECT_EQ(std::string(der.der.begin(), der.der.end()), bytes);
}

TEST_F(OpenSslCertificates, ToPemWritesWhatOpenSslWrites) {
    const CertInfo c = read_one("leaf.der");
    EXPECT_EQ(kyso::x509::to_pem(c.der), read_file(path("leaf.pem")));
}

TEST_F(OpenSslCertificates, SmallSerialKeepsWholeBytes) {
    EXPECT_EQ(read_one("nfd.pem").serial, "01");
    EXPECT_EQ(cli_serial("nfd.pem"), "01");
    EXPECT_EQ(read_one("third.pem").serial, "7F");
}

TEST_F(OpenSslCertificates, DecomposedValuesComeBackAsNfcAndMultiValuedRdnsStayTogether) {
    const CertInfo c = read_one("nfd.pem");
    const Subject expected{
        {"C", "VN"}, {"O", "Sở Nội vụ"}, {"CN", "Ấn"}, {"UID", "CCCD:001099012345", true}};
    EXPECT_TRUE(kyso::same_subject(c.subject, expected)) << kyso::format_rfc4514(c.subject);
    EXPECT_EQ(c.subject.size(), 4U);
    EXPECT_EQ(c.subject[2].value, "Ấn");
    EXPECT_TRUE(kyso::text::is_nfc(c.subject[2].value));
}

TEST_F(OpenSslCertificates, PemBundleReadsAllThreeInOrder) {
    auto certs = read_certificate_file(path("bundle.pem"));
    ASSERT_TRUE(certs) << certs.error().describe(true);
    ASSERT_EQ(certs->size(), 3U);
    EXPECT_EQ((*certs)[0].serial, "9A0B1C2D3E4F5061");
    EXPECT_EQ((*certs)[1].serial, "01");
    EXPECT_EQ((*certs)[2].serial, cli_serial("ca.pem"));
    EXPECT_EQ((*certs)[2].subject, kCaSubject);
    EXPECT_EQ((*certs)[2].issuer, kCaSubject);
    EXPECT_EQ((*certs)[2].sha256_cert, cli_fingerprint("ca.pem"));
}

TEST_F(OpenSslCertificates, Pkcs7PemAndDerHoldTheSameCertificates) {
    auto bundle = read_certificate_file(path("bundle.pem"));
    ASSERT_TRUE(bundle);
    for (const char* name : {"bundle.p7b", "bundle.p7c"}) {
        auto certs = read_certificate_file(path(name));
        ASSERT_TRUE(certs) << name << ": " << certs.error().describe(true);
        ASSERT_EQ(certs->size(), 3U) << name;
        for (std::size_t i = 0; i < 3; ++i) {
            EXPECT_EQ((*certs)[i].serial, (*bundle)[i].serial) << name;
            EXPECT_EQ((*certs)[i].subject, (*bundle)[i].subject) << name;
            EXPECT_EQ((*certs)[i].sha256_cert, (*bundle)[i].sha256_cert) << name;
            EXPECT_EQ((*certs)[i].der, (*bundle)[i].der) << name;
        }
    }
}

TEST_F(OpenSslCertificates, SameKeySameKeyHashDifferentCertificateHash) {
    const auto& d = dir_->path();
    shell(d, "openssl req -new -key leaf.key -out again.csr -utf8 -subj '/C=VN/CN=Nguyễn Văn Ấn'");
    shell(d,
          "openssl x509 -req -in again.csr -CA ca.pem -CAkey ca.key -set_serial 2 -days 30 "
          "-out again.pem");
    const CertInfo first = read_one("leaf.pem");
    const CertInfo again = read_one("again.pem");
    EXPECT_EQ(again.sha256_key, first.sha256_key);
    EXPECT_NE(again.sha256_cert, first.sha256_cert);
    EXPECT_TRUE(again.key_usage.empty());
}

TEST_F(OpenSslCertificates, PemWithTextAroundIsRead) {
    write_file(path("notes.pem"), "Bag Attributes\n    friendlyName: x\n" +
                                      read_file(path("leaf.pem")) + "trailing notes\n");
    auto certs = read_certificate_file(path("notes.pem"));
    ASSERT_TRUE(certs) << certs.error().describe(true);
    ASSERT_EQ(certs->size(), 1U);
    EXPECT_EQ(certs->front().serial, "9A0B1C2D3E4F5061");
}

// The labels OpenSSL reads certificates from are read; any other block is refused by name, so
// a private key is never taken for part of a certificate file.
TEST_F(OpenSslCertificates, OtherPemBlocksAreRefusedByName) {
    write_file(path("with-key.pem"), read_file(path("leaf.pem")) + read_file(path("leaf.key")));
    auto r = read_certificate_file(path("with-key.pem"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "x509.pem_label");
    EXPECT_NE(r.error().describe(true).find("PRIVATE KEY"), std::string::npos)
        << r.error().describe(true);
    EXPECT_NE(r.error().describe(true).find("with-key.pem"), std::string::npos);
    EXPECT_EQ(ERR_peek_error(), 0UL);
    // Files of other blocks only hold no certificate, and say what they hold.
    auto csr = read_certificate_file(path("leaf.csr"));
    ASSERT_FALSE(csr);
    EXPECT_EQ(csr.error().code, "x509.no_certificates");
    EXPECT_NE(csr.error().describe(true).find("\"CERTIFICATE REQUEST\""), std::string::npos);
    // Named by its label before its content is looked at.
    const std::string crl = "-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n";
    write_file(path("ca.crl"), crl);
    auto alone = read_certificate_file(path("ca.crl"));
    ASSERT_FALSE(alone);
    EXPECT_EQ(alone.error().code, "x509.no_certificates");
    EXPECT_NE(alone.error().describe(true).find("\"X509 CRL\""), std::string::npos);
    auto beside = read_certificates(crl + read_file(path("leaf.pem")), "chain.pem");
    ASSERT_FALSE(beside);
    EXPECT_EQ(beside.error().code, "x509.pem_label");
    EXPECT_NE(beside.error().describe(true).find("PEM block 1 is \"X509 CRL\""), std::string::npos)
        << beside.error().describe(true);
    EXPECT_EQ(ERR_peek_error(), 0UL);
}

TEST_F(OpenSslCertificates, TrustedAndOldLabelsAreRead) {
    // `openssl x509 -trustout` writes "TRUSTED CERTIFICATE": the certificate and its trust.
    shell(dir_->path(),
          "openssl x509 -in leaf.pem -trustout -addtrust emailProtection "
          "-out trusted.pem");
    ASSERT_NE(read_file(path("trusted.pem")).find("BEGIN TRUSTED CERTIFICATE"), std::string::npos);
    const CertInfo trusted = read_one("trusted.pem");
    const CertInfo plain = read_one("leaf.pem");
    EXPECT_EQ(trusted.serial, plain.serial);
    EXPECT_EQ(trusted.der, plain.der);  // the trust settings are not part of the certificate
    EXPECT_EQ(trusted.sha256_cert, plain.sha256_cert);
    // The old "X509 CERTIFICATE" label.
    std::string old = read_file(path("leaf.pem"));
    for (const char* edge : {"BEGIN ", "END "}) {
        const auto at = old.find(std::string(edge) + "CERTIFICATE");
        old.replace(at, std::string(edge).size() + 11, std::string(edge) + "X509 CERTIFICATE");
    }
    write_file(path("old-label.pem"), old);
    EXPECT_EQ(read_one("old-label.pem").sha256_cert, plain.sha256_cert);
    // CMS certs-only ("-----BEGIN CMS-----").
    shell(dir_->path(),
          "openssl crl2pkcs7 -nocrl -certfile leaf.pem -outform DER -out l.p7c && "
          "openssl cms -cmsout -inform DER -in l.p7c -outform PEM -out leaf.cms");
    if (read_file(path("leaf.cms")).find("BEGIN CMS") != std::string::npos) {
        EXPECT_EQ(read_one("leaf.cms").sha256_cert, plain.sha256_cert);
    }
}

// FORMATS.md §1 as amended: serials as `openssl x509 -serial` prints them, negative and zero
// included (RFC 5280 §4.1.2.2 forbids both, but such certificates exist).
TEST_F(OpenSslCertificates, NegativeAndZeroSerialsReadAsOpensslPrintsThem) {
    int n = 0;
    for (const std::string serial : {"-5", "0", "-0xFF00", "0x00A1"}) {
        const std::string name = "serial" + std::to_string(++n);
        shell(dir_->path(),
              "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
              "-nodes -keyout " +
                  name + ".key -out " + name + ".pem -days 1 -subj '/CN=x' -set_serial " + serial);
        EXPECT_EQ(read_one(name + ".pem").serial, cli_serial(name + ".pem")) << serial;
    }
}

TEST_F(OpenSslCertificates, TwentyOctetSerialWithTheHighBitSet) {
    // 20 octets of magnitude; DER adds a 21st sign byte that the serial does not show.
    const std::string serial = "0xF" + std::string(39, '1');
    issue("long", serial, "/C=VN/CN=Long");
    const CertInfo c = read_one("long.pem");
    EXPECT_EQ(c.serial, "F" + std::string(39, '1'));
    EXPECT_EQ(c.serial, cli_serial("long.pem"));
}

// --- errors: each has a code, names the file, and leaves no OpenSSL error behind ---

void expect_error(const kyso::Result<std::vector<CertInfo>>& r, const std::string& code,
                  const std::string& file) {
    ASSERT_FALSE(r) << "expected " << code;
    EXPECT_EQ(r.error().code, code) << r.error().describe(true);
    EXPECT_EQ(r.error().where.file, file);
    EXPECT_FALSE(r.error().message.empty());
    EXPECT_NE(r.error().message, r.error().message_en);
    EXPECT_NE(r.error().describe(true).find(file), std::string::npos);
    EXPECT_EQ(ERR_peek_error(), 0UL) << "OpenSSL error queue not cleared";
}

TEST_F(OpenSslCertificates, GarbageIsNotACertificate) {
    expect_error(read_certificates("hello, this is not a certificate\n", "notes.txt"),
                 "x509.not_certificate", "notes.txt");
    write_file(path("garbage.cer"), std::string("\x30\x03\x02\x01\x05", 5));
    expect_error(read_certificate_file(path("garbage.cer")), "x509.bad_der", path("garbage.cer"));
}

TEST_F(OpenSslCertificates, TruncatedDerIsAnError) {
    const std::string der = read_file(path("leaf.der"));
    write_file(path("cut.cer"), der.substr(0, der.size() - 20));
    expect_error(read_certificate_file(path("cut.cer")), "x509.bad_der", path("cut.cer"));
}

TEST_F(OpenSslCertificates, DerWithTrailingBytesIsAnError) {
    const std::string der = read_file(path("leaf.der"));
    const auto r = read_certificates(der + "xyz", "joined.cer");
    expect_error(r, "x509.trailing_data", "joined.cer");
    EXPECT_NE(r.error().message_en.find("3 extra bytes"), std::string::npos);
}

TEST_F(OpenSslCertificates, TruncatedPkcs7IsAnError) {
    const std::string p7 = read_file(path("bundle.p7c"));
    expect_error(read_certificates(p7.substr(0, p7.size() / 2), "cut.p7b"), "x509.bad_pkcs7",
                 "cut.p7b");
}

TEST_F(OpenSslCertificates, DamagedPemBlockNamesItsPlace) {
    std::string pem = read_file(path("bundle.pem"));
    // Break the base64 of the second certificate.
    const auto second = pem.find("-----BEGIN CERTIFICATE-----", 10);
    pem[second + 40] = '*';
    pem[second + 41] = '*';
    const auto r = read_certificates(pem, "bundle.pem");
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().code == "x509.bad_pem" || r.error().code == "x509.bad_der")
        << r.error().code;
    EXPECT_NE(r.error().message_en.find("certificate 2"), std::string::npos)
        << r.error().message_en;
    EXPECT_NE(r.error().message.find("chứng thư số thứ 2"), std::string::npos);
    EXPECT_EQ(r.error().where.file, "bundle.pem");
    EXPECT_EQ(ERR_peek_error(), 0UL);
}

TEST_F(OpenSslCertificates, EmptyAndKeyOnlyFilesHoldNoCertificates) {
    write_file(path("empty.pem"), "");
    expect_error(read_certificate_file(path("empty.pem")), "x509.empty", path("empty.pem"));
    expect_error(read_certificates(" \n\n", "blank.pem"), "x509.empty", "blank.pem");
    // A key file holds no certificate, and the message says what it holds instead.
    const auto key = read_certificate_file(path("leaf.key"));
    expect_error(key, "x509.no_certificates", path("leaf.key"));
    EXPECT_NE(key.error().describe(true).find("\"PRIVATE KEY\""), std::string::npos)
        << key.error().describe(true);
}

TEST_F(OpenSslCertificates, MissingPathAndFolderAreErrors) {
    expect_error(read_certificate_file(path("no-such.pem")), "x509.not_found", path("no-such.pem"));
    expect_error(read_certificate_file(dir_->path().string()), "x509.not_a_file",
                 dir_->path().string());
}

TEST(Certificates, OverTheSizeLimitIsRefusedBeforeParsing) {
    const std::string big(kyso::x509::kMaxCertificateFile + 1, 'A');
    const auto r = read_certificates(big, "huge.pem");
    expect_error(r, "x509.file_too_large", "huge.pem");
}

TEST(Certificates, ParseDerRejectsEmptyInput) {
    const auto r = kyso::x509::parse_der({});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "x509.bad_der");
}

}  // namespace

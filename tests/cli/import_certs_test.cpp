// Tests: `kyso import --certs` reads real certificate files and links them by subject.
#include <nlohmann/json.hpp>

#include "cli_harness.h"

using namespace kyso::testing;

class ImportCerts : public ScratchDir {};

TEST_F(ImportCerts, SampleCertificatesLinkExactlyAsExpected) {
    ASSERT_EQ(run_kyso("import --db " + path("a.db") + " --bundle " + kSampleBundle).exit_code, 0);
    auto r = run_kyso("import --db " + path("a.db") + " --certs " + kSampleCerts +
                      "/files --report " + path("rep.json"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const auto got = nlohmann::json::parse(read_file(path("rep.json")));
    const auto want = nlohmann::json::parse(read_file(kSampleCerts + "/expected.json"));
    EXPECT_EQ(got.size(), want.size());  // none dropped
    for (const auto& [serial, w] : want.items()) {
        ASSERT_TRUE(got.contains(serial)) << serial;
        EXPECT_EQ(got[serial]["subject"], w["subject"]) << serial;
        if (w["holder"].is_null()) {
            // Subjects that match no holder; the bundle already lists these certificates, and a
            // file never takes a known certificate from its holder.
            EXPECT_EQ(got[serial]["linked_by"], "registry") << serial;
            EXPECT_FALSE(got[serial]["holder"].is_null()) << serial;
        } else {
            EXPECT_EQ(got[serial]["holder"], w["holder"]) << serial;
            EXPECT_EQ(got[serial]["linked_by"], "subject") << serial;
        }
    }
    EXPECT_NE(r.out.find("80 certificates"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("77 linked to a holder, 3 kept with their registered holder, 0 unmatched"),
              std::string::npos)
        << r.out;
}

TEST_F(ImportCerts, OpensslIssuedCertificateIsStoredWithItsFields) {
    ASSERT_EQ(run_kyso("import --db " + path("a.db") + " --bundle " + kSampleBundle).exit_code, 0);
    // A certificate for organization P81 with its registry subject, issued by openssl.
    const std::string subj = "/C=VN/L=Tỉnh Sông Lam/CN=Ủy ban nhân dân tỉnh Sông Lam";
    const std::string cmd =
        "cd " + dir.string() +
        " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout k.pem"
        " -out c.pem -days 400 -utf8 -subj '" +
        subj +
        "' -set_serial 0x0ABCDEF123 2>/dev/null"
        " && openssl x509 -in c.pem -outform DER -out c.der";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    auto r = run_kyso("import --db " + path("a.db") + " --certs " + path("c.der") + " --report " +
                      path("rep.json"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const auto rep = nlohmann::json::parse(read_file(path("rep.json")));
    ASSERT_TRUE(rep.contains("0ABCDEF123")) << rep.dump();
    EXPECT_EQ(rep["0ABCDEF123"]["holder"], nlohmann::json::array({"org", "P81"}));
    // The stored row now carries the real file: export writes it back as PEM and it agrees.
    ASSERT_EQ(run_kyso("export --db " + path("a.db") + " --bundle " + path("out")).exit_code, 0);
    const std::string certs = read_file(path("out/certificates.csv"));
    EXPECT_NE(
        certs.find("0ABCDEF123,org,P81,,\"CN=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN\""),
        std::string::npos)
        << certs.substr(0, 400);
    EXPECT_NE(certs.find("certs/0ABCDEF123.pem"), std::string::npos);
    // The exported bundle passes the pem checks on re-import.
    auto again = run_kyso("import --db " + path("b.db") + " --bundle " + path("out"));
    EXPECT_EQ(again.exit_code, 0) << again.out;
}

TEST_F(ImportCerts, UnreadableFileIsListedAndTheOthersAreImported) {
    ASSERT_EQ(run_kyso("import --db " + path("a.db") + " --bundle " + kSampleBundle).exit_code, 0);
    write_file(path("in/garbage.cer"), "this is not a certificate");
    std::filesystem::copy(kSampleCerts + "/files/der/00000.cer", path("in/00000.cer"));
    auto r = run_kyso("import --db " + path("a.db") + " --certs " + path("in"));
    EXPECT_EQ(r.exit_code, 1);  // some files failed
    EXPECT_NE(r.out.find("garbage.cer"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1 files could not be read"), std::string::npos) << r.out;
    ASSERT_EQ(run_kyso("export --db " + path("a.db") + " --bundle " + path("out")).exit_code, 0);
    EXPECT_TRUE(std::filesystem::exists(path("out/certs")));  // 00000.cer was stored
}

// Tests: the real-world certificate cases of tests/data/real-world (README there) behave as the
// README's "right behaviour" says: serials with leading zeros, an unlinked CA certificate, a
// bundle's pem column; and `import --certs` with bad files, known certificates and
// multi-valued subjects.
#include <nlohmann/json.hpp>

#include "cli_harness.h"

namespace kyso::testing {

namespace {

const std::string kRealWorld = std::string(KYSO_TEST_DATA) + "/real-world";
constexpr const char* kPassword = "user-password-1";

class RealWorldCerts : public ScratchDir {
protected:
    std::string db() const { return path("k.db"); }
    RunResult kyso(const std::string& args) const { return run_kyso(args); }

    // Every file of a folder, by relative path, with its bytes.
    static std::map<std::string, std::string> folder(const fs::path& root) {
        std::map<std::string, std::string> out;
        for (const auto& e : fs::recursive_directory_iterator(root)) {
            if (e.is_regular_file())
                out[fs::relative(e.path(), root).string()] = read_file(e.path());
        }
        return out;
    }
    // export → import into a fresh database → export: the two bundles are identical.
    void expect_export_round_trip(const std::string& name) {
        const auto first = kyso("export --db " + db() + " --bundle " + path(name + "-1"));
        ASSERT_EQ(first.exit_code, 0) << first.out;
        const auto again =
            kyso("import --db " + path(name + ".db") + " --bundle " + path(name + "-1"));
        ASSERT_EQ(again.exit_code, 0) << again.out;
        const auto second =
            kyso("export --db " + path(name + ".db") + " --bundle " + path(name + "-2"));
        ASSERT_EQ(second.exit_code, 0) << second.out;
        const auto a = folder(path(name + "-1"));
        const auto b = folder(path(name + "-2"));
        EXPECT_EQ(a, b);
        EXPECT_FALSE(a.empty());
    }
    // The certificates.csv line that starts with `serial,`, "" when none.
    std::string cert_line(const std::string& bundle, const std::string& serial) const {
        std::istringstream lines(read_file(path(bundle + "/certificates.csv")));
        std::string line;
        while (std::getline(lines, line)) {
            if (line.starts_with(serial + ",")) return line;
        }
        return {};
    }
};

}  // namespace

// README: serial-leading-zeros. The bundle lists 009F00… and 7277F52; the files carry 9F00…
// and 07277F52: the same two certificates, not four.
TEST_F(RealWorldCerts, SerialLeadingZerosAreTheSameCertificates) {
    const std::string data = kRealWorld + "/serial-leading-zeros";
    auto r = kyso("import --db " + db() + " --bundle " + data + "/registry-with-certs");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    r = kyso("import --db " + db() + " --certs " + data + "/highbit.cer " + data +
             "/lowlead.pem --report " + path("rep.json"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("2 linked to a holder, 0 kept with their registered holder, 0 unmatched"),
              std::string::npos)
        << r.out;
    const auto rep = nlohmann::json::parse(read_file(path("rep.json")));
    EXPECT_EQ(rep["9F00AABBCCDDEEFF0011223344556677"]["holder"],
              nlohmann::json::array({"person", "p1"}));
    EXPECT_EQ(rep["07277F52"]["holder"], nlohmann::json::array({"person", "p2"}));
    r = kyso("status --db " + db());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("certificates: 2 (2 valid, 0 revoked)"), std::string::npos) << r.out;
    ASSERT_EQ(kyso("export --db " + db() + " --bundle " + path("out")).exit_code, 0);
    EXPECT_TRUE(cert_line("out", "9F00AABBCCDDEEFF0011223344556677")
                    .starts_with("9F00AABBCCDDEEFF0011223344556677,person,p1,"));
    EXPECT_TRUE(cert_line("out", "07277F52").starts_with("07277F52,person,p2,"));
    EXPECT_EQ(cert_line("out", "009F00AABBCCDDEEFF0011223344556677"), "");
    EXPECT_EQ(cert_line("out", "7277F52"), "");
    expect_export_round_trip("again");
}

TEST_F(RealWorldCerts, CheckReportsSerialsEqualAsIntegersAsDuplicates) {
    const std::string bundle =
        copy_bundle(kRealWorld + "/serial-leading-zeros/registry-with-certs", "b");
    std::string certs = read_file(bundle + "/certificates.csv");
    const std::string first = certs.substr(certs.find("009F00"));
    certs += "9F00" + first.substr(6, first.find('\n') + 1 - 6);  // the same row, without 00
    write_file(bundle + "/certificates.csv", certs);
    const auto r = kyso("check --bundle " + bundle + " --out " + path("f.json"));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    const auto f = nlohmann::json::parse(read_file(path("f.json")));
    bool found = false;
    for (const auto& x : f["findings"]) {
        if (x["code"] == "duplicate_id") {
            EXPECT_EQ(x["file"], "certificates.csv");
            EXPECT_EQ(x["row"], 3);
            EXPECT_EQ(x["field"], "serial");
            found = true;
        }
    }
    EXPECT_TRUE(found) << f.dump(1);
    // Import refuses the bundle instead of keeping two certificates.
    const auto imp = kyso("import --db " + db() + " --bundle " + bundle);
    EXPECT_EQ(imp.exit_code, 2);
    EXPECT_NE(imp.out.find("duplicate"), std::string::npos) << imp.out;
}

// README: unlinked-ca-certificate. `plan --db` crashed (segmentation fault) and export dropped
// the certificate.
TEST_F(RealWorldCerts, UnlinkedCaCertificateIsKeptSkippedReportedAndExported) {
    const std::string data = kRealWorld + "/unlinked-ca-certificate";
    ASSERT_EQ(kyso("import --db " + db() + " --bundle " + data + "/registry").exit_code, 0);
    auto r = kyso("import --db " + db() + " --certs " + data + "/ca.pem");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("1 unmatched"), std::string::npos) << r.out;

    r = kyso("plan --db " + db() + " --out " + path("plan.json"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const auto plan = nlohmann::json::parse(read_file(path("plan.json")));
    EXPECT_EQ(plan["summary"]["skipped"], 1);
    EXPECT_EQ(plan["summary"]["considered"], 2);
    EXPECT_EQ(plan.dump().find("\"0C\""), std::string::npos);
    for (const char* format : {"csv", "xlsx"}) {
        r = kyso("plan --db " + db() + " --format " + format + " --out " + path("plan.") + format);
        EXPECT_EQ(r.exit_code, 0) << format << ": " << r.out;
    }

    r = kyso("check --db " + db() + " --out " + path("f.json"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    const auto f = nlohmann::json::parse(read_file(path("f.json")));
    bool unlinked = false;
    for (const auto& x : f["findings"]) {
        if (x["id"] == "0C") {
            EXPECT_EQ(x["code"], "unlinked_certificate") << x.dump();
            EXPECT_EQ(x["severity"], "warning");
            EXPECT_EQ(x["field"], "holder_id");
            unlinked = true;
        }
    }
    EXPECT_TRUE(unlinked) << f.dump(1);

    r = kyso("export --db " + db() + " --bundle " + path("out"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_TRUE(cert_line("out", "0C").starts_with("0C,,,,")) << cert_line("out", "0C");
    EXPECT_TRUE(fs::exists(path("out/certs/0C.pem")));
    expect_export_round_trip("again");
    // The exported bundle plans and checks the same way.
    r = kyso("plan --bundle " + path("out") + " --out " + path("plan2.json"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(nlohmann::json::parse(read_file(path("plan2.json")))["summary"], plan["summary"]);
}

TEST_F(RealWorldCerts, UnlinkedCertificateBreaksNoWorkflowCommand) {
    const std::string data = kRealWorld + "/unlinked-ca-certificate";
    ASSERT_EQ(kyso("import --db " + db() + " --bundle " + data + "/registry").exit_code, 0);
    ASSERT_EQ(kyso("import --db " + db() + " --certs " + data + "/ca.pem").exit_code, 0);
    const std::string pw =
        std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword + " KYSO_NEW_PASSWORD=" + kPassword;
    auto r = run_kyso(
        "users add --db " + db() + " --username admin --full-name A --role admin --scope all", pw);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    r = run_kyso("users add --db " + db() +
                     " --as admin --username dost --full-name D --role dost_operator --org T01",
                 pw);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    r = run_kyso("requests from-plan --db " + db() + " --as dost", pw);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    // A request about a certificate that has no holder is refused with a reason.
    r = run_kyso("requests add --db " + db() +
                     " --as dost --kind revoke --certificate 0c "
                     "--reason cessationOfOperation",
                 pw);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_EQ(r.out.find("Segmentation"), std::string::npos);
    r = run_kyso("requests list --db " + db(), pw);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(columns_as_tabs(r.out).find("\t0C\t"), std::string::npos) << r.out;
    // Events applied: the database still plans, checks and exports with the certificate in it.
    r = run_kyso("events apply --db " + db() + " --as admin", pw);  // users exist: signed in
    EXPECT_EQ(r.exit_code, 0) << r.out;
    r = kyso("plan --db " + db() + " --out " + path("plan.json"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    r = kyso("check --db " + db() + " --out " + path("f.json"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(read_file(path("f.json")).find("unlinked_certificate"), std::string::npos);
    expect_export_round_trip("after-events");
}

// README: bundle-pem-column. plan refused the bundle that import accepts.
TEST_F(RealWorldCerts, PemColumnIsReadTheSameWayByPlanCheckAndImport) {
    const std::string bundle = kRealWorld + "/bundle-pem-column/bundle";
    auto r = kyso("plan --bundle " + bundle + " --out " + path("plan.json"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    r = kyso("check --bundle " + bundle + " --out " + path("f.json"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(read_file(path("f.json")).find("pem_mismatch"), std::string::npos);
    r = kyso("import --db " + db() + " --bundle " + bundle);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    // A row that disagrees with its file is refused by all three.
    const std::string bad = copy_bundle(bundle, "bad");
    std::string certs = read_file(bad + "/certificates.csv");
    certs.replace(certs.find("2027-03-01"), 10, "2027-03-02");
    write_file(bad + "/certificates.csv", certs);
    r = kyso("plan --bundle " + bad + " --out " + path("plan2.json"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("not_after"), std::string::npos) << r.out;
    r = kyso("check --bundle " + bad + " --out " + path("f2.json"));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(read_file(path("f2.json")).find("pem_mismatch"), std::string::npos);
    r = kyso("import --db " + path("bad.db") + " --bundle " + bad);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("not_after"), std::string::npos) << r.out;
}

TEST_F(RealWorldCerts, UnreadableFilesAreListedAndTheOthersImported) {
    const std::string data = kRealWorld + "/serial-leading-zeros";
    ASSERT_EQ(kyso("import --db " + db() + " --bundle " + data + "/registry").exit_code, 0);
    write_file(path("in/garbage.cer"), "this is not a certificate");
    write_file(path("in/key.pem"),
               "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n");
    fs::copy_file(data + "/highbit.cer", path("in/highbit.cer"));
    fs::copy_file(data + "/lowlead.pem", path("in/lowlead.pem"));
    auto r = kyso("import --db " + db() + " --certs " + path("in") + " " + path("missing.pem"));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("3 files could not be read"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("garbage.cer"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"PRIVATE KEY\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("missing.pem"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Imported 2 certificates from 2 files"), std::string::npos) << r.out;
    r = kyso("status --db " + db());
    EXPECT_NE(r.out.find("certificates: 2 "), std::string::npos) << r.out;
}

TEST_F(RealWorldCerts, FileNeverMovesAKnownCertificateToAnotherHolder) {
    const std::string data = kRealWorld + "/serial-leading-zeros";
    ASSERT_EQ(kyso("import --db " + db() + " --bundle " + data + "/registry-with-certs").exit_code,
              0);
    // The serial of Hường's certificate (p1), with Đức's subject (p2).
    const std::string cmd =
        "cd " + dir.string() +
        " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout k.pem"
        " -out duc.pem -days 30 -utf8 -subj '/C=VN/L=Tỉnh Phú Sơn/O=Ủy ban nhân dân tỉnh Phú "
        "Sơn/OU=Sở Tài chính tỉnh Phú Sơn/CN=Trần Văn Đức/emailAddress=ductv@phuson.gov.vn'"
        " -set_serial 0x9F00AABBCCDDEEFF0011223344556677 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    auto r = kyso("import --db " + db() + " --certs " + path("duc.pem"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("already belongs to person p1"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("matches person p2"), std::string::npos) << r.out;
    ASSERT_EQ(kyso("export --db " + db() + " --bundle " + path("out")).exit_code, 0);
    EXPECT_TRUE(cert_line("out", "9F00AABBCCDDEEFF0011223344556677")
                    .starts_with("9F00AABBCCDDEEFF0011223344556677,person,p1,"))
        << cert_line("out", "9F00AABBCCDDEEFF0011223344556677");
}

TEST_F(RealWorldCerts, MultiValuedSubjectSurvivesImportExportAndCompare) {
    const std::string cmd =
        "cd " + dir.string() +
        " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout k.pem"
        " -out mv.pem -days 30 -utf8 -multivalue-rdn"
        " -subj '/C=VN/O=Sở Nội vụ/CN=Lê Thị Thuỷ Tiên+emailAddress=tien@phuson.gov.vn'"
        " -set_serial 0x5A 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    ASSERT_EQ(
        kyso("import --db " + db() + " --bundle " + kRealWorld + "/serial-leading-zeros/registry")
            .exit_code,
        0);
    auto r = kyso("import --db " + db() + " --certs " + path("mv.pem") + " --report " +
                  path("rep.json"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    ASSERT_EQ(kyso("export --db " + db() + " --bundle " + path("out")).exit_code, 0);
    const std::string line = cert_line("out", "5A");
    // One RDN with both attributes (their order is the DER order of the SET).
    const bool cn_first =
        line.find("CN=Lê Thị Thuỷ Tiên+E=tien@phuson.gov.vn,O=Sở Nội vụ,C=VN") != std::string::npos;
    const bool e_first =
        line.find("E=tien@phuson.gov.vn+CN=Lê Thị Thuỷ Tiên,O=Sở Nội vụ,C=VN") != std::string::npos;
    EXPECT_TRUE(cn_first || e_first) << line;
    // Re-import compares the row with its pem file as sets of attributes, and round-trips.
    expect_export_round_trip("again");
    r = kyso("check --bundle " + path("out") + " --out " + path("f.json"));
    EXPECT_EQ(read_file(path("f.json")).find("pem_mismatch"), std::string::npos);
}

}  // namespace kyso::testing

namespace kyso::testing {

TEST_F(RealWorldCerts, OneHolderFieldAloneIsRefusedByImportAndPlan) {
    const std::string bundle =
        copy_bundle(kRealWorld + "/serial-leading-zeros/registry-with-certs", "b");
    std::string certs = read_file(bundle + "/certificates.csv");
    certs.replace(certs.find(",person,p2,"), 11, ",person,,");
    write_file(bundle + "/certificates.csv", certs);
    auto r = kyso("import --db " + db() + " --bundle " + bundle);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("row 2"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("field holder_id"), std::string::npos) << r.out;
    r = kyso("plan --bundle " + bundle + " --out " + path("p.json"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("field holder_id"), std::string::npos) << r.out;
    // Both empty: an unlinked certificate, accepted.
    certs.replace(certs.find(",person,,"), 9, ",,,");
    write_file(bundle + "/certificates.csv", certs);
    r = kyso("import --db " + db() + " --bundle " + bundle);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    r = kyso("plan --bundle " + bundle + " --out " + path("p.json"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(nlohmann::json::parse(read_file(path("p.json")))["summary"]["skipped"], 1);
}

}  // namespace kyso::testing

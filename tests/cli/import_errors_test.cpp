// Tests: bad input names file, row and field, and the import changes nothing (one transaction).
#include "cli_harness.h"

using namespace kyso::testing;

namespace {

void replace_in(const std::string& file, const std::string& from, const std::string& to) {
    std::string s = read_file(file);
    const auto pos = s.find(from);
    ASSERT_NE(pos, std::string::npos) << from << " not in " << file;
    s.replace(pos, from.size(), to);
    write_file(file, s);
}

}  // namespace

class ImportErrors : public ScratchDir {
protected:
    void SetUp() override {
        ScratchDir::SetUp();
        ASSERT_EQ(run_kyso("import --db " + path("a.db") + " --bundle " + kSampleBundle).exit_code,
                  0);
        ASSERT_EQ(run_kyso("export --db " + path("a.db") + " --bundle " + path("before")).exit_code,
                  0);
        bundle = copy_bundle(kSampleBundle, "bad");
        // A change that would be written if the import were not all-or-nothing.
        replace_in(bundle + "/organizations.csv", "Ủy ban nhân dân tỉnh Sông Lam,,",
                   "Ủy ban nhân dân tỉnh Sông Lam MỚI,,");
    }

    // Imports the damaged bundle: it must fail with every expected piece in the message and
    // leave the database exactly as it was.
    void expect_refused(std::initializer_list<std::string> pieces) {
        auto r = run_kyso("import --db " + path("a.db") + " --bundle " + bundle);
        EXPECT_EQ(r.exit_code, 2) << r.out;
        for (const auto& p : pieces)
            EXPECT_NE(r.out.find(p), std::string::npos) << "want '" << p << "' in: " << r.out;
        ASSERT_EQ(run_kyso("export --db " + path("a.db") + " --bundle " + path("after")).exit_code,
                  0);
        for (const char* f : {"organizations.csv", "people.csv", "devices.csv", "certificates.csv",
                              "events.json"}) {
            EXPECT_EQ(read_file(path("before/") + f), read_file(path("after/") + f))
                << f << " changed";
        }
    }

    std::string bundle;
};

TEST_F(ImportErrors, MalformedCsvNamesFileRowAndField) {
    replace_in(bundle + "/people.csv", "u0000002,Phan Xuân Hải,", "u0000002,\"Phan Xuân Hải,");
    expect_refused({"people.csv", "row 2", "field full_name", "unterminated"});
}

TEST_F(ImportErrors, MissingColumnNamesFileAndColumn) {
    replace_in(bundle + "/people.csv", "id,full_name,cccd,", "id,full_name,so_cccd,");
    expect_refused({"people.csv", "missing required column \"cccd\""});
}

TEST_F(ImportErrors, BadDateNamesRowAndField) {
    replace_in(bundle + "/people.csv", "006201605136,2001-02-08", "006201605136,2001-02-30");
    expect_refused({"people.csv", "row 1", "field date_of_birth", "id u0000001", "2001-02-30"});
}

TEST_F(ImportErrors, BadCertificateDate) {
    replace_in(bundle + "/certificates.csv", "2022-06-19,2025-06-19,valid",
               "2022-06-19,19/06/2025,valid");
    expect_refused(
        {"certificates.csv", "row 1", "field not_after", "1B9C7BEC3D9C172411E20B8F6B0D549B"});
}

TEST_F(ImportErrors, UnknownReferenceNamesTheRecord) {
    replace_in(bundle + "/people.csv", "0353709137,P81,", "0353709137,P99-none,");
    expect_refused({"people.csv", "row 1", "field org_id", "id u0000001", "P99-none"});
}

TEST_F(ImportErrors, UnknownDeviceOfACertificate) {
    replace_in(bundle + "/certificates.csv", "org,P81,d0000001,", "org,P81,d9999999,");
    expect_refused({"certificates.csv", "row 1", "field device_id", "d9999999"});
}

TEST_F(ImportErrors, SuperiorCycle) {
    replace_in(bundle + "/organizations.csv", "P81-vp,Văn phòng Ủy ban nhân dân tỉnh Sông Lam,P81,",
               "P81-vp,Văn phòng Ủy ban nhân dân tỉnh Sông Lam,P81-vp,");
    expect_refused({"organizations.csv", "superior_id", "cycle", "P81-vp"});
}

TEST_F(ImportErrors, UnreadableCertificateFile) {
    write_file(bundle + "/certs/broken.pem",
               "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
    replace_in(bundle + "/certificates.csv", "2022-06-19,2025-06-19,valid,",
               "2022-06-19,2025-06-19,valid,certs/broken.pem");
    expect_refused({"certificates.csv", "row 1", "field pem", "certs/broken.pem"});
}

TEST_F(ImportErrors, DuplicateIdNamesBothRows) {
    replace_in(bundle + "/people.csv", "u0000002,Phan Xuân Hải", "u0000001,Phan Xuân Hải");
    expect_refused({"people.csv", "row 2", "duplicate id \"u0000001\" (first at row 1)"});
}

TEST_F(ImportErrors, BadEnumValue) {
    replace_in(bundle + "/devices.csv", "d0000001,usb_token", "d0000001,usb-token");
    expect_refused({"devices.csv", "row 1", "field kind", "usb-token"});
}

TEST_F(ImportErrors, MissingFolderAndMissingOrganizations) {
    auto r = run_kyso("import --db " + path("a.db") + " --bundle " + path("nowhere"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("not found"), std::string::npos) << r.out;
    std::filesystem::remove(bundle + "/organizations.csv");
    expect_refused({"organizations.csv is missing"});
}

TEST_F(ImportErrors, MessagesAreVietnameseByDefault) {
    replace_in(bundle + "/people.csv", "0353709137,P81,", "0353709137,P99-none,");
    auto r = run_kyso("import --db " + path("a.db") + " --bundle " + bundle, "KYSO_LANG=vi");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("people.csv, dòng 1, trường org_id, mã u0000001: tham chiếu \"P99-none\" "
                         "không tồn tại"),
              std::string::npos)
        << r.out;
}

TEST_F(ImportErrors, SerialThatIsNotHexIsRefused) {
    // FORMATS.md §1 as amended: lower case, colons and leading zeros are accepted; other
    // characters are not.
    replace_in(bundle + "/certificates.csv", "1B9C7BEC3D9C172411E20B8F6B0D549B,",
               "1B9C7BEC3D9C172411E20B8F6B0D549G,");
    expect_refused({"certificates.csv", "row 1", "field serial", "is not a hexadecimal number"});
}

TEST_F(ImportErrors, UnparseableSubjectNamesThePosition) {
    replace_in(bundle + "/certificates.csv",
               "\"CN=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN\"",
               "\"CN=Ủy ban nhân dân tỉnh Sông Lam;L=Tỉnh Sông Lam,C=VN\"");
    expect_refused({"certificates.csv", "row 1", "field subject", "unescaped special character"});
}

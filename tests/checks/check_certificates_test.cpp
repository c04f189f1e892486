// Tests: `kyso check` on certificates.csv as amended (FORMATS.md §1, §5): serials compared as
// integers, unlinked certificates, validity order, and the `pem` column read as import reads it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <tuple>

#include "checks/check.h"

namespace {

namespace fs = std::filesystem;
using kyso::checks::Severity;

// (code, severity, row, field, id) of certificates.csv findings.
using Key = std::tuple<std::string, std::string, std::int64_t, std::string, std::string>;

const std::string kHeader =
    "serial,holder_type,holder_id,device_id,subject,not_before,not_after,"
    "status,pem\n";
const std::string kSubject =
    "\"E=an@x.gov.vn,CN=Nguyễn Văn An,OU=Sở Tài chính tỉnh Sông Lam,"
    "O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN\"";

class CheckCertificates : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() /
              ("kyso-check-certs-" +
               std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
               std::to_string(getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        write("organizations.csv",
              "id,name,superior_id,province\n"
              "P,Ủy ban nhân dân tỉnh Sông Lam,,Tỉnh Sông Lam\n"
              "A,Sở Tài chính tỉnh Sông Lam,P,Tỉnh Sông Lam\n");
        write("people.csv",
              "id,full_name,cccd,date_of_birth,email,phone,org_id\n"
              "u1,Nguyễn Văn An,001088012345,1988-04-02,an@x.gov.vn,0912345678,A\n");
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir);
    }

    void write(const std::string& name, const std::string& content) {
        std::ofstream(dir / name, std::ios::binary) << content;
    }
    std::set<Key> keys() {
        auto f = kyso::checks::check_bundle(dir.string());
        EXPECT_TRUE(f) << (f ? "" : f.error().describe(true));
        std::set<Key> out;
        if (!f) return out;
        for (const auto& x : f->items) {
            if (x.file != "certificates.csv") continue;
            out.emplace(x.code, x.severity == Severity::error ? "error" : "warning", x.row, x.field,
                        x.id);
        }
        return out;
    }
    static std::string row(const std::string& serial, const std::string& holder = "person,u1",
                           const std::string& dates = "2024-01-01,2027-01-01",
                           const std::string& pem = "") {
        return serial + "," + holder + ",," + kSubject + "," + dates + ",valid," + pem + "\n";
    }

    fs::path dir;
};

}  // namespace

TEST_F(CheckCertificates, SerialsEqualAsIntegersAreDuplicates) {
    write("certificates.csv", kHeader + row("009F00AA") + row("9F00AA") + row("9f:00:aa") +
                                  row("7277F52") + row("07277F52") + row("0A") + row("A0"));
    const auto k = keys();
    EXPECT_FALSE(k.count({"duplicate_id", "error", 1, "serial", "009F00AA"}));
    EXPECT_TRUE(k.count({"duplicate_id", "error", 2, "serial", "9F00AA"}));
    EXPECT_TRUE(k.count({"duplicate_id", "error", 3, "serial", "9f:00:aa"}));
    EXPECT_FALSE(k.count({"duplicate_id", "error", 4, "serial", "7277F52"}));
    EXPECT_TRUE(k.count({"duplicate_id", "error", 5, "serial", "07277F52"}));
    EXPECT_FALSE(k.count({"duplicate_id", "error", 7, "serial", "A0"}));  // 0A and A0 differ
    for (const auto& key : k) EXPECT_NE(std::get<0>(key), "subject_mismatch");
}

TEST_F(CheckCertificates, SerialThatIsNotANumberIsAnError) {
    write("certificates.csv", kHeader + row("0A") + row("12G4"));
    const auto k = keys();
    EXPECT_TRUE(k.count({"serial_format", "error", 2, "serial", "12G4"}));
    EXPECT_FALSE(k.count({"serial_format", "error", 1, "serial", "0A"}));
}

TEST_F(CheckCertificates, BothHolderFieldsEmptyIsUnlinkedNotUnknown) {
    write("certificates.csv",
          kHeader + row("0A", ",") + row("0B", "person,") + row("0C", ",u1") + row("0D"));
    const auto k = keys();
    EXPECT_TRUE(k.count({"unlinked_certificate", "warning", 1, "holder_id", "0A"}));
    EXPECT_FALSE(k.count({"unknown_reference", "error", 1, "holder_id", "0A"}));
    EXPECT_FALSE(k.count({"subject_mismatch", "warning", 1, "subject", "0A"}));
    // One field alone is not unlinked: an unknown holder.
    EXPECT_TRUE(k.count({"unknown_reference", "error", 2, "holder_id", "0B"}));
    EXPECT_TRUE(k.count({"unknown_reference", "error", 3, "holder_id", "0C"}));
    EXPECT_FALSE(k.count({"unlinked_certificate", "warning", 2, "holder_id", "0B"}));
    EXPECT_FALSE(k.count({"unlinked_certificate", "warning", 4, "holder_id", "0D"}));
    auto f = kyso::checks::check_bundle(dir.string());
    ASSERT_TRUE(f);
    EXPECT_EQ(f->errors(), 2U);  // unlinked is a warning: exit status 0 for it alone
}

TEST_F(CheckCertificates, ValidityThatEndsBeforeItBeginsIsAnError) {
    write("certificates.csv", kHeader + row("0A", "person,u1", "2027-01-01,2024-01-01") +
                                  row("0B", "person,u1", "2024-01-01T10:00:00Z,2024-01-01") +
                                  row("0C", "person,u1", "2024-01-02T01:00:00+07:00,2024-01-01"));
    const auto k = keys();
    EXPECT_TRUE(k.count({"validity_order", "error", 1, "not_after", "0A"}));
    EXPECT_FALSE(k.count({"validity_order", "error", 2, "not_after", "0B"}));  // same UTC day
    EXPECT_FALSE(k.count({"validity_order", "error", 3, "not_after", "0C"}));  // 2024-01-01 UTC
}

TEST_F(CheckCertificates, PemColumnIsReadAsImportReadsIt) {
    // The real-world case: a row whose pem file agrees with it (serial, subject, dates).
    const fs::path fixture =
        fs::path(KYSO_TEST_DATA) / "real-world" / "bundle-pem-column" / "bundle";
    for (const auto& entry : fs::directory_iterator(fixture))
        fs::copy_file(entry.path(), dir / entry.path().filename(),
                      fs::copy_options::overwrite_existing);
    auto clean = kyso::checks::check_bundle(dir.string());
    ASSERT_TRUE(clean) << clean.error().describe(true);
    for (const auto& x : clean->items) EXPECT_NE(x.code, "pem_mismatch") << x.message;
    // The same file named by a row that disagrees, and a file that is not there.
    std::string certs;
    {
        std::ifstream in(dir / "certificates.csv");
        certs.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    std::string wrong_serial = certs;
    wrong_serial.replace(wrong_serial.find("3A11223344556677"), 16, "3A11223344556678");
    std::string lower_serial = certs;  // the same integer written another way agrees
    lower_serial.replace(lower_serial.find("3A11223344556677"), 16, "3a:11:22:33:44:55:66:77");
    std::string missing = certs;
    missing.replace(missing.find("huong.pem"), 9, "nowhere.pem");
    write("certificates.csv", lower_serial);
    for (const auto& key : keys()) EXPECT_NE(std::get<0>(key), "pem_mismatch");
    write("certificates.csv", wrong_serial);
    EXPECT_TRUE(keys().count({"pem_mismatch", "error", 1, "pem", "3A11223344556678"}));
    write("certificates.csv", missing);
    EXPECT_TRUE(keys().count({"pem_mismatch", "error", 1, "pem", "3A11223344556677"}));
}

TEST_F(CheckCertificates, MultiValuedSubjectIsASubjectMismatch) {
    // CN and E in one RDN is another name than the profile's two RDNs (FORMATS.md §3, §4).
    const std::string multi =
        "\"CN=Nguyễn Văn An+E=an@x.gov.vn,OU=Sở Tài chính tỉnh Sông Lam,"
        "O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN\"";
    write("certificates.csv",
          kHeader + row("0A") + "0B,person,u1,," + multi + ",2024-01-01,2027-01-01,valid,\n");
    const auto k = keys();
    EXPECT_FALSE(k.count({"subject_mismatch", "warning", 1, "subject", "0A"}));
    EXPECT_TRUE(k.count({"subject_mismatch", "warning", 2, "subject", "0B"}));
}

// Tests: the register stays plannable whatever order commands run in, every write to it is
// audited with its actor, and `audit verify` names records changed behind kyso's back
// (issue 10, items 1 and 5).
#include <sqlite3.h>

#include <sstream>
#include <vector>

#include "cli_harness.h"

namespace kyso::testing {

namespace {

constexpr const char* kPassword = "user-password-1";
const std::string kCase = std::string(KYSO_TEST_DATA) + "/real-world/intake-after-events-apply";

class Integrity : public ScratchDir {
protected:
    std::string db() const { return path("k.db"); }
    std::string env() const {
        return std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword +
               " KYSO_NEW_PASSWORD=" + kPassword;
    }
    RunResult kyso(const std::string& args) const { return run_kyso(args, env()); }

    void sql(const std::string& statement) const {
        sqlite3* h = nullptr;
        ASSERT_EQ(sqlite3_open(db().c_str(), &h), SQLITE_OK);
        char* err = nullptr;
        const int rc = sqlite3_exec(h, statement.c_str(), nullptr, nullptr, &err);
        const std::string what = err != nullptr ? err : "";
        sqlite3_free(err);
        sqlite3_close(h);
        ASSERT_EQ(rc, SQLITE_OK) << what;
    }
};

// The real-world case: staff of a department that `events apply` created, taken in through
// intake matched against the database, then imported: plan and check must still work.
TEST_F(Integrity, IntakeAfterEventsApplyKeepsTheDatabasePlannable) {
    ASSERT_EQ(kyso("import --db " + db() + " --bundle " + kCase + "/bundle").exit_code, 0);
    ASSERT_EQ(kyso("events apply --db " + db()).exit_code, 0);
    const auto in = kyso("intake --xlsx " + kCase + "/danh-sach-snnmt.xlsx --registry " + db() +
                         " --province 'Tỉnh Phú Sơn' --out " + path("staff"));
    ASSERT_LE(in.exit_code, 1) << in.out;
    const auto imp = kyso("import --db " + db() + " --bundle " + path("staff"));
    ASSERT_EQ(imp.exit_code, 0) << imp.out;
    // The new department is not registered a second time: nothing about organizations changed.
    EXPECT_NE(imp.out.find("organizations: 0 new, 0 updated"), std::string::npos) << imp.out;

    const auto plan = kyso("plan --db " + db() + " --out " + path("plan.json"));
    ASSERT_EQ(plan.exit_code, 0) << plan.out;
    const std::string p = read_file(path("plan.json"));
    // The merge still creates the department and carries one certificate into it (1.1a).
    EXPECT_NE(p.find("\"rule\": \"1.1a\""), std::string::npos) << p;
    const auto check = kyso("check --db " + db() + " --out " + path("f.json"));
    EXPECT_EQ(check.exit_code, 0) << check.out << read_file(path("f.json"));
    const auto exp = kyso("export --db " + db() + " --bundle " + path("out"));
    ASSERT_EQ(exp.exit_code, 0) << exp.out;
    EXPECT_NE(read_file(path("out/people.csv")).find("T01-snnmt"), std::string::npos);
    EXPECT_EQ(kyso("audit verify --db " + db()).exit_code, 0);
    // The export (staff of an organization its own events create) imports into a new database
    // and plans the same.
    const auto again = kyso("import --db " + path("copy.db") + " --bundle " + path("out"));
    ASSERT_EQ(again.exit_code, 0) << again.out;
    ASSERT_EQ(kyso("plan --db " + path("copy.db") + " --out " + path("plan2.json")).exit_code, 0);
    EXPECT_EQ(read_file(path("plan2.json")), p);
    ASSERT_EQ(kyso("export --db " + path("copy.db") + " --bundle " + path("out2")).exit_code, 0);
    EXPECT_EQ(read_file(path("out2/people.csv")), read_file(path("out/people.csv")));
}

// An organization an event created changes only through events: a bundle row that differs is
// refused and nothing is written.
TEST_F(Integrity, ChangedRowOfAnEventCreatedOrganizationIsRefused) {
    ASSERT_EQ(kyso("import --db " + db() + " --bundle " + kCase + "/bundle").exit_code, 0);
    ASSERT_EQ(kyso("events apply --db " + db()).exit_code, 0);
    const std::string b = path("b");
    write_file(b + "/organizations.csv",
               "id,name,superior_id,province\n"
               "T01,Ủy ban nhân dân tỉnh Phú Sơn,,Tỉnh Phú Sơn\n"
               "T01-snnmt,Sở Nông nghiệp tỉnh Phú Sơn,T01,Tỉnh Phú Sơn\n");
    write_file(b + "/people.csv",
               "id,full_name,cccd,date_of_birth,email,phone,org_id\n"
               "p9,Lê Văn Tám,036194006678,1994-05-21,,,T01-snnmt\n");
    const auto before = read_file(db());
    const auto r = kyso("import --db " + db() + " --bundle " + b);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("T01-snnmt"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("NQ12"), std::string::npos) << r.out;
    const auto status = kyso("status --db " + db());
    EXPECT_NE(status.out.find("people: 2"), std::string::npos) << status.out;
    EXPECT_EQ(kyso("plan --db " + db() + " --out " + path("p.json")).exit_code, 0);
}

// Once users exist, writing to the register needs a signed-in admin or DoST operator, and the
// audit log names them.
TEST_F(Integrity, RegisterWritesNeedASignedInActorOnceUsersExist) {
    const std::string bundle = kCase + "/bundle";
    ASSERT_EQ(kyso("import --db " + db() + " --bundle " + bundle).exit_code, 0);
    ASSERT_EQ(kyso("users add --db " + db() +
                   " --username admin --full-name 'Quản trị' --role "
                   "admin --scope all")
                  .exit_code,
              0);
    ASSERT_EQ(kyso("users add --db " + db() +
                   " --as admin --username canbo --full-name 'Cán "
                   "bộ' --role unit_officer --org T01-stc")
                  .exit_code,
              0);
    const auto anonymous = kyso("events apply --db " + db());
    EXPECT_EQ(anonymous.exit_code, 2) << anonymous.out;
    EXPECT_NE(anonymous.out.find("--as"), std::string::npos) << anonymous.out;
    const auto officer = kyso("events apply --db " + db() + " --as canbo");
    EXPECT_EQ(officer.exit_code, 2) << officer.out;
    EXPECT_NE(officer.out.find("unit_officer"), std::string::npos) << officer.out;
    const auto anon_import = kyso("import --db " + db() + " --bundle " + bundle);
    EXPECT_EQ(anon_import.exit_code, 2) << anon_import.out;
    EXPECT_EQ(kyso("events list --db " + db()).out.find("applied  "), std::string::npos);

    const auto admin = kyso("events apply --db " + db() + " --as admin");
    ASSERT_EQ(admin.exit_code, 0) << admin.out;
    const auto log = kyso("audit list --db " + db());
    EXPECT_NE(log.out.find("events.apply"), std::string::npos) << log.out;
    EXPECT_NE(log.out.find("admin"), std::string::npos) << log.out;
    EXPECT_NE(log.out.find("registry.import"), std::string::npos) << log.out;
    EXPECT_EQ(kyso("audit verify --db " + db()).exit_code, 0);
}

// `audit verify` replays the log against the stored state and names what was changed directly
// in the database, with the audit triggers left in place (they only guard the log itself).
TEST_F(Integrity, AuditVerifyNamesRecordsChangedBehindKysosBack) {
    ASSERT_EQ(kyso("import --db " + db() + " --bundle " + kCase + "/bundle").exit_code, 0);
    ASSERT_EQ(kyso("audit verify --db " + db()).exit_code, 0);

    sql("UPDATE certificates SET status = 'revoked' WHERE serial = '5D11000000000011'");
    auto r = kyso("audit verify --db " + db());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("5D11000000000011"), std::string::npos) << r.out;
    sql("UPDATE certificates SET status = 'valid' WHERE serial = '5D11000000000011'");
    EXPECT_EQ(kyso("audit verify --db " + db()).exit_code, 0);

    sql("UPDATE certificates SET holder_id = 'p2' WHERE serial = '5D11000000000011'");
    r = kyso("audit verify --db " + db());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("person:p2"), std::string::npos) << r.out;
    sql("UPDATE certificates SET holder_id = 'p1' WHERE serial = '5D11000000000011'");

    sql("INSERT INTO users (username, full_name, role, password_hash, position, created_at) "
        "VALUES ('ghost', 'Ma', 'admin', 'x', '', '2025-01-01T00:00:00Z')");
    r = kyso("audit verify --db " + db());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("ghost"), std::string::npos) << r.out;
}

// Re-importing a bundle whose certificates.csv has no `pem` (a hand-edited bundle, an intake)
// keeps the certificate files already stored: a missing column is not a change.
TEST_F(Integrity, ReimportWithoutPemKeepsTheStoredCertificateFiles) {
    ASSERT_EQ(kyso("import --db " + db() + " --bundle " + kSampleBundle).exit_code, 0);
    ASSERT_LE(kyso("import --db " + db() + " --certs " + kSampleCerts + "/files").exit_code, 1);
    ASSERT_EQ(kyso("export --db " + db() + " --bundle " + path("first")).exit_code, 0);
    ASSERT_TRUE(fs::exists(path("first/certs")));
    const auto files =
        std::distance(fs::directory_iterator(path("first/certs")), fs::directory_iterator());
    ASSERT_GT(files, 0);
    const auto again = kyso("import --db " + db() + " --bundle " + kSampleBundle);
    ASSERT_EQ(again.exit_code, 0) << again.out;
    EXPECT_NE(again.out.find("certificates: 0 new, 0 updated"), std::string::npos) << again.out;
    ASSERT_EQ(kyso("export --db " + db() + " --bundle " + path("second")).exit_code, 0);
    EXPECT_EQ(read_file(path("first/certificates.csv")),
              read_file(path("second/certificates.csv")));
    EXPECT_EQ(std::distance(fs::directory_iterator(path("second/certs")), fs::directory_iterator()),
              files);
}

// A row that gives a linked certificate as unlinked (its writer did not know the holder) does
// not take the certificate away from its holder; the audit log names the holder kept.
TEST_F(Integrity, UnlinkedRowDoesNotUnlinkAStoredCertificate) {
    const std::string reg =
        std::string(KYSO_TEST_DATA) + "/real-world/unlinked-ca-certificate/registry";
    ASSERT_EQ(kyso("import --db " + db() + " --bundle " + reg).exit_code, 0);
    const std::string b = copy_bundle(reg, "b");
    std::string certs = read_file(b + "/certificates.csv");
    const std::string linked = "5C11000000000001,person,p1,";
    ASSERT_NE(certs.find(linked), std::string::npos);
    certs.replace(certs.find(linked), linked.size(), "5C11000000000001,,,");
    write_file(b + "/certificates.csv", certs);
    const auto r = kyso("import --db " + db() + " --bundle " + b);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    ASSERT_EQ(kyso("export --db " + db() + " --bundle " + path("out")).exit_code, 0);
    EXPECT_NE(read_file(path("out/certificates.csv")).find(linked), std::string::npos);
    const auto v = kyso("audit verify --db " + db());
    EXPECT_EQ(v.exit_code, 0) << v.out;
}

// An import never gives a certificate or a device to another holder (a re-sent or edited bundle
// naming someone else is refused whole, nothing written); the same rows with the right holder
// import.
TEST_F(Integrity, ImportNeverMovesACertificateOrADevice) {
    ASSERT_EQ(kyso("import --db " + db() + " --bundle " + kSampleBundle).exit_code, 0);
    ASSERT_EQ(kyso("export --db " + db() + " --bundle " + path("before")).exit_code, 0);
    const std::string certs = read_file(path("before/certificates.csv"));
    const std::string devices = read_file(path("before/devices.csv"));
    // The first certificate and the first device, given to the other person.
    const auto holders = [](const std::string& csv) {
        std::vector<std::string> ids;
        std::istringstream in(csv);
        std::string line;
        std::getline(in, line);
        while (std::getline(in, line)) {
            const auto p = line.find(",person,");
            if (p != std::string::npos)
                ids.push_back(line.substr(p + 8, line.find(',', p + 8) - p - 8));
        }
        return ids;
    };
    const auto cert_holders = holders(certs);
    ASSERT_GE(cert_holders.size(), 2u);
    ASSERT_NE(cert_holders[0], cert_holders[1]);
    std::string moved = certs;
    const std::string from = ",person," + cert_holders[0] + ",";
    moved.replace(moved.find(from), from.size(), ",person," + cert_holders[1] + ",");
    const std::string b = copy_bundle(path("before"), "moved");
    write_file(b + "/certificates.csv", moved);
    auto r = kyso("import --db " + db() + " --bundle " + b);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("never moves a certificate"), std::string::npos) << r.out;

    const auto device_holders = holders(devices);
    ASSERT_GE(device_holders.size(), 2u);
    std::string moved_device = devices;
    const std::string dfrom = ",person," + device_holders[0];
    moved_device.replace(moved_device.find(dfrom), dfrom.size(), ",person," + device_holders[1]);
    write_file(b + "/certificates.csv", certs);
    write_file(b + "/devices.csv", moved_device);
    r = kyso("import --db " + db() + " --bundle " + b);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("never moves a device"), std::string::npos) << r.out;

    ASSERT_EQ(kyso("export --db " + db() + " --bundle " + path("after")).exit_code, 0);
    EXPECT_TRUE(read_file(path("after/certificates.csv")) == certs);
    EXPECT_TRUE(read_file(path("after/devices.csv")) == devices);
    write_file(b + "/devices.csv", devices);
    EXPECT_EQ(kyso("import --db " + db() + " --bundle " + b).exit_code, 0);
}

// A role or scope changed directly in the database is named by `audit verify`, and a batch's
// letters cannot be rendered anonymously once users exist.
TEST_F(Integrity, AuditVerifyNamesAUserWhoseRoleWasRaisedInTheDatabase) {
    ASSERT_EQ(kyso("import --db " + db() + " --bundle " + kCase + "/bundle").exit_code, 0);
    ASSERT_EQ(
        kyso("users add --db " + db() + " --username admin --full-name A --role admin --scope all")
            .exit_code,
        0);
    ASSERT_EQ(kyso("users add --db " + db() +
                   " --as admin --username canbo --full-name B "
                   "--role unit_officer --org T01-stc")
                  .exit_code,
              0);
    ASSERT_EQ(kyso("audit verify --db " + db()).exit_code, 0);
    sql("UPDATE users SET role = 'admin', org_id = NULL WHERE username = 'canbo'");
    const auto r = kyso("audit verify --db " + db());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("canbo"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("unit_officer T01-stc"), std::string::npos) << r.out;

    const auto render = kyso("batch render --db " + db() + " --batch 1 --out " + path("l"));
    EXPECT_EQ(render.exit_code, 2) << render.out;
    EXPECT_NE(render.out.find("--as"), std::string::npos) << render.out;
}

// A re-sent sheet whose new row flips its date column to month-first would change a known
// person's date of birth: the change is a finding on that person, never silent.
TEST_F(Integrity, ResentSheetThatChangesADateOfBirthSaysSo) {
    write_file(path("s1.csv"),
               "Họ và tên,Số CCCD,Ngày sinh,Đơn vị\n"
               "Nguyễn Văn An,038085012345,04/05/1985,Sở Tài chính\n");
    write_file(path("s2.csv"),
               "Họ và tên,Số CCCD,Ngày sinh,Đơn vị\n"
               "Phạm Văn Mới,038086012349,03/25/1986,Sở Tài chính\n"
               "Nguyễn Văn An,038085012345,04/05/1985,Sở Tài chính\n");
    ASSERT_LE(
        kyso("intake --csv " + path("s1.csv") + " --out " + path("d1") + " --province 'Tỉnh X'")
            .exit_code,
        1);
    ASSERT_EQ(kyso("import --db " + db() + " --bundle " + path("d1")).exit_code, 0);
    ASSERT_LE(kyso("intake --csv " + path("s2.csv") + " --out " + path("d2") + " --registry " +
                   db() + " --province 'Tỉnh X'")
                  .exit_code,
              1);
    const std::string findings = read_file(path("d2/findings.json"));
    EXPECT_NE(findings.find("\"registry_value_changed\""), std::string::npos) << findings;
    EXPECT_NE(findings.find("\"field\":\"date_of_birth\""), std::string::npos) << findings;
    EXPECT_NE(findings.find("1985-05-04"), std::string::npos) << findings;
}

}  // namespace

}  // namespace kyso::testing

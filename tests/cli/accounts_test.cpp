// Real accounts through the binary (issue 11): explicit scopes, password rules, one first
// administrator however many start at once, an admin's changes audited under their name, a
// disabled user kept out, and a database only its owner can read.
#include <sqlite3.h>
#include <sys/stat.h>

#include "cli_harness.h"

namespace kyso::testing {

namespace {

constexpr const char* kPassword = "accounts-password-1";

class Accounts : public ScratchDir {
protected:
    std::string db() const { return path("k.db"); }
    std::string env(const std::string& new_password = kPassword) const {
        return std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword + " KYSO_NEW_PASSWORD='" +
               new_password + "'";
    }
    RunResult admin(const std::string& args, const std::string& new_password = kPassword) const {
        return run_kyso(args + " --db " + db() + " --as admin", env(new_password));
    }
    void SetUp() override {
        ScratchDir::SetUp();
        ASSERT_EQ(run_kyso("import --db " + db() + " --bundle " + kSampleBundle).exit_code, 0);
    }
    void first_admin() {
        const auto r = run_kyso(
            "users add --db " + db() + " --username admin --full-name A --role admin --scope all",
            env());
        ASSERT_EQ(r.exit_code, 0) << r.out;
    }
    std::string users() const { return columns_as_tabs(run_kyso("users list --db " + db()).out); }
    std::string audit() const { return run_kyso("audit list --db " + db()).out; }
};

mode_t mode_of(const std::string& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return 0;
    return st.st_mode & 0777;
}

}  // namespace

TEST_F(Accounts, GlobalScopeIsExplicitAndAnOrgMustExist) {
    auto r =
        run_kyso("users add --db " + db() + " --username admin --full-name A --role admin", env());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("--scope all"), std::string::npos) << r.out;
    r = run_kyso(
        "users add --db " + db() + " --username auditor1 --full-name A --role auditor --scope all",
        env());
    EXPECT_EQ(r.exit_code, 2) << "the first user is an admin: " << r.out;
    const std::string none = users();
    EXPECT_EQ(std::count(none.begin(), none.end(), '\n'), 1) << "the heading alone: " << none;
    first_admin();
    const std::string before = users() + audit();
    for (const std::string bad :
         {"--role unit_officer", "--role unit_officer --org NOWHERE",
          "--role dost_operator --scope all", "--role unit_head --scope all",
          "--role auditor --org P81 --scope all", "--role auditor"}) {
        r = admin("users add --username u1 --full-name U " + bad);
        EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.out;
    }
    EXPECT_NE(admin("users add --username u1 --full-name U --role unit_officer --org NOWHERE")
                  .out.find("no organization \"NOWHERE\""),
              std::string::npos);
    EXPECT_EQ(users() + audit(), before) << "nothing added";
    EXPECT_EQ(
        admin("users add --username u1 --full-name U --role unit_officer --org P81").exit_code, 0);
    EXPECT_EQ(
        admin("users add --username ca1 --full-name C --role ca_operator --scope all").exit_code,
        0);
    EXPECT_NE(users().find("ca1\tNational CA operator\tall"), std::string::npos) << users();
}

TEST_F(Accounts, PasswordsFollowTheRulesAndNfdTypingSignsIn) {
    first_admin();
    const std::string before = users() + audit();
    for (const std::string bad : {"short", "          ", "xxxxxxxxxxxxxx", "NguyenVanAn1"}) {
        const auto r = admin(
            "users add --username nguyenvanan1 --full-name An --role auditor --scope all", bad);
        EXPECT_EQ(r.exit_code, 2) << "'" << bad << "': " << r.out;
        EXPECT_NE(r.out.find("password"), std::string::npos) << r.out;
    }
    EXPECT_EQ(users() + audit(), before);
    // Set in NFC, typed in NFD (e + combining circumflex + combining tilde, ...).
    const std::string nfc = "Nguyễn Văn Bình 2025";
    const std::string nfd = "Nguye\xcc\x82\xcc\x83n Va\xcc\x86n Bi\xcc\x80nh 2025";
    ASSERT_EQ(
        admin("users add --username binh --full-name B --role auditor --scope all", nfc).exit_code,
        0);
    write_file(dir / "nfd.txt", nfd + "\n");
    auto r = run_kyso("users list --db " + db());  // any read; now a signed-in write:
    r = run_kyso("requests from-plan --db " + db() + " --as binh --password-file " +
                 path("nfd.txt"));
    EXPECT_EQ(r.out.find("sign-in failed"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("may not"), std::string::npos) << "signed in, refused by role: " << r.out;
}

TEST_F(Accounts, TwoFirstAdminsStartedTogetherMakeOne) {
    // Both processes see no user, then hash (argon2id, 64 MiB) before they write: only the
    // check inside the write transaction keeps the second one out.
    const std::string cmd = std::string("KYSO_LANG=en KYSO_NEW_PASSWORD=") + kPassword + " " +
                            KYSO_BINARY + " users add --db " + db() +
                            " --full-name A --role admin --scope all --username ";
    const auto r = run_shell("(" + cmd + "first >" + path("1.out") + " 2>&1; echo $? >" +
                             path("1.rc") + ") & (" + cmd + "second >" + path("2.out") +
                             " 2>&1; echo $? >" + path("2.rc") + ") & wait");
    ASSERT_EQ(r.exit_code, 0);
    const std::string rc = read_file(path("1.rc")) + read_file(path("2.rc"));
    EXPECT_TRUE(rc == "0\n2\n" || rc == "2\n0\n")
        << rc << read_file(path("1.out")) << read_file(path("2.out"));
    const std::string list = users();
    EXPECT_EQ(std::count(list.begin(), list.end(), '\n'), 2) << "heading and one user: " << list;
    EXPECT_NE((read_file(path("1.out")) + read_file(path("2.out"))).find("already has users"),
              std::string::npos);
}

TEST_F(Accounts, AnAdminDisablesChangesAndResetsAndEachIsAudited) {
    first_admin();
    ASSERT_EQ(admin("users add --username canbo --full-name O --role unit_officer --org C90006")
                  .exit_code,
              0);
    ASSERT_EQ(
        admin("users add --username head --full-name H --role unit_head --org C90006").exit_code,
        0);
    auto as_o = [&](const std::string& password = kPassword) {
        return run_kyso("requests from-plan --db " + db() + " --as canbo",
                        "KYSO_LANG=en KYSO_PASSWORD='" + password + "'");
    };
    ASSERT_EQ(as_o().exit_code, 0);
    // Not an admin: refused, nothing changed.
    const std::string before = users() + audit();
    const auto officer = run_kyso("users disable head --db " + db() + " --as canbo", env());
    EXPECT_EQ(officer.exit_code, 2);
    EXPECT_NE(officer.out.find("may not"), std::string::npos) << officer.out;
    EXPECT_EQ(users() + audit(), before);

    ASSERT_EQ(admin("users disable canbo").exit_code, 0);
    EXPECT_NE(users().find("\tdisabled"), std::string::npos);
    auto r = as_o();
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("is disabled"), std::string::npos) << r.out;
    ASSERT_EQ(admin("users enable canbo").exit_code, 0);
    EXPECT_EQ(as_o().exit_code, 0);
    ASSERT_EQ(admin("users set-role canbo unit_head").exit_code, 0);
    ASSERT_EQ(admin("users set-scope canbo --org D802").exit_code, 0);
    EXPECT_EQ(admin("users set-scope canbo --scope all").exit_code, 2) << "a unit head is scoped";
    EXPECT_EQ(admin("users set-scope canbo --org NOWHERE").exit_code, 2);
    ASSERT_EQ(admin("users reset-password canbo", "một mật khẩu mới 2").exit_code, 0);
    EXPECT_EQ(as_o().exit_code, 2);
    EXPECT_EQ(as_o("một mật khẩu mới 2").exit_code, 0);
    EXPECT_NE(users().find("canbo\tUnit head\tD802"), std::string::npos) << users();
    // The last enabled admin stays.
    r = admin("users disable admin");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("last enabled administrator"), std::string::npos) << r.out;
    EXPECT_EQ(admin("users set-role admin auditor").exit_code, 2);

    const std::string log = audit();
    for (const char* action :
         {"\tadmin\tuser.disable\tuser:canbo", "\tadmin\tuser.enable\tuser:canbo",
          "\tadmin\tuser.role\tuser:canbo", "\tadmin\tuser.scope\tuser:canbo",
          "\tadmin\tuser.password_reset\tuser:canbo"})
        EXPECT_NE(log.find(action), std::string::npos) << action << "\n" << log;
    EXPECT_EQ(log.find("mật khẩu"), std::string::npos);
    EXPECT_EQ(log.find(kPassword), std::string::npos);
    EXPECT_EQ(log.find("argon2"), std::string::npos);
    EXPECT_EQ(run_kyso("audit verify --db " + db()).exit_code, 0);

    // A change made behind kyso's back is named by the replay.
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(db().c_str(), &h), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(h, "UPDATE users SET disabled = 1, org_id = 'P81' WHERE username = 'canbo'",
                     nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(h);
    r = run_kyso("audit verify --db " + db());
    EXPECT_EQ(r.exit_code, 1);
    // (The replay names problems in Vietnamese.)
    EXPECT_NE(r.out.find("\"unit_head P81 disabled\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"unit_head D802\""), std::string::npos) << r.out;
}

TEST_F(Accounts, AnAdminScopedToAProvinceStaysInsideIt) {
    // The tester's report: adm1 (--org P81) made itself global, added users elsewhere or global,
    // and reset and disabled the global admin. Each is refused and leaves nothing behind.
    first_admin();
    ASSERT_EQ(admin("users add --username adm1 --full-name A1 --role admin --org P81").exit_code,
              0);
    auto as_adm1 = [&](const std::string& args) {
        return run_kyso(args + " --db " + db() + " --as adm1", env("một mật khẩu mới 3"));
    };
    const std::string before = users() + audit();
    for (const std::string refused :
         {"users set-scope adm1 --scope all", "users set-role adm1 auditor",
          "users add --username x2 --full-name X --role unit_officer --org P82",
          "users add --username x3 --full-name X --role admin --scope all",
          "users add --username x4 --full-name X --role auditor --scope all",
          "users reset-password admin", "users disable admin", "users set-role admin auditor"}) {
        const auto r = as_adm1(refused);
        EXPECT_EQ(r.exit_code, 2) << refused << ": " << r.out;
        EXPECT_NE(r.out.find("adm1"), std::string::npos) << refused << ": " << r.out;
    }
    EXPECT_EQ(users() + audit(), before) << "nothing changed, nothing audited";
    // Inside P81 it works as before.
    ASSERT_EQ(as_adm1("users add --username canbo --full-name C --role unit_officer --org C90006")
                  .exit_code,
              0);
    ASSERT_EQ(as_adm1("users disable canbo").exit_code, 0);
    EXPECT_NE(audit().find("\tadm1\tuser.disable\tuser:canbo"), std::string::npos) << audit();
    // The global admin, signing in with its unchanged password, may still make adm1 global.
    EXPECT_EQ(admin("users set-scope adm1 --scope all").exit_code, 0);
    EXPECT_NE(users().find("adm1\tAdministrator\tall"), std::string::npos) << users();
}

TEST_F(Accounts, UsernamesAreLowercaseAsciiAndKysosOwnNamesAreReserved) {
    first_admin();
    const std::string before = users() + audit();
    for (const std::string& bad :
         {std::string("''"), std::string("' admin'"), std::string("ADMIN"),
          std::string("'can\u202Ebo'"), std::string(5000, 'a'), std::string("a")}) {
        const auto r =
            admin("users add --username " + bad + " --full-name X --role auditor --org P81");
        EXPECT_EQ(r.exit_code, 2) << bad.substr(0, 40) << ": " << r.out.substr(0, 300);
        EXPECT_NE(r.out.find("lowercase letters"), std::string::npos) << r.out.substr(0, 300);
    }
    EXPECT_EQ(
        admin("users add --username system:root --full-name X --role auditor --org P81").exit_code,
        2)
        << "no colon in a username, so never kyso's system:<login>";
    for (const std::string reserved : {"kyso-setup", "system", "systemd"}) {
        const auto r =
            admin("users add --username " + reserved + " --full-name X --role auditor --org P81");
        EXPECT_EQ(r.exit_code, 2) << reserved << ": " << r.out;
        EXPECT_NE(r.out.find("reserved"), std::string::npos) << r.out;
    }
    EXPECT_EQ(users() + audit(), before) << "nothing added, nothing audited";
    EXPECT_EQ(admin("users add --username nguyen.van-an_1 --full-name X --role auditor --org P81")
                  .exit_code,
              0);
}

TEST_F(Accounts, TheDatabaseAndItsWalAreReadableByTheOwnerOnly) {
    // umask 0 would let a plain create make the file 0666.
    const auto r = run_shell("umask 0 && KYSO_LANG=en " + std::string(KYSO_BINARY) +
                             " import --db " + path("open.db") + " --bundle " + kSampleBundle);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(mode_of(path("open.db")), 0600u);
    EXPECT_EQ(mode_of(db()), 0600u);
    // The -wal and -shm exist while a connection is open: hold one open and look.
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(path("open.db").c_str(), &h), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(h, "SELECT count(*) FROM organizations", nullptr, nullptr, nullptr),
              SQLITE_OK);
    ASSERT_TRUE(fs::exists(path("open.db-wal")));
    EXPECT_EQ(mode_of(path("open.db-wal")), 0600u);
    EXPECT_EQ(mode_of(path("open.db-shm")), 0600u);
    sqlite3_close(h);
}

}  // namespace kyso::testing

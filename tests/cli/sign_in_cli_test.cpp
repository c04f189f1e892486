// Sign-in through the binary (issue 13): `kyso users link` sets the person whose certificate
// signs a user in (admin only, audited), and the CLI's password check counts towards the same
// rate limit as the server's.
#include "cli_harness.h"

namespace kyso::testing {

namespace {

constexpr const char* kPassword = "accounts-password-1";

class SignInCli : public ScratchDir {
protected:
    std::string db() const { return path("k.db"); }
    static std::string env(const std::string& password = kPassword) {
        return "KYSO_LANG=en KYSO_PASSWORD='" + password + "' KYSO_NEW_PASSWORD=" + kPassword;
    }
    RunResult as(const std::string& who, const std::string& args,
                 const std::string& password = kPassword) const {
        return run_kyso(args + " --db " + db() + " --as " + who, env(password));
    }
    void SetUp() override {
        ScratchDir::SetUp();
        ASSERT_EQ(run_kyso("import --db " + db() + " --bundle " + kSampleBundle).exit_code, 0);
        auto r = run_kyso(
            "users add --db " + db() + " --username admin --full-name A --role admin --scope all",
            env());
        ASSERT_EQ(r.exit_code, 0) << r.out;
        r = as("admin", "users add --username u1 --full-name U --role unit_officer --org P81");
        ASSERT_EQ(r.exit_code, 0) << r.out;
    }
    std::string audit() const { return run_kyso("audit list --db " + db()).out; }
};

}  // namespace

TEST_F(SignInCli, AnAdminLinksAUserToAPersonAndTheLinkIsAudited) {
    auto r = as("admin", "users link --user u1 --person u0000001");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("linked to the person u0000001"), std::string::npos) << r.out;
    EXPECT_NE(audit().find("user.person"), std::string::npos) << audit();

    r = as("admin", "users link --user admin --person u0000001");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("already linked to the user \"u1\""), std::string::npos) << r.out;
    r = as("admin", "users link --user u1 --person nobody");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("no person \"nobody\""), std::string::npos) << r.out;
    r = as("admin", "users link --user ghost --person u0000002");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("no user \"ghost\""), std::string::npos) << r.out;

    const std::string before = audit();
    r = as("u1", "users link --user u1 --person u0000002");
    EXPECT_EQ(r.exit_code, 2) << "only an administrator links: " << r.out;
    EXPECT_EQ(audit(), before);

    r = as("admin", "users link --user u1 --person ''");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("no longer linked"), std::string::npos) << r.out;
}

TEST_F(SignInCli, FiveWrongPasswordsLockTheAccountForTheCliToo) {
    for (int i = 0; i < 5; ++i) {
        auto r = as("u1", "requests validate", "a-wrong-password-" + std::to_string(i));
        ASSERT_EQ(r.exit_code, 2) << r.out;
        EXPECT_NE(r.out.find("sign-in failed"), std::string::npos) << r.out;
    }
    auto r = as("u1", "requests validate");
    EXPECT_EQ(r.exit_code, 2) << "the right password, but locked: " << r.out;
    EXPECT_NE(r.out.find("too many failed sign-ins; try again in 15 minutes"), std::string::npos)
        << r.out;
    EXPECT_NE(audit().find("session.sign_in_failed"), std::string::npos);
    EXPECT_EQ(audit().find("a-wrong-password"), std::string::npos) << "never the password";
    r = as("admin", "users enable u1");
    EXPECT_EQ(r.exit_code, 0) << "another account is not locked: " << r.out;
}

}  // namespace kyso::testing

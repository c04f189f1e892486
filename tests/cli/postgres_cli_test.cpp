// The CLI on PostgreSQL (`--db` with a libpq connection string): import, plan, users, requests
// from the plan, validation and approval, the audit log verified — and two `kyso` processes
// approving the same requests at once, each request moving once. Skipped, saying so, without
// KYSO_TEST_PG (scripts/pg-test-server.sh).
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <sstream>

#include "cli_harness.h"
#include "store/pg_scratch.h"

namespace kyso::testing {

namespace {

constexpr const char* kPassword = "user-password-1";

class PostgresCli : public ScratchDir {
protected:
    void SetUp() override {
        ScratchDir::SetUp();
        const std::string server = store_test::test_pg_server();
        if (server.empty())
            GTEST_SKIP() << "PostgreSQL case skipped: set KYSO_TEST_PG to a libpq connection "
                            "string (scripts/pg-test-server.sh start prints one)";
        database_.emplace(server);
    }
    void TearDown() override {
        database_.reset();
        ScratchDir::TearDown();
    }

    // The connection string, quoted for the shell.
    std::string db() const { return "'" + database_->location() + "'"; }
    std::string env(const std::string& extra = "") const {
        return "KYSO_LANG=en KYSO_AUDIT_KEY=" + path("pg.auditkey") +
               " KYSO_PASSWORD=" + kPassword + " " + extra;
    }
    RunResult as(const std::string& user, const std::string& args) const {
        return run_kyso(args + " --db " + db() + " --as " + user, env());
    }
    RunResult plain(const std::string& args) const {
        return run_kyso(args + " --db " + db(), env());
    }
    void add_user(const std::string& name, const std::string& role, const std::string& org) {
        const auto r = run_kyso("users add --db " + db() + " --as admin --username " + name +
                                    " --full-name 'Người " + name + "' --role " + role +
                                    (org.empty() ? " --scope all" : " --org " + org),
                                env(std::string("KYSO_NEW_PASSWORD=") + kPassword));
        ASSERT_EQ(r.exit_code, 0) << r.out;
    }
    // id -> state of the stored requests, from `kyso requests list`.
    std::map<long, std::string> states(const std::string& filter = {}) {
        std::map<long, std::string> out;
        const auto r = plain("requests list " + filter);
        EXPECT_EQ(r.exit_code, 0) << r.out;
        std::istringstream lines(columns_as_tabs(r.out));
        std::string line;
        std::getline(lines, line);  // heading
        while (std::getline(lines, line)) {
            std::istringstream cells(line);
            std::string id, kind, state;
            std::getline(cells, id, '\t');
            std::getline(cells, kind, '\t');
            std::getline(cells, state, '\t');
            if (!id.empty() && id.find_first_not_of("0123456789") == std::string::npos)
                out[std::stol(id)] = state;
        }
        return out;
    }

    std::optional<store_test::ScratchDatabase> database_;
};

TEST_F(PostgresCli, ImportPlanAndApproveRequestsOnPostgres) {
    // A password in the connection string (the test server trusts the socket, so it is not
    // even asked for) is never shown.
    auto r = run_kyso("import --bundle " + kSampleBundle + " --db '" + database_->location() +
                          " password=s3cret-pw'",
                      env());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(r.out.find("s3cret-pw"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("postgresql://"), std::string::npos) << r.out;
    r = plain("import --bundle " + kSampleBundle);  // a re-import changes nothing
    ASSERT_EQ(r.exit_code, 0) << r.out;
    r = plain("status");
    ASSERT_EQ(r.exit_code, 0) << r.out;

    // The same plan from the database as from the bundle.
    ASSERT_EQ(plain("plan --out " + path("db-plan.json")).exit_code, 0);
    ASSERT_EQ(
        run_kyso("plan --bundle " + kSampleBundle + " --out " + path("bundle-plan.json")).exit_code,
        0);
    const std::string from_db = read_file(path("db-plan.json"));
    EXPECT_FALSE(from_db.empty());
    EXPECT_EQ(from_db, read_file(path("bundle-plan.json")));

    r = run_kyso("users add --db " + db() +
                     " --username admin --full-name 'Quản trị' --role admin --scope all",
                 env(std::string("KYSO_NEW_PASSWORD=") + kPassword));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    add_user("officer", "unit_officer", "C90006");
    add_user("head", "unit_head", "C90006");

    ASSERT_EQ(as("officer", "requests from-plan").exit_code, 0);
    const auto made = states();
    ASSERT_FALSE(made.empty());
    ASSERT_EQ(as("officer", "requests from-plan").exit_code, 0);
    EXPECT_EQ(states().size(), made.size()) << "from-plan is idempotent";
    ASSERT_EQ(as("officer", "requests validate").exit_code, 0);
    const auto validated = states("--state validated");
    ASSERT_FALSE(validated.empty());

    // Two processes approve the same requests at once: each moves once; the slower one is told
    // that they moved (exit 2) or finds them approved.
    std::string ids;
    for (const auto& [id, state] : validated) ids += " " + std::to_string(id);
    const std::string approve = std::string(KYSO_BINARY) + " requests approve --db " + db() +
                                " --as head --id" + ids + " > /dev/null 2>&1";
    run_shell("(" + env() + approve + " & " + env() + approve + " & wait)");
    const auto approved = states("--state approved");
    EXPECT_EQ(approved.size(), validated.size());
    r = plain("audit verify");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    // One approval per request in the one audit chain, whichever process made it.
    r = plain("audit list");
    ASSERT_EQ(r.exit_code, 0);
    std::size_t approvals = 0;
    for (std::size_t at = r.out.find("\trequest.approved\t"); at != std::string::npos;
         at = r.out.find("\trequest.approved\t", at + 1))
        ++approvals;
    EXPECT_EQ(approvals, validated.size());
}

TEST_F(PostgresCli, AWriteWithoutAnAuditKeyFileIsRefusedAndNoPasswordIsShown) {
    const auto r = run_kyso("import --bundle " + kSampleBundle + " --db " + db(), "KYSO_LANG=en");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("KYSO_AUDIT_KEY"), std::string::npos) << r.out;
    const auto bad =
        run_kyso("status --db 'postgresql://kyso:s3cret-pw@127.0.0.1:1/none?connect_timeout=2'",
                 "KYSO_LANG=en");
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_EQ(bad.out.find("s3cret-pw"), std::string::npos) << bad.out;
}

}  // namespace

}  // namespace kyso::testing

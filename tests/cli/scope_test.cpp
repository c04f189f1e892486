// Scope on every party an action names (issue 11): a DoST operator of one province cannot issue
// a provincial letter as another province's DoST (or as an organization that is no DoST), nor
// hand devices to another province's DoST; the national CA's hand-over is made by the DoST that
// received the device; batches, managing organizations and receivers stay in scope. Each refusal
// changes nothing (requests, custody, users and the audit log are as before); the legitimate
// action next to it still works.
#include "cli_harness.h"

namespace kyso::testing {

namespace {

constexpr const char* kPassword = "scope-password-1";

class Scope : public ScratchDir {
protected:
    std::string db() const { return path("k.db"); }

    RunResult as(const std::string& user, const std::string& args) const {
        return run_kyso(args + " --db " + db() + " --as " + user,
                        std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword);
    }
    RunResult plain(const std::string& args) const { return run_kyso(args + " --db " + db()); }

    void add_user(const std::string& name, const std::string& role, const std::string& scope) {
        const auto r =
            run_kyso("users add --db " + db() + " --as admin --username " + name +
                         " --full-name 'Người " + name + "' --role " + role + " " + scope,
                     std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword +
                         " KYSO_NEW_PASSWORD=" + kPassword);
        ASSERT_EQ(r.exit_code, 0) << r.out;
    }

    // The sample, an admin, a commune's officer and head (C90006 in P81), the DoST operators of
    // P81 and P82, and the national CA.
    void SetUp() override {
        ScratchDir::SetUp();
        ASSERT_EQ(run_kyso("import --db " + db() + " --bundle " + kSampleBundle).exit_code, 0);
        const auto first = run_kyso("users add --db " + db() +
                                        " --username admin --full-name 'Quản trị' --role admin "
                                        "--scope all",
                                    std::string("KYSO_LANG=en KYSO_NEW_PASSWORD=") + kPassword);
        ASSERT_EQ(first.exit_code, 0) << first.out;
        add_user("officer", "unit_officer", "--org C90006");
        add_user("head", "unit_head", "--org C90006");
        add_user("dost", "dost_operator", "--org P81");
        add_user("dost82", "dost_operator", "--org P82");
        add_user("ca", "ca_operator", "--scope all");
    }

    // Everything a refused action must leave as it was.
    std::string snapshot() const {
        return plain("requests list").out + plain("custody list").out + plain("users list").out +
               plain("audit list").out;
    }

    // Requests of C90006 from the plan, approved, in organization batches submitted to DoST.
    void submitted_batches() {
        ASSERT_EQ(as("officer", "requests from-plan").exit_code, 0);
        ASSERT_EQ(as("officer", "requests validate").exit_code, 0);
        std::string ids;
        std::istringstream lines(plain("requests list --state validated").out);
        std::string line;
        std::getline(lines, line);
        while (std::getline(lines, line)) ids += " " + line.substr(0, line.find(' '));
        ASSERT_EQ(as("head", "requests approve --id" + ids).exit_code, 0);
        for (const char* kind : {"change_info", "revoke"}) {
            const auto r = as(
                "officer", std::string("batch create --org C90006 --symbol UBND --kind ") + kind);
            ASSERT_EQ(r.exit_code, 0) << r.out;
        }
        ASSERT_EQ(as("officer", "batch submit --all").exit_code, 0);
    }

    // `args` run as `user` is refused (exit 2) with `why` in its message, and nothing changes.
    void refused(const std::string& user, const std::string& args, const std::string& why) {
        const std::string before = snapshot();
        const auto r = as(user, args);
        EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.out;
        EXPECT_NE(r.out.find(why), std::string::npos) << args << "\n" << r.out;
        EXPECT_EQ(snapshot(), before) << args << " changed something";
    }
};

const std::string kPeople =
    " --handed-by 'Trịnh Kim Oanh' --handed-by-title 'Chuyên viên' --received-by 'Nguyễn Văn "
    "Cán' --received-by-title 'Văn thư' --device d0000324";

// What a letter needs besides the batch (as in workflow_e2e_test).
const std::string kLetter =
    " --signer 'Lê Văn Giám' --signer-title 'Phó Giám đốc' --signer-authority 'KT. Giám đốc' "
    "--receiver-address 'Sở Khoa học và Công nghệ tỉnh Sông Lam' --date 2025-07-05 --value "
    "nhan_ngay_cap=12/04/2021 --value 'nhan_noi_cap=Cục Cảnh sát quản lý hành chính về trật tự "
    "xã hội'";

}  // namespace

TEST_F(Scope, ACombinedLetterIsIssuedOnlyByADostInTheOperatorsScope) {
    submitted_batches();
    refused("dost", "batch combine --form mau-04 --issuer P82-skhcn",
            "issuer \"P82-skhcn\" is outside the scope of dost (scope: \"P81\"");
    refused("dost", "batch combine --form mau-04 --issuer P81-stc",
            "is not a Department of Science and Technology");
    refused("dost", "batch combine --form mau-04 --issuer P81", "is not a Department");
    refused("dost82", "batch combine --form mau-04 --issuer P82-skhcn", "");  // nothing of its own
    refused("dost", "batch combine --form mau-04 --issuer nowhere", "no organization \"nowhere\"");
    const auto ok = as("dost", "batch combine --form mau-04 --issuer P81-skhcn --number 7");
    EXPECT_EQ(ok.exit_code, 0) << ok.out;
    EXPECT_NE(plain("requests list --state forwarded").out.find("C90006"), std::string::npos);
    EXPECT_EQ(plain("audit verify").exit_code, 0);
}

TEST_F(Scope, DevicesGoToADostInScopeAndOnToTheCaFromThatDost) {
    ASSERT_EQ(as("officer", "custody handover --step to_organization" + kPeople).exit_code, 0);
    refused("dost", "custody handover --step to_dost --dost P82-skhcn" + kPeople,
            "DoST \"P82-skhcn\" is outside the scope of dost");
    refused("dost", "custody handover --step to_dost --dost P81-stc" + kPeople,
            "is not a Department of Science and Technology");
    refused("dost82", "custody handover --step to_dost --dost P82-skhcn" + kPeople,
            "outside the scope of dost82");  // the device's organization is in P81
    refused("dost", "custody handover --step to_dost" + kPeople, "--dost");
    ASSERT_EQ(as("dost", "custody handover --step to_dost --dost P81-skhcn" + kPeople).exit_code,
              0);
    // The national CA receives it from the DoST that has it, not from another one.
    refused("ca", "custody handover --step to_ca --dost P82-skhcn" + kPeople,
            "must be made by that DoST");
    refused("dost82", "custody handover --step to_ca --dost P82-skhcn" + kPeople, "scope");
    const auto ok = as(
        "ca", "custody handover --step to_ca --document 3/BB-SKHCN --out " + path("bb") + kPeople);
    ASSERT_EQ(ok.exit_code, 0) << ok.out;
    const auto list = plain("custody list --device d0000324").out;
    EXPECT_NE(list.find("Sở Khoa học và Công nghệ tỉnh Sông Lam → "), std::string::npos) << list;
    EXPECT_TRUE(fs::exists(path("bb/bien-ban.pdf")));
    EXPECT_EQ(plain("audit verify").exit_code, 0);
}

TEST_F(Scope, BatchesRequestsAndReceiversStayInTheActorsScope) {
    // Another province's organization as a batch's or a request's managing organization.
    refused("officer", "batch create --org P82-stc --kind revoke", "outside the scope of officer");
    refused("officer", "requests add --kind device_restore --device d0000323 --org P82-stc",
            "managing organization \"P82-stc\" is outside the scope");
    // A holder elsewhere, named under one's own organization.
    refused("officer",
            "requests add --kind renew --certificate 7B77503C65309ECCC6419ADB06799AC3 --org "
            "C90006",
            "holder's organization");
    const auto ok = as("officer", "requests add --kind device_restore --device d0000323");
    EXPECT_EQ(ok.exit_code, 0) << ok.out;

    // A letter naming a receiver of another province, or another province's batch.
    submitted_batches();
    const auto combined =
        as("dost", "batch combine --form mau-04 --issuer P81-skhcn --number 8 --symbol SKHCN");
    ASSERT_EQ(combined.exit_code, 0) << combined.out;
    const auto digits = combined.out.find_first_of("0123456789");
    ASSERT_NE(digits, std::string::npos);
    const std::string batch =
        combined.out.substr(digits, combined.out.find_first_not_of("0123456789", digits) - digits);
    const std::string render = "batch render --batch " + batch + kLetter + " --out ";
    refused("dost", render + path("l1") + " --receiver u0000105", "receiver's organization");
    refused("dost82", render + path("l2"), "outside the scope of dost82");
    EXPECT_FALSE(fs::exists(path("l1/letter.pdf")));
    const auto r = as("dost", render + path("l3") + " --receiver u0000204");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_TRUE(fs::exists(path("l3/letter.pdf")));
}

// A bundle imported by a scoped DoST operator changes only the register of its own scope: moving
// another province under one's own (which would widen the approval scope of one's heads) or
// one's own under another is refused, and nothing is written; a change inside the scope works.
TEST_F(Scope, AScopedOperatorImportsOnlyChangesWithinItsScope) {
    // The sample bundle with the row of `row`'s organization replaced by `row`.
    const auto bundle = [&](const std::string& name, const std::string& row) {
        fs::copy(kSampleBundle, path(name), fs::copy_options::recursive);
        const std::string csv = path(name + "/organizations.csv");
        std::ifstream in(csv);
        std::string all, line;
        const std::string id = row.substr(0, row.find(',') + 1);
        while (std::getline(in, line)) all += (line.starts_with(id) ? row : line) + "\n";
        in.close();
        std::ofstream(csv, std::ios::trunc) << all;
        return path(name);
    };
    const std::string move =
        bundle("move", "P82,Ủy ban nhân dân tỉnh Hồng Lĩnh,P81,Tỉnh Hồng Lĩnh,,people_committee");
    refused("dost", "import --bundle " + move, "outside the scope of dost");
    refused("dost82", "import --bundle " + move, "outside the scope of dost82");
    const std::string rename =
        bundle("rename", "P81-stc,Sở Tài chính tỉnh Sông Lam mới,P81,Tỉnh Sông Lam,,department");
    refused("dost82", "import --bundle " + rename, "organization P81-stc");
    const auto imports = [&] {
        const std::string log = plain("audit list").out;
        std::size_t n = 0;
        for (auto at = log.find("registry.import"); at != std::string::npos;
             at = log.find("registry.import", at + 1))
            ++n;
        return n;
    };
    const std::size_t before = imports();
    const auto ok = as("dost", "import --bundle " + rename);
    ASSERT_EQ(ok.exit_code, 0) << ok.out;
    EXPECT_EQ(imports(), before + 1);  // the rename written and audited as dost
    // A global administrator may make the move.
    const auto admin = as("admin", "import --bundle " + move);
    EXPECT_EQ(admin.exit_code, 0) << admin.out;
    EXPECT_EQ(plain("audit verify").exit_code, 0);
}

// Certificate files linked by subject are register writes too: a DoST operator of another
// province cannot attach a certificate to P81's people's committee; P81's own operator can.
TEST_F(Scope, CertificateFilesAreLinkedOnlyToHoldersInTheWritersScope) {
    const std::string cmd =
        "cd " + dir.string() +
        " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout k.pem"
        " -out c.pem -days 400 -utf8 -subj '/C=VN/L=Tỉnh Sông Lam/CN=Ủy ban nhân dân tỉnh Sông "
        "Lam' -set_serial 0x0ABCDEF123 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    refused("dost82", "import --certs " + path("c.pem"), "certificate 0ABCDEF123");
    const auto ok = as("dost", "import --certs " + path("c.pem"));
    EXPECT_EQ(ok.exit_code, 0) << ok.out;
    EXPECT_NE(ok.out.find("1 linked"), std::string::npos) << ok.out;
    EXPECT_EQ(plain("audit verify").exit_code, 0);
}

// --value fills what the register lacks (the receiver's CCCD issue date); it never replaces the
// issuer, the number or the receiver the letter takes from the register.
TEST_F(Scope, ALetterValueGivenByHandNeverReplacesAComputedOne) {
    submitted_batches();
    const auto combined =
        as("dost", "batch combine --form mau-04 --issuer P81-skhcn --number 8 --symbol SKHCN");
    ASSERT_EQ(combined.exit_code, 0) << combined.out;
    const auto digits = combined.out.find_first_of("0123456789");
    const std::string batch =
        combined.out.substr(digits, combined.out.find_first_not_of("0123456789", digits) - digits);
    const std::string render =
        "batch render --batch " + batch + kLetter + " --receiver u0000204 --out ";
    for (const std::string forged :
         {"'co_quan=Sở Khoa học và Công nghệ tỉnh Hồng Lĩnh'", "so=999", "'nhan_ho_ten=Ai đó'"}) {
        refused("dost", render + path("f") + " --value " + forged,
                "only fills values the register lacks");
        EXPECT_FALSE(fs::exists(path("f")));
    }
    const auto ok = as("dost", render + path("ok"));
    ASSERT_EQ(ok.exit_code, 0) << ok.out;
    EXPECT_NE(plain("audit list").out.find("nhan_ngay_cap"), std::string::npos);
}

}  // namespace kyso::testing

// CLI tests (issue 11, "Inputs are what they claim"): arguments that are not valid UTF-8 or hold
// control characters, list filters with unknown values, numbers out of range, impossible dates,
// `pem` paths that lead out of the bundle and serials over 20 octets (RFC 5280 §4.1.2.2) are
// each refused with an error naming the place, and nothing is written; the legitimate use beside
// each still works.
#include <unistd.h>

#include "cli_harness.h"
#include "issue_certificate.h"

namespace kyso::testing {

namespace {

const std::string kPemCase = std::string(KYSO_TEST_DATA) + "/real-world/bundle-pem-column";
const std::string kRealWorld = std::string(KYSO_TEST_DATA) + "/real-world";
const std::string kTwentyOctets = "F" + std::string(39, 'A');  // DER adds a 21st sign byte
const std::string kTwentyOneOctets = "01" + std::string(40, '0');

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

class Inputs : public ScratchDir {
protected:
    // A database holding the sample bundle.
    std::string sample_db() {
        const std::string db = path("sample.db");
        const auto r = run_kyso("import --db " + db + " --bundle " + kSampleBundle);
        EXPECT_EQ(r.exit_code, 0) << r.out;
        return db;
    }
    // The pem-column bundle copied, its certificates.csv row pointing at `pem`.
    std::string pem_bundle(const std::string& name, const std::string& pem) {
        const std::string b = copy_bundle(kPemCase + "/bundle", name);
        std::string csv = read_file(fs::path(b) / "certificates.csv");
        const auto at = csv.rfind(",huong.pem");
        csv.replace(at, std::string(",huong.pem").size(), "," + pem);
        write_file(fs::path(b) / "certificates.csv", csv);
        return b;
    }
    std::string status(const std::string& db) { return run_kyso("status --db " + db).out; }
};

// ---- arguments ----------------------------------------------------------------------------------

TEST_F(Inputs, InvalidUtf8InAnyArgumentIsRefusedNamingTheOptionAndNothingRuns) {
    const std::string db = path("k.db");
    // A lone continuation byte, an overlong "/", a UTF-16 surrogate, a truncated sequence.
    for (const std::string bad : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "Ph\xc3"}) {
        SCOPED_TRACE(bad);
        auto r = run_kyso("import --db " + db + " --bundle '" + kSampleBundle + bad + "'");
        EXPECT_EQ(r.exit_code, 2) << r.out;
        EXPECT_TRUE(contains(r.out, "--bundle: the value is not valid UTF-8")) << r.out;
        r = run_kyso("import --db=" + db + bad + " --bundle " + kSampleBundle);
        EXPECT_EQ(r.exit_code, 2) << r.out;
        EXPECT_TRUE(contains(r.out, "--db: the value is not valid UTF-8")) << r.out;
        EXPECT_FALSE(fs::exists(db)) << "no database created";
    }
    const auto r = run_kyso("import --db " + db + " --bundle " + kSampleBundle);
    EXPECT_EQ(r.exit_code, 0) << r.out;
}

TEST_F(Inputs, ControlCharactersInArgumentsAreRefused) {
    const std::string db = sample_db();
    for (const std::string bad : {"T01\x1b[31m", "T01\nforged line", "T01\t", "T01\x7f",
                                  "T01\xc2\x85"}) {  // ESC, LF, TAB, DEL, NEL (U+0085)
        SCOPED_TRACE(bad);
        const auto r = run_kyso("requests list --db " + db + " --org '" + bad + "'");
        EXPECT_EQ(r.exit_code, 2) << r.out;
        EXPECT_TRUE(contains(r.out, "--org: the value holds the control character U+00")) << r.out;
    }
    const auto r = run_kyso("requests list --db " + db + " --org T01");
    EXPECT_EQ(r.exit_code, 0) << r.out;
}

TEST_F(Inputs, NamesGivenInAnotherNormalFormAreReadAsNfc) {
    const std::string nfd = "Ti\xcc\x89nh Phu\xcc\x81 So\xcc\x9bn";  // "Tỉnh Phú Sơn" decomposed
    const std::string csv = kRealWorld + "/csv-semicolon/vi-locale-semicolon.csv";
    const std::string reg = kRealWorld + "/csv-semicolon/registry";
    auto r = run_kyso("intake --csv " + csv + " --registry " + reg +
                      " --province 'Tỉnh Phú Sơn' --out " + path("nfc"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    r = run_kyso("intake --csv " + csv + " --registry " + reg + " --province '" + nfd + "' --out " +
                 path("nfd"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    for (const char* f : {"organizations.csv", "people.csv", "findings.json"})
        EXPECT_EQ(read_file(dir / "nfd" / f), read_file(dir / "nfc" / f)) << f;
}

// ---- list filters and numbers -------------------------------------------------------------------

TEST_F(Inputs, UnknownFilterValuesAreRefusedListingTheAcceptedOnes) {
    const std::string db = sample_db();
    auto r = run_kyso("requests list --db " + db + " --state bogus");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_TRUE(contains(r.out,
                         "\"bogus\" is not accepted; use one of: draft, validated, "
                         "approved, submitted, forwarded, completed, rejected"))
        << r.out;
    EXPECT_FALSE(contains(columns_as_tabs(r.out), "id\tkind")) << "no empty list";
    r = run_kyso("requests list --db " + db + " --kind Revoke");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_TRUE(contains(r.out, "use one of: issue, renew, change_info, revoke")) << r.out;
    r = run_kyso("requests list --db " + db + " --state draft --kind revoke");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_TRUE(contains(columns_as_tabs(r.out), "id\tkind")) << r.out;
}

TEST_F(Inputs, NegativeOrOutOfRangeNumbersAreRefused) {
    const std::string db = sample_db();
    const std::string before = status(db);
    for (const std::string args :
         {"requests list --batch -1", "requests list --batch 0", "requests list --batch 1e3",
          "requests list --batch 99999999999999999999", "requests show --id 0",
          "requests show --id -7", "custody overdue --days -5", "custody overdue --days 99999",
          "custody overdue --days 0x10"}) {
        SCOPED_TRACE(args);
        const auto r = run_kyso(args + " --db " + db);
        EXPECT_EQ(r.exit_code, 2) << r.out;
        EXPECT_TRUE(contains(r.out, "is not a whole number from")) << r.out;
    }
    EXPECT_EQ(status(db), before);
    for (const char* scale : {"-1", "0", "20000001", "2k"}) {
        const auto r = run_kyso("demo-data --out " + path("demo") + " --scale " + scale);
        EXPECT_EQ(r.exit_code, 2) << scale << r.out;
        EXPECT_TRUE(contains(r.out, "is not a whole number from 1 to 20000000")) << r.out;
        EXPECT_FALSE(fs::exists(dir / "demo")) << "no output folder";
    }
    auto r = run_kyso("custody overdue --db " + db + " --days 30");
    EXPECT_LE(r.exit_code, 1) << r.out;  // 1: some devices are overdue
    EXPECT_TRUE(contains(r.out, "30")) << r.out;
    r = run_kyso("requests list --db " + db + " --batch 1");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    r = run_kyso("demo-data --out " + path("demo") + " --scale 20 --seed 7");
    EXPECT_EQ(r.exit_code, 0) << r.out;
}

TEST_F(Inputs, ImpossibleDatesInOptionsAreRefusedAndNoPlanIsWritten) {
    for (const char* d : {"2025-02-30", "2025-13-01", "0000-01-01", "2025-04-31"}) {
        const auto r = run_kyso("plan --bundle " + kSampleBundle + " --as-of " + d + " --out " +
                                path("plan.json"));
        EXPECT_EQ(r.exit_code, 2) << d << r.out;
        EXPECT_FALSE(fs::exists(dir / "plan.json")) << d;
    }
    const auto r = run_kyso("plan --bundle " + kSampleBundle + " --as-of 2025-07-01 --out " +
                            path("plan.json"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_TRUE(fs::exists(dir / "plan.json"));
}

// ---- pem paths ----------------------------------------------------------------------------------

TEST_F(Inputs, PemPathsOutsideTheBundleAreRefusedNamingTheRowAndNothingIsImported) {
    // A certificate file outside the bundle that agrees with the row: read, it would be accepted.
    fs::copy_file(kPemCase + "/bundle/huong.pem", dir / "outside.pem");
    struct Case {
        std::string name, pem, why;
    };
    const std::vector<Case> cases{
        {"dotdot", "../outside.pem", "a \"..\" component"},
        {"inner-dotdot", "sub/../../outside.pem", "a \"..\" component"},
        {"absolute", (dir / "outside.pem").string(), "an absolute path"},
        {"link-out", "link.pem", "a symbolic link that points outside"},
        {"link-abs", "abs.pem", "a symbolic link that points outside"},
        {"dir-link", "up/outside.pem", "a symbolic link that points outside"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const std::string b = pem_bundle(c.name, c.pem);
        fs::create_symlink("../outside.pem", fs::path(b) / "link.pem");
        fs::create_symlink(dir / "outside.pem", fs::path(b) / "abs.pem");
        fs::create_directory_symlink("..", fs::path(b) / "up");
        const std::string db = path(c.name + ".db");
        auto r = run_kyso("import --db " + db + " --bundle " + b);
        EXPECT_EQ(r.exit_code, 2) << r.out;
        EXPECT_TRUE(contains(r.out, "certificates.csv, row 1, field pem")) << r.out;
        EXPECT_TRUE(contains(r.out, "leads outside the bundle folder (" + c.why + ")")) << r.out;
        EXPECT_TRUE(contains(status(db), "certificates: 0 (") || !fs::exists(db)) << status(db);
        // plan and check read the column the same way.
        r = run_kyso("plan --bundle " + b + " --out " + path(c.name + ".json"));
        EXPECT_EQ(r.exit_code, 2) << r.out;
        EXPECT_TRUE(contains(r.out, "leads outside the bundle folder")) << r.out;
        EXPECT_FALSE(fs::exists(path(c.name + ".json")));
    }
    // Inside the folder: the file itself, one in a subfolder, a link that stays inside.
    int n = 0;
    for (const std::string pem : {"huong.pem", "certs/huong.pem", "alias.pem"}) {
        const std::string name = "ok-" + std::to_string(++n);
        SCOPED_TRACE(pem);
        const std::string b = pem_bundle(name, pem);
        fs::create_directories(fs::path(b) / "certs");
        fs::copy_file(fs::path(b) / "huong.pem", fs::path(b) / "certs" / "huong.pem");
        fs::create_symlink("certs/huong.pem", fs::path(b) / "alias.pem");
        const std::string db = path(name + ".db");
        const auto r = run_kyso("import --db " + db + " --bundle " + b);
        EXPECT_EQ(r.exit_code, 0) << r.out;
        EXPECT_TRUE(contains(status(db), "certificates: 1 (")) << status(db);
    }
}

TEST_F(Inputs, APemThatIsNotARegularFileIsRefusedWithoutWaiting) {
    const std::string b = pem_bundle("fifo", "pipe.pem");
    ASSERT_EQ(mkfifo((fs::path(b) / "pipe.pem").c_str(), 0600), 0);
    const auto r = run_kyso("import --db " + path("k.db") + " --bundle " + b);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_TRUE(contains(r.out, "not a regular file")) << r.out;
}

// ---- serials ------------------------------------------------------------------------------------

TEST_F(Inputs, ABundleSerialOverTwentyOctetsIsRefusedNamingTheRow) {
    const std::string b = copy_bundle(kSampleBundle, "long");
    std::string csv = read_file(fs::path(b) / "certificates.csv");
    const std::string first = "1B9C7BEC3D9C172411E20B8F6B0D549B";
    ASSERT_TRUE(contains(csv, first));
    csv.replace(csv.find(first), first.size(), kTwentyOneOctets);
    write_file(fs::path(b) / "certificates.csv", csv);
    const std::string db = path("k.db");
    auto r = run_kyso("import --db " + db + " --bundle " + b);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_TRUE(contains(r.out, "certificates.csv, row 1, field serial")) << r.out;
    EXPECT_TRUE(contains(r.out, "takes 21 octets, more than the 20")) << r.out;
    EXPECT_TRUE(contains(status(db), "certificates: 0 (") || !fs::exists(db)) << status(db);
    // 20 octets is the limit and is accepted.
    csv.replace(csv.find(kTwentyOneOctets), kTwentyOneOctets.size(), kTwentyOctets);
    write_file(fs::path(b) / "certificates.csv", csv);
    r = run_kyso("import --db " + db + " --bundle " + b);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    r = run_kyso("export --db " + db + " --bundle " + path("out"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_TRUE(contains(read_file(dir / "out" / "certificates.csv"), kTwentyOctets));
}

TEST_F(Inputs, ACertificateFileWithASerialOverTwentyOctetsIsNotImported) {
    const std::string subject = "CN=Nguyễn Văn A,O=Ủy ban nhân dân tỉnh Sông Lam,C=VN";
    ASSERT_TRUE(issue_certificate(dir / "certs", subject, kTwentyOneOctets));
    ASSERT_TRUE(issue_certificate(dir / "certs", subject, kTwentyOctets));
    const std::string db = sample_db();
    const std::string before = status(db);
    auto r =
        run_kyso("import --db " + db + " --certs " + path("certs/" + kTwentyOneOctets + ".pem"));
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_TRUE(contains(r.out, "takes 21 octets, more than the 20")) << r.out;
    EXPECT_EQ(status(db), before);
    r = run_kyso("import --db " + db + " --certs " + path("certs/" + kTwentyOctets + ".pem"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(status(db), before);
}

}  // namespace kyso::testing

// Who issues a letter, and letter numbers (issue 12), through the binary: requests of ceased
// organizations go to the one carrying on their work; letter numbers are unique per issuer and
// year; the DoST's combined letters and the hand-over record have their own wording (checked in
// the PDF text); a refused hand-over writes nothing.
#include <sqlite3.h>

#include <set>

#include "cli_harness.h"

namespace kyso::testing {

namespace {

constexpr const char* kPassword = "user-password-1";

// Organizations of the sample that cease in its events (dissolved, or merged away: P81, the
// province Sông Lam, merges into P82).
const std::set<std::string> kCeased = {"P81",       "D801",      "D801-pnv",    "D801-ptckh",
                                       "D802",      "D802-pnv",  "D802-ptckh",  "P81-skhdt",
                                       "P81-sgtvt", "P81-stttt", "P81-sldtbxh", "P81-snnptnt"};

class Issuer : public ScratchDir {
protected:
    std::string db() const { return path("k.db"); }

    RunResult as(const std::string& user, const std::string& args) const {
        return run_kyso(args + " --db " + db() + " --as " + user,
                        std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword);
    }
    RunResult plain(const std::string& args) const { return run_kyso(args + " --db " + db()); }

    // One column of a query's rows, joined by newlines.
    std::string query(const std::string& sql) const {
        sqlite3* h = nullptr;
        std::string out;
        if (sqlite3_open_v2(db().c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
            return "?";
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
            while (sqlite3_step(st) == SQLITE_ROW) {
                const auto* text = sqlite3_column_text(st, 0);
                out += std::string(text ? reinterpret_cast<const char*>(text) : "") + "\n";
            }
        } else {
            out = std::string("error: ") + sqlite3_errmsg(h);
        }
        sqlite3_finalize(st);
        sqlite3_close(h);
        return out;
    }

    void add_user(const std::string& name, const std::string& role, const std::string& org) {
        const auto r = run_kyso("users add --db " + db() + " --as admin --username " + name +
                                    " --full-name 'Người " + name + "' --role " + role +
                                    (org.empty() ? " --scope all" : " --org " + org),
                                std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword +
                                    " KYSO_NEW_PASSWORD=" + kPassword);
        ASSERT_EQ(r.exit_code, 0) << r.out;
    }

    // The sample; the officer, head and DoST operator of the province Hồng Lĩnh (P82, into which
    // Sông Lam, P81, merges), an officer of P81; with `from_plan`, the plan's requests of P82
    // made, and with `approve` validated and approved.
    void setup(bool from_plan = true, bool approve = true) {
        ASSERT_EQ(run_kyso("import --db " + db() + " --bundle " + kSampleBundle).exit_code, 0);
        const auto first =
            run_kyso("users add --db " + db() +
                         " --username admin --full-name 'Quản trị' --role admin --scope all",
                     std::string("KYSO_LANG=en KYSO_NEW_PASSWORD=") + kPassword);
        ASSERT_EQ(first.exit_code, 0) << first.out;
        add_user("officer", "unit_officer", "P82");
        add_user("head", "unit_head", "P82");
        add_user("dost", "dost_operator", "P82");
        add_user("officer81", "unit_officer", "P81");
        if (!from_plan) return;
        auto r = as("officer", "requests from-plan");
        ASSERT_EQ(r.exit_code, 0) << r.out;
        if (!approve) return;
        ASSERT_LE(as("officer", "requests validate").exit_code, 1);
        std::string ids;
        for (char c : query("SELECT id FROM requests WHERE state = 'validated'"))
            ids += c == '\n' ? ' ' : c;
        ASSERT_FALSE(ids.empty());
        r = as("head", "requests approve --comment 'Đồng ý' --id " + ids);
        ASSERT_EQ(r.exit_code, 0) << r.out.substr(0, 500);
    }

    // Text of a PDF (pdftotext, reading order), each run of white space one space: a phrase
    // reads the same wherever the lines break.
    static std::string pdf_text(const std::string& pdf) {
        std::string out;
        for (const char c : run_shell("pdftotext " + pdf + " - 2>/dev/null").out) {
            const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\f';
            if (!space) {
                out += c;
            } else if (!out.empty() && out.back() != ' ') {
                out += ' ';
            }
        }
        return out;
    }

    // Page 1 as a PNG under the artifacts folder, for people to look at.
    static void keep_png(const std::string& pdf, const std::string& name) {
        fs::create_directories(KYSO_ARTIFACTS);
        const std::string png = std::string(KYSO_ARTIFACTS) + "/" + name;
        EXPECT_EQ(run_shell("pdftoppm -png -r 60 -f 1 -l 1 -singlefile " + pdf + " " + png +
                            " 2>/dev/null")
                      .exit_code,
                  0);
        std::printf("%s page 1: %s.png\n", name.c_str(), png.c_str());
    }

    const std::string kRender =
        " --signer 'Lê Văn Giám' --signer-title 'Phó Giám đốc' --signer-authority 'KT. Giám đốc' "
        "--receiver u0000109 --receiver-address 'Sở Khoa học và Công nghệ tỉnh Hồng Lĩnh' --date "
        "2025-07-15 --value nhan_ngay_cap=12/04/2021 --value 'nhan_noi_cap=Cục Cảnh sát QLHC về "
        "TTXH'";
};

// The first number in a message ("Batch 12 created: ..." → "12").
std::string first_number(const std::string& text) {
    const auto start = text.find_first_of("0123456789");
    if (start == std::string::npos) return "";
    return text.substr(start, text.find_first_not_of("0123456789", start) - start);
}

}  // namespace

TEST_F(Issuer, FromPlanNeverHandsARequestToAnOrganizationThatHasCeased) {
    setup(false);
    // An officer of Sông Lam (P81): its dissolved districts (D801 …) and merged-away departments
    // are in its scope but send nothing; what they held goes to those carrying on their work.
    auto r = as("officer81", "requests from-plan");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    auto managing = [&] {
        std::set<std::string> out;
        std::istringstream lines(query("SELECT DISTINCT managing_org_id FROM requests"));
        std::string org;
        while (std::getline(lines, org)) out.insert(org);
        return out;
    };
    for (const auto& org : managing()) EXPECT_EQ(kCeased.count(org), 0u) << org << " has ceased";
    // The province Hồng Lĩnh (P82) carries on Sông Lam's work: the dissolved district D801's own
    // certificate is revoked in P82's letter (D801 → its superior P81 → merged into P82).
    r = as("officer", "requests from-plan");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(query("SELECT managing_org_id FROM requests WHERE kind = 'revoke' AND holder_id = "
                    "'D801'"),
              "P82\n");
    for (const auto& org : managing()) EXPECT_EQ(kCeased.count(org), 0u) << org << " has ceased";
}

TEST_F(Issuer, ACeasedOrganizationNamedForANewRequestOrBatchIsRefusedNamingItsSuccessor) {
    setup();
    auto r = run_kyso("events apply --db " + db() + " --as admin",
                      std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const std::string before = query("SELECT count(*) FROM requests") +
                               query("SELECT count(*) FROM batches") +
                               query("SELECT count(*) FROM audit_log");
    r = as("officer", "requests add --kind device_restore --device d0000245 --org P81-skhdt");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("ceased on 2025-03-01"), std::string::npos) << r.out;
    // Merged into P82-stc, which merged in turn into Hồng Lĩnh's department.
    EXPECT_NE(r.out.find("carried on by \"P82-stc\" (Sở Tài chính tỉnh Hồng Lĩnh)"),
              std::string::npos)
        << r.out;
    r = as("officer", "batch create --org D801 --kind revoke");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("\"P82\" (Ủy ban nhân dân tỉnh Hồng Lĩnh)"), std::string::npos) << r.out;
    // In Vietnamese too.
    r = run_kyso("batch create --db " + db() + " --as officer --org D801 --kind revoke",
                 std::string("KYSO_PASSWORD=") + kPassword);
    EXPECT_NE(r.out.find("đã thôi hoạt động từ ngày 2025-07-01"), std::string::npos) << r.out;
    EXPECT_EQ(query("SELECT count(*) FROM requests") + query("SELECT count(*) FROM batches") +
                  query("SELECT count(*) FROM audit_log"),
              before);
    // Not naming one: the request goes under the holder's organization, one that has not ceased.
    r = as("officer", "requests add --kind device_restore --device d0000245");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(query("SELECT count(*) FROM requests r JOIN organizations o ON o.id = "
                    "r.managing_org_id WHERE r.id = (SELECT max(id) FROM requests) AND "
                    "o.ceased_on IS NULL"),
              "1\n");
}

TEST_F(Issuer, LetterNumbersAreUniquePerIssuerAndYear) {
    setup();
    const std::string none = query("SELECT count(*) FROM batches");
    // One number by hand for several letters: refused, nothing made.
    auto r = as("officer", "batch create --kind revoke --number 15 --symbol VP");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("names one letter"), std::string::npos) << r.out;
    EXPECT_EQ(query("SELECT count(*) FROM batches"), none);
    // Numbered by kyso: every issuer's next number, never twice for one issuer.
    r = as("officer", "batch create --kind revoke --symbol VP");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("letter number 1/VP of P82."), std::string::npos) << r.out;
    r = as("officer", "batch create --kind change_info --symbol VP");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(query("SELECT count(*) FROM (SELECT org_id, number FROM batches GROUP BY org_id, "
                    "number HAVING count(*) > 1)"),
              "0\n");
    EXPECT_EQ(query("SELECT count(*) FROM batches WHERE number = ''"), "0\n");
    EXPECT_EQ(query("SELECT number FROM batches WHERE org_id = 'P82' ORDER BY id"), "1\n2\n")
        << "P82 has a revocation and a change letter: numbers 1 and 2";
    // A number by hand its issuer already used this year: refused, naming the letter.
    const std::string stc_number =
        query("SELECT number FROM batches WHERE org_id = 'P82-stc' ORDER BY id LIMIT 1");
    ASSERT_FALSE(stc_number.empty());
    const std::string n = stc_number.substr(0, stc_number.size() - 1);
    r = as("officer", "batch create --org P82-stc --kind device_handover --number 0" + n);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("number 0" + n + " was already used by \"P82-stc\""), std::string::npos)
        << r.out;
    r = as("officer", "batch create --org P82-stc --kind device_handover --number 40 --symbol TC");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("letter number 40/TC of P82-stc"), std::string::npos) << r.out;
    // Submitting them all says which, no "*".
    r = as("officer", "batch submit --all");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("Batches "), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find('*'), std::string::npos) << r.out;
    EXPECT_EQ(query("SELECT count(*) FROM request_transitions WHERE comment LIKE '%*%'"), "0\n");
    // The DoST's number register is its own: a number it used is refused, the next is given.
    r = as("dost", "batch combine --form mau-05 --issuer P82-skhcn --symbol SKHCN");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const std::string dost_number =
        query("SELECT number FROM batches WHERE level = 'province' ORDER BY id DESC LIMIT 1");
    ASSERT_FALSE(dost_number.empty());
    r = as("dost", "batch combine --form mau-04 --issuer P82-skhcn --number " +
                       dost_number.substr(0, dost_number.size() - 1));
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("already used"), std::string::npos) << r.out;
    EXPECT_EQ(plain("audit verify").exit_code, 0);
}

TEST_F(Issuer, TheDostsCombinedLettersAreItsOwnToTheNationalCa) {
    setup();
    ASSERT_EQ(as("officer", "batch create --kind revoke --symbol VP").exit_code, 0);
    ASSERT_EQ(as("officer", "batch create --kind device_handover --symbol VP").exit_code, 0);
    ASSERT_EQ(as("officer", "batch submit --all").exit_code, 0);
    // An organization's own letter: to the national CA, a copy to the DoST "để tổng hợp".
    const std::string org_batch =
        first_number(query("SELECT id FROM batches WHERE org_id = 'P82-stc' AND form = 'mau-05'"));
    ASSERT_FALSE(org_batch.empty());
    auto r = as("dost", "batch render --batch " + org_batch + " --out " + path("org") + kRender);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const std::string org_text = pdf_text(path("org/letter.pdf"));
    EXPECT_NE(org_text.find("SỞ TÀI CHÍNH"), std::string::npos) << org_text;
    EXPECT_NE(org_text.find("Sở Khoa học và Công nghệ tỉnh Hồng Lĩnh (để tổng hợp)"),
              std::string::npos)
        << org_text;

    // The DoST's combined revocation letter.
    r = as("dost", "batch combine --form mau-05 --issuer P82-skhcn --number 31 --symbol SKHCN-CĐS");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const std::string revoke = first_number(r.out);
    r = as("dost", "batch render --batch " + revoke + " --out " + path("tong-hop") + kRender);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const std::string text = pdf_text(path("tong-hop/letter.pdf"));
    for (const char* s :
         {"SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 31/SKHCN-CĐS",
          "Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ",
          "Nơi nhận:", "- Như trên;", "Các cơ quan, tổ chức có đề nghị (để biết);",
          "Công văn số 1/VP của Sở Tài chính tỉnh Hồng Lĩnh", "tổng hợp, đề nghị"}) {
        EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
    }
    EXPECT_EQ(text.find("(để tổng hợp)"), std::string::npos) << text;
    EXPECT_EQ(text.find("Sở Khoa học và Công nghệ tỉnh Hồng Lĩnh (để"), std::string::npos) << text;
    keep_png(path("tong-hop/letter.pdf"), "tong-hop-mau-05-page1");

    // The combined hand-over letter: the DoST hands the devices to the national CA itself.
    r = as("dost", "batch combine --form ban-giao-thiet-bi --issuer P82-skhcn --symbol SKHCN-CĐS");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const std::string devices = first_number(r.out);
    r = as("dost", "batch render --batch " + devices + " --out " + path("bg") + kRender);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const std::string handover = pdf_text(path("bg/letter.pdf"));
    EXPECT_NE(handover.find("bàn giao Cục Chứng thực số và Bảo mật thông tin"), std::string::npos)
        << handover;
    EXPECT_EQ(handover.find("qua Sở Khoa học"), std::string::npos) << handover;
    EXPECT_EQ(handover.find("(để tiếp nhận"), std::string::npos) << handover;
    EXPECT_NE(handover.find("Số: 32/SKHCN-CĐS"), std::string::npos) << handover;  // next after 31
    keep_png(path("bg/letter.pdf"), "tong-hop-ban-giao-page1");
    // The DoST's own devices went into that letter; its own organization's hand-over letter
    // (the DoST handing over "through" itself) is not printed: the refusal names the combined one.
    const std::string own = first_number(
        query("SELECT id FROM batches WHERE org_id = 'P82-skhcn' AND form = 'ban-giao-thiet-bi' "
              "AND level <> 'province'"));
    ASSERT_FALSE(own.empty());
    r = as("dost", "batch render --batch " + own + " --out " + path("own") + kRender);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("combined batch made so far: " + devices), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(path("own")));
}

TEST_F(Issuer, ARefusedHandOverWritesNothingAndTheRecordNamesOrganizations) {
    setup(false, false);
    const std::string people =
        " --device d0000324 --handed-by 'Trịnh Kim Oanh' --handed-by-title 'Chuyên viên' "
        "--received-by 'Nguyễn Văn Cán' --received-by-title 'Văn thư' --date 2025-07-21 "
        "--document 12/BB-UBND --out " +
        path("bb");
    auto state = [&] {
        return query("SELECT count(*) FROM custody") + query("SELECT count(*) FROM audit_log") +
               plain("custody list").out;
    };
    const std::string before = state();
    // Refused for the role (a DoST operator does not take the first step) and for the scope.
    auto r = as("dost", "custody handover --step to_organization" + people);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("may not"), std::string::npos) << r.out;
    r = as("officer", "custody handover --step to_organization" + people);  // P82: not d0000324's
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("outside the scope"), std::string::npos) << r.out;
    EXPECT_EQ(state(), before);
    EXPECT_FALSE(fs::exists(path("bb"))) << "a refused hand-over left a record behind";
    // Without a number the record cannot be made: refused before anything is written.
    r = as("officer81",
           "custody handover --step to_organization --device d0000324 --handed-by X "
           "--received-by Y --out " +
               path("bb"));
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("--document"), std::string::npos) << r.out;
    EXPECT_EQ(state(), before);
    EXPECT_FALSE(fs::exists(path("bb")));

    // One record names one giving organization: devices of two are refused, nothing written.
    std::string other = query(
        "SELECT d.id FROM devices d JOIN people p ON p.id = d.holder_id WHERE d.holder_type = "
        "'person' AND p.org_id LIKE 'P81%' AND p.org_id <> (SELECT org_id FROM people WHERE id = "
        "'u0000267') ORDER BY d.id LIMIT 1");
    ASSERT_FALSE(other.empty());
    other.pop_back();
    r = as("officer81", "custody handover --step to_organization" + people + " --device " + other);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("one record names one giving party"), std::string::npos) << r.out;
    EXPECT_EQ(state(), before);
    EXPECT_FALSE(fs::exists(path("bb")));

    r = as("officer81", "custody handover --step to_organization" + people);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(query("SELECT count(*) FROM custody"), "1\n");
    const std::string text = pdf_text(path("bb/bien-ban.pdf"));
    EXPECT_NE(text.find("Số: 12/BB-UBND"), std::string::npos) << text;
    EXPECT_NE(text.find("BIÊN BẢN BÀN GIAO THIẾT BỊ LƯU KHÓA BÍ MẬT"), std::string::npos) << text;
    // The holder u0000267's organization, not the holder, on the giver's organization line.
    const std::string org = query(
        "SELECT v.name FROM people p JOIN org_versions v ON v.org_id = p.org_id WHERE p.id "
        "= 'u0000267' ORDER BY v.valid_from DESC LIMIT 1");
    ASSERT_FALSE(org.empty());
    const std::string holder = query("SELECT full_name FROM people WHERE id = 'u0000267'");
    EXPECT_NE(text.find("- Cơ quan, tổ chức: " + org.substr(0, org.size() - 1)), std::string::npos)
        << org << text;
    EXPECT_EQ(text.find("- Cơ quan, tổ chức: " + holder.substr(0, holder.size() - 1)),
              std::string::npos)
        << text;
    keep_png(path("bb/bien-ban.pdf"), "bien-ban-page1");
    EXPECT_EQ(plain("audit verify").exit_code, 0);
}

}  // namespace kyso::testing

// End to end (issue 6): import the sample, plan, requests, approvals by the right roles (and
// refusals of the wrong ones), batches rendered, the national CA's results imported, the
// registry updated, devices handed back, and the audit log intact — then tampered with.
#include <sqlite3.h>

#include <pugixml.hpp>

#include "cli_harness.h"
#include "core/subject.h"
#include "issue_certificate.h"
#include "store/store.h"
#include "text/xlsx_reader.h"

namespace kyso::testing {

namespace {

constexpr const char* kPassword = "user-password-1";

class Workflow : public ScratchDir {
protected:
    std::string db() const { return path("k.db"); }

    RunResult as(const std::string& user, const std::string& args) const {
        return run_kyso(args + " --db " + db() + " --as " + user,
                        std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword);
    }
    RunResult plain(const std::string& args) const { return run_kyso(args + " --db " + db()); }

    void add_user(const std::string& name, const std::string& role, const std::string& org) {
        const auto r = run_kyso("users add --db " + db() + " --as admin --username " + name +
                                    " --full-name 'Người " + name + "' --role " + role +
                                    (org.empty() ? " --scope all" : " --org " + org),
                                std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword +
                                    " KYSO_NEW_PASSWORD=" + kPassword);
        ASSERT_EQ(r.exit_code, 0) << r.out;
    }

    // The sample imported, an admin, and the people of the workflow: a commune's officer and
    // head (C90006), another unit's head (D801), the DoST of the province (P81), the national
    // CA, an auditor.
    void setup() {
        ASSERT_EQ(run_kyso("import --db " + db() + " --bundle " + kSampleBundle).exit_code, 0);
        const auto first =
            run_kyso("users add --db " + db() +
                         " --username admin --full-name 'Quản trị' --role admin --scope all",
                     std::string("KYSO_LANG=en KYSO_NEW_PASSWORD=") + kPassword);
        ASSERT_EQ(first.exit_code, 0) << first.out;
        add_user("officer", "unit_officer", "C90006");
        add_user("head", "unit_head", "C90006");
        add_user("otherhead", "unit_head", "D801");
        add_user("dost", "dost_operator", "P81");
        add_user("ca", "ca_operator", "");
        add_user("auditor", "auditor", "");
    }

    // id -> (kind, state) of the stored requests, from `kyso requests list`.
    std::map<long, std::pair<std::string, std::string>> requests(const std::string& filter = {}) {
        std::map<long, std::pair<std::string, std::string>> out;
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
            if (!id.empty()) out[std::stol(id)] = {kind, state};
        }
        return out;
    }

    // The request of `kind` about `serial`.
    std::string id_for(const std::string& kind, const std::string& serial) {
        std::istringstream lines(plain("requests list --kind " + kind).out);
        std::string line;
        while (std::getline(lines, line)) {
            if (line.find(serial) != std::string::npos) return line.substr(0, line.find(' '));
        }
        ADD_FAILURE() << "no " << kind << " request for " << serial;
        return "0";
    }

    std::string ids_of(const std::map<long, std::pair<std::string, std::string>>& rs) {
        std::string ids;
        for (const auto& [id, ks] : rs) ids += " " + std::to_string(id);
        return ids;
    }
};

RunResult sh(const std::string& command) {
    return run_shell(command + " 2>/dev/null");
}

// The first number in a message ("Batch 12 created." → 12). (No std::regex: GCC 12 warns
// falsely inside it under the sanitizer build.)
long number_in(const std::string& text) {
    const auto start = text.find_first_of("0123456789");
    if (start == std::string::npos) return -1;
    return std::stol(text.substr(start, text.find_first_not_of("0123456789", start) - start));
}

TEST_F(Workflow, FromPlanToCaResultsWithRolesBatchesCustodyAndAudit) {
    setup();
    // Requests from the plan, twice: nothing is created the second time.
    auto r = as("officer", "requests from-plan");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const auto made = requests();
    ASSERT_EQ(made.size(), 10u) << r.out;  // the plan's actions under C90006
    ASSERT_EQ(as("officer", "requests from-plan").exit_code, 0);
    EXPECT_EQ(requests().size(), made.size());
    EXPECT_NE(as("dost", "requests from-plan").out.find("already there"), std::string::npos);

    // Wrong roles and scopes are refused; nothing moves.
    const long first = made.begin()->first;
    r = as("officer", "requests approve --id " + std::to_string(first));
    EXPECT_EQ(r.exit_code, 2);  // still a draft, and an officer does not approve
    ASSERT_EQ(as("officer", "requests validate").exit_code, 0);
    EXPECT_EQ(requests("--state validated").size(), made.size());
    for (const char* who : {"officer", "auditor", "dost", "ca", "otherhead", "admin"}) {
        r = as(who, "requests approve --id " + std::to_string(first));
        EXPECT_EQ(r.exit_code, 2) << who << ": " << r.out;
        EXPECT_NE(r.out.find("may not"), std::string::npos) << who << ": " << r.out;
    }
    r = as("head", "requests reject --id " + std::to_string(first) + " --reason ' '");
    EXPECT_EQ(r.exit_code, 2) << "a rejection needs a reason: " << r.out;
    r = run_kyso("requests approve --db " + db() + " --as head --id 1",
                 "KYSO_LANG=en KYSO_PASSWORD=wrong-password");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("sign-in failed"), std::string::npos) << r.out;
    EXPECT_EQ(requests("--state approved").size(), 0u);

    // The head approves everything but the hand-over, which the DoST collects separately.
    ASSERT_EQ(as("head", "requests approve --comment 'Đồng ý' --id" + ids_of(made)).exit_code, 0);
    for (const char* kind : {"change_info", "revoke"}) {  // numbered by kyso: 1, then 2
        r = as("officer", std::string("batch create --org C90006 --symbol UBND --kind ") + kind);
        ASSERT_EQ(r.exit_code, 0) << r.out;
        ASSERT_EQ(
            as("officer", "batch submit --batch " + std::to_string(number_in(r.out))).exit_code, 0);
    }
    EXPECT_EQ(as("officer", "batch combine --form mau-04 --issuer P81-skhcn").exit_code, 2);
    r = as("dost", "batch combine --form mau-04 --issuer P81-skhcn --number 88 --symbol SKHCN-CĐS");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const long province_batch = number_in(r.out);
    r = as("dost", "batch combine --form mau-05 --issuer P81-skhcn --number 89 --symbol SKHCN-CĐS");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const long revoke_batch = number_in(r.out);
    const auto forwarded = requests("--state forwarded");
    EXPECT_EQ(forwarded.size(), made.size() - 1);  // all but the device hand-over

    // The provincial letter and list.
    r = as("dost", "batch render --batch " + std::to_string(province_batch) + " --out " +
                       path("letter") +
                       " --signer 'Lê Văn Giám' --signer-title 'Phó Giám đốc' --signer-authority "
                       "'KT. Giám đốc' --receiver u0000204 --receiver-address 'Sở Khoa học và Công "
                       "nghệ tỉnh Sông Lam' --date 2025-07-05 --value nhan_ngay_cap=12/04/2021 "
                       "--value 'nhan_noi_cap=Cục Cảnh sát quản lý hành chính về trật tự xã hội'");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const auto pdf_text = sh("pdftotext -layout " + path("letter/letter.pdf") + " -");
    for (const char* s :
         {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỞ KHOA HỌC VÀ CÔNG", "Số: 88/SKHCN-CĐS",
          "Sông Lam, ngày 05 tháng 7 năm 2025", "hongocung.00206@songlam.gov.vn",
          "1170AD116C81781A07C977DDCDABFBCE", "Lê Văn Giám", "KT. GIÁM ĐỐC", "Hồ Công Hà"}) {
        EXPECT_NE(pdf_text.out.find(s), std::string::npos) << s << "\n" << pdf_text.out;
    }
    // Issue 12: the combined list names the agency letter each row comes from; a change of
    // information states old → new; the annex line dates the letter as Decree 30 does.
    for (const char* s : {"Theo Công văn số 1/UBND", "→", "ngày 05 tháng 7 năm 2025 của"}) {
        EXPECT_NE(pdf_text.out.find(s), std::string::npos) << s << "\n" << pdf_text.out;
    }
    EXPECT_EQ(pdf_text.out.find("05/07/2025"), std::string::npos) << pdf_text.out;
    // The revocation letter, dated in February: "ngày 03 tháng 02 năm 2026".
    // Render asks once: without a receiver, every value it would give is listed in one error.
    const std::string revoke_render =
        "batch render --batch " + std::to_string(revoke_batch) + " --out " + path("revoke") +
        " --signer 'Lê Văn Giám' --signer-title 'Phó Giám đốc' --date 2026-02-03";
    r = as("dost", revoke_render);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("mau-05.txt"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("lacks 8 value(s)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("device receiver: personal ID number ({{nhan_so_dinh_danh}}, line"),
              std::string::npos)
        << r.out;
    r = as("dost", revoke_render +
                       " --receiver u0000204 --receiver-address 'Sở Khoa học và Công nghệ' "
                       "--value nhan_ngay_cap=12/04/2021 --value 'nhan_noi_cap=Cục Cảnh sát'");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const auto revoke_text = sh("pdftotext -layout " + path("revoke/letter.pdf") + " -").out;
    // This commune revokes people's certificates only: their list, and no empty list of
    // organizations (the organizations' list is checked in tests/docs).
    EXPECT_NE(revoke_text.find("Chứng thư chữ ký số của cá nhân"), std::string::npos)
        << revoke_text;
    EXPECT_EQ(revoke_text.find("Chứng thư chữ ký số của cơ quan, tổ chức"), std::string::npos)
        << revoke_text;
    EXPECT_NE(revoke_text.find("ngày 03 tháng 02 năm 2026"), std::string::npos) << revoke_text;
    // Page 1 kept as a PNG for people to look at.
    fs::create_directories(KYSO_ARTIFACTS);
    const std::string png = std::string(KYSO_ARTIFACTS) + "/workflow-letter-page1";
    ASSERT_EQ(std::system(("pdftoppm -r 60 -f 1 -l 1 -singlefile -png " +
                           path("letter/letter.pdf") + " " + png + " 2>/dev/null")
                              .c_str()),
              0);
    EXPECT_GT(fs::file_size(png + ".png"), 10000u);
    std::printf("letter page 1: %s.png\n", png.c_str());
    // The DOCX is a zip of well-formed XML holding the same text.
    const auto docx = sh("unzip -p " + path("letter/letter.docx") + " word/document.xml");
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(docx.out.c_str())) << "word/document.xml does not parse";
    EXPECT_NE(docx.out.find("Trịnh Ngọc Khánh"), std::string::npos);
    EXPECT_EQ(sh("unzip -tq " + path("letter/letter.docx")).exit_code, 0);
    // The list: one row per request, after the heading.
    auto sheets = kyso::text::read_xlsx(path("letter/list.xlsx"));
    ASSERT_TRUE(sheets.ok());
    const std::size_t change_requests = requests("--kind change_info --org C90006").size();
    ASSERT_EQ((*sheets)[0].rows.size(), 1 + change_requests);
    EXPECT_EQ((*sheets)[0].rows[0][1], "Họ tên");

    // The national CA answers: one change completed with its new certificate, one rejected, one
    // revocation completed.
    const std::string old_serial = "1170AD116C81781A07C977DDCDABFBCE";
    const std::string new_serial = "5403A1B2C3D4E5F60718293A4B5C6D7E";
    const auto shown = plain("requests show --id " + id_for("change_info", old_serial));
    const std::string label = "new subject: ";
    const auto at = shown.out.find(label);
    ASSERT_NE(at, std::string::npos) << shown.out;
    const std::string new_subject =
        shown.out.substr(at + label.size(), shown.out.find('\n', at) - at - label.size());
    fs::create_directories(dir / "newcerts");
    ASSERT_TRUE(issue_certificate(dir / "newcerts", new_subject, new_serial));
    write_file(dir / "results.csv",
               "Serial CTS cũ,Kết quả,Lý do,Serial CTS mới,Ngày xử lý\n" + old_serial +
                   ",Hoàn thành,,,2025-07-20\n186E31F76068CA6FE52126E550FC016F,Từ chối,Sai chức "
                   "vụ,,2025-07-20\n781C7E6C747B4177E252C666A47465AB,Hoàn thành,,,2025-07-20\n");
    EXPECT_EQ(as("head", "results import --file " + path("results.csv")).exit_code, 2);
    r = as("ca", "results import --file " + path("results.csv") + " --certs " + path("newcerts"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("2 completed, 1 rejected, 1 new certificates linked"), std::string::npos)
        << r.out;
    {
        auto st = kyso::store::open_store(db());
        ASSERT_TRUE(st.ok());
        auto reg = (*st)->load_registry();
        ASSERT_TRUE(reg.ok());
        const Certificate* fresh = reg->certificate(new_serial);
        ASSERT_NE(fresh, nullptr);
        EXPECT_EQ(fresh->replaces_serial, old_serial);
        EXPECT_EQ(fresh->holder.id, "u0000197");
        EXPECT_EQ(fresh->status, CertStatus::valid);
        EXPECT_FALSE(fresh->der.empty());
        EXPECT_EQ(reg->certificate(old_serial)->status, CertStatus::revoked);
        EXPECT_EQ(reg->certificate("781C7E6C747B4177E252C666A47465AB")->status,
                  CertStatus::revoked);
    }
    EXPECT_NE(
        plain("requests show --id " + id_for("change_info", "186E31F76068CA6FE52126E550FC016F"))
            .out.find("rejected: Sai chức vụ"),
        std::string::npos);

    // The revoked certificate's token goes back: holder → commune → DoST → national CA.
    r = plain("custody overdue --days 30");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("d0000324"), std::string::npos) << r.out;
    const std::string people =
        " --handed-by 'Trịnh Kim Oanh' --handed-by-title 'Chuyên viên' --received-by 'Nguyễn Văn "
        "Cán' --received-by-title 'Văn thư' --dost P81-skhcn";
    EXPECT_EQ(as("officer",
                 "custody handover --device d0000324 --step to_dost --date 2025-07-21" + people)
                  .exit_code,
              2);  // a step cannot be skipped
    ASSERT_EQ(as("officer",
                 "custody handover --device d0000324 --step to_organization --date "
                 "2025-07-21 --document 7/BB-UBND --out " +
                     path("bb") + people)
                  .exit_code,
              0);
    const auto record = sh("pdftotext -layout " + path("bb/bien-ban.pdf") + " -");
    EXPECT_NE(record.out.find("BIÊN BẢN BÀN GIAO THIẾT BỊ LƯU KHÓA BÍ MẬT"), std::string::npos);
    EXPECT_NE(record.out.find("Trịnh Kim Oanh"), std::string::npos) << record.out;
    EXPECT_NE(record.out.find("Số: 7/BB-UBND"), std::string::npos) << record.out;
    ASSERT_EQ(
        as("dost", "custody handover --device d0000324 --step to_dost --date 2025-07-25" + people)
            .exit_code,
        0);
    ASSERT_EQ(as("ca", "custody handover --device d0000324 --step to_ca --date 2025-07-30" + people)
                  .exit_code,
              0);
    EXPECT_EQ(plain("custody overdue --days 30").exit_code, 0);

    // Every step is in the audit log, and the chain holds.
    r = plain("audit verify");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    const auto log = plain("audit list").out;
    for (const char* action :
         {"user.add", "request.create", "request.validated", "request.approved", "batch.create",
          "request.submitted", "batch.combine", "request.forwarded", "batch.render",
          "request.completed", "request.rejected", "custody.to_ca"}) {
        EXPECT_NE(log.find(action), std::string::npos) << action;
    }
    EXPECT_EQ(log.find(kPassword), std::string::npos) << "no secret in the log";
    EXPECT_EQ(log.find("$argon2id$"), std::string::npos) << "no password hash in the log";
}

TEST_F(Workflow, RequestsMadeByHandAreCheckedLikeTheOthers) {
    setup();
    // A person of C90006 (certificate 347C…) whose revocation the unit asks for itself.
    auto r = as("officer",
                "requests add --kind revoke --certificate 347CF4B634BC7384D89751D3AB3BFEF3 "
                "--reason nope");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("RFC 5280"), std::string::npos) << r.out;
    r = as("officer",
           "requests add --kind revoke --certificate 347cf4b6:34bc7384d89751d3ab3bfef3 "
           "--reason affiliationChanged");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const auto shown = plain("requests show --id " + std::to_string(number_in(r.out))).out;
    EXPECT_NE(shown.find(": Revocation, Draft\n"), std::string::npos) << shown;
    EXPECT_NE(shown.find("  managing organization: C90006\n"), std::string::npos) << shown;
    EXPECT_NE(shown.find("  certificate: 347CF4B634BC7384D89751D3AB3BFEF3\n"), std::string::npos)
        << shown;
    // Outside the officer's scope, unknown certificates, and roles that do not prepare requests.
    EXPECT_EQ(
        as("officer", "requests add --kind renew --certificate 1395A64C00ED686F38934C15ABE76007")
            .exit_code,
        2);
    EXPECT_EQ(as("officer", "requests add --kind renew --certificate ABCDEF").exit_code, 2);
    EXPECT_EQ(as("auditor", "requests add --kind device_restore --device d0000323").exit_code, 2);
    r = as("officer", "requests add --kind device_restore --device d0000323");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(plain("audit verify").exit_code, 0);
}

TEST_F(Workflow, ARequestWithAnErrorFindingCannotBeValidated) {
    setup();
    add_user("officer83", "unit_officer", "P83");
    ASSERT_EQ(as("officer83", "requests from-plan").exit_code, 0);
    // The sample's P83-ttcntt has a 68-character name (value_too_long, an error): every request
    // of it, of its people and of the organizations under it stays a draft, and says why.
    const auto r = as("officer83", "requests validate");
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("[value_too_long]"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("organizations.csv row 60"), std::string::npos) << r.out;
    const auto drafts = requests("--state draft --org P83-ttcntt");
    const auto validated = requests("--state validated");
    EXPECT_FALSE(drafts.empty());
    EXPECT_FALSE(validated.empty()) << "requests without an error are validated";
    for (const auto& [id, ks] : drafts) {
        EXPECT_EQ(as("officer83", "requests validate --id " + std::to_string(id)).exit_code, 1);
    }
}

// Tampering with the audit log, as someone with the database file could (the triggers that
// stop kyso from changing it are dropped first).
class AuditTamper : public Workflow {
protected:
    void SetUp() override {
        Workflow::SetUp();
        setup();
        ASSERT_EQ(as("officer", "requests from-plan").exit_code, 0);
        ASSERT_EQ(as("officer", "requests validate").exit_code, 0);
        ASSERT_EQ(plain("audit verify").exit_code, 0);
    }
    void sql(const std::string& statements) {
        sqlite3* h = nullptr;
        ASSERT_EQ(sqlite3_open(db().c_str(), &h), SQLITE_OK);
        char* err = nullptr;
        const int rc = sqlite3_exec(h,
                                    ("DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF "
                                     "EXISTS audit_log_no_delete; " +
                                     statements)
                                        .c_str(),
                                    nullptr, nullptr, &err);
        EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
        sqlite3_free(err);
        sqlite3_close(h);
    }
    void expect_detected(const std::string& what) {
        const auto r = plain("audit verify");
        EXPECT_EQ(r.exit_code, 1) << what << ": " << r.out;
        EXPECT_NE(r.out.find("NOT intact"), std::string::npos) << r.out;
    }
};

TEST_F(AuditTamper, KyoItselfCannotRewriteTheLog) {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(db().c_str(), &h), SQLITE_OK);
    EXPECT_NE(sqlite3_exec(h, "UPDATE audit_log SET actor = 'x' WHERE seq = 3", nullptr, nullptr,
                           nullptr),
              SQLITE_OK);
    EXPECT_NE(sqlite3_exec(h, "DELETE FROM audit_log WHERE seq = 3", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(h);
    EXPECT_EQ(plain("audit verify").exit_code, 0);
}

TEST_F(AuditTamper, AnEditedEntryIsDetected) {
    sql("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 5");
    expect_detected("edit");
}

TEST_F(AuditTamper, AnEditedEntryWithItsHashRecomputedBreaksTheNextLink) {
    // Changing the detail and writing any other hash still leaves entry 6 pointing at the old one.
    sql("UPDATE audit_log SET detail = '{}', hash = 'ab' || substr(hash, 3) WHERE seq = 5");
    expect_detected("edit + hash");
}

TEST_F(AuditTamper, ADeletedEntryIsDetected) {
    sql("DELETE FROM audit_log WHERE seq = 4");
    expect_detected("delete");
}

TEST_F(AuditTamper, ReorderedEntriesAreDetected) {
    sql("UPDATE audit_log SET seq = -1 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = 5;"
        " UPDATE audit_log SET seq = 5 WHERE seq = -1");
    expect_detected("reorder");
}

TEST_F(AuditTamper, EntriesDeletedFromTheEndAreDetected) {
    sql("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)");
    expect_detected("truncate");
}

TEST_F(AuditTamper, AnInsertedEntryIsDetected) {
    sql("UPDATE audit_log SET seq = seq + 1 WHERE seq >= 3 AND seq < 0; "
        "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash) "
        "SELECT max(seq) + 1, at, actor, action, object, detail, hash, hash FROM audit_log");
    expect_detected("insert");
}

}  // namespace

}  // namespace kyso::testing

// CLI tests (issue 10 item 6, real-world case results-then-check): the national CA's results
// imported after the whole workflow. A re-issued certificate is no subject_mismatch for `check
// --db` or `plan --db` (FORMATS.md §3/§5), revocations and completions carry the CA's processing
// date, and importing the same file again says the rows are done and changes nothing — in
// particular it does not complete the device hand-overs still waiting for the same certificates.
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <sstream>
#include <tuple>
#include <vector>

#include "cli_harness.h"
#include "core/subject.h"
#include "issue_certificate.h"

namespace kyso::testing {

namespace {

constexpr const char* kPassword = "results-password-1";
const std::string kCase = std::string(KYSO_TEST_DATA) + "/real-world/results-then-check";

RunResult as_user(const std::string& db, const std::string& user, const std::string& args) {
    return run_kyso(args + " --db " + db + " --as " + user,
                    std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword);
}

// One column of a query's rows, joined by newlines.
std::string query(const std::string& db, const std::string& sql) {
    sqlite3* h = nullptr;
    std::string out;
    if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return "?";
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

std::string read_tree(const fs::path& dir) {
    std::string all;
    for (const char* f :
         {"organizations.csv", "people.csv", "devices.csv", "certificates.csv", "events.json"})
        all += std::string(f) + ":\n" + read_file(dir / f);
    return all;
}

std::size_t lines(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// The warnings of one code in a plan, or the findings of one code in a check, by id.
std::set<std::string> ids_with(const std::string& json_path, const std::string& list,
                               const std::string& id_field) {
    std::set<std::string> out;
    const auto doc = nlohmann::json::parse(read_file(json_path));
    for (const auto& item : doc.at(list)) {
        if (item.at("code") == "subject_mismatch") out.insert(item.at(id_field).get<std::string>());
    }
    return out;
}

// The README's command sequence up to the results: import `bundle`, events apply, users,
// requests from-plan, validate, approve, batch create/submit, batch combine. What failed, if
// anything.
std::string prepare(const std::string& bundle, const std::string& db,
                    const std::vector<std::string>& kinds, const std::vector<std::string>& forms) {
    std::string failures;
    auto must = [&](const RunResult& r, const std::string& what) {
        if (r.exit_code != 0) failures += what + ": " + r.out + "\n";
    };
    must(run_kyso("import --db " + db + " --bundle " + bundle), "import");
    must(run_kyso("events apply --db " + db), "events apply");
    must(run_kyso("users add --db " + db +
                      " --username admin --full-name 'Quản trị' --role admin --scope all",
                  std::string("KYSO_LANG=en KYSO_NEW_PASSWORD=") + kPassword),
         "first user");
    for (const auto& [name, role, org] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"officer", "unit_officer", "T01"},
             {"head", "unit_head", "T01"},
             {"dost", "dost_operator", "T01"},
             {"ca", "ca_operator", ""}}) {
        must(run_kyso("users add --db " + db + " --as admin --username " + name +
                          " --full-name 'Người " + name + "' --role " + role +
                          (org.empty() ? " --scope all" : " --org " + org),
                      std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword +
                          " KYSO_NEW_PASSWORD=" + kPassword),
             "users add " + name);
    }
    must(as_user(db, "officer", "requests from-plan"), "from-plan");
    must(as_user(db, "officer", "requests validate"), "validate");
    std::string ids;
    for (const auto& id : query(db, "SELECT id FROM requests WHERE state = 'validated'")) {
        ids += id == '\n' ? ' ' : id;
    }
    must(as_user(db, "head", "requests approve --id " + ids), "approve");
    for (const auto& kind : kinds) {
        must(as_user(db, "officer", "batch create --symbol UBND --kind " + kind),
             "batch create " + kind);
    }
    must(as_user(db, "officer", "batch submit --all"), "batch submit");
    for (const auto& form : forms) {
        must(as_user(db, "dost", "batch combine --issuer T01-skhcn --symbol SKHCN --form " + form),
             "batch combine " + form);
    }
    return failures;
}

}  // namespace

// The README's sequence done once; each test works on a copy of that database.
class ResultsThenCheck : public ScratchDir {
protected:
    static void SetUpTestSuite() {
        shared_ =
            fs::temp_directory_path() / ("kyso-results-then-check-" + std::to_string(getpid()));
        fs::remove_all(shared_);
        fs::create_directories(shared_);
        setup_failure_ = prepare(kCase + "/bundle", (shared_ / "k.db").string(),
                                 {"revoke", "change_info", "device_handover"},
                                 {"mau-04", "mau-05", "ban-giao-thiet-bi"});
    }
    static void TearDownTestSuite() { fs::remove_all(shared_); }

    void SetUp() override {
        ScratchDir::SetUp();
        ASSERT_TRUE(setup_failure_.empty()) << setup_failure_;
        copy_database(shared_ / "k.db", dir / "k.db");
    }

    std::string db() const { return path("k.db"); }
    RunResult as(const std::string& user, const std::string& args) const {
        return as_user(db(), user, args);
    }
    RunResult plain(const std::string& args) const { return run_kyso(args + " --db " + db()); }
    RunResult import_results(const std::string& file) const {
        return as("ca", "results import --file " + file + " --certs " + kCase + "/ket-qua/moi");
    }
    // The requests' id, kind and state, from `kyso requests list`.
    std::string request_states() const {
        return query(db(), "SELECT id || ' ' || kind || ' ' || state FROM requests ORDER BY id");
    }
    std::string revocation_dates() const {
        return query(db(),
                     "SELECT serial || ' ' || revoked_on FROM certificates WHERE status = "
                     "'revoked' ORDER BY serial");
    }

    static inline fs::path shared_;
    static inline std::string setup_failure_;
};

TEST_F(ResultsThenCheck, ReissuedCertificateIsRightAndASecondImportChangesNothing) {
    const std::string file = kCase + "/ket-qua/ket-qua.csv";
    // The hand-overs of the revoked certificates' devices wait at the CA too (ids 1, 2, 5).
    ASSERT_EQ(query(db(),
                    "SELECT count(*) FROM requests WHERE kind = 'device_handover' AND "
                    "state = 'forwarded'"),
              "3\n");
    auto r = import_results(file);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("4 completed, 0 rejected, 1 new certificates linked, 0 rows not applied"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Ngày xử lý"), std::string::npos) << r.out;

    // The CA's processing date, not the day of the import.
    EXPECT_EQ(revocation_dates(),
              "6A01000000000002 2025-07-20\n6A01000000000003 2025-07-20\n"
              "6A01000000000012 2025-07-20\n6A01000000000014 2025-07-20\n");
    EXPECT_EQ(query(db(), "SELECT DISTINCT completed_at FROM requests WHERE state = 'completed'"),
              "2025-07-20\n");
    EXPECT_EQ(query(db(),
                    "SELECT replaces_serial FROM certificates WHERE serial = "
                    "'6B01000000000012'"),
              "6A01000000000012\n");

    // check --db and plan --db: the re-issued certificate already has the final subject; the one
    // whose name is misspelt (Hương for Hường) is still reported.
    r = plain("check --out " + path("findings.json"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    const auto found = ids_with(path("findings.json"), "findings", "id");
    EXPECT_EQ(found.count("6B01000000000012"), 0u) << r.out;
    EXPECT_EQ(found.count("6A01000000000011"), 1u) << r.out;
    r = plain("plan --out " + path("plan.json"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const auto warned = ids_with(path("plan.json"), "warnings", "certificate");
    EXPECT_EQ(warned.count("6B01000000000012"), 0u) << read_file(path("plan.json"));
    EXPECT_EQ(warned.count("6A01000000000011"), 1u) << read_file(path("plan.json"));

    // The same file again: the rows are already done; nothing changes, nothing is logged.
    ASSERT_EQ(plain("export --bundle " + path("before")).exit_code, 0);
    const std::string states = request_states();
    const std::size_t entries = lines(plain("audit list").out);
    r = import_results(file);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("0 completed, 0 rejected, 0 new certificates linked, 0 rows not applied"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("4 rows already done"), std::string::npos) << r.out;
    ASSERT_EQ(plain("export --bundle " + path("after")).exit_code, 0);
    EXPECT_EQ(read_tree(dir / "before"), read_tree(dir / "after"));
    EXPECT_EQ(request_states(), states) << "no hand-over may be completed by a done row";
    EXPECT_EQ(query(db(),
                    "SELECT count(*) FROM requests WHERE kind = 'device_handover' AND "
                    "state = 'forwarded'"),
              "3\n");
    EXPECT_EQ(lines(plain("audit list").out), entries);
    EXPECT_EQ(plain("audit verify").exit_code, 0);
}

TEST_F(ResultsThenCheck, DayFirstDatesUnderOtherHeadingsDateRevocationsAndCustody) {
    // "Ngày thực hiện" in dd/mm/yyyy, next to a date of birth that is not the processing date.
    write_file(dir / "kq.csv",
               "STT,Ngày sinh,Số serial chứng thư,Kết quả,Ngày thực hiện\n"
               "1,02/11/1979,6a:01:00:00:00:00:00:02,Đã hoàn thành,05/08/2025\n"
               "2,,6A01000000000003,hoàn thành,5/8/2025 09:30\n");
    auto r = import_results(path("kq.csv"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("Ngày thực hiện"), std::string::npos) << r.out;
    EXPECT_EQ(revocation_dates(), "6A01000000000002 2025-08-05\n6A01000000000003 2025-08-05\n");
    // custody overdue counts from the CA's date: the two tokens are listed with it.
    r = plain("custody overdue --days 30");
    EXPECT_EQ(r.exit_code, 1) << r.out;
    const std::string table = columns_as_tabs(r.out);  // columns padded to their content
    EXPECT_NE(table.find("tk-stttt\torg:T01-stttt\tT01-skhcn\t2025-08-05\t"), std::string::npos)
        << r.out;
    // T01-hdl is dissolved: its superior T01 carries on its work and manages its token's return.
    EXPECT_NE(table.find("tk-hdl\torg:T01-hdl\tT01\t2025-08-05\t"), std::string::npos) << r.out;
    EXPECT_NE(table.find("\tnot handed over\n"), std::string::npos) << r.out;
}

TEST_F(ResultsThenCheck, AnAnswerThatContradictsTheRecordedOneIsRefusedAndChangesNothing) {
    ASSERT_EQ(import_results(kCase + "/ket-qua/ket-qua.csv").exit_code, 0);
    const std::string states = request_states();
    const std::string dates = revocation_dates();
    write_file(dir / "kq.csv",
               "Serial CTS cũ,Kết quả,Lý do,Ngày xử lý\n6A01000000000002,Từ chối,Sai "
               "thông tin,2025-07-21\n6A01000000000013,Hoàn thành,,2025-07-21\n");
    auto r = import_results(path("kq.csv"));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("already has another answer"), std::string::npos) << r.out;
    // 6A…13 has no request at all: it is not matched to anything either.
    EXPECT_NE(r.out.find("no request waiting at the national CA for \"6A01000000000013\""),
              std::string::npos)
        << r.out;
    EXPECT_EQ(request_states(), states);
    EXPECT_EQ(revocation_dates(), dates);
}

// Issue 11: an unreadable date refuses the whole file (nothing applied, not even the rows with
// good dates); the file corrected is then applied.
TEST_F(ResultsThenCheck, AnUnreadableDateRefusesTheFileAndWithoutADateColumnTodayIsTheDate) {
    write_file(dir / "kq.csv",
               "Serial CTS cũ,Kết quả,Ngày xử lý\n6A01000000000002,Hoàn thành,31/02/2025\n"
               "6A01000000000003,Hoàn thành,2025-07-19\n");
    auto r = import_results(path("kq.csv"));
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("row 2, field Ngày xử lý: date \"31/02/2025\""), std::string::npos)
        << r.out;
    EXPECT_EQ(revocation_dates(), "");
    write_file(dir / "kq.csv",
               "Serial CTS cũ,Kết quả,Ngày xử lý\n6A01000000000003,Hoàn thành,2025-07-19\n");
    r = import_results(path("kq.csv"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(revocation_dates(), "6A01000000000003 2025-07-19\n");

    write_file(dir / "kq2.csv", "Serial CTS cũ,Kết quả\n6A01000000000014,Hoàn thành\n");
    r = import_results(path("kq2.csv"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("No processing date column"), std::string::npos) << r.out;
    // Today's UTC date, as the store writes it.
    const std::string today = query(db(), "SELECT date('now')");
    EXPECT_EQ(revocation_dates(), "6A01000000000003 2025-07-19\n6A01000000000014 " + today);
}

// Organizations the events made: the CA answers the issue owed to one that a `create` made, and
// re-issues the certificate carried into one that a merge made. Neither is an unknown holder nor
// a subject_mismatch for `check --db`, and `plan --db` owes them nothing more.
class ResultsForNewOrganizations : public ScratchDir {};

TEST_F(ResultsForNewOrganizations, TheirNewCertificatesAreRightForCheckAndPlan) {
    const std::string bundle = copy_bundle(kCase + "/bundle", "bundle");
    {
        auto doc = nlohmann::ordered_json::parse(read_file(bundle + "/events.json"));
        doc["events"].push_back(nlohmann::ordered_json::parse(R"({
            "id": "QD12", "type": "create", "effective_date": "2025-07-01",
            "new": {"id": "T01-sdttg", "name": "Sở Dân tộc và Tôn giáo tỉnh Phú Sơn",
                    "superior_id": "T01", "province": "Tỉnh Phú Sơn", "admin_unit": "25"},
            "parts_from": ["T01-stc"]})"));
        doc["events"].push_back(nlohmann::ordered_json::parse(R"({
            "id": "QD13", "type": "merge", "effective_date": "2025-07-01", "sources": ["T01-stc"],
            "new": {"id": "T01-stctk", "name": "Sở Tài chính và Thống kê tỉnh Phú Sơn"}})"));
        write_file(bundle + "/events.json", doc.dump(1));
    }
    const std::string db = path("k.db");
    const std::string failed =
        prepare(bundle, db, {"revoke", "change_info", "device_handover", "issue"},
                {"mau-04", "mau-05", "ban-giao-thiet-bi", "mau-02"});
    ASSERT_TRUE(failed.empty()) << failed;
    auto first_line = [](std::string s) { return s.substr(0, s.find('\n')); };
    const std::string issue_id =
        first_line(query(db, "SELECT id FROM requests WHERE kind = 'issue'"));
    ASSERT_FALSE(issue_id.empty());
    ASSERT_TRUE(issue_certificate(
        dir / "moi", first_line(query(db, "SELECT new_subject FROM requests WHERE kind = 'issue'")),
        "6C01"));
    ASSERT_TRUE(issue_certificate(dir / "moi",
                                  first_line(query(db,
                                                   "SELECT new_subject FROM requests WHERE "
                                                   "certificate = '6A01000000000001' AND kind "
                                                   "= 'change_info'")),
                                  "6D01"));
    write_file(dir / "kq.csv", "Mã yêu cầu kyso,Serial CTS cũ,Kết quả,Serial CTS mới,Ngày xử lý\n" +
                                   issue_id + ",,Hoàn thành,6C01,21/07/2025\n" +
                                   ",6A01000000000001,Hoàn thành,6D01,21/07/2025\n");
    auto r =
        as_user(db, "ca", "results import --file " + path("kq.csv") + " --certs " + path("moi"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("2 completed, 0 rejected, 2 new certificates linked"), std::string::npos)
        << r.out;

    r = run_kyso("check --db " + db + " --out " + path("findings.json"));
    EXPECT_EQ(r.exit_code, 0) << r.out;  // no unknown_reference for the created organization
    const auto findings = nlohmann::json::parse(read_file(path("findings.json")));
    for (const auto& f : findings["findings"]) {
        EXPECT_NE(f["id"], "6C01") << f;
        EXPECT_NE(f["id"], "6D01") << f;
    }
    r = run_kyso("plan --db " + db + " --out " + path("plan.json"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const auto plan = nlohmann::json::parse(read_file(path("plan.json")));
    EXPECT_EQ(plan["summary"]["issue"], 0) << "the issue was answered";
    for (const auto& a : plan["actions"]) {
        EXPECT_NE(a.value("certificate", ""), "6C01") << a;
        EXPECT_NE(a.value("certificate", ""), "6D01") << a;
    }
    for (const auto& w : plan["warnings"]) {
        EXPECT_NE(w.value("certificate", ""), "6C01") << w;
        EXPECT_NE(w.value("certificate", ""), "6D01") << w;
    }
}

// Issue 11: an impossible or future processing date, or a serial over 20 octets, in any row
// refuses the whole file — the error names the file, row and column — and nothing is applied;
// the file with the dates the CA meant is then imported as usual.
TEST_F(ResultsThenCheck, AnImpossibleDateOrOverlongSerialRefusesTheFileAndChangesNothing) {
    const std::string good = read_file(kCase + "/ket-qua/ket-qua.csv");
    const std::string states = request_states();
    const std::string revoked = revocation_dates();
    struct Bad {
        std::string from, to, says;
    };
    for (const Bad& b : std::vector<Bad>{
             {"3,6A01000000000014,Hoàn thành,,2025-07-20",
              "3,6A01000000000014,Hoàn thành,,2025-02-30",
              "row 4, field Ngày xử lý: date \"2025-02-30\""},
             {"3,6A01000000000014,Hoàn thành,,2025-07-20",
              "3,6A01000000000014,Hoàn thành,,2025-13-01", "row 4, field Ngày xử lý"},
             {"3,6A01000000000014,Hoàn thành,,2025-07-20",
              "3,6A01000000000014,Hoàn thành,,0000-01-01", "row 4, field Ngày xử lý"},
             {"3,6A01000000000014,Hoàn thành,,2025-07-20",
              "3,6A01000000000014,Hoàn thành,,20/07/2025 25:00", "row 4, field Ngày xử lý"},
             {"3,6A01000000000014,Hoàn thành,,2025-07-20",
              "3,6A01000000000014,Hoàn thành,,2099-07-20", "is after today"},
             {"4,6A01000000000012,Hoàn thành,6B01000000000012",
              "4,6A01000000000012,Hoàn thành,01" + std::string(40, '0'),
              "row 5, field Serial CTS mới: serial"}}) {
        SCOPED_TRACE(b.to);
        std::string text = good;
        ASSERT_NE(text.find(b.from), std::string::npos);
        text.replace(text.find(b.from), b.from.size(), b.to);
        write_file(dir / "bad.csv", text);
        const auto r = import_results(path("bad.csv"));
        EXPECT_EQ(r.exit_code, 2) << r.out;
        EXPECT_NE(r.out.find(path("bad.csv")), std::string::npos) << r.out;
        EXPECT_NE(r.out.find(b.says), std::string::npos) << r.out;
        EXPECT_EQ(request_states(), states);
        EXPECT_EQ(revocation_dates(), revoked);
    }
    const auto r = import_results(kCase + "/ket-qua/ket-qua.csv");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("4 completed"), std::string::npos) << r.out;
}

// Issue 12: the wordings people use for the outcome, without tone marks or in capitals, under
// heading variants ("Số serial", "Trạng thái", "Ngày thực hiện"), are applied; an unknown one is
// a problem of its row naming the row, the value and the column and listing the accepted words,
// and changes nothing of that row. `requests show` then gives the new certificate's serial.
TEST_F(ResultsThenCheck, WordingsWithoutToneMarksAreAppliedAndAnUnknownOneIsNamed) {
    write_file(dir / "kq.csv",
               "STT,Số serial,Trạng thái,Số serial mới,Ngày thực hiện\n"
               "1,6A01000000000002,Da thu hoi,,20/07/2025\n"
               "2,6A01000000000003,ĐÃ THU HỒI,,20/07/2025\n"
               "3,6A01000000000014,Đang xử lý,,20/07/2025\n"
               "4,6A01000000000012,  đã thay đổi ,6B01000000000012,20/07/2025\n");
    auto r = import_results(path("kq.csv"));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("3 completed, 0 rejected, 1 new certificates linked, 1 rows not applied"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("row 4: unknown outcome \"Đang xử lý\" (column \"Trạng thái\"), this row "
                         "is not applied; the outcome column accepts (any case, with or without "
                         "tone marks): completed — Hoàn thành, Đã hoàn thành,"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Đã thay đổi"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("; rejected — Từ chối, Đã từ chối, Bị từ chối, Không thực hiện,"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(revocation_dates(),
              "6A01000000000002 2025-07-20\n6A01000000000003 2025-07-20\n"
              "6A01000000000012 2025-07-20\n");
    EXPECT_EQ(query(db(),
                    "SELECT state FROM requests WHERE certificate = '6A01000000000014' AND kind "
                    "<> 'device_handover'"),
              "forwarded\n");

    // The change of information's request shows the certificate the CA issued.
    const std::string id = query(db(),
                                 "SELECT id FROM requests WHERE certificate = '6A01000000000012' "
                                 "AND kind = 'change_info'");
    ASSERT_FALSE(id.empty());
    r = plain("requests show --id " + id.substr(0, id.find('\n')));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("  new certificate: 6B01000000000012 (processed by the national CA on "
                         "2025-07-20)"),
              std::string::npos)
        << r.out;
    r = run_kyso("requests show --db " + db() + " --id " + id.substr(0, id.find('\n')),
                 "KYSO_LANG=vi");
    EXPECT_NE(r.out.find("  chứng thư số mới: 6B01000000000012 (Cục xử lý ngày 2025-07-20)"),
              std::string::npos)
        << r.out;

    // A refusal whose reason cell is empty is the row's fault, said so; nothing moves.
    write_file(dir / "kq1.csv", "Số serial,Kết quả,Lý do\n6A01000000000014,Từ chối,  \n");
    r = import_results(path("kq1.csv"));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("outcome \"Từ chối\" (refused) but the reason cell"), std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("may not"), std::string::npos) << r.out;
    EXPECT_EQ(query(db(),
                    "SELECT state FROM requests WHERE certificate = '6A01000000000014' AND kind "
                    "<> 'device_handover'"),
              "forwarded\n");

    // "Không thực hiện" without tone marks refuses the last one, with the row's reason.
    write_file(dir / "kq2.csv",
               "Số serial,Kết quả,Lý do\n6A01000000000014,khong thuc hien,Sai số định danh\n");
    r = import_results(path("kq2.csv"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("0 completed, 1 rejected"), std::string::npos) << r.out;
    EXPECT_EQ(query(db(),
                    "SELECT state || ' ' || reject_reason FROM requests WHERE certificate = "
                    "'6A01000000000014' AND kind <> 'device_handover'"),
              "rejected Sai số định danh\n");
}

// Issue 12: a refusal names the actor, the role and the real reason; nothing moves.
TEST_F(ResultsThenCheck, AnOfficerWhoMayNotRejectIsToldWhichRoleDoes) {
    const std::string states = request_states();
    const std::string id = query(db(), "SELECT min(id) FROM requests WHERE state = 'forwarded'");
    auto r = as("officer", "requests reject --reason sai --id " + id.substr(0, id.find('\n')));
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("officer (role unit officer (unit_officer)) may not reject a request in "
                         "state \"forwarded to the national CA\": the role unit officer "
                         "(unit_officer) may not reject; in state \"forwarded to the national "
                         "CA\" this is done by national CA operator (ca_operator)"),
              std::string::npos)
        << r.out;
    // A command the role may not run names the role that may.
    r = as("officer", "batch combine --issuer T01-skhcn --form mau-04");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("officer (role unit officer (unit_officer)) may not do \"batch "
                         "combine\"; this is done by DoST operator (dost_operator)"),
              std::string::npos)
        << r.out;
    r = as("officer", "import --bundle " + kCase + "/bundle");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("user officer (role unit officer (unit_officer)) may not change the "
                         "register; this is done by an administrator (admin) or a DoST operator "
                         "(dost_operator)"),
              std::string::npos)
        << r.out;
    r = as("dost", "results import --file " + kCase + "/ket-qua/ket-qua.csv");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("this is done by national CA operator (ca_operator)"), std::string::npos)
        << r.out;
    EXPECT_EQ(request_states(), states);

    // The officer's own request, validated: he may not approve it because of his role (which is
    // named), not because it is his own; the head then approves it.
    r = as("officer",
           "requests add --kind revoke --certificate 6A01000000000011 --reason affiliationChanged");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const std::string added = query(db(), "SELECT max(id) FROM requests");
    const std::string n = added.substr(0, added.find('\n'));
    ASSERT_EQ(as("officer", "requests validate --id " + n).exit_code, 0);
    r = as("officer", "requests approve --id " + n);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("officer (role unit officer (unit_officer)) may not approve a request in "
                         "state \"validated\": the role unit officer (unit_officer) may not "
                         "approve; in state \"validated\" this is done by unit head (unit_head)"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("own request"), std::string::npos) << r.out;
    EXPECT_EQ(query(db(), "SELECT state FROM requests WHERE id = " + n), "validated\n");
    r = as("head", "requests approve --id " + n);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(query(db(), "SELECT state FROM requests WHERE id = " + n), "approved\n");
}

// Issue 12: `batch list` shows each batch: id, number/symbol, issuer, kind, form, level (the
// DoST's combined batch names those it gathers), the state of its requests and their count.
TEST_F(ResultsThenCheck, BatchListShowsEveryBatchWithIssuerStateAndRequests) {
    auto r = plain("batch list");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    std::string table = columns_as_tabs(r.out);  // columns padded with spaces, one tab each here
    EXPECT_TRUE(
        table.starts_with("batch\tnumber/symbol\tissuing organization\tkind\tform\tlevel\t"
                          "state\trequests\tcreated\n"))
        << r.out;
    const std::string batches = query(db(), "SELECT count(*) FROM batches");
    EXPECT_EQ(std::to_string(lines(r.out) - 1) + "\n", batches) << r.out;
    // Each batch's count is that of the database.
    const std::string counts =
        query(db(),
              "SELECT b.id || ' ' || (SELECT count(*) FROM requests r WHERE r.batch_id = b.id OR "
              "r.batch_id IN (SELECT c.id FROM batches c WHERE c.parent_id = b.id)) FROM batches b "
              "ORDER BY b.id");
    std::string shown;
    std::istringstream in(table);
    std::string line;
    std::getline(in, line);  // the heading
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::istringstream cs(line);
        for (std::string c; std::getline(cs, c, '\t');) cells.push_back(c);
        ASSERT_EQ(cells.size(), 9u) << line;
        shown += cells[0] + " " + cells[7] + "\n";
    }
    EXPECT_EQ(shown, counts) << r.out;
    // Numbered by kyso per issuer and year: the province's first letter is 1/UBND, the DoST's
    // own letters and its combined ones share its numbers.
    EXPECT_NE(table.find("\t1/UBND\tT01 (Ủy ban nhân dân"), std::string::npos) << r.out;
    EXPECT_NE(table.find("\t6/SKHCN\tT01-skhcn (Sở Khoa học và Công nghệ"), std::string::npos)
        << r.out;
    EXPECT_NE(table.find("\tRevocation\tmau-05\tDoST combined (gathers batches "),
              std::string::npos)
        << r.out;
    EXPECT_NE(table.find("\tForwarded to the national CA\t"), std::string::npos) << r.out;

    // After the CA's answer the revocations' batches are completed; by kind, only those.
    ASSERT_EQ(import_results(kCase + "/ket-qua/ket-qua.csv").exit_code, 0);
    r = plain("batch list --kind revoke");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    table = columns_as_tabs(r.out);
    EXPECT_EQ(table.find("Change of information"), std::string::npos) << r.out;
    EXPECT_NE(table.find("\tCompleted\t"), std::string::npos) << r.out;
    // In Vietnamese: headings, kinds, levels and states in words.
    r = run_kyso("batch list --db " + db() + " --org T01-skhcn", "KYSO_LANG=vi");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    table = columns_as_tabs(r.out);
    EXPECT_TRUE(table.starts_with("Văn bản\tSố, ký hiệu\tCơ quan ban hành\t")) << r.out;
    EXPECT_NE(table.find("\tThu hồi\t"), std::string::npos) << r.out;
    EXPECT_NE(table.find("tổng hợp của Sở (gồm văn bản "), std::string::npos) << r.out;
    EXPECT_EQ(table.find("\tcơ quan\t"), std::string::npos) << r.out;
}

}  // namespace kyso::testing

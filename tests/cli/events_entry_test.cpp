// Tests: decisions without hand-written JSON (issue 12) through the real binary: `events add`
// (flags), `events import` (a spreadsheet, one decision per row), `events template`, and
// `import --bundle` refusing an invalid event or malformed events.json at once.
#include <xlsxwriter.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "cli_harness.h"
#include "intake/events_sheet.h"
#include "text/xlsx_reader.h"

using namespace kyso::testing;

namespace {

const std::string kSheets = std::string(KYSO_TEST_DATA) + "/events-sheet";

// A workbook of one sheet: `rows[0]` the headings. Cells that are numbers are written as numbers
// (Excel dates), the rest as text.
void write_workbook(const std::string& path, const std::vector<std::vector<std::string>>& rows) {
    lxw_workbook* wb = workbook_new(path.c_str());
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Quyết định");
    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (std::size_t c = 0; c < rows[r].size(); ++c) {
            const std::string& v = rows[r][c];
            if (v.empty()) continue;
            const auto row = static_cast<lxw_row_t>(r);
            const auto col = static_cast<lxw_col_t>(c);
            if (v.find_first_not_of("0123456789") == std::string::npos) {
                worksheet_write_number(ws, row, col, std::stod(v), nullptr);
            } else {
                worksheet_write_string(ws, row, col, v.c_str(), nullptr);
            }
        }
    }
    ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
}

}  // namespace

class EventsEntry : public ScratchDir {
protected:
    void SetUp() override {
        ScratchDir::SetUp();
        db = path("kyso.db");
        auto imported = run_kyso("import --db " + db + " --bundle " + kSampleBundle);
        ASSERT_EQ(imported.exit_code, 0) << imported.out;
    }
    RunResult kyso(const std::string& args, const std::string& env = "KYSO_LANG=en") {
        return run_kyso(args + " --db " + db, env);
    }
    std::string list() { return kyso("events list").out; }

    std::string db;
};

TEST_F(EventsEntry, AddStoresOnePendingEventAsImportWouldAndSaysWhat) {
    auto r = kyso(
        "events add --type 'Đổi tên' --effective-date 2025-08-01 --legal-basis 'QĐ 9/QĐ-UBND' "
        "--org P83-sct --name 'Sở Công Thương và Du lịch'");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("Added decision E00111"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("E00111  rename  effective 2025-08-01  QĐ 9/QĐ-UBND"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find(R"("org":"P83-sct","name":"Sở Công Thương và Du lịch")"),
              std::string::npos)
        << r.out;
    EXPECT_NE(list().find("2025-08-01  E00111  rename  not applied"), std::string::npos);
    // Audited like an import, under the actor, with its source.
    const auto audit = kyso("audit list").out;
    EXPECT_NE(audit.find("events add"), std::string::npos) << audit;
    // Applied and planned like any event of events.json.
    auto applied = kyso("events apply");
    ASSERT_EQ(applied.exit_code, 0) << applied.out;
    EXPECT_NE(applied.out.find("Applied 111 events as of 2025-08-01"), std::string::npos)
        << applied.out;
    auto exported = run_kyso("export --db " + db + " --bundle " + path("out"));
    ASSERT_EQ(exported.exit_code, 0) << exported.out;
    EXPECT_NE(read_file(path("out/events.json")).find("Sở Công Thương và Du lịch"),
              std::string::npos);
    // Vietnamese output.
    auto vi = kyso(
        "events add --type merge --effective-date 2025-08-02 --sources P83-stp,P83-stc "
        "--keep P83-stc",
        "KYSO_LANG=vi");
    ASSERT_EQ(vi.exit_code, 0) << vi.out;
    EXPECT_NE(vi.out.find("Đã thêm quyết định E00112"), std::string::npos) << vi.out;
    EXPECT_NE(vi.out.find("Hợp nhất/sáp nhập  hiệu lực 2025-08-02"), std::string::npos) << vi.out;
}

TEST_F(EventsEntry, AddNamesTheWrongFlagAndWritesNothing) {
    struct Case {
        std::string args;
        std::string flag;
    };
    const std::vector<Case> cases = {
        {"--type rename --effective-date 2025-08-01 --org P83-sct", "--name"},
        {"--type rename --effective-date 2025-08-01 --org NOWHERE --name X", "--org"},
        {"--type rename --effective-date 2025-13-01 --org P83-sct --name X", "--effective-date"},
        {"--type rename --effective-date 2025-08-01 --org P83-sct --name X --sources A",
         "--sources"},
        {"--type merge --effective-date 2025-08-01 --sources P83-stp,P83-stc --keep P83-sct",
         "--keep"},
        {"--type merge --effective-date 2025-08-01 --sources P83-stp,P83-stc", "--keep"},
        {"--type dissolve --effective-date 2025-08-01 --org P81-snv", "--org"},  // ceased
        {"--type 'Chia tách' --effective-date 2025-08-01 --org P83-sct", "--type"},
        {"--type create --effective-date 2025-08-01 --new-id P83-x --new-name X "
         "--new-superior-id NOWHERE --new-province 'Tỉnh X'",
         "--new-superior-id"},
    };
    for (const Case& c : cases) {
        auto r = kyso("events add " + c.args);
        EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.out;
        EXPECT_NE(r.out.find(c.flag), std::string::npos) << c.args << "\n" << r.out;
    }
    EXPECT_NE(list().find("110 events: 0 applied, 110 not applied."), std::string::npos);
    auto vi = kyso("events add --type 'Đổi tên' --effective-date 2025-08-01 --org P83-sct",
                   "KYSO_LANG=vi");
    EXPECT_EQ(vi.exit_code, 2);
    EXPECT_NE(vi.out.find("thiếu trường --name"), std::string::npos) << vi.out;
    // Every member the message quotes is told by its flag.
    auto keep = kyso(
        "events add --type 'Sáp nhập' --effective-date 2025-08-01 "
        "--sources P83-stp,P83-stc --keep P83-sct",
        "KYSO_LANG=vi");
    EXPECT_NE(keep.out.find("--keep = \"P83-sct\" không nằm trong --sources"), std::string::npos)
        << keep.out;
}

TEST_F(EventsEntry, AddRefusesAStoredIdUnlessIdentical) {
    const std::string args =
        "events add --id QD-1 --type rename --effective-date 2025-08-01 --org P83-sct --name X";
    ASSERT_EQ(kyso(args).exit_code, 0);
    auto again = kyso(args);
    EXPECT_EQ(again.exit_code, 0) << again.out;
    EXPECT_NE(again.out.find("already stored, identical"), std::string::npos) << again.out;
    auto other = kyso(
        "events add --id QD-1 --type rename --effective-date 2025-08-01 "
        "--org P83-sct --name Y");
    EXPECT_EQ(other.exit_code, 2);
    EXPECT_NE(other.out.find("QD-1"), std::string::npos) << other.out;
    auto stored = kyso(
        "events add --id E00001 --type rename --effective-date 2025-08-01 "
        "--org P83-sct --name Y");
    EXPECT_EQ(stored.exit_code, 2) << stored.out;
    EXPECT_NE(list().find("111 events"), std::string::npos);
}

TEST_F(EventsEntry, AddIsScopeCheckedLikeEventsApply) {
    const std::string pw = "events-password-1";
    ASSERT_EQ(run_kyso("users add --db " + db +
                           " --username admin --full-name 'Quản trị' --role admin --scope all",
                       "KYSO_LANG=en KYSO_NEW_PASSWORD=" + pw)
                  .exit_code,
              0);
    ASSERT_EQ(run_kyso("users add --db " + db +
                           " --as admin --username dost83 --full-name 'Sở 83' --role "
                           "dost_operator --org P83",
                       "KYSO_LANG=en KYSO_PASSWORD=" + pw + " KYSO_NEW_PASSWORD=" + pw)
                  .exit_code,
              0);
    const std::string env = "KYSO_LANG=en KYSO_PASSWORD=" + pw;
    auto out = kyso(
        "events add --as dost83 --type rename --effective-date 2025-08-01 "
        "--org P82-sct --name X",
        env);
    EXPECT_EQ(out.exit_code, 2) << out.out;
    EXPECT_NE(out.out.find("P82-sct"), std::string::npos) << out.out;
    auto in = kyso(
        "events add --as dost83 --type rename --effective-date 2025-08-01 "
        "--org P83-sct --name X",
        env);
    EXPECT_EQ(in.exit_code, 0) << in.out;
    EXPECT_NE(kyso("audit list").out.find("dost83"), std::string::npos);
    EXPECT_NE(list().find("111 events"), std::string::npos);
    auto nobody = kyso(
        "events add --type rename --effective-date 2025-08-01 --org P83-sct "
        "--name X");
    EXPECT_EQ(nobody.exit_code, 2) << nobody.out;
}

TEST_F(EventsEntry, ImportXlsxReadsOneDecisionPerRowWithVietnameseHeadings) {
    const std::string file = path("qd.xlsx");
    write_workbook(
        file,
        {{"STT", "Số quyết định", "Ngày hiệu lực (dd/mm/yyyy)", "Loại", "Cơ quan",
          "Cơ quan giữ lại", "Mã cơ quan mới", "Tên mới", "Cơ quan cấp trên"},
         {"1", "QĐ 1", "01/08/2025", "Sáp nhập", "P83-stp, P83-stc", "P83-stc"},
         {},
         {"2", "QĐ 2", "45870", "Đổi tên", "P83-sct", "", "", "Sở Công Thương mới"},
         {"3", "QĐ 3", "2025-08-01", "Hợp nhất", "P83-syt; P83-sgddt", "", "P83-syt-gd",
          "Sở Y tế và Giáo dục", "P83"},
         {"4", "QĐ 4", "01/08/2025", "Đổi cơ quan cấp trên", "P83-ttcntt", "", "", "", "không"}});
    auto r = kyso("events import --xlsx " + file);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("Added 4 decisions"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("row 5 E00113  merge  effective 2025-08-01  QĐ 3"), std::string::npos)
        << r.out;
    const std::string l = list();
    EXPECT_NE(l.find("2025-08-01  E00111  merge  not applied"), std::string::npos) << l;
    EXPECT_NE(l.find("2025-08-01  E00112  rename"), std::string::npos) << l;  // 45870 = 2025-08-01
    EXPECT_NE(l.find("2025-08-01  E00114  change_superior"), std::string::npos) << l;
    auto exported = run_kyso("export --db " + db + " --bundle " + path("out"));
    ASSERT_EQ(exported.exit_code, 0) << exported.out;
    const auto events = nlohmann::json::parse(read_file(path("out/events.json")))["events"];
    const auto& merged = events[events.size() - 2];
    EXPECT_EQ(merged["new"]["id"], "P83-syt-gd");
    EXPECT_EQ(merged["new"]["superior_id"], "P83");
    EXPECT_EQ(merged["sources"], nlohmann::json::array({"P83-syt", "P83-sgddt"}));
    EXPECT_EQ(events.back()["superior_id"], "");
    // Imported again: nothing new.
    auto again = kyso("events import --xlsx " + file);
    EXPECT_EQ(again.exit_code, 0) << again.out;
    EXPECT_NE(list().find("114 events"), std::string::npos);
    ASSERT_EQ(kyso("events apply").exit_code, 0);
    EXPECT_EQ(kyso("plan --out " + path("p.json")).exit_code, 0);
}

TEST_F(EventsEntry, ImportNamesEveryWrongRowAndHeadingAndWritesNothing) {
    auto r = kyso("events import --csv " + kSheets + "/decisions-bad.csv");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("row 3, field Ngày hiệu lực"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("row 4, field Loại"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Chia tách"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("row 5, field Tên mới"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("row 6, field Tên mới"), std::string::npos) << r.out;  // not for dissolve
    EXPECT_NE(r.out.find("4 rows are wrong; no decision was written"), std::string::npos) << r.out;
    EXPECT_NE(list().find("110 events"), std::string::npos);

    // Rows that read well but break the plan's rules: the row and the column are named.
    const std::string file = path("ref.xlsx");
    write_workbook(file, {{"Số quyết định", "Ngày hiệu lực", "Loại", "Cơ quan", "Tên mới"},
                          {"QĐ 1", "01/08/2025", "Đổi tên", "P83-sct", "Sở A"},
                          {"QĐ 2", "01/08/2025", "Đổi tên", "P81-snv-x", "Sở B"}});
    auto ref = kyso("events import --xlsx " + file, "KYSO_LANG=vi");
    EXPECT_EQ(ref.exit_code, 2) << ref.out;
    EXPECT_NE(ref.out.find("dòng 3, trường Cơ quan"), std::string::npos) << ref.out;
    EXPECT_NE(ref.out.find("P81-snv-x"), std::string::npos) << ref.out;
    EXPECT_NE(list().find("110 events"), std::string::npos);
}

TEST_F(EventsEntry, ImportCsvWithSemicolonsAndWordsWithoutMarks) {
    auto r = kyso("events import --csv " + kSheets + "/decisions.csv");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("Added 3 decisions"), std::string::npos) << r.out;
    const std::string l = list();
    EXPECT_NE(l.find("2025-08-01  E00112  rename"), std::string::npos) << l;
    EXPECT_NE(l.find("2025-08-02  E00113  change_superior"), std::string::npos) << l;
}

TEST_F(EventsEntry, TemplateHasEveryHeadingAndReadsBackEmpty) {
    const std::string file = path("mau.xlsx");
    auto r = run_kyso("events template --xlsx " + file);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    auto sheets = kyso::text::read_xlsx(file);
    ASSERT_TRUE(sheets) << sheets.error().describe(true);
    ASSERT_GE(sheets->size(), 2u);
    EXPECT_EQ((*sheets)[0].name, "Quyết định");
    const auto& head = (*sheets)[0].rows.at(0);
    ASSERT_EQ(head.size(), kyso::intake::kSheetColumnCount);
    for (std::size_t i = 0; i < head.size(); ++i) {
        EXPECT_EQ(kyso::intake::recognize_sheet_heading(head[i]),
                  static_cast<kyso::intake::SheetColumn>(i))
            << head[i];
    }
    EXPECT_EQ((*sheets)[1].name, "Hướng dẫn");
    EXPECT_EQ(run_kyso("events template --xlsx " + file).exit_code, 2);  // not overwritten
    auto empty = kyso("events import --xlsx " + file);
    EXPECT_EQ(empty.exit_code, 0) << empty.out;
    EXPECT_NE(empty.out.find("Added 0 decisions"), std::string::npos) << empty.out;
}

TEST_F(EventsEntry, ImportBundleRefusesAnInvalidEventAndWritesNothing) {
    const std::string bundle = copy_bundle(kSampleBundle, "bad");
    auto doc = nlohmann::ordered_json::parse(read_file(bundle + "/events.json"));
    doc["events"].push_back({{"id", "E99999"},
                             {"type", "rename"},
                             {"effective_date", "2025-07-01"},
                             {"org", "NOWHERE"},
                             {"name", "Sở Không Có"}});
    write_file(bundle + "/events.json", doc.dump(1));
    const std::string fresh = path("fresh.db");
    auto r = run_kyso("import --db " + fresh + " --bundle " + bundle);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("E99999"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("NOWHERE"), std::string::npos) << r.out;
    // `plan` gives the same error for the same bundle.
    auto plan = run_kyso("plan --bundle " + bundle + " --out " + path("p.json"));
    EXPECT_EQ(plan.exit_code, 2);
    EXPECT_NE(plan.out.find("\"org\" = \"NOWHERE\""), std::string::npos) << plan.out;
    EXPECT_NE(r.out.find("\"org\" = \"NOWHERE\""), std::string::npos) << r.out;
    auto status = run_kyso("status --db " + fresh);
    EXPECT_NE(status.out.find("organizations: 0"), std::string::npos) << status.out;
    // Into a database that has the sample already: still nothing written.
    EXPECT_EQ(run_kyso("import --db " + db + " --bundle " + bundle).exit_code, 2);
    EXPECT_NE(list().find("110 events"), std::string::npos);
}

TEST_F(EventsEntry, MalformedEventsJsonIsReportedWithLineAndColumn) {
    const std::string bundle = copy_bundle(kSampleBundle, "broken");
    write_file(
        bundle + "/events.json",
        "{\"events\": [\n  {\"id\": \"E1\", \"type\": \"rename\"\n   \"org\": \"P81\"}\n]}\n");
    auto vi = run_kyso("import --db " + path("x.db") + " --bundle " + bundle, "KYSO_LANG=vi");
    EXPECT_EQ(vi.exit_code, 2);
    EXPECT_NE(vi.out.find("events.json, dòng 3, cột 8: thiếu dấu phẩy"), std::string::npos)
        << vi.out;
    auto en = run_kyso("plan --bundle " + bundle + " --out " + path("p.json"));
    EXPECT_EQ(en.exit_code, 2);
    EXPECT_NE(en.out.find("events.json, line 3, column 8: a comma (,) is missing"),
              std::string::npos)
        << en.out;
}

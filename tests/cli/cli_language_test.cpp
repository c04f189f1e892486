// Tests: the command line in the user's language — CLI11's help screens and errors from the
// catalog (Vietnamese; English under KYSO_LANG=en), lists with Vietnamese words for kinds, states
// and roles (codes still the input), and the plan spreadsheet as people read it: grouped by the
// organization that sends each request after the events, device serials, subjects C → CN.
#include <map>
#include <set>

#include "cli_harness.h"
#include "core/subject.h"
#include "text/csv.h"
#include "text/xlsx_reader.h"

using namespace kyso::testing;

namespace {

const std::string kVi = "KYSO_LANG=vi";

bool has(const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
}

// The lines of `text` that contain `what`.
std::vector<std::string> lines_with(const std::string& text, const std::string& what) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (has(line, what)) out.push_back(line);
    return out;
}

// One column of a CSV file by its heading: value → rows.
std::map<std::string, std::string> csv_column(const std::string& path, const std::string& key,
                                              const std::string& value) {
    std::map<std::string, std::string> out;
    auto r = kyso::text::CsvReader::open(path, "x.csv");
    EXPECT_TRUE(r);
    if (!r) return out;
    const auto& h = r->header();
    const auto k = std::find(h.begin(), h.end(), key) - h.begin();
    const auto v = std::find(h.begin(), h.end(), value) - h.begin();
    while (true) {
        auto more = r->next();
        if (!more || !*more) break;
        out[r->fields()[static_cast<std::size_t>(k)]] = r->fields()[static_cast<std::size_t>(v)];
    }
    return out;
}

}  // namespace

class CliLanguage : public ScratchDir {
protected:
    std::string db() const { return path("k.db"); }
    // The sample imported, an admin and the province's DoST operator, the plan's requests.
    void requests_made() {
        ASSERT_EQ(run_kyso("import --db " + db() + " --bundle " + kSampleBundle).exit_code, 0);
        const std::string pw = "KYSO_PASSWORD=mk-thu-nghiem KYSO_NEW_PASSWORD=mk-thu-nghiem ";
        auto r = run_kyso("users add --db " + db() +
                              " --username admin --full-name 'Quản trị' --role admin --scope all",
                          pw + kVi);
        ASSERT_EQ(r.exit_code, 0) << r.out;
        r = run_kyso("users add --db " + db() +
                         " --as admin --username dost --full-name 'Lê Thị Hoa' --role "
                         "dost_operator --org P81",
                     pw + kVi);
        ASSERT_EQ(r.exit_code, 0) << r.out;
        r = run_kyso("requests from-plan --db " + db() + " --as dost", pw + kVi);
        ASSERT_EQ(r.exit_code, 0) << r.out;
    }
};

// ---- help and errors ----------------------------------------------------------------------------

TEST_F(CliLanguage, HelpIsVietnameseByDefault) {
    for (const std::string args : {"--help", "requests --help", "requests list --help"}) {
        SCOPED_TRACE(args);
        const auto r = run_kyso(args, kVi);
        EXPECT_EQ(r.exit_code, 0) << r.out;
        EXPECT_TRUE(has(r.out, "Cách dùng:")) << r.out;
        EXPECT_TRUE(has(r.out, "Tùy chọn:")) << r.out;
        EXPECT_TRUE(has(r.out, "in hướng dẫn này rồi thoát")) << r.out;
        for (const char* english : {"Usage", "Options:", "Subcommands:", "Positionals:", "REQUIRED",
                                    "OPTIONS", "SUBCOMMAND", "Print this help"})
            EXPECT_FALSE(has(r.out, english)) << english << " in\n" << r.out;
    }
    const auto top = run_kyso("--help", kVi);
    EXPECT_TRUE(has(top.out, "Lệnh:")) << top.out;
    EXPECT_TRUE(has(top.out, "lập kế hoạch xử lý chứng thư")) << "the commands' descriptions";
    const auto list = run_kyso("requests list --help", kVi).out;
    EXPECT_TRUE(has(list, "--db CHUỖI BẮT BUỘC")) << list;
    EXPECT_TRUE(has(list, "tệp cơ sở dữ liệu SQLite")) << list;
    const auto users = run_kyso("users set-role --help", kVi).out;
    EXPECT_TRUE(has(users, "Đối số:")) << users;  // its positionals username, role
}

TEST_F(CliLanguage, HelpIsEnglishUnderKysoLangEn) {
    const auto r = run_kyso("requests --help", "KYSO_LANG=en");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_TRUE(has(r.out, "Usage:")) << r.out;
    EXPECT_TRUE(has(r.out, "Options:")) << r.out;
    EXPECT_TRUE(has(r.out, "Subcommands:")) << r.out;
    EXPECT_TRUE(has(r.out, "list requests")) << r.out;
    EXPECT_FALSE(has(r.out, "Cách dùng")) << r.out;
    EXPECT_FALSE(has(r.out, "Tùy chọn")) << r.out;
}

TEST_F(CliLanguage, ParseErrorsAreVietnameseAndRefuseWithStatus2) {
    auto r = run_kyso("requests list --db x.db --khong-co", kVi);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_TRUE(has(r.out, "lỗi: không nhận ra đối số: --khong-co")) << r.out;
    EXPECT_TRUE(has(r.out, "Chạy với --help để xem hướng dẫn.")) << r.out;
    EXPECT_FALSE(has(r.out, "was not expected")) << r.out;
    EXPECT_FALSE(has(r.out, "Run with")) << r.out;

    r = run_kyso("requests list", kVi);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(has(r.out, "lỗi: thiếu --db (bắt buộc)")) << r.out;
    EXPECT_FALSE(has(r.out, "is required")) << r.out;

    r = run_kyso("requests", kVi);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(has(r.out, "lỗi: cần chọn một lệnh")) << r.out;

    r = run_kyso("requests list --db", kVi);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(has(r.out, "lỗi: --db cần một giá trị")) << r.out;

    r = run_kyso("plan --bundle x --out y --format pdf", kVi);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(has(r.out, "--format: \"pdf\" không phải giá trị được chấp nhận")) << r.out;
    EXPECT_FALSE(has(r.out, "not in")) << r.out;

    r = run_kyso("demo-data --out d --seed abc", kVi);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(has(r.out, "lỗi: --seed")) << r.out;
    EXPECT_FALSE(has(r.out, "Could not convert")) << r.out;
    EXPECT_FALSE(fs::exists(path("d")));
}

TEST_F(CliLanguage, ParseErrorsAreEnglishUnderKysoLangEn) {
    const auto r = run_kyso("requests list --db x.db --no-such-flag", "KYSO_LANG=en");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(has(r.out, "error: The following argument was not expected: --no-such-flag"))
        << r.out;
    EXPECT_TRUE(has(r.out, "Run with --help for more information.")) << r.out;
}

// ---- lists --------------------------------------------------------------------------------------

TEST_F(CliLanguage, RequestsListShowsVietnameseWordsAndTakesCodesAsFilters) {
    requests_made();
    auto r = run_kyso("requests list --db " + db(), kVi);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_TRUE(has(r.out, "Loại")) << r.out;
    EXPECT_TRUE(has(r.out, "Trạng thái")) << r.out;
    EXPECT_FALSE(lines_with(r.out, "Thu hồi").empty()) << r.out;
    EXPECT_FALSE(lines_with(r.out, "Thay đổi thông tin").empty()) << r.out;
    EXPECT_FALSE(lines_with(r.out, "Nháp").empty()) << r.out;
    for (const char* code : {"change_info", "revoke", "draft", "\t"})
        EXPECT_FALSE(has(r.out, code)) << code << " in\n" << r.out;

    // Codes are the filters' values; the list keeps one row per matching request.
    r = run_kyso("requests list --db " + db() + " --kind revoke --state draft", kVi);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const auto revokes = lines_with(r.out, "Thu hồi");
    EXPECT_FALSE(revokes.empty());
    EXPECT_TRUE(lines_with(r.out, "Thay đổi thông tin").empty()) << r.out;
    // Columns fit the content: every row's state word starts where the heading's does.
    std::istringstream in(r.out);
    std::string heading;
    std::getline(in, heading);
    const auto col = kyso::utf8_length(heading.substr(0, heading.find("Trạng thái")));
    for (const auto& line : revokes)
        EXPECT_EQ(kyso::utf8_length(line.substr(0, line.find("Nháp"))), col) << line;

    r = run_kyso("requests list --db " + db() + " --kind revoke", "KYSO_LANG=en");
    EXPECT_FALSE(lines_with(r.out, "Revocation").empty()) << r.out;
    EXPECT_FALSE(lines_with(r.out, "Draft").empty()) << r.out;
    EXPECT_FALSE(has(r.out, "Thu hồi")) << r.out;
}

TEST_F(CliLanguage, UsersListNamesRolesInWords) {
    requests_made();
    auto r = run_kyso("users list --db " + db(), kVi);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const auto dost = lines_with(r.out, "dost ");
    ASSERT_EQ(dost.size(), 1u) << r.out;
    EXPECT_TRUE(has(dost[0], "Cán bộ Sở Khoa học và Công nghệ")) << dost[0];
    EXPECT_TRUE(has(dost[0], "Lê Thị Hoa")) << dost[0];
    EXPECT_FALSE(has(r.out, "dost_operator")) << r.out;
    EXPECT_TRUE(has(lines_with(r.out, "admin ").at(0), "Quản trị viên")) << r.out;
}

// ---- the plan spreadsheet -----------------------------------------------------------------------

TEST_F(CliLanguage, PlanSheetGroupsBySendingOrgShowsDeviceSerialsAndSubjectsRootFirst) {
    ASSERT_EQ(
        run_kyso("plan --bundle " + kSampleBundle + " --format xlsx --out " + path("p.xlsx"), kVi)
            .exit_code,
        0);
    auto sheets = kyso::text::read_xlsx(path("p.xlsx"));
    ASSERT_TRUE(sheets) << sheets.error().describe(true);
    ASSERT_EQ(sheets->size(), 1u);
    const auto& rows = sheets->front().rows;
    ASSERT_GT(rows.size(), 2u);
    const std::size_t kHolderId = 7, kDevice = 5, kOld = 9, kNew = 10;
    ASSERT_EQ(rows[0].at(kDevice), "Số serial thiết bị");

    const std::string bundle = kSampleBundle;
    const auto person_org = csv_column(bundle + "/people.csv", "id", "org_id");
    const auto serial_of = csv_column(bundle + "/devices.csv", "id", "serial");
    std::set<std::string> serials, ids;
    for (const auto& [id, serial] : serial_of) {
        ids.insert(id);
        serials.insert(serial);
    }
    // E00001 merges P81-skhdt into P81-stc (kept), E00025 P81-stc into P82-stc (the provinces
    // merge): requests of P81-skhdt's people go from P82-stc, never from a ceased body.
    std::string group;
    std::set<std::string> groups;
    std::size_t merged_people = 0, devices = 0, subjects = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& row = rows[i];
        if (row.size() == 1 || (row.size() > 1 && row[1].empty())) {  // a group title
            group = row.at(0);
            groups.insert(group);
            continue;
        }
        ASSERT_FALSE(group.empty()) << "a row before any group";
        const auto at = [&](std::size_t c) { return c < row.size() ? row[c] : std::string(); };
        const auto org = person_org.find(at(kHolderId));
        if (org != person_org.end() && org->second == "P81-skhdt") {
            ++merged_people;
            EXPECT_TRUE(group.ends_with("(P82-stc)")) << group << " for " << at(kHolderId);
        }
        if (!at(kDevice).empty()) {
            ++devices;
            EXPECT_TRUE(serials.count(at(kDevice))) << at(kDevice);
            EXPECT_FALSE(ids.count(at(kDevice))) << "a device id, not its serial: " << at(kDevice);
        }
        for (const std::size_t c : {kOld, kNew}) {
            if (at(c).empty()) continue;
            ++subjects;
            EXPECT_TRUE(at(c).starts_with("C=VN, ")) << at(c);
            const auto cn = at(c).rfind("CN=");
            ASSERT_NE(cn, std::string::npos) << at(c);
            EXPECT_GT(cn, at(c).find("O=")) << at(c);
        }
    }
    EXPECT_GT(merged_people, 0u);
    EXPECT_GT(devices, 10u);
    EXPECT_GT(subjects, 10u);
    for (const auto& g : groups) {
        EXPECT_FALSE(g.ends_with("(P81-skhdt)")) << "a ceased body";
        EXPECT_FALSE(g.ends_with("(P81-stc)")) << "a ceased body";
    }
}

TEST_F(CliLanguage, PlanSheetGroupsAreTheOrganizationsThatRequestsFromPlanSendFrom) {
    ASSERT_EQ(run_kyso("import --db " + db() + " --bundle " + kSampleBundle).exit_code, 0);
    const std::string pw = "KYSO_PASSWORD=mk-thu-nghiem KYSO_NEW_PASSWORD=mk-thu-nghiem ";
    auto r = run_kyso("users add --db " + db() +
                          " --username admin --full-name 'Quản trị' --role admin --scope all",
                      pw + kVi);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    r = run_kyso("events apply --db " + db() + " --as admin", pw + kVi);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    r = run_kyso("users add --db " + db() +
                     " --as admin --username dost --full-name 'Lê Thị Hoa' --role dost_operator "
                     "--org P82",
                 pw + kVi);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    r = run_kyso("requests from-plan --db " + db() + " --as dost", pw + kVi);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    // The certificates' requests and the organizations that send them.
    std::map<std::string, std::string> org_of;
    {
        std::istringstream in(columns_as_tabs(run_kyso("requests list --db " + db()).out));
        std::string line;
        std::getline(in, line);  // headings
        while (std::getline(in, line)) {
            std::vector<std::string> cells;
            std::istringstream cs(line);
            for (std::string c; std::getline(cs, c, '\t');) cells.push_back(c);
            if (cells.size() >= 6 && cells[5].size() > 8) org_of[cells[5]] = cells[3];
        }
    }
    ASSERT_GT(org_of.size(), 50u);
    ASSERT_EQ(run_kyso("plan --db " + db() + " --format csv --out " + path("p.csv"), kVi).exit_code,
              0);
    auto csv = kyso::text::CsvReader::open(path("p.csv"), "p.csv");
    ASSERT_TRUE(csv);
    std::string group;
    std::set<std::string> compared;
    while (true) {
        auto more = csv->next();
        ASSERT_TRUE(more);
        if (!*more) break;
        const auto& f = csv->fields();
        if (f[1].empty()) {
            group = f[0];
            continue;
        }
        const auto it = org_of.find(f[4]);
        if (it == org_of.end()) continue;
        compared.insert(f[4]);
        EXPECT_TRUE(group.ends_with("(" + it->second + ")"))
            << f[4] << ": sheet " << group << ", request from " << it->second;
    }
    EXPECT_EQ(compared.size(), org_of.size()) << "every request's certificate is in the sheet";
}

// `kyso intake`: agencies' spreadsheets (XLSX, UTF-16 and Windows-1258 CSV) read into a bundle.
#include <xlsxwriter.h>

#include <nlohmann/json.hpp>

#include "cli_harness.h"
#include "text/csv.h"

namespace kyso::testing {

namespace {

// people.csv of an intake folder as id -> record (column name -> value).
std::map<std::string, std::map<std::string, std::string>> read_people(const fs::path& dir) {
    std::map<std::string, std::map<std::string, std::string>> out;
    auto r = text::CsvReader::open((dir / "people.csv").string(), "people.csv");
    EXPECT_TRUE(r.ok());
    if (!r) return out;
    while (true) {
        auto more = r->next();
        if (!more || !*more) break;
        auto& rec = out[r->fields()[0]];
        for (std::size_t i = 0; i < r->header().size(); ++i) rec[r->header()[i]] = r->fields()[i];
    }
    return out;
}

// A sheet as agencies send it: a title row, the headings, a row of column numbers, then people
// with a CCCD and phone typed as numbers, a birth date as an Excel date and one as dd/mm/yyyy,
// and a name typed in TCVN3 (ABC).
void write_agency_sheet(const std::string& path) {
    lxw_workbook* wb = workbook_new(path.c_str());
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Danh sách");
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "dd/mm/yyyy");
    worksheet_write_string(ws, 0, 0, "DANH SÁCH ĐỀ NGHỊ CẤP CHỨNG THƯ SỐ", nullptr);
    const char* headings[] = {"STT",           "Họ và tên (*)", "Ngày sinh", "Số định danh cá nhân",
                              "Email công vụ", "Số điện thoại", "Đơn vị",    "Chức vụ",
                              "Số serial"};
    for (lxw_col_t c = 0; c < 9; ++c) {
        worksheet_write_string(ws, 2, c, headings[c], nullptr);
        worksheet_write_string(ws, 3, c, ("(" + std::to_string(c + 1) + ")").c_str(), nullptr);
    }
    // Row 5: numbers where Excel drops leading zeros, and an Excel date.
    worksheet_write_number(ws, 4, 0, 1, nullptr);
    worksheet_write_string(ws, 4, 1, "Trần Thị Hương", nullptr);
    worksheet_write_number(ws, 4, 2, 32217, date);  // 1988-03-15
    worksheet_write_number(ws, 4, 3, 1188012345, nullptr);
    worksheet_write_string(ws, 4, 4, "tthuong@sotc.gov.vn", nullptr);
    worksheet_write_number(ws, 4, 5, 912345678, nullptr);
    worksheet_write_string(ws, 4, 6, "Sở Tài chính", nullptr);
    worksheet_write_string(ws, 4, 7, "Chuyên viên", nullptr);
    worksheet_write_string(ws, 4, 8, "54:03:a1:b2", nullptr);
    // Row 6: dd/mm/yyyy typed as text, a legacy TCVN3 name, a phone with spaces.
    worksheet_write_number(ws, 5, 0, 2, nullptr);
    worksheet_write_string(ws, 5, 1, "NguyÔn V¨n Hïng", nullptr);
    worksheet_write_string(ws, 5, 2, "02/04/1990", nullptr);
    worksheet_write_string(ws, 5, 3, "001090012345", nullptr);
    worksheet_write_string(ws, 5, 5, "0912 345 679", nullptr);
    worksheet_write_string(ws, 5, 6, "  Văn phòng UBND  ", nullptr);
    // Row 7: empty (skipped), row 8: a CCCD whose birth year disagrees.
    worksheet_write_string(ws, 7, 1, "Lê Minh Đức", nullptr);
    worksheet_write_string(ws, 7, 2, "15/07/1985", nullptr);
    worksheet_write_string(ws, 7, 3, "001086012345", nullptr);
    worksheet_write_string(ws, 7, 6, "Sở Tài chính", nullptr);
    workbook_add_worksheet(wb, "Ghi chú");  // no header row: skipped
    ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
}

using Intake = ScratchDir;

TEST_F(Intake, XlsxBecomesABundleWithFindings) {
    write_agency_sheet(path("ds.xlsx"));
    const auto r = run_kyso("intake --xlsx " + path("ds.xlsx") + " --out " + path("out") +
                            " --province 'Tỉnh Tuyên Quang'");
    EXPECT_EQ(r.exit_code, 1) << r.out;  // a legacy name and a birth-year mismatch are errors
    const auto people = read_people(dir / "out");
    ASSERT_EQ(people.size(), 3u) << r.out;
    const auto& huong = people.at("cccd-001188012345");
    EXPECT_EQ(huong.at("full_name"), "Trần Thị Hương");
    EXPECT_EQ(huong.at("cccd"), "001188012345");  // leading zero restored
    EXPECT_EQ(huong.at("date_of_birth"), "1988-03-15");
    EXPECT_EQ(huong.at("phone"), "0912345678");
    EXPECT_EQ(huong.at("position"), "Chuyên viên");
    const auto& hung = people.at("cccd-001090012345");
    EXPECT_EQ(hung.at("date_of_birth"), "1990-04-02");
    EXPECT_EQ(hung.at("phone"), "0912345679");
    EXPECT_EQ(people.at("cccd-001086012345").at("org_id"), huong.at("org_id"));
    EXPECT_NE(hung.at("org_id"), huong.at("org_id"));
    const std::string orgs = read_file(dir / "out" / "organizations.csv");
    EXPECT_NE(orgs.find("Văn phòng UBND,,Tỉnh Tuyên Quang"), std::string::npos) << orgs;
    EXPECT_FALSE(fs::exists(dir / "out" / "serials.csv"))
        << "serials are findings, not a side file";
    EXPECT_NE(
        read_file(dir / "out" / "intake.csv").find("Danh sách,5,cccd,1188012345,001188012345"),
        std::string::npos);
    EXPECT_NE(r.out.find("Ghi chú"), std::string::npos) << "the skipped sheet is named";

    const auto findings = nlohmann::json::parse(read_file(dir / "out" / "findings.json"));
    std::set<std::tuple<std::string, std::string, std::string>> got;
    for (const auto& f : findings["findings"]) {
        got.insert({f["code"].get<std::string>(), f["id"].get<std::string>(),
                    f["field"].get<std::string>()});
        if (f["code"] == "legacy_encoding") {
            EXPECT_EQ(f["suggestion"], "Nguyễn Văn Hùng");
        }
    }
    EXPECT_TRUE(got.count({"legacy_encoding", "cccd-001090012345", "full_name"}));
    EXPECT_TRUE(got.count({"cccd_birth_mismatch", "cccd-001086012345", "cccd"}));
    // No registry to link the serial to: reported.
    EXPECT_TRUE(got.count({"serial_not_found", "cccd-001188012345", "serial"}));
    EXPECT_EQ(got.size(), 3u) << findings.dump(1);
}

TEST_F(Intake, MappingFileNamesUnusualHeadings) {
    write_file(dir / "ds.csv",
               "Tên người ký,Mã số,Nơi làm việc\nPhạm Thu Trang,001195012345,Sở Nội vụ\n");
    write_file(dir / "map.txt",
               "# cột của Sở Nội vụ\nTên người ký = full_name\nMã số = cccd\n"
               "Nơi làm việc = org\n");
    auto r = run_kyso("intake --csv " + path("ds.csv") + " --out " + path("a"));
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("--mapping"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(dir / "a"));
    r = run_kyso("intake --csv " + path("ds.csv") + " --mapping " + path("map.txt") + " --out " +
                 path("b"));
    const auto people = read_people(dir / "b");
    ASSERT_EQ(people.size(), 1u) << r.out;
    EXPECT_EQ(people.begin()->second.at("cccd"), "001195012345");

    write_file(dir / "bad.txt", "Tên người ký = ho_ten\n");
    r = run_kyso("intake --csv " + path("ds.csv") + " --mapping " + path("bad.txt") + " --out " +
                 path("c"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("ho_ten"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("row 1"), std::string::npos) << r.out;
}

TEST_F(Intake, Utf16AndWindows1258CsvAreRead) {
    // "Họ và tên,Số CCCD\nĐỗ Thị Lan,001190012345\n" as UTF-16LE with BOM.
    const std::u16string text =
        u"Họ và tên,Số CCCD,Ngày sinh\nĐỗ Thị Lan,001190012345,1990-01-01\n";
    std::string bytes = "\xFF\xFE";
    for (char16_t c : text) {
        bytes += static_cast<char>(c & 0xFF);
        bytes += static_cast<char>(c >> 8);
    }
    write_file(dir / "u16.csv", bytes);
    auto r = run_kyso("intake --csv " + path("u16.csv") + " --out " + path("a"));
    auto people = read_people(dir / "a");
    ASSERT_EQ(people.size(), 1u) << r.out;
    EXPECT_EQ(people.begin()->second.at("full_name"), "Đỗ Thị Lan");

    // Windows-1258 (Excel's "CSV" on Vietnamese Windows): "Lê Văn Đức" is
    // 4C EA 20 56 E3 6E 20 D0 FD EC 63 (ứ = u-horn + combining acute).
    write_file(dir / "cp.csv",
               "H\xF4 t\xEAn,CCCD\nL\xEA V\xE3n \xD0\xFD\xEC"
               "c,001190012345\n");
    r = run_kyso("intake --csv " + path("cp.csv") + " --out " + path("b"));
    people = read_people(dir / "b");
    ASSERT_EQ(people.size(), 1u) << r.out;
    EXPECT_EQ(people.begin()->second.at("full_name"), "Lê Văn Đức");
}

TEST_F(Intake, GarbageIsAClearErrorAndNothingIsWritten) {
    write_file(dir / "junk.xlsx", "PK\x03\x04 this is not a workbook");
    const auto r = run_kyso("intake --xlsx " + path("junk.xlsx") + " --out " + path("out"));
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("junk.xlsx"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(dir / "out"));
}

}  // namespace

}  // namespace kyso::testing

namespace kyso::testing {

using IntakeDevices = ScratchDir;

TEST_F(IntakeDevices, DevicesFromTheSheet) {
    write_file(dir / "ds.csv",
               "Họ và tên,Số CCCD,Ngày sinh,Số điện thoại,Loại thiết bị,Số hiệu thiết bị,Nhà mạng\n"
               "Phạm Thu Trang,001195012345,1995-01-02,0912345678,TOKEN,54A1B2C3,\n"
               "Lê Văn Tám,001190012346,1990-03-04,0987654321,SIM PKI,8984040000123456789,Viettel\n"
               "Ngô Thị Chín,001190012347,1990-03-05,0987654322,Thẻ nhớ,X1,\n"
               "Đỗ Văn Mười,001190012348,1990-03-06,0987654323,RSSP,,\n");
    const auto r = run_kyso("intake --csv " + path("ds.csv") + " --out " + path("b") +
                            " --org 'Sở Nội vụ' --province 'Tỉnh Sông Lam'");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("2 devices"), std::string::npos) << r.out;
    const std::string devices = read_file(dir / "b" / "devices.csv");
    EXPECT_NE(devices.find("d-54A1B2C3,usb_token,54A1B2C3,,,person,cccd-001195012345"),
              std::string::npos)
        << devices;
    EXPECT_NE(devices.find("d-8984040000123456789,pki_sim,8984040000123456789,0987654321,"
                           "Viettel,person,cccd-001190012346"),
              std::string::npos)
        << devices;
    const auto f = nlohmann::json::parse(read_file(dir / "b" / "findings.json"));
    ASSERT_EQ(f["findings"].size(), 1u) << f.dump(1);
    EXPECT_EQ(f["findings"][0]["code"], "unknown_device_kind");
    EXPECT_EQ(f["findings"][0]["id"], "cccd-001190012347");
    EXPECT_EQ(run_kyso("import --db " + path("k.db") + " --bundle " + path("b")).exit_code, 0);
}

using IntakeWithRegistry = ScratchDir;

TEST_F(IntakeWithRegistry, UnitsAreMatchedByNameAndUnknownOnesFlagged) {
    write_file(dir / "ds.csv",
               "Họ và tên,Số CCCD,Ngày sinh,Đơn vị\n"
               "Phạm Thu Trang,001195012345,1995-01-02,SỞ TÀI CHÍNH  TỈNH SÔNG LAM\n"
               "Lê Văn Tám,001190012346,1990-03-04,Phòng Không Có Thật\n");
    const auto r = run_kyso("intake --csv " + path("ds.csv") + " --out " + path("b") +
                            " --registry " + kSampleBundle + " --province 'Tỉnh Sông Lam'");
    // Exit 1: the registry's own 68-character name is an error; the unknown unit is a warning.
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("1 found in the registry, 1 not there"), std::string::npos) << r.out;
    const std::string people = read_file(dir / "b" / "people.csv");
    EXPECT_NE(people.find("Phạm Thu Trang,001195012345,1995-01-02,,,P81-stc"), std::string::npos)
        << people;
    // The bundle holds the registry's organizations, so it imports and plans as one.
    const std::string orgs = read_file(dir / "b" / "organizations.csv");
    EXPECT_NE(orgs.find("P81-stc,Sở Tài chính tỉnh Sông Lam,P81"), std::string::npos);
    EXPECT_NE(orgs.find("dv-phong-khong-co-that,Phòng Không Có Thật"), std::string::npos);
    const auto f = nlohmann::json::parse(read_file(dir / "b" / "findings.json"));
    ASSERT_EQ(f["findings"].size(), 2u) << f.dump(1);  // the sample's own 68-character name too
    EXPECT_EQ(f["findings"][1]["code"], "unknown_unit");
    EXPECT_EQ(f["findings"][1]["row"], 2);
    EXPECT_EQ(f["findings"][1]["severity"], "warning");
    const auto imported = run_kyso("import --db " + path("k.db") + " --bundle " + path("b"));
    EXPECT_EQ(imported.exit_code, 0) << imported.out;
}

}  // namespace kyso::testing
